"""The package stands on its own: no MkDocs import, settings checked in the package."""

from __future__ import annotations

import subprocess
import sys

from gradleak import LIST_LIMIT, read_settings


def test_importing_the_package_and_building_never_imports_mkdocs(tmp_path):
    code = ("import sys, gradleak, gradleak.cli\n"
            "from gradleak.site import build_site\n"
            "build_site('tests/fixtures/mini/bib')\n"
            "bad = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.')"
            " or m.startswith('material'))\n"
            "print(bad)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_settings_are_read_and_bad_values_reported():
    settings, problems = read_settings({"gradleak": {"list_limit": 5,
                                                     "site_url": "https://x.org/p/"}})
    assert (settings.list_limit, settings.site_url, problems) == (5, "https://x.org/p/", [])
    settings, problems = read_settings({"gradleak": {"list_limit": True, "site_url": "x.org",
                                                     "list_limt": 3}})
    assert settings.list_limit == LIST_LIMIT and settings.site_url is None
    assert [str(p) for p in problems] == [
        "mkdocs.yml: extra.gradleak.list_limit must be a whole number >= 1, not True",
        "mkdocs.yml: extra.gradleak.site_url must be an http(s) URL, not 'x.org'",
        "mkdocs.yml: extra.gradleak.list_limt is not a setting (known: list_limit, site_url, "
        "paper_pages, processes)",
    ]
    settings, problems = read_settings({"gradleak": {"paper_pages": "theme"}})
    assert (settings.paper_pages, problems) == ("theme", [])
    settings, problems = read_settings({"gradleak": {"paper_pages": "fast"}})
    assert settings.paper_pages == "shell" and [str(p) for p in problems] == [
        "mkdocs.yml: extra.gradleak.paper_pages must be one of shell, theme, not 'fast'"]
    assert read_settings(None) == read_settings({}) == read_settings({"other": 1})
    from collections import UserDict  # MkDocs hands `extra` over as a Mapping, not a dict
    assert read_settings(UserDict({"gradleak": {"list_limit": 0}}))[1]
    assert [str(p) for p in read_settings({"gradleak": [1]})[1]] == [
        "mkdocs.yml: extra.gradleak must be a mapping of settings"]
