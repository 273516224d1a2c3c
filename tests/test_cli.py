"""The `gradleak` command: check, fmt, add, readme, as a contributor runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from gradleak import bib
from gradleak.cli import main
from gradleak.fmt import format_text, same_entries

IMPORTS = Path(__file__).parent / "imports"


@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", folder)
    (folder / "README.md").write_text("# Mini\n\n<!-- gradleak:readme:start -->\n<!-- gradleak:readme:end -->\n")
    monkeypatch.chdir(folder)
    assert main(["readme"]) == 0
    return folder


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gradleak", *args], capture_output=True,
                          text=True, input=stdin, timeout=120)


@pytest.mark.parametrize("command", ["check", "fmt", "add", "outdated", "links", "readme"])
def test_every_subcommand_has_help(command):
    proc = run(command, "--help")
    assert proc.returncode == 0 and "usage: gradleak " + command in proc.stdout


def test_check_passes_on_a_clean_library_and_reports_json(site, capsys):
    assert main(["check"]) == 0
    (site / "bib" / "surveys.bib").write_text(
        (site / "bib" / "surveys.bib").read_text().replace("keywords = {survey, image}", "keywords = {survey, imag}"))
    assert main(["check", "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out == [{"file": "bib/surveys.bib", "line": 8, "key": "smith2023survey",
                    "message": "unknown tag 'imag': not in the taxonomy (did you mean 'image'?)"}]


def test_check_paths_limit_the_report(site, capsys):
    path = site / "bib" / "surveys.bib"
    path.write_text(path.read_text().replace("year     = {2023}", "year     = {23}"))
    assert main(["check", "bib/attacks.bib"]) == 0
    assert main(["check", "bib/surveys.bib"]) == 1
    assert "bib/surveys.bib:5: smith2023survey: malformed year '23'" in capsys.readouterr().out


def test_fmt_check_lists_files_then_fmt_fixes_them_losslessly(site, capsys):
    before = {p.name: p.read_text() for p in (site / "bib").glob("*.bib")}
    assert main(["fmt", "--check"]) == 1
    listed = capsys.readouterr().out.splitlines()
    assert listed and all(line.startswith("would reformat bib/") for line in listed)
    assert {p.name: p.read_text() for p in (site / "bib").glob("*.bib")} == before  # untouched
    assert main(["fmt"]) == 0
    for name, text in before.items():
        new = (site / "bib" / name).read_text()
        assert same_entries(bib.parse(text, name)[0], bib.parse(new, name)[0])
    assert main(["fmt", "--check"]) == 0


def test_fmt_sorts_entries_and_fields_and_keeps_the_header():
    text = ("% Our attacks\n\n@misc{zeta, year = 2020, title = \"Zeta {GAN}\", author = {A, B},"
            " month = jan}\n@misc{alpha, keywords = {x}, title = {Alpha}}\n")
    out, problems = format_text(text, "x.bib")
    assert problems == []
    assert out == ("% Our attacks\n\n"
                   "@misc{alpha,\n  title         = {Alpha},\n  keywords      = {x},\n}\n\n"
                   "@misc{zeta,\n  title         = {Zeta {GAN}},\n  author        = {A, B},\n"
                   "  month         = jan,\n  year          = {2020},\n}\n")
    assert format_text(out, "x.bib") == (out, [])


def test_fmt_refuses_what_it_cannot_place():
    out, problems = format_text("@misc{a, title={x}}\n% a note\n@misc{b, title={y}}\n", "x.bib")
    assert out is None
    assert [str(p) for p in problems] == ["x.bib:2: a comment between entries: move it to the top of the file"]


@pytest.mark.parametrize(("source", "key", "entry_type", "fields"), [
    ("arxiv", "zhu2019deep", "misc", {"title", "author", "year", "eprint", "archiveprefix", "primaryclass", "url"}),
    ("dblp", "geiping2020inverting", "misc", {"title", "author", "year", "eprint", "archiveprefix", "url"}),
    ("scholar", "zhao2020idlg", "misc", {"title", "author", "year", "eprint", "archiveprefix", "url"}),
    ("acm", "pasquini2022eluding", "inproceedings", {"title", "author", "year", "isbn", "publisher", "address", "url", "doi", "booktitle", "pages", "series"}),
    ("ieee", "song2020analyzing", "article", {"title", "author", "journal", "year", "volume", "number", "pages", "doi"}),
    ("zotero", "balunovic2022lamp", "inproceedings", {"title", "author", "url", "booktitle", "year"}),
    ("semanticscholar", "wei2020framework", "inproceedings", {"title", "author", "booktitle", "year", "eprint", "archiveprefix", "url"}),
])
def test_add_normalizes_each_exporter(site, capsys, source, key, entry_type, fields):
    path = IMPORTS / f"{source}.bib"
    assert main(["add", str(path), "--tags", "optimization, image", "--tldr", "Our words.",
                 "--added", "2026-11"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(f"added {key} to bib/attacks.bib:")
    entries, problems = bib.parse((site / "bib" / "attacks.bib").read_text(), "attacks.bib")
    assert problems == []
    entry = next(e for e in entries if e.key == key)
    assert entry.entry_type == entry_type
    site_fields = {"keywords", "tldr", "added"}
    assert {f.name for f in entry.fields} == fields | site_fields
    assert entry.get("keywords") == "optimization, image"
    assert "\n" not in entry.get("author")
    assert main(["check"]) == 1  # only because the README list is now stale
    assert main(["readme"]) == 0 and main(["check"]) == 0


def test_add_refuses_a_paper_already_present_and_changes_nothing(site, capsys):
    attacks = site / "bib" / "attacks.bib"
    before = attacks.read_text()
    dup = "@article{x, title={An older latent attack}, author={Older, Olga}, journal={J}, year={2021}}"
    proc = run("add", "-", "--tags", "optimization", stdin=dup)
    assert proc.returncode == 1
    assert proc.stdout.strip() == "x: already in the library as older2020latent (same title); not added"
    assert attacks.read_text() == before


def test_add_inserts_in_canonical_order_without_moving_anything(site, capsys):
    attacks = site / "bib" / "attacks.bib"
    before = attacks.read_text()
    new = "@misc{whatever, title={Middle Paper}, author={Mid, Max}, year={2021}}"
    proc = run("add", "-", "--group", "attacks", "--tags", "optimization", "--added", "2026-11", stdin=new)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = attacks.read_text()
    # every original line is still there, in the same order
    old_lines = before.splitlines()
    rest = iter(after.splitlines())
    assert all(any(line == other for other in rest) for line in old_lines)
    keys = [e.key for e in bib.parse(after, "a")[0]]
    assert keys == ["balunovic2022bayesian", "mid2021middle", "older2020latent"]


def test_add_needs_a_destination(site):
    proc = run("add", "-", stdin="@misc{k, title={T}, author={A, B}, year={2020}}")
    assert proc.returncode == 2 and "--group" in proc.stderr


def test_readme_check_and_write(site, capsys):
    readme = site / "README.md"
    assert main(["readme", "--check"]) == 0
    readme.write_text(readme.read_text().replace("Older", "Younger"))
    assert main(["readme", "--check"]) == 1
    assert main(["readme"]) == 0
    text = readme.read_text()
    # an entity in a link destination is CommonMark for the character itself
    assert "[Leaky Code: A Title With the Word Code in It](<https://example.org/paper?a=1&b=2>)" in text
    assert "[[code](<https://example.org/code>)]" in text
    assert "Mislav Balunović, Jane Doe" in text


def test_fmt_tells_a_percent_line_inside_a_value_from_a_comment():
    text = "@misc{a,\n  title = {100\n% of it},\n}\n"
    out, problems = format_text(text, "x.bib")
    assert problems == [] and "% of it" in out


def test_fmt_drops_a_byte_order_mark_and_keeps_the_entry_once(site, capsys):
    attacks = site / "bib" / "attacks.bib"
    text = attacks.read_text(encoding="utf-8")
    attacks.write_text("\ufeff" + text, encoding="utf-8")
    assert main(["check", "bib/attacks.bib"]) == 0  # a BOM is valid: the entries are read
    assert main(["fmt", "bib/attacks.bib"]) == 0
    after = attacks.read_text(encoding="utf-8")
    assert not after.startswith("\ufeff")
    entries, problems = bib.parse(after, "attacks.bib")
    assert problems == []
    assert same_entries(entries, bib.parse(text, "attacks.bib")[0])
    assert main(["check"]) == 0


@pytest.mark.parametrize("args", [["check", "bib/nosuch.bib"], ["fmt", "nosuch.bib"],
                                  ["add", "nosuch.bib", "--tags", "optimization"]])
def test_a_missing_path_is_named_without_a_traceback(site, args):
    proc = run(*args)
    assert proc.returncode == 2
    assert "nosuch.bib: no such file or folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_fmt_and_add_report_bytes_that_are_not_utf8(site):
    attacks = site / "bib" / "attacks.bib"
    attacks.write_bytes(attacks.read_bytes().replace(b"Older, Olga", b"Older, Ol\xe9a"))
    for args in (["fmt"], ["fmt", "--check"], ["add", "bib/attacks.bib", "--tags", "optimization"]):
        proc = run(*args)
        assert proc.returncode == 1, args
        assert "bib/attacks.bib:" in proc.stdout and "not valid UTF-8" in proc.stdout, args
        assert "Traceback" not in proc.stderr, args


def test_fmt_leaves_a_file_that_is_not_bibtex_alone(site):
    taxonomy = site / "bib" / "taxonomy.yml"
    before = taxonomy.read_text()
    proc = run("fmt", "bib/taxonomy.yml")
    assert proc.returncode == 2 and "not a .bib file" in proc.stderr
    assert taxonomy.read_text() == before


def test_add_refuses_wrong_options_before_writing_anything(site):
    attacks = site / "bib" / "attacks.bib"
    before = attacks.read_text()
    new = "@misc{k, title={Middle Paper}, author={Mid, Max}, year={2021}}"
    proc = run("add", "-", "--tags", "optimizaton,imag", "--code", "github.com/a/b",
               "--added", "2026-13", stdin=new)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "gradleak add: --tags: unknown tag 'optimizaton' (did you mean 'optimization'?)",
        "gradleak add: --tags: unknown tag 'imag' (did you mean 'image'?)",
        "gradleak add: --code: 'github.com/a/b' is not an http(s) URL",
        "gradleak add: --added: '2026-13' is not YYYY-MM"]
    assert attacks.read_text() == before


def test_add_shows_what_it_wrote_where_and_what_is_left_to_fill_in(site):
    new = "@misc{k, title={Middle Paper}, author={Max Mid}, year={2021}, abstract={No.}}"
    proc = run("add", "-", "--tags", "optimization", "--added", "2026-11", stdin=new)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    where = out[0].removeprefix("added mid2021middle to ")
    file, line = where.split(":")
    assert (site / file).read_text().splitlines()[int(line) - 1] == "@misc{mid2021middle,"
    assert "  title         = {Middle Paper}," in out  # the entry as written
    todo = [line for line in out if line.startswith("  to fill in: ")]
    assert [t.split(":")[1].split()[0] for t in todo] == [
        "author", "tldr", "keywords", "venue", "checked"]
    assert "gradleak readme && gradleak check" in proc.stderr


def test_readme_says_what_it_found_and_did(site, capsys):
    capsys.readouterr()
    assert main(["readme", "--check"]) == 0
    assert capsys.readouterr().err == "gradleak readme: the list of 4 papers is up to date\n"
    assert main(["readme"]) == 0
    assert capsys.readouterr().err.endswith("(already up to date)\n")
    readme = site / "README.md"
    readme.write_text(readme.read_text().replace("Older", "Younger"))
    assert main(["readme"]) == 0
    assert capsys.readouterr().err.endswith("(updated)\n")


def test_a_crlf_file_is_read_without_carriage_returns_and_fmt_makes_it_lf(site):
    from gradleak.catalog import load_catalog

    assert main(["fmt"]) == 0  # the fixture in canonical style first
    attacks = site / "bib" / "attacks.bib"
    attacks.write_bytes(attacks.read_bytes().replace(b"{An Older Latent Attack}",
                                                     b"{An Older\n  Latent Attack}")
                        .replace(b"\n", b"\r\n"))
    paper = next(p for p in load_catalog(site / "bib").papers if p.key == "older2020latent")
    assert paper.title == "An Older Latent Attack"
    assert "\r" not in paper.bibtex  # the BibTeX shown and downloaded
    assert main(["fmt", "--check"]) == 1
    assert main(["fmt"]) == 0
    assert b"\r" not in attacks.read_bytes()
    assert main(["fmt", "--check"]) == 0


def test_add_from_a_terminal_says_how_to_end_the_paste(site, capsys, monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("@misc{k, title={Pasted Paper}, author={Doe, Jane}, "
                                               "year={2020}}\n"))
    assert main(["add", "-", "--tags", "optimization", "--dry-run"]) == 0
    out = capsys.readouterr()
    assert out.err.startswith("gradleak add: paste the BibTeX, then press Ctrl-D")
    assert out.out.startswith("would add doe2020pasted to bib/attacks.bib:")


def test_add_refuses_to_insert_into_a_file_that_does_not_parse(site):
    attacks = site / "bib" / "attacks.bib"
    broken = attacks.read_text().replace("  added         = {2026-11},\n}", "  added = {2026-11},\n", 1)
    attacks.write_text(broken)
    proc = run("add", "-", "--tags", "optimization",
               stdin="@misc{k, title={Middle Paper}, author={Mid, Max}, year={2021}}")
    assert proc.returncode == 1
    assert "bib/attacks.bib:" in proc.stdout and "unparsable entry" in proc.stdout
    assert "nothing added: fix bib/attacks.bib first" in proc.stderr
    assert attacks.read_text() == broken


def test_check_outside_a_site_says_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        f"gradleak check: no bib/taxonomy.yml in {tmp_path} or above: run it in the site's "
        "folder, or give its bib/ folder\n")


@pytest.mark.parametrize("title, author, key", [
    ("{\\\"U}ber Gradient Leakage", "M{\\\"u}ller, Anna", "muller2024uber"),
    ("Über Gradient Leakage", "Müller, Anna", "muller2024uber"),
    ("Évaluation de la fuite", "Ørsted, Ole", "orsted2024evaluation"),
    ("Sécurité des gradients", "Zed, Ann", "zed2024securite"),
    ("The Deep Leakage", "Zhu, Ligeng", "zhu2024deep"),
])
def test_add_keys_keep_accented_letters_of_the_title_word(title, author, key):
    """The title word was cut at its first accented letter: 'Über' gave 'ber', 'Sécurité' 's'."""
    from gradleak.add import make_key
    entry = bib.parse(f"@misc{{k, title={{{title}}}, author={{{author}}}, year={{2024}}}}", "x",
                      any_key=True)[0][0]
    assert make_key(entry) == key


@pytest.mark.parametrize("key, message", [
    ("bad key", "--key: 'bad key' is not a key: use letters, digits, '_', '-' or '.'"),
    ("a,b", "--key: 'a,b' is not a key: use letters, digits, '_', '-' or '.'"),
    ("x{y", "--key: 'x{y' is not a key: use letters, digits, '_', '-' or '.'"),
    ("Older2020Latent", "--key: 'Older2020Latent' is taken by older2020latent "
                        "(bib/attacks.bib:17; BibTeX keys ignore case)"),
])
def test_add_refuses_a_key_it_cannot_use_before_writing_anything(site, key, message):
    """`--key "bad key"` ended in a traceback (AttributeError in insert_entry); a taken key
    was silently changed to another (`older2020latentb`)."""
    attacks = site / "bib" / "attacks.bib"
    before = attacks.read_text()
    new = "@misc{k, title={Middle Paper}, author={Mid, Max}, year={2021}}"
    proc = run("add", "-", "--tags", "optimization", "--key", key, stdin=new)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [f"gradleak add: {message}"]
    assert attacks.read_text() == before


def test_add_key_names_one_entry(site):
    attacks = site / "bib" / "attacks.bib"
    before = attacks.read_text()
    two = ("@misc{k, title={Middle Paper}, author={Mid, Max}, year={2021}}\n"
           "@misc{l, title={Other Paper}, author={Mid, Max}, year={2021}}\n")
    proc = run("add", "-", "--tags", "optimization", "--key", "mid2021both", stdin=two)
    assert proc.returncode == 2
    assert "--key names one entry, and the input has 2" in proc.stderr
    assert attacks.read_text() == before
    proc = run("add", "-", "--tags", "optimization", "--key", "mid2021middle", "--added", "2026-11",
               stdin=two.splitlines()[0])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("added mid2021middle to bib/attacks.bib:")


def test_readme_refuses_to_write_from_a_broken_library(site, capsys):
    """With a taxonomy that did not parse, `gradleak readme` wrote a list of 0 papers over
    the README's list (exit 0); with an entry that did not parse, it dropped that paper."""
    readme = site / "README.md"
    before = readme.read_text()
    attacks = site / "bib" / "attacks.bib"
    attacks.write_text(attacks.read_text().replace("title         = {An Older Latent Attack}",
                                                   "title         = {An Older {Latent Attack}"))
    capsys.readouterr()
    assert main(["readme"]) == 1
    out = capsys.readouterr()
    assert "bib/attacks.bib:17: older2020latent: unparsable entry" in out.out
    assert out.err.splitlines()[-1] == ("gradleak readme: README.md not changed: the library "
                                        "has 1 problem(s); fix them first (`gradleak check`)")
    assert readme.read_text() == before
    taxonomy = site / "bib" / "taxonomy.yml"
    taxonomy.write_text("groups: [\n")
    assert main(["readme"]) == 1
    assert readme.read_text() == before


def test_check_does_not_blame_the_readme_for_a_broken_library(site, capsys):
    """A taxonomy that did not parse was reported with a second problem, 'README.md: the
    paper list is stale: run `gradleak readme`', whose advice would empty the list."""
    (site / "bib" / "taxonomy.yml").write_text("groups: [\n")
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "bib/taxonomy.yml:" in out and "README.md" not in out


@pytest.mark.parametrize("args", [["fmt"], ["fmt", "--check"], ["readme"], ["readme", "--check"],
                                  ["outdated"], ["links"], ["add", "-", "--tags", "optimization"]])
def test_every_command_outside_a_site_says_where_it_looked(tmp_path, monkeypatch, capsys, args):
    """Outside a site, `fmt --check` passed ('0 file(s), 0 to reformat', exit 0), as did
    `fmt` and `outdated`: a CI step run in the wrong folder would pass having checked nothing."""
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert capsys.readouterr().err == (
        f"gradleak {args[0]}: no bib/taxonomy.yml in {tmp_path} or above: run it in the site's "
        "folder" + (", or give its bib/ folder" if args[0] in ("check", "fmt") else "") + "\n")


@pytest.mark.parametrize("options, message", [
    (["--group", "defenses", "--tags", "optimization,image"],
     "--tags: category 'optimization' belongs to group 'attacks', not to 'defenses'"),
    (["--group", "attacks", "--tags", "image,optimization"],
     "--tags: the first tag 'image' must be a category of 'attacks'"),
    (["--tags", "optimization,image,image"], "--tags: tag 'image' is repeated: list it once"),
])
def test_add_refuses_tags_the_check_would_reject_before_writing_anything(site, options, message):
    """`--group defenses --tags optimization` wrote the entry into defenses.bib, which
    `gradleak check` then rejected; CONTRIBUTING promises add refuses bad tags first."""
    before = {p.name: p.read_text() for p in (site / "bib").glob("*.bib")}
    new = "@misc{k, title={Middle Paper}, author={Mid, Max}, year={2021}}"
    proc = run("add", "-", *options, stdin=new)
    assert proc.returncode == 2
    assert f"gradleak add: {message}" in proc.stderr.splitlines()
    assert {p.name: p.read_text() for p in (site / "bib").glob("*.bib")} == before


@pytest.mark.parametrize("option, value", [("--tldr", "Uses a {brace and } more }"),
                                           ("--venue", "S}P"), ("--tldr", "A {b")])
def test_add_refuses_unbalanced_braces_in_an_option_before_writing_anything(site, option, value):
    """`--tldr "Uses a {brace and } more }"` or `--venue "S}P"` ended in a traceback
    (AttributeError in insert_entry: the entry it made did not parse)."""
    attacks = site / "bib" / "attacks.bib"
    before = attacks.read_text()
    new = "@misc{k, title={Middle Paper}, author={Mid, Max}, year={2021}}"
    proc = run("add", "-", "--tags", "optimization", option, value, stdin=new)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        f"gradleak add: {option}: {value!r} has unbalanced braces: each '{{' needs its '}}'"]
    assert attacks.read_text() == before


def test_an_entry_that_does_not_parse_is_one_error_not_one_per_relation_naming_it(site, capsys):
    """An unclosed brace in older2020latent also gave "bib/defenses.bib:7: noise2021dp:
    'evaluates' names 'older2020latent', which is not in the library" (and a file that is
    not UTF-8, one such error per relation and ledger item naming any of its entries)."""
    attacks = site / "bib" / "attacks.bib"
    attacks.write_text(attacks.read_text().replace("title         = {An Older Latent Attack}",
                                                   "title         = {An Older {Latent Attack}"))
    (site / "bib" / "pending.yml").write_text(
        "- title: An Older Latent Attack, the preprint\n  lists:\n  - name: a/list\n"
        "    url: https://example.org/list\n  status: duplicate\n  duplicate_of: older2020latent\n"
        "  reason: the preprint\n")
    capsys.readouterr()
    assert main(["check"]) == 1
    assert [line.split(": ")[1] for line in capsys.readouterr().out.splitlines()] == [
        "older2020latent"]
    attacks.write_bytes(attacks.read_text().replace("Older, Olga", "Older, Ölga").encode("latin-1"))
    assert main(["check"]) == 1
    assert capsys.readouterr().out.splitlines() == ["bib/attacks.bib:19: not valid UTF-8 (byte 759)"]


def test_input_that_does_not_parse_is_named_as_the_user_gave_it(site, monkeypatch, capsys):
    """Pasted BibTeX was labelled '-:1:' ('<stdin>' only without the '-'), a fetched record
    '<stdin>', and an entry that did not parse ended in 'no entry found in the input'."""
    from gradleak import fetch

    cut = "@misc{k, title={T}, author={A, B}, year={2020}\n"
    for args in (["add", "-"], ["add"]):
        proc = run(*args, "--tags", "optimization", stdin=cut)
        assert proc.returncode == 1
        assert proc.stdout.startswith("<stdin>:1: k: unparsable entry"), proc.stdout
        assert proc.stderr == "gradleak add: nothing added: fix the input first (<stdin>, above)\n"
    proc = run("add", "-", "--tags", "optimization", stdin="no BibTeX here\n")
    assert proc.stderr == "gradleak add: nothing added: no entry found in <stdin>\n"
    (site / "paper.bib").write_text(cut)
    proc = run("add", "paper.bib", "--tags", "optimization")
    assert proc.stdout.startswith("paper.bib:1: k: unparsable entry"), proc.stdout
    monkeypatch.setattr(fetch, "bibtex_for_arxiv", lambda text, http: (cut, "arXiv"))
    assert main(["add", "--arxiv", "2003.14053", "--tags", "optimization"]) == 1
    assert capsys.readouterr().out.startswith("<arXiv record>:1: k: unparsable entry")


def test_an_entry_without_a_field_the_library_requires_fails_check_not_only_ci(site):
    """Walking CONTRIBUTING.md: a paper added without `checked` (or tldr, venue) passed
    `readme && check && fmt --check`; CI then failed on a test of the live library. The
    library's taxonomy names the fields every entry has, and `check` reports the entry."""
    taxonomy = site / "bib" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text() + "required: [tldr, venue, checked]\n")
    new = "@misc{k, title={Brand New Leakage}, author={Neu, Nora}, year={2026}}"
    proc = run("add", "-", "--tags", "optimization,image", "--added", "2026-12", stdin=new)
    assert proc.returncode == 0, proc.stderr
    assert "  to fill in: checked = {the pages you checked every field against, separated by " \
           "'; '} (required: `check` fails without it)" in proc.stdout.splitlines()
    assert "to fix" not in proc.stdout  # each said once, as what to fill in
    line = next(i for i, text in enumerate((site / "bib" / "attacks.bib").read_text().splitlines(), 1)
                if text.startswith("@misc{neu2026brand,"))
    proc = run("check")
    assert proc.returncode == 1
    mine = [text for text in proc.stdout.splitlines() if "neu2026brand" in text]
    assert mine == [
        f"bib/attacks.bib:{line}: neu2026brand: no '{name}' field, which every entry of this "
        f"library has ('required' in bib/taxonomy.yml): add {write}"
        for name, write in (("checked", "checked = {the pages you checked every field against, "
                                        "separated by '; '}"),
                            ("tldr", "tldr = {one or two sentences in our own words}"),
                            ("venue", "venue = {a short label for filters, e.g. NeurIPS}"))]


def test_add_says_what_the_ledger_has_on_the_paper(site):
    """CONTRIBUTING.md: 'to resolve an unverified item: check the paper, add it with
    gradleak add, record its checked sources, delete the item'. `add` said nothing of the
    item; only a later `check` did (and nothing of an item that calls the paper out of scope)."""
    from test_ledger import GOOD

    (site / "bib" / "pending.yml").write_text(GOOD)
    new = "@misc{k, title={A Paper We Could Not Check}, author={Neu, Nora}, year={2021}}"
    proc = run("add", "-", "--tags", "optimization", "--dry-run", stdin=new)
    assert "  to fill in: delete the ledger item it resolves (bib/pending.yml:1, same title, " \
           "unverified)" in proc.stdout.splitlines()
    new = "@misc{k, title={Backdoors Only}, author={Neu, Nora}, year={2021}}"
    proc = run("add", "-", "--tags", "optimization", "--dry-run", stdin=new)
    assert "  check: the ledger calls this paper out of scope (bib/pending.yml:8, same title): " \
           "is it in scope now? If so, delete the item" in proc.stdout.splitlines()
    new = "@misc{k, title={Unrelated Leakage}, author={Neu, Nora}, year={2021}}"
    assert "ledger" not in run("add", "-", "--tags", "optimization", "--dry-run", stdin=new).stdout
