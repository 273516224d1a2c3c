"""Pages of the site, rendered from the catalog with the Jinja2 templates of this package."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

import jinja2
from markupsafe import Markup, escape

from .layout import ALL_PAGE, Layout, ListPage, by_category, page_uri, plan, subtree_total
from .model import Catalog, Category, Group, Paper
from .sources import source_name

LIBRARY_NAME = "gradleak"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def md_inline(value) -> Markup:
    """Escape ``value`` for inline Markdown: HTML first, then Markdown's own syntax."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(value))))


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's own cache of compiled templates in the system's temporary folder (keyed by
    each template's source checksum): a fresh `mkdocs build` process skips compiling."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no usable temporary folder: compile every time
        return None


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gradleak", "templates"),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_inline
    env.filters["coins"] = coins
    env.filters["source_name"] = source_name
    return env


def coins(paper: Paper) -> str:
    """The OpenURL ContextObject of a paper, for a COinS span (Zotero reads it on list pages)."""
    genre = {"article": "article",
             "inproceedings": "proceeding"}.get(paper.entry_type, "preprint")
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
             ("rft.genre", genre), ("rft.atitle", paper.title)]
    if paper.container:
        pairs.append(("rft.jtitle", paper.container))
    if paper.year:
        pairs.append(("rft.date", str(paper.year)))
    pairs += [("rft.au", a) for a in paper.authors]
    if paper.doi:
        pairs.append(("rft_id", f"info:doi/{paper.doi}"))
    if paper.link:
        pairs.append(("rft_id", paper.link))
    return "&".join(f"{name}={form_quote(value)}" for name, value in pairs)


_UNSAFE = re.compile(rb"[^A-Za-z0-9_.~ -]")


def form_quote(value: str) -> str:
    """``urllib.parse.quote_plus(value)``, several times faster on text that is mostly
    letters (one regex pass instead of a Python call per byte); tests compare the two."""
    data = _UNSAFE.sub(lambda m: b"%%%02X" % m.group()[0], value.encode("utf-8"))
    return data.decode("ascii").replace(" ", "+")


def download_uri(name: str) -> str:
    return f"downloads/{name}.bib"


def paper_download_uri(key: str) -> str:
    return f"downloads/papers/{key}.bib"


def paper_page_uri(key: str) -> str:
    return f"paper/{key}.md"


INSIGHT_PAGES = {"stats": "stats.md", "timeline": "timeline.md", "matrix": "matrix.md",
                 "new": "new.md"}
FEED_URI = "feed.xml"
MATRIX_GRID_LIMIT = 3600  # attack x defense cells drawn as a grid; beyond, one list per attack


def url_of(uri: str, use_directory_urls: bool) -> str:
    """The URL, relative to the site root, of the page built from ``uri``."""
    stem, _ = posixpath.splitext(uri)
    if posixpath.basename(stem) == "index":
        return stem[: -len("index")]
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def root_of(uri: str, use_directory_urls: bool) -> str:
    """The relative path from the page built from ``uri`` back to the site root."""
    stem, _ = posixpath.splitext(uri)
    if use_directory_urls and posixpath.basename(stem) != "index":
        stem = posixpath.join(stem, "index")
    depth = stem.count("/")
    return "../" * depth


def newest_first(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (-(p.year or 0), p.title.casefold(), p.key))


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


def _common(catalog: Catalog, bibtex: dict[str, str], uri: str, use_directory_urls: bool,
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

    def context(self, uri: str) -> dict:
        """The template context shared by every page at the depth of ``uri`` (do not modify)."""
        root = root_of(uri, self.use_directory_urls)
        if root not in self._contexts:
            self._contexts[root] = _common(self.catalog, self.bibtex, uri, self.use_directory_urls,
                                           self.layout)
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


@dataclass(frozen=True)
class Generated:
    """A generated page: its Markdown (small: headings and prose), the card HTML that
    replaces each ``<!-- gradleak:cards ... -->`` marker after Markdown has run, and its
    search items (anchor, title, text) when the page's own content is kept out of search."""

    markdown: str
    fragments: dict[str, str] = field(default_factory=dict)
    search: tuple[tuple[str, str, str], ...] = ()
    in_nav: bool = True  # False: a page reached from another (split lists, papers)


def search_entries(page_url: str, items) -> list[dict[str, str]]:
    """Entries for Material's search index (its titles and texts are HTML, so escaped)."""
    return [{"location": f"{page_url}#{anchor}", "title": str(escape(title)),
             "text": str(escape(text))}
            for anchor, title, text in items]


def marker(section: str) -> Markup:
    return Markup(f"<!-- gradleak:cards {section} -->")


def expand(html: str, fragments: dict[str, str]) -> str:
    """Put the card HTML in place of the markers of a page rendered by Markdown."""
    for mark, cards in fragments.items():
        html = html.replace(mark, cards, 1)
    return html


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


def _search_items(papers: list[Paper], taxonomy) -> list[tuple[str, str, str]]:
    items = []
    for p in papers:
        where = " ".join(str(x) for x in (p.venue, p.year or "") if x)
        tags = ", ".join(taxonomy.tag_name(t) for t in p.tags)
        items.append((p.key, p.title, " · ".join(x for x in (", ".join(p.authors), where,
                                                             p.container, tags) if x)))
    return items


def render_all(catalog: Catalog, bibtex: dict[str, str], *, use_directory_urls: bool = True,
               bodies: CardBodies | None = None) -> dict[str, Generated]:
    """The page listing every paper of the library, newest first; when the library is too
    large for one page, an index of years and one page per year. (Search lands on the
    group pages, so these pages add nothing to the index.)"""
    bodies = bodies or CardBodies(catalog, bibtex, use_directory_urls)
    papers = newest_first(list(catalog.papers))
    env = environment()
    if not bodies.layout.years:
        context = {**bodies.context(ALL_PAGE), "show_group": True}
        markdown = env.get_template("all.md.jinja").render(
            papers=papers, total=len(papers), year=None, years=(), marker=marker, **context)
        return {ALL_PAGE: Generated(markdown, {marker("all"): _cards(
            papers, 2, "all", context, bodies.for_list(ALL_PAGE, papers))})}
    of_year: dict[int | None, list[Paper]] = {}
    for paper in papers:
        of_year.setdefault(paper.year, []).append(paper)
    years = [(page, len(of_year[page.year])) for page in bodies.layout.years]
    pages = {ALL_PAGE: Generated(env.get_template("all.md.jinja").render(
        papers=(), total=len(papers), year=None, years=years, marker=marker,
        **{**bodies.context(ALL_PAGE), "show_group": True}))}
    for page in bodies.layout.years:
        own = of_year[page.year]
        context = {**bodies.context(page.uri), "show_group": True}
        markdown = env.get_template("all.md.jinja").render(
            papers=own, total=len(papers), year=page, years=(), marker=marker, **context)
        pages[page.uri] = Generated(markdown, {marker("all"): _cards(
            own, 2, "all", context, bodies.for_list(page.uri, own))}, in_nav=False)
    return pages


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
        subpages=[(c, total(c)) for c in page.subpages], marker=marker, **context)
    parts = bodies.for_list(page.uri, shown)
    fragments = {marker(c.id): _cards(mine, c.depth - page.depth + 3, c.id, context, parts)
                 for c, mine, _ in sections if mine}
    if uncategorized:
        fragments[marker("none")] = _cards(uncategorized, 3, "none", context, parts)
    headings = [(f"category-{c.id}", c.name, c.description) for c, _, _ in sections]
    return Generated(markdown, fragments, tuple(headings + _search_items(shown, catalog.taxonomy)),
                     in_nav=page.category is None)


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
    from .insights import periods

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
    if references:  # the Cite section: formatted references (citations.format_references)
        fragments[marker("cite")] = environment().get_template("cite.html.jinja").render(
            paper=paper, references={s: r[paper.key] for s, r in references.items()}, **context)
    return Generated(markdown, fragments, in_nav=False)


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


def render_insights(catalog: Catalog, *, use_directory_urls: bool = True,
                    layout: Layout | None = None) -> dict[str, Generated]:
    """The statistics, timeline, attack x defense matrix and what's-new pages."""
    from . import insights
    from .charts import Bar, bar_chart, stacked_bars

    papers = list(catalog.papers)
    groups = [g.id for g in catalog.taxonomy.groups]
    names = {g.id: g.name for g in catalog.taxonomy.groups}
    pages = {}
    env = environment()

    def context(uri):
        return _common(catalog, {}, uri, use_directory_urls, layout)

    years = insights.per_year(papers, groups)
    categories = insights.per_category(catalog, papers)
    venues = insights.top_venues(papers)
    facet_values, facet_rows = insights.facet_by_category(catalog, papers, "modality")
    charts = {
        "years": stacked_bars(
            "chart-years", "Papers per year, by group",
            f"{len(papers)} papers from {years[0][0] if years else '-'} to "
            f"{years[-1][0] if years else '-'}; one bar per year, newest first, "
            "divided by group.",
            years[::-1], [(g, names[g]) for g in groups]),
        "categories": bar_chart(
            "chart-categories", "Papers per category",
            "Number of papers listed in each category, sub-categories included in their parent.",
            [Bar(c.name, n, f"gl-series--{c.group}", c.depth) for c, n in categories]),
        "venues": bar_chart(
            "chart-venues", f"The {len(venues)} most frequent venues",
            "Number of papers per venue, most frequent first.",
            [Bar(v, n) for v, n in venues]),
    }
    pages[INSIGHT_PAGES["stats"]] = env.get_template("stats.md.jinja").render(
        papers=papers, years=years, categories=categories, venues=venues, charts=charts,
        code=insights.code_share(papers, groups), names=names, groups_ids=groups,
        facet_values=facet_values, facet_rows=facet_rows, heat=insights.heat_scale(facet_rows),
        **context(INSIGHT_PAGES["stats"]))
    pages[INSIGHT_PAGES["timeline"]] = env.get_template("timeline.md.jinja").render(
        milestones=insights.milestones(catalog, papers), names=names,
        **context(INSIGHT_PAGES["timeline"]))
    attacks, defenses, cells = insights.relation_matrix(papers)
    defenses_of: dict[str, list[Paper]] = {a.key: [] for a in attacks}
    position = {d.key: i for i, d in enumerate(defenses)}
    for a, d in sorted(cells, key=lambda pair: position[pair[1]]):
        defenses_of[a].append(defenses[position[d]])
    pages[INSIGHT_PAGES["matrix"]] = env.get_template("matrix.md.jinja").render(
        attacks=attacks, defenses=defenses, cells=cells, defenses_of=defenses_of,
        grid_limit=MATRIX_GRID_LIMIT,
        short={p.key: insights.short_label(p) for p in (*attacks, *defenses)},
        by={p.key: insights.byline(p) for p in (*attacks, *defenses)},
        by_category=_category_matrix(catalog, attacks, defenses, cells),
        **context(INSIGHT_PAGES["matrix"]))
    out = {uri: Generated(markdown) for uri, markdown in pages.items()}
    out.update(_render_news(catalog, papers, names, context))
    return out


def _render_news(catalog: Catalog, papers: list[Paper], names: dict[str, str], context):
    """What's new: the field's latest months (papers by their own date), a page per older
    year, and the short list of papers added to the catalog last."""
    from . import insights
    from .feeds import feed_list

    news = insights.news(papers)
    template = environment().get_template("new.md.jinja")
    counts = {y: sum(len(pe.papers) for pe in pes) for y, pes in news.years.items()}
    added_month, added_count, added = insights.recently_added(papers)
    if added_month and len(added_month) == 7:
        added_month = f"{insights.MONTH_NAMES[int(added_month[5:]) - 1]} {added_month[:4]}"
    dated = [pe for pe in news.recent if pe.month]
    main = template.render(
        year=None, periods=news.recent, months=insights.NEWS_MONTHS,
        shown=sum(len(pe.papers) for pe in news.recent),
        first=dated[-1] if dated else None, last=dated[0] if dated else None,
        older=news.older, year_counts=counts, added_month=added_month,
        added_count=added_count, added=added, feeds=feed_list(catalog), names=names,
        **context(INSIGHT_PAGES["new"]))
    pages = {INSIGHT_PAGES["new"]: Generated(main)}
    for year in news.older:
        uri = f"new/{year}.md"
        pages[uri] = Generated(template.render(
            year=year, periods=news.years[year], count=counts[year], older=news.older,
            names=names, **context(uri)), in_nav=False)
    return pages


def _category_matrix(catalog, attacks, defenses, cells):
    """Top-level attack categories x top-level defense categories: (evaluated, broken)."""
    from .insights import ancestors

    chains = ancestors(catalog)
    top = {cid: chain[-1] for cid, chain in chains.items()}
    counts: dict[tuple[str, str], list[int]] = {}
    pairs: dict[tuple[str, str], list] = {}
    by_key = {p.key: p for p in (*attacks, *defenses)}
    for (a, d), cell in cells.items():
        key = (top.get(by_key[a].category, "none"), top.get(by_key[d].category, "none"))
        slot = counts.setdefault(key, [0, 0])
        slot[0] += cell.evaluated
        slot[1] += cell.broken
        pairs.setdefault(key, []).append((by_key[a], by_key[d], cell))
    groups = {g.id: g for g in catalog.taxonomy.groups}
    rows = list(groups["attacks"].categories) if "attacks" in groups else []
    columns = list(groups["defenses"].categories) if "defenses" in groups else []
    # the pairs behind each cell, in the table's reading order (row by row)
    listed = {(r, c): pairs[(r.id, c.id)] for r in rows for c in columns if (r.id, c.id) in pairs}
    return {"rows": rows, "columns": columns, "counts": counts, "pairs": listed}
