"""The list pages as researchers use them (issue 11): their own address parameters, pasted
titles, papers first, cards, counts. Chromium, the real site served under /project/."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from gradleak.catalog import load_catalog

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT / "bib")
ATTACKS = [p for p in CATALOG.papers if p.group == "attacks"]


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c)).casefold()


def shown(page) -> set[str]:
    return set(page.evaluate(
        "Array.from(document.querySelectorAll('article.gl-card')).filter(c => !c.hidden)"
        ".map(c => c.dataset.key)"))


def search_open(page) -> bool:
    return page.evaluate("document.getElementById('__search').checked")


def by_author(surname: str) -> set[str]:
    return {p.key for p in ATTACKS if any(fold(surname) in fold(a) for a in p.authors)}


def test_an_old_q_link_filters_the_list_without_opening_the_search(page, served):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/?q=geiping")
    page.wait_for_selector("#gl-count")
    page.wait_for_timeout(500)  # the theme would open its search overlay by now
    assert not search_open(page)
    assert shown(page) == by_author("Geiping")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"filter": ["geiping"]}
    page.locator("body").press("Escape")  # the theme's Esc no longer touches the address
    page.wait_for_timeout(200)
    assert parse_qs(urlsplit(page.url).query) == {"filter": ["geiping"]}
    page.reload()
    page.wait_for_selector("#gl-count")
    assert shown(page) == by_author("Geiping") and not search_open(page)
    assert page.errors == []


def test_the_list_filter_writes_its_own_parameter(page, served):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    page.locator("#gl-q").fill("geiping")
    assert parse_qs(urlsplit(page.url).query) == {"filter": ["geiping"]}
    page.reload()
    page.wait_for_selector("#gl-count")
    assert not search_open(page) and shown(page) == by_author("Geiping")


@pytest.mark.parametrize(("pasted", "key"), [
    ("Inverting Gradients -- How easy is it to break privacy in federated learning?",
     "geiping2020inverting"),
    ("{R-GAP}: Recursive Gradient Attack on Privacy", "zhu2021rgap"),
    ('"Deep Leakage from Gradients"', "zhu2019deep"),
    ("Mj{\\\"o}lnir: Breaking the Shield", "liu2025mjolnir"),
    ("{GRNN}: Generative Regression Neural Network---A Data Leakage Attack", "ren2022grnn"),
    ("2003.14053", "geiping2020inverting"),
    ("zhu2021rgap", "zhu2021rgap"),
])
def test_a_title_pasted_from_bibtex_finds_its_card(page, served, pasted, key):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    page.locator("#gl-q").fill(pasted)
    assert key in shown(page)
    assert len(shown(page)) <= 6  # every word must match: a few papers at most
