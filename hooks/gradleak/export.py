"""Downloadable files: clean BibTeX, RIS and CSL-JSON for the whole library, each group and
each paper; the catalog as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

from .citations import Records
from .model import Catalog, Paper
from .references import STYLES, plain_text, reference_list
from .urls import LIBRARY_NAME, download_uri, paper_download_uri


def clean_bibtex(catalog: Catalog) -> dict[str, str]:
    """Each paper's BibTeX as readers get it: source values, site fields removed."""
    return {p.key: p.bibtex for p in catalog.papers}


def record(paper: Paper, catalog: Catalog, bibtex: str) -> dict:
    """One paper in the JSON/CSV export (schema documented on the site's Data page)."""
    facets: dict[str, list[str]] = {f.id: [] for f in catalog.taxonomy.facets}
    for tag in paper.facets:
        value = catalog.taxonomy.facet_values.get(tag)
        if value is not None and value.facet in facets:
            facets[value.facet].append(tag)
    return {
        "key": paper.key, "type": paper.entry_type, "group": paper.group,
        "title": paper.title, "authors": list(paper.authors), "year": paper.year,
        "venue": paper.venue, "container": paper.container, "doi": paper.doi,
        "arxiv": paper.arxiv, "url": paper.link, "code": paper.code,
        "categories": list(paper.categories), **facets, "tldr": paper.tldr,
        "added": paper.added, "evaluates": list(paper.evaluates), "breaks": list(paper.breaks),
        "milestone": paper.milestone, "bibtex": bibtex,
    }


def json_export(records: list[dict]) -> str:
    """The whole catalog as JSON, one paper per line (json's fast encoder needs no indent)."""
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    head = json.dumps({"schema": "gradleak-catalog/1", "count": len(records)})[:-1]
    return f'{head}, "papers": [\n{lines}\n]}}\n'


def csv_export(records: list[dict]) -> str:
    """One row per paper; list fields joined with '; ' (BibTeX left to the .bib files)."""
    rows = records
    columns = [c for c in rows[0] if c != "bibtex"] if rows else ["key"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else ("" if v is None else v)
                         for k, v in row.items()})
    return out.getvalue()


def downloads(catalog: Catalog, bibtex: dict[str, str], records: Records | None = None
              ) -> dict[str, str]:
    """{site uri: file content} of every download, entries in library order; ``records``
    holds each paper's RIS and CSL-JSON (made once per build)."""
    papers = catalog.papers
    rows = [record(p, catalog, bibtex[p.key]) for p in papers]  # once for JSON and CSV
    files = {download_uri(LIBRARY_NAME): "\n".join(bibtex[p.key] for p in papers),
             f"downloads/{LIBRARY_NAME}.json": json_export(rows),
             f"downloads/{LIBRARY_NAME}.csv": csv_export(rows)}
    for group in catalog.taxonomy.groups:
        files[download_uri(group.id)] = "\n".join(
            bibtex[p.key] for p in papers if p.group == group.id)
    for paper in papers:
        files[paper_download_uri(paper.key)] = bibtex[paper.key]
    files.update(citation_downloads(catalog, records or Records()))
    return files


def citation_downloads(catalog: Catalog, records: Records) -> dict[str, str]:
    """RIS and CSL-JSON beside every .bib download: library, each group, each paper."""
    papers = catalog.papers
    sets = [(LIBRARY_NAME, papers)]
    sets += [(g.id, [p for p in papers if p.group == g.id]) for g in catalog.taxonomy.groups]
    sets += [(f"papers/{p.key}", [p]) for p in papers]
    files = {}
    for name, members in sets:
        files[f"downloads/{name}.ris"] = records.ris(members)
        files[f"downloads/{name}.csl.json"] = records.csl_json(members)
    return files


def reference_downloads(catalog: Catalog, references: dict[str, dict[str, str]]) -> dict[str, str]:
    """Formatted reference lists (plain text) of the library and each group in every style,
    and every paper's references as JSON for the list pages' "Copy APA/IEEE" buttons."""
    papers = catalog.papers
    sets = [(LIBRARY_NAME, papers)]
    sets += [(g.id, [p for p in papers if p.group == g.id]) for g in catalog.taxonomy.groups]
    files = {f"downloads/{name}.{style}.txt": reference_list(members, references[style], style)
             for name, members in sets for style in STYLES if members}
    table = {p.key: {style: plain_text(references[style][p.key]) for style in STYLES}
             for p in papers}
    files["downloads/references.json"] = json.dumps(table, ensure_ascii=False) + "\n"
    return files
