import bibtexparser
from gradleak import bib


def parse(text):
    return bib.parse(text, "bib/x.bib")


def test_entries_keep_raw_values_and_1_based_lines():
    entries, problems = parse("\n\n@article{k1,\n  title = {A {GAN} -- b},\n  year = 2020,\n}\n")
    assert problems == []
    (entry,) = entries
    assert (entry.key, entry.entry_type, entry.line) == ("k1", "article", 3)
    assert entry.get("title") == "A {GAN} -- b"
    assert entry.line_of("year") == 5


def test_unparsable_block_is_reported_with_line_and_key():
    _, problems = parse("@misc{ok, title={x}}\n\n@misc{broken, title = {unbalanced, year=2020}\n@misc{next, title={y}}\n")
    assert [(p.line, p.key) for p in problems] == [(3, "broken")]
    assert problems[0].message.startswith("unparsable entry")


def test_duplicate_key_and_duplicate_field():
    entries, problems = parse(
        "@misc{a, title={x}}\n@misc{a, title={y}}\n@misc{b, title={x}, title={y}}\n")
    assert [e.key for e in entries] == ["a"]
    assert [(str(p)) for p in problems] == [
        "bib/x.bib:2: a: duplicate key: this entry is not used",
        "bib/x.bib:3: b: duplicate field: title",
    ]


def test_bare_word_value_is_an_error_but_numbers_and_months_are_fine():
    entries, problems = parse("@misc{a,\n title = foo,\n year = 2020,\n month = jan}\n")
    assert [str(p) for p in problems] == [
        "bib/x.bib:2: a: field 'title': bare value 'foo' is not a number: enclose it in braces"]
    assert entries[0].get("year") == "2020" and entries[0].get("month") == "jan"


def test_malformed_key_and_string_blocks_are_reported():
    _, problems = parse('@string{foo = "bar"}\n@misc{bad key!, title={x}}\n')
    messages = [p.message for p in problems]
    assert messages[0].startswith("@string is not supported")
    assert any("malformed key" in m or "unparsable" in m for m in messages[1:])


def test_export_removes_site_fields_by_name_only():
    text = ("@inproceedings{k,\n  title = {Source Code Leaks: the code tldr keywords},\n"
            "  author = {Doe, Jane},\n  year = 2021,\n  code = {https://x.org},\n"
            "  tldr = {ours},\n  keywords = {optimization},\n  venue = {X},\n  added = {2026-11},\n"
            "  evaluates = {a},\n  breaks = {b},\n  month = jan,\n}\n")
    entries, _ = parse(text)
    out = bib.to_bibtex(entries)
    back = bibtexparser.parse_string(out)
    assert back.failed_blocks == []
    (entry,) = back.entries
    assert entry.fields_dict.keys() == {"title", "author", "year", "month"}
    assert entry["title"] == "Source Code Leaks: the code tldr keywords"
    assert entry["year"] == "2021" and entry["month"] == "jan"


def test_export_round_trips_values_exactly():
    text = '@article{k,\n  title = "Quoted {GAN} \\"u",\n  author = {Dr{\\"o}ge, H.},\n  year = {2020},\n}\n'
    entries, _ = parse(text)
    again, problems = parse(bib.to_bibtex(entries))
    assert problems == []
    assert [(f.name, f.value) for f in again[0].fields] == [(f.name, f.value) for f in entries[0].fields]
