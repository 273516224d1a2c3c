"""RIS and CSL-JSON read back by real parsers (rispy, citeproc-py) with every field intact;
APA and IEEE references checked by hand for five entry types; the site's Cite section."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import rispy
from bs4 import BeautifulSoup
from citeproc.source.json import CiteProcJSON
from conftest import SITE_BIB
from gradleak import bib, references
from gradleak.catalog import load_catalog
from gradleak.citations import csl_item, csl_json, name_parts, ris, ris_record
from gradleak.export import downloads
from gradleak.interpret import interpret
from gradleak.latex import split_names
from gradleak.refcache import ReferenceCache
from gradleak.references import format_references
from gradleak.reflists import plain_text

CATALOG = load_catalog(SITE_BIB)  # the fixture library: every entry type, LaTeX names
HERE = Path(__file__).resolve().parent / "citations"


def five_types():
    raws, problems = bib.parse((HERE / "five_types.bib").read_text(encoding="utf-8"), "five.bib")
    assert problems == []
    group = CATALOG.taxonomy.groups[0]
    return {r.key: interpret(r, group, CATALOG.taxonomy)[0] for r in raws}


FIVE = five_types()


@pytest.fixture(autouse=True)
def no_cached_references():
    """Format afresh: the cache file must not hide a change of the formatting code."""
    references.use_cache(ReferenceCache(None))  # in memory, empty
    yield
    references.use_cache(None)
PAPERS = [*CATALOG.papers, *FIVE.values()]

# Checked by hand against the APA Publication Manual (7th ed., ch. 10) and the IEEE
# Reference Guide. Known, accepted differences: titles keep the library's capitalization
# (CSL does not sentence-case), IEEE keeps journal names unabbreviated.
EXPECTED = {
    "apa": {
        "doe2023gradient": "Doe, J., &amp; van der Berg, J. P. (2023). Gradient Inversion in Practice. <i>Journal of Examples</i>, <i>12</i>(3), 45–67. https://doi.org/10.1234/jex.2023.45",
        "roe2021leaky": "Roe, R., Poe, E. A., &amp; Smith, A. (2021). Leaky Gradients. <i>Proceedings of the Example Conference on Learning</i>, 1–10. https://example.org/leaky",
        "doe2024preprint": "Doe, J. (2024). <i>A Preprint on Leakage</i> (arXiv:2401.00001). arXiv. https://arxiv.org/abs/2401.00001",
        "smith2022privacy": "Smith, A. (2022). <i>Privacy of Shared Gradients</i> [Doctoral dissertation, University of Examples]. https://example.org/thesis",
        "lee2020auditing": "Lee, K. (2020). <i>Auditing Gradient Leakage</i> (Technical Report TR-2020-7). Example Institute.",
    },
    "ieee": {
        "doe2023gradient": "J. Doe and J. P. van der Berg, “Gradient Inversion in Practice,” <i>Journal of Examples</i>, vol. 12, no. 3, pp. 45–67, 2023, doi: 10.1234/jex.2023.45.",
        "roe2021leaky": "R. Roe, E. A. Poe, and A. Smith, “Leaky Gradients,” in <i>Proceedings of the Example Conference on Learning</i>, Example Press, 2021, pp. 1–10. [Online]. Available: https://example.org/leaky",
        "doe2024preprint": "J. Doe, “A Preprint on Leakage,” 2024, arXiv:2401.00001. [Online]. Available: https://arxiv.org/abs/2401.00001",
        "smith2022privacy": "A. Smith, “Privacy of Shared Gradients,” Ph.D. dissertation, University of Examples, 2022. [Online]. Available: https://example.org/thesis",
        "lee2020auditing": "K. Lee, “Auditing Gradient Leakage,” Example Institute, Tech. Rep. TR-2020-7, 2020.",
    },
}


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_formatted_references_for_five_entry_types(style):
    assert {p.entry_type for p in FIVE.values()} == {
        "article", "inproceedings", "misc", "phdthesis", "techreport"}
    assert format_references(FIVE.values(), style) == EXPECTED[style]


def test_formatted_references_are_safe_html():
    paper = replace(FIVE["doe2023gradient"], title='<script>alert(1)</script> & "x" <i>y</i>')
    for style in EXPECTED:
        out = format_references([paper], style)[paper.key]
        soup = BeautifulSoup(out, "html.parser")
        assert {t.name for t in soup.find_all(True)} <= {"i", "b"}
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in out
        assert '<script>alert(1)</script> & "x" <i>y</i>' in plain_text(out)


def _names(field: str | None) -> list[dict]:
    return [name_parts(n) for n in split_names(field or "")]


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.key)
def test_ris_reads_back_with_every_field(paper):
    records = rispy.loads(ris([paper]))
    assert len(records) == 1
    got = records[0]
    written = ris_record(paper)
    # every tag written comes back under rispy's name for it, with the same value
    mapping = rispy.TAG_KEY_MAPPING
    lists = set(rispy.LIST_TYPE_TAGS)
    for tag in {t for t, _ in written} - {"ER"}:
        values = [v for t, v in written if t == tag]
        assert got[mapping[tag]] == (values if tag in lists else values[0]), tag
    # and the values are the library's
    assert got["id"] == paper.key and got["title"] == paper.title
    assert len(got.get("authors", [])) == len(split_names(paper.raw.get("author") or ""))
    assert got.get("year") == (str(paper.year) if paper.year else None)
    assert got.get("doi") == paper.doi
    assert got.get("urls", [None])[0] == paper.link
    if paper.pages:
        first = paper.pages.replace("--", "-").split("-")[0].strip()
        assert got["start_page"] == first


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.key)
def test_csl_json_reads_back_with_every_field(paper):
    item = csl_item(paper)
    source = CiteProcJSON(json.loads(csl_json([paper])))
    ref = source[paper.key.lower()]
    for variable, value in item.items():
        if variable == "id":
            assert ref["key"] == paper.key.lower()  # citeproc-py lowercases ids
        elif variable == "type":
            assert ref["type"] == value
        elif variable in ("author", "editor"):
            assert [dict(n) for n in ref[variable]] == value
        elif variable == "issued":
            parts = value["date-parts"][0]
            assert ref["issued"]["year"] == parts[0]
            assert ref["issued"].get("month") == (parts[1] if len(parts) > 1 else None)
        else:
            assert ref[variable.replace("-", "_")] == [value] or ref[variable] == [value], variable
    # and the values are the library's
    assert item["title"] == paper.title
    assert item.get("author", []) == _names(paper.raw.get("author"))
    assert item.get("DOI") == paper.doi and item.get("URL") == paper.link


def test_downloads_hold_ris_and_csl_json_for_every_set():
    files = downloads(CATALOG, {p.key: p.bibtex for p in CATALOG.papers})
    whole = json.loads(files["downloads/gradleak.csl.json"])
    assert [i["id"] for i in whole] == [p.key for p in CATALOG.papers]
    for group in CATALOG.taxonomy.groups:
        keys = [p.key for p in CATALOG.papers if p.group == group.id]
        assert [r["id"] for r in rispy.loads(files[f"downloads/{group.id}.ris"])] == keys
        assert [i["id"] for i in json.loads(files[f"downloads/{group.id}.csl.json"])] == keys
    for paper in CATALOG.papers[:5]:
        assert rispy.loads(files[f"downloads/papers/{paper.key}.ris"])[0]["id"] == paper.key
        assert json.loads(files[f"downloads/papers/{paper.key}.csl.json"])[0]["id"] == paper.key


def test_paper_page_has_a_cite_section(fixture_build):
    real_build = fixture_build  # the fixture library with the real configuration
    assert real_build.returncode == 0, real_build.log
    paper = next(p for p in CATALOG.papers if p.doi)
    page = real_build.site / "paper" / paper.key / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    section = soup.select_one("section.gl-cite")
    for style in EXPECTED:
        text = section.select_one(f"#cite-{style}-text")
        assert text.decode_contents() == format_references([paper], style)[paper.key]
        button = section.select_one(f"button[data-copy='cite-{style}-text']")
        assert button is not None and button.has_attr("hidden")  # shown by the script
    links = {a.get_text(): a["href"] for a in section.select(".gl-cite__files a")}
    for label, ext in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "csl.json")):
        target = (page.parent / links[label]).resolve()
        assert target == (real_build.site / "downloads/papers" / f"{paper.key}.{ext}").resolve()
        assert target.is_file()


def test_reference_lists_of_the_library_and_each_group():
    from gradleak.export import reference_downloads

    references = {s: format_references(FIVE.values(), s) for s in EXPECTED}
    catalog = replace(CATALOG, papers=tuple(FIVE.values()))
    files = reference_downloads(catalog, references)
    apa = files["downloads/gradleak.apa.txt"].split("\n\n")
    # alphabetical by first author; a one-author work before others with the same first
    # author ("nothing precedes something", APA 9.44)
    assert [line.split(" (")[0] for line in apa] == [
        "Doe, J.", "Doe, J., & van der Berg, J. P.", "Lee, K.", "Roe, R., Poe, E. A., & Smith, A.", "Smith, A."]
    assert apa[1] == plain_text(EXPECTED["apa"]["doe2023gradient"])
    ieee = files["downloads/gradleak.ieee.txt"].rstrip("\n").split("\n\n")
    # numbered in the APA list's order (a library has no citation order)
    keys = [next(k for k in FIVE if plain_text(EXPECTED["apa"][k]) == line.strip()) for line in apa]
    assert ieee == [f"[{n}] {plain_text(EXPECTED['ieee'][k])}" for n, k in enumerate(keys, 1)]
    assert keys != list(FIVE)  # the files' order differs: the test tells the two apart
    table = json.loads(files["downloads/references.json"])
    # as HTML: the list pages copy a selection's references with their italics
    assert table["lee2020auditing"] == {s: EXPECTED[s]["lee2020auditing"] for s in EXPECTED}
    assert "downloads/surveys.apa.txt" in files or "downloads/attacks.apa.txt" in files


def test_a_title_ending_in_a_question_mark_takes_no_second_mark():
    paper = replace(FIVE["roe2021leaky"], title="Is It Leaky?")
    paper_i = replace(FIVE["doe2024preprint"], title="Is It Leaky?")
    assert "Is It Leaky? <i>Proceedings" in format_references([paper], "apa")[paper.key]
    assert "<i>Is It Leaky?</i> (arXiv:" in format_references([paper_i], "apa")[paper_i.key]
    assert "“Is It Leaky?” in <i>Proceedings" in format_references([paper], "ieee")[paper.key]


def test_apa_lists_tell_apart_works_of_the_same_authors_and_year():
    """APA 9.47: works by the same authors in the same year take "a", "b", ... after the
    year, in the order of their titles. The library's list printed two references
    "Carletti, ... (2025)." (and four more such pairs) that no in-text citation could
    tell apart."""
    from gradleak.reflists import reference_list

    doe = FIVE["doe2023gradient"]
    twin = replace(doe, raw=replace(doe.raw, key="doe2023another"), title="Another Study of Leakage")
    papers = [*FIVE.values(), twin]
    apa = format_references(papers, "apa")
    text = reference_list(papers, apa, "apa").split("\n\n")
    same = [t for t in text if t.startswith("Doe, J., & van der Berg, J. P. (")]
    assert [t.split(". ")[2] for t in same] == ["(2023a)", "(2023b)"]
    assert "Another Study" in same[0] and "Gradient Inversion" in same[1]
    assert "(2024)." in next(t for t in text if t.startswith("Doe, J. (2024"))  # alone: no letter
    # one paper alone (its page) keeps the plain year
    assert "(2023)." in plain_text(apa["doe2023another"])
