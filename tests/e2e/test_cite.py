"""A paper page's Cite section in Chromium: each formatted reference copies as its text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rispy
from gradleak.catalog import load_catalog
from gradleak.citations import csl_json, ris
from gradleak.references import format_references
from gradleak.reflists import plain_text
from playwright.sync_api import expect

from e2e.axe import serious_violations

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
    # "Copied" shows once the clipboard write has finished, and for 1.5 s only: read it
    # first (on a busy machine the two clipboard reads took longer than that)
    expect(button).to_have_text("Copied")
    reference = format_references([paper], style)[paper.key]
    assert page.evaluate("navigator.clipboard.readText()") == plain_text(reference)
    # pasted into Word or Google Docs, the journal or proceedings (and volume) stay italic
    assert "<i>" in reference and copied_html(page) == reference
    assert "reference copied" in page.locator("#gl-cite-status").inner_text()
    assert page.errors == []


def copied_html(page) -> str:
    """The clipboard's text/html, as a word processor reads it on paste (the fragment)."""
    html = page.evaluate("""async () => {
        const [item] = await navigator.clipboard.read();
        return item.types.includes("text/html") ? (await item.getType("text/html")).text() : null;
    }""")
    assert html is not None, "no text/html on the clipboard: a pasted reference loses its italics"
    return re.sub(r"^.*?<!--StartFragment-->|<!--EndFragment-->.*$", "", html, flags=re.S)


def test_without_javascript_the_reference_shows_and_no_dead_button(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    paper = CATALOG.papers[0]
    page.goto(f"{served}paper/{paper.key}/")
    assert page.locator("#cite-apa-text").is_visible()
    assert page.locator("button.gl-copy-ref").first.is_hidden()
    context.close()


def _export(page, cls):
    """Click an action of the list's Export menu, opening the menu first."""
    toggle = page.locator("button.gl-export-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.locator(f"button.{cls}").click()


def _attacks(page, served, query=""):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served}attacks/{query}")
    page.wait_for_selector("#gl-count")


def test_selection_downloads_as_ris_and_csl_json(page, served):
    attacks = [p for p in CATALOG.papers if p.group == "attacks"]
    chosen = sorted(p.key for p in attacks[:3])
    _attacks(page, served)
    for key in chosen:
        page.locator(f"[id='gl-sel-{key}']").check()
    by_key = {p.key: p for p in CATALOG.papers}
    with page.expect_download() as info:
        _export(page, "gl-download-ris")
    assert info.value.suggested_filename == "gradleak-selection.ris"
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text == ris([by_key[k] for k in chosen])
    assert [r["id"] for r in rispy.loads(text)] == chosen
    with page.expect_download() as info:
        _export(page, "gl-download-csl")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data == json.loads(csl_json([by_key[k] for k in chosen]))
    assert page.errors == [] and page.foreign == []


def test_without_selection_the_filtered_view_downloads_as_ris(page, served):
    keys = sorted(p.key for p in CATALOG.papers if p.group == "attacks" and "tabular" in p.facets)
    _attacks(page, served, "?modality=tabular")
    with page.expect_download() as info:
        _export(page, "gl-download-ris")
    assert [r["id"] for r in rispy.loads(Path(info.value.path()).read_text(encoding="utf-8"))] == keys


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_paper_page_with_its_cite_section_passes_axe(page, served, scheme):
    paper = next(p for p in CATALOG.papers if p.doi)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{served}paper/{paper.key}/")
    bad = serious_violations(page, within="section.gl-cite")
    assert bad == [], "\n".join(map(str, bad))


def test_cite_section_fits_a_phone(page, served):
    paper = max(CATALOG.papers, key=lambda p: len(p.link or ""))  # the longest URL
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{served}paper/{paper.key}/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    box = page.locator("#cite-ieee-text").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320


# Count the BibTeX characters drawn under the theme's copy button (top right of the block).
_UNDER_THE_COPY_BUTTON = """pre => {
  const button = pre.querySelector('.md-code__button, .md-clipboard').getBoundingClientRect();
  const range = document.createRange();
  const walker = document.createTreeWalker(pre.querySelector('code'), NodeFilter.SHOW_TEXT);
  let under = '';
  for (let node; (node = walker.nextNode());) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      for (const c of range.getClientRects())
        if (node.data[i].trim() && c.right > button.left && c.left < button.right
            && c.bottom > button.top && c.top < button.bottom) under += node.data[i];
    }
  }
  return under;
}"""


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_copy_button_never_covers_the_bibtex(page, served, width):
    # The paper page's BibTeX wraps (it never scrolls sideways), so without room kept for
    # the copy button its first line ran under it: "geiping2020invertin|g|," at 375 px.
    paper = max(CATALOG.papers, key=lambda p: len(p.key) + len(p.title))
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{served}paper/{paper.key}/")
    pre = page.locator("details.gl-card__bibtex pre")
    pre.scroll_into_view_if_needed()
    page.locator("details.gl-card__bibtex .md-code__button").wait_for()
    assert pre.evaluate(_UNDER_THE_COPY_BUTTON) == ""


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_selection_copies_its_formatted_references(page, served, style):
    from gradleak.reflists import reference_list

    attacks = [p for p in CATALOG.papers if p.group == "attacks"]
    chosen = sorted(attacks[:4], key=lambda p: p.key)
    _attacks(page, served)
    for p in chosen:
        page.locator(f"[id='gl-sel-{p.key}']").check()
    _export(page, f"gl-copy-{style}")
    page.wait_for_function(f"document.querySelector('button.gl-copy-{style}').textContent === 'Copied'")
    references = format_references(chosen, style)
    expected = reference_list(chosen, references, style)
    assert page.evaluate("navigator.clipboard.readText()") == expected
    # the same list as paragraphs, the journals and proceedings in italics
    paragraphs = re.findall(r"<p>(.*?)</p>", copied_html(page))
    assert [plain_text(re.sub(r"^\[\d+\] ", "", p)) for p in paragraphs] == [
        re.sub(r"^\[\d+\] ", "", t) for t in expected.rstrip("\n").split("\n\n")]
    assert sorted(re.sub(r"^\[\d+\] ", "", p) for p in paragraphs) == sorted(references.values())


def test_a_cards_citation_links(page, served):
    paper = next(p for p in CATALOG.papers if p.group == "attacks")
    _attacks(page, served)
    card = page.locator(f"article[data-key='{paper.key}']")
    card.locator("button.gl-more-toggle").click()  # the citation links are in the card's "More"
    with page.expect_download() as info:
        card.locator("a.gl-link--ris").click()
    assert Path(info.value.path()).read_text(encoding="utf-8") == ris([paper])
    with page.expect_download() as info:
        card.locator("a.gl-link--csl").click()
    assert json.loads(Path(info.value.path()).read_text(encoding="utf-8")) == json.loads(csl_json([paper]))
    card.locator("a.gl-link--cite").click()
    page.wait_for_url(f"**/paper/{paper.key}/#cite")
    assert page.locator("#cite-apa-text").is_visible()
    assert page.errors == [] and page.foreign == []
