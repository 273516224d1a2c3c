"""The files `mkdocs serve` keeps between rebuilds (gradleak/serve.py): kept through the
emptying of the site folder, written again only when changed, removed when no longer made,
and written in place when they cannot be kept. (A whole serve session against a fresh
build: tests/test_shell.py.)"""

from __future__ import annotations

from gradleak.serve import KEPT, ServeStore
from mkdocs.utils import clean_directory


def files(**texts: str):
    return [(f"paper/{name}", None, lambda t=text: t.encode()) for name, text in texts.items()]


def test_kept_files_survive_the_emptying_and_are_written_only_when_changed(tmp_path):
    store = ServeStore()
    assert store.write_all(tmp_path, "paper", files(a="1", b="2")) == 2
    assert (tmp_path / "paper").is_symlink() and (tmp_path / KEPT / "paper" / "a").is_file()
    clean_directory(str(tmp_path))  # what the front end does before every build
    assert (tmp_path / "paper" / "a").read_text() == "1"
    before = (tmp_path / "paper" / "b").stat().st_mtime_ns
    store.write_all(tmp_path, "paper", files(a="changed", b="2"))
    assert (tmp_path / "paper" / "a").read_text() == "changed"
    assert (tmp_path / "paper" / "b").stat().st_mtime_ns == before  # same bytes: not written
    store.write_all(tmp_path, "paper", files(b="2"))  # a is made no more
    assert not (tmp_path / "paper" / "a").exists() and (tmp_path / "paper" / "b").is_file()


def test_with_an_input_digest_an_unchanged_file_is_not_even_made(tmp_path):
    store, made = ServeStore(), []

    def make():
        made.append(1)
        return b"page"

    for _ in range(2):
        store.write_all(tmp_path, "paper", [("paper/x/index.html", b"digest", make)])
    assert len(made) == 1 and store.made == 0
    (tmp_path / "paper" / "x" / "index.html").unlink()  # gone from disk: made again
    store.write_all(tmp_path, "paper", [("paper/x/index.html", b"digest", make)])
    assert len(made) == 2 and (tmp_path / "paper" / "x" / "index.html").read_bytes() == b"page"


def test_without_a_link_files_are_written_in_place(tmp_path):
    (tmp_path / "paper").mkdir()  # something else made a real folder there
    store = ServeStore()
    for _ in range(2):
        assert store.write_all(tmp_path, "paper", files(a="1")) == 1
        assert store.made == 1  # not kept: made and written every time
    assert not (tmp_path / "paper").is_symlink()
    assert (tmp_path / "paper" / "a").read_text() == "1"
