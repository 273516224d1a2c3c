"""Reading and writing BibTeX with bibtexparser v2, with every parse problem reported."""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    ImplicitComment,
    ParsingFailedBlock,
    Preamble,
    String,
)

from .model import SITE_FIELDS, BibField, Diagnostic, RawEntry

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
_BLOCK_KEY_RE = re.compile(r"@[ \t]*\w+[ \t]*[{(][ \t]*([^,\s=]*)(?=[ \t]*,)")


def comment_lines(text: str) -> list[int]:
    """1-based first lines of the comments (text outside entries) that are not blank."""
    library, _ = _split(text)
    return [(b.start_line or 0) + 1 for b in library.blocks
            if isinstance(b, ImplicitComment | ExplicitComment) and b.comment.strip()]


def keys_in(text: str) -> set[str]:
    """The keys a text seems to hold, read without parsing (for text that cannot be)."""
    return {m.group(1) for m in _BLOCK_KEY_RE.finditer(text) if m.group(1)}


def _key_of(raw: str | None) -> str | None:
    match = _BLOCK_KEY_RE.match(raw or "")
    return match.group(1) if match and match.group(1) else None


class _SplitterMessages(logging.Handler):
    """Collects the splitter's reasons for aborted blocks (it logs them, outside mkdocs)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.reasons: list[str] = []

    def emit(self, record):
        lines = record.getMessage().splitlines()
        self.reasons.append(lines[-1].strip() if lines else "syntax error")


def _split(text: str) -> tuple[Library, list[str]]:
    logger = logging.getLogger("bibtexparser.splitter")
    handler, propagate = _SplitterMessages(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False  # we report these ourselves, with file, line and key
    try:
        library = bibtexparser.parse_string(
            text, parse_stack=[RemoveEnclosingMiddleware(allow_inplace_modification=True)])
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    return library, handler.reasons


def parse(text: str, file: str, *,
          any_key: bool = False) -> tuple[list[RawEntry], list[Diagnostic]]:
    """Parse BibTeX ``text`` read from ``file``; never raises on bad input.

    Returns the entries in file order and a diagnostic for each block that could not be
    used: unparsable blocks, duplicate keys, duplicate fields, ``@string``/``@preamble``
    (not supported), malformed keys and bare values that are neither numbers nor months.
    ``any_key`` accepts keys of other schemes (``DBLP:conf/x/Y20``), for importing.
    """
    library, reasons = _split(text)
    reasons.reverse()
    entries: list[RawEntry] = []
    problems: list[Diagnostic] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(Diagnostic(file, line, block.key,
                                       "duplicate key: this entry is not used"))
        elif isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys)) if block.duplicate_keys else "?"
            key = block.ignore_error_block.key if block.ignore_error_block else _key_of(block.raw)
            problems.append(Diagnostic(file, line, key, f"duplicate field: {names}"))
        elif isinstance(block, ParsingFailedBlock):
            detail = reasons.pop() if reasons else "syntax error"
            problems.append(Diagnostic(file, line, _key_of(block.raw),
                                       f"unparsable entry: {detail}{_parse_hint(detail)}"))
        elif isinstance(block, String | Preamble):
            kind = "@string" if isinstance(block, String) else "@preamble"
            problems.append(Diagnostic(file, line, None,
                                       f"{kind} is not supported: write values out"))
        elif isinstance(block, Entry):
            entry = _to_raw(block, file, line, problems, any_key)
            if entry is not None:
                entries.append(entry)
    return entries, problems


def _parse_hint(detail: str) -> str:
    """How to fix the parse failures contributors cause, from the parser's words."""
    if detail.startswith("Expected a `=` after entry key, but found `@"):
        return " (the entry is not closed: add its '}' before the next entry)"
    if "Was still looking for field-value closing" in detail:
        return " (a value is not closed: a '{' without its '}' before the next entry)"
    if "`%`" in detail:
        return (" ('%' does not comment out lines inside an entry: delete the entry, or the '@' "
                "that starts it)")
    if detail.startswith("Expected comma after entry key"):
        return " (no key? write the entry's key and a comma right after its '{')"
    if detail.startswith("Unexpectedly reached end of file"):
        return " (a '{' without its '}': the file ends inside this entry)"
    return ""


def _to_raw(block: Entry, file: str, line: int, problems: list[Diagnostic],
            any_key: bool) -> RawEntry | None:
    if not (KEY_RE.match(block.key) or (any_key and block.key.strip())):
        problems.append(
            Diagnostic(file, line, block.key or None,
                       "malformed key: use letters, digits, '_', '-' or '.'")
        )
        return None
    fields = []
    for f in block.fields:
        enclosing = f.enclosing or "{"
        if enclosing == "no-enclosing":
            value = str(f.value)
            if not value.isdigit() and not (f.key.lower() == "month" and value.lower() in MONTHS):
                runs_on = "=" in value or "\n" in value  # `title = {T}` + newline + `year = ...`
                problems.append(
                    Diagnostic(file, (f.start_line or 0) + 1, block.key,
                               f"field '{f.key}': a comma is missing at the end of its value"
                               if runs_on else
                               f"field '{f.key}': bare value {value!r} is not a number: "
                               "enclose it in braces")
                )
        fields.append(BibField(f.key.lower(), str(f.value), enclosing, (f.start_line or 0) + 1))
    return RawEntry(block.key, block.entry_type.lower(), file, line, tuple(fields))


def _enclose(f: BibField) -> str:
    if f.enclosing == "no-enclosing":
        return f.value
    if f.enclosing == '"':
        return f'"{f.value}"'
    return "{" + f.value + "}"


def to_bibtex(entries, drop=SITE_FIELDS) -> str:
    """Write ``entries`` as BibTeX, values exactly as in the source, minus ``drop`` fields.

    Fields are removed by name, never by looking at values. The text is what bibtexparser's
    writer makes with the format below (indent 2, values at column 16, a trailing comma,
    a blank line between entries; a test compares the two), joined here: the writer takes
    half of a paper's interpretation time. Raises ValueError on a key given twice.
    """
    blocks, keys = [], set()
    for entry in entries:
        if entry.key in keys:
            raise ValueError(f"duplicate key {entry.key!r}")
        keys.add(entry.key)
        lines = [f"@{entry.entry_type}{{{entry.key},\n"]
        lines += [f"  {f.name}{_PAD[min(len(f.name), 13)]} = {_enclose(f)},\n"
                  for f in entry.fields if f.name not in drop]
        lines.append("}\n")
        blocks.append("".join(lines))
    return "\n".join(blocks)


_PAD = [" " * (13 - n) for n in range(14)]  # value column 16: name, pad, " = "
