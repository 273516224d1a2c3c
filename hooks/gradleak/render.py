"""Pages of the site, rendered from the catalog with the Jinja2 templates of this package."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from .generated import Deferred, Generated, marker
from .layout import Layout, ListPage, by_category, newest_first, plan, subtree_total
from .model import Catalog, Category, Group, Paper
from .search import list_documents
from .templating import environment
from .urls import (
    ALL_PAGE,
    LIBRARY_NAME,
    WHERE_URI,
    download_uri,
    page_uri,
    paper_download_uri,
    paper_page_uri,
    root_of,
    url_of,
)


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
            layout: Layout | None = None):
    root = root_of(uri, use_directory_urls)
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
                 layout: Layout | None = None):
        self.catalog, self.bibtex, self.use_directory_urls = catalog, bibtex, use_directory_urls
        self.layout = layout or plan(catalog)
        self._modules: dict[str, object] = {}
        self._contexts: dict[str, dict] = {}
        self._attributes: dict[str, Markup] = {}
        self._titles: dict[str, Markup] = {}
        self._shared: dict[str, Markup] = {}
        self._bodies: dict[str, dict[str, Markup]] = {}
        self._related: dict[str, dict[str, Markup]] = {}
        self._pending = 0  # list pages whose cards are not written yet (see deferred)

    def context(self, uri: str) -> dict:
        """The template context shared by every page at the depth of ``uri`` (do not modify)."""
        root = root_of(uri, self.use_directory_urls)
        if root not in self._contexts:
            self._contexts[root] = page_context(self.catalog, self.bibtex, uri,
                                                self.use_directory_urls, self.layout)
        return self._contexts[root]

    def _module(self, uri: str):
        root = root_of(uri, self.use_directory_urls)
        if root not in self._modules:
            self._modules[root] = environment().get_template("card.html.jinja").make_module(
                self.context(uri))
        return root, self._modules[root]

    def _common_parts(self, module, paper: Paper) -> None:
        if paper.key not in self._shared:
            self._attributes[paper.key] = module.attributes(paper)
            self._titles[paper.key] = module.title(paper)
            self._shared[paper.key] = module.shared(paper)

    def for_list(self, uri: str, papers) -> Parts:
        """The parts of ``papers``' cards on the list page ``uri``."""
        root, module = self._module(uri)
        bodies = self._bodies.setdefault(root, {})
        for paper in papers:
            if paper.key not in bodies:
                self._common_parts(module, paper)
                bodies[paper.key] = module.body(paper, self._shared[paper.key], False)
        return Parts(self._attributes, self._titles, bodies)

    def forget_lists(self) -> None:
        """Drop the card bodies of the list pages (a paper's own page has its own body)."""
        self._bodies.clear()

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


def _cards(papers: list[Paper], level: int, section: str, context: dict, parts: Parts) -> str:
    """The cards of one section of a page. Only the heading level, the section and the
    group label are the page's own; each paper's parts (attributes, title, body; see
    CardBodies and card.html.jinja) are rendered once and escaped there. This frame is
    joined here rather than in a template because it runs for every card of every page."""
    kind = "gl-paper" if context["standalone"] else "gl-card"
    after = f'data-section="{escape(section)}">\n<h{int(level)} id="'
    groups = {g: f'<p class="gl-card__group">{escape(name)}</p>\n' if context["show_group"] else ""
              for g, name in context["group_names"].items()}
    return "".join(
        f'<article class="{kind}" {parts.attributes[p.key]} {after}{escape(p.key)}" '
        f'class="gl-card__title">{parts.titles[p.key]}</h{int(level)}>\n'
        f"{groups.get(p.group, '')}{parts.bodies[p.key]}</article>\n"
        for p in papers)


def render_all(catalog: Catalog, bibtex: dict[str, str], *, use_directory_urls: bool = True,
               bodies: CardBodies | None = None) -> dict[str, Generated]:
    """The page listing every paper of the library, newest first; when the library is too
    large for one page, an index of years and one page per year (or part of one; see
    layout.slices). (Search lands on the group pages, so these pages add nothing to the
    index.)"""
    bodies = bodies or CardBodies(catalog, bibtex, use_directory_urls)
    papers = newest_first(list(catalog.papers))
    env = environment()
    if not bodies.layout.years:
        context = {**bodies.context(ALL_PAGE), "show_group": True}
        markdown = env.get_template("all.md.jinja").render(
            papers=papers, total=len(papers), year=None, years=(), marker=marker, **context)
        return {ALL_PAGE: Generated(markdown, _deferred_cards(bodies, ALL_PAGE, papers, context))}
    by_key = {p.key: p for p in papers}
    pages = {ALL_PAGE: Generated(env.get_template("all.md.jinja").render(
        papers=(), total=len(papers), year=None, years=bodies.layout.years, marker=marker,
        **{**bodies.context(ALL_PAGE), "show_group": True}))}
    for page in bodies.layout.years:
        own = [by_key[k] for k in page.keys]
        context = {**bodies.context(page.uri), "show_group": True}
        markdown = env.get_template("all.md.jinja").render(
            papers=own, total=len(papers), year=page, years=(), marker=marker, **context)
        pages[page.uri] = Generated(markdown, _deferred_cards(bodies, page.uri, own, context),
                                    in_nav=False)
    return pages


def _deferred_cards(bodies: CardBodies, uri: str, papers: list[Paper], context) -> Deferred:
    """The cards of an all-papers page, made when the page is written."""
    return bodies.deferred(lambda: {marker("all"): _cards(
        papers, 2, "all", context, bodies.for_list(uri, papers))})


def render_group(catalog: Catalog, group: Group, bibtex: dict[str, str], *,
                 use_directory_urls: bool = True, bodies: CardBodies | None = None
                 ) -> dict[str, Generated]:
    """A group's list (surveys, attacks or defenses), cards grouped by category: one page,
    or, when the group is too large, one page per category (see layout.plan)."""
    bodies = bodies or CardBodies(catalog, bibtex, use_directory_urls)
    papers = catalog.in_group(group.id)
    own, uncategorized = by_category(papers)
    return {page.uri: _render_list_page(catalog, page, papers, own, uncategorized, bodies)
            for page in bodies.layout.groups if page.group.id == group.id}


def _render_list_page(catalog: Catalog, page: ListPage, papers, own, uncategorized,
                      bodies: CardBodies) -> Generated:
    def total(category: Category) -> int:
        return subtree_total(category, own)

    if page.only:  # one year of a category's own papers
        keys = set(page.only.keys)
        sections = [(c, [p for p in newest_first(own.get(c.id, [])) if p.key in keys],
                     len(keys)) for c in page.sections]
    else:
        sections = [(c, newest_first(own.get(c.id, [])), total(c)) for c in page.sections]
    uncategorized = newest_first(uncategorized) if page.uncategorized else []
    shown = [p for _, mine, _ in sections for p in mine] + uncategorized
    context = bodies.context(page.uri)
    trail, up = [], page.category
    parents = catalog.taxonomy.parents
    while up is not None and up.id in parents:
        up = parents[up.id]
        trail.insert(0, up)
    markdown = environment().get_template("group.md.jinja").render(
        group=page.group, category=page.category, trail=trail, depth=page.depth,
        count=total(page.category) if page.category else len(papers), group_count=len(papers),
        papers=shown, has_cards=bool(shown), sections=sections, uncategorized=uncategorized,
        subpages=[(c, total(c)) for c in page.subpages], years=page.years, only=page.only,
        own_count=len(own.get(page.category.id, [])) if page.category else 0,
        marker=marker, **context)

    def cards() -> dict[str, str]:  # made when the page is written
        parts = bodies.for_list(page.uri, shown)
        fragments = {marker(c.id): _cards(mine, c.depth - page.depth + 3, c.id, context, parts)
                     for c, mine, _ in sections if mine}
        if uncategorized:
            fragments[marker("none")] = _cards(uncategorized, 3, "none", context, parts)
        return fragments

    headings = [(f"category-{c.id}", c.name, c.description) for c, _, _ in sections]
    title = f"{page.group.name}: {page.category.name}" if page.category else page.group.name
    if page.only:
        title += f", {page.only.label}"
    about = page.category.description if page.category else page.group.description
    documents = list_documents(title, about, headings, shown, catalog.taxonomy, page.group.name)
    return Generated(markdown, bodies.deferred(cards), tuple(documents),
                     in_nav=page.category is None)


def render_paper(catalog: Catalog, paper: Paper, bibtex: dict[str, str], relations, *,
                 use_directory_urls: bool = True, bodies: CardBodies | None = None,
                 references: dict[str, dict[str, str]] | None = None) -> Generated:
    """One paper's own page (kept out of the navigation and of search)."""
    bodies = bodies or CardBodies(catalog, bibtex, use_directory_urls)
    uri = paper_page_uri(paper.key)
    context = {**bodies.context(uri), "standalone": True, "show_group": True}
    group = next(g for g in catalog.taxonomy.groups if g.id == paper.group)
    related = relations.of(paper)
    items = bodies.related(uri, [p for ps in related.values() for p in ps])
    lists = {name: Markup("".join(items[p.key] for p in ps)) for name, ps in related.items()}
    listed_on = bodies.layout.paper_uri.get(paper.key, page_uri(group))
    markdown = environment().get_template("paper.md.jinja").render(
        paper=paper, group=group, related=lists, listed_on=listed_on, marker=marker, **context)
    own = bodies.standalone(uri, paper)
    fragments = {marker("paper"): _cards([paper], 1, paper.category or "none", context, own)}
    if references:  # the Cite section: formatted references (references.format_all)
        fragments[marker("cite")] = environment().get_template("cite.html.jinja").render(
            paper=paper, references={s: r[paper.key] for s, r in references.items()}, **context)
    return Generated(markdown, fragments, in_nav=False, heading_in_fragments=True)


def citation_meta(paper: Paper) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` tags, which Zotero's connector reads from a paper page."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", a) for a in paper.authors]
    if paper.year:
        tags.append(("citation_publication_date", str(paper.year)))
        tags.append(("citation_date", str(paper.year)))
    container = {"article": "citation_journal_title", "inproceedings": "citation_conference_title"}
    if paper.entry_type in container and paper.container:
        tags.append((container[paper.entry_type], paper.container))
    for value, name in ((paper.volume, "citation_volume"), (paper.number, "citation_issue"),
                        (paper.publisher, "citation_publisher")):
        if value:
            tags.append((name, value))
    pages = (paper.pages or "").replace("--", "-").split("-")
    if pages[0].strip():
        tags.append(("citation_firstpage", pages[0].strip()))
        if len(pages) > 1 and pages[-1].strip():
            tags.append(("citation_lastpage", pages[-1].strip()))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if paper.arxiv:
        tags.append(("citation_arxiv_id", paper.arxiv))
        tags.append(("citation_pdf_url", f"https://arxiv.org/pdf/{paper.arxiv}"))
    if paper.link:
        tags.append(("citation_abstract_html_url", paper.link))
    return tags
