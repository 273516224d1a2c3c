"""Shared helpers: build sites with the real `mkdocs build --strict`, parse their HTML."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
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


@dataclass
class Build:
    returncode: int
    log: str
    site: Path


def mkdocs_build(config_file: Path, site_dir: Path) -> Build:
    """Run the real `mkdocs build --strict` and return its exit code and log."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
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
    """The real site, built once per test session with --strict."""
    site_dir = tmp_path_factory.mktemp("real") / "site"
    return mkdocs_build(ROOT / "mkdocs.yml", site_dir)
