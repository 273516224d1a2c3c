"""README's paper list as GitHub shows it: rendered by a CommonMark parser, each item's
visible text is the library's, and every title links somewhere real."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SITE_BIB
from gradleak.catalog import load_catalog
from gradleak.model import Catalog
from gradleak.readme import END, START, md_text, paper_href, render_list, site_url_of
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(SITE_BIB)  # the fixture library; the live one only where README is
# CommonMark plus GitHub's strikethrough and tables, which also give ~ and | a meaning
MD = MarkdownIt("commonmark").enable(["strikethrough", "table"])


def expected_text(p) -> str:
    code = " [code]" if p.code else ""
    where = " ".join(str(part) for part in (p.venue, p.year) if part)  # no venue: no "**"
    return f"{p.title}{code} — {', '.join(p.authors)}. {where}."


def items(markdown: str) -> list:
    """The <li> elements of the rendered list (the visible page, as a reader gets it)."""
    assert markdown.startswith(START) and markdown.rstrip().endswith(END)
    soup = BeautifulSoup(MD.render(markdown), "html.parser")
    return soup.find_all("li")


def check_items(catalog: Catalog, site_url: str | None) -> int:
    lis = items(render_list(catalog, site_url))
    by_key = {p.key: p for p in catalog.papers}
    assert len(lis) == len(by_key)
    seen = set()
    for li in lis:
        link = li.find("a")
        # which paper: the one whose expected text this item shows
        text = li.get_text()
        matches = [p for p in by_key.values() if expected_text(p) == text and p.key not in seen]
        assert matches, f"no paper shows as {text!r}"
        paper = matches[0]
        seen.add(paper.key)
        assert link.get_text() == paper.title
        assert link["href"] == MD.normalizeLink(paper_href(paper, site_url))
        assert {t.name for t in li.find_all(True)} <= {"a", "em"}, li  # no markup from values
        if paper.code:
            assert li.find_all("a")[1]["href"] == MD.normalizeLink(paper.code)
    return len(seen)


@pytest.mark.parametrize("site_url", [None, "https://example.org/gradleak/"])
def test_every_item_shows_the_library_values(site_url):
    assert check_items(CATALOG, site_url) == len(CATALOG.papers)


def test_no_html_entity_in_the_markdown():
    markdown = render_list(CATALOG)
    assert "&#" not in markdown and "&amp;" not in markdown and "&quot;" not in markdown


NASTY = [
    "Peers' Data & \"Quotes\" <script>alert(1)</script>",
    "*star* _under_ `code` [link](http://x) ![img](y) ~~strike~~ $x^2$ a|b",
    "Back\\slash \\emph{x} &amp; &#39; <b>bold</b> 1. # not a heading",
    "Trailing backslash \\",
]


def test_markup_characters_in_values_show_as_themselves():
    papers = list(CATALOG.papers[:len(NASTY) * 2])
    for i, title in enumerate(NASTY):
        p = papers[i]
        papers[i] = replace(p, title=title, authors=(title, "O'Brien, Jr."), venue=title,
                            raw=replace(p.raw, key=f"nasty{i}"))
    without_link = papers[len(NASTY)]
    papers[len(NASTY)] = replace(without_link, link=None,
                                 code="https://example.org/a b<c>?x=1&amp;y=2&copy;",
                                 raw=replace(without_link.raw, key="nolink"))
    catalog = Catalog(CATALOG.taxonomy, tuple(papers))
    assert check_items(catalog, None) == len(papers)
    assert check_items(catalog, "https://example.org/site") == len(papers)


def test_papers_without_a_url_link_to_their_page_or_entry():
    paper = next(p for p in CATALOG.papers if not p.link)
    assert paper_href(paper, "https://example.org/x/") == f"https://example.org/x/paper/{paper.key}/"
    # no published address configured: the entry in the library, on the repository's host
    href = paper_href(paper, None)
    file, line = href.split("#L")
    lines = (SITE_BIB.parent / file).read_text(encoding="utf-8").splitlines()
    assert lines[int(line) - 1].startswith("@") and paper.key in lines[int(line) - 1]


def test_md_text_escapes_only_what_markdown_reads():
    assert md_text("In-depth. M. Hadi (2024)") == "In-depth. M. Hadi (2024)"
    assert md_text("a & b <i>") == "a \\& b \\<i\\>"


def test_site_url_is_read_from_mkdocs_yml(tmp_path):
    assert site_url_of(tmp_path) is None
    (tmp_path / "mkdocs.yml").write_text(
        "site_url: !ENV GRADLEAK_SITE_URL\nextra:\n  gradleak:\n    site_url: https://a.b/c\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:x.y\n")
    assert site_url_of(tmp_path) == "https://a.b/c/"
    assert site_url_of(ROOT) is None or site_url_of(ROOT).endswith("/")


@pytest.mark.live
def test_committed_readme_is_current():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(START): text.index(END) + len(END)] + "\n"
    assert section == render_list(load_catalog(ROOT / "bib"), site_url_of(ROOT))
