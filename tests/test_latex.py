import unicodedata
from pathlib import Path

import pytest
from gradleak.latex import display_name, split_names, surname, to_text
from hypothesis import given, settings
from hypothesis import strategies as st


def test_accents_dashes_and_protection_braces():
    assert to_text(r"{GAN}s -- Dr{\"o}ge {\o} Balunovi{\'c}") == "GANs – Dröge ø Balunović"


def test_math_is_shown_as_text():
    assert to_text(r"$\epsilon$-Differential Privacy") == "ϵ-Differential Privacy"


def test_simple_math_scripts_are_shown_as_unicode():
    assert to_text(r"{$\ell_2$}-Bounded $O(n^2)$ with $\epsilon_{i+1}$") == "ℓ₂-Bounded O(n²) with ϵᵢ₊₁"
    assert to_text(r"$10^{-3}$ and $x_{\max}$ and $a_B$") == "10⁻³ and x_max and a_B"  # no small form
    assert to_text(r"Fed\_Avg $x$") == "Fed_Avg x"  # an escaped _ outside math is the character


def test_html_like_text_is_left_alone_for_the_escaper():
    assert to_text('Sp<sup>2</sup> "quoted" *star*') == 'Sp<sup>2</sup> "quoted" *star*'


def test_a_bare_percent_ampersand_or_hash_is_shown_not_dropped():
    """A summary such as "R{\\'e}nyi DP keeps 90% ..." lost everything after the % (LaTeX
    reads a comment) and its & (an alignment tab) once the value held any other LaTeX."""
    assert to_text(r"R{\'e}nyi DP keeps 90% of accuracy & more") == (
        "Rényi DP keeps 90% of accuracy & more")
    assert to_text(r"\emph{Fed} #1 at 5% $\epsilon$") == "Fed #1 at 5% ϵ"
    assert to_text(r"R{\'e}nyi 0.1\% \& \#2") == "Rényi 0.1% & #2"  # escaped: unchanged


def test_whitespace_is_collapsed_and_ties_become_spaces():
    assert to_text("A\n   long~title") == "A long title"


def test_names_in_reading_order():
    names = split_names(r"Dr{\"o}ge, Hannah and Jonas Geiping and van der Berg, Jan and Smith, Jr., John")
    assert [display_name(n) for n in names] == [
        "Hannah Dröge", "Jonas Geiping", "Jan van der Berg", "John Smith, Jr."]
    assert surname(names[2]) == "van der Berg"


def test_one_person_with_two_given_names_stays_one_person():
    assert [display_name(n) for n in split_names("Ovi, Pretom Roy and Gangopadhyay, Aryya")] == [
        "Pretom Roy Ovi", "Aryya Gangopadhyay"]


def test_corporate_author_in_braces():
    assert [display_name(n) for n in split_names("{OpenAI Research}")] == ["OpenAI Research"]


def _full_decoder(value: str) -> str:
    """What pylatexenc itself makes of ``value`` (bare %, & and # escaped, simple math
    scripts in Unicode, as to_text reads them), spaces normalized as to_text does."""
    from gradleak.latex import _prepare
    from pylatexenc.latex2text import LatexNodes2Text

    text = LatexNodes2Text(math_mode="text", strict_latex_spaces=False).latex_to_text(
        _prepare(value))
    return " ".join(text.replace("\xa0", " ").split())


LATEX_PIECES = ["a", "E", "i", "o", " ", "\n", "\t", "{", "}", "{}", "-", "`", "'", '"', "~", "^",
                "=", ".", "&", "%", "$", "\\", "\\\\", "\\'", '\\"', "\\`", "\\^", "\\~", "\\=",
                "\\.", "\\c", "\\u", "\\v", "\\H", "\\k", "\\r", "\\d", "\\b", "\\t", "\\o",
                "\\O", "\\l", "\\i", "\\j", "\\ss", "\\ae", "\\oe", "\\AA", "\\&", "\\%", "\\_",
                "\\#", "\\$"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(LATEX_PIECES), max_size=10).map("".join))
def test_the_common_latex_shortcut_agrees_with_the_decoder(value):
    """Whatever to_text decodes itself, pylatexenc would have decoded the same way."""
    from gradleak.latex import _common_latex

    if _common_latex(value) is not None:
        assert to_text.__wrapped__(value) == _full_decoder(value)


def test_the_shortcut_takes_the_common_forms_and_leaves_the_rest():
    from gradleak.latex import _common_latex

    for value in (r"Balunovi{\'c}", r"Fran{\c{c}}oise", r"{\c C}i{\c{c}}ek", r"Garc{\'\i}a",
                  r"{\O}stergaard", r"Erdo{\u{g}}an", r"EuroS\&P", r"{GAN}s -- a ``study''"):
        assert _common_latex(value) is not None, value
        assert to_text(value) == _full_decoder(value)
    for value in (r"$\epsilon$-DP", r"\textbf{x}", r"a\\b", "100% {x}", r"\'{ee}"):
        assert _common_latex(value) is None, value


@pytest.mark.live
def test_every_value_of_the_library_decodes_as_the_decoder_would():
    from gradleak.bib import parse

    checked = 0
    for path in sorted((Path(__file__).parents[1] / "bib").glob("*.bib")):
        entries, _ = parse(path.read_text(encoding="utf-8"), path.name)
        for entry in entries:
            for name in ("title", "journal", "booktitle", "tldr", "venue", "milestone"):
                value = entry.get(name)
                if value and ("{" in value or "\\" in value):
                    assert to_text.__wrapped__(value) == _full_decoder(value), (entry.key, name)
                    checked += 1
    assert checked > 50  # the library protects capitals with braces in many titles


def test_every_macro_check_accepts_is_shown_by_the_site():
    """`check` accepts only macros the decoder renders: the argument kept, a symbol shown
    (\\texttt{x} showed nothing, so it is refused)."""
    from gradleak.latex import MATH_MACROS, TEXT_MACROS, unknown_macros

    arguments = {"emph", "textbf", "textit", "textsl", "textrm", "textnormal", "url"}
    for macro in sorted(TEXT_MACROS):
        value = f"A \\{macro}{{x}} B"
        shown = to_text.__wrapped__(value)
        assert unknown_macros(value) == []
        assert "x" in unicodedata.normalize("NFKD", shown) and (macro in arguments or shown != "A x B"), (macro, shown)
        assert "\\" not in shown or macro == "textbackslash", (macro, shown)
    for macro in sorted(MATH_MACROS):
        value = "$\\" + macro + "{x}{y}$"
        shown = to_text.__wrapped__(value)
        assert unknown_macros(value) == []
        assert "x" in unicodedata.normalize("NFKD", shown), (macro, shown)
        assert "\\" not in shown and "$" not in shown, (macro, shown)
    for refused in (r"\texttt{x}", r"\textsf{x}", r"\mbox{x}", r"\LaTeX", r"\foo{x}", r"\textsc{x}"):
        assert unknown_macros(refused), refused
