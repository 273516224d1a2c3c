"""Documents for the site search (Material for MkDocs' own, lunr-based): one per paper.

Material groups results by page: a document whose location has no ``#`` is a page, the
documents of the same page with ``#anchor`` are its sections, and the first document of a
page must be the page itself (otherwise it is never found, and its sections render as a
blank result linking to ``undefined``). Every card of a list page is on the same page, so
each paper's document is its own page: ``<list page>?paper=<key>``, which the page script
turns into ``#<key>`` (the card) on arrival. The list page itself is one document, its
category headings its sections.

Besides ``title``, ``text`` (a result shows its lines that match) and ``tags`` (shown as
a chip: where the card is listed), a paper's document carries
fields that a reader searches by but does not need to read; mkdocs.yml gives each a boost
(``plugins: search: fields``) and the separator that splits them into words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from markupsafe import escape

from .model import Paper, Taxonomy

PAPER_PARAMETER = "paper"  # the list page's query parameter naming the card to open

# letters NFD does not take apart, as a reader types them without the accent
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss",
                       "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th",
                       "Þ": "Th", "ð": "d"})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_STOP = frozenset(["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on",
                   "or", "the", "to", "via", "with", "without"])


def fold(text: str) -> str:
    """Accents and special letters written as plain letters: "Balunović" -> "Balunovic"."""
    if text.isascii():  # nothing to fold (and NFD leaves ASCII as it is)
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def initials(title: str) -> str:
    """The initials of a title's main part (before a colon or a dash), small words left
    out: "Deep Leakage from Gradients" -> "dlg". How papers are named in other papers."""
    head = re.split(r"\s*(?::|\s[–—-]\s|\?)\s*", title, maxsplit=1)[0]
    words = [w for w in _WORD.findall(fold(head)) if w.casefold() not in _STOP]
    return "".join(w[0] for w in words).casefold() if len(words) >= 2 else ""


def repository_name(url: str | None, title: str = "") -> str:
    """What the last part of a code link adds to a paper's title: a one-word name as it is
    (".../mit-han-lab/dlg" -> "dlg", often the method's name); of a name of several words
    ("Decentralized-FL-via-PDMM-..."), the words the title lacks. Never those words run
    together: lunr finds a word by its start, so "decentralizedflvia..." (rare, so weighty)
    answered every query word "decentralized" and outranked the paper of that title."""
    if not url:
        return ""
    name = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    words = [w.casefold() for w in re.split(r"[\W_]+", fold(name)) if w]
    if len(words) <= 1:
        return "".join(words)
    said = {w.casefold() for w in _WORD.findall(fold(title))}
    return " ".join(w for w in words if w not in said)


def label(paper: Paper, taxonomy: Taxonomy, group_name: str) -> str:
    """Where the card is: "Attacks › Generation-based › Optimizing a latent code"."""
    trail = []
    category = taxonomy.categories.get(paper.category or "")
    while category is not None:
        trail.insert(0, category.name)
        category = taxonomy.parents.get(category.id)
    return " › ".join([group_name, *trail])


def _words(*values: str) -> str:
    return str(escape(" ".join(v for v in values if v)))


def paper_document(paper: Paper, taxonomy: Taxonomy, group_name: str) -> dict[str, object]:
    """The search document of ``paper``, with its location relative to its list page."""
    authors = ", ".join(paper.authors)
    folded_authors = fold(authors)
    where = " ".join(str(x) for x in (paper.venue, paper.year) if x)
    teaser = [f"<p>{escape(authors)}{' · ' if authors and where else ''}{escape(where)}</p>"]
    if paper.tldr:
        teaser.append(f"<p>{escape(paper.tldr)}</p>")
    folded_title = fold(paper.title)
    document: dict[str, object] = {
        "location": f"?{PAPER_PARAMETER}={quote(paper.key, safe='')}",
        "title": str(escape(paper.title)),
        "text": "".join(teaser),
        # shown under every result as a chip (the teaser shows only the matching lines)
        "tags": [str(escape(label(paper, taxonomy, group_name)))],
        "names": _words(authors, folded_authors if folded_authors != authors else ""),
        "ids": _words(paper.key, paper.arxiv or "", f"arXiv:{paper.arxiv}" if paper.arxiv else "",
                      paper.doi or ""),
        "aka": _words(folded_title if folded_title != paper.title else "",
                      initials(paper.title), repository_name(paper.code, paper.title)),
        # the short venue only: proceedings' names ("... Machine Learning") are common words
        "venue": _words(paper.venue, str(paper.year or "")),
    }
    # lunr does not weigh a field by its length (Material turns that off): without this,
    # every title holding the words of a query ranks alike, and an exact title pasted
    # whole is not found first. A shorter title gets a slightly higher document boost.
    document["boost"] = round(1 + 1 / (1 + len(_WORD.findall(paper.title))), 3)
    return {k: v for k, v in document.items() if v}


def list_documents(title: str, about: str, headings: Iterable[tuple[str, str, str]],
                   papers: Iterable[Paper], taxonomy: Taxonomy, group_name: str
                   ) -> list[dict[str, object]]:
    """A list page's documents, locations relative to the page: the page itself first (so
    that its category headings, ``(anchor, name, description)``, are its sections), then
    one document per paper."""
    docs: list[dict[str, object]] = [{"location": "", "title": str(escape(title)),
                                      "text": f"<p>{escape(about)}</p>"}]
    docs += [{"location": f"#{anchor}", "title": str(escape(name)),
              "text": f"<p>{escape(text)}</p>"} for anchor, name, text in headings]
    docs += [paper_document(p, taxonomy, group_name) for p in papers]
    return docs


def located(page_url: str, documents: Iterable[dict[str, object]]) -> list[dict[str, object]]:
    """``documents`` with their locations made relative to the site (Material's form)."""
    return [{**d, "location": f"{page_url}{d['location']}"} for d in documents]


def sections_dropped(entries: list[dict], page_url: str) -> list[dict]:
    """``entries`` without the sections of the page at ``page_url``: for pages that only
    list other pages' papers (by key or title), whose text would outrank the papers."""
    prefix = f"{page_url}#"
    return [e for e in entries if not e["location"].startswith(prefix)]
