"""What every page and card is rendered with: the template context of a page (by its depth
in the site) and each part of a paper's card, rendered once and shared by the pages that
show it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from .generated import Deferred
from .layout import Layout, plan
from .model import Catalog, Paper
from .serve import ServeStore, cards_digest
from .templating import environment
from .urls import (
    LIBRARY_NAME,
    WHERE_URI,
    download_uri,
    paper_download_uri,
    paper_page_uri,
    root_of,
    url_of,
)

# Stands for the way up to the site's root in card bodies rendered once for every depth
# (CardBodies._list_body); a paper's own text holding it is rendered for each depth.
ROOT = "\x00gl-root\x00"


def taxonomy_json(catalog: Catalog) -> dict:
    """What the page scripts need to know of the taxonomy: names, the tree and facets."""
    return _taxonomy_json(catalog.taxonomy)


@lru_cache(maxsize=8)
def _taxonomy_json(taxonomy) -> dict:
    parents = taxonomy.parents
    return {
        "groups": [{"id": g.id, "name": g.name} for g in taxonomy.groups],
        "categories": [{"id": c.id, "name": c.name, "group": g.id, "depth": c.depth,
                        "parent": parents[c.id].id if c.id in parents else None}
                       for g in taxonomy.groups for c in g.walk()],
        "facets": [{"id": f.id, "name": f.name,
                    "values": [{"id": v.id, "name": v.name} for v in f.values]}
                   for f in taxonomy.facets],
    }


def page_context(catalog: Catalog, bibtex: dict[str, str], uri: str, use_directory_urls: bool,
            layout: Layout | None = None, root: str | None = None):
    """The template context of the page ``uri``; ``root``: the way up to the site's root
    instead of ``uri``'s (every link of the context starts with it)."""
    root = root_of(uri, use_directory_urls) if root is None else root
    where = layout.category_uri if layout else {}
    categories = catalog.taxonomy.categories

    def category_href(cid: str) -> str:
        """The link to a category's section, on whichever list page it is."""
        target = where.get(cid) or (f"{categories[cid].group}.md" if cid in categories else "")
        return f"{root}{url_of(target, use_directory_urls)}#category-{cid}"

    head, tail = url_of(paper_page_uri("KEY"), use_directory_urls).split("KEY")
    bib_head, bib_tail = paper_download_uri("KEY").split("KEY")
    return {
        "taxonomy": catalog.taxonomy,
        "taxonomy_json": taxonomy_json(catalog),
        "group_names": {g.id: g.name for g in catalog.taxonomy.groups},
        "groups": catalog.taxonomy.groups,
        "bibtex": bibtex,
        "root": root,
        "href": lambda target: root + url_of(target, use_directory_urls),
        "category_href": category_href,
        # what goes before and after a key in links to a paper's page and .bib download
        "paper_page": (root + head, tail),
        "paper_bib": (root + bib_head, bib_tail),
        "tag_names": catalog.taxonomy.tag_names,
        "download_uri": download_uri,
        "paper_page_uri": paper_page_uri,
        "library_name": LIBRARY_NAME,
        "where_uri": root + WHERE_URI,
        "standalone": False,
        "show_group": False,
    }


@dataclass
class Parts:
    """What a cards template needs for a set of papers: each paper's attributes, title
    and card body, by key."""

    attributes: dict[str, Markup]
    titles: dict[str, Markup]
    bodies: dict[str, Markup]


class CardBodies:
    """Renders each part of a paper's card once: the parts that do not depend on the page
    once per paper, the body once per page root (the group pages and the all-papers page
    share theirs; a paper's own page has its own), and the lines of related lists."""

    def __init__(self, catalog: Catalog, bibtex: dict[str, str], use_directory_urls: bool,
                 layout: Layout | None = None, store: ServeStore | None = None):
        self.catalog, self.bibtex, self.use_directory_urls = catalog, bibtex, use_directory_urls
        self.store = store  # `mkdocs serve`: list cards of the last build, by content
        self._base = cards_digest(catalog.taxonomy, use_directory_urls) if store else b""
        self.layout = layout or plan(catalog)
        self._modules: dict[str, object] = {}
        self._contexts: dict[str, dict] = {}
        self._attributes: dict[str, Markup] = {}
        self._titles: dict[str, Markup] = {}
        self._shared: dict[str, Markup] = {}
        self._bodies: dict[str, dict[str, Markup]] = {}
        self._rootless: dict[str, str | None] = {}  # list card bodies with ROOT for the root
        self._related: dict[str, dict[str, Markup]] = {}
        self._pending = 0  # list pages whose cards are not written yet (see deferred)

    def context(self, uri: str) -> dict:
        """The template context shared by every page at the depth of ``uri`` (do not modify)."""
        root = root_of(uri, self.use_directory_urls)
        if root not in self._contexts:
            self._contexts[root] = page_context(self.catalog, self.bibtex, uri,
                                                self.use_directory_urls, self.layout)
        return self._contexts[root]

    def _module(self, uri: str, root: str | None = None):
        root = root_of(uri, self.use_directory_urls) if root is None else root
        if root not in self._modules:
            context = self.context(uri) if root != ROOT else page_context(
                self.catalog, self.bibtex, uri, self.use_directory_urls, self.layout, ROOT)
            self._modules[root] = environment().get_template("card.html.jinja").make_module(
                context)
        return root, self._modules[root]

    def _common_parts(self, module, paper: Paper) -> None:
        if paper.key not in self._shared:
            self._attributes[paper.key] = module.attributes(paper)
            self._titles[paper.key] = module.title(paper)
            self._shared[paper.key] = module.shared(paper)

    def for_list(self, uri: str, papers) -> Parts:
        """The parts of ``papers``' cards on the list page ``uri``."""
        root, module = self._module(uri)
        if self.store is None:
            return Parts(self._attributes, self._titles,
                         {p.key: self._list_body(root, module, p) for p in papers})
        bodies = self._bodies.setdefault(root, {})
        for paper in papers:
            if paper.key in bodies:
                continue
            key = ("card", root, self._base, self.store.digest(paper))
            parts = self.store.reuse(key, lambda p=paper: self._list_card(module, p))
            (self._attributes[paper.key], self._titles[paper.key], self._shared[paper.key],
             bodies[paper.key]) = parts
        return Parts(self._attributes, self._titles, bodies)

    def _list_body(self, root: str, module, paper: Paper) -> Markup:
        """A list card's body on pages at ``root``: rendered once per paper with ROOT for
        the way up to the site's root, which is the only part of it that differs from
        depth to depth (a large library's list pages sit at several depths), and put in
        for each; rendered for ``root`` itself if the paper's own text holds ROOT."""
        rootless = self._rootless.get(paper.key, "")
        if rootless == "":
            self._common_parts(module, paper)
            _, general = self._module(ROOT + "x.md", root=ROOT)
            text = str(general.body(paper, self._shared[paper.key], False))
            # ROOT starts links only (a value's quotes are escaped): else, it was the paper's
            rootless = self._rootless[paper.key] = (
                text if text.count(ROOT) == text.count(f'href="{ROOT}') else None)
        if rootless is None:
            return module.body(paper, self._shared[paper.key], False)
        return Markup(rootless.replace(ROOT, root))

    def _list_card(self, module, paper: Paper) -> tuple[Markup, Markup, Markup, Markup]:
        self._common_parts(module, paper)
        key = paper.key
        body = module.body(paper, self._shared[key], False)
        return self._attributes[key], self._titles[key], self._shared[key], body

    def forget_lists(self) -> None:
        """Drop the card bodies of the list pages (a paper's own page has its own body)."""
        self._bodies.clear()
        self._rootless.clear()

    def deferred(self, make) -> Deferred:
        """A list page's fragments, made by ``make`` when the page is written; once every
        list page's are written, the card bodies they share are dropped."""
        self._pending += 1
        return Deferred(make, self._written)

    def _written(self) -> None:
        self._pending -= 1
        if not self._pending:
            self.forget_lists()

    def standalone(self, uri: str, paper: Paper) -> Parts:
        """The parts of the card on the paper's own page ``uri``."""
        _, module = self._module(uri)
        self._common_parts(module, paper)
        body = module.body(paper, self._shared[paper.key], True)
        return Parts(self._attributes, self._titles, {paper.key: body})

    def related(self, uri: str, papers) -> dict[str, Markup]:
        """The list item (link, venue, year) of each of ``papers`` in a related list on ``uri``."""
        root, module = self._module(uri)
        made = self._related.setdefault(root, {})
        for paper in papers:
            if paper.key not in made:
                made[paper.key] = module.related(paper)
        return made
