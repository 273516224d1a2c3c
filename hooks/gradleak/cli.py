"""The ``gradleak`` command for contributors."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .catalog import load_catalog


def find_bib_dir(start: Path) -> Path:
    """The ``bib/`` folder of the site containing ``start`` (or ``start`` itself)."""
    for folder in (start, *start.parents):
        if (folder / "taxonomy.yml").is_file():
            return folder
        if (folder / "bib" / "taxonomy.yml").is_file():
            return folder / "bib"
    return start / "bib"


def cmd_check(args) -> int:
    started = time.perf_counter()
    bib_dir = Path(args.path).resolve() if args.path else find_bib_dir(Path.cwd())
    catalog = load_catalog(bib_dir)
    problems = catalog.diagnostics
    if args.format == "json":
        print(json.dumps([
            {"file": d.file, "line": d.line, "key": d.key, "message": d.message} for d in problems
        ], indent=2))
    else:
        for d in problems:
            print(d)
    elapsed = time.perf_counter() - started
    summary = (f"{len(catalog.papers)} entries in {len(catalog.taxonomy.groups)} files checked "
               f"in {elapsed:.2f} s: "
               + (f"{len(problems)} problem(s)" if problems else "no problems"))
    print(summary, file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="gradleak", description="Tools for the gradient leakage library in bib/.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the library and the taxonomy",
                           description="Validate bib/*.bib and bib/taxonomy.yml. Prints each "
                                       "problem as file:line: key: message; exits 1 on any.")
    check.add_argument("path", nargs="?", help="the bib/ folder (default: found from here)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    return args.func(args)
