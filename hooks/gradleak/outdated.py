"""``gradleak outdated``: which arXiv-only entries have been published since, by asking
arXiv (journal_ref, DOI), Crossref (the DOI's record) and dblp (a non-CoRR record with
the same title), with each suggestion shown as a diff of the entry."""

from __future__ import annotations

import difflib
import json
import re
import time
from dataclasses import dataclass, field, replace

from . import bib
from .add import normalize
from .catalog import load_catalog
from .fetch import (
    FetchError,
    Http,
    arxiv_records,
    crossref_bibtex,
    crossref_record,
    dblp_bibtex,
    dblp_hits,
    is_informal,
)
from .fmt import format_text
from .model import BibField, Catalog, Paper, RawEntry
from .validate import normalized_title

#: The fields a published version brings; the rest of the entry is left as it is.
PUBLISHED_FIELDS = ("journal", "booktitle", "volume", "number", "pages", "publisher", "doi",
                    "year", "school", "institution")
BATCH = 50  # arXiv ids per API call
_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


@dataclass
class Suggestion:
    key: str
    file: str
    line: int
    arxiv: str
    sources: list[str]
    journal_ref: str | None = None
    entry_type: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    diff: str = ""

    def as_json(self) -> dict:
        return {"key": self.key, "file": self.file, "line": self.line, "arxiv": self.arxiv,
                "sources": self.sources, "journal_ref": self.journal_ref,
                "entry_type": self.entry_type, "fields": self.fields, "diff": self.diff}


def arxiv_only(catalog: Catalog) -> list[Paper]:
    """Entries known only as arXiv preprints: an arXiv id and no venue of their own."""
    return [p for p in catalog.papers if p.arxiv and not p.doi
            and not any(p.raw.get(n) for n in ("journal", "booktitle", "school", "institution"))]


def find_updates(papers: list[Paper], http: Http, *, delay: float = 1.0,
                 progress=lambda message: None) -> tuple[list[Suggestion], list[str]]:
    """A suggestion for each paper with a published version; the problems met on the way
    (a failing source is reported and the others still asked)."""
    records: dict[str, dict] = {}
    ids = [p.arxiv for p in papers]
    for start in range(0, len(ids), BATCH):
        records.update(arxiv_records(ids[start:start + BATCH], http))  # offline: raises
        if start + BATCH < len(ids):
            time.sleep(delay * 3)  # arXiv asks for 3 s between calls
    suggestions, problems = [], []
    for n, paper in enumerate(papers, 1):
        progress(f"{n}/{len(papers)} {paper.key}")
        record = records.get(paper.arxiv)
        if record is None:
            problems.append(f"{paper.key}: arXiv does not know {paper.arxiv}")
            continue
        try:
            found = _published(paper, record, http)
        except FetchError as error:
            problems.append(f"{paper.key}: {error}")
            continue
        finally:
            time.sleep(delay)
        if found is not None:
            suggestions.append(found)
    return suggestions, problems


def _published(paper: Paper, record: dict, http: Http) -> Suggestion | None:
    suggestion = Suggestion(paper.key, paper.raw.file, paper.raw.line, paper.arxiv, [],
                            journal_ref=record.get("journal_ref"))
    entry = None
    if record.get("doi"):
        message = crossref_record(record["doi"], http)
        if message is not None:
            entry = _entry(crossref_bibtex(message))
            suggestion.sources = [f"arXiv names the DOI {record['doi']}", "Crossref"]
    if entry is None:
        wanted = normalized_title(paper.raw.get("title") or "")
        for info in dblp_hits(paper.title, http):
            if (not is_informal(info) and info.get("key")
                    and normalized_title(str(info.get("title", ""))) == wanted):
                entry = _entry(dblp_bibtex(info["key"], http))
                suggestion.sources = [f"dblp {info['key']}"]
                break
    if entry is None and not suggestion.journal_ref:
        return None
    if suggestion.journal_ref:
        suggestion.sources.insert(0, f"arXiv journal_ref: {suggestion.journal_ref}")
    if entry is not None:
        suggestion.entry_type = entry.entry_type
        suggestion.fields = {f.name: f.value for f in entry.fields
                             if f.name in PUBLISHED_FIELDS and paper.raw.get(f.name) != f.value}
        suggestion.diff = _diff(paper.raw, entry.entry_type, suggestion.fields,
                                " + ".join(suggestion.sources))
    return suggestion


def _entry(text: str) -> RawEntry | None:
    entries, _ = bib.parse(text, "<answer>", any_key=True)
    return normalize(entries[0]) if entries else None


def updated_entry(raw: RawEntry, entry_type: str, fields: dict[str, str]) -> RawEntry:
    """``raw`` with the published version's type and fields (nothing else changes)."""
    kept = tuple(replace(f, value=fields[f.name]) if f.name in fields else f for f in raw.fields)
    have = {f.name for f in raw.fields}
    added = tuple(BibField(name, value, "{", 0) for name, value in fields.items()
                  if name not in have)
    return replace(raw, entry_type=entry_type, fields=kept + added)


def _diff(raw: RawEntry, entry_type: str, fields: dict[str, str], source: str) -> str:
    def text(entry: RawEntry) -> list[str]:
        written = bib.to_bibtex([entry], drop=())
        formatted, _ = format_text(written, raw.file)
        return (formatted or written).splitlines(keepends=True)

    before, after = text(raw), text(updated_entry(raw, entry_type, fields))
    lines = difflib.unified_diff(before, after, f"{raw.file}:{raw.line} ({raw.key})",
                                 f"suggested from {source}", n=len(before) + len(after))
    # hunk lines counted in the file, where the (canonically formatted) entry starts
    return "".join(_HUNK.sub(lambda m: f"@@ -{int(m[1]) + raw.line - 1}{m[2]} "
                                       f"+{int(m[3]) + raw.line - 1}{m[4]} @@", line)
                   if line.startswith("@@") else line for line in lines)


def report(suggestions: list[Suggestion]) -> str:
    """The suggestions as text: a diff per entry, or the journal reference alone."""
    parts = []
    for s in suggestions:
        if s.diff:
            parts.append(s.diff)
        else:
            parts.append(f"# {s.file}:{s.line} ({s.key}): arXiv says it appeared in "
                         f"{s.journal_ref!r}; no record found to fill in the fields\n")
    return "\n".join(parts)


def run(args, bib_dir, say) -> int:
    """The command: suggestions on stdout (text or JSON), progress and problems on stderr."""
    started = time.perf_counter()
    catalog = load_catalog(bib_dir)
    papers = arxiv_only(catalog)
    if args.keys:
        wanted = {k.strip() for k in args.keys.split(",") if k.strip()}
        known = {p.key for p in catalog.papers}
        only = {p.key for p in papers}
        for key in sorted(wanted - known):
            say(f"gradleak outdated: {key}: no such entry in the library")
        for key in sorted((wanted & known) - only):
            say(f"gradleak outdated: {key}: not arXiv-only (no arXiv id, or a DOI or venue "
                "already): skipped")
        if wanted - known:
            return 2
        papers = [p for p in papers if p.key in wanted]
    say(f"gradleak outdated: asking arXiv, Crossref and dblp about {len(papers)} "
        "arXiv-only entries")
    try:
        suggestions, problems = find_updates(papers, Http(timeout=args.timeout),
                                             delay=args.delay)
    except FetchError as error:
        say(f"gradleak outdated: {error}")
        return 2
    if args.format == "json":
        print(json.dumps({"checked": len(papers), "suggestions": [s.as_json() for s in suggestions],
                          "problems": problems}, indent=2, ensure_ascii=False))
    else:
        text = report(suggestions)
        if text:
            print(text, end="")
        for problem in problems:
            say(f"  not checked: {problem}")
    say(f"gradleak outdated: {len(papers)} checked, {len(suggestions)} with a published "
        f"version, {len(problems)} not checked, {time.perf_counter() - started:.1f} s")
    return 0
