"""arXiv identifiers, read by one pattern for three jobs (schema: ARXIV_RE, arxiv_id,
arxiv_mention): `add` (exported BibTeX), `add --arxiv` (what a maintainer pastes), `check`
(the eprint field, and a url or doi that is arXiv's). Four regexes did this before and
disagreed: `add` left an arxiv.org url without its eprint, which `check` then required."""

from __future__ import annotations

from dataclasses import replace

import pytest
from gradleak import bib, fetch
from gradleak.add import normalize
from gradleak.interpret import interpret
from gradleak.model import BibField
from gradleak.schema import ARXIV_RE, arxiv_id, arxiv_mention
from test_validate import ATTACKS, TAXONOMY

FORMS = {
    "2003.14053": "2003.14053",
    "arXiv:2003.14053v2": "2003.14053",
    "https://arxiv.org/abs/2003.14053": "2003.14053",
    "http://arxiv.org/pdf/2003.14053v2.pdf": "2003.14053",
    "https://arxiv.org/abs/2003.14053?context=cs": "2003.14053",
    "arxiv.org/abs/1412.6980/": "1412.6980",
    "10.48550/arXiv.2003.14053": "2003.14053",
    "https://doi.org/10.48550/arXiv.2003.14053": "2003.14053",
    "hep-th/9901001": "hep-th/9901001",
    "https://arxiv.org/abs/math.CO/0101001v1": "math.CO/0101001",
    "cs/0112017": "cs/0112017",
}
NOT_IDS = ["see 2003.14053", "https://example.org/2003.14053", "2003.14053 extra",
           "2013.14053", "2000.00001", "cs/0613001", "https://arxiv.org/abs/2013.14053",
           "10.1109/TIFS.2017.2787987", "2003.140", "deep leakage", ""]


@pytest.mark.parametrize(("form", "bare"), FORMS.items())
def test_every_form_a_maintainer_copies_names_its_bare_id(form, bare):
    assert arxiv_id(form) == bare
    assert fetch.arxiv_id(f" {form} ") == bare
    assert ARXIV_RE.match(bare)
    assert (ARXIV_RE.match(form) is None) == (form != bare)  # the eprint field: bare only


@pytest.mark.parametrize("text", NOT_IDS)
def test_text_that_only_contains_a_number_is_not_an_id(text):
    """`add --arxiv "see 2003.14053"` or a URL of another site fetched arXiv 2003.14053."""
    assert arxiv_id(text) is None
    with pytest.raises(fetch.FetchError, match="not an arXiv id"):
        fetch.arxiv_id(text)


def test_mentions_in_free_text():
    assert arxiv_mention("arXiv preprint arXiv:2003.14053") == "2003.14053"
    assert arxiv_mention("arXiv preprint cs/0112017") == "cs/0112017"
    assert arxiv_mention("\\url{https://arxiv.org/abs/2003.14053v3}.") == "2003.14053"
    assert arxiv_mention("ArXiv 2003.14053.") == "2003.14053"
    assert arxiv_mention("Technical report 2003.14053") is None
    assert arxiv_mention("arXiv preprint") is None


ENTRY = "@misc{x,\n title={A Title},\n author={Doe, Jane},\n year={2020},\n %s\n}\n"


@pytest.mark.parametrize("field", [
    "url={https://arxiv.org/abs/2003.14053}", "url={http://arxiv.org/pdf/2003.14053v2.pdf}",
    "doi={10.48550/arXiv.2003.14053}", "eprint={arXiv:2003.14053v1}",
    "journal={arXiv preprint arXiv:2003.14053}", "note={\\url{https://arxiv.org/abs/2003.14053}}",
    "howpublished={arXiv 2003.14053}",
    "url={https://arxiv.org/abs/hep-th/9901001}", "journal={arXiv preprint hep-th/9901001}",
])
def test_what_add_writes_the_check_accepts(field):
    """`add` took an arXiv id from a journal, note or DOI, but not from an arxiv.org url (or
    any old-style id), which `check` then reported: 'url is arXiv 2003.14053's: add eprint'."""
    raw = bib.parse(ENTRY % field, "x.bib", any_key=True)[0][0]
    entry = normalize(raw)
    assert ARXIV_RE.match(entry.get("eprint") or ""), entry.fields
    assert entry.get("archiveprefix") == "arXiv"
    tagged = replace(entry, fields=(*entry.fields, BibField("keywords", "optimization", "{", 0)))
    problems = interpret(tagged, ATTACKS, TAXONOMY)[1]
    assert [p.message for p in problems] == []


def test_check_names_the_eprint_a_url_or_doi_is_for():
    for field in ("url={https://arxiv.org/abs/2003.14053v2}", "doi={10.48550/arXiv.2003.14053}",
                  "url={https://arxiv.org/abs/2003.14053?context=cs}"):
        raw = bib.parse((ENTRY % field).replace("}\n}", "},\n keywords={optimization}\n}"),
                        "bib/attacks.bib")[0][0]
        messages = [p.message for p in interpret(raw, ATTACKS, TAXONOMY)[1]]
        assert len(messages) == 1 and messages[0].startswith(
            f"'{field[:3]}' is arXiv 2003.14053's: add eprint = {{2003.14053}}"), messages
    raw = bib.parse(ENTRY % "eprint={arXiv:2003.14053v2},\n archiveprefix={arXiv},\n keywords={optimization}",
                    "bib/attacks.bib")[0][0]
    assert [p.message for p in interpret(raw, ATTACKS, TAXONOMY)[1]] == [
        "malformed arXiv id 'arXiv:2003.14053v2': expected e.g. 2003.14053 (no version); "
        "write '2003.14053'"]


def test_an_id_with_no_real_month_is_malformed():
    """`eprint = {2013.14053}` (a typo of 2003.14053) passed check; the paper was then
    dated month 13 (which stopped the build) and linked to an arXiv page that cannot exist."""
    raw = bib.parse(ENTRY % "eprint={2013.14053},\n archiveprefix={arXiv},\n keywords={optimization}",
                    "bib/attacks.bib")[0][0]
    assert [p.message for p in interpret(raw, ATTACKS, TAXONOMY)[1]] == [
        "malformed arXiv id '2013.14053': expected e.g. 2003.14053 (no version)"]
