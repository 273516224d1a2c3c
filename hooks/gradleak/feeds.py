"""Atom feeds of the field's news: the papers of the What's new page (see news.field_news),
one entry per paper dated by its own month; one feed for the catalog and one per group."""

from __future__ import annotations

from .model import Catalog
from .news import News, field_news
from .templating import environment
from .urls import FEED_URI, INSIGHT_PAGES, page_uri, paper_page_uri, url_of


def group_feed_uri(group_id: str) -> str:
    """Beside feed.xml, not in a folder: the theme fetches sitemap.xml next to every
    <link rel=alternate> of a page (for its language links), and a feeds/ folder has none."""
    return f"feed-{group_id}.xml"


def feed_list(catalog: Catalog) -> list[tuple[str, str]]:
    """[(title, uri)] of every feed, the whole catalog's first."""
    return [("New papers", FEED_URI)] + [(f"New papers: {g.name}", group_feed_uri(g.id))
                                          for g in catalog.taxonomy.groups]


def atom_feeds(catalog: Catalog, *, site_name: str, site_url: str | None,
               use_directory_urls: bool = True, the_news: News | None = None) -> dict[str, str]:
    """{uri: Atom document} for feed.xml and feed-<group>.xml. Every link is absolute when
    ``site_url`` is set, else relative to the feed's own address."""
    the_news = the_news or field_news(catalog.papers)
    dates = {p.key: period for period in the_news.recent for p in period.papers}
    entries = the_news.papers()  # in What's new's order: newest month first, then by title
    names = {g.id: g.name for g in catalog.taxonomy.groups}
    out = {}
    for _, uri in feed_list(catalog):
        group = None if uri == FEED_URI else next(
            g for g in catalog.taxonomy.groups if group_feed_uri(g.id) == uri)
        mine = [p for p in entries if group is None or p.group == group.id]

        def link(target: str, uri=uri) -> str:
            url = url_of(target, use_directory_urls) if target.endswith(".md") else target
            if site_url:
                return site_url.rstrip("/") + "/" + url
            return "../" * uri.count("/") + url

        out[uri] = environment().get_template("feed.xml.jinja").render(
            title=f"{site_name}: {group.name}" if group else f"{site_name}: new papers",
            feed_id="urn:gradleak:feed" + (f":{group.id}" if group else ""),
            subtitle=("Papers on gradient leakage in federated learning" if group is None
                      else f"{group.name}: papers on gradient leakage in federated learning")
            + ", by the month each first appeared",
            updated=max((dates[p.key].timestamp for p in mine), default="1970-01-01T00:00:00Z"),
            self_url=link(uri), alternate=link(page_uri(group) if group else INSIGHT_PAGES["new"]),
            site_name=site_name, papers=mine, dates=dates, names=names,
            page_url=lambda key, link=link: link(paper_page_uri(key)))
    return out
