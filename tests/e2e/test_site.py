"""The real site in headless Chromium, as a reader uses it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from gradleak.catalog import load_catalog
from gradleak.export import clean_bibtex

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e

CATALOG = load_catalog(ROOT / "bib")
PAGES = ["", "surveys/", "attacks/", "defenses/", "papers/", "contributing/", "stats/", "timeline/",
         "matrix/", "new/", "paper/zhu2019deep/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_without_errors_or_third_party_requests(page, served, path):
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    assert page.errors == []
    assert page.foreign == []


def test_copy_button_puts_the_clean_bibtex_on_the_clipboard(page, served):
    paper = next(p for p in CATALOG.papers if p.group == "surveys")
    page.goto(f"{served}paper/{paper.key}/")  # the theme's copy button on the paper's page
    card = page.locator(f"article[data-key='{paper.key}']")
    card.locator("button[data-md-type='copy']").click()
    assert page.evaluate("navigator.clipboard.readText()") == clean_bibtex(CATALOG)[paper.key].rstrip("\n")
    assert page.errors == []


def test_download_link_of_a_paper_serves_its_bibtex(page, served):
    paper = CATALOG.papers[0]
    page.goto(f"{served}{paper.group}/")
    page.locator(f"article[data-key='{paper.key}'] .gl-more-toggle").click()  # in "More"
    link = page.locator(f"article[data-key='{paper.key}'] a[download$='.bib']")
    with page.expect_download() as info:
        link.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text == clean_bibtex(CATALOG)[paper.key]


def test_without_javascript_every_card_is_visible(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for group in CATALOG.taxonomy.groups:
        page.goto(f"{served}{group.id}/")
        keys = [p.key for p in CATALOG.papers if p.group == group.id]
        for key in keys:
            assert page.locator(f"[id='{key}']").is_visible(), key
        # the BibTeX too: its fold-away button needs the script, so the text is shown as is
        first = page.locator(f"[id='bib-{keys[0]}'] pre")
        assert first.is_visible()
        assert first.text_content().strip() == clean_bibtex(CATALOG)[keys[0]].strip()
        assert page.locator(".gl-bib-toggle").first.is_hidden()
    context.close()


def test_a_cards_bibtex_button_shows_and_hides_its_bibtex(page, served):
    paper = next(p for p in CATALOG.papers if p.group == "attacks")
    page.goto(f"{served}attacks/")
    toggle = page.locator(f"article[data-key='{paper.key}'] .gl-bib-toggle")
    panel = page.locator(f"#bib-{paper.key}")
    assert toggle.get_attribute("aria-controls") == f"bib-{paper.key}"
    assert panel.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")  # a real button: the keyboard works as the mouse does
    assert panel.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert panel.inner_text().strip() == clean_bibtex(CATALOG)[paper.key].strip()
    toggle.click()
    assert panel.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    assert page.errors == []


def test_search_finds_a_paper_by_surname_and_opens_its_card(page, served):
    paper = next(p for p in CATALOG.papers if p.authors)
    surname = paper.authors[0].split()[-1]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(surname, delay=30)
    result = page.locator(f".md-search-result__link[href*='paper={paper.key}']").first
    result.wait_for(timeout=10000)
    result.click()
    page.wait_for_function("k => location.hash === '#' + k", arg=paper.key)
    url = urlsplit(page.url)
    assert (url.path, url.fragment) == (f"/project/{paper.group}/", paper.key)
    assert page.locator(f"[id='{paper.key}']").is_visible()
