"""Serve a built site the way a static host such as GitHub Pages does: text gzipped.

    python benchmarks/serve.py SITE_DIR PORT [--prefix /project/]

Python's own http.server sends every file uncompressed, which makes pages look several
times heavier to Lighthouse than they are once hosted. This server answers each request
for a text file (HTML, CSS, JS, JSON, SVG, XML) with its gzipped bytes when the client
accepts gzip, like the host does. With --prefix the site is served under a sub-path.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
from pathlib import Path

TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".bib", ".csv", ".map"}


class Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, *args):  # quiet
        pass

    def translate_path(self, path):
        if self.prefix != "/" and path.startswith(self.prefix):
            path = "/" + path[len(self.prefix):]
        elif self.prefix != "/":
            path = "/__outside_prefix__"
        return super().translate_path(path)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in TEXT):
            return super().send_head()  # binary files, redirects, 404s
        body = _compressed(str(path), os.stat(path).st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@functools.lru_cache(maxsize=4096)
def _compressed(path: str, mtime: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("port", type=int)
    parser.add_argument("--prefix", default="/")
    args = parser.parse_args()
    handler = functools.partial(type("H", (Handler,), {"prefix": args.prefix}),
                                directory=str(args.site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
