"""Search documents (gradleak.search) and the search index of the site built from the
fixture library tests/fixtures/full with the real configuration."""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import SITE_BIB
from gradleak.catalog import load_catalog
from gradleak.search import fold, initials, paper_document, repository_name

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("text", "expected"), [
    ("Balunović", "Balunovic"), ("Mjölnir", "Mjolnir"), ("Åkesson", "Akesson"),
    ("Łukasz Østergaard", "Lukasz Ostergaard"), ("Müßig", "Mussig"), ("Erdoğan", "Erdogan"),
])
def test_fold_writes_accented_letters_plainly(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("Deep Leakage from Gradients", "dlg"),
    ("Inverting Gradients – How easy is it to break privacy in federated learning?", "ig"),
    ("See through Gradients: Image Batch Recovery via GradInversion", "stg"),
    ("Soteria: Provable Defense Against Privacy Leakage", ""),  # one word: no initials
])
def test_initials_of_the_main_part_of_a_title(title, expected):
    assert initials(title) == expected


def test_repository_name_adds_what_the_title_does_not_say():
    """A one-word name stays one word ("dlg", the method's name). A name of several words
    gives only those the title lacks: joined into one word, "Decentralized-FL-via-PDMM-and-
    Privacy-Attack" became a rare term that every query starting with "decentralized" hit,
    and "Privacy Attacks in Decentralized Learning" found another paper first."""
    assert repository_name("https://github.com/mit-han-lab/dlg") == "dlg"
    assert repository_name("https://github.com/JonasGeiping/invertinggradients/") == "invertinggradients"
    assert repository_name("https://github.com/a/gradient-inversion_attack.git") == "gradient inversion attack"
    title = "Provable Privacy Advantages of Decentralized Federated Learning via Distributed Optimization"
    assert repository_name("https://github.com/x/Decentralized-FL-via-PDMM-and-Privacy-Attack",
                           title) == "fl pdmm and attack"
    assert repository_name("https://github.com/x/GIFD_Gradient_Inversion_Attack",
                           "GIFD: A Generative Gradient Inversion Method") == "attack"
    assert repository_name(None) == ""


def test_a_paper_document_escapes_every_value(tmp_path):
    from dataclasses import replace

    catalog = load_catalog(ROOT / "tests" / "fixtures" / "mini" / "bib")
    paper = replace(catalog.papers[0], title='Sp<sup>2</sup> "q" & <script>x</script>',
                    authors=("A <b>B</b>",), tldr="<img src=x onerror=alert(1)>")
    doc = paper_document(paper, catalog.taxonomy, "Attacks")
    for value in doc.values():
        if isinstance(value, str):
            assert "<script" not in value and "<sup" not in value and "<img" not in value
            assert "<b>" not in value
    assert html.unescape(doc["title"]) == paper.title


# ---- the fixture site's index ------------------------------------------------------------

@pytest.fixture(scope="module")
def index(fixture_build):
    assert fixture_build.returncode == 0, fixture_build.log
    return json.loads((fixture_build.site / "search" / "search_index.json").read_text())


def _page(site: Path, path: str) -> Path:
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def test_every_search_document_leads_to_a_page_and_its_anchor_or_card(fixture_build, index):
    soups: dict[Path, BeautifulSoup] = {}
    for doc in index["docs"]:
        url = urlsplit(doc["location"])
        page = _page(fixture_build.site, url.path)
        assert page.is_file(), doc["location"]
        if page not in soups:
            soups[page] = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        soup = soups[page]
        if url.fragment:
            assert soup.find(id=url.fragment) is not None, doc["location"]
        for key in parse_qs(url.query).get("paper", []):
            assert soup.select_one(f'article.gl-card[data-key="{key}"]') is not None, key
        assert doc["title"].strip(), doc["location"]


def test_the_first_document_of_every_page_is_the_page_itself(index):
    """Material keys a page's documents by the part before '#': a page whose first document
    is a section is never found, and its sections show as a blank result to 'undefined'."""
    first: dict[str, str] = {}
    for doc in index["docs"]:
        first.setdefault(doc["location"].split("#")[0], doc["location"])
    assert [loc for path, loc in first.items() if loc != path] == []


def test_one_search_document_per_paper_labelled_with_its_list_and_category(index):
    catalog = load_catalog(SITE_BIB)
    taxonomy = catalog.taxonomy
    papers = {p.key: p for p in catalog.papers}
    docs = [d for d in index["docs"] if "paper=" in d["location"]]
    keys = Counter(parse_qs(urlsplit(d["location"]).query)["paper"][0] for d in docs)
    assert keys == Counter(papers.keys())  # each paper once
    groups = {g.id: g.name for g in taxonomy.groups}
    for doc in docs:
        paper = papers[parse_qs(urlsplit(doc["location"]).query)["paper"][0]]
        [where] = [html.unescape(tag) for tag in doc["tags"]]
        category = taxonomy.categories[paper.category].name
        assert where.startswith(groups[paper.group] + " › ") and where.endswith(category)
        assert paper.key in doc["ids"].split()
        if paper.arxiv:
            assert paper.arxiv in doc["ids"].split()


def test_pages_listing_other_pages_papers_keep_only_their_opening_text(index):
    for path in ("matrix/", "new/"):
        found = [d["location"] for d in index["docs"] if d["location"].startswith(path)]
        assert path in found and all("#" not in loc for loc in found), found
