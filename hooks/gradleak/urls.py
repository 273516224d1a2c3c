"""Every path and link of the site in one place: where each generated page and download
lives, and how a page links to another (relative, so the site works from a sub-path)."""

from __future__ import annotations

import posixpath
from functools import lru_cache

from .model import Category, Group

LIBRARY_NAME = "gradleak"  # the stem of the whole-library downloads
ALL_PAGE = "papers.md"


def page_uri(group: Group) -> str:
    return f"{group.id}.md"


def category_page_uri(group: Group, category: Category) -> str:
    return f"{group.id}/{category.id}.md"


def year_page_uri(year: int | None) -> str:
    return f"papers/{year if year else 'undated'}.md"


def download_uri(name: str) -> str:
    return f"downloads/{name}.bib"


PAPER_DOWNLOADS = "downloads/papers/"  # each paper's own .bib, .ris and .csl.json


def paper_download_uri(key: str) -> str:
    return f"{PAPER_DOWNLOADS}{key}.bib"


def paper_page_uri(key: str) -> str:
    return f"paper/{key}.md"


# which list page has each paper's card (layout.Layout.where), for links made before a split
WHERE_URI = "papers/where.json"

INSIGHT_PAGES = {"stats": "stats.md", "timeline": "timeline.md", "matrix": "matrix.md",
                 "new": "new.md"}
FEED_URI = "feed.xml"


def url_of(uri: str, use_directory_urls: bool) -> str:
    """The URL, relative to the site root, of the page built from ``uri``."""
    stem, _ = posixpath.splitext(uri)
    if posixpath.basename(stem) == "index":
        return stem[: -len("index")]
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


@lru_cache(maxsize=4096)
def root_of(uri: str, use_directory_urls: bool) -> str:
    """The relative path from the page built from ``uri`` back to the site root."""
    stem, _ = posixpath.splitext(uri)
    if use_directory_urls and posixpath.basename(stem) != "index":
        stem = posixpath.join(stem, "index")
    depth = stem.count("/")
    return "../" * depth


def top_folders(dest_uris) -> list[str]:
    """The site's top-level folders (`assets`, `paper`, ...), from the paths of its files:
    the 404 page of a build without site_url finds the site's root in the missing path by
    them (overrides/main.html)."""
    return sorted({uri.split("/", 1)[0] for uri in dest_uris if "/" in uri})
