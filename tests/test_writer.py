"""The files the package writes (writer.py), created on disk by a second process (sink.py):
the same files as one process writes, errors raised naming the file, no process left
behind."""

from __future__ import annotations

import gzip
import os
import signal
from pathlib import Path

import pytest
from conftest import SITE_BIB, mkdocs_build, site_with_library
from gradleak import read_settings, sink
from gradleak.shell import SHELL_KEY
from gradleak.sink import DirectSink, ProcessSink, SinkError, open_sink
from gradleak.site import build_site
from gradleak.writer import PaperWriter

SHELL = (f"<html><head><title>zzgltitle<i></i>zz</title><link href='/paper/{SHELL_KEY}/'>"
         '<meta name="zzglmetazz" content=""></head><body><h1>zzglcontentzz</h1></body></html>')


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def two_cpus(monkeypatch):
    """A second process even where the machine running the tests has one usable CPU."""
    monkeypatch.setattr(sink, "_usable_cpus", lambda: 2)


def written(tmp_path: Path, name: str, processes: int, shell: str = SHELL):
    site = build_site(SITE_BIB)
    out = tmp_path / name
    paper_writer = PaperWriter(site, out, processes=processes)
    paper_writer.start()
    used = type(paper_writer.sink)
    paper_writer.shell(shell)
    count = paper_writer.finish()
    return paper_writer, used, count, out


def test_two_processes_write_the_files_one_writes(tmp_path, two_cpus):
    _, one_sink, count_one, alone = written(tmp_path, "one", 1)
    _, two_sink, count_two, shared = written(tmp_path, "two", 2)
    assert one_sink is DirectSink and two_sink is ProcessSink  # a helper did write them
    assert count_one == count_two == len(build_site(SITE_BIB).catalog.papers) > 0
    assert files(alone) == files(shared)
    assert any(p.startswith("downloads/papers/") for p in files(shared))
    assert any(p.startswith("paper/") for p in files(shared))


def sample_files() -> dict[str, bytes]:
    """Nested and new folders, a name outside ASCII, an empty file, one larger than what
    is handed to the pipe at once, and many small ones."""
    out = {"a/b/c/deep.txt": b"deep", "caf\u00e9/\u00fcber.bib": "\u00e9".encode(),
           "empty.txt": b"", "big.bin": bytes(range(256)) * 9000}
    out.update({f"many/{i:04d}/index.html": f"<p>{i}</p>".encode() * 50 for i in range(800)})
    return out


@pytest.mark.parametrize("processes", [1, 2])
def test_a_sink_writes_every_file_as_given(tmp_path, two_cpus, processes):
    given = sample_files()
    out = open_sink(processes)
    assert isinstance(out, ProcessSink if processes == 2 else DirectSink)
    for path, data in given.items():
        out.write(os.fspath(tmp_path / path), data)
    assert out.close() == len(given)
    assert files(tmp_path) == given


def test_one_process_where_a_second_is_not_wanted_or_of_no_use(monkeypatch):
    site = build_site(SITE_BIB)
    assert PaperWriter(site, "x").processes == 2  # the default
    assert PaperWriter(site, "x", processes=2, store=object()).processes == 1  # mkdocs serve
    monkeypatch.setattr(sink, "_usable_cpus", lambda: 1)
    assert isinstance(open_sink(2), DirectSink)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_file_that_cannot_be_written_is_named(tmp_path, two_cpus, processes):
    (tmp_path / "downloads").write_text("a file where the folder should be")
    out = open_sink(processes)
    with pytest.raises(OSError) as raised:
        out.write(os.fspath(tmp_path / "downloads" / "gradleak.bib"), b"@misc{x,}\n")
        for i in range(2000):  # the helper reads on after its error: no broken pipe here
            out.write(os.fspath(tmp_path / "paper" / f"p{i}" / "index.html"), b"x" * 2000)
        out.close()
    assert "downloads/gradleak.bib" in str(raised.value)
    if processes == 2:
        assert isinstance(raised.value, SinkError)  # not a broken pipe: its own message


def test_a_shell_that_cannot_be_filled_writes_downloads_and_no_paper_page(tmp_path, two_cpus):
    for processes in (1, 2):
        paper_writer, _, count, out = written(tmp_path, f"noshell{processes}", processes,
                                              shell="<html><body>no content slot</body></html>")
        assert count == 0 and paper_writer.error is not None
        assert (out / "downloads" / "gradleak.bib").exists()
        assert not (out / "paper").exists()


def test_a_failed_build_ends_the_helper(tmp_path, two_cpus):
    site = build_site(SITE_BIB)
    paper_writer = PaperWriter(site, tmp_path / "site", processes=2)
    paper_writer.start()
    helper = paper_writer.sink._process
    paper_writer.stop()
    assert helper.returncode is not None and paper_writer.sink is None  # ended and reaped


def test_an_aborted_sink_leaves_no_process_or_thread_even_with_a_full_queue(tmp_path, two_cpus,
                                                                          monkeypatch):
    monkeypatch.setattr(sink, "_MAX_QUEUED", 2)
    out = open_sink(2)
    out._process.send_signal(signal.SIGSTOP)  # the helper reads nothing: the pipe fills
    for i in range(3):  # one chunk blocked in the pipe, two waiting: the queue is full
        out.write(os.fspath(tmp_path / f"f{i}"), b"x" * (1 << 20))
    out.abort()
    assert out._process.returncode is not None  # killed and reaped
    assert not out._feeder.is_alive()  # the feeder saw the end mark


@pytest.mark.parametrize("value", [0, 3, "2", True, "auto"])
def test_a_bad_processes_setting_is_reported(value):
    settings, problems = read_settings({"gradleak": {"processes": value}})
    assert settings.processes == 2
    assert [str(p) for p in problems] and "extra.gradleak.processes must be 1 or 2" in str(
        problems[0])


def test_the_real_site_built_by_two_processes_equals_one_process_build(tmp_path):
    """The real configuration around the fixture library: `mkdocs build --strict` with
    processes 1 and 2 writes the same files, byte for byte (the sitemap's .gz unpacked)."""
    config = site_with_library(tmp_path / "src", SITE_BIB)
    one = mkdocs_build(config, tmp_path / "one", GRADLEAK_PROCESSES="1")
    two = mkdocs_build(config, tmp_path / "two", GRADLEAK_PROCESSES="2")
    assert one.returncode == 0, one.log
    assert two.returncode == 0, two.log
    left, right = files(one.site), files(two.site)
    assert left.keys() == right.keys()
    packed = "sitemap.xml.gz"
    assert gzip.decompress(left.pop(packed)) == gzip.decompress(right.pop(packed))
    assert [k for k in left if left[k] != right[k]] == []
