"""Citation records besides BibTeX: CSL-JSON (Zotero, pandoc) and RIS (EndNote, Mendeley,
Zotero). The formatted references (APA, IEEE) made from the CSL items are in references.py.

A build makes each paper's records once (``Records``) and every file that lists the paper
(its own, its group's, the library's) joins the same text."""

from __future__ import annotations

import json
import re
from functools import lru_cache, partial
from json.encoder import encode_basestring

from .latex import name_parts as _name_words
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
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def kind(paper: Paper) -> tuple[str, str]:
    """(CSL type, RIS type) of a paper."""
    if paper.entry_type in TYPES:
        return TYPES[paper.entry_type]
    return PREPRINT if paper.arxiv else GENERIC


def name_parts(name: str) -> dict[str, str]:
    """One BibTeX name as CSL name parts (family, given, particle, suffix), as plain text."""
    return dict(_csl_name(name))


@lru_cache(maxsize=65536)
def _csl_name(name: str) -> tuple[tuple[str, str], ...]:
    parts = _name_words(name)
    if parts is None:  # a malformed name is kept whole rather than lost
        return (("literal", to_text(name)),)
    out = {"family": to_text(" ".join(parts.last)), "given": to_text(" ".join(parts.first))}
    if parts.von:
        out["non-dropping-particle"] = to_text(" ".join(parts.von))
    if parts.jr:
        out["suffix"] = to_text(" ".join(parts.jr))
    return tuple((k, v) for k, v in out.items() if v)


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
    return Records().csl_json(papers)


def ris_record(paper: Paper, item: dict | None = None) -> list[tuple[str, str]]:
    """A paper as RIS (tag, value) pairs, from TY to ER (``item``: its CSL item)."""
    item = item if item is not None else csl_item(paper)
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
    """"Family, Given[, Suffix]", the particle kept with the family name ("van der Maaten,
    Laurens"): the form RIS asks for, and the one Zotero's connector reads from a page's
    citation_author without splitting a family name at its last space."""
    if "literal" in name:
        return name["literal"]
    family = " ".join(filter(None, [name.get("non-dropping-particle"), name.get("family")]))
    return ", ".join(filter(None, [family, name.get("given"), name.get("suffix")]))


def inverted_name(name: str) -> str:
    """One BibTeX name as "Family, Given[, Suffix]" (see _ris_name)."""
    return _ris_name(name_parts(name))


def ris(papers) -> str:
    """RIS records, one per paper; values on one line each (RIS has no continuation)."""
    return Records().ris(papers)


def _ris_text(pairs: list[tuple[str, str]]) -> str:
    lines = []
    for tag, value in pairs:
        value = _SPACE.sub(" ", value).strip()
        lines.append(f"{tag}  - {value}".rstrip() if tag == "ER" else f"{tag}  - {value}")
    return "\n".join(lines) + "\n"


_SPACE = re.compile(r"\s+")


def indented_json(value, newline: str = "\n") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` with each line break written as
    ``newline`` (a deeper start), the same text ~3x faster for what a CSL item holds
    (str, int, bool, None, lists, dicts with str keys); anything else goes to json."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + "  "
        if not all(type(k) is str for k in value):
            return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)
        return ("{" + inner + ("," + inner).join(
            encode_basestring(k) + ": " + indented_json(v, inner) for k, v in value.items())
            + newline + "}")
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = newline + "  "
        return ("[" + inner + ("," + inner).join(indented_json(v, inner) for v in value)
                + newline + "]")
    if value is None or isinstance(value, bool) or type(value) is int:
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)


class Records:
    """Each paper's CSL item, CSL-JSON text and RIS text, made when first asked for and
    then shared: by its own files, its group's, the library's and the formatted
    references. Keyed by paper key: one instance per catalog (build_site makes one)."""

    def __init__(self, store=None):
        self._items: dict[str, dict] = {}
        self._csl: dict[str, str] = {}
        self._ris: dict[str, str] = {}
        self._store = store  # serve.ServeStore: records of the last build, by content

    def _made(self, kind: str, paper: Paper, make):
        if self._store is None:
            return make()
        return self._store.reuse((kind, self._store.digest(paper)), make)

    def forget(self) -> None:
        """Drop every record made so far."""
        self._items.clear()
        self._csl.clear()
        self._ris.clear()

    def item(self, paper: Paper) -> dict:
        """The paper's CSL item (shared: do not modify)."""
        found = self._items.get(paper.key)
        if found is None:
            found = self._items[paper.key] = self._made("csl item", paper,
                                                        partial(csl_item, paper))
        return found

    def _csl_text(self, paper: Paper) -> str:
        return "  " + indented_json(self.item(paper), "\n  ")

    def _ris_text(self, paper: Paper) -> str:
        return _ris_text(ris_record(paper, self.item(paper)))

    def csl_json(self, papers) -> str:
        """An array of items, one per paper, as ``json.dumps(items, indent=2)`` writes it."""
        parts = []
        for paper in papers:
            text = self._csl.get(paper.key)
            if text is None:  # the item indented one level, as an element of the array
                text = self._csl[paper.key] = self._made("csl", paper,
                                                         partial(self._csl_text, paper))
            parts.append(text)
        return "[\n" + ",\n".join(parts) + "\n]\n" if parts else "[]\n"

    def ris(self, papers) -> str:
        """RIS records, one per paper, a blank line between them."""
        parts = []
        for paper in papers:
            text = self._ris.get(paper.key)
            if text is None:
                text = self._ris[paper.key] = self._made("ris", paper,
                                                         partial(self._ris_text, paper))
            parts.append(text)
        return "\n".join(parts)
