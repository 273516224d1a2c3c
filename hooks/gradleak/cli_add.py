"""``gradleak add``: a paper from a BibTeX file, stdin, arXiv or a DOI into its group's file,
in the library's format, with what the maintainer must still fill in."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from . import bib, fetch
from .add import normalize
from .catalog import load_catalog, read_text
from .console import find_bib_dir, missing, outside_site, say
from .fmt import format_text, insert_entry
from .interpret import check_tags, interpret, missing_required, tag_hint
from .latex import split_names
from .ledger import LEDGER_FILE
from .model import BibField
from .schema import ADDED_RE, URL_RE
from .validate import find_duplicate, first_match, identities, identity_index


def _add_option_problems(args, tags: list[str], catalog) -> list[str]:
    """What is wrong with the options of `add`, found before anything is fetched or written."""
    taxonomy = catalog.taxonomy
    problems = []
    if args.key is not None:
        taken = next((p for p in catalog.papers if p.key.casefold() == args.key.casefold()),
                     None)
        if not bib.KEY_RE.match(args.key):
            problems.append(f"--key: {args.key!r} is not a key: use letters, digits, '_', "
                            "'-' or '.'")
        elif taken is not None:  # keys differing in case clash in BibTeX
            problems.append(f"--key: {args.key!r} is taken by {taken.key} "
                            f"({taken.raw.file}:{taken.raw.line}; BibTeX keys ignore case)")
    for tag in tags:
        if tag not in taxonomy.categories and tag not in taxonomy.facet_values:
            problems.append(f"--tags: unknown tag '{tag}'{tag_hint(tag, taxonomy)}")
    if args.group and args.group not in {g.id for g in taxonomy.groups}:
        problems.append(f"--group: unknown group '{args.group}' (groups: "
                        + ", ".join(g.id for g in taxonomy.groups) + ")")
    for option, value in (("--venue", args.venue), ("--tldr", args.tldr), ("--code", args.code)):
        if value and not _balanced(value):  # BibTeX could not read the entry back
            problems.append(f"{option}: {value!r} has unbalanced braces: each '{{' needs its '}}'")
    if args.code and not URL_RE.match(args.code):
        problems.append(f"--code: {args.code!r} is not an http(s) URL")
    if args.added and not ADDED_RE.match(args.added):
        problems.append(f"--added: {args.added!r} is not YYYY-MM")
    return problems


def _balanced(value: str) -> bool:
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _to_fill_in(args, paper, taxonomy) -> list[str]:
    """The site fields the maintainer still has to write by hand."""
    todo = []
    plain = [n for n in split_names(paper.raw.get("author") or "") if "," not in n
             and n.strip().lower() != "others"]  # 'and others' is reported as to fix
    if plain:
        todo.append(f"author: write each name as 'Last, First' like the rest of the library "
                    f"({len(plain)} written 'First Last', e.g. {plain[0].strip()!r})")
    def required(name: str) -> str:
        return " (required: `check` fails without it)" if name in taxonomy.required else ""

    if not paper.tldr:
        todo.append("tldr = {one or two sentences in our own words}" + required("tldr"))
    if not paper.facets:
        examples = ", ".join(f.values[0].id for f in taxonomy.facets if f.values)
        todo.append(f"keywords: add facets after the category (e.g. {examples})")
    if not args.venue:
        todo.append(f"venue = {{a short label for filters}} (now shown as {paper.venue!r})"
                    + required("venue"))
    todo.append("checked = {the pages you checked every field against, separated by '; '}"
                + required("checked"))
    return todo


FILLED_IN = ("tldr", "venue", "checked")  # what _to_fill_in always lists when missing


def _ledger_notes(paper, ledger) -> list[str]:
    """What the ledger (bib/pending.yml) says about the paper just added: an item it
    resolves (to delete), or one that calls it out of scope or another paper's version."""
    notes = []
    index = identity_index([paper])
    for item in ledger:
        match = first_match(identities(item.doi, item.arxiv, item.title), index)
        if match is None:
            continue
        where = f"bib/{LEDGER_FILE}:{item.line}"
        if item.status == "out-of-scope":
            notes.append(f"check: the ledger calls this paper out of scope ({where}, same "
                         f"{match[1]}): is it in scope now? If so, delete the item")
        elif item.status == "duplicate":
            notes.append(f"check: the ledger calls this paper a version of "
                         f"{item.duplicate_of} ({where}, same {match[1]}): add one of them only")
        else:
            notes.append(f"to fill in: delete the ledger item it resolves ({where}, same "
                         f"{match[1]}, {item.status})")
    return notes


def cmd_add(args) -> int:
    bib_dir = find_bib_dir(Path.cwd())
    if outside_site("add", bib_dir):
        return 2
    catalog = load_catalog(bib_dir)
    taxonomy = catalog.taxonomy
    tags = [t.strip() for t in (args.tags or "").split(",") if t.strip()]
    wrong = _add_option_problems(args, tags, catalog)
    for message in wrong:
        say(f"gradleak add: {message}")
    if wrong:
        return 2
    categories = taxonomy.categories
    group_id = args.group or (categories[tags[0]].group if tags and tags[0] in categories else None)
    group = next((g for g in taxonomy.groups if g.id == group_id), None)
    if group is None:
        say("gradleak add: say where the paper goes: --group "
            + "|".join(g.id for g in taxonomy.groups) + " or a category as the first --tags")
        return 2
    if tags:  # the check's own rules, before anything is fetched or written
        wrong = []
        check_tags(tags, frozenset(c.id for c in group.walk()), group, taxonomy,
                   lambda _field, message: wrong.append(message))
        for message in wrong:
            say(f"gradleak add: --tags: {message}")
        if wrong:
            return 2
    if args.arxiv or args.doi:  # the record from arXiv/Crossref/dblp instead of a file
        if args.file or (args.arxiv and args.doi):
            say("gradleak add: give one of FILE, --arxiv or --doi")
            return 2
        http = fetch.Http(timeout=args.timeout)
        try:
            text, source = (fetch.bibtex_for_arxiv(args.arxiv, http) if args.arxiv
                            else fetch.bibtex_for_doi(args.doi, http))
        except fetch.FetchError as error:
            say(f"gradleak add: {error}")
            return 1
        say(f"gradleak add: the record from {source}")
        label = f"<{source.split()[0]} record>"
    elif args.file in (None, "-"):
        if sys.stdin.isatty():
            say("gradleak add: paste the BibTeX, then press Ctrl-D on an empty line "
                "(Ctrl-Z then Enter on Windows)")
        text = sys.stdin.read()
        label = "<stdin>"
    else:
        if missing("add", [args.file]):
            return 2
        text, problems = read_text(Path(args.file), args.file)
        if text is None:
            for d in problems:
                print(d)
            say("gradleak add: nothing added: save the file as UTF-8 first")
            return 1
        label = args.file
    entries, problems = bib.parse(text, label, any_key=True)
    for d in problems:
        print(d)
    if problems or not entries:
        say("gradleak add: nothing added: " + (f"fix the input first ({label}, above)" if problems
                                               else f"no entry found in {label}"))
        return 1
    if args.key and len(entries) > 1:
        say(f"gradleak add: --key names one entry, and the input has {len(entries)}: add them "
            "one at a time")
        return 2
    target = bib_dir / group.file
    if target.is_file():  # inserting into a file that does not parse could land anywhere
        label = f"bib/{group.file}"
        current, broken = read_text(target, label)
        broken = broken or bib.parse(current, label)[1]
        for d in broken:
            print(d)
        if broken:
            say(f"gradleak add: nothing added: fix {label} first")
            return 1
    existing = list(catalog.papers)
    status = 0
    for raw in entries:
        entry = normalize(raw)
        if args.key:
            entry = replace(entry, key=args.key)
        duplicate = find_duplicate(interpret(entry, group, taxonomy)[0], existing)
        if duplicate:
            other, by = duplicate
            print(f"{raw.key}: already in the library as {other.key} (same {by}); not added")
            status = 1
            continue
        extra = {"keywords": ", ".join(tags), "venue": args.venue, "code": args.code,
                 "tldr": args.tldr, "added": args.added or date.today().strftime("%Y-%m")}
        fields = entry.fields + tuple(BibField(k, v, "{", 0) for k, v in extra.items() if v)
        entry = replace(entry, fields=fields, file=f"bib/{group.file}")
        taken = {p.key.casefold() for p in existing}  # keys differing in case clash in BibTeX
        base, n = entry.key, 0
        while entry.key.casefold() in taken:
            n += 1
            entry = replace(entry, key=base + "bcdefghijklmnopqrstuvwxyz"[n - 1])
        path = bib_dir / group.file
        new_text, unreadable = format_text(bib.to_bibtex([entry], drop=()), entry.file)
        if new_text is None:  # the entry as written would not parse: never write it
            for d in unreadable:
                print(d)
            say(f"gradleak add: {raw.key}: not added: the entry made from it does not parse")
            status = 1
            continue
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        written = insert_entry(current, new_text, entry.key)
        if not args.dry_run:
            path.write_text(written, encoding="utf-8")
        head = f"@{entry.entry_type}{{{entry.key},"
        line = next((i for i, text in enumerate(written.splitlines(), 1) if text == head), None)
        print(f"{'would add' if args.dry_run else 'added'} {entry.key} to "
              f"bib/{group.file}{f':{line}' if line else ''}")
        print(new_text.rstrip("\n"))  # as it now stands in the library
        paper, problems = interpret(entry, group, taxonomy)
        to_fill = {missing_required(name) for name in taxonomy.required  # listed below
                   if name in FILLED_IN}
        for d in problems:
            if d.message not in to_fill:
                print(f"  to fix: {d.message}")
        for item in _to_fill_in(args, paper, taxonomy):
            print(f"  to fill in: {item}")
        for note in _ledger_notes(paper, catalog.ledger):
            print(f"  {note}")
        existing.append(paper)
    if len(existing) > len(catalog.papers):  # something was (or would be) added
        say("gradleak add: now check every field against the paper's own page, fill in what "
            "is listed above, then run `gradleak readme && gradleak check`")
    return status
