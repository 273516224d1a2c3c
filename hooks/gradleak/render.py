"""Pages of the site, rendered from the catalog with the Jinja2 templates of this package."""

from __future__ import annotations

import posixpath
import re
from functools import cache

import jinja2
from markupsafe import Markup, escape

from .model import Catalog, Category, Group, Paper

LIBRARY_NAME = "gradleak"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def md_inline(value) -> Markup:
    """Escape ``value`` for inline Markdown: HTML first, then Markdown's own syntax."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(value))))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gradleak", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_inline
    return env


def page_uri(group: Group) -> str:
    return f"{group.id}.md"


def download_uri(name: str) -> str:
    return f"downloads/{name}.bib"


def paper_download_uri(key: str) -> str:
    return f"downloads/papers/{key}.bib"


ALL_PAGE = "papers.md"


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


def _sections(category: Category, by_category: dict[str, list[Paper]]):
    """(category, its own papers, total below it) for the category and its descendants."""
    out = []
    for c in category.walk():
        total = sum(len(by_category.get(d.id, [])) for d in c.walk())
        out.append((c, newest_first(by_category.get(c.id, [])), total))
    return out


def unique_papers(papers) -> list[Paper]:
    """The papers, keeping the first of any repeated key (a repeat is reported, not shown)."""
    seen, out = set(), []
    for paper in papers:
        if paper.key not in seen:
            seen.add(paper.key)
            out.append(paper)
    return out


def taxonomy_json(catalog: Catalog) -> dict:
    """What the page scripts need to know of the taxonomy: names, the tree and facets."""
    taxonomy = catalog.taxonomy
    parents = {child.id: c.id for g in taxonomy.groups for c in g.walk() for child in c.children}
    return {
        "groups": [{"id": g.id, "name": g.name} for g in taxonomy.groups],
        "categories": [{"id": c.id, "name": c.name, "group": g.id, "depth": c.depth,
                        "parent": parents.get(c.id)} for g in taxonomy.groups for c in g.walk()],
        "facets": [{"id": f.id, "name": f.name,
                    "values": [{"id": v.id, "name": v.name} for v in f.values]}
                   for f in taxonomy.facets],
    }


def _common(catalog: Catalog, bibtex: dict[str, str], uri: str, use_directory_urls: bool):
    root = root_of(uri, use_directory_urls)
    return {
        "taxonomy": catalog.taxonomy,
        "taxonomy_json": taxonomy_json(catalog),
        "group_names": {g.id: g.name for g in catalog.taxonomy.groups},
        "groups": catalog.taxonomy.groups,
        "bibtex": bibtex,
        "root": root,
        "href": lambda target: root + url_of(target, use_directory_urls),
        "download_uri": download_uri,
        "paper_download_uri": paper_download_uri,
        "library_name": LIBRARY_NAME,
    }


def render_all(catalog: Catalog, bibtex: dict[str, str], *, use_directory_urls: bool = True) -> str:
    """The Markdown source of the page listing every paper of the library, newest first."""
    papers = newest_first(unique_papers(catalog.papers))
    return environment().get_template("all.md.jinja").render(
        papers=papers, show_group=True, **_common(catalog, bibtex, ALL_PAGE, use_directory_urls))


def render_group(catalog: Catalog, group: Group, bibtex: dict[str, str], *,
                 use_directory_urls: bool = True) -> str:
    """The Markdown source of one group's page (surveys, attacks or defenses)."""
    papers = unique_papers(catalog.in_group(group.id))
    by_category: dict[str, list[Paper]] = {}
    uncategorized = []
    for paper in papers:
        if paper.category:
            by_category.setdefault(paper.category, []).append(paper)
        else:
            uncategorized.append(paper)
    sections = [s for top in group.categories for s in _sections(top, by_category)]
    return environment().get_template("group.md.jinja").render(
        group=group,
        papers=papers,
        sections=sections,
        uncategorized=newest_first(uncategorized),
        show_group=False,
        **_common(catalog, bibtex, page_uri(group), use_directory_urls),
    )


def render_counts(catalog: Catalog) -> str:
    """The Markdown block of paper counts per group, for the home page."""
    groups = [(g, len(unique_papers(catalog.in_group(g.id)))) for g in catalog.taxonomy.groups]
    return environment().get_template("counts.md.jinja").render(
        groups=groups, total=sum(n for _, n in groups), page_uri=page_uri)


def render_taxonomy(catalog: Catalog) -> str:
    """The HTML tables documenting the taxonomy, for the contributing page."""
    return environment().get_template("taxonomy.html.jinja").render(taxonomy=catalog.taxonomy)


PLACEHOLDERS = {
    "<!-- gradleak:counts -->": render_counts,
    "<!-- gradleak:taxonomy -->": render_taxonomy,
}


def fill_placeholders(markdown: str, catalog: Catalog) -> str:
    """Replace the ``<!-- gradleak:... -->`` markers of a hand-written page."""
    for marker, render in PLACEHOLDERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render(catalog))
    return markdown
