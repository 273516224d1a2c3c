"""Lists too long for one page (extra.gradleak.list_limit), split by category and year,
in Chromium: the index pages lead to the parts, and the tools work on each part."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import ThreadingHTTPServer

import pytest
from conftest import FIXTURES, MINI_CONFIG, mkdocs_build

from e2e.axe import serious_violations
from e2e.conftest import SUBPATH, _Quiet

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    """The mini library built with one card per list page, served under /project/."""
    folder = tmp_path_factory.mktemp("split")
    shutil.copytree(FIXTURES / "mini", folder / "mini")
    config = folder / "mini" / "mkdocs.yml"
    config.write_text(MINI_CONFIG + "extra_javascript: [js/gradleak.js]\nextra_css: [css/gradleak.css]\n"
                      "extra:\n  gradleak:\n    list_limit: 1\n")
    docs = folder / "mini" / "docs"
    for asset in ("js/gradleak.js", "css/gradleak.css"):
        (docs / asset).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES.parents[1] / "docs" / asset, docs / asset)
    build = mkdocs_build(config, folder / "www" / SUBPATH)
    assert build.returncode == 0, build.log
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    server.shutdown()


def test_a_split_group_leads_to_its_category_pages_where_the_tools_work(browser, split_site):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(split_site + "attacks/")
    assert page.locator("#gl-tools").count() == 0  # an index: no cards, no tools
    page.get_by_role("link", name="Generation-based *prior* <b>").click()
    page.wait_for_selector("#gl-count")
    assert page.url == split_site + "attacks/generative/#category-generative"
    assert page.locator("#gl-count").inner_text() == "Showing 1 of 1 papers"
    page.locator("button.gl-filters-toggle").click()
    page.locator("#gl-modality-image").check()  # the options are those of this page's papers
    assert page.locator("#gl-count").inner_text() == "Showing 1 of 1 papers"
    page.locator("#gl-q").fill("nowhere-to-be-found")
    assert page.locator("#gl-count").inner_text() == "Showing 0 of 1 papers"
    assert page.locator("article.gl-card[data-key='older2020latent']").is_hidden()
    page.goto(split_site + "papers/")
    page.get_by_role("link", name="2020").click()
    page.wait_for_selector("#gl-count")
    assert page.locator("article.gl-card").evaluate_all("cs => cs.map(c => c.dataset.key)") == [
        "older2020latent"]
    assert errors == []
    page.close()


@pytest.mark.parametrize("path", ["attacks/", "attacks/generative/", "papers/", "papers/2020/"])
def test_split_pages_pass_axe(browser, split_site, path):
    page = browser.new_page()
    page.goto(split_site + path)
    page.wait_for_load_state("networkidle")
    bad = serious_violations(page)
    assert bad == [], "\n".join(map(str, bad))
    page.close()


@pytest.mark.parametrize(("path", "landing"), [
    ("attacks/#older2020latent", "attacks/generative/"),
    ("attacks/?paper=older2020latent", "attacks/generative/"),  # a search result's link
    ("papers/#older2020latent", "papers/2020/"),
    ("attacks/optimization/#older2020latent", "attacks/generative/"),
])
def test_a_link_to_a_card_made_before_the_split_still_opens_it(browser, split_site, path, landing):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(split_site + path)
    page.wait_for_url(f"{split_site}{landing}#older2020latent")
    page.wait_for_selector("#gl-count")
    assert page.locator("[id='older2020latent']").is_visible()
    assert errors == []
    page.close()


def test_a_link_to_a_missing_card_stays_where_it_is(browser, split_site):
    page = browser.new_page()
    page.goto(split_site + "attacks/#no-such-paper")
    page.wait_for_timeout(500)
    assert page.url == split_site + "attacks/#no-such-paper"
    page.close()
