"""Reference lists in plain text, made of the formatted references (references.py): what
a reader copies, and the order APA lists them in. Apart from the formatting, so that a
change here does not make every cached reference stale (refcache keys hold the source of
references.py)."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter


def plain_text(reference_html: str) -> str:
    """The text a reader copies from a formatted reference."""
    return html.unescape(re.sub(r"<[^>]+>", "", reference_html))


def sort_text(reference: str) -> str:
    """APA's reference list order: by the reference's text (it starts with the authors'
    family names), accents and case folded; the list pages sort the same way."""
    if reference.isascii():  # no accent to fold (and NFKD leaves ASCII as it is)
        return reference.lower()
    return unicodedata.normalize("NFKD", reference).translate(_NOT_COMBINING).lower()


class _NotCombining(dict):
    """str.translate's table that drops combining characters (accents once decomposed):
    each character is looked up once, then found in C, not tested one by one in Python."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_NOT_COMBINING = _NotCombining()


def reference_list(papers, references: dict[str, str], style: str,
                   plain: dict[str, str] | None = None, order: dict[str, str] | None = None
                   ) -> str:
    """A plain-text reference list: APA alphabetical, IEEE numbered in the given order.
    ``plain`` and ``order``: each reference's plain text and sort text by key, when several
    lists are made of the same references."""
    texts = [(plain or {}).get(p.key) or plain_text(references[p.key]) for p in papers]
    if style == "apa":
        keys = [(order or {}).get(p.key) or sort_text(t) for p, t in zip(papers, texts,
                                                                      strict=True)]
        texts = [t for _, t in sorted(zip(keys, texts, strict=True), key=lambda kt: kt[0])]
        texts = year_suffixed(texts)
        return "".join(t + "\n\n" for t in texts).rstrip("\n") + "\n"
    return "".join(f"[{n}] {t}\n\n" for n, t in enumerate(texts, 1)).rstrip("\n") + "\n"


_YEAR = re.compile(r"\((\d{4})(?=[),])")  # APA's "(2023)." or "(2023, June)." after the authors


def year_suffixed(texts: list[str]) -> list[str]:
    """An APA list (in its order) with "a", "b", ... after the year of works by the same
    authors in the same year (APA 9.47: "(2023a)", in the order of their titles, which the
    list's order already is); a lone work keeps its plain year. The page script does the
    same (GradLeak.referenceList)."""
    found = [_YEAR.search(t) for t in texts]
    who = [(t[:m.start()], m.group(1)) if m else None for t, m in zip(texts, found, strict=True)]
    many = Counter(w for w in who if w)
    given: Counter = Counter()
    out = []
    for text, m, w in zip(texts, found, who, strict=True):
        if m and many[w] > 1:
            text = text[:m.end()] + chr(ord("a") + given[w]) + text[m.end():]
            given[w] += 1
        out.append(text)
    return out
