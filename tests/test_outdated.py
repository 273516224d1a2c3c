"""`gradleak outdated` against recorded answers (tests/recorded): no network."""

from __future__ import annotations

import json
import urllib.error
from pathlib import Path

import pytest
from fake_network import Recorded
from gradleak import bib, fetch
from gradleak.catalog import load_catalog
from gradleak.cli import build_parser, main
from gradleak.outdated import arxiv_only, find_updates, updated_entry

HERE = Path(__file__).resolve().parent
RECORDED = HERE / "recorded"

LIBRARY = """\
@misc{doe2020gradient,
  title         = {Gradient Inversion of Toy Models: When $\\ell_2$ Matching Suffices},
  author        = {Doe, Jane and van der Berg, Jan},
  year          = {2020},
  eprint        = {2912.00001},
  archiveprefix = {arXiv},
  url           = {https://arxiv.org/abs/2912.00001},
  keywords      = {optimization},
  added         = {2026-11},
}

@misc{lee2020third,
  title         = {A Third Example of Leakage},
  author        = {Lee, Kim},
  year          = {2020},
  eprint        = {2912.00003},
  archiveprefix = {arXiv},
  keywords      = {optimization},
  added         = {2026-11},
}

@misc{older2020still,
  title         = {Still a Preprint},
  author        = {Older, Olga},
  year          = {2020},
  eprint        = {2912.00004},
  archiveprefix = {arXiv},
  keywords      = {optimization},
  added         = {2026-11},
}

@misc{roe2020leakage,
  title         = {Leakage \\& Defense in Example Federated Learning},
  author        = {Roe, Richard and Smith, Alice},
  year          = {2020},
  eprint        = {2912.00002},
  archiveprefix = {arXiv},
  keywords      = {optimization},
  added         = {2026-11},
}

@inproceedings{venue2021known,
  title         = {Already Published},
  author        = {Venue, Vera},
  booktitle     = {Proceedings of Something},
  year          = {2021},
  eprint        = {2912.00005},
  archiveprefix = {arXiv},
  keywords      = {optimization},
  added         = {2026-11},
}
"""

ANSWERS = {
    "export.arxiv.org/api/query?id_list=2912.00001,2912.00003,2912.00004,2912.00002": (200, "arxiv_batch.xml"),
    "api.crossref.org/works/10.5555/12345678": (200, "crossref_10.5555_12345678.json"),
    "dblp.org/search/publ/api?q=Gradient%20Inversion%20of%20Toy": (200, "dblp_search_toy.json"),
    "dblp.org/rec/conf/exconf/DoeB21.bib": (200, "dblp_rec_DoeB21.bib"),
    "dblp.org/search/publ/api?q=A%20Third%20Example": (200, "dblp_search_third.json"),
    "dblp.org/search/publ/api?q=Still%20a%20Preprint": (200, "dblp_search_none.json"),
}


@pytest.fixture
def site(mini_site, monkeypatch):
    (mini_site / "bib" / "attacks.bib").write_text(LIBRARY)
    for name in ("defenses.bib", "surveys.bib"):
        (mini_site / "bib" / name).write_text("")
    monkeypatch.chdir(mini_site)
    monkeypatch.setattr(fetch, "_sleep", lambda seconds: None)
    return mini_site


def network(monkeypatch, answers) -> Recorded:
    recorded = Recorded(answers)
    monkeypatch.setattr(fetch, "_urllib", recorded)
    return recorded


def test_only_arxiv_only_entries_are_asked_about(site):
    catalog = load_catalog(site / "bib")
    assert [p.key for p in arxiv_only(catalog)] == [
        "doe2020gradient", "lee2020third", "older2020still", "roe2020leakage"]


def test_suggestions_from_each_source(site, monkeypatch):
    papers = arxiv_only(load_catalog(site / "bib"))
    http = fetch.Http(transport=Recorded(ANSWERS), sleep=lambda s: None)
    suggestions, problems = find_updates(papers, http, delay=0)
    assert problems == []
    by_key = {s.key: s for s in suggestions}
    assert sorted(by_key) == ["doe2020gradient", "lee2020third", "roe2020leakage"]
    # arXiv names the DOI: Crossref's record
    roe = by_key["roe2020leakage"]
    assert roe.entry_type == "article"
    assert roe.fields == {"journal": "Journal of Examples", "volume": "12", "number": "3",
                          "pages": "45--67", "year": "2021", "publisher": "Example Society \\& Press",
                          "doi": "10.5555/12345678"}
    assert roe.sources[0] == "arXiv journal_ref: Journal of Examples 12(3), 45-67 (2021)"
    # dblp has a conference version (its CoRR copy is not one)
    doe = by_key["doe2020gradient"]
    assert (doe.entry_type, doe.sources) == ("inproceedings", ["dblp conf/exconf/DoeB21"])
    assert doe.fields == {"booktitle": "Proceedings of the Example Conference, ExConf 2021",
                          "pages": "11--20", "publisher": "Example Press", "year": "2021"}
    # only a journal reference: said, no fields made up
    lee = by_key["lee2020third"]
    assert (lee.entry_type, lee.fields, lee.diff) == (None, {}, "")
    assert lee.journal_ref == "Example Workshop on Privacy 2021"


def test_the_diff_changes_only_the_published_fields(site):
    raw = next(p.raw for p in load_catalog(site / "bib").papers if p.key == "roe2020leakage")
    new = updated_entry(raw, "article", {"journal": "J", "year": "2021"})
    assert new.entry_type == "article" and new.key == raw.key
    assert {f.name: f.value for f in new.fields} == {
        **{f.name: f.value for f in raw.fields}, "journal": "J", "year": "2021"}


def test_text_output_is_a_diff_per_entry(site, monkeypatch, capsys):
    network(monkeypatch, ANSWERS)
    assert main(["outdated", "--delay", "0"]) == 0
    out, err = capsys.readouterr()
    assert "--- bib/attacks.bib:32 (roe2020leakage)\n+++ suggested from arXiv journal_ref" in out
    assert "@@ -32,9 +32,15 @@" in out  # the whole entry, counted in the file
    assert "-@misc{roe2020leakage,\n+@article{roe2020leakage," in out
    assert "+  journal       = {Journal of Examples}," in out
    assert "-  year          = {2020},\n" in out and "+  year          = {2021},\n" in out
    assert "# bib/attacks.bib:12 (lee2020third): arXiv says it appeared in 'Example Workshop on Privacy 2021'" in out
    assert "older2020still" not in out
    assert "4 checked, 3 with a published version, 0 not checked" in err
    # the library is not touched
    assert (site / "bib" / "attacks.bib").read_text() == LIBRARY


def test_json_output(site, monkeypatch, capsys):
    network(monkeypatch, ANSWERS)
    assert main(["outdated", "--format", "json", "--delay", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["checked"] == 4 and data["problems"] == []
    assert [s["key"] for s in data["suggestions"]] == ["doe2020gradient", "lee2020third", "roe2020leakage"]
    roe = data["suggestions"][2]
    assert roe["arxiv"] == "2912.00002" and roe["line"] == 32 and roe["fields"]["doi"] == "10.5555/12345678"
    # the diff applied to the file gives the suggested entry
    suggested = [line[1:] for line in roe["diff"].splitlines(keepends=True)[2:]
                 if line[0] in " +" and not line.startswith("@@")]
    entries, problems = bib.parse("".join(suggested), "x.bib")
    assert problems == [] and entries[0].entry_type == "article"


def test_a_failing_source_is_reported_and_the_rest_still_checked(site, monkeypatch, capsys):
    answers = {**ANSWERS, "dblp.org/search/publ/api?q=Gradient%20Inversion%20of%20Toy": (200, "dblp_malformed.json"),
               "api.crossref.org/works/10.5555/12345678": (503, None)}
    network(monkeypatch, answers)
    assert main(["outdated", "--delay", "0"]) == 0
    out, err = capsys.readouterr()
    assert "not checked: doe2020gradient: dblp's answer for" in err
    assert "not checked: roe2020leakage: Crossref 10.5555/12345678: api.crossref.org answered HTTP 503, 3 tries" in err
    assert "lee2020third" in out


@pytest.mark.parametrize(("answer", "message"), [
    (urllib.error.URLError(OSError(101, "Network is unreachable")), "cannot reach export.arxiv.org"),
    ((200, "arxiv_empty.xml"), "arXiv sent an empty answer"),
    ((200, "arxiv_malformed.xml"), "is not its Atom feed"),
])
def test_without_arxiv_it_stops_with_a_clear_message(site, monkeypatch, capsys, answer, message):
    network(monkeypatch, {"export.arxiv.org": answer})
    assert main(["outdated"]) == 2
    assert message in capsys.readouterr().err


def test_help_shows_examples():
    help_text = build_parser()._subparsers._group_actions[0].choices["outdated"].format_help()
    assert "gradleak outdated --format json" in help_text
    assert "gradleak outdated --keys" in help_text


def test_keys_that_are_unknown_or_not_arxiv_only_are_named(site, monkeypatch, capsys):
    network(monkeypatch, {})  # nothing may be asked
    assert main(["outdated", "--keys", "nosuchkey,doe2020gradient", "--delay", "0"]) == 2
    assert "gradleak outdated: nosuchkey: no such entry in the library" in capsys.readouterr().err
    assert main(["outdated", "--keys", "venue2021known", "--delay", "0"]) == 0
    err = capsys.readouterr().err
    assert "venue2021known: not arXiv-only" in err and "about 0 arXiv-only entries" in err
