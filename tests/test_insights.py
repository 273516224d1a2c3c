"""The insights pages, the paper pages, the feed and the data exports of the site built
from the fixture library tests/fixtures/full (the real configuration and pages), checked
against numbers computed here, independently, from that library."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from bs4 import BeautifulSoup
from conftest import SITE_BIB
from gradleak.catalog import load_catalog
from gradleak.citations import name_parts
from gradleak.insights import ancestors
from gradleak.latex import split_names
from gradleak.reflists import plain_text

CATALOG = load_catalog(SITE_BIB)
PAPERS = list(CATALOG.papers)
BY_KEY = {p.key: p for p in PAPERS}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(fixture_build) -> Path:
    assert fixture_build.returncode == 0, fixture_build.log
    return fixture_build.site


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def table(doc: BeautifulSoup, table_id: str) -> list[list[str]]:
    rows = doc.find(id=table_id).find("tbody").find_all("tr")
    return [[c.get_text(strip=True) for c in row.find_all(["th", "td"])] for row in rows]


def parent_chain(cid: str) -> list[str]:
    parents = {ch.id: c.id for g in CATALOG.taxonomy.groups for c in g.walk() for ch in c.children}
    chain = []
    while cid:
        chain.append(cid)
        cid = parents.get(cid)
    return chain


def test_papers_per_year_table(site):
    doc = soup(site, "stats")
    counts = Counter((p.year, p.group) for p in PAPERS)
    years = sorted({p.year for p in PAPERS})
    expected = [[str(y)] + [str(counts[(y, g.id)]) for g in CATALOG.taxonomy.groups]
                + [str(sum(counts[(y, g.id)] for g in CATALOG.taxonomy.groups))]
                for y in range(years[0], years[-1] + 1)]
    assert table(doc, "table-years") == expected


def test_papers_per_category_and_venue_and_code_tables(site):
    doc = soup(site, "stats")
    below = Counter(c for p in PAPERS for c in parent_chain(p.categories[0]))
    rows = table(doc, "table-categories")
    expected = [str(below[c.id]) for g in CATALOG.taxonomy.groups for c in g.walk()]
    assert [r[2] for r in rows] == expected
    venues = Counter(p.venue for p in PAPERS if p.venue)  # a paper without one is no venue
    shown = {r[0]: int(r[1]) for r in table(doc, "table-venues")}
    assert all(venues[v] == n for v, n in shown.items())
    assert len(shown) == min(15, len(venues))
    assert min(shown.values()) >= max((n for v, n in venues.items() if v not in shown), default=0)
    for g, row in zip(CATALOG.taxonomy.groups, table(doc, "table-code"), strict=True):
        mine = [p for p in PAPERS if p.group == g.id]
        assert row[1:3] == [str(sum(1 for p in mine if p.code)), str(len(mine))]


def test_modality_by_category_table(site):
    doc = soup(site, "stats")
    modality = next(f for f in CATALOG.taxonomy.facets if f.id == "modality")
    rows = table(doc, "table-modality")
    tops = [c for g in CATALOG.taxonomy.groups for c in g.categories]
    for top, row in zip(tops, rows, strict=True):
        inside = [p for p in PAPERS if top.id in parent_chain(p.categories[0])]
        assert row[1:] == [str(sum(1 for p in inside if v.id in p.facets)) for v in modality.values]


@pytest.mark.parametrize("page", ["stats", "timeline", "matrix", "new", "attacks"])
def test_every_svg_is_well_formed_and_titled(site, page):
    svgs = soup(site, page).find_all("svg", class_="gl-chart")
    for svg in svgs:
        root = ET.fromstring(str(svg))
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text.strip()
        assert svg["role"] == "img" and svg["aria-labelledby"]
    if page == "stats":
        assert len(svgs) == 3


def test_timeline_has_the_first_paper_of_every_category(site):
    keys = {li["data-key"] for li in soup(site, "timeline").select("ul.gl-timeline li")}
    chains = ancestors(CATALOG)  # a category's papers include its sub-categories'
    for category in CATALOG.taxonomy.categories:
        inside = [p for p in PAPERS if any(category in chains[c] for c in p.categories)]
        if inside:
            first = min(p.year for p in inside)
            assert {p.key for p in inside if p.year == first} <= keys, category
    assert {p.key for p in PAPERS if p.milestone} <= keys


def test_matrix_cells_match_the_relation_fields(site):
    doc = soup(site, "matrix")
    groups = {p.key: p.group for p in PAPERS}
    expected = {}
    for p in PAPERS:
        for t in p.evaluates:
            if p.group == "defenses" and groups.get(t) == "attacks":
                expected.setdefault((t, p.key), [False, False])[0] = True
        for t in p.breaks:
            if p.group == "attacks" and groups.get(t) == "defenses":
                expected.setdefault((p.key, t), [False, False])[1] = True
    cells = {(td["data-attack"], td["data-defense"]): [td["data-evaluated"] == "yes", td["data-broken"] == "yes"]
             for td in doc.select("#matrix-papers td[data-evaluated]")}
    assert cells == expected and cells
    totals = Counter()
    for td in doc.select("#matrix-categories td"):
        totals["e"] += int(td["data-evaluated"])
        totals["b"] += int(td["data-broken"])
    assert totals == Counter(e=sum(v[0] for v in expected.values()), b=sum(v[1] for v in expected.values()))


def test_every_page_head_links_the_feed(site):
    head = soup(site, "attacks").find("link", rel="alternate", type="application/atom+xml")
    assert head and head["href"].endswith("feed.xml")


def zotero_name(content: str) -> tuple[str, str]:
    """(family, given) as Zotero's connector reads a citation_author (Embedded Metadata
    translator, Zotero.Utilities.cleanAuthor): with a comma "Family, Given[, ...]", else
    the last word is the family name ("Laurens van der Maaten" -> "Maaten")."""
    if "," in content:
        family, given = [*content.split(","), ""][:2]
        return family.strip(), given.strip()
    given, _, family = content.rpartition(" ")
    return family, given


def family_given(name: str) -> tuple[str, str]:
    parts = name_parts(name)
    family = " ".join(filter(None, [parts.get("non-dropping-particle"), parts.get("family")]))
    return family, parts.get("given", "")


def test_fixture_has_names_a_reference_manager_splits_wrongly_by_their_last_space():
    names = [family_given(n) for p in PAPERS for n in split_names(p.raw.get("author") or "")]
    assert ("van der Berg", "Jan") in names


@pytest.mark.parametrize("key", [p.key for p in PAPERS])
def test_paper_page_has_its_citation_meta_tags(site, key):
    paper = next(p for p in PAPERS if p.key == key)
    doc = soup(site, f"paper/{key}")
    meta: dict[str, list[str]] = {}
    for tag in doc.find_all("meta", attrs={"name": lambda n: n and n.startswith("citation_")}):
        meta.setdefault(tag["name"], []).append(tag["content"])
    assert meta["citation_title"] == [paper.title]
    assert [zotero_name(a) for a in meta["citation_author"]] == [
        family_given(n) for n in split_names(paper.raw.get("author") or "")]
    assert meta["citation_publication_date"] == [str(paper.year)]
    if paper.doi:
        assert meta["citation_doi"] == [paper.doi]
    if paper.arxiv:
        assert meta["citation_arxiv_id"] == [paper.arxiv]
    kind = {"article": "citation_journal_title", "inproceedings": "citation_conference_title"}
    if paper.raw.entry_type in kind:
        assert meta[kind[paper.raw.entry_type]] == [paper.container]
    assert doc.find(id=key) is not None
    assert doc.select_one(".gl-card__bibtex code").get_text().startswith(f"@{paper.raw.entry_type}{{{key},")


def test_related_papers_follow_the_relations(site):
    paper = next(p for p in PAPERS if p.breaks)
    doc = soup(site, f"paper/{paper.key}")
    links = {a["href"].rstrip("/").rsplit("/", 1)[1] for a in doc.select("#breaks + ul a")}
    assert links == set(paper.breaks)
    target = paper.breaks[0]
    back = soup(site, f"paper/{target}")
    assert paper.key in {a["href"].rstrip("/").rsplit("/", 1)[1] for a in back.select("#broken-by + ul a")}


def test_list_pages_carry_coins_for_every_card(site):
    doc = soup(site, "defenses")
    cards = doc.select("article.gl-card")
    spans = doc.select("article.gl-card span.Z3988")
    assert len(spans) == len(cards) > 0
    assert all(s["title"].startswith("ctx_ver=Z39.88-2004&") for s in spans)


def zotero_coins(title: str) -> dict:
    """What Zotero's COinS translator takes from a span's ContextObject (OpenURL
    parseContextObject, abridged): item type, title, container and creators."""
    pairs = [(k, unquote_plus(v)) for k, v in (p.split("=", 1) for p in title.split("&"))]
    fmt, genres = dict(pairs)["rft_val_fmt"], {v for k, v in pairs if k == "rft.genre"}
    kind = {"info:ofi/fmt:kev:mtx:journal": "journalArticle"}.get(fmt) or (
        "conferencePaper" if genres & {"conference", "proceeding"} else "book")
    item = {"itemType": kind, "creators": []}
    for key, value in pairs:
        if key == "rft.atitle" and kind in ("journalArticle", "conferencePaper"):
            item["title"] = value
        elif (key, kind) in (("rft.jtitle", "journalArticle"), ("rft.btitle", "conferencePaper")):
            item["publicationTitle"] = value
        elif key == "rft.au":
            item["creators"].append(zotero_name(value))
    return item


@pytest.mark.parametrize("page", ["attacks", "defenses"])
def test_a_reference_manager_reads_each_cards_coins_right(site, page):
    """Zotero read "Jan van der Berg" as family name "Berg", and every paper as a journal
    article (a conference paper's proceedings as its journal)."""
    spans = soup(site, page).select("article.gl-card span.Z3988")
    kinds = {"article": "journalArticle", "inproceedings": "conferencePaper"}
    for span in spans:
        paper = BY_KEY[span.find_parent("article")["data-key"]]
        item = zotero_coins(span["title"])
        assert item["title"] == paper.title
        assert item["creators"] == [family_given(n) for n in split_names(paper.raw.get("author") or "")]
        if paper.entry_type in kinds:
            assert item["itemType"] == kinds[paper.entry_type]
            assert item.get("publicationTitle") == (paper.container or None)
    assert {BY_KEY[s.find_parent("article")["data-key"]].entry_type for s in spans} & set(kinds)


def test_json_and_csv_exports(site):
    data = json.loads((site / "downloads" / "gradleak.json").read_text(encoding="utf-8"))
    assert data["count"] == len(PAPERS)
    by_key = {r["key"]: r for r in data["papers"]}
    assert set(by_key) == {p.key for p in PAPERS}
    for p in PAPERS:
        record = by_key[p.key]
        assert (record["title"], record["authors"], record["year"], record["group"]) == (
            p.title, list(p.authors), p.year, p.group)
        assert record["bibtex"].startswith(f"@{p.raw.entry_type}{{{p.key},")
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "gradleak.csv").read_text(encoding="utf-8"))))
    assert [r["key"] for r in rows] == [r["key"] for r in data["papers"]]
    assert all(r["authors"] == "; ".join(by_key[r["key"]]["authors"]) for r in rows)


def test_large_matrices_become_one_list_per_attack(monkeypatch):
    import markdown
    from gradleak import insight_pages

    monkeypatch.setattr(insight_pages, "MATRIX_GRID_LIMIT", 0)
    from gradleak.generated import expand

    page = insight_pages.render_insights(CATALOG)["matrix.md"]
    html = markdown.markdown(page.markdown, extensions=["attr_list", "md_in_html"])
    doc = BeautifulSoup(expand(html, page.fragments), "html.parser")  # tables come after
    assert doc.select("#matrix-papers") == []  # no grid: the list has every relation
    cells = {(s["data-attack"], s["data-defense"]) for s in doc.select("#matrix-list li[data-attack]")}
    groups = {p.key: p.group for p in PAPERS}
    expected = {(t, p.key) for p in PAPERS if p.group == "defenses" for t in p.evaluates
                if groups.get(t) == "attacks"}
    expected |= {(p.key, t) for p in PAPERS if p.group == "attacks" for t in p.breaks
                 if groups.get(t) == "defenses"}
    assert cells == expected


def _page_html(page) -> BeautifulSoup:
    import markdown
    from gradleak.generated import expand

    html = markdown.markdown(page.markdown, extensions=["attr_list", "md_in_html"])
    return BeautifulSoup(expand(html, page.fragments), "html.parser")


def test_relation_parts_cut_the_list_in_order_and_in_bounds():
    from gradleak.insight_pages import relation_parts

    sections = [("a1", "d1", list(range(7)), 1), ("a1", "d2", [7], 1), ("a2", "d1", [], 1),
                ("a2", "d2", list(range(8, 12)), 1)]
    for limit in (1, 3, 5, 12, 100):
        pages = relation_parts(sections, limit)
        assert all(0 < sum(len(p) for _, _, p, _ in page) <= limit for page in pages)
        flat = [(a, d, x) for page in pages for a, d, pairs, _ in page for x in pairs]
        assert flat == [(a, d, x) for a, d, pairs, _ in sections for x in pairs]
        numbers: dict = {}
        for page in pages:  # a pair of categories goes on as part 2, 3, ... on the next page
            for a, d, _, number in page:
                assert number == numbers.get((a, d), 0) + 1
                numbers[(a, d)] = number
    assert len(relation_parts(sections, 100)) == 1


def test_a_long_relation_list_goes_on_bounded_pages_that_the_matrix_indexes(monkeypatch):
    """At scale the matrix page lists each pair of categories with its count, linking to
    pages of at most MATRIX_LIST_LIMIT relations which, together, have every relation once."""
    from gradleak import insight_pages

    inline = insight_pages.render_insights(CATALOG)
    assert [u for u in inline if u.startswith("matrix/")] == []  # the fixture's few: inline
    monkeypatch.setattr(insight_pages, "MATRIX_LIST_LIMIT", 3)
    pages = insight_pages.render_insights(CATALOG)
    parts = sorted((u for u in pages if u.startswith("matrix/relations-")),
                   key=lambda u: int(u[17:-3]))
    matrix = _page_html(pages["matrix.md"])
    assert matrix.select("#matrix-list") == [] and len(parts) > 1
    listed, anchors = [], {}
    for number, uri in enumerate(parts, 1):
        assert uri == f"matrix/relations-{number}.md"
        assert not pages[uri].in_nav and "exclude: true" in pages[uri].markdown
        doc = _page_html(pages[uri])
        items = doc.select("#matrix-list li[data-attack]")
        assert 0 < len(items) <= 3
        listed += [(li["data-attack"], li["data-defense"]) for li in items]
        anchors.update((s["id"], uri) for s in doc.select("section.gl-pairs__cell"))
        assert (number > 1) == bool(doc.select('a[rel="prev"]'))
        assert (number < len(parts)) == bool(doc.select('a[rel="next"]'))
    inline_doc = _page_html(inline["matrix.md"])
    expected = [(li["data-attack"], li["data-defense"])
                for li in inline_doc.select("#matrix-list li[data-attack]")]
    assert listed == expected and len(set(listed)) == len(listed)  # each once, same order
    # every link to a pair of categories (table marks, the index) opens its first part
    links = matrix.select("#matrix-categories a.gl-mark") + matrix.select(".gl-matrix-index a")
    assert links
    for a in links:
        page, _, anchor = a["href"].partition("#")
        assert page == "../" + anchors[anchor][:-3] + "/"
    counts = [int(li.get_text().rsplit(": ", 1)[1].split()[0])
              for li in matrix.select(".gl-matrix-index li")]
    assert sum(counts) == len(expected)


@pytest.mark.parametrize("limit", [1, 100])
def test_the_same_category_list_says_when_it_shows_only_the_nearest(monkeypatch, limit):
    from collections import Counter

    from gradleak import insights
    from gradleak.site import build_site

    monkeypatch.setattr(insights, "SAME_CATEGORY_LIMIT", limit)
    sizes = Counter(p.category for p in PAPERS if p.category)
    paper = next(p for p in PAPERS if p.category and sizes[p.category] >= 3)
    site = build_site(SITE_BIB)
    doc = _page_html(site.papers.render(paper))
    shown = doc.select("#same-category + p + ul li, #same-category + ul li")
    note = doc.select_one("#same-category + p.gl-related__note")
    assert len(shown) == min(limit, sizes[paper.category] - 1)
    if limit < sizes[paper.category] - 1:
        assert note is not None and note.get_text(" ", strip=True).startswith(
            f"The {limit} nearest in publication year, of {sizes[paper.category] - 1}: all are under")
        assert note.a["href"].endswith(f"#category-{paper.category}") or paper.category in note.a["href"]
    else:
        assert note is None  # every other paper of the category is there: nothing to say


@pytest.mark.parametrize("name", ["gradleak", "attacks"])
def test_ieee_reference_lists_are_numbered_in_the_apa_lists_alphabetical_order(site, name):
    """A library-wide IEEE list has no citation order: it follows the APA list's order
    (first author's surname), not the order of the library's files."""
    table = json.loads((site / "downloads" / "references.json").read_text(encoding="utf-8"))
    by_text = {style: {plain_text(refs[style]): key for key, refs in table.items()}
               for style in ("apa", "ieee")}
    apa = (site / "downloads" / f"{name}.apa.txt").read_text(encoding="utf-8").split("\n\n")
    ieee = (site / "downloads" / f"{name}.ieee.txt").read_text(encoding="utf-8").split("\n\n")
    apa_keys = [by_text["apa"][t.strip()] for t in apa]
    ieee_keys = [by_text["ieee"][t.strip().split("] ", 1)[1]] for t in ieee]
    assert [t.split("] ", 1)[0] for t in ieee] == [f"[{n}" for n in range(1, len(ieee) + 1)]
    assert ieee_keys == apa_keys and len(apa_keys) > 3


def test_a_category_opens_with_its_first_paper_sub_categories_included():
    """"First in Gradient perturbation" was said of five 2024 papers filed under that
    category itself, while its sub-categories (counted in it on the Statistics page) had
    papers from 2020: the first of a category is the earliest of it and its sub-categories."""
    from gradleak.insights import milestones
    from test_layout import TAXONOMY, catalog_of, entry

    catalog = catalog_of([entry("lat1", 2019, "gen-latent"), entry("gen1", 2022, "generative"),
                          entry("gen2", 2019, "generative, gen-latent"),
                          entry("opt1", 2021, "optimization")])
    names = TAXONOMY.categories
    firsts = {m.paper.key: set(m.firsts) for m in milestones(catalog, list(catalog.papers))}
    assert firsts == {"lat1": {names["generative"].name, names["gen-latent"].name},
                      "gen2": {names["generative"].name, names["gen-latent"].name},
                      "opt1": {names["optimization"].name}}


def test_relation_lists_on_a_paper_page_run_oldest_first():
    """A defense's "Attacks that claim to break this defense" (and the other three lists)
    came in the library's file order: 2024, 2021, 2025, 2021, 2022 on zhu2019deep's page."""
    from dataclasses import replace

    from gradleak.insights import Relations

    papers = [replace(p, year=2025) if p.key == "delta2021noise" else p for p in PAPERS]
    later = next(p for p in papers if p.key == "delta2021noise")
    relations = Relations(papers)
    evaluated_by = relations.of(BY_KEY["alpha2022text"])["evaluated_by"]
    assert [p.key for p in evaluated_by] == ["phi2024mixing", "delta2021noise"]
    broken_by = relations.of(later)["broken_by"]
    assert [p.year for p in broken_by] == sorted(p.year for p in broken_by) and len(broken_by) > 1
    for paper in papers:
        for name, listed in relations.of(paper).items():
            if name != "same_category":
                assert [p.year or 9999 for p in listed] == sorted(p.year or 9999 for p in listed)


@pytest.mark.parametrize(("author", "expected"), [
    ("van der Maaten, Laurens and Guo, Chuan", "van der Maaten et al. 2022"),
    ("Ait Messaoud, Aghiles", "Ait Messaoud 2022"),  # braced or not, BibTeX's last name
    ("Lima, Jr., Ionesio", "Lima 2022"),
    ("Zhu, Ligeng and Liu, Zhijian and Han, Song", "Zhu et al. 2022"),
    ("Di Gennaro, Marco and Zanero, Stefano", "Di Gennaro et al. 2022"),
])
def test_a_papers_byline_names_its_first_authors_whole_family_name(author, expected):
    """The matrix labels a paper "Surname [et al.] year": the last word of the display name
    gave "Maaten", "Messaoud", "Jr." and "Gennaro"."""
    from gradleak.insights import byline
    from test_layout import catalog_of

    entry = (f"@misc{{x2022,\n  title = {{T}},\n  author = {{{author}}},\n  year = {{2022}},\n"
             f"  keywords = {{optimization}},\n}}\n")
    (paper,) = catalog_of([entry]).papers
    assert byline(paper) == expected
