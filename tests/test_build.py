"""Real `mkdocs build --strict` runs: the mini and site fixtures, broken variants, and the
real site (the live library: the one test here that reads it)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, MINI_CONFIG, ROOT, SITE_BIB, Build, mkdocs_build
from gradleak import read_settings
from gradleak.catalog import load_catalog
from gradleak.model import SITE_FIELDS


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


CARD = re.compile(r"<article\b[^>]*\bgl-card\b")


def cards_by_key(site: Path) -> dict[str, list[str]]:
    """{key: [pages holding a card with that anchor]} over every built page."""
    found: dict[str, list[str]] = {}
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if not CARD.search(text):  # most pages (one per paper) hold none: not parsed
            continue
        for card in BeautifulSoup(text, "html.parser").select("article.gl-card"):
            key = card["data-key"]
            assert card.find(id=key) is not None, f"card {key} has no anchor"
            found.setdefault(key, []).append(page.relative_to(site).as_posix())
    return found


def bib_keys(path: Path) -> list[str]:
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    for entry in library.entries:
        assert not set(entry.fields_dict) & set(SITE_FIELDS), entry.key
    return [e.key for e in library.entries]


def check_site(site: Path, bib_dir: Path, *, split: bool = False):
    """The checks every built site must pass, against the library it was built from.

    ``split``: the group lists were split (a small extra.gradleak.list_limit), so a card may
    be on a category page under its group's folder. The all-papers list is split by year
    whenever it is over the limit (at real size too): papers/where.json names each card's
    two pages."""
    catalog = load_catalog(bib_dir)
    keys = sorted(p.key for p in catalog.papers)
    cards = cards_by_key(site)
    assert sorted(cards) == keys
    # each paper: one card among its group's pages, one among the all-papers pages (split
    # by year past the list limit), no more; papers/where.json names those two pages
    where = json.loads((site / "papers" / "where.json").read_text(encoding="utf-8"))
    home_of = {}
    for paper in catalog.papers:
        pages = cards[paper.key]
        in_group = [p for p in pages if p.startswith(f"{paper.group}/")]
        in_all = [p for p in pages if p.startswith("papers/")]
        assert len(pages) == 2 and len(in_group) == len(in_all) == 1, (paper.key, pages)
        if not split:
            assert in_group == [f"{paper.group}/index.html"]
        assert [u + "index.html" for u in where[paper.key]] == in_group + in_all, paper.key
        home_of[paper.key] = in_group[0]
    assert sorted(bib_keys(site / "downloads" / "gradleak.bib")) == keys
    for group in catalog.taxonomy.groups:
        expected = sorted(p.key for p in catalog.papers if p.group == group.id)
        assert sorted(bib_keys(site / "downloads" / f"{group.id}.bib")) == expected
    for key in keys:
        assert bib_keys(site / "downloads" / "papers" / f"{key}.bib") == [key]
    # every paper is a search result that leads to its card, by title, surname and venue
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {d["location"]: d for d in index["docs"]}
    assert not any(loc.startswith("papers/") for loc in locations)  # one search hit per paper
    for paper in catalog.papers:
        doc = locations[home_of[paper.key].removesuffix("index.html") + "?paper=" + paper.key]
        assert html.unescape(doc["title"]) == paper.title
        text = html.unescape(doc["text"])
        assert paper.venue in text
        for author in paper.authors:
            assert author in text
    return catalog


def check_links(site: Path) -> int:
    """Every internal link of the site leads to a file, and every anchor to an element."""
    soups: dict[Path, BeautifulSoup] = {}
    ids: dict[Path, set[str]] = {}

    def parsed(page: Path) -> BeautifulSoup:  # each page parsed once
        if page not in soups:
            soups[page] = soup_of(page)
        return soups[page]

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = {t["id"] for t in parsed(page).find_all(id=True)}
        return ids[page]

    checked = 0
    for page in site.rglob("*.html"):
        for a in parsed(page).find_all("a", href=True):
            href = a["href"]
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue
            # the 404 page is served at any depth: its links are root-absolute with site_url
            # set (as the deploy workflow does), else relative to a <base> its script sets
            if page.name == "404.html" and href.startswith("/"):
                continue
            path, _, anchor = href.partition("#")
            path = path.split("?")[0]
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)}: {href}"
            if anchor and target.suffix == ".html":
                assert anchor in ids_of(target), f"{page.relative_to(site)}: {href}"
            checked += 1
    return checked


@pytest.fixture(scope="module")
def mini_build(tmp_path_factory) -> Build:
    """tests/fixtures/mini as it is, built once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("mini-build") / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    (folder / "mkdocs.yml").write_text(MINI_CONFIG)
    return mkdocs_build(folder / "mkdocs.yml", folder / "site")


def test_mini_site_builds_strict_and_holds_every_entry_once(mini_build):
    assert mini_build.returncode == 0, mini_build.log
    check_site(mini_build.site, FIXTURES / "mini" / "bib")
    home = soup_of(mini_build.site / "index.html")
    assert home.find(class_="gl-counts__total").get_text() == "4"
    # no stray request to a third party: every script and stylesheet is local
    for page in ("index.html", "attacks/index.html"):
        soup = soup_of(mini_build.site / page)
        for tag in soup.find_all(["script", "link", "img"]):
            url = tag.get("src") or tag.get("href") or ""
            assert not re.match(r"^(https?:)?//", url) or (tag.name == "link" and tag.get("rel") == ["canonical"]), url


def test_built_page_escapes_untrusted_values(mini_build):
    assert mini_build.returncode == 0, mini_build.log
    soup = soup_of(mini_build.site / "surveys" / "index.html")
    card = soup.find("article", attrs={"data-key": "smith2023survey"})
    assert card.find("script") is None and card.find("sup") is None
    assert "<script>alert(1)</script>" in card.get_text()


BROKEN = [
    ("attacks.bib", "keywords      = {optimization, text}", "keywords      = {optimization, txt}",
     "bib/attacks.bib:10: balunovic2022bayesian: unknown tag 'txt': not in the taxonomy"),
    ("attacks.bib", "@misc{older2020latent", "@misc{balunovic2022bayesian",
     "bib/attacks.bib:17: balunovic2022bayesian: duplicate key: this entry is not used"),
    ("defenses.bib", "  year      = {2021},\n", "",
     "bib/defenses.bib:1: noise2021dp: missing required field 'year' for @inproceedings"),
    ("defenses.bib", "  keywords  = {differential-privacy},", "  keywords  = {differential-privacy,",
     "bib/defenses.bib:1: noise2021dp: unparsable entry"),
    ("surveys.bib", "  year     = {2023},", "  year     = {2023},\n  year     = {2024},",
     "bib/surveys.bib:1: smith2023survey: duplicate field: year"),
    ("taxonomy.yml", "        name: Optimization-based", "        name: [Optimization-based",
     "bib/taxonomy.yml:17: unparsable YAML"),
]


def broken(mini_site: Path, file: str, old: str, new: str) -> Path:
    path = mini_site / "bib" / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return mini_site / "bib"


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN)
def test_a_broken_library_is_reported_with_a_precise_message(mini_site, file, old, new, expected):
    """Checked through the package: the build logs exactly these diagnostics (next test,
    and the bad corpus's strict builds, prove that wiring)."""
    messages = [str(d) for d in load_catalog(broken(mini_site, file, old, new)).diagnostics]
    assert any(m.startswith(expected) for m in messages), messages


def test_a_broken_taxonomy_fails_the_strict_build_with_a_precise_message(mini_site):
    file, old, new, expected = BROKEN[-1]
    broken(mini_site, file, old, new)
    build = mkdocs_build(mini_site / "mkdocs.yml", mini_site / "site")
    assert build.returncode != 0
    assert expected in build.log, build.log
    assert "Aborted with" in build.log and "Traceback" not in build.log


def test_a_taxonomy_that_does_not_parse_is_reported_once_and_nothing_else(tmp_path):
    """With the real configuration, an unparsable taxonomy gave its error and then 15
    warnings about pages and downloads it had made impossible (nav entries, links of the
    home and Data pages), which buried the cause: the build now stops on the cause."""
    from conftest import site_with_library

    config = site_with_library(tmp_path / "src", SITE_BIB)
    taxonomy = tmp_path / "src" / "bib" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace("    name: Surveys\n", "    name: [Surveys\n", 1))
    build = mkdocs_build(config, tmp_path / "site")
    assert build.returncode != 0
    problems = [line for line in build.log.splitlines()
                if line.startswith(("WARNING", "ERROR"))]
    assert len(problems) == 2, build.log
    assert re.match(r"ERROR +- +bib/taxonomy\.yml:\d+: unparsable YAML", problems[0]), problems
    assert problems[1].endswith("gradleak: nothing was built: the site's pages come from "
                                "bib/taxonomy.yml, which could not be read (the error above)")
    assert "Traceback" not in build.log


@pytest.mark.live
def test_real_site_builds_strict_with_every_library_entry_once(real_build):
    assert real_build.returncode == 0, real_build.log
    catalog = check_site(real_build.site, ROOT / "bib")
    assert catalog.diagnostics == ()
    home = soup_of(real_build.site / "index.html")
    assert home.find(class_="gl-counts__total").get_text() == str(len(catalog.papers))


def test_two_builds_of_the_same_library_are_byte_identical(mini_build, mini_site, tmp_path):
    first = mini_build  # the same library and configuration, built in another folder
    second = mkdocs_build(mini_site / "mkdocs.yml", tmp_path / "two")
    assert first.returncode == second.returncode == 0
    files = sorted(p.relative_to(first.site) for p in first.site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second.site) for p in second.site.rglob("*") if p.is_file())
    for rel in files:
        if rel.suffix == ".gz":  # gzip stores a timestamp; its content is sitemap.xml, compared
            continue
        assert (first.site / rel).read_bytes() == (second.site / rel).read_bytes(), rel


def test_the_fixture_site_builds_strict_with_every_entry_once(fixture_build):
    """The real configuration and pages around the fixture library tests/fixtures/full."""
    assert fixture_build.returncode == 0, fixture_build.log
    catalog = check_site(fixture_build.site, SITE_BIB)
    home = soup_of(fixture_build.site / "index.html")
    assert home.find(class_="gl-counts__total").get_text() == str(len(catalog.papers))


def test_the_build_log_does_not_show_the_shell_page(fixture_build):
    """Every build said "Page skipped: 'paper/_zzglkeyzz.md'. Generated empty output.": the
    shell page, emptied on purpose, which a maintainer reading the log cannot place."""
    from gradleak.shell import SHELL_KEY
    assert fixture_build.returncode == 0, fixture_build.log
    assert "paper pages filled from the shell" in fixture_build.log
    assert SHELL_KEY not in fixture_build.log


def test_every_internal_link_and_anchor_of_the_fixture_site_resolves(fixture_build):
    assert fixture_build.returncode == 0, fixture_build.log
    assert check_links(fixture_build.site) > 1000


def test_lists_too_long_for_one_page_are_split_by_category_and_year(mini_site):
    config = mini_site / "mkdocs.yml"
    config.write_text(config.read_text() + "extra:\n  gradleak:\n    list_limit: 1\n")
    build = mkdocs_build(config, mini_site / "site")
    assert build.returncode == 0, build.log
    site = mini_site / "site"
    catalog = check_site(site, mini_site / "bib", split=True)
    check_links(site)
    # no list page holds more cards than the limit (each category here has one paper)
    for page in site.rglob("index.html"):
        assert len(soup_of(page).select("article.gl-card")) <= 1, page
    # the attacks page (2 papers) lists its top categories, each on its own page
    attacks = soup_of(site / "attacks" / "index.html")
    links = [a["href"] for a in attacks.select("nav.gl-subpages a")]
    assert links == ["../attacks/optimization/#category-optimization",
                     "../attacks/generative/#category-generative"]
    generative = soup_of(site / "attacks" / "generative" / "index.html")
    assert generative.find("h1").get_text().rstrip("¶") == "Attacks: Generation-based *prior* <b>"
    assert generative.find(id="category-generative").name == "h2"
    assert generative.find(id="category-gen-latent").name == "h3"
    assert generative.find(id="older2020latent").name == "h4"
    # the surveys page (1 paper) is not split; the all-papers page has one page per year
    assert not (site / "surveys" / "survey").exists()
    years = sorted({p.year for p in catalog.papers}, reverse=True)
    index = soup_of(site / "papers" / "index.html")
    assert [a["href"] for a in index.select("nav.gl-subpages a")] == [f"../papers/{y}/" for y in years]
    # a paper page points to the page its card is on
    paper = soup_of(site / "paper" / "older2020latent" / "index.html")
    assert paper.select_one(".gl-related__up a")["href"] == \
        "../../attacks/generative/#category-gen-latent"


def test_a_bad_list_limit_is_reported():
    """Through the package: a bad setting fails the strict build like any other problem
    (test_shell builds a site with a bad paper_pages setting to prove that wiring)."""
    for value in ("many", 0, True, None):
        settings, problems = read_settings({"gradleak": {"list_limit": value}})
        assert [str(p) for p in problems] == [
            f"mkdocs.yml: extra.gradleak.list_limit must be a whole number >= 1, not {value!r}"]
        assert settings.list_limit == read_settings({})[0].list_limit  # the default, used


@pytest.mark.parametrize("uri", ["attacks.md", "downloads/gradleak.bib", "downloads/papers/{key}.bib",
                                 "paper/{key}.md"])
def test_a_hand_written_file_where_a_generated_one_goes_fails_the_build(mini_site, uri):
    """Generated pages, downloads (each paper's own too, which MkDocs is not told about)
    and paper pages never silently replace, or get replaced by, a file under docs/."""
    key = load_catalog(mini_site / "bib").papers[0].key
    path = mini_site / "docs" / uri.format(key=key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("written by hand\n")
    build = mkdocs_build(mini_site / "mkdocs.yml", mini_site / "site")
    assert build.returncode != 0
    assert f"docs/{uri.format(key=key)} exists but this page is generated from bib/" in build.log


def test_a_made_up_arxiv_id_does_not_stop_the_build(tmp_path):
    """Walking CONTRIBUTING.md with the recorded network, `add --arxiv 2013.00001` (the
    recordings' made-up id then: no month 13) made `mkdocs serve` stop with an IndexError in
    the What's new pages. `check` now reports such an id; the build goes on without it."""
    from gradleak import build_site

    bib_dir = tmp_path / "bib"
    shutil.copytree(FIXTURES / "mini" / "bib", bib_dir)
    attacks = bib_dir / "attacks.bib"
    attacks.write_text(attacks.read_text() + (
        "\n@misc{doe2020gradient,\n  title = {Toy},\n  author = {Doe, Jane},\n  year = {2020},\n"
        "  eprint = {2013.00001},\n  archiveprefix = {arXiv},\n  keywords = {optimization},\n}\n"))
    site = build_site(bib_dir)
    assert "doe2020gradient" in {p.key for p in site.catalog.papers}
    assert any("malformed arXiv id '2013.00001'" in str(d) for d in site.catalog.diagnostics)
    assert site.theme_pages()  # the What's new pages and feeds included
