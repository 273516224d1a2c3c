"""Browser fixtures: the built real site served under a sub-path, and a page of the
session's headless Chromium (the `browser` fixture, in tests/conftest.py)."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

SUBPATH = "project"  # served like a GitHub Pages project site: /project/...


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served(real_build, tmp_path_factory):
    """Base URL of the real site, served from 127.0.0.1 under /project/."""
    assert real_build.returncode == 0, real_build.log
    root = tmp_path_factory.mktemp("www")
    shutil.copytree(real_build.site, root / SUBPATH)
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    server.shutdown()


@pytest.fixture
def page(browser, served):
    """A fresh page that records console errors and every request leaving 127.0.0.1."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.errors = []
    page.foreign = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: r.url.startswith("http://127.0.0.1") or r.url.startswith(
        "data:") or page.foreign.append(r.url))
    yield page
    context.close()
