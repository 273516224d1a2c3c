"""Retake the README's screenshot (docs/assets/screenshot.png) from a built site.

    mkdocs build -d site && python benchmarks/screenshot.py site

Serves the folder on a local port, opens the Attacks page in Debian's Chromium at a
desktop size in the light palette, and writes the first screen as a PNG.
"""

from __future__ import annotations

import argparse
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder (mkdocs build -d SITE)")
    parser.add_argument("--page", default="attacks/", help="the page to show (default attacks/)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "assets" / "screenshot.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} has no index.html: build the site first")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{args.page}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": args.width, "height": args.height},
                                color_scheme="light")
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(args.out))
        browser.close()
    server.shutdown()
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes) from {url}")


if __name__ == "__main__":
    main()
