"""Bibliographic records from the arXiv API, Crossref and dblp, as BibTeX that
``gradleak add`` normalizes and inserts like any exported entry.

All network access goes through ``Http`` (a timeout, retries with back-off, one clear
error per failure); tests give it recorded responses instead of the network.
"""

from __future__ import annotations

import html
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

from . import schema

ARXIV_API = "https://export.arxiv.org/api/query?id_list={ids}&max_results={n}"
CROSSREF = "https://api.crossref.org/works/{doi}"
DBLP_SEARCH = "https://dblp.org/search/publ/api?q={q}&format=json&h=10"
DBLP_BIBTEX = "https://dblp.org/rec/{key}.bib?param=1"
USER_AGENT = "gradleak (https://github.com/; the gradient leakage catalog's maintainer tool)"
_ATOM = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom",
         "os": "http://a9.com/-/spec/opensearch/1.1/"}
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


class FetchError(Exception):
    """A record could not be had; the message says why, for the person at the terminal."""


Transport = Callable[[str, float], tuple[int, bytes]]
_sleep = time.sleep


def _urllib(url: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read() or b""


@dataclass
class Http:
    """GET with a timeout and retries; ``transport`` is the network (or a recording)."""

    timeout: float = 15.0
    retries: int = 3
    backoff: float = 2.0
    # looked up at call time, so that tests can replace the network (fetch._urllib)
    transport: Transport = field(default=lambda url, timeout: _urllib(url, timeout))
    sleep: Callable[[float], None] = field(default=lambda seconds: _sleep(seconds))
    log: list[str] = field(default_factory=list)

    def get(self, url: str, what: str) -> bytes | None:
        """The body of a 200 answer; None for 404 (no such record); FetchError otherwise."""
        host = urllib.parse.urlsplit(url).hostname
        last = ""
        for attempt in range(1, self.retries + 1):
            self.log.append(url)
            try:
                status, body = self.transport(url, self.timeout)
            except TimeoutError:
                last = f"{host} did not answer within {self.timeout:g} s"
            except urllib.error.URLError as error:
                if isinstance(error.reason, TimeoutError):
                    last = f"{host} did not answer within {self.timeout:g} s"
                else:
                    raise FetchError(f"cannot reach {host} ({error.reason}): are you "
                                     "offline? This needs the internet.") from None
            except OSError as error:
                raise FetchError(f"cannot reach {host} ({error}): are you offline? "
                                 "This needs the internet.") from None
            else:
                if status == 200:
                    return body
                if status in (404, 410):
                    return None
                if status not in (429, 500, 502, 503, 504):
                    raise FetchError(f"{host} refused the request for {what} (HTTP {status})")
                last = f"{host} answered HTTP {status}"
            if attempt < self.retries:
                self.sleep(self.backoff * attempt)
        raise FetchError(f"{what}: {last}, {self.retries} tries; try again later")


def arxiv_id(text: str) -> str:
    """The bare arXiv id of ``2003.14053``, ``arXiv:2003.14053v2``, an abs/pdf URL or
    arXiv's DOI (``schema.arxiv_id``), or a FetchError saying what an id looks like."""
    found = schema.arxiv_id(text)
    if found is None:
        raise FetchError(f"{text!r} is not an arXiv id or arXiv URL (e.g. 2003.14053)")
    return found


def bare_doi(text: str) -> str:
    match = _DOI.match(text.strip())
    if not match:
        raise FetchError(f"{text!r} is not a DOI (e.g. 10.1109/TIFS.2017.2787987)")
    return match.group(1)


# ---- arXiv ------------------------------------------------------------------------------

def arxiv_records(ids: list[str], http: Http) -> dict[str, dict]:
    """{id: {title, authors, year, doi, journal_ref, id}} for the ids arXiv knows."""
    if not ids:
        return {}
    url = ARXIV_API.format(ids=",".join(ids), n=len(ids))
    body = http.get(url, f"arXiv {', '.join(ids)}")
    if not body:
        raise FetchError(f"arXiv sent an empty answer for {', '.join(ids)}; try again later")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise FetchError(f"arXiv's answer for {', '.join(ids)} is not its Atom feed "
                         f"({error})") from None
    if root.tag != f"{{{_ATOM['a']}}}feed":
        raise FetchError(f"arXiv's answer for {', '.join(ids)} is not its Atom feed")
    out = {}
    for entry in root.findall("a:entry", _ATOM):
        link = (entry.findtext("a:id", "", _ATOM) or "").strip()
        if "/api/errors" in link or not link:
            continue  # arXiv's way of saying "no such id" (or a malformed one)
        found = arxiv_id(link)
        title = _spaces(entry.findtext("a:title", "", _ATOM))
        authors = [_spaces(a.findtext("a:name", "", _ATOM))
                   for a in entry.findall("a:author", _ATOM)]
        if not title or not authors:
            continue
        out[found] = {
            "id": found, "title": title, "authors": authors,
            "year": (entry.findtext("a:published", "", _ATOM) or "")[:4],
            "doi": _spaces(entry.findtext("arxiv:doi", "", _ATOM)) or None,
            "journal_ref": _spaces(entry.findtext("arxiv:journal_ref", "", _ATOM)) or None,
        }
    return out


def arxiv_bibtex(record: dict) -> str:
    """An arXiv record as the BibTeX arXiv itself exports."""
    return _bibtex("misc", "arxiv", {
        "title": record["title"], "author": " and ".join(record["authors"]),
        "year": record["year"], "eprint": record["id"], "archiveprefix": "arXiv",
        "url": f"https://arxiv.org/abs/{record['id']}"}, escape=False)


# ---- Crossref ---------------------------------------------------------------------------

CROSSREF_TYPES = {"journal-article": ("article", "journal"),
                  "proceedings-article": ("inproceedings", "booktitle"),
                  "book-chapter": ("incollection", "booktitle"), "book": ("book", None),
                  "dissertation": ("phdthesis", None), "report": ("techreport", None),
                  "posted-content": ("misc", None)}


def crossref_record(doi: str, http: Http) -> dict | None:
    """Crossref's ``message`` for a DOI, or None when Crossref does not know it."""
    body = http.get(CROSSREF.format(doi=urllib.parse.quote(doi, safe="/:;()._-")),
                    f"Crossref {doi}")
    if body is None:
        return None
    try:
        message = json.loads(body)["message"]
        if not isinstance(message, dict) or not message.get("title"):
            raise ValueError("no title")
    except (ValueError, KeyError, TypeError) as error:
        raise FetchError(f"Crossref's answer for {doi} is not a work record ({error})") from None
    return message


def crossref_bibtex(message: dict, **extra: str) -> str:
    """A Crossref work as BibTeX (type, container, volume, issue, pages, publisher, DOI),
    plus ``extra`` fields as given."""
    entry_type, container = CROSSREF_TYPES.get(message.get("type", ""), ("misc", None))
    people = [a for a in message.get("author", []) if isinstance(a, dict)]
    names = [", ".join(filter(None, [a.get("family"), a.get("given")])) or a.get("name", "")
             for a in people]
    fields = {"title": _first(message.get("title")), "author": " and ".join(filter(None, names))}
    if container and _first(message.get("container-title")):
        fields[container] = _first(message.get("container-title"))
    if entry_type == "phdthesis":
        fields["school"] = _first(message.get("publisher"))
    for source, name in (("volume", "volume"), ("issue", "number"), ("page", "pages")):
        if message.get(source):
            fields[name] = _first(message[source])
    issued = (message.get("published-print") or message.get("published")
              or message.get("issued") or {}).get("date-parts") or [[None]]
    fields["year"] = str(issued[0][0]) if issued and issued[0] and issued[0][0] else ""
    if message.get("publisher") and entry_type not in ("phdthesis", "misc"):
        fields["publisher"] = _first(message["publisher"])
    fields["doi"] = _first(message.get("DOI"))
    return _bibtex(entry_type, "crossref", fields, escape=True, raw=extra)


# ---- dblp -------------------------------------------------------------------------------

def dblp_hits(query: str, http: Http) -> list[dict]:
    """dblp's search hits (``info`` objects) for a title or DOI."""
    body = http.get(DBLP_SEARCH.format(q=urllib.parse.quote(query)), f"dblp search {query!r}")
    if body is None:
        return []
    try:
        hits = json.loads(body)["result"]["hits"].get("hit", [])
        return [h["info"] for h in hits if isinstance(h, dict) and "info" in h]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise FetchError(f"dblp's answer for {query!r} is not a search result ({error})") from None


def dblp_bibtex(key: str, http: Http) -> str:
    body = http.get(DBLP_BIBTEX.format(key=key), f"dblp record {key}")
    if not body or b"@" not in body:
        raise FetchError(f"dblp sent no BibTeX for {key}")
    return body.decode("utf-8", "replace")


def is_informal(info: dict) -> bool:
    """dblp's CoRR (arXiv) copies and other informal publications."""
    return info.get("type") == "Informal and Other Publications" or info.get("venue") == "CoRR"


# ---- the two ways in ----------------------------------------------------------------------

def bibtex_for_arxiv(text: str, http: Http) -> tuple[str, str]:
    """(BibTeX, where it came from) for an arXiv id: the published version (Crossref, when
    arXiv names its DOI; else dblp's non-CoRR record of the same title), with the arXiv id
    kept; else the preprint."""
    from .validate import normalized_title

    wanted = arxiv_id(text)
    record = arxiv_records([wanted], http).get(wanted)
    if record is None:
        raise FetchError(f"arXiv has no paper {wanted}")
    ids = {"eprint": wanted, "archiveprefix": "arXiv"}
    if record["doi"]:
        message = crossref_record(record["doi"], http)
        if message is not None:
            return crossref_bibtex(message, **ids), "Crossref (the DOI arXiv gives)"
    try:
        title = normalized_title(record["title"])
        for info in dblp_hits(record["title"], http):
            if (not is_informal(info) and info.get("key")
                    and normalized_title(str(info.get("title", ""))) == title):
                found = dblp_bibtex(info["key"], http)
                head, _, rest = found.partition("\n")
                extra = "".join(f"  {k} = {{{v}}},\n" for k, v in ids.items())
                return f"{head}\n{extra}{rest}", f"dblp {info['key']} (arXiv id kept)"
    except FetchError as error:  # dblp is a bonus here: the preprint still comes
        return arxiv_bibtex(record), f"arXiv (dblp not asked: {error})"
    note = (f"; arXiv gives the journal reference {record['journal_ref']!r}: look for the "
            "published version" if record["journal_ref"] else "")
    return arxiv_bibtex(record), "arXiv" + note


def bibtex_for_doi(text: str, http: Http) -> tuple[str, str]:
    """(BibTeX, where it came from) for a DOI: Crossref, else dblp."""
    doi = bare_doi(text)
    message = crossref_record(doi, http)
    if message is not None:
        return crossref_bibtex(message), "Crossref"
    for info in dblp_hits(doi, http):
        if (info.get("doi") or "").lower() == doi.lower() and info.get("key"):
            return dblp_bibtex(info["key"], http), "dblp"
    raise FetchError(f"neither Crossref nor dblp knows the DOI {doi}")


# ---- helpers ------------------------------------------------------------------------------

def _spaces(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _first(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return _spaces(html.unescape(re.sub(r"<[^>]+>", "", str(value or ""))))


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                  "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    """Plain text as a BibTeX value: LaTeX's special characters escaped."""
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def _bibtex(entry_type: str, key: str, fields: dict[str, str], *, escape: bool,
            raw: dict[str, str] | None = None) -> str:
    lines = [f"@{entry_type}{{{key},"]
    for name, value in {**fields, **(raw or {})}.items():
        value = _spaces(value)
        if not value:
            continue
        if name in ("doi", "url", "eprint", "archiveprefix"):  # identifiers: no braces
            value = value.replace("{", "").replace("}", "")
        elif escape:
            value = latex_escape(value)
        elif not escape:  # arXiv titles are LaTeX source already; only keep braces balanced
            value = value if value.count("{") == value.count("}") else value.replace(
                "{", "").replace("}", "")
        lines.append(f"  {name} = {{{value}}},")
    return "\n".join([*lines, "}"]) + "\n"
