"""The weekly links workflow's shell steps, run with stand-ins for `gradleak` and `gh`."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "links.yml"


def _stub(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/bash\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _run_steps(tmp_path: Path, status: int, broken: str, open_issue: str) -> tuple[int, str]:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["links"]["steps"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir, "gradleak", f"printf '%s' {broken!r}\n"
          "echo '  not checked: bib/a.bib:3: k: url https://x.org: HTTP 403' >&2\n"
          "echo 'gradleak links: 2 links of 1 entries: summary' >&2\n"
          f"exit {status}\n")
    _stub(bin_dir, "gh", 'echo "gh $*" >> "$GH_LOG"\n'
          f'if [ "$1 $2" = "issue list" ]; then echo {open_issue!r}; fi\n')
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GH_LOG": str(tmp_path / "gh.log"),
           "GITHUB_OUTPUT": str(tmp_path / "output"), "TITLE": "Broken links in the library",
           "RUN_URL": "https://example.org/run"}
    for step in steps:
        if "run" not in step or "pip install" in step["run"]:
            continue
        proc = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=60)
        if proc.returncode:
            return proc.returncode, ""
    log = tmp_path / "gh.log"
    return 0, log.read_text() if log.exists() else ""


@pytest.mark.parametrize(("status", "broken", "open_issue", "expected"), [
    (1, "bib/a.bib:2: k: code https://x.org/gone: HTTP 404\n", "", ["issue list", "issue create"]),
    (1, "bib/a.bib:2: k: code https://x.org/gone: HTTP 404\n", "7", ["issue list", "issue edit 7"]),
    (0, "", "7", ["issue list", "issue edit 7", "issue close 7"]),
    (0, "", "", ["issue list"]),
])
def test_the_issue_is_opened_updated_or_closed(tmp_path, status, broken, open_issue, expected):
    code, calls = _run_steps(tmp_path, status, broken, open_issue)
    assert code == 0
    commands = []
    for line in calls.splitlines():
        words = line.split()[1:]  # "gh issue edit 7 --body-file body.md" -> "issue edit 7"
        cut = next((i for i, w in enumerate(words) if w.startswith("--")), len(words))
        commands.append(" ".join(words[:cut]))
    assert commands == expected
    body = (tmp_path / "body.md").read_text()
    assert "Summary: gradleak links: 2 links of 1 entries: summary" in body
    assert ("bib/a.bib:2: k: code https://x.org/gone: HTTP 404" in body) == bool(broken)
    assert "bib/a.bib:3: k: url https://x.org: HTTP 403" in body  # in the not-checked block


def test_the_job_fails_when_the_check_could_not_run(tmp_path):
    assert _run_steps(tmp_path, 2, "", "")[0] != 0
