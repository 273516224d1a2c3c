"""The shape of the field, computed from the catalog: counts, milestones, relations, heat.

Pure functions over papers; the field's news by date is in ``news``; the pages and charts
that show them live in insight_pages.py and charts.py.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .citations import name_parts
from .latex import split_names
from .model import Catalog, Category, Paper


def ancestors(catalog: Catalog) -> dict[str, list[str]]:
    """{category id: [itself, its parent, ...]}."""
    parents = catalog.taxonomy.parents
    out = {}
    for cid in catalog.taxonomy.categories:
        chain, c = [], cid
        while c:
            chain.append(c)
            c = parents[c].id if c in parents else None
        out[cid] = chain
    return out


def per_year(papers: list[Paper], groups: list[str]) -> list[tuple[int, dict[str, int]]]:
    """[(year, {group: count})] for every year from the first to the last, gaps included."""
    counts = Counter((p.year, p.group) for p in papers if p.year)
    years = [p.year for p in papers if p.year]
    if not years:
        return []
    return [(y, {g: counts[(y, g)] for g in groups}) for y in range(min(years), max(years) + 1)]


def per_category(catalog: Catalog, papers: list[Paper]) -> list[tuple[Category, int]]:
    """Every category with the number of papers listed in it or below it (primary category)."""
    chains = ancestors(catalog)
    counts = Counter(c for p in papers if p.category for c in chains.get(p.category, []))
    return [(c, counts[c.id]) for g in catalog.taxonomy.groups for c in g.walk()]


def top_venues(papers: list[Paper], n: int = 15) -> list[tuple[str, int]]:
    counts = Counter(p.venue for p in papers if p.venue)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:n]


def code_share(papers: list[Paper], groups: list[str]) -> list[tuple[str, int, int]]:
    """[(group, papers with official code, papers)]."""
    return [(g, sum(1 for p in papers if p.group == g and p.code),
             sum(1 for p in papers if p.group == g)) for g in groups]


def facet_by_category(catalog: Catalog, papers: list[Paper], facet_id: str):
    """(facet values, [(top-level category, [count per value])]) on primary categories."""
    facet = next((f for f in catalog.taxonomy.facets if f.id == facet_id), None)
    if facet is None:  # a taxonomy without this facet: nothing to tabulate
        return (), []
    chains = ancestors(catalog)
    rows = []
    for group in catalog.taxonomy.groups:
        for top in group.categories:
            inside = [p for p in papers if p.category and top.id in chains.get(p.category, [])]
            rows.append((top, [sum(1 for p in inside if v.id in p.facets) for v in facet.values]))
    return facet.values, rows


@dataclass(frozen=True)
class Milestone:
    year: int
    paper: Paper
    firsts: tuple[str, ...]  # names of the categories this paper opened
    note: str | None  # the library's own ``milestone`` sentence

    @property
    def why(self) -> str:
        """One or two whole sentences: "First in A and B." then the library's note, each
        starting with a capital and ending with a stop (never "...; An early ...")."""
        sentences = []
        if self.firsts:
            names = list(self.firsts)
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            sentences.append(f"First in {joined}.")
        if self.note:
            note = self.note.strip()
            note = note[0].upper() + note[1:]
            sentences.append(note if note[-1] in ".!?" else note + ".")
        return " ".join(sentences)


def milestones(catalog: Catalog, papers: list[Paper]) -> list[Milestone]:
    """The first papers of each category (every paper of its earliest year, its
    sub-categories' papers included, as the Statistics page counts them) and the papers
    the library marks with ``milestone``, by year then title."""
    firsts: dict[str, list[str]] = defaultdict(list)
    by_key = {p.key: p for p in papers}
    names = catalog.taxonomy.categories
    chains = ancestors(catalog)
    within: dict[str, list[Paper]] = defaultdict(list)  # category -> its papers and its subtree's
    for p in papers:
        if p.year:
            for cid in {c for own in p.categories for c in chains.get(own, [own])}:
                within[cid].append(p)
    for cid, category in names.items():
        inside = within.get(cid, [])
        if inside:
            first = min(p.year for p in inside)
            for p in inside:
                if p.year == first:
                    firsts[p.key].append(category.name)
    keys = list(firsts) + [p.key for p in papers if p.milestone and p.key not in firsts]
    out = [Milestone(by_key[k].year, by_key[k], tuple(firsts.get(k, ())), by_key[k].milestone)
           for k in keys if by_key[k].year]
    return sorted(out, key=lambda m: (m.year, m.paper.title.casefold(), m.paper.key))


SHORT_LABEL = 28  # characters: longer acronyms or title heads are cut at a word


def short_label(paper: Paper) -> str:
    """A name to label a paper in a dense table: the part of its title before a colon or a
    spaced dash when that part is short (usually the method's name: "SRATTA", "Inverting
    Gradients"), else the title's first words, cut at a word and marked with an ellipsis."""
    title = " ".join(paper.title.split())
    head = re.split(r":\s| [–—-] ", title, maxsplit=1)[0].strip()
    if len(head) <= SHORT_LABEL and len(head) < len(title):
        return head
    if len(title) <= SHORT_LABEL:
        return title
    words = title[:SHORT_LABEL + 1].rsplit(" ", 1)[0].rstrip(",;:–—- ").split()
    while len(words) > 1 and words[-1].lower() in _FUNCTION_WORDS:
        words.pop()
    return " ".join(words) + "…"


_FUNCTION_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on",
                   "or", "the", "to", "via", "with"}


def byline(paper: Paper) -> str:
    """First author's family name, whole ("van der Maaten", "Ait Messaoud"), and the year:
    "Zhu 2019", "Fowl et al. 2022"."""
    names = split_names(paper.raw.get("author") or "")
    if not names:
        return str(paper.year or "")
    first = name_parts(names[0])
    surname = first.get("literal") or " ".join(
        filter(None, [first.get("non-dropping-particle"), first.get("family")]))
    more = " et al." if len(names) > 1 else ""
    return f"{surname}{more} {paper.year}" if paper.year else f"{surname}{more}"


@dataclass(frozen=True)
class Cell:
    evaluated: bool  # the defense's paper evaluates against the attack
    broken: bool  # the attack's paper claims to break the defense


def relation_matrix(papers: list[Paper]):
    """(attacks, defenses, {(attack key, defense key): Cell}) for every related pair."""
    by_key = {p.key: p for p in papers}
    cells: dict[tuple[str, str], Cell] = {}

    def mark(attack: str, defense: str, **flag):
        old = cells.get((attack, defense), Cell(False, False))
        cells[(attack, defense)] = Cell(old.evaluated or flag.get("evaluated", False),
                                        old.broken or flag.get("broken", False))

    for p in papers:
        for target in p.evaluates:
            if target in by_key and by_key[target].group == "attacks" and p.group == "defenses":
                mark(target, p.key, evaluated=True)
        for target in p.breaks:
            if target in by_key and by_key[target].group == "defenses" and p.group == "attacks":
                mark(p.key, target, broken=True)
    attacks = sorted({a for a, _ in cells}, key=lambda k: _order(by_key[k]))
    defenses = sorted({d for _, d in cells}, key=lambda k: _order(by_key[k]))
    return [by_key[k] for k in attacks], [by_key[k] for k in defenses], cells


def _order(p: Paper):
    return (p.category or "", -(p.year or 0), p.title.casefold())


SAME_CATEGORY_LIMIT = 12


class Relations:
    """Who evaluates or breaks whom, indexed once so that each paper page is O(1) to fill;
    each relation's papers oldest first."""

    def __init__(self, papers: list[Paper]):
        self.by_key = {p.key: p for p in papers}
        self.evaluated_by: dict[str, list[Paper]] = defaultdict(list)
        self.broken_by: dict[str, list[Paper]] = defaultdict(list)
        self.by_category: dict[str, list[Paper]] = defaultdict(list)
        for p in papers:
            for k in p.evaluates:
                self.evaluated_by[k].append(p)
            for k in p.breaks:
                self.broken_by[k].append(p)
            if p.category:
                self.by_category[p.category].append(p)
        self.position: dict[str, int] = {}
        self._title: dict[str, str] = {p.key: p.title.casefold() for p in papers}  # folded once
        for listed in (*self.evaluated_by.values(), *self.broken_by.values()):
            listed.sort(key=self._oldest_first)
        for members in self.by_category.values():
            members.sort(key=lambda p: (-(p.year or 0), self._title[p.key], p.key))
            self.position.update((p.key, i) for i, p in enumerate(members))

    def _oldest_first(self, paper: Paper) -> tuple:
        """The order of a relation's papers: by year (undated last), then title."""
        return (paper.year or 10**4, self._title[paper.key], paper.key)

    def peers(self, paper: Paper) -> int:
        """How many other papers share the paper's category (those ``of`` shows are the
        ``SAME_CATEGORY_LIMIT`` nearest in time)."""
        members = self.by_category.get(paper.category or "", [])
        return len(members) - (paper.key in self.position)

    def of(self, paper: Paper) -> dict[str, list[Paper]]:
        """The papers a paper page links to, by relation; the same category is capped at
        the ``SAME_CATEGORY_LIMIT`` nearest in time, so a page does not grow with the library."""
        members = self.by_category.get(paper.category or "", [])
        at = self.position.get(paper.key, 0)
        # the list is sorted by year, so the nearest in time are within this window
        window = members[max(0, at - SAME_CATEGORY_LIMIT):at + SAME_CATEGORY_LIMIT + 1]
        year, title = paper.year or 0, self._title
        peers = sorted((p for p in window if p.key != paper.key),
                       key=lambda p: (abs((p.year or 0) - year), -(p.year or 0), title[p.key]))
        return {
            "evaluates": sorted((self.by_key[k] for k in paper.evaluates if k in self.by_key),
                                key=self._oldest_first),
            "breaks": sorted((self.by_key[k] for k in paper.breaks if k in self.by_key),
                             key=self._oldest_first),
            "evaluated_by": self.evaluated_by.get(paper.key, []),
            "broken_by": self.broken_by.get(paper.key, []),
            "same_category": peers[:SAME_CATEGORY_LIMIT],
        }


HEAT_LEVELS = 4  # shades of a heat table besides "none"


@dataclass(frozen=True)
class Heat:
    """The shade of each count of a heat table: 0 for none, then HEAT_LEVELS equal steps
    up to the largest count."""

    top: int

    def level(self, n: int) -> int:
        if n <= 0 or self.top <= 0:
            return 0
        return min(HEAT_LEVELS, -(-HEAT_LEVELS * n // self.top))  # ceiling

    @property
    def legend(self) -> list[tuple[int, str]]:
        """[(level, "the counts it shades")] for every level some count can take."""
        spans: dict[int, list[int]] = {0: [0, 0]}
        for n in range(1, self.top + 1):
            spans.setdefault(self.level(n), [n, n])[1] = n
        return [(lv, str(lo) if lo == hi else f"{lo}–{hi}") for lv, (lo, hi) in spans.items()]


def heat_scale(rows) -> Heat:
    """The scale of a table given as [(label, [counts])]."""
    return Heat(max((n for _, counts in rows for n in counts), default=0))
