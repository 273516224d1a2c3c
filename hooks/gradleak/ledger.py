"""The ledger (``bib/pending.yml``): papers we know of but do not list, each with a reason.

Every item names the public lists it comes from and says why it is not in the library:
``unverified`` (no source confirmed it yet), ``out-of-scope`` (which rule excludes it) or
``duplicate`` (another version of a library paper, named by key). Checked like the library:
each problem names the file, the line and the item.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import yaml

from .model import Diagnostic, Paper
from .schema import ARXIV_RE, DOI_RE, URL_RE, bare_identifier
from .taxonomy import LINE, LineLoader, yaml_hint
from .validate import first_match, identities, identity_index

LEDGER_FILE = "pending.yml"
STATUSES = ("unverified", "out-of-scope", "duplicate")
_KEYS = {"title", "lists", "arxiv", "doi", "url", "status", "reason", "duplicate_of", LINE}


@dataclass(frozen=True)
class ListRef:
    """A public list that names a paper."""

    name: str
    url: str


@dataclass(frozen=True)
class LedgerItem:
    title: str
    lists: tuple[ListRef, ...]
    status: str
    reason: str
    line: int
    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None
    duplicate_of: str | None = None

    @property
    def link(self) -> str | None:
        """Where a reader can look the paper up: its URL, DOI or arXiv page."""
        if self.url:
            return self.url
        if self.doi:
            return "https://doi.org/" + self.doi
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else None


def parse_ledger(text: str, file: str) -> tuple[list[LedgerItem], list[Diagnostic]]:
    """The items of a ledger text and the problems of each item on its own."""
    problems: list[Diagnostic] = []
    try:
        data = yaml.load(text, Loader=LineLoader)  # a safe loader that keeps lines
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = str(getattr(exc, "problem", None) or exc)
        return [], [Diagnostic(file, line, None, f"not valid YAML: {problem}{yaml_hint(problem)}")]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Diagnostic(file, 1, None, "the ledger must be a YAML list of items")]
    items = []
    for number, node in enumerate(data):
        if not isinstance(node, dict):
            problems.append(Diagnostic(file, _item_line(text, number), None,
                                       f"an item must be a mapping (title, lists, status, "
                                       f"reason, ...), not {node!r}"))
            continue
        item = _item(node, file, problems)
        if item is not None:
            items.append(item)
    return items, problems


def _item(node: dict, file: str, problems: list[Diagnostic]) -> LedgerItem | None:
    line = node[LINE]
    title = node.get("title")
    where = title.strip()[:60] if isinstance(title, str) and title.strip() else None

    def err(message: str) -> None:
        problems.append(Diagnostic(file, line, where, message))

    before = len(problems)
    for key in sorted(set(node) - _KEYS):
        err(f"unknown field '{key}' (fields: title, lists, arxiv, doi, url, status, reason, "
            "duplicate_of)")
    if where is None:
        err("'title' must be a non-empty string")
    lists = []
    refs = node.get("lists")
    if not isinstance(refs, list) or not refs:
        err("'lists' must name at least one public list (name and url) that names the paper")
    else:
        for ref in refs:
            name = ref.get("name") if isinstance(ref, dict) else None
            url = ref.get("url") if isinstance(ref, dict) else None
            if not isinstance(name, str) or not name.strip() or not isinstance(url, str) \
                    or not URL_RE.match(url.strip()):
                err(f"each list needs a 'name' and an http(s) 'url', not {_plain(ref)!r}")
            else:
                lists.append(ListRef(name.strip(), url.strip()))
    status = node.get("status")
    if status not in STATUSES:
        err(f"unknown status {status!r}: expected one of {', '.join(STATUSES)}")
    reason = node.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        err("'reason' must say why the paper is not listed (sources tried, rule, or version)")
    duplicate_of = node.get("duplicate_of")
    if status == "duplicate" and not (isinstance(duplicate_of, str) and duplicate_of.strip()):
        err("a 'duplicate' item must name the library key it duplicates in 'duplicate_of'")
    if status != "duplicate" and duplicate_of is not None:
        err("'duplicate_of' is only for items with status 'duplicate'")
    ids = {}
    for key, regex, expected in (("arxiv", ARXIV_RE, "an arXiv id such as 2003.14053"),
                                 ("doi", DOI_RE, "a bare DOI such as 10.1234/abc"),
                                 ("url", URL_RE, "an http(s) URL")):
        value = node.get(key)
        if value is None:
            continue
        if not isinstance(value, str):  # YAML reads 2003.14050 as the number 2003.1405
            err(f"{key} {value!r} was read as a number (YAML drops trailing zeros): quote "
                f"it, e.g. {key}: '2003.14050'")
            continue
        value = value.strip()
        if not regex.match(value):
            bare = bare_identifier(key, value) if key != "url" else None
            err(f"malformed {key} {value!r}: expected {expected}"
                + (f"; write {bare!r}" if bare else ""))
        else:
            ids[key] = value
    if len(problems) > before:
        return None
    return LedgerItem(title=where and title.strip(), lists=tuple(lists), status=status,
                      reason=reason.strip(), line=line, duplicate_of=duplicate_of,
                      **ids)


def _item_line(text: str, number: int) -> int | None:
    """The 1-based line of the ``number``-th item of the ledger's top-level list."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    return items[number].start_mark.line + 1 if number < len(items) else None


def _plain(value):
    return {k: v for k, v in value.items() if k != LINE} if isinstance(value, dict) else value


def check_ledger(items: list[LedgerItem], papers: list[Paper], file: str,
                 unread: Collection[str] = ()) -> list[Diagnostic]:
    """Problems between the ledger and the library: an item that is a library paper, a
    duplicate naming a missing key (not one of ``unread``, entries that could not be read,
    each reported where it is), the same paper twice in the ledger."""
    problems = []
    keys = {p.key for p in papers}
    index = identity_index(papers)
    seen: dict[tuple[str, str], LedgerItem] = {}
    for item in items:
        where = item.title[:60]
        idents = identities(item.doi, item.arxiv, item.title)
        if item.status == "duplicate":
            if item.duplicate_of not in keys and item.duplicate_of not in unread:
                problems.append(Diagnostic(file, item.line, where,
                                           f"'duplicate_of' names '{item.duplicate_of}', which "
                                           "is not in the library"))
        else:
            match = first_match(idents, index)
            if match is not None:
                paper, label = match
                problems.append(Diagnostic(
                    file, item.line, where,
                    f"already in the library as '{paper.key}' ({paper.raw.file}:"
                    f"{paper.raw.line}, same {label}): remove it from the ledger"))
        for label, value in idents:
            if not value:
                continue
            other = seen.get((label, value))
            if other is not None:
                problems.append(Diagnostic(file, item.line, where,
                                           f"the same paper as the item on line {other.line} "
                                           f"(same {label}): list it once, with both lists"))
                break
            seen[(label, value)] = item
    return problems
