"""layout.plan: which list page shows which papers once a list is too long for one page."""

from __future__ import annotations

from pathlib import Path

from gradleak.catalog import load_group
from gradleak.layout import plan
from gradleak.model import Catalog
from gradleak.taxonomy import parse_taxonomy

BIB = Path(__file__).resolve().parent / "fixtures" / "mini" / "bib"
TAXONOMY, _ = parse_taxonomy((BIB / "taxonomy.yml").read_text(), "bib/taxonomy.yml")
ATTACKS = next(g for g in TAXONOMY.groups if g.id == "attacks")


def entry(key: str, year: int | None, tags: str) -> str:
    year_field = f"  year = {{{year}}},\n" if year else ""
    return (f"@misc{{{key},\n  title = {{Paper {key}}},\n  author = {{Doe, Jane}},\n"
            f"{year_field}  keywords = {{{tags}}},\n}}\n")


def catalog_of(entries: list[str]) -> Catalog:
    papers, problems = load_group("\n".join(entries), "bib/attacks.bib", ATTACKS, TAXONOMY)
    return Catalog(TAXONOMY, tuple(papers), tuple(problems))


CATALOG = catalog_of([
    entry("opt1", 2021, "optimization"), entry("opt2", 2022, "optimization"),
    entry("gen1", 2022, "generative"),
    entry("lat1", 2023, "gen-latent"), entry("lat2", 2023, "gen-latent"),
    entry("none1", None, "image"),
])


def test_a_small_library_is_not_split():
    layout = plan(CATALOG, limit=6)
    attacks = [p for p in layout.groups if p.group.id == "attacks"]
    assert [p.uri for p in attacks] == ["attacks.md"]
    assert [c.id for c in attacks[0].sections] == ["optimization", "generative", "gen-latent"]
    assert attacks[0].uncategorized and attacks[0].subpages == ()
    assert layout.years == []
    assert set(layout.paper_uri.values()) == {"attacks.md"}


def test_a_long_group_is_split_by_category_and_recursively_by_sub_category():
    layout = plan(CATALOG, limit=2)
    attacks = {p.uri: p for p in layout.groups if p.group.id == "attacks"}
    assert list(attacks) == ["attacks.md", "attacks/optimization.md", "attacks/generative.md",
                             "attacks/gen-latent.md"]
    root = attacks["attacks.md"]
    assert root.sections == () and root.uncategorized
    assert [c.id for c in root.subpages] == ["optimization", "generative"]
    # generative (3 papers with its sub-category) is over the limit: its own papers here,
    # its sub-category on a page of its own
    generative = attacks["attacks/generative.md"]
    assert [c.id for c in generative.sections] == ["generative"]
    assert [c.id for c in generative.subpages] == ["gen-latent"]
    assert generative.depth == 0 and attacks["attacks/gen-latent.md"].depth == 1
    assert layout.paper_uri == {"opt1": "attacks/optimization.md", "opt2": "attacks/optimization.md",
                                "gen1": "attacks/generative.md", "lat1": "attacks/gen-latent.md",
                                "lat2": "attacks/gen-latent.md", "none1": "attacks.md"}
    assert layout.category_uri["gen-latent"] == "attacks/gen-latent.md"
    # each category's section is on exactly one page
    placed = [c.id for p in layout.groups for c in p.sections]
    assert sorted(placed) == sorted(set(placed))


def test_the_all_papers_list_is_split_by_year_newest_first_undated_last():
    layout = plan(CATALOG, limit=5)
    assert [(p.uri, p.year) for p in layout.years] == [
        ("papers/2023.md", 2023), ("papers/2022.md", 2022), ("papers/2021.md", 2021),
        ("papers/undated.md", None)]


def test_a_category_whose_own_papers_are_too_many_is_split_by_year_then_in_parts():
    # optimization: 5 papers of its own, 3 of them from 2022; a limit of 2 cards per page
    catalog = catalog_of([
        entry("a22", 2022, "optimization"), entry("b22", 2022, "optimization"),
        entry("c22", 2022, "optimization"), entry("d21", 2021, "optimization"),
        entry("e00", None, "optimization"), entry("lat1", 2023, "gen-latent"),
    ])
    layout = plan(catalog, limit=2)
    attacks = {p.uri: p for p in layout.groups if p.group.id == "attacks"}
    index = attacks["attacks/optimization.md"]
    assert index.sections == () and index.only is None
    assert [(s.uri, s.label, s.keys) for s in index.years] == [
        ("attacks/optimization/2022.md", "2022 (1 of 2)", ("a22", "b22")),
        ("attacks/optimization/2022-2.md", "2022 (2 of 2)", ("c22",)),
        ("attacks/optimization/2021.md", "2021", ("d21",)),
        ("attacks/optimization/undated.md", "Undated", ("e00",))]
    for part in index.years:  # each on a page of its own, the category's section on it
        page = attacks[part.uri]
        assert page.only == part and [c.id for c in page.sections] == ["optimization"]
        assert all(layout.paper_uri[k] == part.uri for k in part.keys)
    assert layout.category_uri["optimization"] == "attacks/optimization.md"
    # no list page holds more than the limit
    counts = [len(p.only.keys) if p.only else sum(
        1 for q in catalog.papers if q.category in {c.id for c in p.sections}) for p in layout.groups]
    assert max(counts) <= 2
    assert max(len(s.keys) for s in layout.years) <= 2


def test_where_names_each_cards_group_page_and_all_papers_page():
    layout = plan(CATALOG, limit=2)
    where = layout.where(use_directory_urls=True)
    assert set(where) == {p.key for p in CATALOG.papers}
    assert where["lat1"] == ["attacks/gen-latent/", "papers/2023/"]
    assert where["none1"] == ["attacks/", "papers/undated/"]
    assert plan(CATALOG).where(use_directory_urls=False)["opt1"] == ["attacks.html", "papers.html"]
