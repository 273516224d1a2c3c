"""Which list page shows which papers: one page per group while it is small enough, split
by category (and the all-papers page by year) once it is not.

A list page of thousands of cards is slow to load and to filter on a phone, and heavy to
download, so no list page holds more than ``LIST_LIMIT`` cards: a group is split by
category and sub-category; a category whose own papers are still too many, and the
all-papers list, by year; a year still too large, into numbered parts. A paper's page
depends only on its group, category and year, so links to its card stay valid as the
library grows (until its year itself has to be split). At real size only the all-papers
list is split.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .model import Catalog, Category, Group, Paper
from .urls import ALL_PAGE, category_page_uri, page_uri, url_of

# Cards per list page. A card is ~0.5 KB gzipped (its BibTeX, summary and COinS; the
# Attacks page at real size: 165 cards, ~80 KB): 250 cards keep a list page under 150 KB
# gzipped and its first load on a phone quick (benchmarks/run.py, benchmarks/lighthouse.sh).
LIST_LIMIT = 250


def newest_first(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (-(p.year or 0), p.title.casefold(), p.key))


@dataclass(frozen=True)
class Slice:
    """One page of a list split by year: the papers of ``year`` (None: undated), or, when
    one year alone is over the limit, part ``part`` of ``parts`` of them."""

    uri: str
    year: int | None
    keys: tuple[str, ...]  # in the list's order (newest first, then by title)
    part: int = 1
    parts: int = 1

    @property
    def label(self) -> str:
        name = str(self.year) if self.year else "Undated"
        return f"{name} ({self.part} of {self.parts})" if self.parts > 1 else name


def slices(stem: str, papers: list[Paper], limit: int) -> list[Slice]:
    """``papers`` (newest first) as one page per year under ``stem``, each year over
    ``limit`` cut into equal parts: ``stem/2024.md``, ``stem/2024-2.md``, ``stem/undated.md``."""
    of_year: dict[int | None, list[str]] = {}
    for paper in papers:
        of_year.setdefault(paper.year, []).append(paper.key)
    out = []
    ordered = sorted((y for y in of_year if y), reverse=True) + ([None] if None in of_year else [])
    for year in ordered:
        keys = of_year[year]
        parts = math.ceil(len(keys) / limit)
        size = math.ceil(len(keys) / parts)
        name = str(year) if year else "undated"
        for part in range(1, parts + 1):
            uri = f"{stem}/{name}.md" if part == 1 else f"{stem}/{name}-{part}.md"
            out.append(Slice(uri, year, tuple(keys[(part - 1) * size:part * size]), part, parts))
    return out


@dataclass(frozen=True)
class ListPage:
    """One page of a group's list.

    ``category`` is None for the group's own page. ``sections`` are the categories whose
    heading and cards are on this page; ``subpages`` the categories shown only as links to
    their own pages; ``uncategorized`` whether the papers without a category are here.
    ``years``: the pages of ``category``'s own papers, by year, when they are too many for
    one page (this page links to them); ``only``: this page shows that year's of them.
    """

    uri: str
    group: Group
    category: Category | None
    sections: tuple[Category, ...]
    subpages: tuple[Category, ...]
    uncategorized: bool
    years: tuple[Slice, ...] = ()
    only: Slice | None = None

    @property
    def depth(self) -> int:
        """The category depth shown as a second-level heading on this page."""
        return self.category.depth if self.category else 0


@dataclass
class Layout:
    groups: list[ListPage]
    years: list[Slice]  # empty: every paper on the one all-papers page
    category_uri: dict[str, str]  # category id -> page with its section heading
    paper_uri: dict[str, str]  # paper key -> group list page with its card
    all_uri: dict[str, str] = field(default_factory=dict)  # paper key -> all-papers page

    def is_split(self, group: Group) -> bool:
        return any(p.group.id == group.id and p.category for p in self.groups)

    def where(self, use_directory_urls: bool) -> dict[str, list[str]]:
        """Each paper's card: the URLs (from the site's root) of its group list page and
        of its all-papers page. The page script reads it when a link names a card that is
        not on the page (the list was split since: ``attacks/#KEY``, ``papers/#KEY``)."""
        return {key: [url_of(uri, use_directory_urls),
                      url_of(self.all_uri.get(key, ALL_PAGE), use_directory_urls)]
                for key, uri in self.paper_uri.items()}


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
    """Split the list pages of ``catalog`` so that none holds more than ``limit`` cards."""
    pages: list[ListPage] = []
    for group in catalog.taxonomy.groups:
        pages += _group_pages(group, catalog.in_group(group.id), limit)
    category_uri: dict[str, str] = {}
    paper_uri: dict[str, str] = {}
    for page in pages:
        if page.only:
            paper_uri.update(dict.fromkeys(page.only.keys, page.uri))
        elif page.years or page.sections:
            for category in (page.category,) if page.years else page.sections:
                category_uri[category.id] = page.uri
    for group in catalog.taxonomy.groups:
        own, none = by_category(catalog.in_group(group.id))
        for cid, papers in own.items():
            for paper in papers:
                paper_uri.setdefault(paper.key, category_uri.get(cid, page_uri(group)))
        for paper in none:
            paper_uri[paper.key] = page_uri(group)
    years: list[Slice] = []
    if len(catalog.papers) > limit:
        years = slices(ALL_PAGE.removesuffix(".md"), newest_first(list(catalog.papers)), limit)
    all_uri = {key: s.uri for s in years for key in s.keys}
    return Layout(pages, years, category_uri, paper_uri, all_uri)


def _group_pages(group: Group, papers: list[Paper], limit: int) -> list[ListPage]:
    own, _ = by_category(papers)
    if len(papers) <= limit:
        every = tuple(c for top in group.categories for c in top.walk())
        return [ListPage(page_uri(group), group, None, every, (), True)]
    pages = [ListPage(page_uri(group), group, None, (), group.categories, True)]

    def visit(category: Category) -> None:
        uri = category_page_uri(group, category)
        if subtree_total(category, own) <= limit:
            pages.append(ListPage(uri, group, category, tuple(category.walk()), (), False))
            return
        mine = own.get(category.id, [])
        if len(mine) <= limit:  # its own papers here, each sub-category on a page of its own
            pages.append(ListPage(uri, group, category, (category,), category.children, False))
        else:  # its own papers by year
            cut = slices(uri.removesuffix(".md"), newest_first(mine), limit)
            pages.append(ListPage(uri, group, category, (), category.children, False, tuple(cut)))
            pages.extend(ListPage(s.uri, group, category, (category,), (), False, only=s)
                         for s in cut)
        for child in category.children:
            visit(child)

    for top in group.categories:
        visit(top)
    return pages
