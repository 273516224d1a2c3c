"""The contributors' docs describe every site field of the schema, in a table that renders."""

import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from gradleak.schema import SITE_FIELDS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("doc", ["CONTRIBUTING.md", "docs/contributing.md"])
def test_every_site_field_is_a_row_of_the_schema_table(doc):
    html = markdown.markdown((ROOT / doc).read_text(encoding="utf-8"), extensions=["tables"])
    rows = BeautifulSoup(html, "html.parser").select("table tr td:first-child code")
    documented = {code.get_text() for code in rows}
    assert set(SITE_FIELDS) <= documented, set(SITE_FIELDS) - documented


def test_the_data_page_names_every_field_its_exports_remove():
    """It listed eight of the nine site fields removed from every export (not `checked`)."""
    html = markdown.markdown((ROOT / "docs/data.md").read_text(encoding="utf-8"))
    paragraph = next(p for p in BeautifulSoup(html, "html.parser").find_all("p")
                     if "fields (" in p.get_text() and "removed" in p.get_text())
    named = {code.get_text() for code in paragraph.find_all("code")}
    assert set(SITE_FIELDS) <= named, set(SITE_FIELDS) - named


DOCS = ["README.md", "CONTRIBUTING.md", "ARCHITECTURE.md", *sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS)
def test_no_doc_describes_the_forked_writer(doc):
    """The files the site writes are created by a second process started from sink.py (no
    fork since 727e9b5); ARCHITECTURE.md still said 'a forked second process'."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert not re.search(r"\bfork", text, re.IGNORECASE), doc


def test_the_architecture_names_the_file_writer_and_when_it_is_used():
    text = " ".join((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").split())
    assert "sink.py" in text
    assert "`processes: 1`" in text and "`mkdocs serve`" in text


@pytest.mark.live
def test_the_site_schema_marks_the_fields_the_library_requires():
    """The Contributing page said `tldr` and `venue` were optional site fields, while
    `check` requires them ('required' in bib/taxonomy.yml)."""
    from gradleak.taxonomy import parse_taxonomy

    taxonomy, _ = parse_taxonomy((ROOT / "bib/taxonomy.yml").read_text(encoding="utf-8"), "t")
    html = markdown.markdown((ROOT / "docs/contributing.md").read_text(encoding="utf-8"),
                             extensions=["tables"])
    rows = {row.select_one("td code").get_text(): row.select("td")[1].get_text()
            for row in BeautifulSoup(html, "html.parser").select("table tr")
            if row.select_one("td code")}
    assert taxonomy.required
    for name in taxonomy.required:
        assert rows[name].startswith("site field, yes"), (name, rows[name])
