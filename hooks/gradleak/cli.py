"""The ``gradleak`` command for contributors: check, fmt, add, outdated, links, readme."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from . import bib
from .catalog import TAXONOMY_FILE, load_catalog, read_text
from .cli_add import cmd_add
from .console import bib_dir_of, find_bib_dir, missing, outside_site, say
from .fmt import format_text, same_entries
from .model import Diagnostic
from .readme import check_readme, list_problems, site_url_of, updated
from .taxonomy import parse_taxonomy


def cmd_check(args) -> int:
    started = time.perf_counter()
    if missing("check", args.paths):
        return 2
    bib_dir, only = bib_dir_of(args.paths)
    if outside_site("check", bib_dir, takes_paths=True):
        return 2
    catalog = load_catalog(bib_dir)
    problems = list(catalog.diagnostics)
    problems += check_readme(bib_dir.parent / "README.md", catalog)
    if only is not None:
        names = {p.relative_to(bib_dir.parent).as_posix() for p in only}
        problems = [d for d in problems if d.file in names]
    if args.format == "json":
        print(json.dumps([{"file": d.file, "line": d.line, "key": d.key, "message": d.message}
                          for d in problems], indent=2, ensure_ascii=False))
    else:
        for d in problems:
            print(d)
    say(f"gradleak check: {len(catalog.papers)} entries, {len(problems)} problem(s), "
        f"{time.perf_counter() - started:.2f} s")
    return 1 if problems else 0


def _group_files(bib_dir: Path) -> list[Path]:
    """The .bib files the taxonomy names (only the taxonomy is read)."""
    path = bib_dir / TAXONOMY_FILE
    taxonomy, _ = (parse_taxonomy(path.read_text(encoding="utf-8"), path.name)
                   if path.is_file() else (None, []))
    groups = taxonomy.groups if taxonomy else ()
    return [bib_dir / g.file for g in groups if (bib_dir / g.file).is_file()]


def cmd_fmt(args) -> int:
    if missing("fmt", args.paths):
        return 2
    bib_dir, only = bib_dir_of(args.paths)
    if not only and outside_site("fmt", bib_dir, takes_paths=True):
        return 2
    files = sorted(only) if only else _group_files(bib_dir)
    not_bib = [p for p in files if p.suffix != ".bib"]
    for path in not_bib:
        say(f"gradleak fmt: {path.name}: not a .bib file (fmt formats the library's .bib files)")
    if not_bib:
        return 2
    changed, failed = [], False
    for path in files:
        label = path.relative_to(bib_dir.parent).as_posix()
        text, problems = read_text(path, label)
        if text is None:  # not UTF-8: nothing to format until it is
            for d in problems:
                print(d)
            failed = True
            continue
        new, problems = format_text(text, label)
        if new is None:
            for d in problems:
                print(d)
            failed = True
            continue
        # the promise of fmt: same entries, same fields, same values, and nothing new wrong
        again, new_problems = bib.parse(new, label)
        if new_problems or not same_entries(bib.parse(text, label)[0], again):
            print(f"{label}: formatting would change an entry; file left as it is")
            failed = True
            continue
        if new.encode("utf-8") != path.read_bytes():  # CRLF line ends are not canonical either
            changed.append(label)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for label in changed:
        print(("would reformat " if args.check else "reformatted ") + label)
    say(f"gradleak fmt: {len(files)} file(s), {len(changed)} "
        f"{'to reformat' if args.check else 'reformatted'}")
    return 1 if failed or (args.check and changed) else 0


def cmd_readme(args) -> int:
    bib_dir = find_bib_dir(Path.cwd())
    if outside_site("readme", bib_dir):
        return 2
    catalog = load_catalog(bib_dir)
    path = bib_dir.parent / "README.md"
    broken = list_problems(catalog)
    if broken:  # the list would lose the papers that did not parse (all, for the taxonomy)
        for d in broken:
            print(d)
        say(f"gradleak readme: {path.name} not changed: the library has {len(broken)} "
            "problem(s); fix them first (`gradleak check`)")
        return 1
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    fresh = updated(text, catalog, site_url_of(bib_dir.parent))
    if fresh is None:
        print(f"{path.name}: no '<!-- gradleak:readme:start -->' and '-end -->' markers")
        return 1
    if args.check:
        stale = fresh != text
        if stale:
            print(Diagnostic("README.md", None, None,
                             "the paper list is stale: run `gradleak readme`"))
        say(f"gradleak readme: the list of {len(catalog.papers)} papers is "
            + ("stale" if stale else "up to date"))
        return 1 if stale else 0
    if fresh != text:
        path.write_text(fresh, encoding="utf-8")
    say(f"gradleak readme: {len(catalog.papers)} papers listed in README.md "
        + ("(updated)" if fresh != text else "(already up to date)"))
    return 0


def cmd_outdated(args) -> int:
    from .outdated import run  # only this command needs it

    bib_dir = find_bib_dir(Path.cwd())
    if outside_site("outdated", bib_dir):
        return 2
    return run(args, bib_dir, say)


def cmd_links(args) -> int:
    from .links import run  # only this command needs it

    bib_dir = find_bib_dir(Path.cwd())
    if outside_site("links", bib_dir):
        return 2
    return run(args, bib_dir, say)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradleak", description="Tools for the gradient leakage library in bib/.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check",
                           help="validate the library, the taxonomy, the ledger and the README",
                           description="Validate bib/*.bib, bib/taxonomy.yml, the ledger "
                                       "bib/pending.yml and the paper list "
                                       "of README.md. Prints each problem as "
                                       "'file:line: key: message'; exits 1 on any.")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="the bib/ folder or some of its .bib files (default: found from here)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(func=cmd_check)

    fmt = sub.add_parser("fmt", help="rewrite the library in its canonical style",
                         description="Sort entries by key and fields in canonical order, indent "
                                     "and brace values uniformly, never changing a value.")
    fmt.add_argument("paths", nargs="*", metavar="PATH", help="files to format (default: all)")
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; exit 1 and list the files that would change")
    fmt.set_defaults(func=cmd_fmt)

    add = sub.add_parser("add", help="add papers from exported BibTeX, an arXiv id or a DOI",
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         epilog="examples:\n"
                                "  gradleak add paper.bib --tags optimization,image\n"
                                "  gradleak add --arxiv 2003.14053 --tags optimization,image\n"
                                "  gradleak add --arxiv https://arxiv.org/abs/2003.14053v2 "
                                "--group attacks --dry-run\n"
                                "  gradleak add --doi 10.1109/TIFS.2017.2787987 "
                                "--tags optimization --venue TIFS",
                         description="Read BibTeX as exported by arXiv, dblp, Google Scholar, "
                                     "Semantic Scholar, ACM, IEEE or Zotero; normalize it to the "
                                     "library's style and insert it in canonical order. A paper "
                                     "already in the library (same DOI, arXiv id or title) is "
                                     "refused.")
    add.add_argument("file", nargs="?", metavar="FILE|-", help="BibTeX file, or - for stdin")
    add.add_argument("--arxiv", metavar="ID|URL",
                     help="fetch the paper from the arXiv API (its published version from "
                          "Crossref when arXiv names a DOI), instead of FILE")
    add.add_argument("--doi", metavar="DOI", help="fetch the paper from Crossref (else dblp)")
    add.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                     help="per request, with 3 tries (default: 15)")
    add.add_argument("--group", help="surveys, attacks or defenses (default: from --tags)")
    add.add_argument("--tags", help="comma-separated tag ids, the category first")
    add.add_argument("--tldr", help="one or two sentences in our own words")
    add.add_argument("--code", help="URL of the authors' official code")
    add.add_argument("--venue", help="short venue label, e.g. NeurIPS")
    add.add_argument("--added", help="YYYY-MM (default: this month)")
    add.add_argument("--key", help="use this key instead of the generated one")
    add.add_argument("--dry-run", action="store_true", help="show what would be added")
    add.set_defaults(func=cmd_add)

    outdated = sub.add_parser(
        "outdated", help="find published versions of arXiv-only entries",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="For every entry known only from arXiv, ask arXiv (journal reference, "
                    "DOI), Crossref and dblp whether a published version exists, and print "
                    "each suggested update as a diff of the entry. Changes nothing. Needs "
                    "the internet; exits 2 when arXiv cannot be reached.",
        epilog="examples:\n"
               "  gradleak outdated\n"
               "  gradleak outdated --format json > outdated.json\n"
               "  gradleak outdated --keys geiping2020inverting,zhu2019deep")
    outdated.add_argument("--format", choices=("text", "json"), default="text")
    outdated.add_argument("--keys", help="only these entries (comma-separated keys)")
    outdated.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                          help="per request, with 3 tries (default: 15)")
    outdated.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                          help="pause between entries, to be polite to the services "
                               "(default: 1; arXiv calls wait 3 times as long)")
    outdated.set_defaults(func=cmd_outdated)

    links = sub.add_parser(
        "links", help="find broken url, code and doi links",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Ask every entry's url, code and doi link (HEAD, else GET; redirects\n"
                    "followed; a few at a time, at most two per host) and print each broken\n"
                    "one as 'file:line: key: field URL: reason'. Changes nothing.\n\n"
                    "Broken: HTTP 404 or 410, a host that does not exist, an invalid TLS\n"
                    "certificate, a redirect loop. Not checked (listed on stderr, not a\n"
                    "failure): other client errors (401, 403 and 429: sites that refuse\n"
                    "robots), 5xx and timeouts after a second try.\n\n"
                    "Exits 1 when a link is broken, 2 when no server answered (offline).",
        epilog="examples:\n"
               "  gradleak links\n"
               "  gradleak links --fields code --format json > links.json\n"
               "  gradleak links --keys zhu2019deep,geiping2020inverting\n"
               "  gradleak links --since origin/main   # what a pull request added or changed")
    links.add_argument("--format", choices=("text", "json"), default="text")
    links.add_argument("--keys", help="only these entries (comma-separated keys)")
    links.add_argument("--fields", metavar="FIELDS",
                       help="these links, comma-separated: url, code, doi (the default: all "
                            "three) and checked (the pages an entry was checked against)")
    links.add_argument("--since", metavar="GIT_REF",
                       help="only links added or changed since this commit, e.g. the pull "
                            "request's base (origin/main)")
    links.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                       help="per request (default: 15)")
    links.add_argument("--workers", type=int, default=8, metavar="N",
                       help="requests at a time, at most two per host (default: 8)")
    links.set_defaults(func=cmd_links)

    readme = sub.add_parser("readme", help="write the paper list into README.md",
                            description="Regenerate the list between the gradleak:readme markers "
                                        "of README.md from the library.")
    readme.add_argument("--check", action="store_true", help="exit 1 if the list is stale")
    readme.set_defaults(func=cmd_readme)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
