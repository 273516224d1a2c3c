"""LaTeX in titles and names, turned into the Unicode text a reader expects (display only)."""

from __future__ import annotations

import re
from functools import lru_cache

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

_NEEDS_DECODING = re.compile(r"[\\{}$~]|--|``|''")
# Beyond braces and the dash and quote ligatures, a value needs the full decoder.
_NEEDS_DECODER = re.compile(r"[\\$~%&]")
_LIGATURES = re.compile(r"---|--|``|''")
_LIGATURE_TEXT = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d"}
_CONVERTER = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def to_text(value: str) -> str:
    """Plain Unicode text for a BibTeX value: ``{\\"u}`` -> ``ü``, ``--`` -> ``–``.

    Values without any LaTeX syntax, or with only braces and dash or quote ligatures, skip
    the (slow) decoder; tests check that both paths agree. Never raises: a value the
    decoder cannot read is shown with its braces removed.
    """
    if not _NEEDS_DECODING.search(value):
        return _SPACES.sub(" ", value).strip()
    if not _NEEDS_DECODER.search(value):  # most titles: {GAN}s, {--}: what pylatexenc gives
        text = _LIGATURES.sub(lambda m: _LIGATURE_TEXT[m.group()], value)
        return _SPACES.sub(" ", text.replace("{", "").replace("}", "")).strip()
    try:
        text = _CONVERTER.latex_to_text(value)
    except Exception:  # pylatexenc is lenient; this is a last resort, not a path we expect
        text = value.replace("{", "").replace("}", "")
    return _SPACES.sub(" ", text.replace("\xa0", " ")).strip()


def split_names(value: str) -> list[str]:
    """The persons of an ``author`` field, as written (LaTeX kept)."""
    return [n for n in split_multiple_persons_names(value) if n.strip()]


@lru_cache(maxsize=65536)
def display_name(name: str) -> str:
    """One BibTeX name in reading order: ``van der Berg, Jan`` -> ``Jan van der Berg``."""
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except Exception:  # a malformed name is shown as written rather than lost
        return to_text(name)
    words = [*parts.first, *parts.von, *parts.last]
    text = to_text(" ".join(words))
    if parts.jr:
        text += ", " + to_text(" ".join(parts.jr))
    return text


@lru_cache(maxsize=65536)
def surname(name: str) -> str:
    """The last name of one BibTeX name, as plain text."""
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except Exception:
        return to_text(name)
    return to_text(" ".join([*parts.von, *parts.last]))
