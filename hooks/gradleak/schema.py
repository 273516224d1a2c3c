"""The one table of the library's fields: which exist, in which order, what each must hold.

Validation (``interpret``), ``gradleak fmt``'s field order, ``gradleak add``'s field filter
and every export's removal of site fields are all derived from :data:`FIELDS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

YEAR_RE = re.compile(r"^\d{4}$")
MONTH_RE = re.compile(r"^(1[0-2]|[1-9]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$")
ADDED_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
# An arXiv identifier: new style (2003.14053: year, month, then four digits after the dot
# before 2015, five since) or old style (hep-th/9901001, math.CO/0101001: archive, subject
# class, year, month, number). Every arXiv
# id the package reads goes through ARXIV_RE (the eprint field: the bare id, nothing else),
# arxiv_id (a value that names one id as people copy it) or arxiv_mention (an id inside
# free text): the three jobs differ on purpose, the id itself is this one pattern.
_MM = r"(?:0[1-9]|1[0-2])"  # the month of the first version: 2013.00001 is no arXiv id
ARXIV_ID = rf"\d{{2}}{_MM}\.\d{{4,5}}|[a-z-]+(?:\.[A-Z]{{2}})?/\d{{2}}{_MM}\d{{3}}"
ARXIV_RE = re.compile(rf"^(?:{ARXIV_ID})$")
ARXIV_DOI_PREFIX = "10.48550/arxiv."  # arXiv's own DOIs: 10.48550/arXiv.2003.14053
_ARXIV_FORMS = re.compile(
    r"^(?i:arxiv:\s*|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/"
    r"|(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.48550/arxiv\.)?"
    rf"({ARXIV_ID})(?:v\d+)?(?i:\.pdf)?/?(?:[?#]\S*)?$")
_ARXIV_MENTION = re.compile(
    r"(?i:\barxiv(?:\.org/(?:abs|pdf)/|(?:\s+preprint)?(?::\s*|\s+))|10\.48550/arxiv\.)"
    rf"({ARXIV_ID})(?:v\d+)?(?!\d)")


def arxiv_id(value: str) -> str | None:
    """The bare arXiv id ``value`` names as a whole, in any form people copy: ``2003.14053``,
    ``arXiv:2003.14053v2``, an abs or pdf URL, arXiv's DOI (``10.48550/arXiv.2003.14053``,
    also as a doi.org URL); None for anything else."""
    match = _ARXIV_FORMS.match(value.strip())
    return match.group(1) if match else None


def arxiv_mention(text: str) -> str | None:
    """The first arXiv id that free text mentions as arXiv's: ``arXiv preprint
    arXiv:2003.14053``, ``arXiv 2003.14053``, an arxiv.org URL (also inside ``\\url{}``),
    arXiv's DOI. A number alone is not taken for an id."""
    match = _ARXIV_MENTION.search(text)
    return match.group(1) if match else None
URL_RE = re.compile(r"^https?://[^\s<>\"']+$")
KEY_LIST_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


def split_list(value: str | None, sep: str = ",") -> tuple[str, ...]:
    """A separated field (keywords, relations, checked) as a tuple of trimmed items."""
    return tuple(item.strip() for item in (value or "").split(sep) if item.strip())


def _pattern(regex: re.Pattern, expected: str,
             label: str | None = None) -> Callable[[str, str], str | None]:
    def check(name: str, value: str) -> str | None:
        if regex.match(value.strip()):
            return None
        hint = ""
        if regex is URL_RE and re.match(r"^(www\.)?[\w-]+(\.[\w-]+)+/\S*$", value.strip()):
            hint = f"; write 'https://{value.strip()}'"  # a URL without its scheme
        return f"malformed {label or name} {value!r}: expected {expected}{hint}"
    return check


_DOI_NOISE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)(.+)$", re.IGNORECASE)


def bare_identifier(kind: str, value: str) -> str | None:
    """The bare DOI or arXiv id inside a URL, a ``doi:``/``arXiv:`` prefix or a versioned
    id (``kind`` is "doi" or "arxiv"), when that is what ``value`` holds; else None."""
    if kind == "arxiv":
        bare = arxiv_id(value)
    else:
        match = _DOI_NOISE.match(value.strip())
        bare = match.group(1).strip() if match and DOI_RE.match(match.group(1).strip()) else None
    return bare if bare and bare != value.strip() else None


def _identifier(kind: str, regex: re.Pattern, expected: str, label: str):
    def check(name: str, value: str) -> str | None:
        if regex.match(value.strip()):
            return None
        bare = bare_identifier(kind, value)
        hint = f"; write {bare!r}" if bare else ""
        return f"malformed {label} {value!r}: expected {expected}{hint}"
    return check


def _not_empty(name: str, value: str) -> str | None:
    return None if value.strip() else f"empty {name}"


def _url_list(name: str, value: str) -> str | None:
    items = split_list(value, ";")
    if not items:
        return f"empty {name}: list the pages the entry was checked against"
    bad = [item for item in items if not URL_RE.match(item)]
    if bad:
        return (f"malformed {name} item {bad[0]!r}: expected http(s) URLs separated "
                "by '; '")
    return None


@dataclass(frozen=True)
class Field:
    """One field of the schema.

    ``site`` fields belong to the site, not to the bibliography: they are removed, by
    name, from every BibTeX text the site shows or exports. ``check`` returns a message
    when a value is malformed (None when it is fine).
    """

    name: str
    site: bool = False
    check: Callable[[str, str], str | None] | None = None
    doc: str = ""


#: Every field an entry may have, in the canonical order ``gradleak fmt`` writes.
FIELDS: tuple[Field, ...] = (
    Field("title"), Field("author"), Field("editor"), Field("booktitle"), Field("journal"),
    Field("series"), Field("volume"), Field("number"), Field("pages"), Field("publisher"),
    Field("organization"), Field("school"), Field("institution"), Field("address"),
    Field("howpublished"), Field("type"), Field("edition"), Field("chapter"),
    Field("month", check=_pattern(MONTH_RE, "a month number or jan..dec")),
    Field("year", check=_pattern(YEAR_RE, "four digits")),
    Field("isbn"), Field("issn"),
    Field("doi", check=_identifier("doi", DOI_RE, "a bare DOI such as 10.1234/abc", "doi")),
    Field("eprint", check=_identifier("arxiv", ARXIV_RE, "e.g. 2003.14053 (no version)",
                                      "arXiv id")),
    Field("archiveprefix"), Field("eprinttype"), Field("eprintclass"), Field("primaryclass"),
    Field("url", check=_pattern(URL_RE, "an http(s) URL")),
    Field("urldate"), Field("note"),
    # site fields
    Field("venue", site=True, doc="short label of the venue, for filters"),
    Field("keywords", site=True, doc="taxonomy tag ids: the primary category first"),
    Field("code", site=True, check=_pattern(URL_RE, "an http(s) URL"),
          doc="the authors' official code repository"),
    Field("tldr", site=True, check=_not_empty, doc="one or two sentences in our own words"),
    Field("milestone", site=True, check=_not_empty, doc="why the paper is a milestone"),
    Field("added", site=True, check=_pattern(ADDED_RE, "YYYY-MM"),
          doc="the month the paper entered the catalog"),
    Field("checked", site=True, check=_url_list,
          doc="the pages the entry was checked against, separated by '; '"),
    Field("evaluates", site=True, doc="on a defense: keys of the attacks it evaluates against"),
    Field("breaks", site=True, doc="on an attack: keys of the defenses it defeats"),
)

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
FIELD_ORDER: tuple[str, ...] = tuple(f.name for f in FIELDS)
SITE_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.site)
STANDARD_FIELDS: frozenset[str] = frozenset(f.name for f in FIELDS if not f.site)
#: Fields whose values are URLs or identifiers, where a bare '&' is not LaTeX.
NOT_LATEX = frozenset({"url", "doi"}) | frozenset(SITE_FIELDS)

REQUIRED = ("title", "author", "year")
REQUIRED_BY_TYPE = {
    "article": ("journal",),
    "inproceedings": ("booktitle",),
    "incollection": ("booktitle",),
    "phdthesis": ("school",),
    "mastersthesis": ("school",),
    "techreport": ("institution",),
}
KNOWN_TYPES = frozenset({"article", "inproceedings", "incollection", "misc", "phdthesis",
                         "mastersthesis", "techreport", "book", "unpublished", "online"})
#: The container field shown as a paper's venue, by preference.
CONTAINERS = ("journal", "booktitle", "school", "institution", "howpublished")


def rank(name: str) -> int:
    """A field's place in the canonical order (unknown fields last)."""
    return _RANK.get(name, len(_RANK))


_RANK = {name: i for i, name in enumerate(FIELD_ORDER)}
