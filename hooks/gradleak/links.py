"""``gradleak links``: is every entry's url, code and doi link still there?

Each distinct address is asked once (HEAD; GET when HEAD is not answered with success, as
many servers refuse HEAD), redirects followed, a few at a time and at most two at a time
per host. A link is *broken* when the answer says so for good (HTTP 404 or 410, a host
that does not exist, an invalid TLS certificate, a redirect loop); it is *not checked*
when the server would not say (another client error: 401, 403 and 429 are how sites
refuse robots, and anti-robot walls answer 400, 406 or 418 too; 5xx; no answer in time;
a connection cut), after a second try where it may pass. All network access
goes through a ``transport`` that tests replace (``_urllib``): no test uses the network.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from . import bib
from .catalog import TAXONOMY_FILE, load_catalog
from .model import Diagnostic, Paper, doi_url
from .schema import split_list
from .taxonomy import parse_taxonomy

FIELDS = ("url", "code", "doi")  # the links a reader follows: asked by default
KNOWN_FIELDS = (*FIELDS, "checked")  # and the pages an entry was checked against
USER_AGENT = ("Mozilla/5.0 (compatible; gradleak-links; the gradient leakage catalog's "
              "link check)")
GONE = (404, 410)  # the only statuses that say a page is not there
REFUSES_ROBOTS = (401, 403, 429)
# (method, url, timeout) -> (status, the address that answered, after redirects)
Transport = Callable[[str, str, float], tuple[int, str]]
_sleep = time.sleep


@dataclass(frozen=True)
class Link:
    """One link of one entry, where it is written."""

    file: str
    line: int
    key: str
    field: str
    url: str

    def shown(self) -> str:
        """The link as the entry writes it (a DOI as the DOI, with its resolver link)."""
        return f"{self.field} {self.url}"


@dataclass(frozen=True)
class Outcome:
    """What one address gave: ``ok``, ``broken`` or ``unchecked``, and why."""

    verdict: str
    reason: str
    status: int | None = None  # the last HTTP status, None when no server answered
    final: str | None = None  # where the redirects ended, when elsewhere

    @property
    def answered(self) -> bool:
        return self.status is not None


class _KeepHead(urllib.request.HTTPRedirectHandler):
    """Follows a redirect of a HEAD request with HEAD (urllib would switch to GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


def _urllib(method: str, url: str, timeout: float) -> tuple[int, str]:
    """Ask the network; the body is never read. Cookies are kept across the redirects of
    one request (some publishers loop without them)."""
    opener = urllib.request.build_opener(
        _KeepHead, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    request = urllib.request.Request(url, method=method, headers={
        "User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.url
    except urllib.error.HTTPError as error:
        return error.code, error.url or url


def _addresses(name: str, value: str | None) -> list[str]:
    """The addresses a field's value links to: a DOI's resolver link, each page of
    ``checked``, else the value itself."""
    value = (value or "").strip()
    if not value:
        return []
    if name == "doi":
        return [doi_url(value)]
    return list(split_list(value, ";")) if name == "checked" else [value]


def links_of(papers: list[Paper], fields: tuple[str, ...] = FIELDS) -> list[Link]:
    """Every link of ``fields`` of ``papers``, in the order of the files' lines."""
    out: list[Link] = []
    for paper in papers:
        raw = paper.raw
        for name in fields:
            for url in _addresses(name, paper.doi if name == "doi" else raw.get(name)):
                out.append(Link(raw.file, raw.line_of(name), raw.key, name, url))
    return sorted(out, key=lambda link: (link.file, link.line))


class GitError(Exception):
    """The library's earlier version could not be read; the message says why."""


def _git_show(root, ref: str, path: str) -> str | None:
    """``path`` as it is at ``ref`` (None: not there); GitError when git cannot say."""
    proc = subprocess.run(["git", "show", f"{ref}:{path}"], cwd=root, capture_output=True,
                          text=True, encoding="utf-8", errors="replace")
    if proc.returncode == 0:
        return proc.stdout
    if "does not exist" in proc.stderr or "exists on disk, but not in" in proc.stderr:
        return None
    raise GitError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip()
                   else f"git show {ref}:{path} failed")


def links_at(root, ref: str) -> set[tuple[str, str, str]]:
    """(key, field, address) of every link of the library as it was at git ``ref``: what a
    pull request did not change."""
    text = _git_show(root, ref, f"bib/{TAXONOMY_FILE}")
    taxonomy = parse_taxonomy(text, TAXONOMY_FILE)[0] if text else None
    out = set()
    for group in taxonomy.groups if taxonomy else ():
        text = _git_show(root, ref, f"bib/{group.file}")
        for raw in bib.parse(text, group.file)[0] if text else ():
            for name in KNOWN_FIELDS:
                out.update((raw.key, name, url) for url in _addresses(name, raw.get(name)))
    return out


def _error_outcome(error: BaseException, timeout: float) -> Outcome:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, socket.gaierror) and reason.errno == socket.EAI_NONAME:
        return Outcome("broken", "no such host")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return Outcome("broken", f"invalid TLS certificate ({reason.verify_message})")
    if isinstance(reason, TimeoutError | socket.timeout):
        return Outcome("unchecked", f"no answer within {timeout:g} s")
    if isinstance(error, ValueError):
        return Outcome("broken", f"not an address that can be opened ({error})")
    return Outcome("unchecked", f"cannot connect ({reason})")


def _status_outcome(status: int, final: str, url: str) -> Outcome:
    moved = final if final and final != url else None
    if 200 <= status < 300:
        return Outcome("ok", f"HTTP {status}", status, moved)
    if status in GONE:
        return Outcome("broken", f"HTTP {status}", status, moved)
    if 300 <= status < 400:
        return Outcome("broken", f"HTTP {status}: too many redirects", status, moved)
    if status in REFUSES_ROBOTS:
        return Outcome("unchecked", f"HTTP {status}: the site refuses automated requests",
                       status, moved)
    if status >= 500:
        return Outcome("unchecked", f"HTTP {status}: a server error", status, moved)
    return Outcome("unchecked", f"HTTP {status}: not an answer about the page (open it in a "
                   "browser)", status, moved)


def check_url(url: str, transport: Transport, timeout: float = 15.0, tries: int = 2,
              sleep: Callable[[float], None] | None = None, backoff: float = 2.0) -> Outcome:
    """The outcome of one address: HEAD, then GET unless HEAD succeeded; a second try when
    the server would not say (a timeout, 5xx, 429)."""
    outcome = Outcome("unchecked", "not asked")
    for attempt in range(1, tries + 1):
        outcome = None
        for method in ("HEAD", "GET"):
            try:
                status, final = transport(method, url, timeout)
            except (OSError, ValueError, http.client.HTTPException) as error:
                outcome = _error_outcome(error, timeout)
                if outcome.verdict == "broken":
                    break  # no such host, a bad certificate: GET would say the same
                continue
            outcome = _status_outcome(status, final, url)
            if outcome.verdict == "ok":
                break
        status = outcome.status or 0
        if outcome.verdict != "unchecked" or (400 <= status < 500 and status != 429):
            return outcome  # a refusal is not temporary; a rate limit or 5xx may be
        if attempt < tries:
            (sleep or _sleep)(backoff * attempt)
    return outcome


class _PerHost:
    """At most ``limit`` requests at a time to one host."""

    def __init__(self, limit: int):
        self.limit, self.locks, self.guard = limit, {}, threading.Lock()

    def __call__(self, url: str) -> threading.Semaphore:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        with self.guard:
            return self.locks.setdefault(host, threading.Semaphore(self.limit))


def check_links(links: list[Link], transport: Transport, *, timeout: float = 15.0,
                workers: int = 8, per_host: int = 2, say: Callable[[str], None] = print,
                sleep: Callable[[float], None] | None = None) -> dict[str, Outcome]:
    """{address: outcome} for every distinct address of ``links``."""
    urls = list(dict.fromkeys(link.url for link in links))
    host = _PerHost(per_host)
    done, lock = [0], threading.Lock()
    step = max(1, len(urls) // 10)

    def one(url: str) -> tuple[str, Outcome]:
        with host(url):
            outcome = check_url(url, transport, timeout, sleep=sleep)
        with lock:
            done[0] += 1
            if done[0] % step == 0 and done[0] < len(urls):
                say(f"gradleak links: {done[0]}/{len(urls)} addresses checked")
        return url, outcome

    turn = _spread(urls)  # hosts take turns: the workers do not all wait for one host
    order = sorted(urls, key=turn.__getitem__)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return dict(pool.map(one, order))


def _spread(urls: list[str]) -> dict[str, int]:
    """Each address's turn when the hosts take turns: a host's n-th address goes in round n."""
    seen: dict[str, int] = {}
    turn = {}
    for url in urls:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        seen[host] = seen.get(host, 0) + 1
        turn[url] = seen[host] * len(urls) + len(turn)
    return turn


def _message(link: Link, outcome: Outcome) -> str:
    moved = f" (redirected to {outcome.final})" if outcome.final else ""
    return f"{link.shown()}: {outcome.reason}{moved}"


def run(args, bib_dir, say, transport: Transport | None = None) -> int:
    """The command: broken links on stdout (text or JSON), progress, links not checked and
    the summary on stderr. Exit 1 when a link is broken, 2 when none could be reached."""
    started = time.perf_counter()
    catalog = load_catalog(bib_dir)
    papers = list(catalog.papers)
    if args.keys:
        wanted = {k.strip() for k in args.keys.split(",") if k.strip()}
        unknown = sorted(wanted - {p.key for p in papers})
        for key in unknown:
            say(f"gradleak links: {key}: no such entry in the library")
        if unknown:
            return 2
        papers = [p for p in papers if p.key in wanted]
    fields = tuple(f.strip() for f in (args.fields or ",".join(FIELDS)).split(",") if f.strip())
    wrong = [f for f in fields if f not in KNOWN_FIELDS]
    if wrong:
        say(f"gradleak links: --fields: unknown field '{wrong[0]}' (fields: "
            + ", ".join(KNOWN_FIELDS) + ")")
        return 2
    links = links_of(papers, fields)
    if args.since:
        try:
            before = links_at(bib_dir.parent, args.since)
        except (GitError, OSError) as error:
            say(f"gradleak links: --since {args.since}: {error}")
            return 2
        kept = len(links)
        links = [link for link in links if (link.key, link.field, link.url) not in before]
        say(f"gradleak links: {kept - len(links)} links unchanged since {args.since}: not asked")
    distinct = len({link.url for link in links})
    say(f"gradleak links: checking {len(links)} links ({distinct} addresses) of "
        f"{len(papers)} entries")
    outcomes = check_links(links, transport or (lambda m, u, t: _urllib(m, u, t)),
                           timeout=args.timeout, workers=args.workers, say=say)
    if links and not any(o.answered for o in outcomes.values()):
        say(f"gradleak links: no server answered for any of the {distinct} addresses "
            f"(e.g. {next(iter(outcomes.values())).reason}): is this machine offline?")
        return 2
    broken = [(link, outcomes[link.url]) for link in links
              if outcomes[link.url].verdict == "broken"]
    unchecked = [(link, outcomes[link.url]) for link in links
                 if outcomes[link.url].verdict == "unchecked"]
    if args.format == "json":
        def item(link: Link, outcome: Outcome) -> dict:
            return {"file": link.file, "line": link.line, "key": link.key, "field": link.field,
                    "url": link.url, "status": outcome.status, "reason": outcome.reason,
                    "redirected_to": outcome.final}
        print(json.dumps({"links": len(links), "entries": len(papers),
                          "broken": [item(*b) for b in broken],
                          "not_checked": [item(*u) for u in unchecked]},
                         indent=2, ensure_ascii=False))
    else:
        for link, outcome in broken:
            print(Diagnostic(link.file, link.line, link.key, _message(link, outcome)))
        for link, outcome in unchecked:
            say(f"  not checked: {link.file}:{link.line}: {link.key}: "
                f"{_message(link, outcome)}")
    say(f"gradleak links: {len(links)} links of {len(papers)} entries: {len(broken)} broken, "
        f"{len(unchecked)} not checked, {time.perf_counter() - started:.1f} s")
    return 1 if broken else 0
