"""List pages kept light (issue 11's Lighthouse budget, issue 16's byte budget) without
losing anything: the tools' room is reserved before the script runs, a card's "More" list
gets its script-made items when first opened, readers without JavaScript keep the links
that work for them, and axe stays clean with the filters closed. Chromium, the real site."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from gradleak.catalog import load_catalog

from e2e.axe import serious_violations

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT / "bib")
ATTACKS = [p for p in CATALOG.papers if p.group == "attacks"]

# where the first section heading and the first card's title are
PLACES = """() => ['h2[id^="category-"]', 'article.gl-card .gl-card__title']
    .map(s => Math.round(document.querySelector(s).getBoundingClientRect().top))"""


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (375, 812)])
def test_the_cards_do_not_move_when_the_tools_arrive(browser, served, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.route("**/js/gradleak.js", lambda route: route.abort())  # the page before its script
    page.goto(f"{served}attacks/")
    before = page.evaluate(PLACES)
    assert page.locator("#gl-count").count() == 0
    page.unroute("**/js/gradleak.js")
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    assert page.evaluate(PLACES) == before
    assert page.locator(".gl-skeleton").count() == 0  # the stand-ins are gone
    assert page.locator(".gl-tools__nojs").is_hidden()
    context.close()


def test_a_cards_more_list_is_complete_once_opened_and_not_before(page, served):
    paper = next(p for p in ATTACKS if p.doi and p.arxiv)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    more = page.locator(f"[id='more-{paper.key}']")
    served_items = ["DOI " + paper.doi, "arXiv:" + paper.arxiv, "Download .bib", "Details page"]
    # with the script, neither the list nor the BibTeX is an element until first opened:
    # they wait in a <noscript>, which is text when scripts run
    card = page.locator(f"article[data-key='{paper.key}']")
    assert more.count() == 0 and card.locator(".gl-card__bibtex").count() == 0
    assert page.evaluate("document.querySelectorAll('article.gl-card .gl-card__more').length") == 0
    page.locator(f"article[data-key='{paper.key}'] .gl-more-toggle").click()
    items = [t.strip() for t in more.locator("a, button").all_text_contents()]
    assert items == ["Copy BibTeX", "Copy DOI", "Copy link", *served_items[:3], ".ris", "CSL-JSON",
                     "Cite", "Details page", "Permalink"]
    assert card.locator(".gl-card__bibtex").is_hidden()  # made with the list, still folded
    for cls in ("ris", "csl", "cite", "anchor"):  # each named with the paper's title
        assert paper.title in more.locator(f"a.gl-link--{cls}").get_attribute("aria-label")
    assert more.locator("a.gl-link--anchor").get_attribute("href") == f"#{paper.key}"
    # the three citation links side by side are apart, not run together (".risCSL-JSONCite")
    boxes = [more.locator(f"a.gl-link--{cls}").bounding_box() for cls in ("ris", "csl", "cite")]
    for left, right in itertools.pairwise(boxes):
        assert right["x"] >= left["x"] + left["width"] + 8 or right["y"] >= left["y"] + left["height"]
    toggle = page.locator(f"article[data-key='{paper.key}'] .gl-more-toggle")
    toggle.click()
    toggle.click()  # opened again: nothing added twice
    assert [t.strip() for t in more.locator("a, button").all_text_contents()] == items
    assert page.errors == []


def test_without_javascript_the_more_list_keeps_what_works_without_it(browser, served):
    paper = next(p for p in ATTACKS if p.doi)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served}attacks/")
    more = page.locator(f"[id='more-{paper.key}']")
    assert more.is_visible()
    links = {a.text_content().strip(): a.get_attribute("href") for a in more.locator("a").all()}
    assert links["DOI " + paper.doi] == f"https://doi.org/{paper.doi}"
    assert links["Download .bib"] == f"../downloads/papers/{paper.key}.bib"
    assert links["Details page"] == f"../paper/{paper.key}/"
    assert page.locator(".gl-tools__nojs").is_visible()
    assert page.locator(".gl-skeleton").first.is_hidden()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_with_filters_closed_and_a_more_list_open(page, served, scheme, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    assert page.locator("#gl-panel").is_hidden()
    page.locator("article.gl-card .gl-more-toggle").first.click()
    bad = serious_violations(page)
    assert bad == [], "\n".join(map(str, bad))


def test_an_all_papers_link_to_a_card_still_opens_it(page, served):
    """papers/#KEY was the one list of every paper; it is now split by year (at real size):
    the link still opens the card, on its year's page."""
    paper = min(CATALOG.papers, key=lambda p: (p.year or 0, p.key))  # far from the newest
    page.goto(f"{served}papers/#{paper.key}")
    page.wait_for_function("k => location.hash === '#' + k && document.getElementById(k)",
                           arg=paper.key)
    page.wait_for_selector("#gl-count")
    assert page.locator(f"[id='{paper.key}']").is_visible()
    assert page.url.split("#")[0].endswith(f"papers/{paper.year}/")
    assert page.errors == []
