"""Downloadable files: clean BibTeX for the whole library, each group and each paper."""

from __future__ import annotations

from .bib import to_bibtex
from .model import Catalog
from .render import LIBRARY_NAME, download_uri, paper_download_uri, unique_papers


def clean_bibtex(catalog: Catalog) -> dict[str, str]:
    """Each paper's BibTeX as readers get it: source values, site fields removed."""
    return {p.key: to_bibtex([p.raw]) for p in unique_papers(catalog.papers)}


def downloads(catalog: Catalog, bibtex: dict[str, str]) -> dict[str, str]:
    """{site uri: file content} of every .bib download, entries in library order."""
    papers = unique_papers(catalog.papers)
    files = {download_uri(LIBRARY_NAME): "\n".join(bibtex[p.key] for p in papers)}
    for group in catalog.taxonomy.groups:
        files[download_uri(group.id)] = "\n".join(
            bibtex[p.key] for p in papers if p.group == group.id)
    for paper in papers:
        files[paper_download_uri(paper.key)] = bibtex[paper.key]
    return files
