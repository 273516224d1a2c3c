"""A selection that follows the reader across list pages: papers picked on Attacks and on
Defenses (or on two year pages of All papers) are exported together, survive a reload and
are cleared everywhere by "Unselect all". Chromium, the real library, served under a sub-path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rispy
from gradleak.catalog import load_catalog
from gradleak.export import clean_bibtex

from e2e.test_tools import export

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT / "bib")
BIBTEX = clean_bibtex(CATALOG)
ATTACKS = sorted(p.key for p in CATALOG.papers if p.group == "attacks")
DEFENSES = sorted(p.key for p in CATALOG.papers if p.group == "defenses")


def open_list(page, served, path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}{path}")
    page.wait_for_selector("#gl-count")


def tick(page, key):
    page.locator(f"[id='gl-sel-{key}']").check()


def test_papers_selected_on_two_pages_are_exported_together(page, served):
    open_list(page, served, "attacks/")
    for key in ATTACKS[:2]:
        tick(page, key)
    open_list(page, served, "defenses/")
    assert page.locator("#gl-selection-count").inner_text() == "2 selected (2 on other pages)"
    assert page.locator("button.gl-only").is_hidden()  # none of them is here to show "only"
    tick(page, DEFENSES[0])
    chosen = sorted([*ATTACKS[:2], DEFENSES[0]])
    assert page.locator("#gl-selection-count").inner_text() == "3 selected (2 on other pages)"
    assert page.locator("#gl-export-note").inner_text() == "3 selected (2 on other pages)"
    with page.expect_download() as info:
        export(page, "gl-download-bib")
    assert Path(info.value.path()).read_text(encoding="utf-8") == "\n".join(BIBTEX[k] for k in chosen)
    export(page, "gl-copy-bib")
    page.wait_for_function("document.querySelector('button.gl-copy-bib').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == "\n".join(BIBTEX[k] for k in chosen)
    with page.expect_download() as info:
        export(page, "gl-download-ris")
    assert [r["id"] for r in rispy.loads(Path(info.value.path()).read_text(encoding="utf-8"))] == chosen
    assert page.errors == [] and page.foreign == []


def test_the_selection_survives_a_reload_and_unselect_all_clears_every_page(page, served):
    open_list(page, served, "attacks/")
    tick(page, ATTACKS[0])
    open_list(page, served, "defenses/")
    tick(page, DEFENSES[0])
    page.reload()
    page.wait_for_selector("#gl-count")
    assert page.locator(f"[id='gl-sel-{DEFENSES[0]}']").is_checked()
    assert page.locator("#gl-selection-count").inner_text() == "2 selected (1 on other pages)"
    page.locator("button.gl-unselect").click()
    assert page.locator(".gl-selection").is_hidden()
    open_list(page, served, "attacks/")
    assert not page.locator(f"[id='gl-sel-{ATTACKS[0]}']").is_checked()
    assert page.locator(".gl-selection").is_hidden()
    assert page.locator("#gl-export-note").inner_text().startswith("no selection")


def test_unticking_on_another_page_removes_the_paper_everywhere(page, served):
    open_list(page, served, "attacks/")
    tick(page, ATTACKS[0])
    tick(page, ATTACKS[1])
    open_list(page, served, "attacks/")  # the same page again, as from a link
    page.locator(f"[id='gl-sel-{ATTACKS[0]}']").uncheck()
    open_list(page, served, "defenses/")
    assert page.locator("#gl-selection-count").inner_text() == "1 selected (1 on other pages)"
    page.go_back()  # a page the browser may have kept: its boxes follow the stored selection
    page.wait_for_selector("#gl-count")
    assert not page.locator(f"[id='gl-sel-{ATTACKS[0]}']").is_checked()
    assert page.locator(f"[id='gl-sel-{ATTACKS[1]}']").is_checked()


def test_a_foreign_or_broken_stored_value_is_no_selection(page, served):
    open_list(page, served, "attacks/")
    page.evaluate("localStorage.clear()")
    tick(page, ATTACKS[0])
    name = page.evaluate("Object.keys(localStorage).find(k => k.startsWith('gradleak.selection'))")
    assert json.loads(page.evaluate(f"localStorage.getItem({name!r})")) == [ATTACKS[0]]
    for junk in ["not json", '{"a": 1}', '[1, null, ""]']:
        page.evaluate(f"localStorage.setItem({name!r}, {junk!r})")
        open_list(page, served, "attacks/")
        assert page.locator(".gl-selection").is_hidden(), junk
        assert page.locator("#gl-export-note").inner_text().startswith("no selection")
    assert page.errors == []
