"""Checks on entries and across the library. Each returns diagnostics; none raises."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from .latex import to_text
from .model import SITE_FIELDS, Diagnostic, Group, Paper, RawEntry, Taxonomy

REQUIRED = ("title", "author", "year")
REQUIRED_BY_TYPE = {
    "article": ("journal",),
    "inproceedings": ("booktitle",),
    "incollection": ("booktitle",),
    "phdthesis": ("school",),
    "mastersthesis": ("school",),
    "techreport": ("institution",),
}
KNOWN_TYPES = {"article", "inproceedings", "incollection", "misc", "phdthesis",
               "mastersthesis", "techreport", "book", "unpublished", "online"}
STANDARD_FIELDS = {
    "address", "archiveprefix", "author", "booktitle", "chapter", "doi", "edition", "editor",
    "eprint", "eprintclass", "eprinttype", "howpublished", "institution", "isbn", "issn",
    "journal", "month", "note", "number", "organization", "pages", "primaryclass",
    "publisher", "school", "series", "title", "type", "url", "urldate", "volume", "year",
}
YEAR_RE = re.compile(r"^\d{4}$")
ADDED_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
ARXIV_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})$")
UNESCAPED_AMP = re.compile(r"(?<!\\)&")
URL_RE = re.compile(r"^https?://[^\s<>\"']+$")


def split_list(value: str | None) -> tuple[str, ...]:
    """A comma-separated field (keywords, relations) as a tuple of trimmed items."""
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


def check_entry(raw: RawEntry, group: Group, taxonomy: Taxonomy) -> list[Diagnostic]:
    """Problems of one entry on its own: fields, formats and tags."""
    problems = []

    def err(field: str | None, message: str):
        line = raw.line_of(field) if field else raw.line
        problems.append(Diagnostic(raw.file, line, raw.key, message))

    if raw.entry_type not in KNOWN_TYPES:
        err(None, f"unknown entry type @{raw.entry_type}")
    for name in REQUIRED + REQUIRED_BY_TYPE.get(raw.entry_type, ()):
        value = raw.get(name)
        if value is None or not value.strip():
            err(name if value is not None else None,
                f"missing required field '{name}' for @{raw.entry_type}")
    for f in raw.fields:
        if f.name not in STANDARD_FIELDS and f.name not in SITE_FIELDS:
            hint = " (abstracts are not kept in the library)" if f.name == "abstract" else ""
            err(f.name, f"unknown field '{f.name}'{hint}")

    for f in raw.fields:
        if (f.name not in SITE_FIELDS and f.name not in ("url", "doi")
                and UNESCAPED_AMP.search(f.value)):
            err(f.name, f"unescaped '&' in '{f.name}': write \\& (LaTeX stops on a bare &)")
    year = raw.get("year")
    if year is not None and year.strip() and not YEAR_RE.match(year.strip()):
        err("year", f"malformed year {year!r}: expected four digits")
    added = raw.get("added")
    if added is not None and not ADDED_RE.match(added.strip()):
        err("added", f"malformed added {added!r}: expected YYYY-MM")
    for name in ("url", "code"):
        value = raw.get(name)
        if value is not None and not URL_RE.match(value.strip()):
            err(name, f"malformed {name} {value!r}: expected an http(s) URL")
    doi = raw.get("doi")
    if doi is not None and not DOI_RE.match(doi.strip()):
        err("doi", f"malformed doi {doi!r}: expected a bare DOI such as 10.1234/abc")
    eprint = raw.get("eprint")
    if eprint is not None and not ARXIV_RE.match(eprint.strip()):
        err("eprint", f"malformed arXiv id {eprint!r}: expected e.g. 2003.14053")
    for name in ("tldr", "milestone"):
        value = raw.get(name)
        if value is not None and not value.strip():
            err(name, f"empty {name}")

    categories = taxonomy.categories
    facets = taxonomy.facet_values
    own = {c.id for c in group.walk()}
    tags = split_list(raw.get("keywords"))
    for tag in tags:
        if tag in categories and tag not in own:
            err("keywords", f"category '{tag}' belongs to group "
                            f"'{categories[tag].group}', not to '{group.id}'")
        elif tag not in categories and tag not in facets:
            err("keywords", f"unknown tag '{tag}': not in the taxonomy")
    if not any(t in own for t in tags):
        err("keywords" if tags else None,
            f"no category: 'keywords' must name one of {group.id}'s categories first")
    elif tags[0] not in own:
        err("keywords", f"the first tag '{tags[0]}' must be a category of '{group.id}'")
    return sorted(problems, key=lambda d: d.line or 0)


def normalized_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", to_text(title)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def check_library(papers: list[Paper]) -> list[Diagnostic]:
    """Problems across entries: duplicate keys, the same paper twice, dangling relations."""
    problems = []
    first: dict[str, Paper] = {}
    for paper in papers:
        if paper.key in first:
            other = first[paper.key]
            problems.append(Diagnostic(paper.raw.file, paper.raw.line, paper.key,
                                       f"duplicate key: also at {other.raw.file}:{other.raw.line}"))
        else:
            first[paper.key] = paper
    for label, ident in (("DOI", lambda p: (p.doi or "").lower()),
                         ("arXiv id", lambda p: p.arxiv or ""),
                         ("title", lambda p: normalized_title(p.raw.get("title") or ""))):
        seen: dict[str, list[Paper]] = defaultdict(list)
        for paper in papers:
            value = ident(paper)
            if value:
                seen[value].append(paper)
        for same in seen.values():
            for paper in same[1:]:
                problems.append(Diagnostic(
                    paper.raw.file, paper.raw.line, paper.key,
                    f"the same paper as '{same[0].key}' "
                    f"({same[0].raw.file}:{same[0].raw.line}): same {label}"))
    for paper in papers:
        for field, targets in (("evaluates", paper.evaluates), ("breaks", paper.breaks)):
            for target in targets:
                if target not in first:
                    problems.append(Diagnostic(paper.raw.file, paper.raw.line_of(field), paper.key,
                                               f"'{field}' names '{target}', which is not "
                                               "in the library"))
                elif target == paper.key:
                    problems.append(Diagnostic(paper.raw.file, paper.raw.line_of(field), paper.key,
                                               f"'{field}' names the entry itself"))
    return problems
