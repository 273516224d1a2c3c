"""A paper page's Cite section in Chromium: each formatted reference copies as its text."""

from __future__ import annotations

from pathlib import Path

import pytest
from gradleak.catalog import load_catalog
from gradleak.citations import format_references, plain_text

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT / "bib")

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_copy_button_copies_the_formatted_reference(page, served, style):
    paper = next(p for p in CATALOG.papers if p.doi and len(p.authors) > 1)
    page.goto(f"{served}paper/{paper.key}/")
    button = page.locator(f"button[data-copy='cite-{style}-text']")
    assert button.is_visible()
    button.click()
    expected = plain_text(format_references([paper], style)[paper.key])
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert button.inner_text() == "Copied"
    assert "reference copied" in page.locator("#gl-cite-status").inner_text()
    assert page.errors == []


def test_without_javascript_the_reference_shows_and_no_dead_button(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    paper = CATALOG.papers[0]
    page.goto(f"{served}paper/{paper.key}/")
    assert page.locator("#cite-apa-text").is_visible()
    assert page.locator("button.gl-copy-ref").first.is_hidden()
    context.close()
