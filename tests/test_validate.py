from pathlib import Path

from gradleak import bib
from gradleak.catalog import load_catalog
from gradleak.interpret import interpret
from gradleak.taxonomy import parse_taxonomy
from gradleak.validate import check_library, find_duplicate

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini" / "bib"
TAXONOMY, _ = parse_taxonomy((FIXTURE / "taxonomy.yml").read_text(), "bib/taxonomy.yml")
ATTACKS = TAXONOMY.groups[1]


def problems_of(text, group=ATTACKS):
    entries, problems = bib.parse(text, "bib/attacks.bib")
    for entry in entries:
        problems += interpret(entry, group, TAXONOMY)[1]
    return [str(p) for p in problems]


def test_a_good_entry_has_no_problem():
    assert problems_of("@misc{k, title={T}, author={A, B}, year={2020}, keywords={optimization, image}}") == []


def test_missing_title_author_year_and_booktitle():
    assert problems_of("@inproceedings{k,\n keywords = {optimization}\n}") == [
        "bib/attacks.bib:1: k: missing required field 'title' for @inproceedings",
        "bib/attacks.bib:1: k: missing required field 'author' for @inproceedings",
        "bib/attacks.bib:1: k: missing required field 'year' for @inproceedings",
        "bib/attacks.bib:1: k: missing required field 'booktitle' for @inproceedings",
    ]


def test_tags_must_be_in_the_taxonomy_and_start_with_an_own_category():
    base = "@misc{k,\n title={T},\n author={A, B},\n year={2020},\n keywords = {%s}\n}"
    assert problems_of(base % "optimization, imagez") == [
        "bib/attacks.bib:5: k: unknown tag 'imagez': not in the taxonomy (did you mean 'image'?)"]
    assert problems_of(base % "image, optimization") == [
        "bib/attacks.bib:5: k: the first tag 'image' must be a category of 'attacks'"]
    assert problems_of(base % "differential-privacy") == [
        "bib/attacks.bib:5: k: category 'differential-privacy' belongs to group 'defenses', not to 'attacks'",
        "bib/attacks.bib:5: k: no category: 'keywords' must name one of attacks's categories first",
    ]


def test_formats_of_year_url_doi_arxiv_added_and_unknown_fields():
    text = ("@misc{k,\n title={T},\n author={A, B},\n year={20x0},\n url={javascript:alert(1)},\n"
            " doi={https://doi.org/10.1/x},\n eprint={arXiv:2001.1},\n added={2026-13},\n"
            " booktile={X},\n abstract={copied},\n keywords={optimization},\n tldr={ }\n}")
    assert problems_of(text) == [
        "bib/attacks.bib:4: k: malformed year '20x0': expected four digits",
        "bib/attacks.bib:5: k: malformed url 'javascript:alert(1)': expected an http(s) URL",
        "bib/attacks.bib:6: k: malformed doi 'https://doi.org/10.1/x': expected a bare DOI such as 10.1234/abc",
        "bib/attacks.bib:7: k: malformed arXiv id 'arXiv:2001.1': expected e.g. 2003.14053 (no version)",
        "bib/attacks.bib:8: k: malformed added '2026-13': expected YYYY-MM",
        "bib/attacks.bib:9: k: unknown field 'booktile' (did you mean 'booktitle'?)",
        "bib/attacks.bib:10: k: unknown field 'abstract' (abstracts are not kept in the library)",
        "bib/attacks.bib:12: k: empty tldr",
    ]


def test_a_bare_ampersand_is_an_error_but_an_escaped_one_and_urls_are_fine():
    text = ("@article{k,\n title={Privacy \\& Leakage},\n author={A, B},\n year={2020},\n"
            " journal={Computers & Security},\n url={https://x.org/?a=1&b=2},\n keywords={optimization}\n}")
    assert problems_of(text) == [
        "bib/attacks.bib:5: k: unescaped '&' in 'journal': write \\& (LaTeX stops on a bare &)"]


def test_bare_percent_hash_and_underscore_are_errors_outside_math_and_urls():
    """A bare % passed the check, then cut the title short on the site (and in LaTeX)."""
    text = ("@article{k,\n title={Leakage in 90% of Fed_Avg #1 runs with $\\ell_2$, \\_ \\% \\#},\n"
            " author={A, B},\n year={2020},\n journal={J},\n note={\\url{https://x.org/a_b#c%20}},\n"
            " keywords={optimization}\n}")
    assert problems_of(text) == [
        "bib/attacks.bib:2: k: unescaped '%' in 'title': write \\% (LaTeX reads the rest of the "
        "line as a comment)",
        "bib/attacks.bib:2: k: unescaped '#' in 'title': write \\# (LaTeX stops on a bare #)",
        "bib/attacks.bib:2: k: unescaped '_' in 'title': write \\_ (LaTeX allows _ only in math, "
        "between $...$)",
    ]


def test_a_string_concatenation_is_reported_once():
    text = '@misc{k,\n title = "A " # "B",\n author={A, B},\n year={2020},\n keywords={optimization}\n}'
    assert problems_of(text) == [
        "bib/attacks.bib:2: k: field 'title': bare value '\"A \" # \"B\"' is not a number: "
        "enclose it in braces"]


def test_and_others_is_an_error_the_catalog_lists_every_author():
    text = "@misc{k,\n title={T},\n author={A, B and C, D and others},\n year={2020},\n keywords={optimization}\n}"
    assert problems_of(text) == [
        "bib/attacks.bib:3: k: 'author' ends with 'and others': list every author, as the "
        "paper's own page names them"]


def test_an_arxiv_url_or_doi_needs_its_eprint():
    """An entry with only an arXiv URL had no arXiv id on the site: not shown, not found by
    it, and not compared with the library's other arXiv ids."""
    text = "@misc{k,\n title={T},\n author={A, B},\n year={2020},\n %s\n keywords={optimization}\n}"
    assert problems_of(text % "url={https://arxiv.org/abs/1906.08935v2},") == [
        "bib/attacks.bib:5: k: 'url' is arXiv 1906.08935's: add eprint = {1906.08935} and "
        "archiveprefix = {arXiv} (the site shows, searches and compares papers by their arXiv id)"]
    assert problems_of(text % "doi={10.48550/arXiv.1906.08935}, eprint={1906.08936}, "
                              "archiveprefix={arXiv},") == [
        "bib/attacks.bib:5: k: 'doi' is arXiv 1906.08935's, but eprint is 1906.08936"]
    assert problems_of(text % "url={https://arxiv.org/pdf/1906.08935}, eprint={1906.08935}, "
                              "archiveprefix={arXiv},") == []


def test_library_checks_duplicates_and_relations():
    entries, _ = bib.parse(
        "@misc{a, title={Deep {L}eakage}, author={A, B}, year={2019}, eprint={1906.08935},"
        " archiveprefix={arXiv}, keywords={optimization}, breaks={nothere}}\n"
        "@misc{b, title={Deep Leakage}, author={A, B}, year={2019}, eprint={1906.08935},"
        " archiveprefix={arXiv}, keywords={optimization}, breaks={b}}\n", "bib/attacks.bib")
    papers = [interpret(e, ATTACKS, TAXONOMY)[0] for e in entries]
    assert [str(p) for p in check_library(papers)] == [
        "bib/attacks.bib:2: b: the same paper as 'a' (bib/attacks.bib:1): same arXiv id",
        "bib/attacks.bib:2: b: the same paper as 'a' (bib/attacks.bib:1): same title",
        "bib/attacks.bib:1: a: 'breaks' names 'nothere', which is not in the library",
        "bib/attacks.bib:2: b: 'breaks' names the entry itself",
    ]


def test_fixture_library_is_clean_and_complete():
    catalog = load_catalog(FIXTURE)
    assert catalog.diagnostics == ()
    assert sorted(p.key for p in catalog.papers) == [
        "balunovic2022bayesian", "noise2021dp", "older2020latent", "smith2023survey"]
    paper = next(p for p in catalog.papers if p.key == "smith2023survey")
    assert paper.authors == ("Hannah Dröge", "Søren Østergaard", "Jan van der Berg")
    assert paper.link == "https://doi.org/10.1234/example.2023.1"


def test_a_bib_file_outside_the_taxonomy_and_bad_utf8_are_reported(tmp_path):
    for f in FIXTURE.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "extra.bib").write_text("@misc{x, title={x}}")
    (tmp_path / "defenses.bib").write_bytes(b"@misc{d,\n title={caf\xe9}}\n")
    messages = [str(d) for d in load_catalog(tmp_path).diagnostics]
    folder = tmp_path.name
    assert f"{folder}/defenses.bib:2: not valid UTF-8 (byte 20)" in messages
    assert any(m.startswith(f"{folder}/extra.bib: not the file of any group") for m in messages)


def test_a_key_repeated_across_files_is_reported_and_kept_once(tmp_path):
    for f in FIXTURE.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    defenses = tmp_path / "defenses.bib"
    defenses.write_text(defenses.read_text().replace("@inproceedings{noise2021dp", "@inproceedings{older2020latent"))
    catalog = load_catalog(tmp_path)
    keys = [p.key for p in catalog.papers]
    assert keys.count("older2020latent") == 1
    assert any(d.key == "older2020latent" and d.message.startswith("duplicate key: also at")
               for d in catalog.diagnostics)


def test_an_arxiv_id_without_archiveprefix_is_reported_not_dropped():
    # It used to pass the check and then vanish from the card and the duplicate check.
    base = "@misc{k,\n title={T},\n author={A, B},\n year={2020},\n eprint={2003.14053},%s\n keywords={optimization}\n}"
    assert problems_of(base % "") == [
        "bib/attacks.bib:5: k: eprint without archiveprefix = {arXiv}: add it (the library's "
        "eprints are arXiv ids; BibTeX styles link them only with it)"]
    assert problems_of(base % "\n archiveprefix={arXiv},") == []
    entries, _ = bib.parse(base % "\n archiveprefix={arXiv},", "bib/attacks.bib")
    paper = interpret(entries[0], ATTACKS, TAXONOMY)[0]
    assert paper.arxiv == "2003.14053"
    assert paper.link == "https://arxiv.org/abs/2003.14053"
    assert problems_of("@misc{k, title={T}, author={A, B}, year={2020}, archiveprefix={arXiv},"
                       " keywords={optimization}}") == [
        "bib/attacks.bib:1: k: archiveprefix = {arXiv} without an eprint: add the arXiv id"]


def test_checked_lists_urls_and_is_a_site_field():
    base = "@misc{k,\n title={T},\n author={A, B},\n year={2020},\n keywords={optimization},\n checked={%s}\n}"
    good = "https://arxiv.org/abs/2003.14053; https://dblp.org/rec/conf/nips/GeipingBD020"
    assert problems_of(base % good) == []
    assert problems_of(base % "arxiv; https://dblp.org/x") == [
        "bib/attacks.bib:6: k: malformed checked item 'arxiv': expected http(s) URLs separated by '; '"]
    assert problems_of(base % " ") == [
        "bib/attacks.bib:6: k: empty checked: list the pages the entry was checked against"]
    entries, _ = bib.parse(base % good, "bib/attacks.bib")
    paper = interpret(entries[0], ATTACKS, TAXONOMY)[0]
    assert paper.checked == tuple(good.split("; "))
    assert "checked" not in paper.bibtex and "keywords" not in paper.bibtex
    assert paper.bibtex.startswith("@misc{k,")


def test_add_and_the_library_agree_on_the_same_paper():
    entries, _ = bib.parse(
        "@misc{a, title={Deep {L}eakage}, author={A, B}, year={2019}, keywords={optimization}}\n"
        "@misc{b, title={Other}, author={A, B}, year={2019}, doi={10.1234/X}, keywords={optimization}}\n"
        "@misc{c, title={Deep Leakage!}, author={C, D}, year={2020}, keywords={optimization}}\n"
        "@misc{d, title={New}, author={C, D}, year={2020}, doi={10.1234/x}, keywords={optimization}}\n",
        "bib/attacks.bib")
    a, b, c, d = (interpret(e, ATTACKS, TAXONOMY)[0] for e in entries)
    assert find_duplicate(c, [a, b]) == (a, "title")
    assert find_duplicate(d, [a, b]) == (b, "DOI")
    assert find_duplicate(b, [a]) is None
    assert [m.message.rsplit(': ', 1)[1] for m in check_library([a, b, c, d])] == [
        "same DOI", "same title"]


def test_a_caret_outside_math_and_an_unpaired_dollar_are_errors():
    """`Leakage^2` and `Paying 5$ per Leak` passed check and the strict build; pdflatex
    stops on both ('Missing $ inserted'). Math, accents and escapes stay fine."""
    text = "@misc{k,\n title={%s},\n author={A, B},\n year={2020},\n keywords={optimization}\n}"
    assert problems_of(text % "Leakage^2 in FL") == [
        "bib/attacks.bib:2: k: unescaped '^' in 'title': write \\textasciicircum{} (LaTeX "
        "allows ^ only in math, between $...$)"]
    assert problems_of(text % "Paying 5$ per Leak") == [
        "bib/attacks.bib:2: k: unpaired '$' in 'title': close the math with a second $, or "
        "write \\$ for a dollar sign"]
    assert problems_of(text % "Sp$^2$ and $n^{-1}$ at 5\\$ with {\\^o} and \\^{e} \\$^") == [
        "bib/attacks.bib:2: k: unescaped '^' in 'title': write \\textasciicircum{} (LaTeX "
        "allows ^ only in math, between $...$)"]
    assert problems_of(text % "Sp$^2$ and $n^{-1}$ at 5\\$ with {\\^o} and \\^{e}") == []


def test_a_misspelt_category_is_reported_once_with_its_fix():
    """'optimisation, image' gave two errors, the first (sorted by message) 'no category:
    keywords must name one of attacks's categories first', which a contributor who wrote
    one cannot place; the misspelling, with its fix, is the problem."""
    base = "@misc{k,\n title={T},\n author={A, B},\n year={2020},\n keywords = {%s}\n}"
    assert problems_of(base % "optimisation, image") == [
        "bib/attacks.bib:5: k: unknown tag 'optimisation': not in the taxonomy (did you mean "
        "'optimization'?)"]
    assert problems_of(base % "image") == [
        "bib/attacks.bib:5: k: no category: 'keywords' must name one of attacks's categories first"]


def test_an_undefined_latex_macro_is_an_error_naming_file_line_key_and_field():
    """`\\foo{x}` or a misspelt `\\textbff` passed check and the strict build: LaTeX stops on
    it ('Undefined control sequence') and the site quietly showed 'x'; `\\texttt{x}` showed
    nothing at all. Accents, \\emph, escapes and math stay fine."""
    text = ("@misc{k,\n title={%s},\n author={%s},\n year={2020},\n keywords={optimization},\n"
            " tldr={%s}\n}")
    assert problems_of(text % ("\\foo{Deep} Leakage", "A, B", "T.")) == [
        "bib/attacks.bib:2: k: unsupported LaTeX macro '\\foo' in 'title': LaTeX and the site "
        "both handle only the accents, \\emph, \\textbf, \\textit and the others CONTRIBUTING.md "
        "lists; write plain text or one of them"]
    assert problems_of(text % ("T", "Sm\\itth, B", "A \\textbff{bold} claim.")) == [
        "bib/attacks.bib:3: k: unsupported LaTeX macro '\\itth' in 'author': LaTeX and the site "
        "both handle only the accents, \\emph, \\textbf, \\textit and the others CONTRIBUTING.md "
        "lists; write plain text or one of them",
        "bib/attacks.bib:6: k: unsupported LaTeX macro '\\textbff' in 'tldr' (did you mean "
        "'\\textbf'?): LaTeX and the site both handle only the accents, \\emph, \\textbf, "
        "\\textit and the others CONTRIBUTING.md lists; write plain text or one of them"]
    assert problems_of(text % ("\\texttt{GAN}s with \\alpha", "A, B", "T.")) == [
        "bib/attacks.bib:2: k: unsupported LaTeX macro '\\texttt' in 'title' (did you mean "
        "'\\textit'?): LaTeX and the site both handle only the accents, \\emph, \\textbf, "
        "\\textit and the others CONTRIBUTING.md lists; write plain text or one of them",
        "bib/attacks.bib:2: k: '\\alpha' in 'title' works only in math: put it between $...$"]
    assert problems_of(text % ("$\\c{c}$ \\url{https://x.org/\\foo}", "A, B", "T.")) == [
        "bib/attacks.bib:2: k: '\\c' in 'title' does not work in math: move it out of the $...$"]
    fine = ("\\emph{Deep} {\\c C}i{\\c{c}}ek's $\\ell_2$, $\\mathbf{x}$ and $\\frac{1}{n}$ "
            "at 5\\$ \\& 10\\% \\ldots{} \\textbf{\\textit{x}} a\\\\b \\'{e}")
    assert problems_of(text % (fine, "Garc{\\'\\i}a, J. and {\\O}stergaard, {\\AA}se", fine)) == []
