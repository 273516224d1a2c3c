"""One call from library to site files: what the MkDocs hook and the CLI both use."""

from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .cards import CardBodies
from .catalog import load_catalog
from .citations import Records
from .export import Downloads, clean_bibtex, makers
from .feeds import atom_feeds, group_feed_uri
from .generated import Generated
from .insight_pages import render_insights
from .insights import Relations
from .layout import LIST_LIMIT, plan
from .ledger_page import PENDING_PAGE, render_pending
from .model import Catalog
from .references import format_all
from .render import (
    citation_meta,
    paper_page_uri,
    render_all,
    render_group,
    render_paper,
)
from .serve import ServeStore, page_digests
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
from .urls import WHERE_URI


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
    downloads: Downloads  # uri -> file content, made when read or written
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

    def paper_sources(self, papers=None):
        """(uri, page) of each paper's own page (of ``papers``, else of every paper),
        rendered one at a time."""
        for paper in (self.catalog.papers if papers is None else papers) if self.papers else ():
            yield paper_page_uri(paper.key), self.papers.render(paper)

    def all_pages(self) -> dict[str, Generated]:
        """Every generated page, the paper pages included (rendered now)."""
        return {**self.pages, **dict(self.paper_sources())}

    def theme_pages(self, fill_papers: bool = True) -> dict[str, Generated]:
        """The pages the front end renders with its theme: every page; or, with
        ``fill_papers``, every page but the paper pages, plus the shell they are filled
        from (see shell.py), first: the front end renders it before the others, so that
        paper pages can be filled while it renders them (writer.py)."""
        if not fill_papers:
            return self.all_pages()
        return {SHELL_URI: shell_page(), **self.pages}

    def paper_pages(self, papers=None):
        """Each paper page's own values (of ``papers``, else of every paper), to fill the
        shell with, one at a time."""
        for uri, page in self.paper_sources(papers):
            yield paper_page(uri.removeprefix("paper/").removesuffix(".md"), page,
                             self.meta[uri])


@contextmanager
def no_cyclic_gc():
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
               list_limit: int = LIST_LIMIT, store: ServeStore | None = None) -> SiteFiles:
    """Read the library in ``bib_dir`` and render every generated page and download.
    No list page holds more than ``list_limit`` cards where categories and years allow.
    ``store`` (`mkdocs serve`): what the last build made, taken where nothing changed."""
    if store is not None:
        store.new_build()
    gc.unfreeze()  # the last build's objects: collected as usual again
    with no_cyclic_gc():
        site = _build_site(bib_dir, use_directory_urls, site_name, site_url, list_limit, store)
    # The site's objects (the catalog above all) live until the build ends: out of the
    # cycle collector's full scans, which the rest of the build (pages, downloads) would
    # otherwise repeat over all of them (~20 % of that time at 10,000 papers).
    gc.freeze()
    return site


def _build_site(bib_dir, use_directory_urls, site_name, site_url, list_limit,
                store) -> SiteFiles:
    catalog = load_catalog(bib_dir)
    with phase("export"):
        bibtex = clean_bibtex(catalog)
    with phase("render"):
        bodies = CardBodies(catalog, bibtex, use_directory_urls, plan(catalog, list_limit),
                            store)
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
        meta = {paper_page_uri(paper.key): citation_meta(paper) for paper in catalog.papers}
        with phase("citations"):
            records = Records(store)  # each paper's CSL item, RIS and CSL-JSON, made once
            references = format_all(catalog.papers, records)
        papers = PaperPages(catalog, bibtex, bodies, use_directory_urls, references)
    with phase("export"):  # the files are made when written (Downloads.write)
        files = makers(catalog, bibtex, records, references)
        files.update((uri, partial(str, text)) for uri, text in atom_feeds(
            catalog, site_name=site_name, site_url=site_url,
            use_directory_urls=use_directory_urls).items())
        files[WHERE_URI] = partial(json.dumps, bodies.layout.where(use_directory_urls),
                                   separators=(",", ":"))
    return SiteFiles(catalog, pages, Downloads(files, records), meta, feeds, papers)


def fill_paper_pages(site: SiteFiles, shell_html: str, site_dir: Path | str, *,
                     use_directory_urls: bool = True, site_url: str | None = None,
                     store: ServeStore | None = None, sink=None) -> int:
    """Make every paper page from the shell the front end rendered, write them into
    ``site_dir`` (through ``sink``, sink.py) and add them to its sitemap; returns how
    many. With ``store`` (`mkdocs serve`), a page whose inputs are those of the page
    written last time is neither made nor written again. Raises ShellError when the shell
    cannot be filled safely."""
    shell = Shell(shell_html)
    with no_cyclic_gc():
        if store is None:
            count = write_paper_pages(shell, site.paper_pages(), site_dir, use_directory_urls,
                                      sink)
        else:
            digests = page_digests(site.papers, shell_html, store)
            count = store.write_all(site_dir, "paper", (
                (dest_path(p.key, use_directory_urls), digests[p.key],
                 partial(_filled, site, shell, p)) for p in site.catalog.papers))
    update_sitemap(site_dir, [p.key for p in site.catalog.papers], site_url, use_directory_urls)
    return count


def _filled(site: SiteFiles, shell: Shell, paper) -> bytes:
    uri = paper_page_uri(paper.key)
    page = paper_page(paper.key, site.papers.render(paper), site.meta[uri])
    return shell.fill(page).encode("utf-8", "xmlcharrefreplace")
