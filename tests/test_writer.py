"""The downloads and paper pages written by a second process (writer.py): the same files as
one process writes, errors raised again with their message, no process left behind."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from conftest import SITE_BIB, mkdocs_build, site_with_library
from gradleak import read_settings, timing, writer
from gradleak.shell import SHELL_KEY
from gradleak.site import build_site
from gradleak.writer import PaperWriter

SHELL = (f"<html><head><title>zzgltitle<i></i>zz</title><link href='/paper/{SHELL_KEY}/'>"
         '<meta name="zzglmetazz" content=""></head><body><h1>zzglcontentzz</h1></body></html>')


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def two_cpus(monkeypatch):
    """Fork even where the machine running the tests has one usable CPU."""
    monkeypatch.setattr(writer, "usable_cpus", lambda: 2)


def written(tmp_path: Path, name: str, processes: int, shell: str = SHELL, **changes):
    site = build_site(SITE_BIB)
    for uri, make in changes.items():
        site.downloads._files[uri] = make
    out = tmp_path / name
    timing.reset()
    paper_writer = PaperWriter(site, out, processes=processes)
    paper_writer.start()
    paper_writer.shell(shell)
    count = paper_writer.finish()
    return paper_writer, count, out


def test_two_processes_write_the_files_one_writes(tmp_path, two_cpus):
    one, count_one, alone = written(tmp_path, "one", 1)
    two, count_two, shared = written(tmp_path, "two", 2)
    assert not one.forked and two.forked and "worker" in timing.PHASES  # it did fork
    assert count_one == count_two == len(build_site(SITE_BIB).catalog.papers) > 0
    assert files(alone) == files(shared)
    assert any(p.startswith("downloads/papers/") for p in files(shared))
    assert two.pid is None  # waited for


def test_an_error_in_the_worker_is_raised_with_its_message(tmp_path, two_cpus):
    def broken():
        raise ValueError("bib/attacks.bib:12: key zhu2019deep: a field the export cannot use")

    with pytest.raises(ValueError, match=r"bib/attacks\.bib:12: key zhu2019deep") as raised:
        written(tmp_path, "broken", 2, **{"downloads/gradleak.bib": broken})
    assert any("in the process writing downloads" in note for note in raised.value.__notes__)


def test_a_shell_that_cannot_be_filled_writes_downloads_and_no_paper_page(tmp_path, two_cpus):
    for processes in (1, 2):
        paper_writer, count, out = written(tmp_path, f"noshell{processes}", processes,
                                           shell="<html><body>no content slot</body></html>")
        assert count == 0 and paper_writer.error is not None
        assert (out / "downloads" / "gradleak.bib").exists()
        assert not (out / "paper").exists()


def test_a_failed_build_ends_the_worker(tmp_path, two_cpus):
    site = build_site(SITE_BIB)
    paper_writer = PaperWriter(site, tmp_path / "site", processes=2)
    paper_writer.start()
    pid = paper_writer.pid
    paper_writer.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # ended and reaped: no child left


def test_one_process_where_forking_is_not_wanted(monkeypatch):
    site = build_site(SITE_BIB)
    assert not PaperWriter(site, "x").forked  # the default
    assert not PaperWriter(site, "x", processes=1).forked
    assert not PaperWriter(site, "x", processes=2, store=object()).forked  # mkdocs serve
    monkeypatch.setattr(writer, "usable_cpus", lambda: 1)
    assert not PaperWriter(site, "x", processes=2).forked


@pytest.mark.parametrize("value", [0, 3, "2", True, "auto"])
def test_a_bad_processes_setting_is_reported(value):
    settings, problems = read_settings({"gradleak": {"processes": value}})
    assert settings.processes == 1
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
