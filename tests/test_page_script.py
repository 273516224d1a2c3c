"""Unit tests of the page script's logic (`GradLeak` in docs/js/gradleak.js), in Chromium.

The script is loaded into a blank page (no cards, no tools: its page part finds nothing to
do) and each exported function is called with plain data, table by table. One page of the
session's browser for the module: the whole file runs in a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "js" / "gradleak.js"

TAXONOMY = {
    "categories": [
        {"id": "attacks", "name": "Attacks", "parent": None, "depth": 0},
        {"id": "optimization", "name": "Optimization-based", "parent": "attacks", "depth": 1},
        {"id": "generative", "name": "Generation-based", "parent": "attacks", "depth": 1},
        {"id": "defenses", "name": "Defenses", "parent": None, "depth": 0},
    ],
    "facets": [
        {"id": "modality", "name": "Data modality",
         "values": [{"id": "image", "name": "Image"}, {"id": "text", "name": "Text"}]},
        {"id": "threat", "name": "Threat model",
         "values": [{"id": "honest-server", "name": "Honest-but-curious server"},
                    {"id": "malicious-server", "name": "Malicious server"}]},
    ],
}


def card(key, *, tags, year="2020", venue="", code="no", section=None, title="A title",
         text="", doi="", arxiv=""):
    """What the page part reads from a card (all strings, as in the HTML)."""
    return {"key": key, "section": section or tags.split()[0], "year": year, "venue": venue,
            "code": code, "tags": tags, "title": title, "text": title + " " + text, "doi": doi,
            "arxiv": arxiv, "bibtex": f"@article{{{key},}}"}


CARDS = [
    card("zhu2019deep", tags="optimization image honest-server", year="2019", venue="NeurIPS", code="yes",
         title="Deep Leakage from Gradients", text="Ligeng Zhu, Zhijian Liu, Song Han", arxiv="1906.08935"),
    card("balunovic2022lamp", tags="optimization text honest-server", year="2022", venue="NeurIPS",
         title="LAMP: Extracting Text from Gradients with Language Model Priors",
         text="Mislav Balunović, Dimitar I. Dimitrov", doi="10.5555/lamp"),
    card("fowl2022robbing", tags="generative image malicious-server", year="2022", venue="ICLR", code="yes",
         title="Robbing the Fed", text="Liam Fowl"),
    card("sun2021soteria", tags="defenses image", year="", venue="CVPR",
         title="Soteria: Provable Defense against Privacy Leakage", text="Jingwei Sun"),
]


class Script:
    """Calls into `window.GradLeak` of one page."""

    def __init__(self, page):
        self.page = page

    def __call__(self, name, *args):
        return self.page.evaluate("([name, args]) => GradLeak[name](...args)", [name, list(args)])

    def run(self, body, *args):
        """`body` is a JS function of (G, ...args)."""
        return self.page.evaluate(f"(args) => ({body})(GradLeak, ...args)", list(args))


@pytest.fixture(scope="module")
def js(browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content("<!doctype html><html lang='en'><title>page script</title><body></body></html>")
    page.add_script_tag(path=str(SCRIPT))
    assert errors == []
    yield Script(page)
    page.close()
    assert errors == []


@pytest.fixture(scope="module")
def papers(js):
    return js.run("(G, cards, tax) => { const byId = G.categoryIndex(tax);"
                  " return cards.map((c, i) => G.makePaper(c, i, byId)); }", CARDS, TAXONOMY)


def keys(papers):
    return [p["key"] for p in papers]


# ---- the module itself ---------------------------------------------------------------

TESTED = {
    "TEXT_PARAM", "fold", "unlatex", "matchable", "queryWords", "plainQuery", "headerQuery", "papersText",
    "categoryIndex", "paperCategories", "makePaper", "filterOptions", "emptyState", "copyState",
    "stateFromURL", "urlFromState", "withOption", "searchedPaper", "movedTo", "renamedKeys", "keyWords",
    "paperLink", "passes",
    "facetCounts", "codeCount", "parentsOf", "sectionCounts", "sectionCountText", "showingText",
    "comparator", "activeFilters", "withoutFilter", "chipLabel", "filtersBadge", "exportSet",
    "exportNote", "pickRIS", "pickCSL", "referenceText", "referenceList", "downloadNote",
    "selectionText", "storedKeys", "mergeSelection", "pickBibTeX",
}


def test_every_export_has_tests_here(js):
    assert set(js.run("(G) => Object.keys(G)")) == TESTED


def test_the_logic_runs_without_a_page(js):
    """The whole file in a worker (no document, no window): GradLeak is defined, works, and
    the page part does nothing."""
    result = js.page.evaluate("""(source) => new Promise((resolve, reject) => {
        const code = source + "\\npostMessage([typeof document, GradLeak.fold('Balunović'),"
            + " GradLeak.urlFromState(GradLeak.emptyState({facets: []}), {facets: []},"
            + " {pathname: '/p/', search: '?x=1&cat=a', hash: ''})]);";
        const worker = new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
    })""", SCRIPT.read_text(encoding="utf-8"))
    assert result == ["undefined", "balunovic", "/p/?x=1"]


# ---- text ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "folded"), [
    ("Balunović", "balunovic"),
    ("Łukasz Øster", "lukasz oster"),
    ("Straße ÆON Œuvre Þór Đorđe", "strasse aeon oeuvre thor dorde"),
    ("İNVERTING", "inverting"),
    ("already plain 42", "already plain 42"),
])
def test_fold(js, text, folded):
    assert js("fold", text) == folded


@pytest.mark.parametrize(("text", "expected"), [
    ("Deep Leakage from Gradients", " deep leakage from gradients "),
    ("{R-GAP}: Recursive Gradient Attack on Privacy", " r gap recursive gradient attack on privacy "),
    ("See through Gradients -- Image Batch Recovery?", " see through gradients image batch recovery "),
    ('"Inverting" Gradients - How easy is it?', " inverting gradients how easy is it "),
    ("Bal{\\'u}novi{\\'c}", " balunovic "),  # accent macros and braces dropped: one word
    ("Balunovi\\'{c} and {\\\"O}zdemir", " balunovic and ozdemir "),
    ("Ho\\v{s}ek, Mart{\\'\\i}nez", " hosek martinez "),
    ("", "  "),
])
def test_matchable(js, text, expected):
    assert js("matchable", text) == expected


@pytest.mark.parametrize(("text", "plain"), [
    ("Bal{\\'u}novi{\\'c}", "Balunovic"),
    ("Ho\\v{s}ek and Ho\\v {s}ek", "Hosek and Hosek"),
    (r"""Balunovi\'{c} {\"O}zdemir Fran\c{c}ois na\"ive""", "Balunovic Ozdemir Francois naive"),
    (r"""Sch\o n, Stra{\ss}e, Mart{\'\i}nez, {\AA}str\"om""", "Schøn, Straße, Martinez, Åstrom"),
    ("\\emph{Deep} Leakage", " Deep Leakage"),       # another command: a space
    ("{R-GAP}: {D}eep \\& more, 50\\%", "R-GAP: Deep & more, 50%"),
    ("plain text", "plain text"),
])
def test_unlatex(js, text, plain):
    assert js("unlatex", text) == plain


@pytest.mark.parametrize(("query", "words"), [
    ("  Deep   LEAKAGE ", ["deep", "leakage"]),
    ("", []),
    ("-- ? {}", []),
    ("1906.08935", ["1906", "08935"]),
    ("arXiv:1906.08935v2", ["1906", "08935"]),  # no "arxiv": a card need not say it
    ("https://doi.org/10.1/x", ["10", "1", "x"]),
])
def test_query_words(js, query, words):
    assert js("queryWords", query) == words


@pytest.mark.parametrize(("key", "query", "match"), [
    ("zhu2019deep", "deep leakage from gradients", True),
    ("zhu2019deep", "Deep Leakage from Gradients?", True),                  # a trailing "?"
    ("zhu2019deep", "{Deep} {L}eakage -- from ``Gradients''", True),        # braces, quotes, "--"
    ("balunovic2022lamp", "balunovic", True),                               # accents folded on the card
    ("balunovic2022lamp", "Balunovi{\\'c}", True),                          # and in the query
    ("balunovic2022lamp", "LAMP: Extracting Text from Gradients", True),
    ("zhu2019deep", "zhu2019deep", True), ("zhu2019deep", "1906.08935", True),  # key, arXiv id
    ("balunovic2022lamp", "10.5555/lamp", True),                            # DOI
    ("zhu2019deep", "NeurIPS 2019", False),                                 # the year is not in the text
    ("zhu2019deep", "leakage image honest", True),                          # tags are
    ("zhu2019deep", "deep leakage robbing", False),                         # every word must match
])
def test_a_pasted_query_matches_the_card(js, papers, key, query, match):
    paper = next(p for p in papers if p["key"] == key)
    words = js("queryWords", query)
    assert js("passes", paper, js("emptyState", TAXONOMY), None, words) is match


@pytest.mark.parametrize(("text", "plain"), [
    ('{R-GAP}: Recursive "Gradient" Attack', "R-GAP Recursive Gradient Attack"),
    ("See through Gradients -- Image Batch Recovery", "See through Gradients Image Batch Recovery"),
    ("Bal{\\'u}novi{\\'c} \u201cquoted\u201d \u2013 dash", "Balunovic quoted dash"),
    ("{D}eep {L}eakage: \\emph{from} Gradients", "Deep Leakage from Gradients"),
    ("R-GAP keeps one hyphen", "R-GAP keeps one hyphen"),
    # identifiers as the catalog holds them: no address, prefix, version or ".pdf"
    ("arXiv:2003.14053v1", "2003.14053"),
    ("https://arxiv.org/abs/2003.14053v2", "2003.14053"),
    ("http://export.arxiv.org/pdf/2003.14053.pdf", "2003.14053"),
    ("https://doi.org/10.1145/2976749.2978318", "10.1145/2976749.2978318"),
    ("DOI: 10.1109/TIFS.2023.3", "10.1109/TIFS.2023.3"),
    ("GPT-4o v2 1234.5", "GPT-4o v2 1234.5"),
])
def test_plain_query(js, text, plain):
    assert " ".join(js("plainQuery", text).split()) == plain


@pytest.mark.parametrize(("text", "query"), [
    # each word as typed (the theme makes it a prefix) and as itself, weighted (exact)
    ("Deep Leakage from Gradients", "Deep Deep^4 Leakage Leakage^4 Gradients Gradients^4"),
    ("{R-GAP}: Recursive Gradient Attack on Privacy",
     "R-GAP R-GAP^4 Recursive Recursive^4 Gradient Gradient^4 Attack Attack^4 Privacy Privacy^4"),
    ("Balunovi{\\'c} and Dimitrov", "Balunovic Balunovic^4 Dimitrov Dimitrov^4"),
    ("attacks in", "attacks attacks^4 in in^4"),  # the last word may be the start of a longer one
    ("Chaoyang He", "Chaoyang Chaoyang^4 He He^4"),  # ... or a surname that is a stop word
    ("The", "The The^4"),
    ("   ", ""),
    ("-excluded fuzzy~1 pre*", "-excluded fuzzy~1 pre*"),  # lunr syntax is left as it is
    # a year beside other words is required: "Security" in a 2023 title ranked above 2025
    ("USENIX Security 2025", "USENIX USENIX^4 Security Security^4 +2025 2025^4"),
    ("zhu 2019 deep", "zhu zhu^4 +2019 2019^4 deep deep^4"),
    ("2019", "2019 2019^4"),                          # alone: any paper that says 2019
    ("Privacy 2.0 1024 bits", "Privacy Privacy^4 2.0 2.0^4 1024 1024^4 bits bits^4"),
])
def test_header_query(js, text, query):
    assert js("headerQuery", text) == query


@pytest.mark.parametrize(("n", "text"), [(0, "0 papers"), (1, "1 paper"), (2, "2 papers"), ("1", "1 paper")])
def test_papers_text(js, n, text):
    assert js("papersText", n) == text


# ---- the papers ------------------------------------------------------------------------

def test_category_index(js):
    index = js("categoryIndex", TAXONOMY)
    assert list(index) == ["attacks", "optimization", "generative", "defenses"]
    assert index["generative"]["parent"] == "attacks"


@pytest.mark.parametrize(("tags", "cats"), [
    (["image", "optimization", "honest-server"], {"optimization", "attacks"}),
    (["defenses"], {"defenses"}),
    (["generative", "defenses"], {"generative", "attacks"}),  # the first category is the main one
    (["image", "unknown"], set()),
    ([], set()),
])
def test_paper_categories(js, tags, cats):
    got = js.run("(G, tags, tax) => G.paperCategories(tags, G.categoryIndex(tax))", tags, TAXONOMY)
    assert set(got) == cats
    assert all(v is True for v in got.values())


def test_make_paper(js, papers):
    p = papers[1]
    assert {k: p[k] for k in ("index", "key", "section", "year", "venue", "code", "tags", "bibtex")} == {
        "index": 1, "key": "balunovic2022lamp", "section": "optimization", "year": 2022, "venue": "NeurIPS",
        "code": False, "tags": ["optimization", "text", "honest-server"], "bibtex": "@article{balunovic2022lamp,}"}
    assert set(p["cats"]) == {"optimization", "attacks"}
    assert p["title"] == "lamp: extracting text from gradients with language model priors"
    assert p["text"].startswith(" lamp extracting text ")
    for word in ("balunovic", "dimitar", "honest server", "balunovic2022lamp", "10 5555 lamp"):
        assert f" {word} " in p["text"]
    assert papers[0]["code"] is True and papers[3]["year"] is None
    empty = js.run("(G) => G.makePaper({}, 7, {})")
    assert empty == {"index": 7, "key": None, "section": None, "year": None, "venue": "", "code": False,
                     "tags": [], "cats": {}, "title": "", "text": "  ", "bibtex": ""}


def test_make_paper_reads_the_cards_texts_only_when_first_used(js):
    """A list page of hundreds of cards loads without reading and folding their texts."""
    reads = js.run("""(G) => {
        const seen = [];
        const read = (name, value) => () => { seen.push(name); return value; };
        const p = G.makePaper({key: "k", tags: "a", title: read("title", "Ti Tle"),
                               text: read("text", "Balunović"), bibtex: read("bibtex", "@x{k,}")}, 0, {});
        const before = seen.slice();
        const values = [p.text, p.text, p.title, p.bibtex];
        return [before, seen, values];
    }""")
    assert reads == [[], ["text", "title", "bibtex"], [" balunovic a k ", " balunovic a k ", "ti tle", "@x{k,}"]]


def test_filter_options_offer_what_the_papers_have(js, papers):
    extra = js.run("(G, tax) => [{v: 'ccs'}, {v: 'Élan'}].map((x, i) => G.makePaper("
                   "{key: 'x' + i, tags: 'defenses', year: '2018', venue: x.v}, 9 + i, G.categoryIndex(tax)))",
                   TAXONOMY)
    options = js("filterOptions", papers + extra, TAXONOMY)
    assert [c["id"] for c in options["cats"]] == ["attacks", "optimization", "generative", "defenses"]
    assert [[v["id"] for v in f["values"]] for f in options["facets"]] == [
        ["image", "text"], ["honest-server", "malicious-server"]]
    assert options["years"] == [2018, 2019, 2022]
    assert options["venues"] == ["ccs", "CVPR", "Élan", "ICLR", "NeurIPS"]  # collated, not by code point
    only = js("filterOptions", papers[3:], TAXONOMY)
    assert [c["id"] for c in only["cats"]] == ["defenses"]
    assert [[v["id"] for v in f["values"]] for f in only["facets"]] == [["image"], []]
    assert only["years"] == []


# ---- state and URL -----------------------------------------------------------------------

EMPTY = {"cat": [], "venue": "", "code": False, "from": None, "to": None, "q": "", "sort": "new",
         "facets": {"modality": [], "threat": []}}


def state(**changes):
    out = {**EMPTY, "facets": {**EMPTY["facets"]}}
    for name, value in changes.items():
        if name in out["facets"]:
            out["facets"][name] = value
        else:
            out[name] = value
    return out


def test_empty_and_copied_state(js):
    assert js("emptyState", TAXONOMY) == EMPTY
    assert js("emptyState", {"categories": [], "facets": []})["facets"] == {}
    original = state(cat=["attacks"], modality=["image"])
    copied = js.run("(G, s) => { const c = G.copyState(s); c.cat.push('x'); c.facets.modality.push('y');"
                    " return [s, c]; }", original)
    assert copied[0] == original  # a deep copy: the original is untouched
    assert copied[1] == state(cat=["attacks", "x"], modality=["image", "y"])


@pytest.mark.parametrize(("search", "expected"), [
    ("", state()),
    ("?cat=optimization,defenses", state(cat=["optimization", "defenses"])),
    ("?cat=,attacks,,", state(cat=["attacks"])),
    ("?modality=image,text&threat=malicious-server", state(modality=["image", "text"], threat=["malicious-server"])),
    ("?venue=NeurIPS&code=1", state(venue="NeurIPS", code=True)),
    ("?code=yes", state()),
    ("?from=2020&to=soon", state(**{"from": 2020})),
    ("?to=2022", state(to=2022)),
    ("?filter=deep%20leakage&sort=title", state(q="deep leakage", sort="title")),
    ("?sort=old", state(sort="old")),
    ("?sort=bogus", state()),
    ("?q=deep", state()),            # the theme's search parameter, never the list filter
    ("?paper=zhu2019deep&unknown=1&tags=image", state()),
])
def test_state_from_url(js, search, expected):
    assert js("stateFromURL", search, TAXONOMY) == expected


HERE = {"pathname": "/project/attacks/", "search": "", "hash": ""}


@pytest.mark.parametrize(("value", "where", "url"), [
    (state(), HERE, "/project/attacks/"),
    (state(), {**HERE, "search": "?cat=a&filter=x&sort=old&modality=image", "hash": "#zhu2019deep"},
     "/project/attacks/#zhu2019deep"),
    (state(sort="new"), HERE, "/project/attacks/"),                         # the default sort is left out
    (state(q="deep leakage & more"), HERE, "/project/attacks/?filter=deep+leakage+%26+more"),
    (state(cat=["optimization", "defenses"], modality=["image"], code=True, sort="title"),
     {**HERE, "search": "?utm=x&q=theme", "hash": "#top"},                   # other parameters kept
     "/project/attacks/?utm=x&q=theme&cat=optimization%2Cdefenses&modality=image&code=1&sort=title#top"),
    (state(**{"from": 2019, "to": 2022}, venue="CCS"), HERE, "/project/attacks/?from=2019&to=2022&venue=CCS"),
])
def test_url_from_state(js, value, where, url):
    assert js("urlFromState", value, TAXONOMY, where) == url


@pytest.mark.parametrize("value", [
    state(),
    state(q="Deep Leakage from Gradients?"),
    state(q="a,b & c=d #e"),
    state(cat=["optimization", "attacks"], threat=["honest-server", "malicious-server"]),
    state(**{"from": 2018}, to=2024, venue="USENIX Security", code=True, sort="old", modality=["text"]),
])
def test_state_survives_its_url(js, value):
    url = js("urlFromState", value, TAXONOMY, {**HERE, "search": "?keep=1"})
    assert "keep=1" in url
    assert js("stateFromURL", url[url.index("?"):] if "?" in url else "", TAXONOMY) == value


@pytest.mark.parametrize(("name", "value", "on", "expected"), [
    ("cat", "attacks", True, state(cat=["defenses", "attacks"])),
    ("cat", "defenses", True, state(cat=["defenses"])),          # no duplicates
    ("cat", "defenses", False, state()),
    ("cat", "attacks", False, state(cat=["defenses"])),
    ("modality", "text", True, state(cat=["defenses"], modality=["text"])),
])
def test_with_option(js, name, value, on, expected):
    before = state(cat=["defenses"])
    assert js("withOption", before, name, value, on) == expected
    assert js.run("(G, s, n, v, on) => { G.withOption(s, n, v, on); return s; }", before, name, value, on) == before


@pytest.mark.parametrize(("search", "found"), [
    ("?paper=zhu2019deep", {"key": "zhu2019deep", "url": "/project/attacks/"}),
    ("?cat=attacks&paper=zhu2019deep&sort=old", {"key": "zhu2019deep", "url": "/project/attacks/?cat=attacks&sort=old"}),
    ("?paper=", {"key": "", "url": "/project/attacks/"}),
    ("?cat=attacks", None),
    ("", None),
])
def test_searched_paper(js, search, found):
    assert js("searchedPaper", {**HERE, "search": search}) == found


WHERE = {"zhu2019deep": ["attacks/optimization/", "papers/2019/"],
         "toString": ["attacks/", "papers/"]}


@pytest.mark.parametrize(("key", "pathname", "target"), [
    ("zhu2019deep", "/project/attacks/", "/project/attacks/optimization/"),  # its group page
    ("zhu2019deep", "/project/attacks/generative/", "/project/attacks/optimization/"),
    ("zhu2019deep", "/project/papers/", "/project/papers/2019/"),  # its all-papers page
    ("zhu2019deep", "/project/papers/2020/", "/project/papers/2019/"),
    ("zhu2019deep", "/project/attacks/optimization/", None),  # the card is here
    ("zhu2019deep", "/elsewhere/attacks/", None),  # not under the site's root
    ("no-such-key", "/project/attacks/", None),
    ("constructor", "/project/attacks/", None),  # not a key, whatever objects have
])
def test_moved_to(js, key, pathname, target):
    assert js("movedTo", WHERE, key, "/project/", pathname) == target


def test_moved_to_with_html_urls(js):
    where = {"k": ["attacks/optimization.html", "papers/2019.html"]}
    assert js("movedTo", where, "k", "/", "/papers.html") == "/papers/2019.html"
    assert js("movedTo", where, "k", "/", "/attacks.html") == "/attacks/optimization.html"


def test_paper_link(js):
    where = {"origin": "https://example.org", "pathname": "/project/attacks/", "search": "?x=1", "hash": "#y"}
    assert js("paperLink", where, "zhu2019deep") == "https://example.org/project/attacks/#zhu2019deep"
    assert js("paperLink", where, "a b/c") == "https://example.org/project/attacks/#a%20b%2Fc"


# ---- filtering and counting ---------------------------------------------------------------

ALL = ["zhu2019deep", "balunovic2022lamp", "fowl2022robbing", "sun2021soteria"]


@pytest.mark.parametrize(("value", "skip", "query", "passing"), [
    (state(), None, "", ALL),
    (state(cat=["attacks"]), None, "", ALL[:3]),                   # a parent holds its children
    (state(cat=["generative", "defenses"]), None, "", ALL[2:]),    # any of the ticked
    (state(cat=["defenses"]), "cat", "", ALL),
    (state(venue="NeurIPS"), None, "", ALL[:2]),
    (state(venue="NeurIPS"), "venue", "", ALL),
    (state(code=True), None, "", ["zhu2019deep", "fowl2022robbing"]),
    (state(code=True), "code", "", ALL),
    (state(**{"from": 2020}), None, "", ALL[1:3]),                 # no year: out of any range
    (state(to=2021), None, "", ALL[:1]),
    (state(**{"from": 2020}, to=2021), "year", "", ALL),
    (state(modality=["image"]), None, "", ["zhu2019deep", "fowl2022robbing", "sun2021soteria"]),
    (state(modality=["image"], threat=["honest-server"]), None, "", ["zhu2019deep"]),
    (state(modality=["image"], threat=["honest-server"]), "modality", "", ALL[:2]),
    (state(modality=["image"], threat=["honest-server"]), "threat", "", ["zhu2019deep", "fowl2022robbing",
                                                                        "sun2021soteria"]),
    (state(), None, "gradients", ALL[:2]),
    (state(), "cat", "gradients", ALL[:2]),                         # skip never skips the words
    (state(venue="ICLR"), None, "gradients", []),
])
def test_passes(js, papers, value, skip, query, passing):
    words = js("queryWords", query)
    got = js.run("(G, ps, s, skip, w) => ps.filter(p => G.passes(p, s, skip, w)).map(p => p.key)",
                 papers, value, skip, words)
    assert got == passing


@pytest.mark.parametrize(("value", "query", "facet", "counts"), [
    (state(), "", "cat", {"optimization": 2, "attacks": 3, "generative": 1, "defenses": 1}),
    (state(cat=["defenses"]), "", "cat", {"optimization": 2, "attacks": 3, "generative": 1, "defenses": 1}),
    (state(venue="NeurIPS"), "", "cat", {"optimization": 2, "attacks": 2}),
    (state(), "", "modality", {"image": 3, "text": 1, "optimization": 2, "generative": 1, "defenses": 1,
                               "honest-server": 2, "malicious-server": 1}),
    (state(modality=["text"], threat=["malicious-server"]), "", "modality",
     {"image": 1, "generative": 1, "malicious-server": 1}),
    (state(modality=["text"], threat=["malicious-server"]), "", "threat",
     {"text": 1, "optimization": 1, "honest-server": 1}),
    (state(), "robbing", "cat", {"generative": 1, "attacks": 1}),
])
def test_facet_counts(js, papers, value, query, facet, counts):
    assert js("facetCounts", papers, value, facet, js("queryWords", query)) == counts


@pytest.mark.parametrize(("value", "query", "n"), [
    (state(), "", 2),
    (state(code=True), "", 2),          # its own filter does not count
    (state(venue="ICLR"), "", 1),
    (state(), "zhu", 1),
    (state(cat=["defenses"]), "", 0),
])
def test_code_count(js, papers, value, query, n):
    assert js("codeCount", papers, value, js("queryWords", query)) == n


def test_parents_and_section_counts(js, papers):
    parents = js("parentsOf", TAXONOMY)
    assert parents == {"attacks": None, "optimization": "attacks", "generative": "attacks", "defenses": None}
    assert js("sectionCounts", papers, parents) == {"optimization": 2, "attacks": 3, "generative": 1, "defenses": 1}
    assert js("sectionCounts", papers[1:3], parents) == {"optimization": 1, "attacks": 2, "generative": 1}
    assert js("sectionCounts", [], parents) == {}


@pytest.mark.parametrize(("visible", "total", "filtering", "text"), [
    (3, "12", True, "3 of 12 papers"),
    (1, "1", True, "1 of 1 paper"),
    (None, "5", True, "0 of 5 papers"),
    (5, "5", False, "5 papers"),
    (1, "1", False, "1 paper"),
    (2, 7, True, "2 of 7 papers"),
])
def test_section_count_text(js, visible, total, filtering, text):
    assert js("sectionCountText", visible, total, filtering) == text


@pytest.mark.parametrize(("shown", "total", "text"), [(3, 10, "Showing 3 of 10 papers"), (0, 1, "Showing 0 of 1 papers")])
def test_showing_text(js, shown, total, text):
    assert js("showingText", shown, total) == text


@pytest.mark.parametrize(("sort", "order"), [
    ("new", ["balunovic2022lamp", "fowl2022robbing", "zhu2019deep", "sun2021soteria"]),  # ties: page order
    ("old", ["sun2021soteria", "zhu2019deep", "balunovic2022lamp", "fowl2022robbing"]),  # no year first
    ("title", ["zhu2019deep", "balunovic2022lamp", "fowl2022robbing", "sun2021soteria"]),
    ("bogus", ["balunovic2022lamp", "fowl2022robbing", "zhu2019deep", "sun2021soteria"]),
])
def test_comparator(js, papers, sort, order):
    assert js.run("(G, ps, sort) => ps.slice().reverse().sort(G.comparator(sort)).map(p => p.key)",
                  papers, sort) == order


# ---- chips -------------------------------------------------------------------------------

FULL = state(q="deep", cat=["optimization", "gone"], modality=["image"], threat=["malicious-server"],
             **{"from": 2019, "to": 2022}, venue="NeurIPS", code=True)


def test_active_filters_say_what_they_filter(js):
    chips = [(a["what"], a["text"]) for a in js("activeFilters", FULL, TAXONOMY)]
    assert chips == [("Text", "deep"), ("Category", "Optimization-based"), ("Category", "gone"),
                     ("Data modality", "Image"), ("Threat model", "Malicious server"), ("Years", "2019–2022"),
                     ("Venue", "NeurIPS"), ("Code", "Has official code")]
    assert js("activeFilters", state(), TAXONOMY) == []


@pytest.mark.parametrize(("value", "text"), [
    (state(**{"from": 2019}), "from 2019"), (state(to=2021), "until 2021"), (state(**{"from": 2020, "to": 2020}), "2020–2020")])
def test_the_years_chip(js, value, text):
    assert [(a["what"], a["text"]) for a in js("activeFilters", value, TAXONOMY)] == [("Years", text)]


def test_removing_a_chip_removes_its_filter_only(js):
    active = js("activeFilters", FULL, TAXONOMY)
    for i, chip in enumerate(active):
        after = js("withoutFilter", FULL, chip)
        assert js("activeFilters", after, TAXONOMY) == active[:i] + active[i + 1:], chip
    assert js("withoutFilter", FULL, active[5])["from"] is None
    assert js.run("(G, s, a) => { G.withoutFilter(s, a); return s; }", FULL, active[0]) == FULL


def test_chip_label_and_badge(js):
    assert js("chipLabel", {"what": "Data modality", "text": "Image"}) == "Remove filter Data modality: Image"
    assert js("filtersBadge", 0) == ""
    assert js("filtersBadge", 3) == " (3)"


# ---- selection and export ----------------------------------------------------------------

@pytest.mark.parametrize(("selected", "shown", "exported"), [
    ([], ALL, sorted(ALL)),
    (["sun2021soteria", "balunovic2022lamp"], ALL[:1], ["balunovic2022lamp", "sun2021soteria"]),
    ([], [], []),
])
def test_export_set(js, selected, shown, exported):
    pick = [{"key": k} for k in selected]
    assert keys(js("exportSet", pick, [{"key": k} for k in shown])) == exported


@pytest.mark.parametrize(("selected", "shown", "note"), [
    (0, 12, "no selection: exports the 12 shown"), (2, 12, "2 selected"), (1, 0, "1 selected")])
def test_export_note(js, selected, shown, note):
    assert js("exportNote", selected, shown) == note


@pytest.mark.parametrize(("selected", "elsewhere", "text"), [
    (3, 0, "3 selected"), (3, 2, "3 selected (2 on other pages)"), (1, 1, "1 selected (1 on other pages)")])
def test_selection_text(js, selected, elsewhere, text):
    assert js("selectionText", selected, elsewhere) == text
    assert js("exportNote", selected, 40, elsewhere) == text


@pytest.mark.parametrize(("stored", "keys"), [
    ('["b2021", "a2020", "b2021"]', ["a2020", "b2021"]),
    (None, []), ("", []), ("not json", []), ('{"a": 1}', []), ('"a2020"', []),
    ('[1, null, "", "c2022", ["x"]]', ["c2022"]),
])
def test_stored_keys(js, stored, keys):
    assert js("storedKeys", stored) == keys


@pytest.mark.parametrize(("stored", "page", "checked", "result"), [
    ([], ["a", "b"], ["b"], ["b"]),
    (["x", "a"], ["a", "b"], ["b"], ["b", "x"]),  # a unticked here, x kept from elsewhere
    (["x", "a"], ["a", "b"], [], ["x"]),
    (["z"], [], [], ["z"]),
    (["b"], ["a", "b"], ["b", "a"], ["a", "b"]),
])
def test_merge_selection(js, stored, page, checked, result):
    assert js("mergeSelection", stored, page, checked) == result


BIB = ("@misc{a2020,\n  title = {First},\n}\n\n"
       "@inproceedings{b2021,\n  title = {Second @ {ICML}},\n}\n\n"
       "@article{c2022,\n  title = {Third},\n}\n")


def test_pick_bibtex(js):
    assert js("pickBibTeX", BIB, ["c2022", "a2020"]) == (
        "@article{c2022,\n  title = {Third},\n}\n\n@misc{a2020,\n  title = {First},\n}\n")
    assert js("pickBibTeX", BIB, ["b2021", "nope"]) == "@inproceedings{b2021,\n  title = {Second @ {ICML}},\n}\n"
    assert js("pickBibTeX", BIB, []) == ""


RIS = ("TY  - JOUR\nID  - a2020\nTI  - First\nER  - \n\n"
       "TY  - CONF\nID  - b2021\nTI  - Second\nER  - \n\n"
       "TY  - JOUR\nID  - c2022\nTI  - Third\nER  - \n")


def test_pick_ris(js):
    assert js("pickRIS", RIS, ["c2022", "a2020"]) == (
        "TY  - JOUR\nID  - c2022\nTI  - Third\nER  -\n\nTY  - JOUR\nID  - a2020\nTI  - First\nER  -\n")
    assert js("pickRIS", RIS, []) == ""
    assert js("pickRIS", RIS, ["nope"]) == ""


def test_pick_csl(js):
    text = '[{"id": "a2020", "title": "First"}, {"id": "b2021", "title": "Second"}]'
    assert js("pickCSL", text, ["b2021", "nope", "a2020"]) == (
        '[\n  {\n    "id": "b2021",\n    "title": "Second"\n  },\n  {\n    "id": "a2020",\n    "title": "First"\n  }\n]\n')
    assert js("pickCSL", text, []) == "[]\n"


REFS = {"z": {"apa": "Zhu, L. (2019). Deep.", "ieee": "L. Zhu, \u201cDeep\u201d"},
        "a": {"apa": "Ábel, B. (2020). Accents.", "ieee": "B. Ábel, \u201cAccents\u201d"},
        "b": {"apa": "Baker, C. (2021). Bee.", "ieee": "C. Baker, \u201cBee\u201d"}}


@pytest.mark.parametrize(("style", "chosen", "text"), [
    ("apa", ["z", "b", "a"], "Ábel, B. (2020). Accents.\n\nBaker, C. (2021). Bee.\n\nZhu, L. (2019). Deep.\n"),
    ("ieee", ["z", "a"], "[1] L. Zhu, \u201cDeep\u201d\n\n[2] B. Ábel, \u201cAccents\u201d\n"),
    ("ieee", [], "\n"),
])
def test_reference_list(js, style, chosen, text):
    assert js("referenceList", REFS, chosen, style) == text


HTML_REFS = {"z": {"apa": "Zhu, L., &amp; Han, S. (2019). Deep. <i>NeurIPS</i>, <i>32</i>.",
                   "ieee": "L. Zhu and S. Han, \u201cDeep,\u201d in <i>NeurIPS</i>, 2019."},
             "a": {"apa": "Ábel, B. (2020). A &lt;b&gt; tag. <i>J</i>.",
                   "ieee": "B. Ábel, \u201cA &lt;b&gt; tag,\u201d <i>J</i>, 2020."}}


TWINS = {"b": {"apa": "Doe, J., &amp; Roe, R. (2023). Beta. <i>J</i>."},
         "a": {"apa": "Doe, J., &amp; Roe, R. (2023). Alpha. <i>J</i>."},
         "c": {"apa": "Doe, J., &amp; Roe, R. (2024, June). Gamma."},
         "d": {"apa": "Doe, J. (2023). Delta."}}


@pytest.mark.parametrize(("chosen", "as_html", "text"), [
    (["b", "c", "a", "d"], False,
     "Doe, J. (2023). Delta.\n\nDoe, J., & Roe, R. (2023a). Alpha. J.\n\n"
     "Doe, J., & Roe, R. (2023b). Beta. J.\n\nDoe, J., & Roe, R. (2024, June). Gamma.\n"),
    (["b", "a"], True,
     "<p>Doe, J., &amp; Roe, R. (2023a). Alpha. <i>J</i>.</p>\n"
     "<p>Doe, J., &amp; Roe, R. (2023b). Beta. <i>J</i>.</p>\n"),
    (["b", "d"], False, "Doe, J. (2023). Delta.\n\nDoe, J., & Roe, R. (2023). Beta. J.\n"),
])
def test_apa_list_tells_apart_works_of_the_same_authors_and_year(js, chosen, as_html, text):
    assert js("referenceList", TWINS, chosen, "apa", as_html) == text


@pytest.mark.parametrize(("style", "chosen", "as_html", "text"), [
    ("apa", ["z", "a"], False,
     "Ábel, B. (2020). A <b> tag. J.\n\nZhu, L., & Han, S. (2019). Deep. NeurIPS, 32.\n"),
    ("apa", ["z", "a"], True,
     "<p>Ábel, B. (2020). A &lt;b&gt; tag. <i>J</i>.</p>\n"
     "<p>Zhu, L., &amp; Han, S. (2019). Deep. <i>NeurIPS</i>, <i>32</i>.</p>\n"),
    ("ieee", ["z", "a"], True,
     "<p>[1] L. Zhu and S. Han, \u201cDeep,\u201d in <i>NeurIPS</i>, 2019.</p>\n"
     "<p>[2] B. Ábel, \u201cA &lt;b&gt; tag,\u201d <i>J</i>, 2020.</p>\n"),
    ("ieee", ["a"], False, "[1] B. Ábel, \u201cA <b> tag,\u201d J, 2020.\n"),
])
def test_reference_list_of_formatted_html(js, style, chosen, as_html, text):
    """references.json holds each reference as HTML: the list is copied as plain text and
    as paragraphs that keep the italics."""
    assert js("referenceList", HTML_REFS, chosen, style, as_html) == text


@pytest.mark.parametrize(("html", "text"), [
    ("Doe, J., &amp; Roe, R. (2020). <i>T</i>, <i>3</i>(1).", "Doe, J., & Roe, R. (2020). T, 3(1)."),
    ("&lt;i&gt; &quot;q&quot; &#39;a&#39; &#x2013; &nbsp;", "<i> \"q\" 'a' \u2013 \u00a0"),
    ("", ""),
])
def test_reference_text(js, html, text):
    assert js("referenceText", html) == text


@pytest.mark.parametrize(("ext", "n", "note"), [
    ("ris", 3, "Downloading RIS of 3 papers."),
    ("csl.json", 1, "Downloading CSL-JSON of 1 paper."),
    ("bib", 2, "Downloading the BibTeX of 2 papers."),
])
def test_download_note(js, ext, n, note):
    assert js("downloadNote", ext, n) == note


def test_text_param(js):
    assert js.run("(G) => G.TEXT_PARAM") == "filter"


RENAMED = {"nguyen2024split": ["attacks/", "papers/2024/"], "nguyen2023other": ["attacks/", "papers/2023/"],
           "wang2024breaking": ["defenses/", "papers/2024/"], "wang2024breakingb": ["attacks/", "papers/2024/"],
           "zhu2019deep": ["attacks/", "papers/2019/"]}


@pytest.mark.parametrize(("key", "keys"), [
    ("nguyen2023split", ["nguyen2024split"]),       # the year corrected
    ("wang2023breaking", ["wang2024breaking", "wang2024breakingb"]),
    ("wang2024breakingc", ["wang2024breaking"]),   # another telling letter: its first key
    ("zhu2019deep", []),                              # there: nothing to suggest
    ("zhu2019shallow", []), ("nobody2020leakage", []), ("Not a key", []), ("", []),
])
def test_renamed_keys(js, key, keys):
    assert js("renamedKeys", RENAMED, key) == keys


@pytest.mark.parametrize(("key", "words"), [
    ("nobody2020leakage", "nobody leakage"), ("zhu2019deep", "zhu deep"), ("odd-key", "odd-key"),
])
def test_key_words(js, key, words):
    assert js("keyWords", key) == words
