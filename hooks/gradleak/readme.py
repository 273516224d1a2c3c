"""The awesome-list view of the library, kept in README.md between two markers.

The list is Markdown read by GitHub (CommonMark): values are escaped for Markdown only,
never turned into HTML entities, which Markdown would show literally after a backslash.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

import jinja2
import yaml

from .ledger import LEDGER_FILE
from .model import Catalog, Diagnostic, Paper
from .render import newest_first

START = "<!-- gradleak:readme:start -->"
END = "<!-- gradleak:readme:end -->"
_SECTION = re.compile(re.escape(START) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
# What could start markup inside a line of a list item (emphasis, code, links, images, raw
# HTML, entities, GFM strikethrough, tables and math): a backslash shows it as itself.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&!~$|])")
_URL_UNSAFE = re.compile(r"[\s<>\\\x00-\x1f\x7f]")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def md_text(value) -> str:
    """``value`` as literal text of one Markdown line: every markup character escaped."""
    return _MD_INLINE.sub(r"\\\1", re.sub(r"\s+", " ", str(value)).strip())


def md_url(url: str) -> str:
    """``url`` as a link destination in ``<...>``: spaces, angle brackets and backslashes
    percent-encoded, an ``&`` that would read as an entity (``&amp;``) backslash-escaped."""
    return _ENTITY.sub(r"\\&", _URL_UNSAFE.sub(lambda m: quote(m.group(), safe=""), url))


def site_url_of(root: Path) -> str | None:
    """``extra.gradleak.site_url`` of ``root/mkdocs.yml``: the published address that
    README links to paper pages with (mkdocs.yml's own ``site_url`` comes from the deploy
    environment, so the README, checked everywhere, cannot use it)."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return None

    class _Loader(yaml.SafeLoader):  # mkdocs.yml's !ENV and !!python/name tags: not needed
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError:
        return None
    extra = config.get("extra") if isinstance(config, dict) else None
    settings = (extra or {}).get("gradleak") if isinstance(extra, dict) else None
    value = settings.get("site_url") if isinstance(settings, dict) else None
    return value.rstrip("/") + "/" if isinstance(value, str) and value.strip() else None


def paper_href(paper: Paper, site_url: str | None) -> str:
    """Where a paper's title links: its own URL, else its page on the site, else (no site
    address configured) its entry in the library file on the repository's host."""
    if paper.link:
        return paper.link
    if site_url:
        return f"{site_url}paper/{quote(paper.key)}/"
    return f"{paper.raw.file}#L{paper.raw.line}"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("gradleak", "templates"),
                             autoescape=False, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md_text
    env.filters["mdurl"] = md_url
    return env


def render_list(catalog: Catalog, site_url: str | None = None) -> str:
    """Every paper by group and category, newest first, as Markdown between the markers."""
    papers = catalog.papers
    groups = []
    for group in catalog.taxonomy.groups:
        own = [p for p in papers if p.group == group.id]
        sections = [(c, newest_first([p for p in own if p.category == c.id])) for c in group.walk()]
        groups.append((group, sections, len(own)))
    return _environment().get_template("readme.md.jinja").render(
        groups=groups, href=lambda p: paper_href(p, site_url))


def updated(readme_text: str, catalog: Catalog, site_url: str | None = None) -> str | None:
    """``readme_text`` with a fresh list, or None when it has no markers."""
    if START not in readme_text or END not in readme_text:
        return None
    return _SECTION.sub(lambda _: render_list(catalog, site_url), readme_text, count=1)


def list_problems(catalog: Catalog) -> list[Diagnostic]:
    """The catalog's problems that can change the paper list (all but the ledger's): with
    any, the list made from it would lose papers (an entry or a taxonomy that did not
    parse), so it is neither written nor compared."""
    return [d for d in catalog.diagnostics if not d.file.endswith(f"/{LEDGER_FILE}")]


def check_readme(path: Path, catalog: Catalog, label: str = "README.md") -> list[Diagnostic]:
    """A diagnostic when the README's list is missing its end marker or out of date."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    if START in text and END not in text:
        line = text[: text.index(START)].count("\n") + 1
        return [Diagnostic(label, line, None, f"'{START}' has no matching '{END}'")]
    if list_problems(catalog):  # reported as they are; a list made now would be wrong
        return []
    fresh = updated(text, catalog, site_url_of(path.parent))
    if fresh is not None and fresh != text:
        line = text[: text.index(START)].count("\n") + 1
        return [Diagnostic(label, line, None, "the paper list is stale: run `gradleak readme`")]
    return []
