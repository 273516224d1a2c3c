"""The data the site is made of: frozen records, no behaviour beyond lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from urllib.parse import quote

from .schema import SITE_FIELDS  # noqa: F401  (re-exported: the fields exports remove)


def doi_url(doi: str) -> str:
    """The resolver link of a bare DOI."""
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the library or the taxonomy.

    ``line`` is 1-based; ``key`` is the BibTeX key (or taxonomy id) concerned, if any.
    """

    file: str
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass(frozen=True)
class Category:
    """A node of a group's category tree."""

    id: str
    name: str
    description: str
    group: str
    depth: int
    children: tuple[Category, ...] = ()

    def walk(self):
        """This category and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Group:
    """One part of the site (surveys, attacks, defenses), backed by one .bib file."""

    id: str
    name: str
    file: str
    description: str
    categories: tuple[Category, ...]

    def walk(self):
        """Every category of the group, depth first."""
        return chain.from_iterable(category.walk() for category in self.categories)


@dataclass(frozen=True)
class FacetValue:
    id: str
    name: str
    facet: str


@dataclass(frozen=True)
class Facet:
    id: str
    name: str
    values: tuple[FacetValue, ...]


class _Names(dict):
    def __missing__(self, key):
        return key


@dataclass(frozen=True)
class Taxonomy:
    groups: tuple[Group, ...]
    facets: tuple[Facet, ...]
    required: tuple[str, ...] = ()  # fields every entry of the library must have

    @cached_property
    def categories(self) -> dict[str, Category]:
        return {c.id: c for g in self.groups for c in g.walk()}

    @cached_property
    def parents(self) -> dict[str, Category]:
        """The parent of every category that has one, by category id."""
        return {child.id: c for c in self.categories.values() for child in c.children}

    @cached_property
    def facet_values(self) -> dict[str, FacetValue]:
        return {v.id: v for f in self.facets for v in f.values}

    @cached_property
    def tag_names(self) -> dict[str, str]:
        """Reader-facing names by category or facet value id; an unknown id is its own name."""
        return _Names({**{c.id: c.name for c in self.categories.values()},
                       **{v.id: v.name for v in self.facet_values.values()}})

    def tag_name(self, tag: str) -> str:
        """The reader-facing name of a category or facet value id."""
        found = self.categories.get(tag) or self.facet_values.get(tag)
        return found.name if found else tag


@dataclass(frozen=True)
class BibField:
    """A field as written in the .bib file: value without its enclosing, 1-based line."""

    name: str
    value: str
    enclosing: str  # "{", '"' or "no-enclosing"
    line: int


@dataclass(frozen=True)
class RawEntry:
    """An entry as parsed, before any interpretation."""

    key: str
    entry_type: str
    file: str
    line: int
    fields: tuple[BibField, ...]

    def get(self, name: str) -> str | None:
        for f in self.fields:
            if f.name == name:
                return f.value
        return None

    def line_of(self, name: str) -> int:
        for f in self.fields:
            if f.name == name:
                return f.line
        return self.line


@dataclass(frozen=True)
class Paper:
    """A library entry ready for display; ``raw`` keeps exactly what the file says."""

    raw: RawEntry
    group: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str
    container: str
    link: str | None
    doi: str | None
    arxiv: str | None
    code: str | None
    tldr: str
    added: str | None
    categories: tuple[str, ...]
    facets: tuple[str, ...]
    evaluates: tuple[str, ...] = ()
    breaks: tuple[str, ...] = ()
    milestone: str | None = None
    checked: tuple[str, ...] = ()  # the pages the entry was checked against
    entry_type: str = "misc"
    volume: str | None = None
    number: str | None = None
    pages: str | None = None  # as written: 12--34
    publisher: str | None = None
    month: str | None = None
    bibtex: str = ""  # the entry as readers get it: source values, site fields removed

    @cached_property
    def key(self) -> str:
        return self.raw.key

    @cached_property
    def category(self) -> str | None:
        """The primary category: where the card is listed."""
        return self.categories[0] if self.categories else None

    @property
    def doi_url(self) -> str | None:
        return doi_url(self.doi) if self.doi else None

    @cached_property
    def tags(self) -> tuple[str, ...]:
        return self.categories + self.facets


@dataclass(frozen=True)
class Catalog:
    taxonomy: Taxonomy
    papers: tuple[Paper, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    ledger: tuple = ()  # ledger.LedgerItem: papers known but not listed, with the reason

    def in_group(self, group: str) -> list[Paper]:
        return [p for p in self.papers if p.group == group]
