"""Golden tests: a small fixture library (tests/golden/bib: every entry type, LaTeX,
relations, split lists, a ledger) rendered by the package and compared byte for byte with
tests/golden/expected/.

After an intended change of the output, regenerate the files and review the diff:

    python -m pytest tests/test_golden.py --update-golden
    git diff tests/golden/expected
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from gradleak.catalog import load_catalog
from gradleak.site import build_site

GOLDEN = Path(__file__).resolve().parent / "golden"
EXPECTED = GOLDEN / "expected"
LIST_LIMIT = 2  # small enough to split every group and the All papers list


def _page_text(page) -> str:
    """A generated page as one text: its Markdown, then each fragment, then the rest."""
    parts = [page.markdown]
    for field in dataclasses.fields(page):
        value = getattr(page, field.name)
        if field.name == "markdown":
            continue
        if field.name == "fragments":
            for marker in sorted(value):
                parts.append(f"\n<!-- golden: fragment {marker} -->\n{value[marker]}")
        else:
            parts.append(f"\n<!-- golden: {field.name} -->\n"
                         + json.dumps(value, ensure_ascii=False, indent=1, default=list))
    return "".join(parts)


def outputs() -> dict[str, str]:
    """Every file the golden library produces, by path under tests/golden/expected."""
    site = build_site(GOLDEN / "bib", site_name="Golden", site_url="https://example.org/g/",
                      list_limit=LIST_LIMIT)
    files = {f"pages/{uri}": _page_text(page) for uri, page in site.all_pages().items()}
    files.update({f"downloads/{uri}": content for uri, content in site.downloads.items()})
    files["meta.json"] = json.dumps(site.meta, ensure_ascii=False, indent=1, sort_keys=True)
    broken = load_catalog(GOLDEN / "broken" / "bib")
    files["diagnostics.txt"] = "".join(f"{d}\n" for d in broken.diagnostics)
    return files


def test_the_golden_library_builds_exactly_the_expected_files(request):
    produced = outputs()
    if request.config.getoption("--update-golden"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for name, content in produced.items():
            path = EXPECTED / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        pytest.skip("golden files rewritten: review `git diff tests/golden/expected`")
    expected = {p.relative_to(EXPECTED).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(EXPECTED.rglob("*")) if p.is_file()}
    hint = ("; if the change is intended, run `python -m pytest tests/test_golden.py "
            "--update-golden` and review the diff")
    assert sorted(produced) == sorted(expected), "a different set of files" + hint
    for name in sorted(produced):
        assert produced[name] == expected[name], f"{name} differs{hint}"


def test_the_golden_library_itself_is_clean():
    catalog = load_catalog(GOLDEN / "bib")
    assert catalog.diagnostics == ()
    types = {p.entry_type for p in catalog.papers}
    assert types == {"article", "inproceedings", "incollection", "misc", "phdthesis",
                     "mastersthesis", "techreport", "book", "unpublished", "online"}
