"""The insight pages: statistics, timeline, the attack x defense matrix and What's new."""

from __future__ import annotations

from . import insights
from .cards import page_context
from .charts import Bar, bar_chart, stacked_bars
from .feeds import feed_list
from .generated import Generated, marker
from .layout import Layout
from .model import Catalog, Category, Paper
from .news import MONTH_NAMES, NEWS_MONTHS, field_news, recently_added
from .templating import environment
from .urls import INSIGHT_PAGES

MATRIX_GRID_LIMIT = 3600  # attack x defense cells drawn as a grid; beyond, one list per attack
MATRIX_LIST_LIMIT = 500  # relations listed on the matrix page; beyond, pages of this many


def render_insights(catalog: Catalog, *, use_directory_urls: bool = True,
                    layout: Layout | None = None) -> dict[str, Generated]:
    """The statistics, timeline, attack x defense matrix and what's-new pages."""
    papers = list(catalog.papers)
    groups = [g.id for g in catalog.taxonomy.groups]
    names = {g.id: g.name for g in catalog.taxonomy.groups}
    pages = {}
    env = environment()

    def context(uri):
        return page_context(catalog, {}, uri, use_directory_urls, layout)

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
    out = {uri: Generated(markdown) for uri, markdown in pages.items()}
    out.update(_render_matrix(catalog, papers, context))
    out.update(_render_news(catalog, papers, names, context))
    return out


def _render_matrix(catalog: Catalog, papers: list[Paper], context) -> dict[str, Generated]:
    """The attack x defense matrix: the page's text in Markdown, its tables and list as
    HTML fragments (see matrix.md.jinja). A list of more than ``MATRIX_LIST_LIMIT``
    relations goes on pages of its own (``relation_parts``), which the matrix page
    indexes by category pair: every page stays bounded, every relation listed once."""
    uri = INSIGHT_PAGES["matrix"]
    attacks, defenses, cells = insights.relation_matrix(papers)
    by_category = _category_matrix(catalog, attacks, defenses, cells)
    values = {"short": {p.key: insights.short_label(p) for p in (*attacks, *defenses)},
              "by": {p.key: insights.byline(p) for p in (*attacks, *defenses)}, "marker": marker}
    sections = [(a, d, pairs, 1) for (a, d), pairs in by_category["pairs"].items()]
    parts = relation_parts(sections, MATRIX_LIST_LIMIT)
    if len(parts) > 1:
        part_uris = [f"{uri[:-3]}/relations-{i}.md" for i in range(1, len(parts) + 1)]
        href = context(uri)["href"]
        first = {}
        for part_uri, part in zip(part_uris, parts, strict=True):
            for a, d, _, number in part:
                if number == 1:
                    first[(a.id, d.id)] = f"{href(part_uri)}#pairs-{a.id}-{d.id}"
        cell_href = first
    else:
        part_uris, cell_href = [], {(a.id, d.id): f"#pairs-{a.id}-{d.id}"
                                    for a, d, _, _ in sections}
    page = environment().get_template("matrix.md.jinja").make_module(dict(
        attacks=attacks, defenses=defenses, cells=cells, grid_limit=MATRIX_GRID_LIMIT,
        by_category=by_category, cell_href=cell_href, parts=part_uris,
        index=[(a, d, pairs) for a, d, pairs, _ in sections],
        total=sum(len(pairs) for _, _, pairs, _ in sections), part_limit=MATRIX_LIST_LIMIT,
        **values, **context(uri)))
    fragments = {marker("matrix-categories"): str(page.categories_table())}
    if not part_uris:
        fragments[marker("matrix-list")] = _pairs_list(sections, values, context(uri))
    if len(attacks) * len(defenses) <= MATRIX_GRID_LIMIT:
        fragments[marker("matrix-papers")] = str(page.papers_table())
    # a table of papers by key: only its opening text is indexed, so that a paper's own
    # search document is what a search finds
    out = {uri: Generated(str(page), fragments, search_sections=False)}
    template = environment().get_template("relations.md.jinja")
    total, done = sum(len(pairs) for _, _, pairs, _ in sections), 0
    for number, (part_uri, part) in enumerate(zip(part_uris, parts if part_uris else [],
                                                  strict=True), 1):
        size = sum(len(pairs) for _, _, pairs, _ in part)
        markdown = template.render(
            matrix_uri=uri, number=number, count=len(parts), first=done + 1, last=done + size,
            total=total, previous=part_uris[number - 2] if number > 1 else None,
            next=part_uris[number] if number < len(parts) else None,
            **values, **context(part_uri))
        done += size
        out[part_uri] = Generated(markdown, {marker("matrix-list"): _pairs_list(
            part, values, context(part_uri))}, in_nav=False)
    return out


def _pairs_list(sections, values: dict, context: dict) -> str:
    module = environment().get_template("pairs.html.jinja").make_module({**values, **context})
    return str(module.pairs_list(sections))


def relation_parts(sections, limit: int) -> list[list]:
    """``sections`` (attack category, defense category, pairs, 1), in reading order, cut
    into pages of at most ``limit`` pairs: a category pair that does not fit on the page
    goes on with part 2, 3, ... on the next; one page if all fit."""
    pages: list[list] = [[]]
    room = limit
    for a, d, pairs, _ in sections:
        number, pairs = 1, list(pairs)
        while pairs:
            if room == 0:
                pages.append([])
                room = limit
            taken, pairs = pairs[:room], pairs[room:]
            pages[-1].append((a, d, taken, number))
            room -= len(taken)
            number += 1
    return pages


def _render_news(catalog: Catalog, papers: list[Paper], names: dict[str, str], context):
    """What's new: the field's latest months (papers by their own date), a page per older
    year, and the short list of papers added to the catalog last."""
    news = field_news(papers)
    template = environment().get_template("new.md.jinja")
    counts = {y: sum(len(pe.papers) for pe in pes) for y, pes in news.years.items()}
    added_month, added_count, added = recently_added(papers)
    if added_month and len(added_month) == 7:
        added_month = f"{MONTH_NAMES[int(added_month[5:]) - 1]} {added_month[:4]}"
    dated = [pe for pe in news.recent if pe.month]

    def page(periods, **values) -> Generated:
        module = template.make_module(dict(periods=periods, names=names, marker=marker,
                                           **values))
        fragments = {marker(f"period-{pe.id}"): str(module.period_list(pe)) for pe in periods}
        # What's new lists other pages' papers: only its opening text is indexed
        return Generated(str(module), fragments, in_nav=values["year"] is None,
                         search_sections=False)

    pages = {INSIGHT_PAGES["new"]: page(
        news.recent, year=None, months=NEWS_MONTHS,
        shown=sum(len(pe.papers) for pe in news.recent),
        first=dated[-1] if dated else None, last=dated[0] if dated else None,
        older=news.older, year_counts=counts, added_month=added_month,
        added_count=added_count, added=added, feeds=feed_list(catalog),
        **context(INSIGHT_PAGES["new"]))}
    for year in news.older:
        uri = f"new/{year}.md"
        pages[uri] = page(news.years[year], year=year, count=counts[year], older=news.older,
                          **context(uri))
    return pages


def _category_matrix(catalog, attacks, defenses, cells):
    """Top-level attack categories x top-level defense categories: (evaluated, broken)."""
    chains = insights.ancestors(catalog)
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
    # the pairs behind each cell, in the table's reading order (row by row); pairs outside
    # the table (a paper without a category) last, so that the list has every relation
    none = Category("none", "Uncategorized", "", "", 0)
    cats = {c.id: c for c in (*rows, *columns)}
    listed = {(r, c): pairs.pop((r.id, c.id)) for r in rows for c in columns
              if (r.id, c.id) in pairs}
    listed.update(((cats.get(a, none), cats.get(d, none)), rest) for (a, d), rest in pairs.items())
    return {"rows": rows, "columns": columns, "counts": counts, "pairs": listed}
