"""One call from library to site files: what the MkDocs hook and the CLI both use."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import load_catalog
from .citations import STYLES, format_references
from .export import clean_bibtex, downloads, reference_downloads
from .feeds import atom_feeds, group_feed_uri
from .insight_pages import render_insights
from .insights import Relations
from .layout import LIST_LIMIT, plan
from .ledger_page import PENDING_PAGE, render_pending
from .model import Catalog
from .render import (
    CardBodies,
    Generated,
    citation_meta,
    paper_page_uri,
    render_all,
    render_group,
    render_paper,
)
from .timing import phase


@dataclass(frozen=True)
class SiteFiles:
    catalog: Catalog
    pages: dict[str, Generated]  # uri -> Markdown source, card HTML and search items
    downloads: dict[str, str]  # uri -> file content
    meta: dict[str, list[tuple[str, str]]]  # page uri -> <meta name content> pairs
    feeds: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # page uri ->
    # [(title, feed uri)]: the feeds a page's head links besides the whole catalog's


@contextmanager
def _no_cyclic_gc():
    """Pause Python's cycle collector: the build allocates many small, long-lived objects
    and few cycles, so its repeated full scans cost ~15 % of the time at 10,000 entries
    (memory unchanged). Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_site(bib_dir: Path | str, *, use_directory_urls: bool = True,
               site_name: str = "Gradient leakage", site_url: str | None = None,
               list_limit: int = LIST_LIMIT) -> SiteFiles:
    """Read the library in ``bib_dir`` and render every generated page and download.
    No list page holds more than ``list_limit`` cards where categories and years allow."""
    with _no_cyclic_gc():
        return _build_site(bib_dir, use_directory_urls, site_name, site_url, list_limit)


def _build_site(bib_dir, use_directory_urls, site_name, site_url, list_limit) -> SiteFiles:
    catalog = load_catalog(bib_dir)
    with phase("export"):
        bibtex = clean_bibtex(catalog)
    with phase("render"):
        bodies = CardBodies(catalog, bibtex, use_directory_urls, plan(catalog, list_limit))
        pages = {}
        feeds = {}
        for group in catalog.taxonomy.groups:
            mine = render_group(catalog, group, bibtex, bodies=bodies,
                                use_directory_urls=use_directory_urls)
            pages.update(mine)
            feeds.update((uri, [(f"New papers: {group.name} (Atom)", group_feed_uri(group.id))])
                         for uri in mine)
        pages.update(render_all(catalog, bibtex, bodies=bodies,
                                use_directory_urls=use_directory_urls))
        pages.update(render_insights(catalog, use_directory_urls=use_directory_urls,
                                     layout=bodies.layout))
        pages[PENDING_PAGE] = render_pending(catalog, use_directory_urls=use_directory_urls)
        meta = {}
        papers = catalog.papers
        relations = Relations(papers)
        with phase("citations"):
            references = {style: format_references(papers, style) for style in STYLES}
        for paper in papers:
            uri = paper_page_uri(paper.key)
            pages[uri] = render_paper(catalog, paper, bibtex, relations, bodies=bodies,
                                      use_directory_urls=use_directory_urls,
                                      references=references)
            meta[uri] = citation_meta(paper)
    with phase("export"):
        files = downloads(catalog, bibtex)
        files.update(reference_downloads(catalog, references))
        files.update(atom_feeds(catalog, site_name=site_name, site_url=site_url,
                                use_directory_urls=use_directory_urls))
    return SiteFiles(catalog, pages, files, meta, feeds)
