"""Property tests: any input goes through parse -> validate -> render with nothing but our
own diagnostics; fmt is lossless and idempotent."""

from __future__ import annotations

from pathlib import Path

from gradleak import bib
from gradleak.catalog import load_group
from gradleak.export import clean_bibtex
from gradleak.fmt import format_text, same_entries
from gradleak.model import Catalog
from gradleak.render import render_all, render_group
from gradleak.taxonomy import parse_taxonomy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini" / "bib"
TAXONOMY, _ = parse_taxonomy((FIXTURE / "taxonomy.yml").read_text(), "bib/taxonomy.yml")
ATTACKS = TAXONOMY.groups[1]
SEED = (FIXTURE / "attacks.bib").read_text() + (FIXTURE / "surveys.bib").read_text()
SYNTAX = "{}@,=\"\\%#$~&-\n ()<>'`"

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pipeline(text: str) -> None:
    """The whole path a library takes at build time, on one group."""
    papers, problems = load_group(text, "bib/attacks.bib", ATTACKS, TAXONOMY)
    assert all(p.file == "bib/attacks.bib" and p.message for p in problems)
    catalog = Catalog(TAXONOMY, tuple(papers), tuple(problems))
    bibtex = clean_bibtex(catalog)
    render_group(catalog, ATTACKS, bibtex)
    render_all(catalog, bibtex)
    for entry in bib.parse(bib.to_bibtex([p.raw for p in papers]), "x")[0]:
        assert entry.key in bibtex


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(SYNTAX), max_size=400))
def test_random_text_never_raises(text):
    pipeline(text)


@st.composite
def mutated_seed(draw):
    text = SEED
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(SYNTAX) | st.text(max_size=3)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        else:
            size = draw(st.integers(1, 200))
            text = text[:at] + text[at:at + size] + text[at:]
    return text


@SETTINGS
@given(mutated_seed())
def test_mutated_libraries_never_raise(text):
    pipeline(text)


balanced = st.recursive(
    st.text(alphabet=st.characters(blacklist_characters="{}\\\r", codec="utf-8"), max_size=20),
    lambda inner: st.builds(lambda a, b, c: f"{a}{{{b}}}{c}", inner, inner, inner),
    max_leaves=4,
)
field_names = st.sampled_from(["title", "author", "year", "journal", "booktitle", "doi", "url",
                               "pages", "note", "keywords", "tldr", "code", "venue", "added"])


@st.composite
def libraries(draw):
    keys = draw(st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True),
                         min_size=1, max_size=6, unique=True))
    lines = []
    for key in keys:
        kind = draw(st.sampled_from(["misc", "article", "inproceedings"]))
        names = draw(st.lists(field_names, min_size=1, max_size=6, unique=True))
        body = ",\n".join(f"  {n} = {{{draw(balanced)}}}" for n in names)
        lines.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(draw(st.permutations(lines)))


@SETTINGS
@given(libraries())
def test_fmt_is_lossless_and_idempotent(text):
    before, problems = bib.parse(text, "x.bib")
    assert problems == []
    out, problems = format_text(text, "x.bib")
    assert problems == []
    assert same_entries(before, bib.parse(out, "x.bib")[0])
    assert format_text(out, "x.bib") == (out, [])


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_coins_quoting_is_exactly_quote_plus(value):
    from urllib.parse import quote_plus

    from gradleak.templating import form_quote

    assert form_quote(value) == quote_plus(value)
