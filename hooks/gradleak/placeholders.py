"""The blocks that hand-written pages ask for with ``<!-- gradleak:... -->`` markers: the
paper counts and newest papers of the home page, the taxonomy tables of the contributing
page."""

from __future__ import annotations

from .model import Catalog
from .news import periods
from .templating import environment
from .urls import FEED_URI, INSIGHT_PAGES, page_uri, paper_page_uri


def render_counts(catalog: Catalog) -> str:
    """The Markdown block of paper counts per group, for the home page."""
    groups = [(g, len(catalog.in_group(g.id))) for g in catalog.taxonomy.groups]
    return environment().get_template("counts.md.jinja").render(
        groups=groups, total=sum(n for _, n in groups), page_uri=page_uri)


def render_taxonomy(catalog: Catalog) -> str:
    """The HTML tables documenting the taxonomy, for the contributing page."""
    return environment().get_template("taxonomy.html.jinja").render(taxonomy=catalog.taxonomy)


NEWEST_ON_HOME = 6


def render_newest(catalog: Catalog) -> str:
    """The newest papers in the field (by their own month), for the home page."""
    newest = [(p, period) for period in periods(catalog.papers) for p in period.papers]
    names = {g.id: g.name for g in catalog.taxonomy.groups}
    # Markdown links to the pages' sources: MkDocs makes them relative to the home page
    return environment().get_template("newest.md.jinja").render(
        newest=newest[:NEWEST_ON_HOME], names=names, paper_page_uri=paper_page_uri,
        new_uri=INSIGHT_PAGES["new"], feed_uri=FEED_URI)


PLACEHOLDERS = {
    "<!-- gradleak:counts -->": render_counts,
    "<!-- gradleak:newest -->": render_newest,
    "<!-- gradleak:taxonomy -->": render_taxonomy,
}


def fill_placeholders(markdown: str, catalog: Catalog) -> str:
    """Replace the ``<!-- gradleak:... -->`` markers of a hand-written page."""
    for marker, render in PLACEHOLDERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render(catalog))
    return markdown
