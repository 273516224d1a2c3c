"""Issue 12 in Chromium: the insight pages, the home page and the 404 page as a reader
sees them, on a phone and on a desktop, in both palettes, served under a sub-path."""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest
from conftest import SUBPATH, _Pages

from e2e.axe import serious_violations

pytestmark = pytest.mark.e2e

WIDTHS = [320, 375, 768, 1366, 1920]


@pytest.fixture
def tab(browser):
    """A fresh page in a fresh context; the caller sets the viewport."""
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_404_page_links_the_feed_where_it_is(tab, published):
    """The published 404 page (any missing path under /project/) links the real feed."""
    response = tab.goto(published.url + "no/such/page/")
    assert response.status == 404
    href = tab.evaluate("document.querySelector('link[type=\"application/atom+xml\"]').href")
    assert href == published.url + "feed.xml"
    feed = tab.request.get(href)
    assert feed.status == 200 and "<feed" in feed.text()


@pytest.fixture(scope="module")
def local_404(real_build, tmp_path_factory):
    """The real site built without site_url (a local build, `mkdocs build` as the README
    says), served under /project/ with its 404 page for any missing path."""
    assert real_build.returncode == 0, real_build.log
    root = tmp_path_factory.mktemp("local-404")
    (root / SUBPATH).symlink_to(real_build.site, target_is_directory=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Pages, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    server.shutdown()


@pytest.mark.parametrize("missing", ["nosuchpage", "nosuchpage/", "paper/nosuchkey/",
                                     "attacks/nosuch/deeper", "paper/nosuchkey/x/y.html"])
def test_404_page_of_a_local_build_works_under_a_sub_path(tab, local_404, missing):
    """Built without site_url, the 404 page loaded its CSS, JS and links from the host's
    root ("/assets/...") and showed unstyled, with links out of the site, under /project/.
    (Chromium's preload scanner still asks for them relative to the missing page before the
    page's script sets <base>: those requests fail, and the page's own succeed.)"""
    loaded = set()
    tab.on("response", lambda r: r.ok and loaded.add(r.url))
    response = tab.goto(local_404 + missing)
    assert response.status == 404
    tab.wait_for_load_state("networkidle")
    assert tab.errors == []
    assets = tab.evaluate("[...document.querySelectorAll('link[rel=stylesheet], script[src]')]"
                          ".map(e => e.href || e.src)")
    assert len(assets) >= 6 and set(assets) <= loaded, set(assets) - loaded
    assert tab.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    hrefs = tab.evaluate("[...document.querySelectorAll('a[href], link[href]')].map(a => a.href)")
    inside = [h for h in hrefs if h.startswith("http://127.0.0.1")]
    assert inside and all(h.startswith(local_404) for h in inside), inside
    home = tab.locator(".md-header__button.md-logo").get_attribute("href")
    assert tab.evaluate("h => new URL(h, document.baseURI).href", home) == local_404
    tab.keyboard.press("/")  # the theme's search still finds papers from here
    tab.keyboard.type("Deep Leakage from Gradients")
    first = tab.locator(".md-search-result__item a").first
    first.wait_for()
    assert first.get_attribute("href").startswith(local_404 + "attacks/")


def open_at(tab, url, width, height=900, scheme="light"):
    tab.set_viewport_size({"width": width, "height": height})
    tab.emulate_media(color_scheme=scheme)
    tab.goto(url)
    tab.wait_for_load_state("networkidle")


def page_width(tab) -> int:
    return tab.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_matrix_scrolls_inside_its_frame_with_the_first_column_in_view(tab, served, width):
    open_at(tab, served + "matrix/", width)
    assert page_width(tab) <= width  # the page itself never scrolls sideways
    for table in ("matrix-categories", "matrix-papers"):
        box = tab.locator(f".gl-scroll:has(#{table})")
        box.scroll_into_view_if_needed()
        first = tab.locator(f"#{table} tbody tr:first-child > th")
        cell = tab.locator(f"#{table} tbody tr:first-child > td").last
        left, cell_left = first.bounding_box()["x"], cell.bounding_box()["x"]
        overflow = box.evaluate("b => b.scrollWidth - b.clientWidth")
        if overflow > 0:  # narrow screens: the table scrolls in its frame...
            box.evaluate("b => { b.scrollLeft = 60; }")
            tab.wait_for_timeout(50)
            assert cell.bounding_box()["x"] < cell_left - 30
            # ...and the row labels stay where they were
            assert abs(first.bounding_box()["x"] - left) < 2
        if width <= 375:
            assert overflow > 0 or table == "matrix-categories"
        # labels read as words: no header is a stack of letters
        heights = tab.eval_on_selector_all(f"#{table} thead th", "ths => ths.map(t => t.offsetHeight)")
        assert max(heights) < 160, heights
    # row and column labels are never cut mid-word
    broken = tab.evaluate("""() => Array.from(document.querySelectorAll('.gl-label__short'))
        .filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.textContent)""")
    assert broken == []


@pytest.mark.parametrize("width", [320, 375, 1366])
def test_matrix_offers_a_plain_list_on_small_screens(tab, served, width):
    open_at(tab, served + "matrix/", width)
    pointer = tab.locator(".gl-small-only a[href='#as-a-list']")
    assert pointer.is_visible() == (width < 720)
    assert tab.locator("#matrix-list").is_visible()
    if width < 720:
        pointer.click()
        tab.wait_for_timeout(200)
        heading = tab.locator("#as-a-list").bounding_box()
        assert 0 <= heading["y"] < 900


def test_a_category_cell_takes_you_to_the_papers_it_counts(tab, served):
    open_at(tab, served + "matrix/", 375)
    mark = tab.locator("#matrix-categories td a.gl-mark").first
    target = mark.get_attribute("href")
    mark.click()
    tab.wait_for_timeout(200)
    assert tab.url.endswith(target)
    listed = tab.locator(f"{target} li")
    assert listed.count() >= 1 and listed.first.is_visible()


@pytest.mark.parametrize("path", ["", "stats/", "timeline/", "matrix/", "new/", "new/2023/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_insight_pages_pass_axe(tab, served, path, scheme):
    open_at(tab, served + path, 1366, scheme=scheme)
    bad = serious_violations(tab)
    assert bad == [], "\n".join(map(str, bad))
    assert tab.errors == []


@pytest.mark.parametrize("path", ["", "stats/", "timeline/", "matrix/", "new/", "new/2023/"])
@pytest.mark.parametrize("width", WIDTHS)
def test_insight_pages_never_scroll_sideways(tab, served, path, width):
    open_at(tab, served + path, width)
    assert page_width(tab) <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_stats_charts_keep_every_label_whole_and_readable(tab, served, width):
    open_at(tab, served + "stats/", width)
    assert page_width(tab) <= width
    report = tab.evaluate("""() => Array.from(document.querySelectorAll('svg.gl-chart')).map(svg => {
        const box = svg.getBoundingClientRect();
        const texts = Array.from(svg.querySelectorAll('text'));
        return {id: svg.id,
                clipped: texts.filter(t => { const r = t.getBoundingClientRect();
                    return r.left < box.left - 0.5 || r.right > box.right + 0.5
                        || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5; })
                    .map(t => t.textContent),
                smallest: Math.min(...texts.map(t => t.getBoundingClientRect().height))};
    })""")
    assert len(report) == 3
    for chart in report:
        assert chart["clipped"] == [], chart
        assert chart["smallest"] >= 12, chart  # px on screen, phones included


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_stats_tables_look_like_the_themes_tables_with_numbers_right(tab, served, scheme):
    open_at(tab, served + "stats/", 375, scheme=scheme)
    style = tab.evaluate("""() => { const t = document.querySelector('#table-modality');
        const s = getComputedStyle(t); const th = getComputedStyle(t.querySelector('tbody th'));
        return {border: s.borderTopStyle, width: parseFloat(s.borderTopWidth),
                padding: parseFloat(th.paddingLeft)}; }""")
    assert style["border"] == "solid" and style["width"] > 0 and style["padding"] >= 6
    for table in ("table-years", "table-code", "table-modality"):
        aligns = tab.evaluate(f"""() => Array.from(document.querySelectorAll('#{table} .gl-num'))
            .map(c => getComputedStyle(c).textAlign)""")
        assert aligns and set(aligns) == {"right"}, table
    # the heat table is coloured: a full cell is darker/lighter than an empty one
    shades = tab.evaluate("""() => [0, 4].map(l => {
        const c = document.querySelector('#table-modality td.gl-heat--' + l);
        const s = document.querySelector('#modality-legend .gl-heat--' + l);
        return [getComputedStyle(c).backgroundColor, getComputedStyle(s).backgroundColor]; })""")
    (empty, empty_key), (full, full_key) = shades
    assert empty != full and empty == empty_key and full == full_key


@pytest.mark.parametrize("width", [1280, 1366, 1920])
def test_the_modality_table_fits_a_desktop_page(tab, served, width):
    """On every desktop width the table of data modalities ran past its frame: its last
    column ("Video") was cut off, and nothing said the frame scrolls. Its column headings
    may wrap ("Audio and / speech"); the numbers do not."""
    open_at(tab, served + "stats/", width)
    frame = tab.locator(".gl-scroll:has(#table-modality)")
    assert frame.evaluate("f => f.scrollWidth - f.clientWidth") <= 0
    cells = tab.evaluate("""() => [...document.querySelectorAll('#table-modality tbody td')]
        .map(c => getComputedStyle(c).whiteSpace)""")
    assert cells and set(cells) == {"nowrap"}  # each number on one line


# -- home on a phone ----------------------------------------------------------------------

def in_first_screen(tab, selector: str, height: int) -> bool:
    box = tab.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_first_screen_on_a_phone_leads_to_the_catalog(tab, served, scheme):
    open_at(tab, served, 375, 812, scheme)
    assert tab.evaluate("window.scrollY") == 0
    assert in_first_screen(tab, ".gl-counts__total", 812)
    assert in_first_screen(tab, "form[role=search] input", 812)
    assert in_first_screen(tab, "form[role=search] button", 812)
    groups = tab.locator(".gl-home li a")
    assert groups.count() == 3
    for i in range(3):
        assert in_first_screen(tab, f".gl-home li:nth-child({i + 1})", 812)
        box = tab.locator(".gl-home li").nth(i).bounding_box()
        assert box["height"] >= 24  # the whole tile is the link: a target a thumb can hit
    # the newest papers come right below the groups
    nxt = tab.evaluate("document.querySelector('.gl-home').nextElementSibling.textContent")
    assert nxt.startswith("Newest papers")
    newest = tab.locator(".gl-newest li a")
    assert newest.count() >= 3
    assert newest.first.bounding_box()["y"] < 812 * 1.5
    assert page_width(tab) <= 375


@pytest.mark.parametrize("width", WIDTHS)
def test_site_title_fits_the_header(tab, served, width):
    open_at(tab, served, width, 812)
    fits = tab.evaluate("""() => { const t = document.querySelector('.md-header__topic .md-ellipsis');
        return [t.scrollWidth, t.clientWidth]; }""")
    assert fits[0] <= fits[1], fits
    if width < 720:  # a short title on small screens, the full one for screen readers
        assert tab.evaluate("getComputedStyle(document.querySelector("
                            "'.md-header__topic .md-ellipsis'), '::after').content") != "none"
    assert "Gradient Leakage in Federated Learning" in tab.locator(".md-header__topic").first.inner_text() \
        or width < 720


def test_home_search_box_opens_the_sites_search(tab, served):
    open_at(tab, served, 375, 812)
    tab.locator("#gl-home-q").fill("Geiping")
    tab.locator("#gl-home-q").press("Enter")
    tab.wait_for_load_state("networkidle")
    assert "q=Geiping" in tab.url
    tab.locator(".md-search-result__link[href*='geiping2020inverting']").first.wait_for(timeout=10000)


def test_home_group_tiles_link_the_group_pages(tab, served):
    open_at(tab, served, 375, 812)
    tab.locator(".gl-home li").nth(1).click(position={"x": 200, "y": 10})  # anywhere on the tile
    tab.wait_for_load_state("domcontentloaded")
    assert tab.url == served + "attacks/"


# -- timeline, paper pages, what's new ---------------------------------------------------

def test_timeline_reasons_read_as_sentences(tab, served):
    import re

    open_at(tab, served + "timeline/", 375)
    reasons = tab.locator(".gl-timeline__why").all_inner_texts()
    assert reasons
    for text in reasons:
        assert not re.search(r";\s+[A-Z]", text), text
        assert text.strip()[-1] in ".!?", text


@pytest.mark.parametrize("key", ["zhu2019deep", "geiping2020inverting"])
def test_paper_page_previews_show_its_summary(tab, served, key):
    from pathlib import Path

    from gradleak.catalog import load_catalog

    paper = next(p for p in load_catalog(Path(__file__).resolve().parents[2] / "bib").papers
                 if p.key == key)
    open_at(tab, served + f"paper/{key}/", 375)
    meta = tab.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll(
        'meta[name=description], meta[property^="og:"]')).map(m => [m.name || m.getAttribute('property'), m.content]))""")
    assert meta["description"] == paper.tldr == meta["og:description"]
    assert meta["og:title"] == paper.title and meta["og:type"] == "article"


def test_whats_new_is_by_month_and_not_endless(tab, served):
    open_at(tab, served + "new/", 375)
    months = tab.locator("h2[id^='month-']")
    assert months.count() >= 3
    # every month's list is short enough to scan; the page is far from the 36,000 px it was
    assert tab.evaluate("document.documentElement.scrollHeight") < 36000
    tab.locator(".gl-new__jump a[href='#earlier']").click()
    link = tab.locator("#earlier + ul a").first
    year = link.inner_text()
    link.click()
    tab.wait_for_load_state("domcontentloaded")
    assert tab.url == served + f"new/{year}/"
    assert tab.locator("ul.gl-new li").count() >= 1


@pytest.mark.parametrize("path", ["", "surveys/", "attacks/", "defenses/", "new/", "matrix/", "stats/"])
def test_no_request_of_these_pages_fails(tab, served, path):
    """The theme fetches sitemap.xml beside each <link rel=alternate>: a feed in a folder
    made every group page request a missing feeds/sitemap.xml."""
    failed = []
    tab.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
    open_at(tab, served + path, 1366)
    assert failed == []


@pytest.mark.parametrize("where", ["published", "local"])
def test_404_of_a_paper_whose_key_changed_links_the_paper(tab, published, local_404, where):
    """Keys change when a paper's year or venue is corrected (nguyen2023split became
    nguyen2024split): an old link to its page met a bare "404 - Not found"."""
    base = published.url if where == "published" else local_404
    tab.goto(base + "paper/geiping2021inverting/")  # the paper is geiping2020inverting
    link = tab.locator(".gl-404 a[href*='geiping2020inverting']")
    link.wait_for()
    assert "geiping2021inverting" in tab.locator(".gl-404").inner_text()
    link.click()
    tab.wait_for_url(base + "paper/geiping2020inverting/")
    assert "Inverting Gradients" in tab.locator("h1").first.inner_text()
    assert tab.errors == []


def test_404_of_an_unknown_paper_offers_a_search_for_its_words(tab, published):
    tab.goto(published.url + "paper/nobody2020leakage/")
    link = tab.locator(".gl-404 a")
    link.wait_for()
    assert "nobody leakage" in link.inner_text()
    link.click()
    tab.locator(".md-search-result__item").first.wait_for()  # the theme's search, opened
    assert tab.input_value("input.md-search__input") == "nobody leakage"
