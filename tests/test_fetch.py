"""`gradleak add --arxiv/--doi` against recorded answers (tests/recorded): no network."""

from __future__ import annotations

import shutil
import urllib.error
from pathlib import Path

import pytest
from fake_network import Recorded
from gradleak import bib, fetch
from gradleak.add import normalize
from gradleak.cli import build_parser, main

HERE = Path(__file__).resolve().parent
RECORDED = HERE / "recorded"
FIXTURES = HERE / "fixtures"


ARXIV = "export.arxiv.org/api/query?id_list="
CROSSREF = "api.crossref.org/works/"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(url, timeout):
        raise AssertionError(f"a test tried the network: {url}")
    monkeypatch.setattr(fetch, "_urllib", refuse)
    monkeypatch.setattr(fetch, "_sleep", lambda seconds: None)


def http(answers) -> fetch.Http:
    return fetch.Http(transport=Recorded(answers), sleep=lambda s: None)


@pytest.mark.parametrize("text", ["2912.00001", "arXiv:2912.00001v2", "https://arxiv.org/abs/2912.00001",
                                  "http://arxiv.org/pdf/2912.00001v2.pdf", " 2912.00001 "])
def test_arxiv_ids_and_urls(text):
    assert fetch.arxiv_id(text) == "2912.00001"


def test_not_an_id():
    with pytest.raises(fetch.FetchError, match="not an arXiv id"):
        fetch.arxiv_id("deep leakage")
    with pytest.raises(fetch.FetchError, match="not a DOI"):
        fetch.bare_doi("12345")
    assert fetch.bare_doi("https://doi.org/10.5555/12345678") == "10.5555/12345678"


DBLP_NONE = {"dblp.org/search/publ/api": (200, "dblp_search_none.json")}


def test_a_preprint_from_arxiv():
    text, source = fetch.bibtex_for_arxiv("2912.00001", http({ARXIV + "2912.00001": (200, "arxiv_2912.00001.xml"), **DBLP_NONE}))
    assert source == "arXiv"
    entry = bib.parse(text, "x", any_key=True)[0][0]
    assert entry.entry_type == "misc"
    assert entry.get("title") == "Gradient Inversion of Toy Models: When $\\ell_2$ Matching Suffices"
    assert entry.get("author") == "Jane Doe and Jan van der Berg"
    assert (entry.get("year"), entry.get("eprint"), entry.get("archiveprefix")) == ("2020", "2912.00001", "arXiv")


def test_a_published_preprint_takes_crossref_and_keeps_the_arxiv_id():
    web = http({ARXIV + "2912.00002": (200, "arxiv_2912.00002.xml"),
                CROSSREF + "10.5555/12345678": (200, "crossref_10.5555_12345678.json")})
    text, source = fetch.bibtex_for_arxiv("2912.00002", web)
    assert source.startswith("Crossref")
    entry = bib.parse(text, "x", any_key=True)[0][0]
    assert entry.entry_type == "article"
    assert {f.name: f.value for f in entry.fields} == {
        "title": "Leakage \\& Defense in Example Federated Learning", "author": "Roe, Richard and Smith, Alice",
        "journal": "Journal of Examples", "volume": "12", "number": "3", "pages": "45-67", "year": "2021",
        "publisher": "Example Society \\& Press", "doi": "10.5555/12345678", "eprint": "2912.00002",
        "archiveprefix": "arXiv"}


def test_latex_specials_from_crossref_are_escaped():
    text, _ = fetch.bibtex_for_doi("10.5555/87654321", http({CROSSREF + "10.5555/87654321": (200, "crossref_10.5555_87654321.json")}))
    entry = bib.parse(text, "x", any_key=True)[0][0]
    assert entry.entry_type == "inproceedings"
    assert entry.get("title") == "Private Gradients for\\_All: 100\\% Safe?"
    assert entry.get("booktitle") == "Proceedings of the Example Conference on Learning"


def test_an_unknown_doi_falls_back_to_dblp():
    web = http({CROSSREF: (404, None), "dblp.org/search/publ/api": (200, "dblp_search_doi.json"),
                "dblp.org/rec/conf/exconf/Lee23.bib": (200, "dblp_rec_Lee23.bib")})
    text, source = fetch.bibtex_for_doi("doi:10.5555/424242", web)
    assert source == "dblp" and "DBLP:conf/exconf/Lee23" in text


@pytest.mark.parametrize(("answers", "message"), [
    ({ARXIV: (200, "arxiv_unknown.xml")}, "arXiv has no paper 2912.99999"),
    ({ARXIV: (200, "arxiv_none.xml")}, "arXiv has no paper 2912.99999"),
    ({ARXIV: (200, "arxiv_malformed.xml")}, "is not its Atom feed"),
    ({ARXIV: (200, "arxiv_empty.xml")}, "arXiv sent an empty answer"),
    ({ARXIV: (503, None)}, "export.arxiv.org answered HTTP 503, 3 tries; try again later"),
    ({ARXIV: TimeoutError()}, "did not answer within 15 s, 3 tries"),
    ({ARXIV: urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))}, "are you offline"),
    ({ARXIV: (403, None)}, "refused the request"),
])
def test_clear_errors_for_arxiv(answers, message):
    web = http(answers)
    with pytest.raises(fetch.FetchError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fetch.bibtex_for_arxiv("2912.99999", web)
    tries = 3 if "tries" in message else 1
    assert len(web.transport.asked) == tries


@pytest.mark.parametrize(("answers", "message"), [
    ({CROSSREF: (404, None), "dblp.org/search": (200, "dblp_search_doi.json")}, "neither Crossref nor dblp knows the DOI 10.5555/000"),
    ({CROSSREF: (200, "crossref_malformed.json")}, "is not a work record"),
    ({CROSSREF: (200, "arxiv_empty.xml")}, "is not a work record"),
])
def test_clear_errors_for_dois(answers, message):
    with pytest.raises(fetch.FetchError, match=message):
        fetch.bibtex_for_doi("10.5555/000", http(answers))


def test_a_retry_after_a_timeout_succeeds():
    calls = []

    def flaky(url, timeout):
        calls.append(timeout)
        if len(calls) == 1:
            raise TimeoutError
        if "dblp" in url:
            return 200, (RECORDED / "dblp_search_none.json").read_bytes()
        return 200, (RECORDED / "arxiv_2912.00001.xml").read_bytes()
    web = fetch.Http(timeout=2, transport=flaky, sleep=lambda s: None)
    assert fetch.bibtex_for_arxiv("2912.00001", web)[1] == "arXiv"
    assert calls == [2, 2, 2]  # arXiv timed out once, then answered; then dblp


@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", folder)
    monkeypatch.chdir(folder)
    return folder


def test_add_arxiv_inserts_the_normalized_entry(site, monkeypatch, capsys):
    monkeypatch.setattr(fetch, "_urllib", Recorded({
        ARXIV + "2912.00002": (200, "arxiv_2912.00002.xml"),
        CROSSREF + "10.5555/12345678": (200, "crossref_10.5555_12345678.json")}))
    before = (site / "bib" / "attacks.bib").read_text()
    assert main(["add", "--arxiv", "https://arxiv.org/abs/2912.00002v3", "--tags", "optimization",
                 "--added", "2026-12"]) == 0
    out = capsys.readouterr()
    assert "the record from Crossref" in out.err
    assert out.out.splitlines()[0] == "added roe2021leakage to bib/attacks.bib:28"
    assert "@article{roe2021leakage," in out.out  # shown as it now stands in the library
    after = (site / "bib" / "attacks.bib").read_text()
    entries, problems = bib.parse(after, "attacks.bib")
    assert problems == []
    added = next(e for e in entries if e.key == "roe2021leakage")
    assert added.get("eprint") == "2912.00002" and added.get("doi") == "10.5555/12345678"
    assert added.get("pages") == "45--67"
    # nothing else moved
    assert [e.key for e in bib.parse(before, "a")[0]] == [e.key for e in entries if e.key != "roe2021leakage"]


def test_add_refuses_a_known_paper_fetched_again(site, monkeypatch, capsys):
    monkeypatch.setattr(fetch, "_urllib", Recorded({ARXIV + "2912.00001": (200, "arxiv_2912.00001.xml"), **DBLP_NONE}))
    assert main(["add", "--arxiv", "2912.00001", "--tags", "optimization"]) == 0
    capsys.readouterr()
    assert main(["add", "--arxiv", "2912.00001", "--tags", "optimization"]) == 1
    assert "already in the library as doe2020gradient (same arXiv id)" in capsys.readouterr().out


def test_add_offline_says_so_and_changes_nothing(site, monkeypatch, capsys):
    monkeypatch.setattr(fetch, "_urllib", Recorded({ARXIV: urllib.error.URLError(OSError(101, "Network is unreachable"))}))
    before = (site / "bib" / "attacks.bib").read_text()
    assert main(["add", "--arxiv", "2912.00001", "--tags", "optimization"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach export.arxiv.org" in err and "are you offline?" in err
    assert (site / "bib" / "attacks.bib").read_text() == before


def test_add_takes_one_source(site, capsys):
    assert main(["add", "x.bib", "--arxiv", "2912.00001", "--tags", "optimization"]) == 2
    assert main(["add", "--doi", "10.5555/1", "--arxiv", "2912.00001", "--tags", "optimization"]) == 2


def test_help_shows_an_example_of_each():
    help_text = build_parser()._subparsers._group_actions[0].choices["add"].format_help()
    assert "gradleak add --arxiv 2003.14053" in help_text
    assert "gradleak add --doi 10." in help_text
    assert "gradleak add paper.bib" in help_text


def test_a_preprint_that_dblp_knows_as_published_takes_dblp_and_keeps_the_arxiv_id():
    web = http({ARXIV + "2912.00001": (200, "arxiv_2912.00001.xml"),
                "dblp.org/search/publ/api": (200, "dblp_search_toy.json"),
                "dblp.org/rec/conf/exconf/DoeB21.bib": (200, "dblp_rec_DoeB21.bib")})
    text, source = fetch.bibtex_for_arxiv("2912.00001", web)
    assert source == "dblp conf/exconf/DoeB21 (arXiv id kept)"
    entry = normalize(bib.parse(text, "x", any_key=True)[0][0])
    assert entry.entry_type == "inproceedings" and entry.key == "doe2021gradient"
    assert (entry.get("booktitle"), entry.get("eprint"), entry.get("archiveprefix")) == (
        "Proceedings of the Example Conference, ExConf 2021", "2912.00001", "arXiv")


def test_dblp_failing_still_gives_the_preprint():
    web = http({ARXIV + "2912.00001": (200, "arxiv_2912.00001.xml"),
                "dblp.org/search/publ/api": (200, "dblp_malformed.json")})
    text, source = fetch.bibtex_for_arxiv("2912.00001", web)
    assert source.startswith("arXiv (dblp not asked: dblp's answer")
    assert bib.parse(text, "x", any_key=True)[0][0].entry_type == "misc"


def test_a_journal_reference_without_a_record_is_pointed_out():
    web = http({ARXIV + "2912.00003": (200, "arxiv_batch.xml"),
                "dblp.org/search/publ/api": (200, "dblp_search_third.json")})
    _, source = fetch.bibtex_for_arxiv("2912.00003", web)
    assert source == ("arXiv; arXiv gives the journal reference 'Example Workshop on Privacy 2021': "
                      "look for the published version")


def test_latex_escape_keeps_every_character_readable():
    escaped = fetch.latex_escape("a\\b {x} 100% & _ ~ ^ $ #")
    assert escaped == "a\\textbackslash{}b \\{x\\} 100\\% \\& \\_ \\textasciitilde{} \\textasciicircum{} \\$ \\#"
    from gradleak.latex import to_text
    # (the site's decoder shows \textasciicircum as the modifier letter U+02C6)
    assert to_text(escaped).replace(" ", "") == "a\\b{x}100%&_~\u02c6$#"
