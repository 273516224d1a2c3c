"""Checks across the library: the same paper twice, repeated keys, dangling relations.

Rules about one entry on its own are in ``interpret``; ``gradleak add`` reuses
:func:`find_duplicate` so that the library and the command agree on what "the same paper"
means.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from .latex import to_text
from .model import Diagnostic, Paper


def normalized_title(title: str) -> str:
    """A title reduced to lowercase ASCII letters and digits (LaTeX decoded, accents folded)."""
    text = unicodedata.normalize("NFKD", to_text(title)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", text.lower())


#: What identifies a paper: the same value of any of these is the same paper.
IDENTITIES = (
    ("DOI", lambda p: (p.doi or "").lower()),
    ("arXiv id", lambda p: p.arxiv or ""),
    ("title", lambda p: normalized_title(p.raw.get("title") or "")),
)


def find_duplicate(paper: Paper, papers: Iterable[Paper]) -> tuple[Paper, str] | None:
    """The first of ``papers`` that is the same paper as ``paper``, and by what."""
    mine = [(label, ident(paper)) for label, ident in IDENTITIES]
    for other in papers:
        for (label, value), (_, ident) in zip(mine, IDENTITIES, strict=True):
            if value and ident(other) == value:
                return other, label
    return None


def check_library(papers: list[Paper]) -> list[Diagnostic]:
    """Problems across entries: duplicate keys, the same paper twice, dangling relations."""
    problems = []
    first: dict[str, Paper] = {}
    for paper in papers:
        if paper.key in first:
            other = first[paper.key]
            problems.append(Diagnostic(paper.raw.file, paper.raw.line, paper.key,
                                       f"duplicate key: also at {other.raw.file}:{other.raw.line}"))
        else:
            first[paper.key] = paper
    for label, ident in IDENTITIES:
        seen: dict[str, list[Paper]] = defaultdict(list)
        for paper in papers:
            value = ident(paper)
            if value:
                seen[value].append(paper)
        for same in seen.values():
            for paper in same[1:]:
                problems.append(Diagnostic(
                    paper.raw.file, paper.raw.line, paper.key,
                    f"the same paper as '{same[0].key}' "
                    f"({same[0].raw.file}:{same[0].raw.line}): same {label}"))
    for paper in papers:
        for field, targets in (("evaluates", paper.evaluates), ("breaks", paper.breaks)):
            for target in targets:
                if target not in first:
                    problems.append(Diagnostic(paper.raw.file, paper.raw.line_of(field), paper.key,
                                               f"'{field}' names '{target}', which is not "
                                               "in the library"))
                elif target == paper.key:
                    problems.append(Diagnostic(paper.raw.file, paper.raw.line_of(field), paper.key,
                                               f"'{field}' names the entry itself"))
    return problems
