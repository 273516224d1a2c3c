"""Which list page shows which papers: one page per group while it is small enough, split
by category (and the all-papers page by year) once it is not.

A list page of thousands of cards is slow to load and to filter on a phone, so no list
page holds more than ``LIST_LIMIT`` cards when the library can be split that finely. At
real size every group fits on one page and nothing is split.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Catalog, Category, Group, Paper
from .urls import category_page_uri, page_uri, year_page_uri

LIST_LIMIT = 1000  # cards per list page; filtering 1,000 cards takes ~60 ms here


@dataclass(frozen=True)
class ListPage:
    """One page of a group's list.

    ``category`` is None for the group's own page. ``sections`` are the categories whose
    heading and cards are on this page; ``subpages`` the categories shown only as links to
    their own pages; ``uncategorized`` whether the papers without a category are here.
    """

    uri: str
    group: Group
    category: Category | None
    sections: tuple[Category, ...]
    subpages: tuple[Category, ...]
    uncategorized: bool

    @property
    def depth(self) -> int:
        """The category depth shown as a second-level heading on this page."""
        return self.category.depth if self.category else 0


@dataclass(frozen=True)
class YearPage:
    uri: str
    year: int | None


@dataclass
class Layout:
    groups: list[ListPage]
    years: list[YearPage]  # empty: every paper on the one all-papers page
    category_uri: dict[str, str]  # category id -> page with its section heading
    paper_uri: dict[str, str]  # paper key -> group list page with its card

    def is_split(self, group: Group) -> bool:
        return any(p.group.id == group.id and p.category for p in self.groups)


def by_category(papers) -> tuple[dict[str, list[Paper]], list[Paper]]:
    """Papers by primary category, and those without one, in library order."""
    out: dict[str, list[Paper]] = {}
    none = []
    for paper in papers:
        if paper.category:
            out.setdefault(paper.category, []).append(paper)
        else:
            none.append(paper)
    return out, none


def subtree_total(category: Category, own: dict[str, list[Paper]]) -> int:
    """How many papers are filed under ``category`` or any of its sub-categories."""
    return sum(len(own.get(c.id, [])) for c in category.walk())


def plan(catalog: Catalog, limit: int = LIST_LIMIT) -> Layout:
    """Split the list pages of ``catalog`` so that none holds more than ``limit`` cards,
    as far as categories (and years) allow."""
    pages: list[ListPage] = []
    for group in catalog.taxonomy.groups:
        pages += _group_pages(group, catalog.in_group(group.id), limit)
    category_uri: dict[str, str] = {}
    paper_uri: dict[str, str] = {}
    for page in pages:
        for category in page.sections:
            category_uri[category.id] = page.uri
    for group in catalog.taxonomy.groups:
        own, none = by_category(catalog.in_group(group.id))
        for cid, papers in own.items():
            for paper in papers:
                paper_uri[paper.key] = category_uri.get(cid, page_uri(group))
        for paper in none:
            paper_uri[paper.key] = page_uri(group)
    years: list[YearPage] = []
    if len(catalog.papers) > limit:
        found = {p.year for p in catalog.papers}
        ordered = sorted((y for y in found if y), reverse=True) + ([None] if None in found else [])
        years = [YearPage(year_page_uri(y), y) for y in ordered]
    return Layout(pages, years, category_uri, paper_uri)


def _group_pages(group: Group, papers: list[Paper], limit: int) -> list[ListPage]:
    own, _ = by_category(papers)
    if len(papers) <= limit:
        every = tuple(c for top in group.categories for c in top.walk())
        return [ListPage(page_uri(group), group, None, every, (), True)]
    pages = [ListPage(page_uri(group), group, None, (), group.categories, True)]

    def visit(category: Category) -> None:
        uri = category_page_uri(group, category)
        if subtree_total(category, own) <= limit or not category.children:
            pages.append(ListPage(uri, group, category, tuple(category.walk()), (), False))
            return
        pages.append(ListPage(uri, group, category, (category,), category.children, False))
        for child in category.children:
            visit(child)

    for top in group.categories:
        visit(top)
    return pages
