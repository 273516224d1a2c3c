"""The field's news: each paper dated by its own month (arXiv identifier, else the entry's
``month``), grouped into months and years for the What's new pages and the Atom feeds,
and the papers added to the library last.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .model import Paper

NEWS_MONTHS = 12  # months of the field's news on the What's new page; older ones by year
ADDED_SHOWN = 10  # papers in the short "recently added" list

_ARXIV_NEW = re.compile(r"(\d{2})(\d{2})\.\d{4,5}(v\d+)?$")  # 2401.01234 (since April 2007)
_ARXIV_OLD = re.compile(r"[a-z-]+(\.[A-Za-z-]+)?/(\d{2})(\d{2})\d{3}(v\d+)?$")  # cs/0612045
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def _month_field(value: str | None) -> int | None:
    """A BibTeX ``month`` (jan, January, {Jan.}, 1, 01) as 1-12; None when not a month."""
    text = (value or "").strip().strip("{}").strip().rstrip(".").lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.index(text[:3]) + 1 if len(text) >= 3 and text[:3] in _MONTHS else None


def own_date(paper: Paper) -> tuple[int, int | None] | None:
    """When the paper appeared: (year, month) from its arXiv identifier (the month of its
    first version), else (year, month) from the entry's ``month``, else (year, None);
    None for an undated entry. A paper published in an earlier year than its arXiv
    version (posted after the conference) is dated by its publication."""
    posted = _arxiv_date(paper.arxiv) if paper.arxiv else None
    if posted and not (paper.year and paper.year < posted[0]):
        return posted
    if not paper.year:
        return None
    return paper.year, _month_field(paper.raw.get("month"))


def _arxiv_date(arxiv: str) -> tuple[int, int] | None:
    """(year, month) of an arXiv id; None when it names no month (2013.00001, a typo or a
    made-up id, has the well-formed shape but no month 13: the entry's own date is used)."""
    m = _ARXIV_NEW.match(arxiv)
    if m:
        year, month = 2000 + int(m.group(1)), int(m.group(2))
    else:
        m = _ARXIV_OLD.match(arxiv)
        if not m:
            return None
        yy = int(m.group(2))
        year, month = (1900 + yy if yy >= 91 else 2000 + yy), int(m.group(3))
    return (year, month) if 1 <= month <= 12 else None


@dataclass(frozen=True)
class Period:
    """The papers of one month, or of one year for those whose month is not known."""

    year: int
    month: int | None
    papers: tuple[Paper, ...]

    @property
    def id(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    @property
    def label(self) -> str:
        return (f"{MONTH_NAMES[self.month - 1]} {self.year}" if self.month
                else f"{self.year}, month not known")

    @property
    def timestamp(self) -> str:
        """RFC 3339 (Atom): the first day of the month, or of the year."""
        return f"{self.year:04d}-{self.month or 1:02d}-01T00:00:00Z"


def periods(papers) -> list[Period]:
    """Every dated paper by its own month (see own_date), newest first; in each year the
    papers whose month is not known come after the months. Undated papers are left out."""
    by: dict[tuple[int, int], list[Paper]] = defaultdict(list)
    for p in papers:
        date = own_date(p)
        if date:
            by[(date[0], date[1] or 0)].append(p)
    return [Period(y, m or None, tuple(sorted(by[(y, m)],
                                              key=lambda p: (p.title.casefold(), p.key))))
            for y, m in sorted(by, reverse=True)]


@dataclass(frozen=True)
class News:
    recent: list[Period]  # the latest NEWS_MONTHS months (and those years' undated papers)
    years: dict[int, list[Period]]  # every year's periods, newest year first
    older: list[int]  # the years with a period not in ``recent``: one page each

    def papers(self) -> list[Paper]:
        return [p for period in self.recent for p in period.papers]


def field_news(papers, months: int = NEWS_MONTHS) -> News:
    """The field's news: papers by their own date, the latest ``months`` months first."""
    every = periods(papers)
    dated = [pe.year * 12 + pe.month - 1 for pe in every if pe.month]
    first = (max(dated) - months + 1) if dated else None
    first_year = first // 12 if first is not None else max((pe.year for pe in every), default=0)

    def recent_(pe: Period) -> bool:
        if pe.month:
            return pe.year * 12 + pe.month - 1 >= first
        return pe.year >= first_year

    years: dict[int, list[Period]] = {}
    for pe in every:
        years.setdefault(pe.year, []).append(pe)
    shown = [pe for pe in every if recent_(pe)]
    older = [y for y, pes in years.items() if any(not recent_(pe) for pe in pes)]
    return News(shown, years, older)


def recently_added(papers, n: int = ADDED_SHOWN) -> tuple[str | None, int, list[Paper]]:
    """(the latest ``added`` month, how many papers it added, up to ``n`` papers added
    last: latest ``added`` first, then newest in the field)."""
    added = [p for p in papers if p.added]
    if not added:
        return None, 0, []
    latest = max(p.added for p in added)

    def newest(p):
        date = own_date(p) or (0, 0)
        return (date[0], date[1] or 0)

    # latest addition and newest paper first; within one month by title, as What's new
    ordered = sorted(sorted(added, key=lambda p: (p.title.casefold(), p.key)),
                     key=lambda p: (p.added, newest(p)), reverse=True)
    return latest, sum(1 for p in added if p.added == latest), ordered[:n]
