"""What `mkdocs serve` keeps between its rebuilds, so that after an edit of one entry only
what depends on it is made and written again.

The front end empties the site folder before every build, but leaves hidden entries and
links to folders alone. The paper pages and the downloads (~10,000 files at 2,500 papers)
are therefore written to a hidden folder of the site (``.gradleak-serve``) and linked in
place (``paper`` and ``downloads`` are links to its folders): a rebuild writes a file only
when its content changed and removes the files no build makes any more. The served site
is the site a fresh build writes (tests compare them). Where links cannot be made, files
are written in place, as in a plain build.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path

from .sink import write_file

KEPT = ".gradleak-serve"


class ServeStore:
    """The files written by the builds of one `mkdocs serve` process, by path in the site
    and digest of their content or of what they are made from."""

    def __init__(self):
        self.site_dir: Path | None = None
        self.written: dict[str, bytes] = {}  # path in the site -> digest
        self.made = 0  # files made (not found unchanged) by the last write_all
        # per-paper work (records, card parts) by what it is made from: this build's and
        # the last one's, so that a rebuild takes what an edit left unchanged
        self._now: dict[tuple, object] = {}
        self._last: dict[tuple, object] = {}
        # id(paper) -> (paper, digest); the paper held, so that its id is not reused
        self._digests: dict[int, tuple[object, bytes]] = {}
        self._last_digests: dict[int, tuple[object, bytes]] = {}

    def new_build(self) -> None:
        """Start a build: what the last one made is kept only if this one uses it."""
        self._last, self._now = self._now, {}
        self._last_digests, self._digests = self._digests, {}

    def reuse(self, key: tuple, make: Callable[[], object]) -> object:
        """The value made for ``key`` by this build or the last one, else ``make()``."""
        found = self._now.get(key)
        if found is None:
            found = self._last.get(key)
            self._now[key] = found if found is not None else make()
            found = self._now[key]
        return found

    def digest(self, paper) -> bytes:
        """A digest of the paper's content (``fingerprint``); the papers of a file that did
        not change are the same objects from build to build (catalog.load_group)."""
        found = self._digests.get(id(paper)) or self._last_digests.get(id(paper))
        if found is None or found[0] is not paper:
            found = (paper, hashlib.blake2b(repr(fingerprint(paper)).encode(),
                                            digest_size=16).digest())
        self._digests[id(paper)] = found
        return found[1]

    def write_all(self, site_dir: Path | str, top: str,
                  files: Iterable[tuple[str, bytes | None, Callable[[], bytes]]]) -> int:
        """Write ``files`` (path in the site under ``top``, digest of its inputs or None,
        the call that makes its bytes) into ``site_dir``, skipping those whose digest is
        the one written last time; returns how many. A file with no input digest is made
        and written when its bytes differ from the last ones."""
        site_dir = Path(site_dir)
        if site_dir != self.site_dir:
            self.site_dir, self.written = site_dir, {}
        linked = self._link(site_dir, top)
        seen, dirs, self.made = set(), set(), 0
        for path, digest, make in files:
            seen.add(path)
            target = site_dir / path
            if digest is not None and linked and self.written.get(path) == digest \
                    and target.is_file():
                continue
            data = make()
            self.made += 1
            mark = digest if digest is not None else _digest(data)
            if linked and self.written.get(path) == mark and target.is_file():
                continue  # the same bytes are there
            if target.parent not in dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                dirs.add(target.parent)
            write_file(target, data)
            self.written[path] = mark
        gone = [p for p in self.written if p.startswith(top + "/") and p not in seen]
        for path in gone:  # made by an earlier build only (a paper removed since)
            (site_dir / path).unlink(missing_ok=True)
            del self.written[path]
        return len(seen)

    def _link(self, site_dir: Path, top: str) -> bool:
        """Make ``site_dir/top`` a link to the kept folder; False when it cannot be (then
        what was written under ``top`` is forgotten: it is written again, in place)."""
        link, relative = site_dir / top, Path(KEPT) / top
        try:
            if link.is_symlink() and Path(os.readlink(link)) == relative:
                return True
            if not link.exists() and not link.is_symlink():
                (site_dir / relative).mkdir(parents=True, exist_ok=True)
                link.symlink_to(relative, target_is_directory=True)
                return True
        except OSError:
            pass
        self.written = {p: d for p, d in self.written.items() if not p.startswith(top + "/")}
        return False


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


_SERVING: list[ServeStore] = []  # the store of a `mkdocs serve` process


def serve_store(start: bool = False) -> ServeStore | None:
    """The store kept between the rebuilds of `mkdocs serve` (which re-imports the hook for
    each rebuild, but not this package); ``start`` creates it. None outside `serve`."""
    if start and not _SERVING:
        _SERVING.append(ServeStore())
    return _SERVING[0] if _SERVING else None


def page_digests(papers, salt: str, store: ServeStore) -> dict[str, bytes]:
    """A digest per paper of everything its page is made from (``papers``: site.PaperPages):
    the paper, the papers it links to, where its card is listed, its BibTeX and references,
    the taxonomy, the layout, the templates and ``salt`` (the shell)."""
    layout = papers.bodies.layout
    base = hashlib.blake2b(repr((salt, papers.catalog.taxonomy, papers.use_directory_urls,
                                 sorted(layout.category_uri.items()),
                                 _templates_source())).encode(), digest_size=16).digest()
    refs = papers.references or {}
    own = {p.key: hashlib.blake2b(store.digest(p) + repr(
        (papers.bibtex.get(p.key), [r.get(p.key) for r in refs.values()],
         layout.paper_uri.get(p.key))).encode(), digest_size=16).digest()
        for p in papers.catalog.papers}
    out = {}
    for p in papers.catalog.papers:
        related = papers.relations.of(p)
        out[p.key] = hashlib.blake2b(
            base + own[p.key] + b"".join(own[q.key] for ps in related.values() for q in ps)
            + repr([len(ps) for ps in related.values()]).encode(), digest_size=16).digest()
    return out


def fingerprint(paper) -> tuple:
    """A paper's values without the line numbers of its entry, which an edit above it
    shifts and no page shows."""
    raw = paper.raw
    values = tuple(getattr(paper, f.name) for f in fields(paper) if f.name != "raw")
    return values, raw.key, raw.entry_type, tuple((f.name, f.value) for f in raw.fields)


def cards_digest(taxonomy, use_directory_urls: bool) -> bytes:
    """A digest of what every card is made from besides its paper and the page's root."""
    return hashlib.blake2b(repr((taxonomy, use_directory_urls, _templates_source())).encode(),
                           digest_size=16).digest()


def _templates_source() -> str:
    folder = Path(__file__).parent / "templates"
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.jinja")))
