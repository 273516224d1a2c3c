"""A library whose every field carries HTML/JS payloads builds, and in Chromium no script
runs, no payload becomes an element and no payload becomes a live link."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from .conftest import _Quiet

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "hooks" / "gradleak_hook.py"
PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    '"><img src=x onerror="window.__pwned=\'img\'">',
    "'><svg onload=\"window.__pwned='svg'\">",
    "javascript:window.__pwned='href'",
    "</code></pre><script>window.__pwned='pre'</script>",
    "</title><script>window.__pwned='title'</script>",
    "*md* [link](javascript:window.__pwned='md') {#id}",
]


KEEP = ("year", "keywords", "evaluates", "breaks", "added")


def poison_line(line: str) -> str:
    """A payload appended to the value of a field line; url and code become javascript:."""
    m = re.match(r"^(\s*)(\w+)(\s*=\s*)\{(.*)\}(,?)$", line)
    if not m:
        return line
    indent, name, eq, value, comma = m.groups()
    if name in KEEP:
        return line
    if name in ("url", "code"):
        return f"{indent}{name}{eq}{{javascript:window.__pwned='{name}'}}{comma}"
    payload = PAYLOADS[sum(map(ord, name)) % len(PAYLOADS)].replace("{", "").replace("}", "")
    return f"{indent}{name}{eq}{{{value} {payload}}}{comma}"


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    site = root / "src"
    shutil.copytree(FIXTURES / "mini", site)
    for path in (site / "bib").glob("*.bib"):
        path.write_text("\n".join(map(poison_line, path.read_text().splitlines())) + "\n")
    taxonomy = site / "bib" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text()
                        .replace("name: Optimization-based", "name: \"Optimization <img src=x onerror=window.__pwned='tax'>\"")
                        .replace("name: Attacks", "name: \"Attacks </title><script>window.__pwned='group'</script>\"")
                        .replace("description: Gradient matching.", "description: \"<script>window.__pwned='desc'</script>\""))
    (site / "mkdocs.yml").write_text(
        f"site_name: XSS\ntheme:\n  name: material\n  custom_dir: {(ROOT / 'overrides').as_posix()}\n"
        "  font: false\n  features: [content.code.copy]\n"
        f"hooks:\n  - {HOOK.as_posix()}\nplugins:\n  - search\n"
        "extra_javascript:\n  - js/gradleak.js\n"
        "markdown_extensions:\n  - toc\n  - attr_list\n  - md_in_html\n")
    shutil.copytree(ROOT / "docs" / "js", site / "docs" / "js")  # the real page script
    out = root / "out"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(site / "mkdocs.yml"),
                           "-d", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # builds (not strict: urls are invalid)
    assert "malformed url" in proc.stderr  # ...and says why javascript: links are refused
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", site
    server.shutdown()


@pytest.mark.parametrize("path", ["", "surveys/", "attacks/", "defenses/", "papers/", "stats/",
                                  "timeline/", "matrix/", "new/", "paper/balunovic2022bayesian/",
                                  "paper/smith2023survey/"])
def test_no_payload_runs_or_becomes_markup(browser, poisoned_site, path):
    base, _site = poisoned_site
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    # use the tools too: filters, copy buttons, BibTeX panels
    if page.locator("#gl-q").count():
        page.locator("#gl-q").fill("script")
        page.locator("#gl-q").fill("")
        for button in page.locator("article.gl-card .gl-card__links button").all()[:6]:
            button.click()
        for toggle in page.locator("article.gl-card .gl-bib-toggle").all():
            toggle.click()
    assert page.evaluate("window.__pwned === undefined"), page.evaluate("window.__pwned")
    assert dialogs == []
    content = page.locator(".md-content")
    assert content.locator("img[src='x'], svg[onload], [onerror], [onload]").count() == 0
    assert content.locator("script:not([type='application/json'])").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    # the payloads are there, as text
    if path == "attacks/":
        assert "<script>" in content.inner_text() or "onerror" in content.inner_text()
    context.close()


def test_feed_and_exports_stay_well_formed(poisoned_site):
    import json
    import xml.etree.ElementTree as ET
    from urllib.request import urlopen

    base, _ = poisoned_site
    feed = ET.fromstring(urlopen(base + "feed.xml").read())
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed]
    assert any(t and "<script>" in t for t in titles)  # the payload is text in the XML
    data = json.loads(urlopen(base + "downloads/gradleak.json").read())
    assert data["count"] == 4
