"""Shared helpers: build sites with the real `mkdocs build --strict`, parse their HTML."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The library most site tests build from: invented entries of every type, with LaTeX,
# relations, milestones and arXiv months over two years (not the live bib/).
SITE_BIB = FIXTURES / "full" / "bib"
HOOK = ROOT / "hooks" / "gradleak_hook.py"

# Subprocesses (`python -m gradleak`, `mkdocs build`) import this checkout's hooks/, never an
# installed copy of the package; pytest's `pythonpath` setting does the same for the tests.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "hooks"), *filter(None, [os.environ.get("PYTHONPATH")])])

MINI_CONFIG = f"""\
site_name: Mini
theme:
  name: material
  custom_dir: {(ROOT / "overrides").as_posix()}
  font: false
  features: [content.code.copy]
hooks:
  - {HOOK.as_posix()}
plugins:
  - search
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - md_in_html
"""


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/expected from the current output")


@dataclass
class Build:
    returncode: int
    log: str
    site: Path


def mkdocs_build(config_file: Path, site_dir: Path, **env_vars: str) -> Build:
    """Run the real `mkdocs build --strict` and return its exit code and log."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "true", **env_vars}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file),
         "-d", str(site_dir)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, site_dir)


@pytest.fixture
def mini_site(tmp_path):
    """A copy of tests/fixtures/mini with its mkdocs.yml; returns its folder."""
    folder = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    (folder / "mkdocs.yml").write_text(MINI_CONFIG)
    return folder


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> Build:
    """The real site (the live bib/), built once per test session with --strict."""
    site_dir = tmp_path_factory.mktemp("real") / "site"
    return mkdocs_build(ROOT / "mkdocs.yml", site_dir)


def site_with_library(folder: Path, bib_dir: Path) -> Path:
    """The real site's mkdocs.yml, docs, theme overrides and hook around another library:
    returns the config file of `folder`, which holds them (linked) and a copy of `bib_dir`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    for name in ("docs", "hooks", "overrides"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    shutil.copytree(bib_dir, folder / "bib")
    return folder / "mkdocs.yml"


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory) -> Build:
    """The real site's configuration and pages with the fixture library tests/fixtures/full,
    built once per test session with --strict (no site_url, as `mkdocs serve` runs)."""
    root = tmp_path_factory.mktemp("fixture-site")
    return mkdocs_build(site_with_library(root / "src", SITE_BIB), root / "site")


class _Pages(SimpleHTTPRequestHandler):
    """Serves a folder as GitHub Pages does: its 404.html for any missing path."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / SUBPATH / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


SUBPATH = "project"


@dataclass
class Published:
    build: Build
    url: str  # the site_url it was built with, where it is served: http://127.0.0.1:PORT/project/
    config: Path  # the mkdocs.yml it was built from


def _publish(root: Path, config: Path):
    """Build `config` with `site_url` set, as the deploy workflow does, and serve it there
    (under /project/, with its 404 page for missing paths) until the generator closes."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Pages, directory=str(root)))
    url = f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    build = mkdocs_build(config, root / SUBPATH, GRADLEAK_SITE_URL=url)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Published(build, url, config)
    server.shutdown()


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Published:
    """The real site (the live bib/), published and served while the session lasts."""
    yield from _publish(tmp_path_factory.mktemp("published"), ROOT / "mkdocs.yml")


@pytest.fixture(scope="session")
def fixture_published(tmp_path_factory) -> Published:
    """The fixture site (tests/fixtures/full), published and served while the session lasts."""
    root = tmp_path_factory.mktemp("fixture-published")
    config = site_with_library(tmp_path_factory.mktemp("fixture-published-src"), SITE_BIB)
    yield from _publish(root, config)


# Debian's chromium by default; "bundled" uses Playwright's own build where one is installed
CHROMIUM = os.environ.get("GRADLEAK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, one for the session: the browser tests (tests/e2e) and the page
    script's unit tests share it (Playwright's sync API runs one instance at a time)."""
    if CHROMIUM != "bundled" and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        path = {} if CHROMIUM == "bundled" else {"executable_path": CHROMIUM}
        browser = p.chromium.launch(args=ARGS, **path)
        yield browser
        browser.close()
