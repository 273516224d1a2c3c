"""The canonical style of the library: entry order, field order, indentation, braces.

Formatting never changes a value: parsing the output gives exactly the input's entries,
with the same fields and values.
"""

from __future__ import annotations

from dataclasses import replace

from . import bib
from .model import Diagnostic, RawEntry
from .schema import rank


def entry_order(entry: RawEntry):
    return (entry.key.casefold(), entry.key)


def canonical_entry(entry: RawEntry) -> RawEntry:
    """Fields in canonical order; every value in braces except bare numbers and months."""
    fields = sorted(entry.fields, key=lambda f: rank(f.name))
    out = []
    for f in fields:
        bare = f.enclosing == "no-enclosing" and not f.value.isdigit()  # a month macro
        out.append(replace(f, enclosing="no-enclosing" if bare else "{"))
    return replace(entry, fields=tuple(out))


def _first_entry_line(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.lstrip().startswith("@")), len(lines))


def format_text(text: str, file: str) -> tuple[str | None, list[Diagnostic]]:
    """The canonical form of a .bib text, or None and the problems that prevent it.

    Comment lines before the first entry are kept as the file's header; a comment between
    entries has no canonical place and is reported instead of being lost.
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark is not part of the canonical style
    entries, problems = bib.parse(text, file)
    if problems:
        return None, problems
    lines = text.splitlines()
    start = _first_entry_line(lines)
    stray = [line for line in bib.comment_lines(text) if line > start]
    if stray:
        return None, [Diagnostic(file, stray[0], None,
                                 "a comment between entries: move it to the top of the file")]
    header = "\n".join(lines[:start]).rstrip()
    ordered = sorted((canonical_entry(e) for e in entries), key=entry_order)
    body = bib.to_bibtex(ordered, drop=()) if ordered else ""
    return (header + "\n\n" if header else "") + body, []


def same_entries(a: list[RawEntry], b: list[RawEntry]) -> bool:
    """Do two parses hold the same entries with the same fields and values (any order)?"""
    def norm(entries):
        return sorted((e.key, e.entry_type, tuple(sorted((f.name, f.value) for f in e.fields)))
                      for e in entries)
    return norm(a) == norm(b)


def insert_entry(text: str, entry_text: str, key: str) -> str:
    """``text`` with ``entry_text`` inserted before the first entry whose key sorts after
    ``key``; nothing already in ``text`` is changed or moved."""
    entries, _ = bib.parse(text, "-")
    lines = text.splitlines(keepends=True)
    after = [e for e in entries if entry_order(e) > (key.casefold(), key)]
    block = entry_text.rstrip("\n") + "\n"
    if after:
        at = min(e.line for e in after) - 1
        return "".join(lines[:at]) + block + "\n" + "".join(lines[at:])
    if text and not text.endswith("\n"):
        text += "\n"
    return text + ("\n" if text.strip() else "") + block
