"""A generated page as the front end gets it: Markdown, and the HTML fragments put in
place of its markers once the page is rendered."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from .search import located


@dataclass(frozen=True)
class Generated:
    """A generated page: its Markdown (small: headings and prose), the card HTML that
    replaces each ``<!-- gradleak:cards ... -->`` marker once the page is rendered (after
    Markdown and the search plugin: fragments are never indexed as the page's text), and
    its search documents when the page's own content is kept out of search."""

    markdown: str
    fragments: Mapping[str, str] = field(default_factory=dict)  # a dict, or Deferred
    search: tuple[dict[str, object], ...] = ()  # see search.list_documents
    in_nav: bool = True  # False: a page reached from another (split lists, papers)
    search_sections: bool = True  # False: only the page's opening text is indexed
    # True: the fragments hold the page's <h1>, which the theme looks for in the content
    # (else it adds the title as one): they are put in before the theme renders the page
    heading_in_fragments: bool = False


class Deferred(Mapping):
    """Fragments made when first read, that is when the page is written, and forgotten by
    ``clear``: a site of 10,000 papers holds one list page's cards at a time instead of
    every list page's (~150 MB). ``done`` is called once, when they are cleared."""

    def __init__(self, make: Callable[[], dict[str, str]], done: Callable[[], None]):
        self._make: Callable[[], dict[str, str]] | None = make
        self._done: Callable[[], None] | None = done
        self._made: dict[str, str] | None = None

    def _fragments(self) -> dict[str, str]:
        if self._made is None:
            make, self._make = self._make, None
            self._made = make() if make is not None else {}
        return self._made

    def __getitem__(self, mark: str) -> str:
        return self._fragments()[mark]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fragments())

    def __len__(self) -> int:
        return len(self._fragments())

    def clear(self) -> None:
        self._make, self._made = None, {}
        done, self._done = self._done, None
        if done is not None:
            done()


def search_entries(page_url: str, documents) -> list[dict[str, object]]:
    """Entries for Material's search index, located under ``page_url``."""
    return located(page_url, documents)


def marker(section: str) -> Markup:
    return Markup(f"<!-- gradleak:cards {section} -->")


def expand(html: str, fragments: Mapping[str, str]) -> str:
    """Put the card HTML in place of the markers of a page rendered by Markdown."""
    for mark, cards in fragments.items():
        html = html.replace(mark, cards, 1)
    return html
