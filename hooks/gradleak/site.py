"""One call from library to site files: what the MkDocs hook and the CLI both use."""

from __future__ import annotations

import gc
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path

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
    CardBodies,
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
from .urls import WHERE_URI


class PaperPages:
    """Renders each paper's own page on demand: a site of 10,000 papers need not hold
    10,000 pages in memory when they are written one after another."""

    def __init__(self, catalog: Catalog, bibtex: dict[str, str], bodies: CardBodies,
                 use_directory_urls: bool, references: dict | None = None):
        self.catalog, self.bibtex, self.bodies = catalog, bibtex, bodies
        self.use_directory_urls, self.references = use_directory_urls, references
        self.relations = Relations(catalog.papers)

    def digests(self, salt: str) -> dict[str, bytes]:
        """A digest per paper of everything its page is made from: the paper, the papers
        it links to, where its card is listed, its BibTeX and references, the taxonomy,
        the layout, the templates and ``salt`` (the shell)."""
        layout = self.bodies.layout
        base = hashlib.blake2b(repr((salt, self.catalog.taxonomy, self.use_directory_urls,
                                     sorted(layout.category_uri.items()),
                                     _templates_source())).encode(), digest_size=16).digest()
        refs = self.references or {}
        own = {p.key: hashlib.blake2b(
            repr((_fingerprint(p), self.bibtex.get(p.key), [r.get(p.key) for r in refs.values()],
                  layout.paper_uri.get(p.key))).encode(), digest_size=16).digest()
            for p in self.catalog.papers}
        out = {}
        for p in self.catalog.papers:
            related = self.relations.of(p)
            out[p.key] = hashlib.blake2b(
                base + own[p.key] + b"".join(own[q.key] for ps in related.values() for q in ps)
                + repr([len(ps) for ps in related.values()]).encode(), digest_size=16).digest()
        return out

    def render(self, paper) -> Generated:
        with phase("render"):
            return render_paper(self.catalog, paper, self.bibtex, self.relations,
                                bodies=self.bodies, use_directory_urls=self.use_directory_urls,
                                references=self.references)


def _fingerprint(paper) -> tuple:
    """A paper's values without the line numbers of its entry, which an edit above it
    shifts and no page shows."""
    raw = paper.raw
    values = tuple(getattr(paper, f.name) for f in fields(paper) if f.name != "raw")
    return values, raw.key, raw.entry_type, tuple((f.name, f.value) for f in raw.fields)


def _templates_source() -> str:
    folder = Path(__file__).parent / "templates"
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.jinja")))


class PageMemo:
    """Filled paper pages by the digest of what each is made from, kept between the builds
    of one `mkdocs serve`: after an edit, only the pages that depend on it are made again
    (the others are only written out, as the front end empties the site folder)."""

    def __init__(self):
        self.pages: dict[bytes, bytes] = {}
        self.made = 0  # pages made (not found here) by the last build


_SERVING: list[PageMemo] = []  # the memo of a `mkdocs serve` process (see serve_memo)


def serve_memo(start: bool = False) -> PageMemo | None:
    """The memo kept between the rebuilds of `mkdocs serve` (which re-imports the hook for
    each rebuild, but not this package); ``start`` creates it."""
    if start and not _SERVING:
        _SERVING.append(PageMemo())
    return _SERVING[0] if _SERVING else None


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
        meta = {paper_page_uri(paper.key): citation_meta(paper) for paper in catalog.papers}
        with phase("citations"):
            records = Records()  # each paper's CSL item, RIS and CSL-JSON, made once
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
                     memo: PageMemo | None = None) -> int:
    """Make every paper page from the shell the front end rendered, write them into
    ``site_dir`` and add them to its sitemap; returns how many. With ``memo``, pages whose
    digest it holds are not made again. Raises ShellError when the shell cannot be filled
    safely."""
    shell = Shell(shell_html)
    with _no_cyclic_gc():
        if memo is None:
            count = write_paper_pages(shell, site.paper_pages(), site_dir, use_directory_urls)
        else:
            count = _write_with_memo(site, shell, shell_html, site_dir, use_directory_urls,
                                     memo)
    update_sitemap(site_dir, [p.key for p in site.catalog.papers], site_url, use_directory_urls)
    return count


def _write_with_memo(site, shell, shell_html, site_dir, use_directory_urls, memo) -> int:
    digests = site.papers.digests(shell_html)
    kept, memo.made = {}, 0
    made_dirs = set()
    for paper in site.catalog.papers:
        digest = digests[paper.key]
        data = memo.pages.get(digest)
        if data is None:
            uri = paper_page_uri(paper.key)
            page = paper_page(paper.key, site.papers.render(paper), site.meta[uri])
            data = shell.fill(page).encode("utf-8", "xmlcharrefreplace")
            memo.made += 1
        kept[digest] = data
        path = Path(site_dir) / dest_path(paper.key, use_directory_urls)
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
        path.write_bytes(data)
    memo.pages = kept  # only this build's pages: the memo never outgrows the site
    return len(kept)
