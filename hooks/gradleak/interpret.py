"""One entry, read once: a raw BibTeX entry -> a Paper ready for display, and its problems.

Every rule about a single entry lives here (the field table is in ``schema``); rules across
entries (duplicates, relations) are in ``validate``.
"""

from __future__ import annotations

import difflib
import re

from .bib import to_bibtex
from .latex import (
    MATH_MACROS,
    MATH_SPAN,
    TEXT_MACROS,
    display_name,
    split_names,
    to_text,
    unknown_macros,
)
from .model import Diagnostic, Group, Paper, RawEntry, Taxonomy, doi_url
from .portable import portable
from .schema import (
    BY_NAME,
    CONTAINERS,
    KNOWN_TYPES,
    NOT_LATEX,
    REQUIRED,
    REQUIRED_BY_TYPE,
    arxiv_id,
    split_list,
)

# LaTeX's special characters where a BibTeX client passes the value to LaTeX: each must be
# escaped (math between $...$ and \url/\href arguments may hold them).
_UNESCAPED = (("&", "LaTeX stops on a bare &"),
              ("%", "LaTeX reads the rest of the line as a comment"),
              ("#", "LaTeX stops on a bare #"),
              ("_", "LaTeX allows _ only in math, between $...$"))
_VERBATIM = re.compile(r"\\(?:url|href)\s*\{[^{}]*\}")


def _unescaped(name: str, value: str) -> list[str]:
    """A message for each LaTeX special character ``value`` holds unescaped."""
    text = _VERBATIM.sub("", value)
    outside_math = MATH_SPAN.sub("", text)
    out = []
    for char, why in _UNESCAPED:
        where = outside_math if char == "_" else text
        if re.search(r"(?<!\\)" + re.escape(char), where):
            out.append(f"unescaped '{char}' in '{name}': write \\{char} ({why})")
    if re.search(r"(?<!\\)\^", outside_math):  # \^{o} is an accent
        out.append(f"unescaped '^' in '{name}': write \\textasciicircum{{}} (LaTeX allows ^ "
                   "only in math, between $...$)")
    if len(re.findall(r"(?<!\\)\$", text)) % 2:
        out.append(f"unpaired '$' in '{name}': close the math with a second $, or write \\$ "
                   "for a dollar sign")
    return out


# Site fields the site reads as LaTeX (decoded to text), so a macro there must be one the
# decoder knows; the standard fields also go to BibTeX clients.
_DECODED_SITE_FIELDS = frozenset({"tldr", "milestone", "venue"})


def _macro_problems(name: str, value: str) -> list[str]:
    """A message for each LaTeX macro of ``value`` that LaTeX or the site would not handle."""
    out = []
    for macro, kind in dict.fromkeys(unknown_macros(value)):
        if kind == "math":
            out.append(f"'\\{macro}' in '{name}' works only in math: put it between $...$")
        elif kind == "text":
            out.append(f"'\\{macro}' in '{name}' does not work in math: move it out of the $...$")
        else:
            close = difflib.get_close_matches(macro, TEXT_MACROS | MATH_MACROS, 1, 0.75)
            hint = f" (did you mean '\\{close[0]}'?)" if close else ""
            out.append(f"unsupported LaTeX macro '\\{macro}' in '{name}'{hint}: LaTeX and the "
                       "site both handle only the accents, \\emph, \\textbf, \\textit and the "
                       "others CONTRIBUTING.md lists; write plain text or one of them")
    return out


def interpret(raw: RawEntry, group: Group, taxonomy: Taxonomy,
              own: frozenset[str] | None = None) -> tuple[Paper, list[Diagnostic]]:
    """The paper ``raw`` describes and every problem of the entry on its own.

    A malformed value is reported and left out of the paper (never guessed). ``own`` is the
    set of the group's category ids (computed once per group by the caller, if given).
    """
    problems: list[Diagnostic] = []

    def err(field: str | None, message: str) -> None:
        line = raw.line_of(field) if field else raw.line
        problems.append(Diagnostic(raw.file, line, raw.key, message))

    values: dict[str, str] = {}
    for f in raw.fields:
        spec = BY_NAME.get(f.name)
        if spec is None:
            close = difflib.get_close_matches(f.name, BY_NAME, 1, 0.75)
            hint = (" (abstracts are not kept in the library)" if f.name == "abstract"
                    else f" (did you mean '{close[0]}'?)" if close else "")
            err(f.name, f"unknown field '{f.name}'{hint}")
            continue
        if f.name not in NOT_LATEX and f.enclosing != "no-enclosing":  # else reported
            for message in _unescaped(f.name, f.value):
                err(f.name, message)
        if f.enclosing != "no-enclosing" and (f.name not in NOT_LATEX
                                               or f.name in _DECODED_SITE_FIELDS):
            for message in _macro_problems(f.name, f.value):
                err(f.name, message)
        message = spec.check(f.name, f.value) if spec.check else None
        if not message and f.name in ("author", "editor"):
            message = _names_problem(f.name, f.value)
        if message:
            err(f.name, message)
        else:
            values[f.name] = f.value.strip()

    if raw.entry_type not in KNOWN_TYPES:
        err(None, f"unknown entry type @{raw.entry_type}")
    for name in REQUIRED + REQUIRED_BY_TYPE.get(raw.entry_type, ()):
        value = raw.get(name)
        if value is None or not value.strip():
            swapped = {"journal": ("booktitle", "@inproceedings"),
                       "booktitle": ("journal", "@article")}.get(name)
            hint = (f"; it has '{swapped[0]}': change the type to {swapped[1]}, or rename "
                    f"the field to '{name}'" if swapped and raw.get(swapped[0]) else "")
            err(name if value is not None else None,
                f"missing required field '{name}' for @{raw.entry_type}{hint}")

    for name in taxonomy.required:
        if raw.get(name) is None:
            err(None, missing_required(name))

    arxiv = _arxiv(values, raw, err)
    tags = split_list(values.get("keywords"))
    own = own if own is not None else frozenset(c.id for c in group.walk())
    check_tags(tags, own, group, taxonomy, err)

    get = values.get
    container = next((get(n) for n in CONTAINERS if get(n)), None)
    container = to_text(container) if container else ""
    doi = get("doi")
    url = get("url")
    year = get("year")
    paper = Paper(
        raw=raw,
        group=group.id,
        title=to_text(get("title") or "") or raw.key,
        authors=tuple(display_name(n) for n in split_names(get("author") or "")),
        year=int(year) if year else None,
        venue=to_text(get("venue") or "") or container or ("arXiv" if arxiv else ""),
        container=container,
        link=url or (doi_url(doi) if doi else None) or (
            f"https://arxiv.org/abs/{arxiv}" if arxiv else None),
        doi=doi,
        arxiv=arxiv,
        code=get("code"),
        tldr=to_text(get("tldr") or ""),
        added=get("added"),
        categories=tuple(t for t in tags if t in own),
        facets=tuple(t for t in tags if t not in own),
        evaluates=split_list(get("evaluates")),
        breaks=split_list(get("breaks")),
        milestone=to_text(get("milestone") or "") or None,
        checked=split_list(get("checked"), ";"),
        entry_type=raw.entry_type,
        volume=to_text(get("volume") or "") or None,
        number=to_text(get("number") or "") or None,
        pages=get("pages"),
        publisher=to_text(get("publisher") or "") or None,
        month=get("month"),
        bibtex=to_bibtex([portable(raw)]),  # what every BibTeX client reads cleanly
    )
    return paper, sorted(problems, key=lambda d: d.line or 0)


_TO_WRITE = {"tldr": "tldr = {one or two sentences in our own words}",
             "venue": "venue = {a short label for filters, e.g. NeurIPS}",
             "checked": "checked = {the pages you checked every field against, "
                        "separated by '; '}"}


def missing_required(name: str) -> str:
    """The message for an entry without a field the taxonomy's ``required`` names."""
    write = _TO_WRITE.get(name, f"{name} = {{...}}")
    return (f"no '{name}' field, which every entry of this library has ('required' in "
            f"bib/taxonomy.yml): add {write}")


def _depth0(name: str, chars: str) -> int:
    """How many of ``chars`` ``name`` has outside braces."""
    depth = count = 0
    for c in name:
        depth += (c == "{") - (c == "}")
        count += depth == 0 and c in chars
    return count


def _names_problem(field: str, value: str) -> str | None:
    """What BibTeX would misread in a list of names: a stray 'and', names split by commas
    or semicolons (BibTeX takes ' and ' only)."""
    for name in split_names(value):
        words = name.split()
        if name.strip().lower() == "others":
            return (f"'{field}' ends with 'and others': list every author, as the paper's "
                    "own page names them")
        if words[0].lower() == "and" or words[-1].lower() == "and":
            return (f"'{field}' has an 'and' with no name on one side (a trailing or doubled "
                    "'and'): remove it")
        if _depth0(name, ";"):
            return (f"'{field}' name {name.strip()!r} has a ';': separate names with ' and ', "
                    "each written 'Last, First'")
        if _depth0(name, ",") > 2:
            return (f"'{field}' name {name.strip()!r} has more than two commas: separate names "
                    "with ' and ', each written 'Last, First'")
        if message := _particle_problem(field, name.strip()):
            return message
    return None


def _particle_problem(field: str, name: str) -> str | None:
    """A family name BibTeX would cut wrongly: in 'Last, First', the words up to the last
    one written in lower case are read as a particle ('van der' in 'van der Maaten'), so
    'Ogier du Terrail, Jean' gives the particle 'Ogier du' and the family name 'Terrail'.
    Braces make the whole family name one word: '{Ogier du Terrail}, Jean'."""
    if not _depth0(name, ","):
        return None
    family = name.split(",", 1)[0] if "{" not in name.split(",", 1)[0] else ""
    words = family.split()
    lower = [i for i, w in enumerate(words[:-1]) if w[:1].islower()]
    if not lower or not any(w[:1].isupper() for w in words[:lower[-1]]):
        return None
    whole = " ".join(words)
    return (f"'{field}' name {name!r}: BibTeX reads {' '.join(words[:lower[-1] + 1])!r} as a "
            f"particle (like 'van der') and only {' '.join(words[lower[-1] + 1:])!r} as the "
            f"family name; if {whole!r} is the whole family name, brace it: "
            f"{{{whole}}},{name.split(',', 1)[1]}")


def _arxiv(values: dict[str, str], raw: RawEntry, err) -> str | None:
    """The arXiv id, only when the entry says the eprint is an arXiv one."""
    eprint = values.get("eprint")
    archive = (values.get("archiveprefix") or values.get("eprinttype") or "").lower()
    if eprint and archive != "arxiv":
        err("eprint", "eprint without archiveprefix = {arXiv}: add it (the library's eprints "
                      "are arXiv ids; BibTeX styles link them only with it)")
        return None
    if archive == "arxiv" and raw.get("eprint") is None:
        err("archiveprefix", "archiveprefix = {arXiv} without an eprint: add the arXiv id")
    for name in ("url", "doi"):  # an arXiv page or DOI names the id the site works by
        value = values.get(name) or ""
        linked = arxiv_id(value) if "arxiv" in value.lower() else None  # a bare id is no URL
        if linked and not eprint and raw.get("eprint") is None:
            err(name, f"'{name}' is arXiv {linked}'s: add eprint = {{{linked}}} "
                      "and archiveprefix = {arXiv} (the site shows, searches and compares "
                      "papers by their arXiv id)")
        elif linked and eprint and linked != eprint:
            err(name, f"'{name}' is arXiv {linked}'s, but eprint is {eprint}")
    return eprint


def tag_hint(tag: str, taxonomy: Taxonomy) -> str:
    """A hint for an unknown tag: the separator to use, or the closest known tag."""
    if any(c in tag for c in " ;|/"):
        return " (separate tags with commas)"
    close = difflib.get_close_matches(tag, [*taxonomy.categories, *taxonomy.facet_values], 1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_tags(tags, own, group: Group, taxonomy: Taxonomy, err) -> None:
    """Report (``err(field, message)``) what is wrong with an entry's tags for ``group``."""
    categories = taxonomy.categories
    facets = taxonomy.facet_values
    for tag in sorted({t for t in tags if tags.count(t) > 1}):
        err("keywords", f"tag '{tag}' is repeated: list it once")
    unknown = False
    for tag in tags:
        if tag in categories and tag not in own:
            err("keywords", f"category '{tag}' belongs to group "
                            f"'{categories[tag].group}', not to '{group.id}'")
        elif tag not in categories and tag not in facets:
            err("keywords", f"unknown tag '{tag}': not in the taxonomy{tag_hint(tag, taxonomy)}")
            unknown = True
    if not any(t in own for t in tags):
        if unknown:  # most likely the category, misspelt: said above, with the fix
            return
        err("keywords" if tags else None,
            f"no category: 'keywords' must name one of {group.id}'s categories first")
    elif tags[0] not in own:
        err("keywords", f"the first tag '{tags[0]}' must be a category of '{group.id}'")
