"""One call from library to site files: what the MkDocs hook and the CLI both use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalog import load_catalog
from .export import clean_bibtex, downloads
from .model import Catalog
from .render import ALL_PAGE, page_uri, render_all, render_group


@dataclass(frozen=True)
class SiteFiles:
    catalog: Catalog
    pages: dict[str, str]  # uri -> Markdown source
    downloads: dict[str, str]  # uri -> file content


def build_site(bib_dir: Path | str, *, use_directory_urls: bool = True) -> SiteFiles:
    """Read the library in ``bib_dir`` and render every generated page and download."""
    catalog = load_catalog(bib_dir)
    bibtex = clean_bibtex(catalog)
    pages = {
        page_uri(group): render_group(catalog, group, bibtex, use_directory_urls=use_directory_urls)
        for group in catalog.taxonomy.groups
    }
    pages[ALL_PAGE] = render_all(catalog, bibtex, use_directory_urls=use_directory_urls)
    return SiteFiles(catalog, pages, downloads(catalog, bibtex))
