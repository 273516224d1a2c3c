"""Where a ``gradleak`` command runs and how it speaks: the library folder it works on,
progress on stderr, paths that do not exist."""

from __future__ import annotations

import sys
from pathlib import Path


def find_bib_dir(start: Path) -> Path:
    """The ``bib/`` folder of the site containing ``start`` (or ``start`` itself)."""
    for folder in (start, *start.parents):
        if (folder / "taxonomy.yml").is_file():
            return folder
        if (folder / "bib" / "taxonomy.yml").is_file():
            return folder / "bib"
    return start / "bib"


def say(message: str) -> None:
    """Progress and summaries go to stderr; results go to stdout."""
    print(message, file=sys.stderr)


def missing(command: str, paths: list[str]) -> bool:
    """Say so, and return True, when a path given on the command line does not exist."""
    missing = [p for p in paths if not Path(p).exists()]
    for p in missing:
        say(f"gradleak {command}: {p}: no such file or folder")
    return bool(missing)


def bib_dir_of(paths: list[str]) -> tuple[Path, set[Path] | None]:
    """The library folder, and the files to report on (None: all)."""
    if not paths:
        return find_bib_dir(Path.cwd()), None
    resolved = [Path(p).resolve() for p in paths]
    files = {p for p in resolved if p.is_file()}
    folder = (next((p for p in resolved if p.is_dir()), None)
              or find_bib_dir(next(iter(files)).parent))
    return find_bib_dir(folder), files or None


def outside_site(command: str, bib_dir: Path, *, takes_paths: bool = False) -> bool:
    """Say so, and return True, when ``bib_dir`` is no site's library (no taxonomy.yml):
    a command run in the wrong folder must fail, not pass having looked at nothing."""
    if (bib_dir / "taxonomy.yml").is_file():
        return False
    say(f"gradleak {command}: no bib/taxonomy.yml in {bib_dir.parent} or above: run it in the "
        "site's folder" + (", or give its bib/ folder" if takes_paths else ""))
    return True
