"""axe-core (shipped by axe-playwright-python) run in a page: its serious and critical findings."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


def serious_violations(page, within: str | None = None) -> list[tuple]:
    """Each serious or critical violation on the whole page, or in the element the CSS selector
    `within` names: (rule, impact, first targets). Cards off screen are not rendered
    (content-visibility: auto) and axe cannot read the colours of what was not rendered:
    everything is rendered for the audit, same styles."""
    page.add_style_tag(content=".gl-card { content-visibility: visible !important; }")
    page.add_script_tag(path=str(AXE))
    scope = "document" if within is None else f"document.querySelector({within!r})"
    result = page.evaluate(f"axe.run({scope}, {{resultTypes: ['violations']}})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
