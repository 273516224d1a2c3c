"""The reader's tools (docs/js/gradleak.js) against the real library, in Chromium."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from gradleak.catalog import load_catalog
from gradleak.export import clean_bibtex
from gradleak.layout import plan
from gradleak.urls import url_of
from playwright.sync_api import expect

from e2e.axe import serious_violations

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT / "bib")
BIBTEX = clean_bibtex(CATALOG)
ATTACKS = [p for p in CATALOG.papers if p.group == "attacks"]
# the all-papers list, or its fullest page once it is split by year
_YEARS = plan(CATALOG).years
ALL_PAPERS = url_of(max(_YEARS, key=lambda s: len(s.keys)).uri, True) if _YEARS else "papers/"
PARENTS = {child.id: c.id for g in CATALOG.taxonomy.groups for c in g.walk() for child in c.children}


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def with_ancestors(paper) -> set[str]:
    """The paper's main category and its parents: what every category count and filter
    of a list counts (the paper is listed there once)."""
    out = set()
    c = paper.category
    while c:
        out.add(c)
        c = PARENTS.get(c)
    return out


def shown(page) -> set[str]:
    return set(page.evaluate(
        "Array.from(document.querySelectorAll('article.gl-card')).filter(c => !c.hidden)"
        ".map(c => c.dataset.key)"))


def count_line(page) -> str:
    return page.locator("#gl-count").inner_text()


def open_attacks(page, served, query="", filters=True):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/{query}")
    page.wait_for_selector("#gl-count")
    if filters:  # the facets are behind one control
        page.locator("button.gl-filters-toggle").click()


def export(page, cls):
    """Click an action of the Export menu, opening the menu first."""
    toggle = page.locator("button.gl-export-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.locator(f"button.{cls}").click()


def test_option_counts_equal_the_library(page, served):
    open_attacks(page, served)
    for facet in CATALOG.taxonomy.facets:
        for value in facet.values:
            expected = sum(value.id in p.facets for p in ATTACKS)
            box = page.locator(f"#gl-{facet.id}-{value.id}")
            if expected == 0:
                assert box.count() == 0, value.id  # values no paper has are not offered
                continue
            label = page.locator(f"label[for='gl-{facet.id}-{value.id}'] .gl-option__count")
            assert label.inner_text() == str(expected), value.id
    for category in CATALOG.taxonomy.groups[1].walk():
        expected = sum(category.id in with_ancestors(p) for p in ATTACKS)
        label = page.locator(f"label[for='gl-cat-{category.id}'] .gl-option__count")
        assert label.inner_text() == str(expected), category.id
    assert count_line(page) == f"Showing {len(ATTACKS)} of {len(ATTACKS)} papers"


@pytest.mark.parametrize(("control", "expected"), [
    ("#gl-modality-text", lambda p: "text" in p.facets),
    ("#gl-threat-malicious-server", lambda p: "malicious-server" in p.facets),
    ("#gl-setting-vertical-fl", lambda p: "vertical-fl" in p.facets),
    ("#gl-cat-generative", lambda p: "generative" in with_ancestors(p)),
    ("#gl-cat-label-inference", lambda p: "label-inference" in with_ancestors(p)),
    ("#gl-code", lambda p: p.code is not None),
])
def test_each_facet_narrows_to_exactly_the_expected_papers(page, served, control, expected):
    open_attacks(page, served)
    page.locator(control).check()
    keys = {p.key for p in ATTACKS if expected(p)}
    assert keys and shown(page) == keys
    assert count_line(page) == f"Showing {len(keys)} of {len(ATTACKS)} papers"


def test_facets_combine_year_range_venue_and_text(page, served):
    open_attacks(page, served)
    page.select_option("#gl-from", "2023")
    page.select_option("#gl-to", "2024")
    assert shown(page) == {p.key for p in ATTACKS if p.year and 2023 <= p.year <= 2024}
    page.select_option("#gl-from", "")
    page.select_option("#gl-to", "")
    venue = "USENIX Security"
    page.select_option("#gl-venue", venue)
    assert shown(page) == {p.key for p in ATTACKS if p.venue == venue}
    page.select_option("#gl-venue", "")
    page.locator("#gl-q").fill("balunovic")
    expected = {p.key for p in ATTACKS if any("balunovic" in fold(a) for a in p.authors)}
    assert expected and shown(page) == expected


def test_empty_sections_hide_and_clear_all_restores(page, served):
    open_attacks(page, served)
    page.locator("#gl-setting-vertical-fl").check()
    for category in CATALOG.taxonomy.groups[1].walk():
        has = any(category.id in with_ancestors(p) and "vertical-fl" in p.facets for p in ATTACKS)
        assert page.locator(f"#category-{category.id}").is_visible() == has, category.id
    page.locator("button.gl-clear").click()
    assert shown(page) == {p.key for p in ATTACKS}
    assert urlsplit(page.url).query == ""


def test_state_round_trips_through_the_url_reload_back_and_forward(page, served):
    open_attacks(page, served)
    page.locator("#gl-modality-image").check()
    page.select_option("#gl-from", "2024")
    page.select_option("#gl-sort", "title")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"modality": ["image"], "from": ["2024"], "sort": ["title"]}
    view = shown(page)
    order = page.evaluate("Array.from(document.querySelectorAll('article.gl-card:not([hidden])'))"
                          ".map(c => [c.dataset.section, c.querySelector('.gl-card__title').textContent])")
    for section in {s for s, _ in order}:  # sorted by title within each category section
        titles = [fold(t) for s, t in order if s == section]
        assert titles == sorted(titles), section
    page.reload()
    page.wait_for_selector("#gl-count")
    assert shown(page) == view
    assert page.locator("#gl-modality-image").is_checked()
    assert page.locator("#gl-from").input_value() == "2024"
    page.go_back()  # undo the sort
    assert parse_qs(urlsplit(page.url).query) == {"modality": ["image"], "from": ["2024"]}
    page.go_back()  # undo the year
    assert shown(page) == {p.key for p in ATTACKS if "image" in p.facets}
    assert page.locator("#gl-from").input_value() == ""
    page.go_forward()
    assert shown(page) == view
    page.goto(f"{served}attacks/?q=Balunovi%C4%87&code=1")  # a shared link
    page.wait_for_selector("#gl-count")
    assert page.locator("#gl-q").input_value() == "Balunović"
    assert shown(page) == {p.key for p in ATTACKS if p.code and any(
        "balunovic" in fold(a) for a in p.authors)}


def test_selection_exports_exactly_the_selected_clean_bibtex(page, served):
    open_attacks(page, served)
    chosen = sorted(p.key for p in ATTACKS[:3])
    for key in chosen:
        page.locator(f"[id='gl-sel-{key}']").check()
    assert page.locator("#gl-export-note").inner_text() == "3 selected"
    export(page, "gl-copy-bib")
    expected = "\n".join(BIBTEX[k] for k in chosen)
    assert page.evaluate("navigator.clipboard.readText()") == expected
    with page.expect_download() as info:
        export(page, "gl-download-bib")
    assert Path(info.value.path()).read_text(encoding="utf-8") == expected


def test_without_selection_the_filtered_view_is_exported(page, served):
    open_attacks(page, served, "?modality=tabular")
    keys = sorted(p.key for p in ATTACKS if "tabular" in p.facets)
    with page.expect_download() as info:
        export(page, "gl-download-bib")
    assert Path(info.value.path()).read_text(encoding="utf-8") == "\n".join(BIBTEX[k] for k in keys)
    export(page, "gl-select-shown")
    assert page.locator("#gl-export-note").inner_text() == f"{len(keys)} selected"


def test_copy_buttons_of_a_card(page, served):
    paper = next(p for p in ATTACKS if p.doi)
    open_attacks(page, served)
    card = page.locator(f"article[data-key='{paper.key}']")
    assert card.locator("button.gl-copy").is_hidden()  # behind the card's "More"
    card.locator("button.gl-more-toggle").focus()
    page.keyboard.press("Enter")
    # each button says "Copied" once its clipboard write has finished (and for 1.5 s only):
    # the clipboard is read after that, not while the write may still be under way
    card.locator("button.gl-copy").click()
    expect(card.locator("button.gl-copy")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == BIBTEX[paper.key]
    card.locator("button.gl-copy-doi").click()
    expect(card.locator("button.gl-copy-doi")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == paper.doi
    card.locator("button.gl-copy-link").click()
    expect(card.locator("button.gl-copy-link")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/project/attacks/#{paper.key}")
    assert "copied" in page.locator(".gl-status").inner_text()


@pytest.mark.parametrize("how", ["title", "venue"])
def test_search_finds_a_paper_by_a_title_word_or_its_venue(page, served, how):
    paper = next(p for p in ATTACKS if p.key == "geiping2020inverting")
    query = "Inverting Gradients" if how == "title" else "NeurIPS Geiping"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    page.locator(f".md-search-result__link[href*='paper={paper.key}']").first.wait_for(timeout=10000)


AXE_PAGES = ["", "attacks/", "papers/", "contributing/", "stats/", "matrix/", "timeline/", "new/",
             "paper/geiping2020inverting/"]


# Every page in both palettes, but for the list of all papers (every card of the library,
# a minute of axe): in the light one. Its cards are the template audited in both palettes
# on attacks/ (and with every filter control open in e2e/test_lists.py).
@pytest.mark.parametrize(("scheme", "path"), [(scheme, path) for scheme in ("light", "dark")
                                              for path in AXE_PAGES
                                              if (scheme, path) != ("dark", "papers/")])
def test_axe_reports_no_serious_or_critical_violation(page, served, path, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    bad = serious_violations(page)
    assert bad == [], "\n".join(map(str, bad))


@pytest.mark.parametrize("path", ["", "attacks/", "defenses/", "surveys/", ALL_PAPERS, "papers/",
                                  "contributing/", "stats/", "matrix/", "timeline/", "new/",
                                  "paper/zhu2019deep/"])
def test_no_horizontal_scroll_on_a_phone_and_filters_collapse(browser, served, path):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if path in ("attacks/", "defenses/", "surveys/", ALL_PAPERS):
        assert page.locator("#gl-panel").is_hidden()
        page.locator("button.gl-filters-toggle").click()
        assert page.locator("#gl-panel .gl-facet").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_keyboard_reaches_and_operates_the_filters(page, served):
    open_attacks(page, served, filters=False)
    page.locator("#gl-q").focus()
    page.keyboard.type("label")
    assert len(shown(page)) < len(ATTACKS)
    page.keyboard.press("Tab")  # to the one control that shows the filters
    focused = page.evaluate("document.activeElement.className")
    assert "gl-filters-toggle" in focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # Export, the sort, then the first facet
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # first category checkbox
    assert page.locator("#gl-cat-optimization").is_checked()
