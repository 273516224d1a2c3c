"""Paper pages at the cost of a template fill.

The front end (MkDocs and its theme) renders ONE page, the shell: a paper page whose
per-page values (title, description, key, citation tags, content) are tokens. Every paper
page is then made from the shell by putting each paper's values, escaped for where they
go, in place of the tokens: a string join per page instead of a theme render per page.

Where the theme prints a value decides how it is escaped there, and the shell tells: each
text token carries an empty ``<i></i>``, so a token printed as is keeps it, one printed
through ``striptags | e`` loses it and one printed through ``e`` shows it escaped. A token
printed in any other form is an error (``ShellError``), never a wrong page. The tests build
the same site both ways (``extra.gradleak.paper_pages: theme`` renders every paper page
through the theme, as before) and compare the pages, so the two cannot drift apart.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markupsafe import Markup, escape

from .generated import Generated, expand
from .sink import DirectSink, ProcessSink
from .urls import paper_page_uri, url_of

# No paper key starts with "_" (bib.KEY_RE), so the shell's page is no paper's page.
SHELL_KEY = "_zzglkeyzz"
SHELL_URI = paper_page_uri(SHELL_KEY)
_TEXT = {"title": "zzgltitle{}zz", "description": "zzgldescription{}zz"}
_CONTENT = "<h1>zzglcontentzz</h1>"  # an <h1>, as a paper page's card has: the theme adds none
_META = "zzglmetazz"
SHELL_META = [(_META, "")]  # the shell's citation tags: one, replaced by the paper's list

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ShellError(ValueError):
    """The theme printed a per-page value of the shell in a form the fill does not know."""


def shell_page() -> Generated:
    """The shell's Markdown: a paper page's front matter with tokens for values."""
    front = (f"title: {json.dumps(_TEXT['title'].format('<i></i>'))}\n"
             f"description: {json.dumps(_TEXT['description'].format('<i></i>'))}\n"
             "search:\n  exclude: true\n")
    return Generated(f"---\n{front}---\n\n{_CONTENT}\n", in_nav=False)


@dataclass(frozen=True)
class PaperPage:
    """What a paper page has of its own: values as its front matter gives them to the
    theme (title and description are HTML), citation tags (plain text), content (HTML)."""

    key: str
    title: str
    description: str
    meta: list[tuple[str, str]]
    content: str


def paper_page(key: str, page: Generated, meta: list[tuple[str, str]]) -> PaperPage:
    """A paper's values, from its generated page (front matter and body, as the theme gets
    them) and its citation tags. The body is raw HTML, which Markdown passes as it is."""
    markdown = page.markdown
    if not markdown.startswith("---\n") or (end := markdown.find("\n---\n", 3)) < 0:
        raise ShellError(f"{paper_page_uri(key)}: a paper page needs front matter")
    front = _front_matter(markdown[4:end])
    body = expand(markdown[end + 5:], page.fragments).strip("\n")
    return PaperPage(key, str(front.get("title", "")), str(front.get("description", "")),
                     meta, body + "\n")


_JSON_LINE = re.compile(r'^(title|description): (".*")$', re.MULTILINE)


def _front_matter(text: str) -> dict:
    """The title and description of a paper page's front matter. The template writes
    them as JSON strings, one line each, which json reads ~10x faster than YAML; any
    other form is read as YAML."""
    try:
        found = {k: json.loads(v) for k, v in _JSON_LINE.findall(text)}
    except ValueError:
        found = {}
    return found if len(found) == 2 else (yaml.load(text, Loader=_Loader) or {})


def _text_forms(name: str) -> dict[str, tuple[str, str]]:
    token = _TEXT[name]
    return {token.format("<i></i>"): (name, "raw"),
            token.format(""): (name, "striptags"),
            token.format("&lt;i&gt;&lt;/i&gt;"): (name, "escaped")}


_FORMS: dict[str, tuple[str, str]] = {
    **_text_forms("title"), **_text_forms("description"),
    SHELL_KEY: ("key", "raw"), _CONTENT: ("content", "raw"),
}
_TOKENS = re.compile("|".join([re.escape(f'<meta name="{_META}" content="">')]
                              + [re.escape(t) for t in sorted(_FORMS, key=len, reverse=True)]))
_SPACE = re.compile(r"[ \t\r\f]*\n\s*")


class Shell:
    """The shell page split into literal chunks and slots; ``fill`` makes a paper page."""

    def __init__(self, html: str):
        chunks, slots = [], []
        last = 0
        for match in _TOKENS.finditer(html):
            chunks.append(html[last:match.start()])
            token = match.group()
            slots.append(("meta", "raw") if token.startswith("<meta") else _FORMS[token])
            last = match.end()
        chunks.append(html[last:])
        left = [c for c in chunks if "zzgl" in c.lower()]
        if left:
            at = left[0].lower().find("zzgl")
            raise ShellError("the theme prints a paper page's value in a form the fill does "
                             f"not know: ...{left[0][max(0, at - 80):at + 40]!r}...; set "
                             "extra.gradleak.paper_pages: theme in mkdocs.yml meanwhile")
        if [s for s in slots if s[0] == "content"] != [("content", "raw")]:
            raise ShellError("the shell page must show its content exactly once")
        # The chrome's indentation is the theme's template layout, not content (the content
        # is a slot, so no <pre> is touched): one line break stands for each run of it.
        self.chunks = [_SPACE.sub("\n", c) for c in chunks]
        self.slots = slots

    def fill(self, page: PaperPage) -> str:
        values = {
            ("title", "raw"): page.title,
            ("title", "striptags"): str(escape(Markup(page.title).striptags())),
            ("title", "escaped"): str(escape(page.title)),
            ("description", "raw"): page.description,
            ("description", "striptags"): str(escape(Markup(page.description).striptags())),
            ("description", "escaped"): str(escape(page.description)),
            ("key", "raw"): page.key,  # KEY_RE: safe in URLs and HTML as it is
            ("meta", "raw"): "\n".join(f'<meta name="{escape(n)}" content="{escape(c)}">'
                                       for n, c in page.meta),
            ("content", "raw"): page.content,
        }
        out = [self.chunks[0]]
        for slot, chunk in zip(self.slots, self.chunks[1:], strict=True):
            out.append(values[slot])
            out.append(chunk)
        return "".join(out)


def dest_path(key: str, use_directory_urls: bool) -> str:
    """Where a paper page is written, relative to the site folder."""
    url = url_of(paper_page_uri(key), use_directory_urls)
    return url + "index.html" if url.endswith("/") else url


def write_paper_pages(shell: Shell, pages, site_dir: Path | str, use_directory_urls: bool,
                      sink: DirectSink | ProcessSink | None = None) -> int:
    """Write each of ``pages`` (PaperPage) into ``site_dir`` (through ``sink``: see
    sink.py); returns how many."""
    base = os.fspath(site_dir) + "/"  # str paths: pathlib's cost per page is not needed
    out = sink if sink is not None else DirectSink()
    count = 0
    for page in pages:
        out.write(base + dest_path(page.key, use_directory_urls),
                  shell.fill(page).encode("utf-8", "xmlcharrefreplace"))
        count += 1
    return count


_URLSET_END = "</urlset>"
_SHELL_ENTRY = re.compile(rf"\s*<url>\s*<loc>[^<]*{SHELL_KEY}[^<]*</loc>.*?</url>", re.DOTALL)


def add_to_sitemap(xml: str, keys, site_url: str | None, use_directory_urls: bool) -> str:
    """The front end's sitemap with every paper page in it, in the form it gives its own
    pages (absolute URL; the last modification date its entries carry), and without the
    shell's. Without a site URL the front end lists no page, and neither does this."""
    xml = _SHELL_ENTRY.sub("", xml)
    if not site_url or _URLSET_END not in xml:
        return xml
    base = site_url if site_url.endswith("/") else site_url + "/"
    lastmod = re.search(r"<lastmod>([^<]*)</lastmod>", xml)
    date = f"\n         <lastmod>{lastmod.group(1)}</lastmod>" if lastmod else ""
    entries = "".join(
        f"\n    <url>\n         <loc>{escape(base + url_of(paper_page_uri(k), use_directory_urls))}"
        f"</loc>{date}\n    </url>" for k in keys)
    head, _, tail = xml.rpartition(_URLSET_END)
    return head.rstrip("\n") + entries + "\n" + _URLSET_END + tail


def update_sitemap(site_dir: Path | str, keys, site_url: str | None,
                   use_directory_urls: bool) -> None:
    """Add the paper pages to the sitemap the front end wrote (sitemap.xml and its .gz)."""
    path = Path(site_dir) / "sitemap.xml"
    if not path.exists():
        return
    xml = path.read_text(encoding="utf-8")
    new = add_to_sitemap(xml, keys, site_url, use_directory_urls)
    if new == xml:
        return
    path.write_text(new, encoding="utf-8")
    packed = path.with_name("sitemap.xml.gz")
    if packed.exists():
        mtime = int.from_bytes(packed.read_bytes()[4:8], "little")  # keep the build's stamp
        with gzip.GzipFile(packed, "wb", mtime=mtime) as out:
            out.write(new.encode("utf-8"))
