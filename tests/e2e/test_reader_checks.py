"""Pages and states a reader reaches that the other browser tests do not walk through."""

from __future__ import annotations

import pytest

from .axe import serious_violations

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_not_yet_verified_page_passes_axe(page, served, scheme):
    """Its 'Named by' links sat in a span, not straight in the paragraph: they were told
    apart from the text by colour alone (axe: link-in-text-block, serious)."""
    page.emulate_media(color_scheme=scheme)
    page.goto(served + "pending/")
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [375, 1366])
def test_back_to_top_is_not_hidden_under_the_sticky_list_toolbar(page, served, width):
    """Scrolling up a list shows the theme's 'Back to top' button at the top of the window,
    where the list's sticky toolbar sat over it: seen by no one, focusable but obscured."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(served + "attacks/")
    page.wait_for_selector("#gl-count")
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -300)
    page.wait_for_function("!document.querySelector('.md-top').hidden")
    on_top = page.evaluate("""() => { const t = document.querySelector('.md-top');
        const r = t.getBoundingClientRect();
        return t.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }""")
    assert on_top


@pytest.mark.parametrize("address", ["attacks/?cat=analytic#zhu2019deep",
                                     "attacks/?cat=analytic&sort=title&paper=zhu2019deep"])
def test_a_link_to_a_card_the_filters_hide_shows_the_card(page, served, address):
    """A filtered list opened at a card outside its filters ('Optimization-based' under
    'Analytic') scrolled nowhere and left the reader before 26 other papers."""
    page.goto(served + address)
    page.wait_for_selector("#gl-count")
    card = page.locator("article[data-key='zhu2019deep']")
    card.wait_for(state="visible")
    top = card.evaluate("c => c.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] / 2
    assert page.locator(".gl-chip").count() == 0  # the filters were cleared, not the sort
    assert "cat=" not in page.url
    assert ("sort=title" in page.url) == ("sort=title" in address)
    assert page.url.endswith("#zhu2019deep")


def test_without_javascript_the_home_page_shows_no_search_box_that_does_nothing(browser, served):
    """The home page's search box hands the query to the theme's search (a script); without
    JavaScript, 'Search' reloaded the home page with '?q=...' and nothing else happened. The
    theme hides its own header search then; the home box is hidden too, the group links stay."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served)
    assert page.locator("form.gl-home__search").is_hidden()
    assert page.get_by_role("link", name="Attacks").first.is_visible()
    context.close()
    context = browser.new_context()  # with JavaScript the box is there
    page = context.new_page()
    page.goto(served)
    assert page.locator("form.gl-home__search").is_visible()
    context.close()


@pytest.mark.parametrize("path", ["attacks/?modality=tabular", "paper/zhu2019deep/"])
def test_a_printed_list_or_paper_page_has_no_dead_controls(page, served, path):
    """Printed (or saved as PDF), a list kept its filter box, Filters, Export and sort
    controls, every card's BibTeX and More buttons and Select box, and a paper page its
    Copy buttons: none does anything on paper. The papers and what the filter shows stay."""
    page.set_viewport_size({"width": 900, "height": 1000})
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    controls = page.evaluate("""() => [...document.querySelectorAll(
        'article.md-content__inner :is(button, input, select)')]
        .filter(e => e.getClientRects().length > 0 && !e.matches('.gl-chip'))
        .map(e => e.outerHTML.slice(0, 80))""")
    assert controls == []
    assert page.locator("article .gl-card__title, article h1").first.is_visible()
    if "attacks" in path:  # what is printed is the filtered list, and it says so
        assert page.locator("#gl-count").is_visible()
        assert "Showing" in page.locator("#gl-count").inner_text()
        assert page.locator("article.gl-card:visible").count() < page.locator("article.gl-card").count()
        chip = page.locator(".gl-chip").first  # the active filter, printed as its name
        assert chip.is_visible() and chip.evaluate("c => getComputedStyle(c, '::after').content") == "none"


@pytest.mark.parametrize(("address", "key"), [
    ("attacks/#geiping2021inverting", "geiping2020inverting"),   # on this page
    ("defenses/#geiping2021inverting", "geiping2020inverting"),  # on another
    ("papers/?paper=zhu2020deep", "zhu2019deep"),
])
def test_a_link_to_a_card_whose_key_changed_opens_the_card(page, served, address, key):
    """A list link made before a key changed ("attacks/#nguyen2023split", now
    nguyen2024split) left the reader at the top of the list."""
    page.goto(served + address)
    card = page.locator(f"article[data-key='{key}']")
    card.wait_for(state="visible")
    page.wait_for_url(f"**#{key}")
    top = card.evaluate("c => c.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] / 2
