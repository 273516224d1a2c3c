"""The light/dark toggle, switched by the site's script instead of the theme's palette
component (which re-styled every element of the page three times at each load): the
reader's system setting is followed until they choose, the choice is kept from page to
page in the theme's own storage, the toggle works by mouse and keyboard, and loading a
page no longer marks the body "switching". Chromium, the real site under a sub-path."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

STATE = """() => ({
  scheme: document.body.getAttribute('data-md-color-scheme'),
  toggles: [...document.querySelectorAll('form.md-header__option label')].map(l => !l.hidden),
  meta: (document.querySelector('meta[name=color-scheme]') || {}).content,
  stored: Object.keys(localStorage).filter(k => k.endsWith('.__palette')).length})"""

# every change to the body's palette attributes from the first byte on
WATCH = """window.__changes = [];
new MutationObserver(list => list.forEach(m => window.__changes.push(m.attributeName)))
  .observe(document, {subtree: true, attributes: true,
                      attributeFilter: ['data-md-color-switching']});"""


def _open(browser, served, scheme, path="attacks/"):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 412, "height": 823})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.add_init_script(WATCH)
    page.goto(f"{served}{path}")
    page.wait_for_load_state("load")
    return context, page


@pytest.mark.parametrize(("system", "scheme", "other"), [("light", "default", "slate"),
                                                         ("dark", "slate", "default")])
def test_the_palette_follows_the_system_then_the_readers_choice(browser, served, system, scheme,
                                                                other):
    context, page = _open(browser, served, system)
    state = page.evaluate(STATE)
    assert state["scheme"] == scheme and state["stored"] == 0
    assert state["toggles"].count(True) == 1  # one toggle shown: to the other palette
    assert state["meta"] == ("dark" if scheme == "slate" else "light")
    page.locator("form.md-header__option label:not([hidden])").click()
    page.wait_for_timeout(100)  # the "switching" mark is lifted in the next frame
    state = page.evaluate(STATE)
    assert state["scheme"] == other and state["stored"] == 1
    assert state["meta"] == ("dark" if other == "slate" else "light")
    assert page.evaluate("document.body.hasAttribute('data-md-color-switching')") is False
    # kept on the next page, before the first paint (no switch at load)
    page.goto(f"{served}defenses/")
    page.wait_for_load_state("load")
    assert page.evaluate(STATE)["scheme"] == other
    assert page.evaluate("window.__changes") == []
    # a system change no longer overrides the reader's choice
    page.emulate_media(color_scheme="dark" if system == "light" else "light")
    page.wait_for_timeout(100)
    assert page.evaluate(STATE)["scheme"] == other
    assert page.errors == []
    context.close()


def test_the_palette_follows_a_system_change_until_the_reader_chooses(browser, served):
    context, page = _open(browser, served, "light", "")
    assert page.evaluate(STATE)["scheme"] == "default"
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(100)
    state = page.evaluate(STATE)
    assert state["scheme"] == "slate" and state["toggles"] == [False, True]
    assert state["stored"] == 0
    context.close()


def test_the_palette_toggle_works_from_the_keyboard(browser, served):
    context, page = _open(browser, served, "light")
    page.focus("#__palette_0")  # the light palette's radio, which the toggle focuses
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert page.evaluate(STATE)["scheme"] == "slate"
    assert page.evaluate("document.activeElement.id") == "__palette_1"
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert page.evaluate(STATE)["scheme"] == "default"
    context.close()


def test_loading_a_page_does_not_restyle_it_for_the_palette(browser, served):
    """The theme's component marked the body "switching" at every load (a rule on every
    element, then off again: two extra styles of the whole page); the page is now shown in
    its palette from the start."""
    for system in ("light", "dark"):
        context, page = _open(browser, served, system)
        page.wait_for_timeout(200)
        assert page.evaluate("window.__changes") == []
        context.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (375, 812)])
def test_the_palette_toggle_does_not_move_when_the_theme_script_starts(browser, served, width,
                                                                       height):
    """Shown from the first paint, the toggle must not be pushed aside when the theme's
    script shows the search button and box to its right (it removes "no-js")."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    place = "() => document.querySelector('form.md-header__option').getBoundingClientRect().toJSON()"
    page.route("**/assets/javascripts/bundle.*.js", lambda route: route.abort())
    page.goto(f"{served}attacks/")
    before = page.evaluate(place)
    assert page.locator("form.md-header__option label:not([hidden])").count() == 1
    assert page.evaluate("document.documentElement.classList.contains('no-js')")
    page.unroute("**/assets/javascripts/bundle.*.js")
    page.goto(f"{served}attacks/")
    page.wait_for_function("!document.documentElement.classList.contains('no-js')")
    assert page.evaluate(place) == before
    assert page.locator("label.md-header__button[for='__search']").is_visible() is (width < 960)
    context.close()
