"""Issue 12: the insight pages, the feed, the 404 page and the paper pages' meta tags of
the site built from the fixture library tests/fixtures/full (the real configuration and
pages), checked against that library (numbers computed here, independently)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup
from conftest import SITE_BIB
from gradleak.catalog import load_catalog

CATALOG = load_catalog(SITE_BIB)
PAPERS = list(CATALOG.papers)
BY_KEY = {p.key: p for p in PAPERS}


@pytest.fixture(scope="module")
def site(fixture_build) -> Path:
    assert fixture_build.returncode == 0, fixture_build.log
    return fixture_build.site


def soup(site: Path, page: str) -> BeautifulSoup:
    path = site / page if page.endswith(".html") else site / page / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def feed_link(doc: BeautifulSoup) -> str:
    return doc.find("link", rel="alternate", type="application/atom+xml")["href"]


# -- 404 page ---------------------------------------------------------------------------

def test_404_links_of_a_local_build_are_relative_to_a_base_its_script_sets(site):
    # built without site_url (a local build): MkDocs would link the host's root ("/feed.xml"),
    # not the site's; the page's first script sets <base> to the root it finds in the path
    doc = soup(site, "404.html")
    assert feed_link(doc) == "./feed.xml"
    assert "document.createElement(\"base\")" in doc.head.find("script").string
    assert not [a["href"] for a in doc.find_all(href=True) if a["href"].startswith("/")]


def test_404_feed_link_resolves_under_the_published_sub_path(fixture_published):
    published = fixture_published
    assert published.build.returncode == 0, published.build.log
    assert feed_link(soup(published.build.site, "404.html")) == "/project/feed.xml"
    try:  # a missing page is answered with the 404 page, as GitHub Pages does
        urlopen(published.url + "no/such/page/")
        raise AssertionError("a missing page was served")
    except HTTPError as error:
        assert error.code == 404
        doc = BeautifulSoup(error.read().decode("utf-8"), "html.parser")
    with urlopen(urljoin(published.url + "no/such/page/", feed_link(doc))) as response:
        assert response.status == 200
        assert b"http://www.w3.org/2005/Atom" in response.read(400)


# -- timeline ---------------------------------------------------------------------------

def test_timeline_reasons_are_whole_sentences(site):
    doc = soup(site, "timeline")
    names = CATALOG.taxonomy.categories
    items = doc.select("ul.gl-timeline li")
    assert items
    for li in items:
        paper = BY_KEY[li["data-key"]]
        why = li.select_one(".gl-timeline__why").get_text()
        assert not re.search(r";\s+[A-Z]", why), why  # "...; An early ..." was the defect
        # every sentence starts with a capital and the text ends with a stop
        assert why[0].isupper() and why.rstrip()[-1] in ".!?", why
        opened = [names[c].name for c in names
                  if c in paper.categories and paper.year == min(
                      p.year for p in PAPERS if c in p.categories and p.year)]
        for name in opened:
            assert name in why
        if paper.milestone:
            assert paper.milestone.rstrip(".") in why


# -- paper pages: description and Open Graph --------------------------------------------

@pytest.mark.parametrize("key", [p.key for p in PAPERS])
def test_paper_page_describes_itself_by_its_summary(site, key):
    paper = BY_KEY[key]
    doc = soup(site, f"paper/{key}")
    expected = paper.tldr or f"{paper.title}. {paper.venue} {paper.year}."
    assert doc.find("meta", attrs={"name": "description"})["content"] == expected
    assert doc.find("meta", property="og:description")["content"] == expected
    assert doc.find("meta", property="og:title")["content"] == paper.title
    assert doc.find("meta", property="og:type")["content"] == "article"


def test_open_graph_url_is_absolute_when_site_url_is_set(fixture_published, site):
    published = fixture_published
    doc = soup(published.build.site, "paper/alpha2022text")
    assert doc.find("meta", property="og:url")["content"] == published.url + "paper/alpha2022text/"
    assert soup(site, "paper/alpha2022text").find("meta", property="og:url") is None
    home = soup(site, "")
    assert home.find("meta", property="og:type")["content"] == "website"
    assert home.find("meta", property="og:description")["content"] == home.find(
        "meta", attrs={"name": "description"})["content"]


# -- What's new: the field's news by the papers' own dates ------------------------------

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def arxiv_month(paper):
    """Computed here from the identifier (2401.01234 -> (2024, 1)), else from the entry's
    own `month` field (`mar`, `{March}`, `3`); None if neither gives a month."""
    m = re.match(r"(\d{2})(\d{2})\.\d{4,5}", paper.arxiv or "")
    if m:
        return 2000 + int(m.group(1)), int(m.group(2))
    month = (paper.raw.get("month") or "").strip("{} ").lower()
    if month.isdigit() and 1 <= int(month) <= 12:
        return paper.year, int(month)
    if month[:3] in MONTHS:
        return paper.year, MONTHS.index(month[:3]) + 1
    return None


def expected_window(months: int = 12):
    """{(year, month) or (year, None): keys} of the papers the What's new page shows."""
    dated = {p.key: arxiv_month(p) or (p.year, None) for p in PAPERS if p.year}
    newest = max(y * 12 + m - 1 for y, m in dated.values() if m)
    first = newest - months + 1
    out: dict[tuple, set[str]] = {}
    for key, (y, m) in dated.items():
        if (m and y * 12 + m - 1 >= first) or (m is None and y >= first // 12):
            out.setdefault((y, m), set()).add(key)
    return out


def test_whats_new_lists_the_latest_12_months_by_the_papers_own_month(site):
    doc = soup(site, "new")
    window = expected_window()
    sections = doc.select("ul.gl-new[data-period]")
    shown = {s["data-period"]: {li["data-key"] for li in s.find_all("li")} for s in sections}
    expected = {(f"{y:04d}-{m:02d}" if m else f"{y:04d}"): keys for (y, m), keys in window.items()}
    assert shown == expected
    # newest month first, papers known only by their year after that year's months
    order = [s["data-period"] for s in sections]
    assert order == sorted(order, key=lambda k: (k[:4], k[5:] or "00"), reverse=True)
    assert len([k for k in order if len(k) == 7]) <= 12
    # each month has its heading, named as a reader says it
    for period in order:
        heading = doc.find(id=("month-" if len(period) == 7 else "year-") + period)
        assert heading is not None and heading.name == "h2"


def test_older_years_are_one_link_away(site):
    doc = soup(site, "new")
    window = {k for keys in expected_window().values() for k in keys}
    years = {}
    for p in PAPERS:
        if p.year:
            years.setdefault((arxiv_month(p) or (p.year, None))[0], set()).add(p.key)
    links = {a.get_text(): a["href"] for a in doc.select("#earlier + ul a")}
    older = {y for y, keys in years.items() if keys - window}
    assert set(links) == {str(y) for y in older}
    for year in older:
        page = soup(site, f"new/{year}")
        assert {li["data-key"] for li in page.select("ul.gl-new li")} == years[year]
        assert urljoin("http://h/new/", links[str(year)]) == f"http://h/new/{year}/"


def test_recently_added_is_a_short_list_of_the_latest_additions(site):
    doc = soup(site, "new")
    latest = max(p.added for p in PAPERS if p.added)
    items = [BY_KEY[li["data-key"]] for li in doc.select("ul.gl-new--added li")]
    assert len(items) == min(10, sum(1 for p in PAPERS if p.added))
    count = sum(1 for p in PAPERS if p.added == latest)
    # the latest month's additions first, then earlier ones, none skipped
    assert [p.added for p in items] == sorted((p.added for p in items), reverse=True)
    assert all(p.added == latest for p in items[:count])
    assert all(p.added <= items[-1].added for p in PAPERS if p.added and p not in items)
    assert f"{count} papers were added in" in doc.find(id="recently-added").find_next("p").get_text()


def test_whats_new_page_is_not_one_endless_section(site):
    doc = soup(site, "new")
    shown = {li["data-key"] for li in doc.select("ul.gl-new[data-period] li")}
    assert shown == {k for keys in expected_window().values() for k in keys}
    assert len(shown) < len(PAPERS) / 2  # the older papers are on the year pages


# -- the Atom feeds ----------------------------------------------------------------------

RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
ATOM = "{http://www.w3.org/2005/Atom}"


def check_atom(xml: bytes, base: str | None):
    """Parse with feedparser (a real feed parser) and check RFC 4287's musts that a
    lenient parser forgives; returns the parsed feed."""
    import xml.etree.ElementTree as ET

    import feedparser

    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ET.fromstring(xml)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        assert entry.findall(f"{ATOM}author") or root.findall(f"{ATOM}author")
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids))
    if base:
        for link in root.iter(f"{ATOM}link"):
            href = link.get("href")
            assert href.startswith(("http://", "https://")), href
            if link.get("rel") in ("self", "alternate"):
                assert href.startswith(base), href
    return parsed


def test_feed_is_valid_atom_with_one_entry_per_paper_of_the_window(site):
    parsed = check_atom((site / "feed.xml").read_bytes(), None)
    window = expected_window()
    expected = {k for keys in window.values() for k in keys}
    keys = [e.id.rsplit(":", 1)[1] for e in parsed.entries]
    assert sorted(keys) == sorted(expected)
    month_of = {k: ym for ym, keys in window.items() for k in keys}
    for entry in parsed.entries:
        year, month = month_of[entry.id.rsplit(":", 1)[1]]
        # the entry's date is the paper's own month, not the day it was added
        assert (entry.updated_parsed.tm_year, entry.updated_parsed.tm_mon) == (year, month or 1)
        assert entry.published_parsed == entry.updated_parsed
    assert len({(e.updated_parsed.tm_year, e.updated_parsed.tm_mon) for e in parsed.entries}) > 1


@pytest.mark.parametrize("feed", ["feed.xml", "feed-attacks.xml"])
def test_feed_lists_the_papers_in_the_order_of_whats_new(site, feed):
    """A reader who compares the feed with What's new finds the same papers in the same
    order (within a month the feed went by key, descending; the page by title)."""
    page = [li["data-key"] for li in soup(site, "new").select("ul.gl-new[data-period] li")]
    keys = [e.id.rsplit(":", 1)[1] for e in check_atom((site / feed).read_bytes(), None).entries]
    assert keys == [k for k in page if k in set(keys)] and len(keys) > 2


def test_feed_order_within_a_month_is_the_pages_order():
    from gradleak.feeds import atom_feeds
    from gradleak.news import field_news
    from test_layout import catalog_of

    def entry(key, title):
        return (f"@misc{{{key},\n  title = {{{title}}},\n  author = {{Doe, Jane}},\n"
                f"  year = {{2024}},\n  month = {{may}},\n  keywords = {{optimization}},\n}}\n")

    catalog = catalog_of([entry("z2024x", "Zulu"), entry("a2024x", "Alpha"),
                          entry("m2024x", "Mike")])
    page = [p.key for p in field_news(catalog.papers).papers()]
    feed = atom_feeds(catalog, site_name="S", site_url=None)["feed.xml"]
    keys = [e.id.rsplit(":", 1)[1] for e in check_atom(feed.encode(), None).entries]
    assert page == ["a2024x", "m2024x", "z2024x"]  # by title, as the page lists them
    assert keys == page


def test_every_feed_link_is_absolute_when_site_url_is_set(fixture_published):
    published = fixture_published
    site = published.build.site
    feeds = [site / "feed.xml", *sorted(site.glob("feed-*.xml"))]
    assert len(feeds) == 1 + len(CATALOG.taxonomy.groups)
    for feed in feeds:
        parsed = check_atom(feed.read_bytes(), published.url)
        assert parsed.feed.links and parsed.entries, feed
        for entry in parsed.entries[:3]:  # the pages they name exist
            with urlopen(entry.link) as response:
                assert response.status == 200


@pytest.mark.parametrize("group", [g.id for g in CATALOG.taxonomy.groups])
def test_one_feed_per_group(site, group):
    parsed = check_atom((site / f"feed-{group}.xml").read_bytes(), None)
    expected = {k for keys in expected_window().values() for k in keys if BY_KEY[k].group == group}
    assert {e.id.rsplit(":", 1)[1] for e in parsed.entries} == expected
    head = soup(site, group).find_all("link", rel="alternate", type="application/atom+xml")
    assert [h["href"] for h in head] == ["../feed.xml", f"../feed-{group}.xml"]


def test_own_date_reads_arxiv_ids_then_month_then_year():
    from dataclasses import replace

    from gradleak.model import BibField, RawEntry
    from gradleak.news import own_date

    base = next(p for p in PAPERS if p.year)

    def paper(arxiv=None, month=None, year=2021):
        fields = (BibField("month", month, "{", 1),) if month else ()
        return replace(base, arxiv=arxiv, year=year,
                       raw=RawEntry("k", "article", "x.bib", 1, fields))

    assert own_date(paper("2401.01234", year=2024)) == (2024, 1)
    assert own_date(paper("2312.12345v2", month="jan", year=2024)) == (2023, 12)
    assert own_date(paper("cs/0612045", year=2007)) == (2006, 12)
    assert own_date(paper("hep-th/9901001", year=1999)) == (1999, 1)
    assert own_date(paper(month="jan")) == (2021, 1)
    assert own_date(paper(month="{March}")) == (2021, 3)
    assert own_date(paper(month="7")) == (2021, 7)
    assert own_date(paper(month="spring")) == (2021, None)
    assert own_date(paper()) == (2021, None)
    assert own_date(paper(year=None)) is None
    # published (CCS 2024) before its arXiv version (2507.21198): not news of July 2025
    assert own_date(paper("2507.21198", year=2024)) == (2024, None)
    assert own_date(paper("2507.21198", month="oct", year=2024)) == (2024, 10)
    assert own_date(paper("2412.01234", year=2025)) == (2024, 12)  # preprint first: its month
    # an id of the right shape naming no month (month 13, 00): the entry's own date, not
    # an IndexError that stopped the build (and `mkdocs serve`) with a traceback
    assert own_date(paper("2013.00001", year=2020)) == (2020, None)
    assert own_date(paper("2100.00001", month="may", year=2021)) == (2021, 5)
    assert own_date(paper("cs/0613045", year=2006)) == (2006, None)


# -- the attacks x defenses matrix ------------------------------------------------------

def related_pairs():
    """{(attack, defense): (evaluated, broken)} straight from the relation fields."""
    out: dict[tuple[str, str], list[bool]] = {}
    for p in PAPERS:
        for t in p.evaluates:
            if p.group == "defenses" and t in BY_KEY and BY_KEY[t].group == "attacks":
                out.setdefault((t, p.key), [False, False])[0] = True
        for t in p.breaks:
            if p.group == "attacks" and t in BY_KEY and BY_KEY[t].group == "defenses":
                out.setdefault((p.key, t), [False, False])[1] = True
    return out


def top_category(key):
    parents = {ch.id: c.id for g in CATALOG.taxonomy.groups for c in g.walk() for ch in c.children}
    cid = BY_KEY[key].categories[0]
    while cid in parents:
        cid = parents[cid]
    return cid


def test_matrix_labels_are_short_names_with_the_full_title_in_the_text(site):
    doc = soup(site, "matrix")
    labels = doc.select("#matrix-papers th.gl-label")
    assert labels
    for th in labels:
        key = th.a["href"].rstrip("/").rsplit("/", 1)[1]
        paper = BY_KEY[key]
        short = th.select_one(".gl-label__short").get_text()
        assert short != key and len(short) <= 29
        assert paper.title.startswith(short.rstrip("…")), (short, paper.title)
        # the full title is in the cell's text (read by screen readers), not only in a tooltip
        assert paper.title in th.get_text()
        surname = paper.authors[0].split()[-1]
        assert th.select_one(".gl-label__by").get_text().startswith(surname)


def test_every_category_cell_links_to_the_pairs_it_counts(site):
    doc = soup(site, "matrix")
    pairs = related_pairs()
    cells = doc.select("#matrix-categories td")
    assert cells
    for td in cells:
        mine = {pair: flags for pair, flags in pairs.items()
                if (top_category(pair[0]), top_category(pair[1])) == (td["data-row"], td["data-col"])}
        links = td.find_all("a")
        if not mine:
            assert not links
            continue
        assert links and all(a["href"] == f"#pairs-{td['data-row']}-{td['data-col']}" for a in links)
        target = doc.find(id=links[0]["href"][1:])
        listed = {(li["data-attack"], li["data-defense"]) for li in target.find_all("li")}
        assert listed == set(mine)
        marks = " ".join(a.get_text() for a in links)
        evaluated, broken = sum(f[0] for f in mine.values()), sum(f[1] for f in mine.values())
        assert (f"E {evaluated}" in marks) == bool(evaluated) and (f"B {broken}" in marks) == bool(broken)


def test_matrix_as_a_list_has_every_relation_with_full_titles(site):
    doc = soup(site, "matrix")
    listed = {(li["data-attack"], li["data-defense"]): [li["data-evaluated"] == "yes", li["data-broken"] == "yes"]
              for li in doc.select("#matrix-list li[data-attack]")}
    assert listed == related_pairs()
    for li in doc.select("#matrix-list li[data-attack]"):
        assert BY_KEY[li["data-defense"]].title in li.get_text()


# -- statistics -------------------------------------------------------------------------

def test_stats_numbers_are_marked_for_right_alignment(site):
    doc = soup(site, "stats")
    for table in doc.select("table.gl-table"):
        for cell in table.select("tbody td"):
            text = cell.get_text(strip=True).replace("%", "").strip()
            assert text.isdigit() == ("gl-num" in cell.get("class", [])), (table["id"], text)
        # a numeric column's header is aligned like its numbers
        first = table.select_one("tbody tr")
        heads = table.select("thead th")
        for head, cell in zip(heads, first.find_all(["th", "td"]), strict=True):
            assert ("gl-num" in head.get("class", [])) == ("gl-num" in cell.get("class", []))


def test_heat_table_shades_by_count_with_a_legend(site):
    import math

    doc = soup(site, "stats")
    cells = doc.select("#table-modality td")
    top = max(int(td["data-n"]) for td in cells)
    for td in cells:
        n = int(td["data-n"])
        level = 0 if n == 0 else math.ceil(4 * n / top)
        assert f"gl-heat--{level}" in td["class"] and td.get_text() == str(n)
    legend = doc.find(id="modality-legend")
    assert doc.find(id="table-modality")["aria-describedby"] == "modality-legend"
    items = legend.select(".gl-heat-legend__item")
    # every shade used in the table is explained in words (not colour alone)
    used = {c for td in cells for c in td["class"] if c.startswith("gl-heat--")}
    explained = {c for it in items for c in it.span["class"] if c.startswith("gl-heat--")}
    assert used <= explained
    assert items[-1].get_text(strip=True).endswith(str(top))


def test_charts_are_bars_under_wrapped_labels_in_pixels(site):
    """No viewBox: text keeps its pixel size on a phone; labels wrapped to fit 320 px."""
    import xml.etree.ElementTree as ET

    doc = soup(site, "stats")
    svgs = doc.select("svg.gl-chart")
    assert len(svgs) == 3
    for svg in svgs:
        root = ET.fromstring(str(svg))
        assert root.get("viewBox") is None and root.get("width") == "100%"
        for tspan in root.iter("{http://www.w3.org/2000/svg}tspan"):
            assert len(tspan.text or "") <= 32
    labels = [" ".join(t.get_text() for t in text.find_all("tspan"))
              for text in doc.select("#chart-categories .gl-chart__label")]
    names = [c.name for g in CATALOG.taxonomy.groups for c in g.walk()]
    assert labels == names  # every name whole, none clipped to "odel and..."


# -- home -------------------------------------------------------------------------------

def test_home_lists_the_newest_papers_by_their_own_month(site):
    doc = soup(site, "")
    keys = [a["href"].rstrip("/").rsplit("/", 1)[1] for a in doc.select(".gl-newest li > a")]
    assert len(keys) == 6
    month = {p.key: arxiv_month(p) or (p.year, 0) for p in PAPERS if p.year}
    newest = sorted(month.values(), reverse=True)[5]
    assert all(month[k] >= newest for k in keys)
    assert [month[k] for k in keys] == sorted((month[k] for k in keys), reverse=True)
    groups = [a.get_text() for a in doc.select(".gl-home li > a")]
    assert groups == [g.name for g in CATALOG.taxonomy.groups]
    assert doc.select_one(".gl-home form[role=search] input[name=q]") is not None


def test_recently_added_lists_papers_of_one_month_by_title_as_whats_new_does():
    """Within one month the list ran by title backwards (Z to A: "The Art of ...",
    "Profiling ...", "From Prompts ...", "CausShield ...") while What's new runs A to Z."""
    from gradleak.news import recently_added
    from test_layout import catalog_of

    def entry(key, title):
        return (f"@misc{{{key},\n  title = {{{title}}},\n  author = {{Doe, Jane}},\n"
                f"  year = {{2024}},\n  month = {{may}},\n  added = {{2026-12}},\n"
                f"  keywords = {{optimization}},\n}}\n")

    catalog = catalog_of([entry("z2024x", "Zulu"), entry("a2024x", "Alpha"),
                          entry("m2024x", "Mike")])
    _, count, papers = recently_added(catalog.papers)
    assert count == 3 and [p.title for p in papers] == ["Alpha", "Mike", "Zulu"]
