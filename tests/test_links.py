"""`gradleak links` against recorded answers (tests/fake_network.py): no network. One test
asks a local server on 127.0.0.1, to see what urllib itself does with HEAD and redirects."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fake_network import RecordedLinks
from gradleak import links
from gradleak.cli import build_parser, main

LIBRARY = """\
@inproceedings{doe2021gradient,
  title         = {Gradient Inversion of Toy Models},
  author        = {Doe, Jane},
  booktitle     = {Proceedings of Something},
  year          = {2021},
  doi           = {10.5555/12345678},
  url           = {https://example.org/paper/doe},
  keywords      = {optimization},
  code          = {https://github.com/doe/gone},
  added         = {2026-11},
}

@misc{lee2020third,
  title         = {A Third Example of Leakage},
  author        = {Lee, Kim},
  year          = {2020},
  url           = {https://example.org/paper/lee},
  keywords      = {optimization},
  code          = {https://github.com/lee/leak},
  added         = {2026-11},
}

@misc{roe2020leakage,
  title         = {Leakage and Defense},
  author        = {Roe, Richard},
  year          = {2020},
  keywords      = {optimization},
  code          = {https://github.com/lee/leak},
  added         = {2026-11},
}
"""
DOI = "https://doi.org/10.5555/12345678"
GOOD = {DOI: (200, "https://publisher.example/article/12345678"),
        "https://example.org/paper/doe": 200, "https://example.org/paper/lee": 200,
        "https://github.com/doe/gone": 200, "https://github.com/lee/leak": 200}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(method, url, timeout):
        raise AssertionError(f"a test tried the network: {method} {url}")
    monkeypatch.setattr(links, "_urllib", refuse)
    monkeypatch.setattr(links, "_sleep", lambda seconds: None)


@pytest.fixture
def site(mini_site, monkeypatch):
    (mini_site / "bib" / "attacks.bib").write_text(LIBRARY)
    for name in ("defenses.bib", "surveys.bib"):
        (mini_site / "bib" / name).write_text("")
    monkeypatch.chdir(mini_site)
    return mini_site


def network(monkeypatch, answers) -> RecordedLinks:
    recorded = RecordedLinks(answers)
    monkeypatch.setattr(links, "_urllib", recorded)
    return recorded


def test_all_links_fine(site, monkeypatch, capsys):
    recorded = network(monkeypatch, GOOD)
    assert main(["links"]) == 0
    out = capsys.readouterr()
    assert out.out == ""
    err = out.err.splitlines()
    assert err[0] == "gradleak links: checking 6 links (5 addresses) of 3 entries"
    assert err[-1].startswith("gradleak links: 6 links of 3 entries: 0 broken, 0 not checked, ")
    # each address once (two entries share a code link), HEAD only when HEAD succeeds
    assert sorted(recorded.asked) == sorted(f"HEAD {url}" for url in GOOD)


def test_broken_links_name_file_line_key_field_and_status(site, monkeypatch, capsys):
    network(monkeypatch, {**GOOD, "https://github.com/doe/gone": 404,
                          "https://github.com/lee/leak": 410,
                          DOI: (404, DOI)})
    assert main(["links"]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "bib/attacks.bib:6: doe2021gradient: doi https://doi.org/10.5555/12345678: HTTP 404",
        "bib/attacks.bib:9: doe2021gradient: code https://github.com/doe/gone: HTTP 404",
        "bib/attacks.bib:19: lee2020third: code https://github.com/lee/leak: HTTP 410",
        "bib/attacks.bib:28: roe2020leakage: code https://github.com/lee/leak: HTTP 410",
    ]
    assert out.err.splitlines()[-1].startswith(
        "gradleak links: 6 links of 3 entries: 4 broken, 0 not checked, ")


def test_head_refused_falls_back_to_get(site, monkeypatch, capsys):
    recorded = network(monkeypatch, {**GOOD, "HEAD https://example.org/paper/doe": 405,
                                     "GET https://example.org/paper/doe": 200,
                                     "HEAD https://github.com/doe/gone": 404,
                                     "GET https://github.com/doe/gone": 404})
    assert main(["links"]) == 1
    assert capsys.readouterr().out == (
        "bib/attacks.bib:9: doe2021gradient: code https://github.com/doe/gone: HTTP 404\n")
    assert recorded.asked.count("GET https://example.org/paper/doe") == 1
    assert "GET https://example.org/paper/lee" not in recorded.asked


def test_a_redirect_to_a_missing_page_says_where_it_ended(site, monkeypatch, capsys):
    network(monkeypatch, {**GOOD, "https://example.org/paper/lee": (
        404, "https://example.org/not-found")})
    assert main(["links"]) == 1
    assert capsys.readouterr().out == (
        "bib/attacks.bib:17: lee2020third: url https://example.org/paper/lee: HTTP 404 "
        "(redirected to https://example.org/not-found)\n")


def test_refusals_server_errors_and_timeouts_are_not_checked_not_broken(site, monkeypatch,
                                                                         capsys):
    recorded = network(monkeypatch, {
        **GOOD, DOI: (403, "https://publisher.example/article/12345678"),
        "https://example.org/paper/doe": [503, 503, 503, 503],
        "https://example.org/paper/lee": [urllib.error.URLError(TimeoutError("timed out")),
                                          urllib.error.URLError(TimeoutError("timed out")),
                                          200],
    })
    assert main(["links", "--timeout", "7"]) == 0
    out = capsys.readouterr()
    assert out.out == ""
    err = out.err.splitlines()
    assert ("  not checked: bib/attacks.bib:6: doe2021gradient: doi https://doi.org/10.5555/12345678: "
            "HTTP 403: the site refuses automated requests (redirected to "
            "https://publisher.example/article/12345678)") in err
    assert ("  not checked: bib/attacks.bib:7: doe2021gradient: url https://example.org/paper/doe: "
            "HTTP 503: a server error") in err
    assert err[-1].startswith("gradleak links: 6 links of 3 entries: 0 broken, 2 not checked, ")
    # a 503 and a timeout are tried again (HEAD, GET twice); a 403 is not
    assert recorded.asked.count("GET https://example.org/paper/doe") == 2
    assert recorded.asked.count(f"HEAD {DOI}") == 1
    assert recorded.asked.count("HEAD https://example.org/paper/lee") == 2  # then it answered


def test_a_host_that_does_not_exist_is_broken(site, monkeypatch, capsys):
    nohost = urllib.error.URLError(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    recorded = network(monkeypatch, {**GOOD, "https://github.com/doe/gone": nohost})
    assert main(["links"]) == 1
    assert capsys.readouterr().out == (
        "bib/attacks.bib:9: doe2021gradient: code https://github.com/doe/gone: no such host\n")
    assert recorded.asked.count("HEAD https://github.com/doe/gone") == 1
    assert "GET https://github.com/doe/gone" not in recorded.asked


def test_offline_says_so_and_reports_nothing_broken(site, monkeypatch, capsys):
    offline = urllib.error.URLError(socket.gaierror(socket.EAI_AGAIN,
                                                    "Temporary failure in name resolution"))
    network(monkeypatch, dict.fromkeys(GOOD, offline))
    assert main(["links"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines()[-1] == (
        "gradleak links: no server answered for any of the 5 addresses (e.g. cannot connect "
        "([Errno -3] Temporary failure in name resolution)): is this machine offline?")


def test_json_output(site, monkeypatch, capsys):
    network(monkeypatch, {**GOOD, "https://github.com/doe/gone": 404,
                          "https://example.org/paper/lee": 429})
    assert main(["links", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["links"], report["entries"]) == (6, 3)
    assert report["broken"] == [{"file": "bib/attacks.bib", "line": 9, "key": "doe2021gradient",
                                 "field": "code", "url": "https://github.com/doe/gone",
                                 "status": 404, "reason": "HTTP 404", "redirected_to": None}]
    assert [(n["key"], n["status"]) for n in report["not_checked"]] == [("lee2020third", 429)]


def test_keys_and_fields_limit_the_check(site, monkeypatch, capsys):
    recorded = network(monkeypatch, GOOD)
    assert main(["links", "--keys", "lee2020third", "--fields", "code"]) == 0
    assert recorded.asked == ["HEAD https://github.com/lee/leak"]
    assert main(["links", "--keys", "nobody2020"]) == 2
    assert "nobody2020: no such entry in the library" in capsys.readouterr().err
    assert main(["links", "--fields", "code,cheked"]) == 2
    assert "--fields: unknown field 'cheked' (fields: url, code, doi, checked)" in capsys.readouterr().err


def test_the_pages_an_entry_was_checked_against_are_asked_on_request(site, monkeypatch, capsys):
    """The evidence rule rests on `checked`: those pages rot too (opt-in: many per entry)."""
    attacks = site / "bib" / "attacks.bib"
    attacks.write_text(attacks.read_text().replace(
        "  added         = {2026-11},\n}\n\n@misc{lee2020third,",
        "  added         = {2026-11},\n  checked       = {https://dblp.org/rec/x; "
        "https://example.org/gone},\n}\n\n@misc{lee2020third,", 1))
    recorded = network(monkeypatch, {"https://dblp.org/rec/x": 200, "https://example.org/gone": 404})
    assert main(["links", "--fields", "checked"]) == 1
    assert capsys.readouterr().out == (
        "bib/attacks.bib:11: doe2021gradient: checked https://example.org/gone: HTTP 404\n")
    assert "HEAD https://github.com/doe/gone" not in recorded.asked  # not asked by default


def test_outside_a_site_it_says_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["links"]) == 2
    assert "no bib/taxonomy.yml" in capsys.readouterr().err


def test_at_most_two_requests_at_a_time_per_host():
    busy: dict[str, int] = {}
    most: dict[str, int] = {}
    guard = threading.Lock()

    def slow(method, url, timeout):
        host = url.split("/")[2]
        with guard:
            busy[host] = busy.get(host, 0) + 1
            most[host] = max(most.get(host, 0), busy[host])
        time.sleep(0.01)
        with guard:
            busy[host] -= 1
        return 200, url

    many = [links.Link("bib/a.bib", i, f"k{i}", "url", f"https://{host}/{i}")
            for i in range(12) for host in ("a.example", "b.example")]
    outcomes = links.check_links(many, slow, workers=8, say=lambda message: None)
    assert len(outcomes) == 24 and all(o.verdict == "ok" for o in outcomes.values())
    assert most == {"a.example": 2, "b.example": 2}


def test_help_shows_examples():
    links_help = build_parser()._subparsers._group_actions[0].choices["links"].format_help()
    assert "gradleak links --keys" in links_help and "Exits 1 when a link is broken" in links_help


class _Server(BaseHTTPRequestHandler):
    """/moved -> /here; /here answers 200; /nohead refuses HEAD (405); anything else 404."""

    def log_message(self, *args):
        pass

    def _answer(self):
        self.server.asked.append(f"{self.command} {self.path}")
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/here")
        elif self.path == "/here" or (self.path == "/nohead" and self.command == "GET"):
            self.send_response(200)
        elif self.path == "/nohead":
            self.send_response(405)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer


def test_urllib_keeps_head_across_redirects_and_falls_back_to_get(monkeypatch):
    """The real transport, against a server on 127.0.0.1 (urllib turns a redirected HEAD
    into a GET unless told not to)."""
    monkeypatch.undo()  # the real links._urllib
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    server.asked = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert links._urllib("HEAD", f"{base}/moved", 5) == (200, f"{base}/here")
        assert server.asked == ["HEAD /moved", "HEAD /here"]
        ok = links.check_url(f"{base}/nohead", links._urllib, 5)
        assert (ok.verdict, ok.status) == ("ok", 200)
        gone = links.check_url(f"{base}/gone", links._urllib, 5)
        assert (gone.verdict, gone.reason) == ("broken", "HTTP 404")
    finally:
        server.shutdown()


def _git(folder: Path, *args: str) -> None:
    import subprocess
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=folder, check=True, capture_output=True)


def test_since_asks_only_what_a_pull_request_added_or_changed(site, monkeypatch, capsys):
    _git(site, "init", "-q")
    _git(site, "add", "-A")
    _git(site, "commit", "-qm", "base")
    attacks = site / "bib" / "attacks.bib"
    attacks.write_text(attacks.read_text().replace("https://github.com/doe/gone",
                                                   "https://github.com/doe/moved"))
    recorded = network(monkeypatch, {"https://github.com/doe/moved": 404})
    assert main(["links", "--since", "HEAD"]) == 1
    out = capsys.readouterr()
    assert recorded.asked == ["HEAD https://github.com/doe/moved", "GET https://github.com/doe/moved"]
    assert out.out == "bib/attacks.bib:9: doe2021gradient: code https://github.com/doe/moved: HTTP 404\n"
    assert "gradleak links: 5 links unchanged since HEAD: not asked" in out.err
    assert main(["links", "--since", "no-such-ref"]) == 2
    assert "gradleak links: --since no-such-ref: " in capsys.readouterr().err


@pytest.mark.parametrize("status", [400, 406, 418, 451])
def test_other_client_errors_are_not_taken_for_a_missing_page(site, monkeypatch, capsys, status):
    """Anti-robot walls answer 400, 406, 418...: a broken link is one the server says is
    not there (404, 410); the weekly issue must not fill with pages that open in a browser."""
    network(monkeypatch, {**GOOD, "https://github.com/doe/gone": status})
    assert main(["links"]) == 0
    out = capsys.readouterr()
    assert out.out == ""
    assert (f"  not checked: bib/attacks.bib:9: doe2021gradient: code https://github.com/doe/gone: "
            f"HTTP {status}: not an answer about the page (open it in a browser)") in out.err.splitlines()
