"""Downloadable files: clean BibTeX, RIS and CSL-JSON for the whole library, each group and
each paper; the catalog as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path

from .citations import Records
from .model import Catalog, Paper
from .references import STYLES
from .reflists import plain_text, reference_list, sort_text
from .serve import ServeStore
from .sink import DirectSink, ProcessSink
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
    """{site uri: file content} of every BibTeX, JSON, CSV, RIS and CSL-JSON download,
    entries in library order."""
    return {uri: make() for uri, make in makers(catalog, bibtex, records or Records()).items()}


def makers(catalog: Catalog, bibtex: dict[str, str], records: Records,
           references: dict[str, dict[str, str]] | None = None) -> dict[str, Callable[[], str]]:
    """{site uri: the call that makes the file}, for files made one at a time as they are
    written (a 10,000-paper site need not hold all of them at once); ``records`` holds
    each paper's RIS and CSL-JSON for its files, its group's and the library's. With
    ``references``, the reference lists too (``reference_downloads``)."""
    papers = catalog.papers
    sets = [(LIBRARY_NAME, papers)]
    sets += [(g.id, [p for p in papers if p.group == g.id]) for g in catalog.taxonomy.groups]
    rows = _Shared(partial(_rows, catalog, bibtex), uses=2)  # for the JSON and the CSV
    out: dict[str, Callable[[], str]] = {
        download_uri(LIBRARY_NAME): partial(_joined_bibtex, papers, bibtex),
        f"downloads/{LIBRARY_NAME}.json": lambda: json_export(rows()),
        f"downloads/{LIBRARY_NAME}.csv": lambda: csv_export(rows()),
    }
    for name, members in sets[1:]:
        out[download_uri(name)] = partial(_joined_bibtex, members, bibtex)
    for paper in papers:
        out[paper_download_uri(paper.key)] = partial(bibtex.__getitem__, paper.key)
    sets += [(f"papers/{p.key}", [p]) for p in papers]
    for name, members in sets:  # RIS and CSL-JSON beside every .bib download
        out[f"downloads/{name}.ris"] = partial(records.ris, members)
        out[f"downloads/{name}.csl.json"] = partial(records.csl_json, members)
    if references is not None:
        out.update(_reference_makers(catalog, references))
    return out


def _rows(catalog: Catalog, bibtex: dict[str, str]) -> list[dict]:
    return [record(p, catalog, bibtex[p.key]) for p in catalog.papers]


def _joined_bibtex(papers, bibtex: dict[str, str]) -> str:
    return "\n".join(bibtex[p.key] for p in papers)


def reference_downloads(catalog: Catalog, references: dict[str, dict[str, str]]) -> dict[str, str]:
    """Formatted reference lists (plain text) of the library and each group in every style,
    and every paper's references as JSON for the list pages' "Copy APA/IEEE" buttons."""
    return {uri: make() for uri, make in _reference_makers(catalog, references).items()}


def _reference_makers(catalog: Catalog, references: dict[str, dict[str, str]]
                      ) -> dict[str, Callable[[], str]]:
    papers = catalog.papers
    sets = [(LIBRARY_NAME, papers)]
    sets += [(g.id, [p for p in papers if p.group == g.id]) for g in catalog.taxonomy.groups]
    lists = [(name, members, style) for name, members in sets for style in STYLES if members]
    # each reference's plain text (and APA sort text) once, for every list
    plain = _Shared(lambda: {style: {k: plain_text(v) for k, v in refs.items()}
                             for style, refs in references.items()}, uses=len(lists) + 1)
    # both styles list the papers alphabetically, by APA's sort text (first author first)
    order = _Shared(lambda: {k: sort_text(t) for k, t in plain()["apa"].items()},
                    uses=len(lists))
    out: dict[str, Callable[[], str]] = {}
    for name, members, style in lists:
        out[f"downloads/{name}.{style}.txt"] = partial(_reference_list, members, references,
                                                       style, plain, order)
    out["downloads/references.json"] = partial(_reference_table, papers, references)
    return out


def _reference_list(papers, references, style: str, plain: _Shared, order: _Shared) -> str:
    keys = order()
    if style != "apa":  # numbered in the APA list's order, not in the library's files' order
        papers = sorted(papers, key=lambda p: keys[p.key])
    return reference_list(papers, references[style], style, plain()[style],
                          keys if style == "apa" else None)


def _reference_table(papers, references: dict[str, dict[str, str]]) -> str:
    """{key: {style: reference}} as HTML (only <i>, <b> and entities): the list pages copy
    a selection's references as rich text (italics kept) and as plain text."""
    table = {p.key: {style: references[style][p.key] for style in STYLES} for p in papers}
    return json.dumps(table, ensure_ascii=False) + "\n"


class _Shared:
    """A value several files are made from: made for the first, dropped after the last
    (``uses``), made again if the files are read again."""

    def __init__(self, make: Callable[[], object], uses: int):
        self._make, self._uses, self._left, self._value = make, uses, uses, None

    def __call__(self):
        if self._value is None:
            self._value = self._make()
        value = self._value
        self._left -= 1
        if self._left <= 0:
            self._value, self._left = None, self._uses
        return value


class Downloads(Mapping):
    """Every download by site uri; each file is made when read, and ``write`` makes and
    writes them one after another, keeping none (a 10,000-paper site's downloads are
    ~100 MB of text)."""

    def __init__(self, files: dict[str, Callable[[], str]], records: Records | None = None):
        self._files, self._records = files, records

    def __getitem__(self, uri: str) -> str:
        return self._files[uri]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def write(self, site_dir: Path | str, store: ServeStore | None = None,
              sink: DirectSink | ProcessSink | None = None) -> int:
        """Write every download into ``site_dir`` (through ``sink``: see sink.py); returns
        how many. With ``store`` (`mkdocs serve`), the files under downloads/ are written
        only when their content changed."""
        kept = {u: m for u, m in self._files.items() if store and u.startswith("downloads/")}
        base = os.fspath(site_dir) + "/"  # str paths: pathlib's cost per file is not needed
        out = sink if sink is not None else DirectSink()
        for uri, make in self._files.items():
            if uri not in kept:
                out.write(base + uri, make().encode("utf-8"))
        if store is not None:
            store.write_all(Path(site_dir), "downloads", (
                (uri, None, partial(_encoded, make)) for uri, make in kept.items()))
        if self._records is not None:
            self._records.forget()  # made again if a file is read again
        return len(self._files)


def _encoded(make: Callable[[], str]) -> bytes:
    return make().encode("utf-8")
