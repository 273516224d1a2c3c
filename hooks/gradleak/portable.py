"""BibTeX that every client reads without an error or a warning (the exports' last step)."""

from __future__ import annotations

import re
from dataclasses import replace

from .model import BibField, RawEntry

# An accent on a dotless i or j (`\'\i`): biber turns it into U+0131 + U+0301, which
# pdflatex cannot typeset. The accent on the plain letter is the same character everywhere.
_DOTLESS = re.compile(r"""(\\(?:(['"`^~=.])|[cuvHkrdb])\s*)"""
                      r"(?:\{\\([ij])\s*\}|\\([ij])(?![A-Za-z])\s*)")


def _plain_letter(match: re.Match) -> str:
    letter = match.group(3) or match.group(4)
    return match.group(1) + (letter if match.group(2) else "{" + letter + "}")


def portable(raw: RawEntry) -> RawEntry:
    r"""``raw`` as pdflatex/lualatex with bibtex (plain, IEEEtran) or biber read it cleanly.

    - an accent on ``\i``/``\j`` goes on the plain letter (see ``_DOTLESS``);
    - an @inproceedings with both ``volume`` and ``number`` (AAAI's proceedings are numbered
      like a journal) writes the number as ``issue``: plain.bst's @inproceedings reads
      ``number`` as a number in a series and warns "can't use both volume and number
      fields"; no standard style prints it there, and ``issue`` keeps the fact for readers
      and reference managers.
    No value is dropped.
    """
    fields = tuple(replace(f, value=_DOTLESS.sub(_plain_letter, f.value))
                   if "\\" in f.value else f for f in raw.fields)
    names = {f.name for f in fields}
    if raw.entry_type == "inproceedings" and {"volume", "number"} <= names and "issue" not in names:
        fields = tuple(BibField("issue", f.value, f.enclosing, f.line) if f.name == "number" else f
                       for f in fields)
    return replace(raw, fields=fields) if fields != raw.fields else raw
