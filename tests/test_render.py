from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from gradleak.catalog import load_catalog
from gradleak.export import clean_bibtex
from gradleak.generated import expand
from gradleak.placeholders import fill_placeholders
from gradleak.render import render_group
from gradleak.templating import md_inline
from gradleak.urls import root_of

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini" / "bib"
EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables"]


def to_html(md_text: str) -> BeautifulSoup:
    """Markdown -> HTML the way MkDocs does it, parsed."""
    return BeautifulSoup(markdown.markdown(md_text, extensions=EXTENSIONS), "html.parser")


@pytest.mark.parametrize("text", [
    "Sp<sup>2</sup> \"quoted\" *star* _u_ `tick` [link](x) {#id} # hash & amp",
    "Back\\slash \\*not\\* ![img](y) <script>alert(1)</script>",
])
def test_md_inline_renders_exactly_the_text(text):
    soup = to_html(f"## {md_inline(text)}")
    heading = soup.find("h2")
    assert heading.get_text() == text
    assert heading.find_all(True) == []  # no element was created from the text


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(FIXTURE)


def render(catalog, group_id):
    """The group page as MkDocs makes it: Markdown to HTML, then the cards put in place."""
    group = next(g for g in catalog.taxonomy.groups if g.id == group_id)
    page = render_group(catalog, group, clean_bibtex(catalog))[f"{group_id}.md"]
    html = markdown.markdown(page.markdown, extensions=EXTENSIONS)
    assert "gl-card" not in html  # Markdown never sees the cards...
    return BeautifulSoup(expand(html, page.fragments), "html.parser")  # ...they come after


def test_group_page_lists_categories_with_counts_and_cards_newest_first(catalog):
    soup = render(catalog, "attacks")
    headings = [(h.name, h.get("id")) for h in soup.find_all(["h1", "h2", "h3"])]
    assert headings[:3] == [("h1", "attacks"), ("h2", "category-optimization"),
                            ("h3", "balunovic2022bayesian")]
    assert ("h3", "category-gen-latent") in headings
    # the generative parent counts the paper of its child category
    about = soup.find("div", attrs={"data-category": "generative"}).get_text().strip()
    assert about.startswith("1 paper.")
    assert soup.find(id="category-generative").get_text() == "Generation-based *prior* <b>"
    assert soup.find(string="Uses a generator <i>as a prior</i>.") is None  # it is escaped...
    assert "Uses a generator <i>as a prior</i>." in soup.get_text()  # ...and shown as text


def test_card_shows_decoded_fields_and_links(catalog):
    soup = render(catalog, "attacks")
    card = soup.find("article", attrs={"data-key": "balunovic2022bayesian"})
    title = card.find(id="balunovic2022bayesian")
    assert title.get_text() == "Leaky Code: A Title With the Word Code in It"
    assert title.a["href"] == "https://example.org/paper?a=1&b=2"
    assert card.find(class_="gl-card__authors").get_text() == "Mislav Balunović, Jane Doe"
    assert card.find(class_="gl-link--code")["href"] == "https://example.org/code"
    assert [li["data-tag"] for li in card.find_all("li", attrs={"data-tag": True})] == [
        "optimization", "text"]
    hrefs = [a["href"] for a in card.find_all("a")]
    assert "../downloads/papers/balunovic2022bayesian.bib" in hrefs
    assert "https://arxiv.org/abs/2110.09999" in hrefs
    bibtex = card.find("pre", class_="gl-bib").get_text()
    assert "Leaky Code: A Title With the Word Code in It" in bibtex
    assert "tldr" not in bibtex and "https://example.org/code" not in bibtex


def test_each_card_action_names_its_paper_for_screen_readers(catalog):
    """A screen reader's list of buttons and links reads "BibTeX: <title>", not ten times
    "BibTeX": each action of the card's row names the paper, after its visible word."""
    soup = render(catalog, "attacks")
    for card in soup.find_all("article", class_="gl-card"):
        title = card.find(class_="gl-card__title").get_text()
        row = card.find(class_="gl-card__links")
        actions = row.find_all(["a", "button"], recursive=False)
        assert actions, card["data-key"]
        for action in actions:
            label = action.get("aria-label", "")
            assert label.startswith(action.get_text()) and label.endswith(f": {title}"), action


def test_untrusted_text_never_becomes_markup(catalog):
    soup = render(catalog, "surveys")
    card = soup.find("article", attrs={"data-key": "smith2023survey"})
    assert card.find("script") is None and card.find("sup") is None
    title = card.find(id="smith2023survey").get_text()
    assert title == 'A Survey of GAN Priors – with ϵ and Sp<sup>2</sup> "quoted" *star*'
    assert "<script>alert(1)</script>" in card.find(class_="gl-card__tldr").get_text()


def test_root_of_follows_the_url_style():
    assert root_of("attacks.md", True) == "../"
    assert root_of("attacks.md", False) == ""
    assert root_of("index.md", True) == ""
    assert root_of("papers/x.md", True) == "../../"


def test_placeholders_give_counts_from_the_library(catalog):
    soup = to_html(fill_placeholders("<!-- gradleak:counts -->", catalog))
    assert soup.find(class_="gl-counts__total").get_text() == "4"
    items = [li.get_text() for li in soup.find_all("li")]
    assert items == ["Surveys 1 paper", "Attacks 2 papers", "Defenses 1 paper"]


def test_group_page_search_documents_are_the_page_its_categories_and_each_paper(catalog):
    group = catalog.taxonomy.groups[1]
    page = render_group(catalog, group, clean_bibtex(catalog))["attacks.md"]
    locations = [d["location"] for d in page.search]
    assert locations == ["", "#category-optimization", "#category-generative",
                         "#category-gen-latent", "?paper=balunovic2022bayesian",
                         "?paper=older2020latent"]
    assert page.search[0]["title"] == "Attacks"
    doc = next(d for d in page.search if d["location"] == "?paper=balunovic2022bayesian")
    assert doc["title"] == "Leaky Code: A Title With the Word Code in It"
    assert doc["tags"] == ["Attacks › Optimization-based"]
    assert doc["text"] == ("<p>Mislav Balunović, Jane Doe · ExConf 2022</p>"
                           "<p>Recovers text from gradients in this fixture.</p>")
    assert doc["names"] == "Mislav Balunović, Jane Doe Mislav Balunovic, Jane Doe"
    assert doc["venue"] == "ExConf 2022"


def test_building_pauses_the_cycle_collector_and_restores_it():
    import gc

    from gradleak.site import build_site

    assert gc.isenabled()
    site = build_site(FIXTURE)
    assert gc.isenabled() and len(site.catalog.papers) == 4
    gc.disable()
    try:
        build_site(FIXTURE)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def _direct_bodies(bodies, uri, papers):
    """Each list card body rendered by the card template for ``uri``'s depth itself."""
    _, module = bodies._module(uri)
    for paper in papers:
        bodies._common_parts(module, paper)
    return {p.key: str(module.body(p, bodies._shared[p.key], False)) for p in papers}


@pytest.mark.parametrize("directory_urls", [True, False])
def test_list_card_bodies_rendered_once_are_those_of_every_depth(directory_urls):
    """A body is rendered once per paper and its links put in for each depth (a large
    library's list pages sit at three): the same HTML the template renders at each."""
    from conftest import SITE_BIB
    from gradleak.cards import CardBodies

    catalog = load_catalog(SITE_BIB)
    papers = list(catalog.papers)
    bodies = CardBodies(catalog, clean_bibtex(catalog), directory_urls)
    for uri in ("attacks.md", "attacks/analytic.md", "attacks/analytic/2023.md",
                "papers/2023-2.md"):
        made = {k: str(v) for k, v in bodies.for_list(uri, papers).bodies.items()}
        assert made == _direct_bodies(bodies, uri, papers)
        assert any(f'href="{bodies.context(uri)["root"]}paper/' in b for b in made.values())


def test_a_paper_whose_text_holds_the_root_mark_is_rendered_for_its_depth():
    from dataclasses import replace

    from conftest import SITE_BIB
    from gradleak.cards import ROOT, CardBodies

    catalog = load_catalog(SITE_BIB)
    paper = replace(catalog.papers[0], tldr=f"odd {ROOT} text")
    bodies = CardBodies(catalog, clean_bibtex(catalog), True)
    made = str(bodies.for_list("attacks/analytic/2023.md", [paper]).bodies[paper.key])
    assert made == _direct_bodies(bodies, "attacks/analytic/2023.md", [paper])[paper.key]
    assert ROOT in made  # the paper's own text, shown as it is (not taken for a link)
