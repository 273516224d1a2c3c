"""Build work done once: each paper's export records made once per build, each name parsed
once, and formatted references taken from a cache that is correct (a change formats
again) and bounded, and from a faster citeproc-py that prints the same."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest
from conftest import SITE_BIB
from gradleak import bib, citations, latex, references
from gradleak.catalog import load_catalog
from gradleak.citations import Records, csl_item, csl_json, ris
from gradleak.refcache import ReferenceCache
from gradleak.site import build_site

CATALOG = load_catalog(SITE_BIB)


@pytest.fixture
def memory_cache():
    cache = ReferenceCache(None)
    references.use_cache(cache)
    yield cache
    references.use_cache(None)


def test_a_build_makes_each_papers_records_once(monkeypatch, memory_cache, tmp_path):
    made = {"csl": [], "ris": []}

    def counted(name, function):
        def wrapper(paper, *args):
            made[name].append(paper.key)
            return function(paper, *args)
        return wrapper

    monkeypatch.setattr(citations, "csl_item", counted("csl", citations.csl_item))
    monkeypatch.setattr(citations, "ris_record", counted("ris", citations.ris_record))
    site = build_site(SITE_BIB)
    assert site.downloads.write(tmp_path) == len(site.downloads)
    keys = sorted(p.key for p in site.catalog.papers)
    # used by the paper's own files, its group's, the library's and both styles
    assert sorted(made["csl"]) == keys
    assert sorted(made["ris"]) == keys
    for name in ("gradleak.ris", "gradleak.csl.json", f"papers/{keys[0]}.ris"):
        assert (tmp_path / "downloads" / name).read_text(encoding="utf-8") == \
            site.downloads[f"downloads/{name}"]


@pytest.mark.parametrize("value", [
    {}, [], "", "Dröge \"quoted\" \\ back\nline\t\u2028 ✓ 𝔸", 0, -3, 10**20, True, False, None,
    1.5, float("nan"), {"a": [], "b": {}, "c": [[1, [2, {}]], {"d": None}]},
    {"author": [{"family": "Müller", "given": "Anna"}], "issued": {"date-parts": [[2023]]}},
    {1: "int key", "x": (1, 2)}, [1.0, {"y": 2.5e-7}], ("tuple", ["in", "list"]),
])
def test_indented_json_is_what_json_writes(value):
    expected = json.dumps(value, ensure_ascii=False, indent=2)
    assert citations.indented_json(value) == expected
    assert citations.indented_json(value, "\n  ") == expected.replace("\n", "\n  ")


def test_joined_records_read_as_written_one_by_one():
    papers = CATALOG.papers
    records = Records()
    whole = records.csl_json(papers)
    assert whole == json.dumps([csl_item(p) for p in papers], ensure_ascii=False, indent=2) + "\n"
    assert records.csl_json([]) == "[]\n" == json.dumps([], indent=2) + "\n"
    assert records.ris(papers) == "\n".join(ris([p]) for p in papers)
    assert records.ris(papers[:1]) == ris(papers[:1]) and csl_json(papers[:1]).startswith("[\n  {")


def test_each_name_is_parsed_once(monkeypatch):
    calls = []
    original = latex.parse_single_name_into_parts

    def counted(name, **kwargs):
        calls.append(name)
        return original(name, **kwargs)

    latex.name_parts.cache_clear()
    monkeypatch.setattr(latex, "parse_single_name_into_parts", counted)
    Records().ris(CATALOG.papers)
    for paper in CATALOG.papers:
        latex.display_name.cache_clear()  # the card's reading-order names parse no more
        [latex.display_name(n) for n in latex.split_names(paper.raw.get("author") or "")]
    assert calls and len(calls) == len(set(calls))
    latex.name_parts.cache_clear()


def test_quick_citeproc_prints_what_citeproc_prints():
    items = [references._style_input(csl_item(p), style)
             for p in CATALOG.papers for style in references.STYLES]
    styles = [style for _ in CATALOG.papers for style in references.STYLES]
    plain = [references._format(i, s) for i, s in zip(items, styles, strict=True)]
    with references._quick():
        quick = [references._format(i, s) for i, s in zip(items, styles, strict=True)]
    assert quick == plain
    from citeproc import model
    assert "kept" not in model.CitationStylesElement.xpath_search.__name__  # undone


def _counting(monkeypatch):
    formatted = []
    original = references._format

    def counted(item, style):
        formatted.append(item["id"])
        return original(item, style)

    monkeypatch.setattr(references, "_format", counted)
    return formatted


def test_the_cache_formats_only_what_changed_and_survives_the_process(tmp_path, monkeypatch):
    formatted = _counting(monkeypatch)
    paper = CATALOG.papers[0]
    path = tmp_path / "refs.sqlite"
    references.use_cache(ReferenceCache(path, "code v1"))
    try:
        first = references.format_references([paper], "apa")
        assert formatted == [paper.key]
        references.use_cache(ReferenceCache(path, "code v1"))  # a new process: from the file
        assert references.format_references([paper], "apa") == first
        assert formatted == [paper.key]
        changed = replace(paper, title="A Different Title")  # the content changed
        assert "A Different Title" in references.format_references([changed], "apa")[paper.key]
        assert len(formatted) == 2
        references.use_cache(ReferenceCache(path, "code v2"))  # the formatting code changed
        assert references.format_references([paper], "apa") == first
        assert len(formatted) == 3
    finally:
        references.use_cache(None)


def test_the_cache_is_bounded_least_recently_used_first(tmp_path, monkeypatch):
    formatted = _counting(monkeypatch)
    path = tmp_path / "refs.sqlite"
    papers = CATALOG.papers[:5]
    references.use_cache(ReferenceCache(path, "code", limit=3))
    try:
        for paper in papers:
            references.format_references([paper], "ieee")
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM refs").fetchone()[0] == 3
        references.use_cache(ReferenceCache(path, "code", limit=3))
        formatted.clear()
        references.format_references(papers[-3:], "ieee")  # the three used last: kept
        assert formatted == []
        references.format_references(papers[:1], "ieee")  # the oldest: dropped
        assert formatted == [papers[0].key]
    finally:
        references.use_cache(None)


def test_an_unusable_cache_file_leaves_the_cache_in_memory(tmp_path, memory_cache):
    folder = tmp_path / "not-a-file.sqlite"
    folder.mkdir()  # SQLite cannot open a folder
    cache = ReferenceCache(folder, "code")
    references.use_cache(cache)
    paper = CATALOG.papers[0]
    assert references.format_references([paper], "apa")[paper.key]
    assert cache.path is None and cache.memory


def _writer_reference(entries, drop) -> str:
    """What bibtexparser's own writer makes of ``entries`` (bib.to_bibtex joins it itself)."""
    import bibtexparser
    from bibtexparser.library import Library
    from bibtexparser.model import Entry, Field
    from bibtexparser.writer import BibtexFormat

    fmt = BibtexFormat()
    fmt.indent, fmt.value_column, fmt.block_separator, fmt.trailing_comma = "  ", 16, "\n", True
    blocks = [Entry(e.entry_type, e.key, [Field(f.name, bib._enclose(f)) for f in e.fields
                                          if f.name not in drop]) for e in entries]
    return bibtexparser.write_string(Library(blocks), unparse_stack=[], bibtex_format=fmt)


def test_bibtex_is_written_as_bibtexparser_writes_it():
    from conftest import FIXTURES

    entries = [p.raw for folder in ("full", "mini") for p in load_catalog(FIXTURES / folder / "bib").papers]
    odd, _ = bib.parse('@misc{k1,\n  a = {x},\n  thirteenchars = "q",\n  fourteen_chars = 12,\n'
                       '  howpublished = {\\url{https://x.org}},\n}\n', "odd.bib")
    entries += odd
    for drop in (bib.SITE_FIELDS, ()):
        assert bib.to_bibtex(entries, drop=drop) == _writer_reference(entries, drop)
        assert bib.to_bibtex(entries[:1], drop=drop) == _writer_reference(entries[:1], drop)
    assert bib.to_bibtex([]) == ""
    with pytest.raises(ValueError):
        bib.to_bibtex([entries[0], entries[0]])


@pytest.mark.parametrize("text", ["Müller, A. & Dröge, H.", "Østergaard, S.", "ﬁnal Ǆ",
                                  "Ångström \u0301e\u20dd", "𝔸 Chen, 陈", "plain ascii"])
def test_sort_text_folds_accents_and_case_as_nfkd_without_combining_marks(text):
    import unicodedata

    from gradleak.reflists import sort_text

    decomposed = unicodedata.normalize("NFKD", text)
    expected = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    assert sort_text(text) == expected
