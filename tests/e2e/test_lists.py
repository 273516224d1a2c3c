"""The list pages as researchers use them (issue 11): their own address parameters, pasted
titles, papers first, cards, counts. Chromium, the real site served under /project/."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from gradleak.catalog import load_catalog
from playwright.sync_api import expect

from e2e.axe import serious_violations

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
    # identifiers as cited or copied from the address bar
    ("arXiv:2003.14053", "geiping2020inverting"),
    ("https://arxiv.org/abs/2003.14053v2", "geiping2020inverting"),
    ("https://arxiv.org/pdf/1906.08935v2.pdf", "zhu2019deep"),
    ("https://doi.org/10.52202/079017-2787", "petrov2024dager"),
    ("doi:10.52202/079017-2787", "petrov2024dager"),
])
def test_a_title_pasted_from_bibtex_finds_its_card(page, served, pasted, key):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    page.locator("#gl-q").fill(pasted)
    assert key in shown(page)
    assert len(shown(page)) <= 6  # every word must match: a few papers at most


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return bool(box) and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (375, 812)])
def test_the_first_paper_is_in_the_first_screen(browser, served, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    title = page.locator("article.gl-card .gl-card__title").first.bounding_box()
    assert title["y"] + 30 <= height, title  # its title starts in the first screen
    assert page.locator("#gl-panel").is_hidden()  # the facets wait behind one control
    context.close()


def test_active_filters_show_as_chips_that_remove_them(page, served):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/?modality=image&from=2023")
    page.wait_for_selector("#gl-count")
    chips = page.locator(".gl-chip")
    assert chips.count() == 2
    assert page.locator("button.gl-filters-toggle").inner_text().startswith("Filters (2)")
    page.get_by_role("button", name="Remove filter Data modality: Image").click()
    assert parse_qs(urlsplit(page.url).query) == {"from": ["2023"]}
    assert shown(page) == {p.key for p in ATTACKS if p.year and p.year >= 2023}
    assert chips.count() == 1
    chips.first.click()
    assert urlsplit(page.url).query == "" and shown(page) == {p.key for p in ATTACKS}
    assert page.locator("button.gl-clear").is_hidden()


@pytest.mark.parametrize("width", [375, 768, 1280])
def test_year_and_venue_labels_stay_on_one_line_beside_aligned_selects(page, served, width):
    # At 1280 px "From year" broke over two lines and the three selects started at
    # different places, each pushed by its own label.
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    page.locator("button.gl-filters-toggle").click()
    fields = page.evaluate("""() => ['gl-from', 'gl-to', 'gl-venue'].map(id => {
      const select = document.getElementById(id), label = document.querySelector(`label[for=${id}]`);
      const line = parseFloat(getComputedStyle(label).lineHeight) || 20;
      return {id, lines: label.getBoundingClientRect().height / line,
              left: select.getBoundingClientRect().left, right: select.getBoundingClientRect().right,
              labelRight: label.getBoundingClientRect().right};
    })""")
    for field in fields:
        assert field["lines"] < 1.5, field  # "From year" on one line
        assert field["labelRight"] <= field["left"], field  # the label beside its select
    assert len({round(f["left"]) for f in fields}) == 1, fields  # one column of selects
    assert max(f["right"] for f in fields) <= width


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (375, 812)])
def test_count_and_clear_stay_in_view_while_filtering(browser, served, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{served}attacks/?modality=image")
    page.wait_for_selector("#gl-count")
    page.mouse.wheel(0, 4000)  # returns before the page has scrolled: wait for the scroll
    page.wait_for_function("window.scrollY > 2000")
    assert in_view(page, "#gl-count") and in_view(page, "button.gl-clear")
    page.locator("button.gl-clear").click()
    assert len(shown(page)) == len(ATTACKS)
    context.close()


def test_when_one_paper_matches_it_is_in_view(page, served):
    target = next(p for p in ATTACKS if p.key == "geiping2020inverting")
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    page.locator("#gl-q").press_sequentially(target.arxiv, delay=20)
    assert shown(page) == {target.key}
    page.wait_for_timeout(300)
    assert in_view(page, f"[id='{target.key}']")
    assert not page.locator(f"[id='{target.key}']").evaluate(  # not under the sticky bar
        "h => document.elementFromPoint(h.getBoundingClientRect().left + 5,"
        " h.getBoundingClientRect().top + 5).closest('.gl-toolbar')")


def test_the_selection_bar_follows_the_reader_and_shows_the_selection_only(page, served):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    assert page.locator(".gl-selection").is_hidden()
    chosen = [ATTACKS[0].key, ATTACKS[-1].key]
    for key in chosen:
        page.locator(f"[id='gl-sel-{key}']").check()
    assert page.locator("#gl-selection-count").inner_text() == "2 selected"
    page.mouse.wheel(0, 5000)
    page.wait_for_timeout(300)
    assert in_view(page, ".gl-selection") and in_view(page, "button.gl-only")
    page.locator("button.gl-only").click()
    assert shown(page) == set(chosen)
    assert page.locator("button.gl-only").get_attribute("aria-pressed") == "true"
    page.locator("button.gl-unselect").click()  # nothing selected: the whole list again
    assert len(shown(page)) == len(ATTACKS) and page.locator(".gl-selection").is_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_with_filters_export_menu_chips_and_selection_open(page, served, scheme, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{served}attacks/?modality=image&from=2023&filter=gradient")
    page.wait_for_selector("#gl-count")
    page.locator("article.gl-card:not([hidden]) input.gl-select").first.check()
    page.locator("button.gl-filters-toggle").click()
    page.locator("button.gl-export-toggle").click()
    bad = serious_violations(page)
    assert bad == [], "\n".join(map(str, bad))
    assert page.evaluate("document.documentElement.scrollWidth") <= width


PARENTS = {child.id: c.id for g in CATALOG.taxonomy.groups for c in g.walk() for child in c.children}


def under(category_id: str) -> set[str]:
    """Keys of the attacks whose main category is ``category_id`` or below it."""
    out = set()
    for p in ATTACKS:
        c = p.category
        while c and c != category_id:
            c = PARENTS.get(c)
        if c == category_id:
            out.add(p.key)
    return out


def test_every_category_count_follows_one_rule_stated_on_the_page(page, served):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    assert "counted once, under its main category" in page.locator(".gl-summary").inner_text()
    page.locator("button.gl-filters-toggle").click()
    for category in CATALOG.taxonomy.groups[1].walk():
        expected = len(under(category.id))
        heading = page.locator(f".gl-category[data-category='{category.id}'] .gl-category__count")
        option = page.locator(f"label[for='gl-cat-{category.id}'] .gl-option__count")
        plural = "paper" if expected == 1 else "papers"
        assert heading.inner_text() == f"{expected} {plural}", category.id
        if expected:
            assert option.inner_text() == str(expected), category.id
            page.locator(f"#gl-cat-{category.id}").check()  # the filter leaves exactly those
            assert shown(page) == under(category.id), category.id
            page.locator(f"#gl-cat-{category.id}").uncheck()


def test_while_filtering_headings_say_n_of_m_and_empty_sections_leave_the_toc(page, served):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/?setting=vertical-fl")
    page.wait_for_selector("#gl-count")
    visible = shown(page)
    for category in CATALOG.taxonomy.groups[1].walk():
        n, total = len(under(category.id) & visible), len(under(category.id))
        heading = page.locator(f"[id='category-{category.id}']")
        toc = page.locator(f".md-sidebar--secondary a.md-nav__link[href='#category-{category.id}']")
        count = page.locator(f".gl-category[data-category='{category.id}'] .gl-category__count")
        if n:
            assert heading.is_visible() and toc.is_visible(), category.id
            assert count.inner_text() == f"{n} of {total} {'paper' if total == 1 else 'papers'}"
        else:
            assert heading.is_hidden() and toc.is_hidden(), category.id


def test_a_card_offers_three_actions_and_the_rest_in_a_keyboard_menu(page, served):
    paper = next(p for p in ATTACKS if p.code and p.doi and p.link)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/")
    page.wait_for_selector("#gl-count")
    card = page.locator(f"article[data-key='{paper.key}']")
    card.scroll_into_view_if_needed()  # cards off screen are not rendered
    row = card.locator(".gl-card__links")
    visible = [t.strip() for t in row.locator("a:visible, button:visible").all_text_contents()]
    assert visible == ["Paper", "Code", "BibTeX", "More"], visible
    label = card.locator("label.gl-select__label")  # a visible label, not an unlabelled box
    assert label.is_visible()
    # the card's content is laid out at the next frame after it scrolled in (content-visibility)
    expect(label.locator("span").first).to_have_text("Select", use_inner_text=True)
    assert card.locator(".gl-card__more").is_hidden()
    card.locator("button.gl-more-toggle").focus()
    page.keyboard.press("Enter")
    more = card.locator(".gl-card__more")
    assert more.is_visible()
    items = [t.strip() for t in more.locator("a, button").all_text_contents()]
    for expected in ("Copy BibTeX", "Copy DOI", "Copy link", f"DOI {paper.doi}", "Download .bib",
                     "Details page", "Permalink"):
        assert expected in items, items
    assert page.evaluate("document.activeElement.textContent") == "Copy BibTeX"  # focus moves in
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Copy DOI"
    page.keyboard.press("Escape")  # closes the list, back on its button
    assert more.is_hidden()
    assert "gl-more-toggle" in page.evaluate("document.activeElement.className")
    # one row: no action wraps to a line of its own
    tops = {round(b["y"]) for b in (e.bounding_box() for e in row.locator("a:visible, button:visible").all())}
    assert len(tops) == 1, tops


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_bibtex_wraps_inside_the_card_on_a_phone(browser, served, javascript, scheme):
    paper = max(ATTACKS, key=lambda p: len(", ".join(p.authors)) + len(p.title))
    context = browser.new_context(viewport={"width": 375, "height": 812},
                                  java_script_enabled=javascript, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{served}attacks/#{paper.key}")
    if javascript:
        page.wait_for_selector("#gl-count")
        page.locator(f"article[data-key='{paper.key}'] .gl-bib-toggle").click()
    pre = page.locator(f"[id='bib-{paper.key}'] pre")
    pre.scroll_into_view_if_needed()
    assert pre.is_visible()
    fits = pre.evaluate("p => [p.scrollWidth, p.clientWidth, p.getBoundingClientRect().right,"
                        " p.closest('article').getBoundingClientRect().right]")
    assert fits[0] <= fits[1] + 1 and fits[2] <= fits[3], fits  # wrapped, nothing cut off
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    colours = pre.evaluate("p => [getComputedStyle(p).color, getComputedStyle(p).backgroundColor]")
    assert colours[0] != colours[1]
    context.close()
