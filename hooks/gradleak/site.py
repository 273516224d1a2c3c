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
from .shell import (
    SHELL_META,
    SHELL_URI,
    Shell,
    dest_path,
    paper_page,
    shell_page,
    update_sitemap,
    write_paper_pages,
)
from .timing import phase


class PaperPages:
    """Renders each paper's own page on demand: a site of 10,000 papers need not hold
    10,000 pages in memory when they are written one after another."""

    def __init__(self, catalog: Catalog, bibtex: dict[str, str], bodies: CardBodies,
                 use_directory_urls: bool, references: dict | None = None):
        self.catalog, self.bibtex, self.bodies = catalog, bibtex, bodies
        self.use_directory_urls, self.references = use_directory_urls, references
        self.relations = Relations(catalog.papers)

    def render(self, paper) -> Generated:
        with phase("render"):
            return render_paper(self.catalog, paper, self.bibtex, self.relations,
                                bodies=self.bodies, use_directory_urls=self.use_directory_urls,
                                references=self.references)


@dataclass(frozen=True)
class SiteFiles:
    catalog: Catalog
    pages: dict[str, Generated]  # uri -> Markdown source, card HTML and search items; every
    # page but the paper pages, which ``papers`` renders when they are wanted
    downloads: dict[str, str]  # uri -> file content
    meta: dict[str, list[tuple[str, str]]]  # page uri -> <meta name content> pairs
    feeds: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # page uri ->
    # [(title, feed uri)]: the feeds a page's head links besides the whole catalog's
    papers: PaperPages | None = None

    def filled_pages(self, use_directory_urls: bool = True):
        """(uri, path in the site) of each paper page, as the fill writes them."""
        for paper in self.catalog.papers:
            yield paper_page_uri(paper.key), dest_path(paper.key, use_directory_urls)

    def meta_for(self, uri: str) -> list[tuple[str, str]] | None:
        """The <meta name content> pairs of a page's head (the shell has a token)."""
        return SHELL_META if uri == SHELL_URI else self.meta.get(uri)

    def paper_sources(self):
        """(uri, page) of each paper's own page, rendered one at a time."""
        for paper in self.catalog.papers if self.papers else ():
            yield paper_page_uri(paper.key), self.papers.render(paper)

    def all_pages(self) -> dict[str, Generated]:
        """Every generated page, the paper pages included (rendered now)."""
        return {**self.pages, **dict(self.paper_sources())}

    def theme_pages(self, fill_papers: bool = True) -> dict[str, Generated]:
        """The pages the front end renders with its theme: every page; or, with
        ``fill_papers``, every page but the paper pages, plus the shell they are filled
        from (see shell.py)."""
        if not fill_papers:
            return self.all_pages()
        return {**self.pages, SHELL_URI: shell_page()}

    def paper_pages(self):
        """Each paper page's own values, to fill the shell with, one at a time."""
        for uri, page in self.paper_sources():
            yield paper_page(uri.removeprefix("paper/").removesuffix(".md"), page,
                             self.meta[uri])


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
        bodies.forget_lists()  # the list pages are made: their card bodies are not needed
        meta = {paper_page_uri(paper.key): citation_meta(paper) for paper in catalog.papers}
        with phase("citations"):
            references = {style: format_references(catalog.papers, style) for style in STYLES}
        papers = PaperPages(catalog, bibtex, bodies, use_directory_urls, references)
    with phase("export"):
        files = downloads(catalog, bibtex)
        files.update(reference_downloads(catalog, references))
        files.update(atom_feeds(catalog, site_name=site_name, site_url=site_url,
                                use_directory_urls=use_directory_urls))
    return SiteFiles(catalog, pages, files, meta, feeds, papers)


def fill_paper_pages(site: SiteFiles, shell_html: str, site_dir: Path | str, *,
                     use_directory_urls: bool = True, site_url: str | None = None) -> int:
    """Make every paper page from the shell the front end rendered, write them into
    ``site_dir`` and add them to its sitemap; returns how many. Raises ShellError when the
    shell cannot be filled safely."""
    shell = Shell(shell_html)
    with _no_cyclic_gc():
        count = write_paper_pages(shell, site.paper_pages(), site_dir, use_directory_urls)
    update_sitemap(site_dir, [p.key for p in site.catalog.papers], site_url, use_directory_urls)
    return count
