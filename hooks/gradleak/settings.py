"""The site's own settings, read from ``extra.gradleak`` of the site configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .layout import LIST_LIMIT
from .model import Diagnostic
from .schema import URL_RE

KNOWN = ("list_limit", "site_url", "paper_pages", "processes")
PAPER_PAGES = ("shell", "theme")


@dataclass(frozen=True)
class Settings:
    list_limit: int = LIST_LIMIT  # cards per list page before a list is split
    site_url: str | None = None  # the published address, for README links to paper pages
    paper_pages: str = "shell"  # shell: filled from one theme-rendered page; theme: each rendered
    processes: int = 2  # 2: the files the package writes are created by a second, small
    # process (sink.py) while the build goes on; 1: by the build's own process


def read_settings(extra, file: str = "mkdocs.yml") -> tuple[Settings, list[Diagnostic]]:
    """Settings from a configuration's ``extra`` mapping; a bad value is reported (and its
    default used), never silently accepted."""
    problems: list[Diagnostic] = []
    section = extra.get("gradleak") if isinstance(extra, Mapping) else None
    if section is None:
        return Settings(), problems
    if not isinstance(section, Mapping):
        return Settings(), [Diagnostic(file, None, None,
                                       "extra.gradleak must be a mapping of settings")]
    limit = section.get("list_limit", LIST_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        problems.append(Diagnostic(file, None, None, "extra.gradleak.list_limit must be a "
                                                     f"whole number >= 1, not {limit!r}"))
        limit = LIST_LIMIT
    site_url = section.get("site_url")
    if site_url is not None and not (isinstance(site_url, str) and URL_RE.match(site_url)):
        problems.append(Diagnostic(file, None, None, "extra.gradleak.site_url must be an "
                                                     f"http(s) URL, not {site_url!r}"))
        site_url = None
    paper_pages = section.get("paper_pages", PAPER_PAGES[0])
    if paper_pages not in PAPER_PAGES:
        problems.append(Diagnostic(file, None, None, "extra.gradleak.paper_pages must be one "
                                   f"of {', '.join(PAPER_PAGES)}, not {paper_pages!r}"))
        paper_pages = PAPER_PAGES[0]
    processes = section.get("processes", 2)
    if processes not in (1, 2) or isinstance(processes, bool):
        problems.append(Diagnostic(file, None, None, "extra.gradleak.processes must be 1 or 2, "
                                                     f"not {processes!r}"))
        processes = 2
    for key in section:
        if key not in KNOWN:
            problems.append(Diagnostic(file, None, None, f"extra.gradleak.{key} is not a "
                                                         f"setting (known: {', '.join(KNOWN)})"))
    return Settings(list_limit=limit, site_url=site_url, paper_pages=paper_pages,
                    processes=processes), problems
