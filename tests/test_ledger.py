"""The ledger (bib/pending.yml): every item is checked like the library, with file:line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, MINI_CONFIG, mkdocs_build
from gradleak.catalog import load_catalog
from gradleak.ledger import parse_ledger

LIST = ("  lists:\n    - name: Some/Awesome-List\n"
        "      url: https://github.com/Some/Awesome-List\n")
GOOD = ("- title: A Paper We Could Not Check\n" + LIST + "  arxiv: '2101.00001'\n"
        "  status: unverified\n  reason: Tried arXiv and dblp; no record.\n"
        "- title: Backdoors Only\n" + LIST + "  status: out-of-scope\n"
        "  reason: Poisoning without data reconstruction.\n"
        "- title: Leaky Code (arXiv title)\n" + LIST + "  arxiv: '2110.09999'\n"
        "  status: duplicate\n  duplicate_of: balunovic2022bayesian\n"
        "  reason: The arXiv version of the library paper.\n")


def site_with(tmp_path, ledger: str):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", site)
    (site / "mkdocs.yml").write_text(MINI_CONFIG)
    (site / "bib" / "pending.yml").write_text(ledger)
    return site


def messages(tmp_path, ledger: str) -> list[str]:
    return [str(d) for d in load_catalog(site_with(tmp_path, ledger) / "bib").diagnostics]


def test_a_good_ledger_loads_every_item(tmp_path):
    catalog = load_catalog(site_with(tmp_path, GOOD) / "bib")
    assert catalog.diagnostics == ()
    assert [(i.status, i.line) for i in catalog.ledger] == [
        ("unverified", 1), ("out-of-scope", 8), ("duplicate", 14)]
    first = catalog.ledger[0]
    assert first.lists[0].url == "https://github.com/Some/Awesome-List"
    assert first.link == "https://arxiv.org/abs/2101.00001"


def test_an_item_that_is_a_library_paper_is_an_error(tmp_path):
    ledger = ("- title: 'An {O}lder Latent Attack'\n" + LIST + "  status: unverified\n"
              "  reason: Not found.\n"
              "- title: Another Name\n" + LIST + "  arxiv: '2110.09999'\n"
              "  status: out-of-scope\n  reason: Not leakage.\n")
    assert messages(tmp_path, ledger) == [
        "bib/pending.yml:1: An {O}lder Latent Attack: already in the library as "
        "'older2020latent' (bib/attacks.bib:17, same title): remove it from the ledger",
        "bib/pending.yml:7: Another Name: already in the library as 'balunovic2022bayesian' "
        "(bib/attacks.bib:1, same arXiv id): remove it from the ledger",
    ]


def test_an_item_without_a_list_or_with_an_unknown_status_is_an_error(tmp_path):
    ledger = ("- title: No List\n  status: unverified\n  reason: x\n"
              "- title: Odd Status\n" + LIST + "  status: maybe\n  reason: x\n"
              "- title: Odd Duplicate\n" + LIST + "  status: duplicate\n  reason: x\n"
              "  duplicate_of: nosuchkey\n"
              "- title: Bad Ids\n" + LIST + "  status: unverified\n  reason: x\n"
              "  doi: https://doi.org/10.1/x\n  tldr: no\n")
    assert messages(tmp_path, ledger) == [
        "bib/pending.yml:1: No List: 'lists' must name at least one public list (name and url) "
        "that names the paper",
        "bib/pending.yml:4: Odd Status: unknown status 'maybe': expected one of unverified, "
        "out-of-scope, duplicate",
        "bib/pending.yml:10: Odd Duplicate: 'duplicate_of' names 'nosuchkey', which is not in "
        "the library",
        "bib/pending.yml:17: Bad Ids: malformed doi 'https://doi.org/10.1/x': expected a bare "
        "DOI such as 10.1234/abc",
        "bib/pending.yml:17: Bad Ids: unknown field 'tldr' (fields: title, lists, arxiv, doi, "
        "url, status, reason, duplicate_of)",
    ]


def test_the_same_paper_twice_in_the_ledger_is_an_error(tmp_path):
    item = ("- title: Twice\n" + LIST + "  status: unverified\n  reason: x\n")
    assert messages(tmp_path, item + item) == [
        "bib/pending.yml:7: Twice: the same paper as the item on line 1 (same title): list it "
        "once, with both lists"]


def test_broken_yaml_names_the_line():
    items, problems = parse_ledger("- title: x\n  lists: [\n", "bib/pending.yml")
    assert items == []
    assert [(p.file, p.line) for p in problems] == [("bib/pending.yml", 3)]
    assert problems[0].message.startswith("not valid YAML")


def test_check_fails_on_a_bad_ledger_and_the_build_gets_its_message(tmp_path):
    site = site_with(tmp_path, "- title: No List\n  status: unverified\n  reason: x\n")
    expected = ("bib/pending.yml:1: No List: 'lists' must name at least one public list "
                "(name and url) that names the paper")
    proc = subprocess.run([sys.executable, "-m", "gradleak", "check"], cwd=site,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [expected]
    # the strict build logs the catalog's diagnostics as errors (the bad corpus's strict
    # builds prove that wiring): this one is among them
    assert [str(d) for d in load_catalog(site / "bib").diagnostics] == [expected]


def test_the_not_yet_verified_page_lists_the_ledger_and_paper_pages_show_sources(tmp_path):
    hostile = ("- title: '<img src=x onerror=alert(1)> *Leak* [x](javascript:y)'\n" + LIST
               + "  status: unverified\n  reason: Tried <b>dblp</b>.\n")
    site = site_with(tmp_path, GOOD + hostile)
    build = mkdocs_build(site / "mkdocs.yml", site / "out")
    assert build.returncode == 0, build.log
    page = BeautifulSoup((site / "out" / "pending" / "index.html").read_text(), "html.parser")
    content = page.select_one("article")
    waiting = [li.strong.get_text() for li in content.select("#unverified ~ ul.gl-pending > li")]
    assert waiting == ["<img src=x onerror=alert(1)> *Leak* [x](javascript:y)",
                       "A Paper We Could Not Check"]
    assert content.find("img") is None and content.find("b") is None
    first = content.select_one("ul.gl-pending > li")
    assert first.select_one("a[href='https://github.com/Some/Awesome-List']").get_text() \
        == "Some/Awesome-List"
    left = content.select("details.gl-pending__details li")
    assert [li.strong.get_text() for li in left] == ["Leaky Code (arXiv title)", "Backdoors Only"]
    dup = left[0].select_one("a[href$='paper/balunovic2022bayesian/']")
    assert dup is not None
    assert (site / "out" / "pending" / dup["href"]).resolve().joinpath("index.html").is_file()
    index = json.loads((site / "out" / "search" / "search_index.json").read_text())
    assert any("A Paper We Could Not Check" in doc["text"] for doc in index["docs"]
               if doc["location"].startswith("pending/"))
    paper = BeautifulSoup((site / "out" / "paper" / "balunovic2022bayesian" / "index.html")
                          .read_text(), "html.parser")
    checked = paper.select_one(".gl-related__checked")
    assert [(a.get_text(), a["href"]) for a in checked.select("a")] == [
        ("arXiv", "https://arxiv.org/abs/2110.09999"),
        ("dblp", "https://dblp.org/rec/conf/example/Doe22")]


@pytest.mark.live
def test_the_live_library_records_where_every_entry_was_checked():
    # The live bib/: the catalog's evidence rule, and a clean ledger.
    catalog = load_catalog(FIXTURES.parents[1] / "bib")
    assert catalog.diagnostics == ()
    unchecked = [p.key for p in catalog.papers if not p.checked]
    assert unchecked == []
    assert all(item.lists for item in catalog.ledger)


def test_a_contributors_yaml_slips_are_named_with_their_line(tmp_path):
    item = "- title: Slips\n" + LIST + "  reason: x\n"
    # an unquoted arXiv id is a YAML number: 2003.14050 would become 2003.1405
    assert messages(tmp_path / "1", item + "  status: unverified\n  arxiv: 2003.14050\n") == [
        "bib/pending.yml:1: Slips: arxiv 2003.1405 was read as a number (YAML drops trailing "
        "zeros): quote it, e.g. arxiv: '2003.14050'"]
    # an id copied with its prefix or version is named with its bare form
    assert messages(tmp_path / "4", item + "  status: unverified\n  arxiv: arXiv:2003.14053v1\n") == [
        "bib/pending.yml:1: Slips: malformed arxiv 'arXiv:2003.14053v1': expected an arXiv id such "
        "as 2003.14053; write '2003.14053'"]
    # a repeated key: YAML would keep the last one silently
    assert messages(tmp_path / "2", item + "  status: unverified\n  status: duplicate\n") == [
        "bib/pending.yml:7: not valid YAML: key 'status' is repeated (first on line 6): keep one"]
    # an item that is not a mapping gets its line
    assert messages(tmp_path / "3", item + "  status: unverified\n- just a title\n") == [
        "bib/pending.yml:7: an item must be a mapping (title, lists, status, reason, ...), "
        "not 'just a title'"]
