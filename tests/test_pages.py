"""Issue 12: the insight pages, the feed, the 404 page and the paper pages' meta tags of
the real site, checked against the library (numbers computed here, independently)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from gradleak.catalog import load_catalog

CATALOG = load_catalog(ROOT / "bib")
PAPERS = list(CATALOG.papers)
BY_KEY = {p.key: p for p in PAPERS}


@pytest.fixture(scope="module")
def site(real_build) -> Path:
    assert real_build.returncode == 0, real_build.log
    return real_build.site


def soup(site: Path, page: str) -> BeautifulSoup:
    path = site / page if page.endswith(".html") else site / page / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def feed_link(doc: BeautifulSoup) -> str:
    return doc.find("link", rel="alternate", type="application/atom+xml")["href"]


# -- 404 page ---------------------------------------------------------------------------

def test_404_feed_link_is_root_absolute_locally(site):
    # built without site_url (mkdocs serve, a local build): the site is served at the root
    assert feed_link(soup(site, "404.html")) == "/feed.xml"


def test_404_feed_link_resolves_under_the_published_sub_path(published):
    assert published.build.returncode == 0, published.build.log
    assert feed_link(soup(published.build.site, "404.html")) == "/project/feed.xml"
    try:  # a missing page is answered with the 404 page, as GitHub Pages does
        urlopen(published.url + "no/such/page/")
        raise AssertionError("a missing page was served")
    except HTTPError as error:
        assert error.code == 404
        doc = BeautifulSoup(error.read().decode("utf-8"), "html.parser")
    with urlopen(urljoin(published.url + "no/such/page/", feed_link(doc))) as response:
        assert response.status == 200
        assert b"http://www.w3.org/2005/Atom" in response.read(400)


# -- timeline ---------------------------------------------------------------------------

def test_timeline_reasons_are_whole_sentences(site):
    doc = soup(site, "timeline")
    names = CATALOG.taxonomy.categories
    items = doc.select("ul.gl-timeline li")
    assert items
    for li in items:
        paper = BY_KEY[li["data-key"]]
        why = li.select_one(".gl-timeline__why").get_text()
        assert not re.search(r";\s+[A-Z]", why), why  # "...; An early ..." was the defect
        # every sentence starts with a capital and the text ends with a stop
        assert why[0].isupper() and why.rstrip()[-1] in ".!?", why
        opened = [names[c].name for c in names
                  if c in paper.categories and paper.year == min(
                      p.year for p in PAPERS if c in p.categories and p.year)]
        for name in opened:
            assert name in why
        if paper.milestone:
            assert paper.milestone.rstrip(".") in why


# -- paper pages: description and Open Graph --------------------------------------------

@pytest.mark.parametrize("key", [p.key for p in PAPERS[::11]])
def test_paper_page_describes_itself_by_its_summary(site, key):
    paper = BY_KEY[key]
    doc = soup(site, f"paper/{key}")
    expected = paper.tldr or f"{paper.title}. {paper.venue} {paper.year}."
    assert doc.find("meta", attrs={"name": "description"})["content"] == expected
    assert doc.find("meta", property="og:description")["content"] == expected
    assert doc.find("meta", property="og:title")["content"] == paper.title
    assert doc.find("meta", property="og:type")["content"] == "article"


def test_open_graph_url_is_absolute_when_site_url_is_set(published, site):
    doc = soup(published.build.site, "paper/zhu2019deep")
    assert doc.find("meta", property="og:url")["content"] == published.url + "paper/zhu2019deep/"
    assert soup(site, "paper/zhu2019deep").find("meta", property="og:url") is None
    home = soup(site, "")
    assert home.find("meta", property="og:type")["content"] == "website"
    assert home.find("meta", property="og:description")["content"] == home.find(
        "meta", attrs={"name": "description"})["content"]
