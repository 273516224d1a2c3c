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
