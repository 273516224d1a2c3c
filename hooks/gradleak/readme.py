"""The awesome-list view of the library, kept in README.md between two markers."""

from __future__ import annotations

import re
from pathlib import Path

from .model import Catalog, Diagnostic
from .render import environment, newest_first

START = "<!-- gradleak:readme:start -->"
END = "<!-- gradleak:readme:end -->"
_SECTION = re.compile(re.escape(START) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)


def render_list(catalog: Catalog) -> str:
    """Every paper by group and category, newest first, as Markdown between the markers."""
    papers = catalog.papers
    groups = []
    for group in catalog.taxonomy.groups:
        own = [p for p in papers if p.group == group.id]
        sections = [(c, newest_first([p for p in own if p.category == c.id])) for c in group.walk()]
        groups.append((group, sections, len(own)))
    return environment().get_template("readme.md.jinja").render(groups=groups)


def updated(readme_text: str, catalog: Catalog) -> str | None:
    """``readme_text`` with a fresh list, or None when it has no markers."""
    if START not in readme_text or END not in readme_text:
        return None
    return _SECTION.sub(lambda _: render_list(catalog), readme_text, count=1)


def check_readme(path: Path, catalog: Catalog, label: str = "README.md") -> list[Diagnostic]:
    """A diagnostic when the README's list is missing its end marker or out of date."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    if START in text and END not in text:
        line = text[: text.index(START)].count("\n") + 1
        return [Diagnostic(label, line, None, f"'{START}' has no matching '{END}'")]
    fresh = updated(text, catalog)
    if fresh is not None and fresh != text:
        line = text[: text.index(START)].count("\n") + 1
        return [Diagnostic(label, line, None, "the paper list is stale: run `gradleak readme`")]
    return []
