"""Checks across the library: the same paper twice, repeated keys, dangling relations.

Rules about one entry on its own are in ``interpret``; ``gradleak add`` reuses
:func:`find_duplicate` so that the library and the command agree on what "the same paper"
means.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable

from .latex import to_text
from .model import Diagnostic, Paper


def normalized_title(title: str) -> str:
    """A title reduced to lowercase ASCII letters and digits (LaTeX decoded, accents folded)."""
    text = unicodedata.normalize("NFKD", to_text(title)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def identities(doi: str | None, arxiv: str | None,
               title: str | None) -> tuple[tuple[str, str], ...]:
    """What identifies a paper, by label: the same non-empty value of any of these is the
    same paper. Shared by the library check, ``gradleak add`` and the ledger."""
    return (("DOI", (doi or "").lower()), ("arXiv id", arxiv or ""),
            ("title", normalized_title(title or "")))


def paper_identities(paper: Paper) -> tuple[tuple[str, str], ...]:
    return identities(paper.doi, paper.arxiv, paper.raw.get("title"))


def identity_index(papers: Iterable[Paper]) -> dict[tuple[str, str], Paper]:
    """Each (label, value) of :func:`identities` to the first of ``papers`` that has it."""
    index: dict[tuple[str, str], Paper] = {}
    for paper in papers:
        for ident in paper_identities(paper):
            if ident[1]:
                index.setdefault(ident, paper)
    return index


def first_match(idents: tuple[tuple[str, str], ...],
                index: dict[tuple[str, str], Paper]) -> tuple[Paper, str] | None:
    """The paper of ``index`` with one of ``idents`` (DOI first, then arXiv id, then
    title), and by what."""
    for label, value in idents:
        if value and (label, value) in index:
            return index[(label, value)], label
    return None


def find_duplicate(paper: Paper, papers: Iterable[Paper]) -> tuple[Paper, str] | None:
    """A paper of ``papers`` that is the same paper as ``paper``, and by what."""
    return first_match(paper_identities(paper), identity_index(papers))


#: Which group's entries may hold a relation, and which group's entries it names.
RELATION_GROUPS = {"evaluates": ("defenses", "attacks"), "breaks": ("attacks", "defenses")}


def check_library(papers: list[Paper], unread: Collection[str] = ()) -> list[Diagnostic]:
    """Problems across entries: duplicate keys, the same paper twice, dangling relations.
    A relation naming one of ``unread`` (entries that could not be read, each reported
    where it is) is not reported again."""
    problems = []
    first: dict[str, Paper] = {}
    folded: dict[str, Paper] = {}
    for paper in papers:
        if paper.key in first:
            other = first[paper.key]
            problems.append(Diagnostic(paper.raw.file, paper.raw.line, paper.key,
                                       f"duplicate key: also at {other.raw.file}:{other.raw.line}"))
            continue
        other = folded.get(paper.key.casefold())
        if other is not None:  # BibTeX matches keys case-insensitively; so do some file systems
            problems.append(Diagnostic(
                paper.raw.file, paper.raw.line, paper.key,
                f"key differs only in case from '{other.key}' ({other.raw.file}:"
                f"{other.raw.line}): BibTeX and paper page addresses would mix them up"))
        first[paper.key] = paper
        folded.setdefault(paper.key.casefold(), paper)
    seen: dict[tuple[str, str], list[Paper]] = defaultdict(list)
    for paper in papers:
        for ident in paper_identities(paper):
            if ident[1]:
                seen[ident].append(paper)
    labels = [label for label, _ in identities(None, None, None)]
    for (label, _), same in sorted(seen.items(), key=lambda item: labels.index(item[0][0])):
        for paper in same[1:]:
            problems.append(Diagnostic(
                paper.raw.file, paper.raw.line, paper.key,
                f"the same paper as '{same[0].key}' "
                f"({same[0].raw.file}:{same[0].raw.line}): same {label}"))
    for paper in papers:
        for field, targets in (("evaluates", paper.evaluates), ("breaks", paper.breaks)):
            for target in targets:
                if target not in first:
                    if target in unread:
                        continue
                    problems.append(Diagnostic(paper.raw.file, paper.raw.line_of(field), paper.key,
                                               f"'{field}' names '{target}', which is not "
                                               "in the library"))
                elif target == paper.key:
                    problems.append(Diagnostic(paper.raw.file, paper.raw.line_of(field), paper.key,
                                               f"'{field}' names the entry itself"))
                elif (paper.group, first[target].group) != RELATION_GROUPS[field]:
                    source, aim = RELATION_GROUPS[field]
                    problems.append(Diagnostic(
                        paper.raw.file, paper.raw.line_of(field), paper.key,
                        f"'{field}' belongs on an entry of '{source}' and names entries of "
                        f"'{aim}'; here an entry of '{paper.group}' names '{target}' of "
                        f"'{first[target].group}' (the matrix would leave it out)"))
    return problems
