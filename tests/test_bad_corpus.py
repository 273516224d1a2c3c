"""Every bad library in tests/bad/ gives exactly its expected messages, from the command
and from `mkdocs build --strict`, and never a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI_CONFIG, mkdocs_build
from gradleak import cli
from gradleak.catalog import load_catalog

BAD = sorted((Path(__file__).parent / "bad").glob("*.bib"))
EXPECT = re.compile(rb"^% expect: (.*)$", re.MULTILINE)
CLEAN_DEFENSES = """@misc{clean2021defense,
  title = {A Clean Defense},
  author = {Doe, John},
  year = {2021},
  keywords = {differential-privacy},
}
"""


def expected_of(path: Path) -> set[str]:
    return {f"bib/attacks.bib:{m.decode()}" for m in EXPECT.findall(path.read_bytes())}


def library_with(tmp_path: Path, bad: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", site)
    (site / "mkdocs.yml").write_text(MINI_CONFIG)
    shutil.copy(bad, site / "bib" / "attacks.bib")
    (site / "bib" / "defenses.bib").write_text(CLEAN_DEFENSES)
    return site


def test_the_corpus_covers_every_problem_the_issue_names():
    names = {p.stem for p in BAD}
    assert {"unparsable", "unbalanced-braces", "duplicate-key", "duplicate-field", "same-doi",
            "same-arxiv", "same-title", "missing-required", "unknown-field", "malformed-year",
            "malformed-url", "malformed-doi", "malformed-arxiv", "unknown-tag",
            "dangling-relation", "invalid-utf8", "empty-tldr"} <= names
    assert all(expected_of(p) for p in BAD)


@pytest.mark.parametrize("bad", BAD, ids=[p.stem for p in BAD])
def test_library_check_reports_exactly_the_expected_problems(tmp_path, bad):
    site = library_with(tmp_path, bad)
    catalog = load_catalog(site / "bib")
    assert {str(d) for d in catalog.diagnostics} == expected_of(bad)


@pytest.mark.parametrize("bad", BAD, ids=[p.stem for p in BAD])
def test_command_prints_them_and_exits_1(tmp_path, bad, capsys, monkeypatch):
    site = library_with(tmp_path, bad)
    monkeypatch.chdir(site)
    assert cli.main(["check"]) == 1
    out, err = capsys.readouterr()
    assert set(out.splitlines()) == expected_of(bad)
    assert re.search(r"gradleak check: \d+ entries, \d+ problem\(s\)", err)


#: The strict build and the installed command run the same package code as the tests above;
#: two real runs each prove the wiring (a parse failure and a library-wide problem).
WIRING = [p for p in BAD if p.stem in ("unparsable", "same-doi")]


@pytest.mark.parametrize("bad", WIRING, ids=[p.stem for p in WIRING])
def test_the_real_command_prints_them_without_a_traceback(tmp_path, bad):
    site = library_with(tmp_path, bad)
    proc = subprocess.run([sys.executable, "-m", "gradleak", "check"], cwd=site,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert set(proc.stdout.splitlines()) == expected_of(bad)
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("bad", WIRING, ids=[p.stem for p in WIRING])
def test_strict_build_fails_with_them(tmp_path, bad):
    site = library_with(tmp_path, bad)
    build = mkdocs_build(site / "mkdocs.yml", site / "out")
    assert build.returncode == 1
    for message in expected_of(bad):
        assert message in build.log
    assert "Traceback" not in build.log
