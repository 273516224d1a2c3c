"""LaTeX in titles and names, turned into the Unicode text a reader expects (display only)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latex2text import LatexNodes2Text

_NEEDS_DECODING = re.compile(r"[\\{}$~]|--|``|''")
# The common LaTeX of names and titles (accented letters, special letters, escaped
# symbols, ties, braces, dash and quote ligatures) is decoded here; anything else goes to
# pylatexenc (slow). Tests check that both agree on every value this path takes.
_SYMBOL_ACCENTS = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303",
                   "=": "\u0304", ".": "\u0307"}
_LETTER_ACCENTS = {"c": "\u0327", "u": "\u0306", "v": "\u030c", "H": "\u030b", "k": "\u0328",
                   "r": "\u030a", "d": "\u0323", "b": "\u0331"}
_SPECIAL_LETTERS = {"o": "\u00f8", "O": "\u00d8", "l": "\u0142", "L": "\u0141", "i": "\u0131",
                    "j": "\u0237", "ss": "\u00df", "ae": "\u00e6", "AE": "\u00c6", "oe": "\u0153",
                    "OE": "\u0152", "aa": "\u00e5", "AA": "\u00c5"}
# One pass, left to right: an accent and its letter ({e}, e, \i), or a special letter.
_MACRO = re.compile(
    r"""\\(?:(?P<symbol>['"`^~=.])\s*|(?P<letter>[cuvHkrdb])(?:\s+|(?=\{)))"""
    r"(?:\{(?P<braced>[A-Za-z]|\\[ij])\}|(?P<bare>[A-Za-z])|\\(?P<dotless>[ij])(?![A-Za-z])\s*)"
    r"|\\(?P<special>ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])(?:\{\}|\s*)")
_PARAGRAPH = re.compile(r"\n\s*\n")
_ESCAPED = re.compile(r"\\([&%_#$])")
_NEEDS_DECODER = re.compile(r"[\\$%&]")
_LIGATURES = re.compile(r"---|--|``|''")
_LIGATURE_TEXT = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d"}


def _macro(match: re.Match) -> str:
    if match.group("special"):
        return _SPECIAL_LETTERS[match.group("special")]
    symbol, letter = match.group("symbol"), match.group("letter")
    mark = _SYMBOL_ACCENTS[symbol] if symbol else _LETTER_ACCENTS[letter]
    base = match.group("braced") or match.group("bare") or match.group("dotless")
    return unicodedata.normalize("NFC", base[-1] + mark)


def _common_latex(value: str) -> str | None:
    """``value`` decoded, or None when it holds LaTeX beyond the common cases."""
    if "\\\\" in value or _PARAGRAPH.search(value):  # line or paragraph breaks
        return None
    text = _MACRO.sub(_macro, value)
    if _NEEDS_DECODER.search(_ESCAPED.sub("", text)):
        return None
    text = _ESCAPED.sub(r"\1", text)
    text = _LIGATURES.sub(lambda m: _LIGATURE_TEXT[m.group()], text.replace("~", " "))
    return text.replace("{", "").replace("}", "")


_CONVERTER = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)
_SPACES = re.compile(r"\s+")
# A bare %, & or # in a value means the character: read as LaTeX, a % would drop the rest
# of the value (a comment) and a & vanish (an alignment tab). `check` reports them where
# they reach BibTeX exports; the site's own fields (tldr, milestone) may hold them.
_BARE_SPECIAL = re.compile(r"(?<!\\)[%&#]")
# Simple sub- and superscripts in math ($\ell_2$, $n^{-1}$) as Unicode (the decoder keeps
# "l_2" as it is); a script with a character Unicode has no small form for is left alone.
MATH_SPAN = re.compile(r"(?<!\\)\$(?:[^$\\]|\\.)*\$")  # $...$, also for check
_SCRIPT = re.compile(r"([_^])(?:\{([^{}\\]+)\}|([^{}\\\s$]))")
_SCRIPTS = {"_": dict(zip("0123456789+-=()aehijklmnoprstuvx",
                          "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)),
            "^": dict(zip("0123456789+-=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ", strict=True))}


def _script(match: re.Match) -> str:
    small = _SCRIPTS[match.group(1)]
    body = match.group(2) if match.group(2) is not None else match.group(3)
    if not all(c in small for c in body):
        return match.group()
    return "{}" + "".join(small[c] for c in body)  # {}: ends a macro name before it


def _prepare(value: str) -> str:
    """``value`` with its bare %, & and # escaped and its simple math scripts in Unicode:
    what both decoding paths read."""
    value = _BARE_SPECIAL.sub(r"\\\g<0>", value)
    if "$" in value:
        value = MATH_SPAN.sub(lambda m: _SCRIPT.sub(_script, m.group()), value)
    return value


# The LaTeX macros a value may use: those LaTeX itself defines (the url package aside, which
# biblatex and the url-printing styles load) and that the site's decoder turns into the right
# text. Any other macro passed `check` and then stopped LaTeX ("Undefined control sequence")
# while the site silently dropped it, or its argument (\texttt{x} shows nothing). Tests
# render each with to_text and compile each with pdflatex.
# (Not \textsc: Latin Modern has no italic small caps for biblatex's italic titles; not \b
# or \d: biber makes them Unicode letters that pdflatex's T1 fonts lack.)
TEXT_MACROS = frozenset({
    *(set(_LETTER_ACCENTS) - {"b", "d"}), *_SPECIAL_LETTERS,  # accents, special letters: \c{c}, \o
    "emph", "textbf", "textit", "textsl", "textrm", "textnormal", "url",
    "ldots", "dots", "textellipsis", "textendash", "textemdash", "textquoteleft",
    "textquoteright", "textquotedblleft", "textquotedblright", "textbackslash",
    "textasciicircum", "textasciitilde", "textbullet", "textregistered", "texttrademark",
    "dag",
})
#: Between $...$: symbols, operators and alphabets of LaTeX's own math (no amssymb).
MATH_MACROS = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho",
    "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma",
    "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    "ell", "infty", "partial", "nabla", "cdot", "cdots", "ldots", "dots", "times", "pm", "mp",
    "leq", "geq", "le", "ge", "neq", "approx", "sim", "simeq", "equiv", "in", "notin",
    "subset", "subseteq", "cup", "cap", "to", "rightarrow", "leftarrow", "log", "exp", "ln",
    "min", "max", "sum", "prod", "int", "forall", "exists", "emptyset", "mid", "ast", "star",
    "circ", "sqrt", "frac", "mathbf", "mathrm", "mathit", "mathcal", "mathsf", "mathtt",
    "hat", "tilde", "bar", "vec", "dot", "textrm", "textbf", "textit", "textnormal", "emph",
})
_CONTROL = re.compile(r"\\(?:([A-Za-z]+)|.)", re.DOTALL)
_URL_ARGUMENT = re.compile(r"\\url\s*\{[^{}]*\}")


def unknown_macros(value: str) -> list[tuple[str, str | None]]:
    """Each macro of ``value`` that LaTeX or the site would not handle where it stands, with
    what is wrong: None (no such macro), "math" (a math macro outside $...$) or "text" (a
    text macro between $...$). Control symbols (\\', \\&, \\\\) are not macros here."""
    if "\\" not in value:
        return []
    value = _URL_ARGUMENT.sub("", value)
    found: list[tuple[str, str | None]] = []
    start = 0
    for span in [*MATH_SPAN.finditer(value), None]:
        end = span.start() if span else len(value)
        for name in _CONTROL.findall(value, start, end):
            if name and name not in TEXT_MACROS:
                found.append((name, "math" if name in MATH_MACROS else None))
        if span:
            for name in _CONTROL.findall(span.group()):
                if name and name not in MATH_MACROS:
                    found.append((name, "text" if name in TEXT_MACROS else None))
            start = span.end()
    return found


@lru_cache(maxsize=65536)
def to_text(value: str) -> str:
    """Plain Unicode text for a BibTeX value: ``{\\"u}`` -> ``ü``, ``--`` -> ``–``.

    Values without LaTeX, or with only its common forms (see ``_common_latex``), skip the
    (slow) decoder; tests check that both paths agree. Never raises: a value the
    decoder cannot read is shown with its braces removed.
    """
    if not _NEEDS_DECODING.search(value):
        return _SPACES.sub(" ", value).strip()
    value = _prepare(value)
    text = _common_latex(value)
    if text is not None:
        return _SPACES.sub(" ", text).strip()
    try:
        text = _CONVERTER.latex_to_text(value)
    except Exception:  # pylatexenc is lenient; this is a last resort, not a path we expect
        text = value.replace("{", "").replace("}", "")
    return _SPACES.sub(" ", text.replace("\xa0", " ")).strip()


def split_names(value: str) -> list[str]:
    """The persons of an ``author`` field, as written (LaTeX kept)."""
    return list(_split_names(value))


@lru_cache(maxsize=16384)
def _split_names(value: str) -> tuple[str, ...]:
    return tuple(n for n in split_multiple_persons_names(value) if n.strip())


class NameParts(NamedTuple):
    """One BibTeX name's words as written (LaTeX kept), by part."""

    first: tuple[str, ...]
    von: tuple[str, ...]
    last: tuple[str, ...]
    jr: tuple[str, ...]


@lru_cache(maxsize=65536)
def name_parts(name: str) -> NameParts | None:
    """One BibTeX name taken apart, or None when it cannot be. Parsed once per distinct
    name however many pages and exports show it (bibtexparser's parser is slow)."""
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except Exception:
        return None
    return NameParts(tuple(parts.first), tuple(parts.von), tuple(parts.last), tuple(parts.jr))


@lru_cache(maxsize=65536)
def display_name(name: str) -> str:
    """One BibTeX name in reading order: ``van der Berg, Jan`` -> ``Jan van der Berg``."""
    parts = name_parts(name)
    if parts is None:  # a malformed name is shown as written rather than lost
        return to_text(name)
    words = [*parts.first, *parts.von, *parts.last]
    text = to_text(" ".join(words))
    if parts.jr:
        text += ", " + to_text(" ".join(parts.jr))
    return text


def surname(name: str) -> str:
    """The last name of one BibTeX name, as plain text."""
    parts = name_parts(name)
    if parts is None:
        return to_text(name)
    return to_text(" ".join([*parts.von, *parts.last]))
