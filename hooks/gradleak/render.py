"""Pages of the site, rendered from the catalog with the Jinja2 templates of this package."""

from __future__ import annotations

from markupsafe import Markup, escape

from .cards import CardBodies, Parts
from .citations import inverted_name
from .generated import Deferred, Generated, marker
from .latex import split_names
from .layout import ListPage, by_category, newest_first, subtree_total
from .model import Catalog, Category, Group, Paper
from .search import list_documents
from .templating import environment
from .urls import ALL_PAGE, page_uri, paper_page_uri


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
        paper=paper, group=group, related=lists, listed_on=listed_on, marker=marker,
        peers=(len(related["same_category"]), relations.peers(paper)), **context)
    own = bodies.standalone(uri, paper)
    fragments = {marker("paper"): _cards([paper], 1, paper.category or "none", context, own)}
    if references:  # the Cite section: formatted references (references.format_all)
        fragments[marker("cite")] = environment().get_template("cite.html.jinja").render(
            paper=paper, references={s: r[paper.key] for s, r in references.items()}, **context)
    return Generated(markdown, fragments, in_nav=False, heading_in_fragments=True)


def citation_meta(paper: Paper) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` tags, which Zotero's connector reads from a paper page.
    Authors as "Family, Given": as "Given Family" the connector takes the last word for the
    family name ("Laurens van der Maaten" became "Maaten, Laurens van der")."""
    tags = [("citation_title", paper.title)]
    names = split_names(paper.raw.get("author") or "")
    tags += [("citation_author", inverted_name(name)) for name in names]
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
