"""Load the whole library: taxonomy + .bib files -> Catalog with every problem found."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import bib
from .interpret import interpret
from .ledger import LEDGER_FILE, check_ledger, parse_ledger
from .model import Catalog, Diagnostic, Group, Paper, Taxonomy
from .taxonomy import parse_taxonomy
from .timing import phase
from .validate import check_library

TAXONOMY_FILE = "taxonomy.yml"


def read_text(path: Path, label: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text as UTF-8 with '\n' line ends (a CRLF file must not put '\r' into
    values and downloads), or a diagnostic naming the line of the first bad byte."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8").replace("\r\n", "\n"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Diagnostic(label, line, None, f"not valid UTF-8 (byte {exc.start})")]


@lru_cache(maxsize=32)
def load_group(text: str, label: str, group: Group, taxonomy: Taxonomy):
    """Parse and check one group's .bib text. Cached by content: a `mkdocs serve` reload
    re-reads only the files that changed."""
    with phase("parse"):
        entries, problems = bib.parse(text, label)
    papers = []
    own = frozenset(c.id for c in group.walk())
    with phase("decode"):  # interpret = validate + decode, one pass per field
        for raw in entries:
            paper, entry_problems = interpret(raw, group, taxonomy, own)
            papers.append(paper)
            problems += entry_problems
    return tuple(papers), tuple(problems)


def load_catalog(bib_dir: Path | str) -> Catalog:
    """Read ``bib_dir``: the taxonomy and each group's file. Never raises on bad content.

    Diagnostics name files relative to the parent of ``bib_dir`` (e.g. ``bib/attacks.bib``).
    """
    bib_dir = Path(bib_dir)
    base = bib_dir.parent

    def label(path: Path) -> str:
        return path.relative_to(base).as_posix()

    tax_path = bib_dir / TAXONOMY_FILE
    if not tax_path.is_file():
        empty = Taxonomy((), ())
        missing = Diagnostic(label(tax_path), None, None, "taxonomy file not found")
        return Catalog(empty, (), (missing,))
    text, problems = read_text(tax_path, label(tax_path))
    taxonomy, tax_problems = (parse_taxonomy(text, label(tax_path)) if text is not None
                              else (None, []))
    problems += tax_problems
    if taxonomy is None:
        return Catalog(Taxonomy((), ()), (), tuple(problems))

    papers: list[Paper] = []
    known = set()
    unread: set[str] = set()  # keys of entries that could not be read: reported once, there
    for group in taxonomy.groups:
        path = bib_dir / group.file
        known.add(path.name)
        if not path.is_file():
            problems.append(Diagnostic(label(path), None, None,
                                       f"file of group '{group.id}' not found"))
            continue
        text, read_problems = read_text(path, label(path))
        problems += read_problems
        if text is None:
            unread |= bib.keys_in(path.read_bytes().decode("utf-8", "replace"))
        else:
            group_papers, group_problems = load_group(text, label(path), group, taxonomy)
            papers += group_papers
            problems += group_problems
            unread |= {d.key for d in group_problems if d.key} - {p.key for p in group_papers}
    for path in sorted(bib_dir.glob("*.bib")):
        if path.name not in known:
            problems.append(Diagnostic(label(path), None, None,
                                       "not the file of any group in the taxonomy: its entries "
                                       "would not be shown"))
    with phase("validate"):
        problems += check_library(papers, unread)
    papers = unique_papers(papers)  # a repeated key is reported above and shown once
    ledger: list = []
    ledger_path = bib_dir / LEDGER_FILE
    if ledger_path.is_file():
        text, read_problems = read_text(ledger_path, label(ledger_path))
        problems += read_problems
        if text is not None:
            ledger, ledger_problems = parse_ledger(text, label(ledger_path))
            problems += ledger_problems
            problems += check_ledger(ledger, papers, label(ledger_path), unread)
    return Catalog(taxonomy, tuple(papers), tuple(sorted(set(problems), key=_order)),
                   tuple(ledger))


def unbuildable(catalog: Catalog) -> str | None:
    """Why no site can be made from ``catalog`` (its taxonomy, which names every group page,
    could not be read), or None. Every other problem is reported and the pages still made;
    without the taxonomy, each page and link that names a group would be reported again."""
    if catalog.taxonomy.groups:
        return None
    files = sorted({d.file for d in catalog.diagnostics if d.file.endswith(TAXONOMY_FILE)})
    name = files[0] if files else TAXONOMY_FILE
    return (f"nothing was built: the site's pages come from {name}, which could not be read "
            "(the error above)")


def unique_papers(papers) -> list[Paper]:
    """The papers, keeping the first of any repeated key (a repeat is reported, not shown)."""
    seen, out = set(), []
    for paper in papers:
        if paper.key not in seen:
            seen.add(paper.key)
            out.append(paper)
    return out


def _order(d: Diagnostic):
    return (d.file, d.line or 0, d.key or "", d.message)
