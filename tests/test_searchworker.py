"""The theme's search worker is patched in the built site: lunr's word-graph node names
(label + child id, no separator) collide for digit labels and words vanish from the index."""

from __future__ import annotations

import shutil
from pathlib import Path

import material
from gradleak.searchworker import patch_search_worker

WORKERS = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"


def site_with_worker(tmp_path: Path) -> Path:
    folder = tmp_path / "site" / "assets" / "javascripts" / "workers"
    folder.mkdir(parents=True)
    for worker in WORKERS.glob("search.*.min.js"):
        shutil.copy(worker, folder / worker.name)
    return tmp_path / "site"


def test_the_themes_worker_gets_a_separator_after_each_child_id(tmp_path):
    site = site_with_worker(tmp_path)
    changed = patch_search_worker(site)
    assert [p.name for p in changed] == [p.name for p in sorted(WORKERS.glob("search.*.min.js"))]
    text = changed[0].read_text()
    assert 'e=e+s+o.id+","}return e}' in text and "e=e+s+o.id}return e}" not in text
    assert patch_search_worker(site) == []  # once only
    assert changed[0].read_text() == text


def test_a_worker_without_that_code_is_left_alone(tmp_path):
    folder = tmp_path / "assets" / "javascripts" / "workers"
    folder.mkdir(parents=True)
    (folder / "search.0000.min.js").write_text("var x = 1;")
    assert patch_search_worker(tmp_path) == []
    assert (folder / "search.0000.min.js").read_text() == "var x = 1;"
