"""The BibTeX the site hands out, compiled by real LaTeX clients: 0 errors, 0 warnings.

The whole library's download and a selection as the list pages export it go through (a)
pdflatex + bibtex with plain.bst and IEEEtran.bst, (b) pdflatex + biblatex + biber and (c)
lualatex + biblatex + biber; each group's download through (a). Every file is parsed by
bibtexparser and pybtex. What a style cannot show, and why, is said where the exporter
writes it (``gradleak.export.portable``): plain.bst reads ``number`` of an @inproceedings
as a number in a series, so the AAAI issue number is written as ``issue``, which the
standard styles do not print.

Marked ``latex``; skipped only where the TeX binaries are missing (CI installs them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from gradleak.bib import parse, to_bibtex
from gradleak.catalog import load_catalog
from gradleak.export import clean_bibtex, downloads
from gradleak.portable import portable
from gradleak.urls import LIBRARY_NAME, download_uri
from pybtex import errors as pybtex_errors
from pybtex.database import parse_string as pybtex_parse

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(ROOT / "bib")
BIBTEX = clean_bibtex(CATALOG)
FILES = downloads(CATALOG, BIBTEX)


def _selection() -> str:
    """Every 7th paper and each one with LaTeX in a name or title, joined as the page does."""
    keys = {p.key for i, p in enumerate(CATALOG.papers) if i % 7 == 0 or "\\" in BIBTEX[p.key]}
    return "\n".join(BIBTEX[k] for k in sorted(keys))


SOURCES = {LIBRARY_NAME: FILES[download_uri(LIBRARY_NAME)],
           **{g.id: FILES[download_uri(g.id)] for g in CATALOG.taxonomy.groups},
           "selection": _selection()}

BIBTEX_DOC = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{url}
\begin{document}
\nocite{*}
\bibliographystyle{STYLE}
\bibliography{refs}
\end{document}
"""
BIBLATEX_DOC = r"""\documentclass{article}
FONTS
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\tracinglostchars=2
\nocite{*}
\printbibliography
\end{document}
"""
PDF_FONTS = "\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}"
CLIENTS = {
    "pdflatex+bibtex+plain": ("pdflatex", "bibtex", BIBTEX_DOC.replace("STYLE", "plain")),
    "pdflatex+bibtex+IEEEtran": ("pdflatex", "bibtex", BIBTEX_DOC.replace("STYLE", "IEEEtran")),
    "pdflatex+biblatex+biber": ("pdflatex", "biber", BIBLATEX_DOC.replace("FONTS", PDF_FONTS)),
    "lualatex+biblatex+biber": ("lualatex", "biber", BIBLATEX_DOC.replace("FONTS", "")),
}
# What a clean run may still print: TeX's font and box reports are not warnings.
_LATEX_PROBLEM = re.compile(r"^(!.*|.*Warning.*|Missing character.*)$", re.MULTILINE)
_BIBTEX_PROBLEM = re.compile(r"^(Warning--.*|.*error message.*|I was expecting.*)$", re.MULTILINE)
_BIBER_PROBLEM = re.compile(r"^.*\] (?:WARN|ERROR) - .*$", re.MULTILINE)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          errors="replace")


def compile_with(client: str, bibtex: str, folder: Path) -> list[str]:
    """Every error and warning of a full compile of ``bibtex`` cited with \\nocite{*}."""
    engine, backend, document = CLIENTS[client]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "refs.bib").write_text(bibtex, encoding="utf-8")
    (folder / "doc.tex").write_text(document, encoding="utf-8")
    latex = [engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    problems = []
    first = _run(latex, folder)
    if first.returncode:
        return [f"{engine} (first run) exit {first.returncode}",
                *_LATEX_PROBLEM.findall((folder / "doc.log").read_text(errors="replace"))]
    backend_run = _run([backend, "doc"], folder)
    log = (folder / "doc.blg").read_text(encoding="utf-8", errors="replace")
    found = (_BIBTEX_PROBLEM if backend == "bibtex" else _BIBER_PROBLEM).findall(log)
    problems += [f"{backend}: {line}" for line in found]
    if backend_run.returncode and not found:
        problems.append(f"{backend} exit {backend_run.returncode}: {backend_run.stdout[-500:]}")
    for _ in range(2):  # references resolve on the second run after the backend
        final = _run(latex, folder)
    log = (folder / "doc.log").read_text(encoding="utf-8", errors="replace")
    problems += [f"{engine}: {line}" for line in _LATEX_PROBLEM.findall(log)]
    if final.returncode:
        problems.append(f"{engine} exit {final.returncode}")
    return problems


def _have(*programs: str) -> bool:
    return all(shutil.which(p) for p in programs)


# The whole library and the selection go through every client. A group's file holds a part
# of the library's entries, written by the same exporter: it goes through the two bibtex
# styles (seconds), not again through biber (a minute of CPU for entries compiled above).
COMPILES = [(source, client) for source in SOURCES for client in CLIENTS
            if source in (LIBRARY_NAME, "selection") or "bibtex" in client]


@pytest.mark.latex
@pytest.mark.live
@pytest.mark.parametrize(("source", "client"), COMPILES)
def test_compiles_without_errors_or_warnings(source, client, tmp_path):
    engine, backend, _ = CLIENTS[client]
    if not _have(engine, backend):
        pytest.skip(f"{engine} or {backend} is not installed (Debian: see .ci/run)")
    bibtex = SOURCES[source]
    assert bibtex.count("@") >= 1
    assert compile_with(client, bibtex, tmp_path) == []
    # every entry of the file was typeset: \nocite{*} silently skips nothing
    keys = re.findall(r"^@\w+\{([^,]+),", bibtex, re.MULTILINE)
    aux = (tmp_path / ("doc.bbl")).read_text(encoding="utf-8", errors="replace")
    missing = [k for k in keys if k not in aux]
    assert missing == []


@pytest.mark.latex
@pytest.mark.parametrize("client", ["pdflatex+biblatex+biber", "pdflatex+bibtex+plain"])
def test_the_compile_check_catches_the_known_traps(client, tmp_path):
    """The check fails on what the library once held (so a pass means something)."""
    engine, backend, _ = CLIENTS[client]
    if not _have(engine, backend):
        pytest.skip(f"{engine} or {backend} is not installed (Debian: see .ci/run)")
    trap = ("@inproceedings{a2025x,\n  title = {T},\n  author = {Abadi, Mart{\\'\\i}n},\n"
            "  booktitle = {Proc. AAAI},\n  volume = {39},\n  number = {16},\n"
            "  year = {2025},\n}\n")
    problems = compile_with(client, trap, tmp_path)
    expected = "U+0301" if "biber" in client else "can't use both volume and number"
    assert any(expected in p for p in problems), problems
    # the exporter writes the same entry so that it compiles clean, losing no value
    entries, _ = parse(trap, "trap.bib")
    fixed = to_bibtex([portable(entries[0])])
    assert "{\\'i}" in fixed and "issue" in fixed and "{16}" in fixed
    assert compile_with(client, fixed, tmp_path / "fixed") == []


@pytest.mark.parametrize("source", list(SOURCES))
def test_bibtexparser_and_pybtex_read_every_entry(source):
    bibtex = SOURCES[source]
    keys = re.findall(r"^@\w+\{([^,]+),", bibtex, re.MULTILINE)
    library = bibtexparser.parse_string(bibtex)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == keys
    pybtex_errors.set_strict_mode(True)
    data = pybtex_parse(bibtex, "bibtex")
    assert list(data.entries) == keys
    for key, entry in data.entries.items():
        assert entry.persons.get("author"), key


@pytest.mark.latex
@pytest.mark.parametrize("client", list(CLIENTS))
def test_every_macro_check_accepts_compiles_and_an_unknown_one_does_not(client, tmp_path):
    """`check` accepts a LaTeX macro only if every client here typesets it without a warning:
    each text macro (braced, as titles protect them; accents on letters that have a
    precomposed form, as names use them) and each math macro between $...$, in a @misc
    title, which biblatex sets in italics."""
    from gradleak.latex import MATH_MACROS, TEXT_MACROS

    engine, backend, _ = CLIENTS[client]
    if not _have(engine, backend):
        pytest.skip(f"{engine} or {backend} is not installed (Debian: see .ci/run)")
    letters = {"H": "o", "c": "c", "u": "a", "v": "c", "k": "a", "r": "a"}
    title = " ".join([*(f"{{\\{m}{{{letters.get(m, 'x')}}}}}" for m in sorted(TEXT_MACROS)),
                      *(f"{{$\\{m}{{x}}{{y}}$}}" for m in sorted(MATH_MACROS))])
    entry = "@misc{m2020x,\n  title = {%s},\n  author = {Doe, Jane},\n  year = {2020},\n}\n"
    assert compile_with(client, entry % title, tmp_path / "accepted") == []
    problems = compile_with(client, entry % "A {\\foo{x}} Title", tmp_path / "unknown")
    assert any("Undefined control sequence" in p for p in problems), problems
