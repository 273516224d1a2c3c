/* The reader's tools on the paper lists: filters, text search, sort, selection and
 * export, copy buttons. Progressive enhancement: every paper is plain HTML already; this
 * script only adds controls. No dependency, no network request but the library's own
 * RIS/CSL/reference files, fetched on demand.
 *
 * Two parts. `GradLeak` (first) is the logic: pure functions of plain data (text folding
 * and matching, state <-> URL, filtering, counting, sorting, chip and count texts, export
 * records); no DOM, no `location`, no globals; exported as `window.GradLeak` (and as
 * `module.exports` where there is one) and unit-tested in tests/test_page_script.py.
 * The page part (second) reads the cards, builds the controls and wires events to it. */

var GradLeak = (function () {
  "use strict";

  // "filter", not "q": the theme opens its search over the page for any "?q=" (old
  // "?q=" links are renamed before the theme reads them, in overrides/main.html)
  var TEXT_PARAM = "filter";
  var FACET_PARAMS = ["cat", "venue", "code", "from", "to", TEXT_PARAM, "sort"];
  var SORTS = ["new", "old", "title"];  // the first is the default, left out of URLs
  var SEPARATOR = ",";

  /* ---- text ----------------------------------------------------------------------- */

  var FOLD = { "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th" };

  /** Lowercase, accents removed: "Balunović" -> "balunovic". */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[øłđßæœıþ]/g, function (c) { return FOLD[c]; });
  }

  var LETTERS = { i: "i", j: "j", o: "ø", O: "Ø", l: "ł", L: "Ł", ss: "ß", ae: "æ", AE: "Æ", oe: "œ",
    OE: "Œ", aa: "å", AA: "Å" };

  /** A pasted BibTeX value as plain text: accent macros (\'e, \v{s}) and braces dropped,
   * so "Balunovi{\'c}" and "Ho\v{s}ek" stay one word (`fold` takes the accents anyway);
   * \o, \ss, \i ... the letter, \& the character; any other command (\emph) a space. */
  function unlatex(text) {
    return text.replace(/\\(?:['"`^~=.]|[cvHkurdbt]\s*(?=\{))/g, "").replace(/\\([&%_#$])/g, "$1")
      .replace(/\\([A-Za-z]+)\s*/g, function (m, name) { return LETTERS[name] || " "; })
      .replace(/[{}]/g, "");
  }

  /** Text as the list filter compares it: folded, every run of punctuation a space, so
   * a title pasted from BibTeX ("--", braces, accent macros, quotes, a trailing "?")
   * matches the card. */
  function matchable(text) {
    return " " + fold(unlatex(text)).replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
  }

  /** A paper's identifier as a reader pastes it, reduced to what the catalog holds: an
   * arXiv or DOI address, an "arXiv:" or "doi:" prefix, an arXiv version or ".pdf"
   * ("https://arxiv.org/pdf/2003.14053v2.pdf", "arXiv:2003.14053v1" -> "2003.14053";
   * "https://doi.org/10.1145/x", "doi:10.1145/x" -> "10.1145/x"). */
  function bareIds(text) {
    return text
      .replace(/(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(\S+)/gi, "$1")
      .replace(/(?:https?:\/\/)?(?:dx\.)?doi\.org\/(\S+)/gi, "$1")
      .replace(/\b(?:arxiv|doi):\s*/gi, "")
      .replace(/\b(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?(?![\w.])/g, "$1");
  }

  /** The words of the list filter's query, each matched as a substring of a paper's text. */
  function queryWords(query) {
    return matchable(bareIds(query)).split(" ").filter(Boolean);
  }

  /** What a reader pastes, as words: BibTeX braces and accent macros (dropped), quotes,
   * "--" dashes and colons (spaces) are not search syntax to them; identifiers as the
   * catalog holds them (bareIds). */
  function plainQuery(text) {
    return unlatex(bareIds(text)).replace(/["\u201c\u201d\u201e:]|-{2,}|[\u2013\u2014]/g, " ");
  }

  // lunr's English stop words: indexed (mkdocs.yml drops the theme's stop word filter:
  // "He", "So" and "An" are surnames), but the theme searches each query word as a prefix
  // ("in*" finds "inversion"), so a pasted title's small words bring noise
  var STOP = {};
  ("a able about across after all almost also am among an and any are as at be because been " +
   "but by can cannot could dear did do does either else ever every for from get got had has " +
   "have he her hers him his how however i if in into is it its just least let like likely may " +
   "me might most must my neither no nor not of off often on only or other our own rather said " +
   "say says she should since so some than that the their them then there these they this tis " +
   "to too twas us wants was we were what when where which while who whom why will with would " +
   "yet you your").split(" ").forEach(function (w) { STOP[w] = true; });

  // The theme searches each word as a prefix ("model" as "model*"), and a rare longer word
  // weighs more than a common exact one: "Deep Leakage from Model in Federated Learning"
  // found "... Variational Modeling ... Deep Gradient Leakage" first, and the key
  // "wei2021gradient" found "wei2021gradientleakage" first. Each word is also searched
  // as itself ("model^4": exact, weighted), so the paper with the very words comes first.
  var EXACT_BOOST = 4;

  /** The words of a header search: plain, and without stop words but the last one (which
   * may be the start of a longer word being typed, or a surname: "Chaoyang He"); each word
   * then also as an exact term ("word word^4", see EXACT_BOOST). */
  function headerQuery(text) {
    var words = plainQuery(text).split(/\s+/).filter(Boolean);
    return words.filter(function (w, i) {
      return i === words.length - 1 || !STOP[w.toLowerCase()];
    }).map(function (w) {
      // lunr syntax ("-word", "word~1", "wo*") is left as it is
      if (/^[+\-]|[~^*]/.test(w)) return w;
      // a year beside other words is the year meant ("USENIX Security 2025"): required,
      // else a title with "Security" from another year ranked above the papers of 2025
      var year = words.length > 1 && /^(?:19|20)\d\d$/.test(w) ? "+" : "";
      return year + w + " " + w + "^" + EXACT_BOOST;
    }).join(" ");
  }

  /** "1 paper", "2 papers". */
  function papersText(n) {
    return n + (String(n) === "1" ? " paper" : " papers");
  }

  /* ---- the papers ------------------------------------------------------------------- */

  /** The taxonomy's categories by id. */
  function categoryIndex(taxonomy) {
    var byId = {};
    taxonomy.categories.forEach(function (c) { byId[c.id] = c; });
    return byId;
  }

  /** The categories a paper with these tags counts in: its main category (its first
   * category tag) and that category's parents, where its card is listed; {id: true}. */
  function paperCategories(tags, byId) {
    var cats = {};
    var main = tags.filter(function (t) { return byId[t]; })[0];
    for (var c = byId[main]; c; c = byId[c.parent]) cats[c.id] = true;
    return cats;
  }

  /** A paper as the tools use it, from what its card says (strings, as read from the
   * page: key, section, year, venue, code "yes", tags "a b", title, text (the card's
   * visible text), doi, arxiv, bibtex). `title`, `text` and `bibtex` may also be functions
   * that read them: each is then read (and folded) when first used, not while the page
   * loads (most readers never filter by text nor export). */
  function makePaper(raw, index, byId) {
    var tags = (raw.tags || "").split(" ").filter(Boolean);
    var year = parseInt(raw.year, 10);
    var given = function (v) { return (typeof v === "function" ? v() : v) || ""; };
    var p = {
      index: index,
      key: raw.key,
      section: raw.section,
      year: isNaN(year) ? null : year,
      venue: raw.venue || "",
      code: raw.code === "yes",
      tags: tags,
      cats: paperCategories(tags, byId)
    };
    whenRead(p, "title", function () { return fold(given(raw.title)); });
    whenRead(p, "text", function () {
      return matchable(given(raw.text) + " " + tags.join(" ") + " " + (raw.key || "") + " " +
        (raw.doi || "") + " " + (raw.arxiv || ""));
    });
    whenRead(p, "bibtex", function () { return given(raw.bibtex); });
    return p;
  }

  /** `obj[name]` made by `make()` when first read, then kept. */
  function whenRead(obj, name, make) {
    Object.defineProperty(obj, name, { configurable: true, enumerable: true, get: function () {
      var value = make();
      Object.defineProperty(obj, name, { value: value, enumerable: true, writable: true });
      return value;
    } });
  }

  /** Order strings as a reader does, case and accents aside ("ccs" < "CVPR" < "Élan").
   * Not Intl.Collator: making one costs ~10 ms, at every page load. */
  function byReading(a, b) {
    var x = fold(a), y = fold(b);
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  }

  /** What the filter panel offers for these papers: the categories, facet values, years
   * and venues at least one of them has (in the taxonomy's order; years ascending; venues
   * collated). */
  function filterOptions(papers, taxonomy) {
    var present = function (predicate) { return papers.some(predicate); };
    var years = [];
    var venues = [];
    papers.forEach(function (p) {
      if (p.year && years.indexOf(p.year) < 0) years.push(p.year);
      if (p.venue && venues.indexOf(p.venue) < 0) venues.push(p.venue);
    });
    years.sort(function (a, b) { return a - b; });
    venues.sort(byReading);
    return {
      cats: taxonomy.categories.filter(function (c) { return present(function (p) { return p.cats[c.id]; }); }),
      facets: taxonomy.facets.map(function (f) {
        return { id: f.id, name: f.name, values: f.values.filter(function (v) {
          return present(function (p) { return p.tags.indexOf(v.id) >= 0; });
        }) };
      }),
      years: years,
      venues: venues
    };
  }

  /* ---- the state of the filters, and its URL --------------------------------------- */

  function emptyState(taxonomy) {
    var facets = {};
    taxonomy.facets.forEach(function (f) { facets[f.id] = []; });
    return { cat: [], venue: "", code: false, from: null, to: null, q: "", sort: SORTS[0], facets: facets };
  }

  function copyState(state) {
    var facets = {};
    Object.keys(state.facets).forEach(function (f) { facets[f] = state.facets[f].slice(); });
    return { cat: state.cat.slice(), venue: state.venue, code: state.code, from: state.from, to: state.to,
      q: state.q, sort: state.sort, facets: facets };
  }

  /** The state a query string ("?cat=a,b&filter=...") asks for; what it cannot read is
   * the empty state's. */
  function stateFromURL(search, taxonomy) {
    var params = new URLSearchParams(search);
    var state = emptyState(taxonomy);
    var list = function (name) { return (params.get(name) || "").split(SEPARATOR).filter(Boolean); };
    state.cat = list("cat");
    state.venue = params.get("venue") || "";
    state.code = params.get("code") === "1";
    state.from = parseInt(params.get("from"), 10) || null;
    state.to = parseInt(params.get("to"), 10) || null;
    state.q = params.get(TEXT_PARAM) || "";
    state.sort = SORTS.indexOf(params.get("sort")) >= 0 ? params.get("sort") : SORTS[0];
    taxonomy.facets.forEach(function (f) { state.facets[f.id] = list(f.id); });
    return state;
  }

  /** The address of the page `where` ({pathname, search, hash}, e.g. `location`) showing
   * `state`: the filters' parameters replaced, any other parameter and the hash kept. */
  function urlFromState(state, taxonomy, where) {
    var params = new URLSearchParams(where.search);
    FACET_PARAMS.concat(taxonomy.facets.map(function (f) { return f.id; })).forEach(function (n) {
      params.delete(n);
    });
    if (state.q) params.set(TEXT_PARAM, state.q);
    if (state.cat.length) params.set("cat", state.cat.join(SEPARATOR));
    taxonomy.facets.forEach(function (f) {
      if (state.facets[f.id].length) params.set(f.id, state.facets[f.id].join(SEPARATOR));
    });
    if (state.from) params.set("from", String(state.from));
    if (state.to) params.set("to", String(state.to));
    if (state.venue) params.set("venue", state.venue);
    if (state.code) params.set("code", "1");
    if (state.sort !== SORTS[0]) params.set("sort", state.sort);
    var query = params.toString();
    return where.pathname + (query ? "?" + query : "") + where.hash;
  }

  /** A copy of `state` with `value` ticked (on) or not in the checkbox list `name`
   * ("cat" or a facet id); a newly ticked value goes last. */
  function withOption(state, name, value, on) {
    var next = copyState(state);
    var list = name === "cat" ? next.cat : next.facets[name];
    var at = list.indexOf(value);
    if (on && at < 0) list.push(value);
    if (!on && at >= 0) list.splice(at, 1);
    return next;
  }

  /** A search result opens "<list page>?paper=KEY" (see gradleak/search.py): the key and
   * the address without it, or null when `where` ({pathname, search}) has none. */
  function searchedPaper(where) {
    var params = new URLSearchParams(where.search);
    var key = params.get("paper");
    if (key === null) return null;
    params.delete("paper");
    var query = params.toString();
    return { key: key, url: where.pathname + (query ? "?" + query : "") };
  }

  /** Where the card of `key` is now, when a link to it reached a list page that does not
   * have it (the list was split since the link was made): on an all-papers page, its
   * all-papers page; elsewhere, its group's page. `map` is papers/where.json ({key: [group
   * page, all-papers page]}, from the site's root), `root` the site's root path and
   * `pathname` this page's. Null when the key is unknown or the card is here. */
  function movedTo(map, key, root, pathname) {
    var homes = Object.prototype.hasOwnProperty.call(map, key) ? map[key] : null;
    if (!homes || pathname.indexOf(root) !== 0) return null;
    var top = function (path) { return path.split("/")[0].replace(/\.html$/, ""); };
    var target = root + homes[top(pathname.slice(root.length)) === top(homes[1]) ? 1 : 0];
    return target === pathname ? null : target;
  }

  /** A key's parts, as keys are made (add.py): first author's surname, year, first
   * significant title word, perhaps a letter that tells apart two keys; null otherwise. */
  function keyParts(key) {
    var m = /^([a-z]+)(\d{4})([a-z]*)$/.exec(String(key));
    return m ? { who: m[1], year: m[2], word: m[3] } : null;
  }

  /** The keys in `map` (papers/where.json) a stale `key` may have become: the same surname
   * and title word, another year or telling letter ("nguyen2023split" -> "nguyen2024split").
   * None when the key is there itself. */
  function renamedKeys(map, key) {
    var want = keyParts(key);
    if (!want || Object.prototype.hasOwnProperty.call(map, key)) return [];
    var near = function (a, b) { return a === b || a === b.slice(0, -1) || a.slice(0, -1) === b; };
    return Object.keys(map).filter(function (k) {
      var got = keyParts(k);
      return got && got.who === want.who && near(got.word, want.word);
    }).sort();
  }

  /** Words to search the catalog for a key it does not know: "nobody leakage". */
  function keyWords(key) {
    var parts = keyParts(key);
    return parts ? (parts.who + " " + parts.word).trim() : String(key);
  }

  /** The link to a card that "Copy link" gives: `where` ({origin, pathname}) + "#KEY". */
  function paperLink(where, key) {
    return where.origin + where.pathname + "#" + encodeURIComponent(key);
  }

  /* ---- filtering, counting, sorting ------------------------------------------------ */

  /** Does paper p pass every filter of state, except the one named skip ("cat", "venue",
   * "code", "year" or a facet id)? `words` are the query's (queryWords). */
  function passes(p, state, skip, words) {
    if (skip !== "cat" && state.cat.length && !state.cat.some(function (c) { return p.cats[c]; })) return false;
    if (skip !== "venue" && state.venue && p.venue !== state.venue) return false;
    if (skip !== "code" && state.code && !p.code) return false;
    if (skip !== "year") {
      if (state.from && (p.year === null || p.year < state.from)) return false;
      if (state.to && (p.year === null || p.year > state.to)) return false;
    }
    for (var f in state.facets) {
      var wanted = state.facets[f];
      if (skip !== f && wanted.length && !wanted.some(function (v) { return p.tags.indexOf(v) >= 0; })) return false;
    }
    for (var i = 0; i < words.length; i++) {
      if (p.text.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  /** What each option of `facet` ("cat" or a facet id) would leave, given every other
   * filter: {value: number of papers}. */
  function facetCounts(papers, state, facet, words) {
    var counts = {};
    papers.forEach(function (p) {
      if (!passes(p, state, facet, words)) return;
      if (facet === "cat") {
        for (var c in p.cats) counts[c] = (counts[c] || 0) + 1;
      } else {
        p.tags.forEach(function (t) { counts[t] = (counts[t] || 0) + 1; });
      }
    });
    return counts;
  }

  /** How many papers with code the "Has official code" box would leave. */
  function codeCount(papers, state, words) {
    return papers.filter(function (p) { return p.code && passes(p, state, "code", words); }).length;
  }

  /** Each category's parent (or undefined), by id. */
  function parentsOf(taxonomy) {
    var parent = {};
    taxonomy.categories.forEach(function (c) { parent[c.id] = c.parent; });
    return parent;
  }

  /** How many of the papers shown each section holds, counting a section's papers in
   * its parents too: {section id: n}; a section with none is absent. */
  function sectionCounts(shown, parentOf) {
    var counts = {};
    shown.forEach(function (p) {
      for (var s = p.section; s; s = parentOf[s]) counts[s] = (counts[s] || 0) + 1;
    });
    return counts;
  }

  /** A category section's count: "12 papers", or "3 of 12 papers" while filtering. */
  function sectionCountText(visible, total, filtering) {
    return filtering ? (visible || 0) + " of " + papersText(total) : papersText(total);
  }

  /** The status line above the cards. */
  function showingText(shown, total) {
    return "Showing " + shown + " of " + total + " papers";
  }

  /** The order of the cards in a section for a sort ("new", "old", "title"); ties keep
   * the page's order. */
  function comparator(sort) {
    if (sort === "title") {
      return function (a, b) { return a.title < b.title ? -1 : a.title > b.title ? 1 : a.index - b.index; };
    }
    return function (a, b) {
      var ya = a.year || 0, yb = b.year || 0;
      if (ya !== yb) return sort === "old" ? ya - yb : yb - ya;
      return a.index - b.index;
    };
  }

  /* ---- the active filters, as chips ------------------------------------------------ */

  /** Each active filter, in the order the chips show them: {what, text, field, value}
   * (field: "q", "cat", "facet", "years", "venue" or "code"; value: the id or facet). */
  function activeFilters(state, taxonomy) {
    var names = {};
    taxonomy.categories.forEach(function (c) { names[c.id] = c.name; });
    taxonomy.facets.forEach(function (f) { f.values.forEach(function (v) { names[v.id] = v.name; }); });
    var out = [];
    if (state.q) out.push({ what: "Text", text: state.q, field: "q" });
    state.cat.forEach(function (c) { out.push({ what: "Category", text: names[c] || c, field: "cat", value: c }); });
    taxonomy.facets.forEach(function (f) {
      state.facets[f.id].forEach(function (v) {
        out.push({ what: f.name, text: names[v] || v, field: "facet", facet: f.id, value: v });
      });
    });
    if (state.from || state.to) {
      var years = state.from && state.to ? state.from + "–" + state.to
        : state.from ? "from " + state.from : "until " + state.to;
      out.push({ what: "Years", text: years, field: "years" });
    }
    if (state.venue) out.push({ what: "Venue", text: state.venue, field: "venue" });
    if (state.code) out.push({ what: "Code", text: "Has official code", field: "code" });
    return out;
  }

  /** A copy of `state` without the active filter `filter` (one of activeFilters'). */
  function withoutFilter(state, filter) {
    var next = copyState(state);
    var drop = function (list) { var at = list.indexOf(filter.value); if (at >= 0) list.splice(at, 1); };
    if (filter.field === "q") next.q = "";
    else if (filter.field === "cat") drop(next.cat);
    else if (filter.field === "facet") drop(next.facets[filter.facet]);
    else if (filter.field === "years") { next.from = null; next.to = null; }
    else if (filter.field === "venue") next.venue = "";
    else if (filter.field === "code") next.code = false;
    return next;
  }

  /** What a chip's button says to a screen reader. */
  function chipLabel(filter) {
    return "Remove filter " + filter.what + ": " + filter.text;
  }

  /** The number beside "Filters": " (2)", or nothing. */
  function filtersBadge(n) {
    return n ? " (" + n + ")" : "";
  }

  /* ---- selection and export ------------------------------------------------------- */

  /** What the export buttons export: the selected papers, or with none the shown ones;
   * by key. */
  function exportSet(selected, shown) {
    var list = selected.length ? selected : shown;
    return list.slice().sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
  }

  /** "N selected", saying how many of them are on other pages of the site. */
  function selectionText(selected, elsewhere) {
    return selected + " selected" + (elsewhere ? " (" + elsewhere + " on other pages)" : "");
  }

  /** The note beside the export buttons. */
  function exportNote(selected, shown, elsewhere) {
    return selected ? selectionText(selected, elsewhere) : "no selection: exports the " + shown + " shown";
  }

  /** The keys of a selection as stored (the text localStorage gave, which may be missing
   * or not ours): each key once, sorted; anything else is no selection. */
  function storedKeys(text) {
    var value;
    try { value = JSON.parse(text); } catch (e) { return []; }
    if (!Array.isArray(value)) return [];
    return value.filter(function (k, i) {
      return typeof k === "string" && k !== "" && value.indexOf(k) === i;
    }).sort();
  }

  /** The selection once this page's boxes changed: what was selected on other pages stays,
   * this page's papers are selected as its boxes say; each key once, sorted. */
  function mergeSelection(stored, pageKeys, checked) {
    var here = {};
    pageKeys.forEach(function (k) { here[k] = true; });
    var seen = {};
    return stored.filter(function (k) { return !here[k]; }).concat(checked).filter(function (k) {
      if (seen[k]) return false;
      seen[k] = true;
      return true;
    }).sort();
  }

  /** The entries of `keys`, in that order, from the library's .bib file (entries start a
   * line with "@"; unknown keys left out). */
  function pickBibTeX(text, keys) {
    var byKey = {};
    text.split(/\n(?=@)/).forEach(function (rec) {
      var m = /^@[A-Za-z]+\s*\{\s*([^,\s]+)\s*,/.exec(rec);
      if (m) byKey[m[1]] = rec.replace(/\s+$/, "") + "\n";
    });
    return keys.filter(function (k) { return byKey[k]; }).map(function (k) { return byKey[k]; }).join("\n");
  }

  /** The records of `keys`, in that order, from the library's .ris file (one blank line
   * between records; an unknown key gives an empty record). */
  function pickRIS(text, keys) {
    var byKey = {};
    text.split(/\n(?=TY {2}- )/).forEach(function (rec) {
      var m = /^ID {2}- (.*)$/m.exec(rec);
      if (m) byKey[m[1]] = rec.replace(/\s+$/, "") + "\n";
    });
    return keys.map(function (k) { return byKey[k] || ""; }).join("\n");
  }

  /** The items of `keys`, in that order, from the library's CSL-JSON (unknown keys left out). */
  function pickCSL(text, keys) {
    var byKey = {};
    JSON.parse(text).forEach(function (item) { byKey[item.id] = item; });
    return JSON.stringify(keys.filter(function (k) { return byKey[k]; })
      .map(function (k) { return byKey[k]; }), null, 2) + "\n";
  }

  /** The text of a formatted reference (HTML with only <i>, <b> and entities), as
   * reflists.plain_text gives it. */
  function referenceText(html) {
    var named = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };
    return String(html).replace(/<[^>]*>/g, "").replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, function (m, e) {
      if (e.charAt(0) !== "#") return named.hasOwnProperty(e.toLowerCase()) ? named[e.toLowerCase()] : m;
      return String.fromCodePoint(parseInt(e.charAt(1).toLowerCase() === "x" ? e.slice(2) : e.slice(1),
                                           e.charAt(1).toLowerCase() === "x" ? 16 : 10));
    });
  }

  /** APA 9.47, as reflists.year_suffixed: in a sorted APA list, works by the same authors
   * in the same year take "a", "b", ... after the year ("(2023a)"), in the list's order;
   * `items` ({text, html}) are changed in place. */
  function yearSuffixed(items) {
    var year = /\((\d{4})(?=[),])/, many = {}, given = {};
    var who = items.map(function (r) {
      var m = year.exec(r.text);
      return m ? r.text.slice(0, m.index) + "\u0000" + m[1] : null;
    });
    who.forEach(function (w) { if (w !== null) many[w] = (many[w] || 0) + 1; });
    items.forEach(function (r, i) {
      var w = who[i];
      if (w === null || many[w] < 2) return;
      var letter = String.fromCharCode(97 + (given[w] || 0));
      given[w] = (given[w] || 0) + 1;
      var add = function (s) {
        var m = year.exec(s);
        return m ? s.slice(0, m.index + m[0].length) + letter + s.slice(m.index + m[0].length) : s;
      };
      r.text = add(r.text);
      r.html = add(r.html);
    });
  }

  /** A reference list, as citations.reference_list writes it: `refs` is the library's
   * references.json ({key: {apa, ieee}}, each formatted reference as HTML); APA sorted by
   * its text, IEEE numbered in the order of `keys`. Plain text, or with `asHTML` one
   * paragraph per reference with its italics (what a word processor pastes). */
  function referenceList(refs, keys, style, asHTML) {
    var items = keys.map(function (k) {
      var html = refs[k] ? refs[k][style] : "";
      return { html: html, text: referenceText(html) };
    });
    if (style === "apa") {
      var key = function (s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
      items.sort(function (a, b) { var x = key(a.text), y = key(b.text); return x < y ? -1 : x > y ? 1 : 0; });
      yearSuffixed(items);
    }
    var label = function (i) { return style === "apa" ? "" : "[" + (i + 1) + "] "; };
    if (asHTML) {
      return items.map(function (r, i) { return "<p>" + label(i) + r.html + "</p>"; }).join("\n") + "\n";
    }
    return items.map(function (r, i) { return label(i) + r.text; }).join("\n\n") + "\n";
  }

  /** The status line of a download in a format ("ris", "csl.json", "bib"). */
  function downloadNote(ext, n) {
    var name = { ris: "RIS", "csl.json": "CSL-JSON", bib: "the BibTeX" }[ext] || ext.toUpperCase();
    return "Downloading " + name + " of " + papersText(n) + ".";
  }

  var api = {
    TEXT_PARAM: TEXT_PARAM, fold: fold, unlatex: unlatex, matchable: matchable, queryWords: queryWords,
    plainQuery: plainQuery, headerQuery: headerQuery, papersText: papersText,
    categoryIndex: categoryIndex, paperCategories: paperCategories, makePaper: makePaper,
    filterOptions: filterOptions, emptyState: emptyState, copyState: copyState,
    stateFromURL: stateFromURL, urlFromState: urlFromState, withOption: withOption,
    searchedPaper: searchedPaper, movedTo: movedTo, renamedKeys: renamedKeys, keyWords: keyWords,
    paperLink: paperLink, passes: passes,
    facetCounts: facetCounts, codeCount: codeCount, parentsOf: parentsOf,
    sectionCounts: sectionCounts, sectionCountText: sectionCountText, showingText: showingText,
    comparator: comparator, activeFilters: activeFilters, withoutFilter: withoutFilter,
    chipLabel: chipLabel, filtersBadge: filtersBadge, exportSet: exportSet, exportNote: exportNote,
    selectionText: selectionText, storedKeys: storedKeys, mergeSelection: mergeSelection, pickBibTeX: pickBibTeX,
    pickRIS: pickRIS, pickCSL: pickCSL, referenceText: referenceText, referenceList: referenceList,
    downloadNote: downloadNote
  };
  return Object.freeze ? Object.freeze(api) : api;
})();
if (typeof module === "object" && module.exports) module.exports = GradLeak;

/* ==== the page: reads the cards, builds the controls, wires events to GradLeak ==== */
(function (G) {
  "use strict";
  if (typeof document === "undefined") return;  // loaded for its logic only (node)

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function setHidden(node, hide) {
    if (node && node.hidden !== hide) node.hidden = hide;
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  /* ---- clipboard and downloads ------------------------------------------------------ */

  /** Copy `text` (a string, or {text, html}: plain text and the same as rich text, which
   * word processors paste with its italics; or a promise of either) to the clipboard. */
  function copyText(text) {
    if (text && typeof text.then === "function") return text.then(copyText);  // text to come
    var plain = typeof text === "string" ? text : text.text, html = typeof text === "string" ? null : text.html;
    if (navigator.clipboard && window.isSecureContext) {
      if (html && window.ClipboardItem && navigator.clipboard.write) {
        return navigator.clipboard.write([new ClipboardItem({
          "text/plain": new Blob([plain], { type: "text/plain" }),
          "text/html": new Blob([html], { type: "text/html" })
        })]).catch(function () { return navigator.clipboard.writeText(plain); });
      }
      return navigator.clipboard.writeText(plain);
    }
    return new Promise(function (resolve, reject) {
      var area = el("textarea", { "aria-hidden": "true", readonly: "" });
      area.value = plain;
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var both = function (event) {  // the copy command's own data: the plain text and the HTML
        if (!html || !event.clipboardData) return;
        event.clipboardData.setData("text/plain", plain);
        event.clipboardData.setData("text/html", html);
        event.preventDefault();
      };
      document.addEventListener("copy", both);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.removeEventListener("copy", both);
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: (type || "application/x-bibtex") + ";charset=utf-8" }));
    var link = el("a", { href: url, download: name });
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  /** Run a copy and show the outcome on the button and to screen readers. */
  function confirmCopy(button, status, text, what) {
    var label = button.textContent;
    copyText(text).then(function () {
      button.textContent = "Copied";
      status.textContent = what + " copied to the clipboard.";
    }, function () {
      button.textContent = "Copy failed";
      status.textContent = "Could not copy " + what + ".";
    }).then(function () {
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  }

  /* ---- the cards --------------------------------------------------------------------- */

  /** Every card of the page as a paper (G.makePaper), with its card element. */
  function readPapers(taxonomy) {
    var byId = G.categoryIndex(taxonomy);
    var text = function (card, selector) { var n = card.querySelector(selector); return n ? n.textContent : ""; };
    return Array.prototype.map.call(document.querySelectorAll("article.gl-card"), function (card, index) {
      var visible = function () {
        return [".gl-card__title", ".gl-card__authors", ".gl-card__venue", ".gl-card__container",
          ".gl-card__tags", ".gl-card__tldr"].map(function (s) { return text(card, s); }).join(" ");
      };
      var p = G.makePaper({  // the texts are read when first needed (G.makePaper)
        key: card.getAttribute("data-key"), section: card.getAttribute("data-section"),
        year: card.getAttribute("data-year"), venue: card.getAttribute("data-venue"),
        code: card.getAttribute("data-code"), tags: card.getAttribute("data-tags"),
        title: function () { return text(card, ".gl-card__title"); }, text: visible,
        doi: card.getAttribute("data-doi"), arxiv: card.getAttribute("data-arxiv"),
        bibtex: function () { unfold(card); return text(card, ".gl-card__bibtex pre"); }
      }, index, byId);
      p.card = card;
      return p;
    });
  }

  /** Each section's cards sit together; a marker keeps their place for re-sorting. */
  function markSections(papers) {
    var sections = {};
    papers.forEach(function (p) {
      if (!sections[p.section]) {
        var marker = document.createComment("gl-section " + p.section);
        p.card.parentNode.insertBefore(marker, p.card);
        sections[p.section] = { marker: marker, papers: [] };
      }
      sections[p.section].papers.push(p);
    });
    return sections;
  }

  /** The heading, description, count and table-of-contents items of each category. */
  function findSectionNodes(taxonomy) {
    return taxonomy.categories.map(function (c) {
      var about = document.querySelector(".gl-category[data-category='" + c.id + "']");
      var toc = Array.prototype.map.call(
        document.querySelectorAll(".md-nav a.md-nav__link[href='#category-" + c.id + "']"),
        function (a) { return a.closest("li") || a; });
      return { id: c.id, heading: document.getElementById("category-" + c.id), about: about,
        count: about ? about.querySelector(".gl-category__count[data-total]") : null, toc: toc };
    });
  }

  /** A select box on each card. (Its "More" list is completed when first opened.) */
  function enhanceCards(papers, onSelect) {
    // one box made, then copied for each card; one listener for them all
    var model = el("label", { class: "gl-select__label" }, [
      el("input", { type: "checkbox", class: "gl-select" }), el("span", { text: "Select" }),
      el("span", { class: "gl-visually-hidden" })]);
    papers.forEach(function (p) {
      var card = p.card;
      var id = "gl-sel-" + p.key;
      var title = card.querySelector(".gl-card__title");
      var links = card.querySelector(".gl-card__links");
      var label = model.cloneNode(true);
      var box = label.firstChild;
      box.id = id;
      box.setAttribute("data-key", p.key);
      label.htmlFor = id;
      label.lastChild.textContent = " " + (title ? title.textContent : p.key);
      if (links) links.appendChild(label); else card.insertBefore(label, card.firstChild);
      p.box = box;
    });
    document.addEventListener("change", function (event) {
      if (event.target.classList && event.target.classList.contains("gl-select")) onSelect();
    });
  }

  /** A list card's More list and BibTeX arrive in a <noscript> (card.html.jinja): elements
   * for a reader without JavaScript, one line of text with it. Made into elements the first
   * time the reader opens either, or when the card's BibTeX is exported. */
  function unfold(card) {
    var folded = card && card.querySelector("noscript.gl-card__folded");
    if (!folded) return;
    var parts = document.createElement("template");
    // scripting on, its content is text; a document parsed without scripting has elements
    if (folded.firstElementChild) parts.content.append.apply(parts.content, folded.childNodes);
    else parts.innerHTML = folded.textContent;
    folded.parentNode.replaceChild(parts.content, folded);
  }

  /** A card's "More" list, the first time it opens: its HTML has what works without
   * JavaScript (DOI, arXiv, .bib, details page); here come the copy buttons, the .ris,
   * CSL-JSON and Cite links (beside the .bib, on the details page) and the permalink. Made
   * on demand: a list page of hundreds of cards loads without them. */
  function completeMore(list) {
    var card = list.closest("article.gl-card");
    if (!card || list.hasAttribute("data-complete")) return;
    list.setAttribute("data-complete", "");
    var key = card.getAttribute("data-key");
    var title = (card.querySelector(".gl-card__title") || card).textContent.trim();
    var status = document.querySelector(".gl-toolbar .gl-status") || el("p");
    var bib = list.querySelector("a.gl-link--bib");
    var details = list.querySelector("a.gl-link--details");
    var item = function (node) { return el("li", {}, [node]); };
    var copy = function (text, cls, value, what) {
      var b = button(text, cls);
      b.addEventListener("click", function () { confirmCopy(b, status, value(), what); });
      return item(b);
    };
    var first = [copy("Copy BibTeX", "gl-copy", function () {
      return (card.querySelector(".gl-card__bibtex pre") || { textContent: "" }).textContent;
    }, "BibTeX of " + key)];
    var doi = card.getAttribute("data-doi");
    if (doi) first.push(copy("Copy DOI", "gl-copy-doi", function () { return doi; }, "DOI"));
    first.push(copy("Copy link", "gl-copy-link", function () { return G.paperLink(location, key); }, "Link"));
    first.reverse().forEach(function (li) { list.insertBefore(li, list.firstChild); });
    var link = function (cls, href, text, label, file) {
      var a = el("a", { class: "gl-link gl-link--" + cls, href: href, "aria-label": label + ": " + title, text: text });
      if (file) a.setAttribute("download", file);
      return a;
    };
    if (bib && details) {
      var base = bib.getAttribute("href").replace(/\.bib$/, "");
      var cite = el("li", { class: "gl-card__cite" }, [
        link("ris", base + ".ris", ".ris", "Download RIS", key + ".ris"), document.createTextNode(" "),
        link("csl", base + ".csl.json", "CSL-JSON", "Download CSL-JSON", key + ".csl.json"),
        document.createTextNode(" "),
        link("cite", details.getAttribute("href") + "#cite", "Cite", "Cite (APA, IEEE)")]);
      list.insertBefore(cite, details.parentNode);
    }
    list.appendChild(item(link("anchor", "#" + encodeURIComponent(key), "Permalink", "Permalink")));
  }

  /* ---- the controls ---------------------------------------------------------------- */

  function checkboxList(name, legend, options) {
    var box = el("fieldset", { class: "gl-facet", "data-facet": name }, [el("legend", { text: legend })]);
    options.forEach(function (o) {
      var id = "gl-" + name + "-" + o.id;
      var input = el("input", { type: "checkbox", id: id, value: o.id, name: name });
      var label = el("label", { for: id, class: "gl-option", style: "--depth:" + (o.depth || 0) }, [
        input, el("span", { class: "gl-option__name", text: o.name }),
        el("span", { class: "gl-option__count", "data-count-for": o.id, text: "" })
      ]);
      box.appendChild(label);
    });
    return box;
  }

  function select(id, label, options) {
    var node = el("select", { id: id });
    options.forEach(function (o) { node.appendChild(el("option", { value: o.value, text: o.text })); });
    return el("div", { class: "gl-field" }, [el("label", { for: id, text: label }), node]);
  }

  function button(text, cls) {
    return el("button", { type: "button", class: "md-button gl-button " + (cls || ""), text: text });
  }

  /** The filter panel: a checkbox list per category and facet, then year, venue, code. */
  function filterPanel(options) {
    var panel = el("div", { class: "gl-panel", role: "group", "aria-label": "Filters", id: "gl-panel" });
    var body = el("div", { class: "gl-panel__body" });
    panel.appendChild(body);
    body.appendChild(checkboxList("cat", "Main category", options.cats.map(function (c) {
      return { id: c.id, name: c.name, depth: c.depth };
    })));
    options.facets.forEach(function (f) {
      if (f.values.length) body.appendChild(checkboxList(f.id, f.name, f.values));
    });
    var years = [{ value: "", text: "Any" }].concat(options.years.map(function (y) {
      return { value: String(y), text: String(y) };
    }));
    var other = el("fieldset", { class: "gl-facet gl-facet--other" }, [el("legend", { text: "Year, venue, code" }),
      select("gl-from", "From year", years), select("gl-to", "To year", years),
      select("gl-venue", "Venue", [{ value: "", text: "Any venue" }].concat(
        options.venues.map(function (v) { return { value: v, text: v }; }))),
      el("label", { for: "gl-code", class: "gl-option" }, [
        el("input", { type: "checkbox", id: "gl-code" }),
        el("span", { class: "gl-option__name", text: "Has official code" }),
        el("span", { class: "gl-option__count", id: "gl-code-count", text: "" })])]);
    body.appendChild(other);
    panel.hidden = true;
    return panel;
  }

  /** The toolbar above the cards and the status bar beside them; returns its controls. */
  function mount(root, options) {
    var search = el("input", { type: "search", id: "gl-q", autocomplete: "off",
      placeholder: "Filter: title, author, venue, arXiv id", "aria-describedby": "gl-count" });
    var panel = filterPanel(options);
    var count = el("p", { class: "gl-count", id: "gl-count", role: "status", "aria-live": "polite" });
    var status = el("p", { class: "gl-status", role: "status", "aria-live": "polite" });
    var clear = button("Clear all", "gl-clear");
    var sort = select("gl-sort", "Sort", [{ value: "new", text: "Newest first" },
      { value: "old", text: "Oldest first" }, { value: "title", text: "Title A–Z" }]);
    var onlySelected = el("button", { type: "button", class: "md-button gl-button gl-only",
      "aria-pressed": "false", text: "Show selected only" });
    var unselect = button("Unselect all", "gl-unselect");
    var chips = el("ul", { class: "gl-chips", "aria-label": "Active filters" });
    var selectionCount = el("span", { class: "gl-selection__count", id: "gl-selection-count" });
    var selection = el("p", { class: "gl-selection", hidden: "" }, [selectionCount, onlySelected, unselect]);
    var filters = disclosure("Filters", "gl-filters-toggle", panel);
    var badge = el("span", { class: "gl-filters-toggle__n", text: "" });
    filters.appendChild(badge);
    var selectShown = button("Select all shown", "gl-select-shown");
    var copyBib = button("Copy BibTeX", "gl-copy-bib");
    var downloadBib = button("Download .bib", "gl-download-bib");
    var exportNote = el("span", { class: "gl-export-note", id: "gl-export-note" });
    var exportList = el("div", { class: "gl-bar gl-bar--export gl-menu__list", id: "gl-export-menu",
      role: "group", "aria-label": "Selection and export", hidden: "" },
      [selectShown, copyBib, downloadBib, exportNote]);
    var exportButton = disclosure("Export", "gl-export-toggle", exportList);

    // papers first: one row of controls, the facets below it on demand, then the count,
    // the active filters and the selection, which stay in view while the reader scrolls
    root.appendChild(el("div", { class: "gl-toolbar__row" }, [
      el("label", { for: "gl-q", class: "gl-visually-hidden", text: "Filter this list" }), search,
      filters, el("div", { class: "gl-menu" }, [exportButton, exportList]), sort]));
    root.appendChild(panel);
    // a sticky element sticks within its parent: the bar goes beside the cards, not in here
    var bar = el("div", { class: "gl-toolbar" }, [
      el("div", { class: "gl-toolbar__row gl-toolbar__status" }, [count, chips, clear, selection]),
      status]);
    var after = root;
    while (after.nextElementSibling && after.nextElementSibling.tagName === "SCRIPT") after = after.nextElementSibling;
    var standIn = after.nextElementSibling;  // it held the bar's room (tools.html.jinja)
    if (standIn && standIn.classList.contains("gl-skeleton")) after.parentNode.replaceChild(bar, standIn);
    else after.parentNode.insertBefore(bar, after.nextSibling);

    return {
      root: root, toolbar: bar, search: search, panel: panel, count: count, status: status, clear: clear,
      chips: chips, badge: badge, selection: selection, selectionCount: selectionCount,
      onlySelected: onlySelected, sort: sort.querySelector("select"), from: panel.querySelector("#gl-from"),
      to: panel.querySelector("#gl-to"), venue: panel.querySelector("#gl-venue"),
      code: panel.querySelector("#gl-code"), codeCount: panel.querySelector("#gl-code-count"),
      boxes: panel.querySelectorAll(".gl-facet input[type=checkbox][name]"),
      counts: Array.prototype.map.call(panel.querySelectorAll(".gl-facet[data-facet]"), function (box) {
        var spans = {};
        box.querySelectorAll("[data-count-for]").forEach(function (span) {
          spans[span.getAttribute("data-count-for")] = span;
        });
        return { facet: box.getAttribute("data-facet"), spans: spans };
      }),
      selectShown: selectShown, unselect: unselect, copyBib: copyBib, downloadBib: downloadBib,
      exportNote: exportNote, exportList: exportList
    };
  }

  /** A button that shows and hides ``target`` (a list of controls): Esc and a click
   * elsewhere close it again. */
  function disclosure(text, cls, target) {
    var toggle = el("button", { type: "button", class: "md-button gl-button gl-disclosure " + cls,
      "aria-expanded": "false", "aria-controls": target.id, text: text });
    function set(open) {
      toggle.setAttribute("aria-expanded", String(open));
      target.hidden = !open;
    }
    toggle.addEventListener("click", function () { set(toggle.getAttribute("aria-expanded") !== "true"); });
    target.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !target.hidden) { set(false); toggle.focus(); }
    });
    if (target.classList.contains("gl-menu__list")) {
      document.addEventListener("click", function (event) {
        if (!target.hidden && !target.contains(event.target) && !toggle.contains(event.target)) set(false);
      });
    }
    return toggle;
  }

  /** The toolbar stays at the top of the window: anchors (#KEY, a category) and
   * scrollIntoView stop below it and the theme's header, not behind them. Measured after
   * the browser lays the page out (a ResizeObserver), not during the load, which would
   * lay out the whole list once more; at once only when the address names an anchor. */
  function keepAnchorsClearOf(toolbar) {
    var header = document.querySelector(".md-header");
    function update() {
      var h = (header ? header.offsetHeight : 0) + toolbar.offsetHeight;
      document.documentElement.style.setProperty("scroll-padding-top", (h + 8) + "px");
    }
    if (location.hash || G.searchedPaper(location) || !window.ResizeObserver) update();
    if (window.ResizeObserver) new ResizeObserver(update).observe(toolbar);
    else window.addEventListener("resize", update);
  }

  /* ---- showing a state: `list` is {taxonomy, papers, ui, state, shown, ...} (see init) */

  /** The controls as the state says. */
  function writeControls(list) {
    var ui = list.ui, state = list.state;
    ui.search.value = state.q;
    ui.sort.value = state.sort;
    ui.from.value = state.from ? String(state.from) : "";
    ui.to.value = state.to ? String(state.to) : "";
    ui.venue.value = state.venue;
    ui.code.checked = state.code;
    ui.boxes.forEach(function (box) {
      box.checked = (box.name === "cat" ? state.cat : state.facets[box.name]).indexOf(box.value) >= 0;
    });
  }

  function onlySelected(list) {
    return list.ui.onlySelected.getAttribute("aria-pressed") === "true";
  }

  function selectedPapers(list) {
    return list.papers.filter(function (p) { return p.box.checked; });
  }

  /** The keys the export buttons export: the selection, on this page and on others of the
   * site, or with none the papers shown; sorted. */
  function exportKeys(list) {
    var chosen = list.selected.map(function (k) { return { key: k }; });
    return G.exportSet(chosen, list.shown).map(function (p) { return p.key; });
  }

  /* ---- a selection that follows the reader from page to page ------------------------ */

  /** The selection kept in the browser (localStorage) for the whole site, so that papers
   * picked on several list pages (e.g. the year pages of All papers) are exported together
   * and survive a reload. Without storage it is this page's selection only. */
  function selectionStore(scope) {
    var name = "gradleak.selection " + scope;
    return {
      read: function () {
        try { return G.storedKeys(window.localStorage.getItem(name)); } catch (e) { return null; }
      },
      write: function (keys) {
        try {
          if (keys.length) window.localStorage.setItem(name, JSON.stringify(keys));
          else window.localStorage.removeItem(name);
        } catch (e) { /* private mode or storage full: this page's selection still works */ }
      }
    };
  }

  /** After a box changed: the stored selection as this page's boxes now say. */
  function saveSelection(list) {
    var checked = selectedPapers(list).map(function (p) { return p.key; });
    var stored = list.store.read();
    var here = list.papers.map(function (p) { return p.key; });
    list.selected = G.mergeSelection(stored || list.selected, here, checked);
    list.store.write(list.selected);
  }

  /** The boxes as the stored selection says (at load, and when the reader comes back to a
   * page kept by the browser after selecting on another). */
  function loadSelection(list) {
    var stored = list.store.read();
    if (stored === null) return;
    var chosen = {};
    stored.forEach(function (k) { chosen[k] = true; });
    list.papers.forEach(function (p) { p.box.checked = !!chosen[p.key]; });
    list.selected = stored;
  }

  /** The cards, counts, sections, order and chips for the current state. */
  function render(list) {
    var state = list.state, ui = list.ui, papers = list.papers;
    var words = G.queryWords(state.q);
    var only = onlySelected(list);
    list.shown = papers.filter(function (p) {
      var ok = G.passes(p, state, null, words) && (!only || p.box.checked);
      setHidden(p.card, !ok);
      return ok;
    });
    // counts: what each option would leave, given every other filter (one pass a facet)
    ui.counts.forEach(function (box) {
      var counts = G.facetCounts(papers, state, box.facet, words);
      Object.keys(box.spans).forEach(function (value) {
        setText(box.spans[value], String(counts[value] || 0));
        box.spans[value].parentNode.classList.toggle("gl-option--empty", !counts[value]);
      });
    });
    ui.codeCount.textContent = String(G.codeCount(papers, state, words));
    // empty category sections leave the page and its table of contents; the others
    // say how many of their papers are shown
    var visible = G.sectionCounts(list.shown, list.parentOf);
    var filtering = list.shown.length < papers.length;
    list.sectionNodes.forEach(function (n) {
      var hide = !visible[n.id];
      setHidden(n.heading, hide);
      setHidden(n.about, hide);
      n.toc.forEach(function (item) { setHidden(item, hide); });
      if (n.count) setText(n.count, G.sectionCountText(visible[n.id], n.count.getAttribute("data-total"), filtering));
    });
    if (state.sort !== list.sortedBy) sortCards(list);
    ui.count.textContent = G.showingText(list.shown.length, papers.length);
    renderChips(list);
    updateExportNote(list);
  }

  /** Sort within each section (done only when the order asked for changes). */
  function sortCards(list) {
    var compare = G.comparator(list.state.sort);
    Object.keys(list.sections).forEach(function (name) {
      var section = list.sections[name];
      var fragment = document.createDocumentFragment();
      section.papers.slice().sort(compare).forEach(function (p) { fragment.appendChild(p.card); });
      section.marker.parentNode.insertBefore(fragment, section.marker.nextSibling);
    });
    list.sortedBy = list.state.sort;
  }

  /** One chip per active filter (rebuilt only when they change). */
  function renderChips(list) {
    var ui = list.ui;
    list.active = G.activeFilters(list.state, list.taxonomy);
    var signature = JSON.stringify(list.active.map(function (a) { return [a.what, a.text]; }));
    ui.badge.textContent = G.filtersBadge(list.active.length);
    ui.clear.hidden = list.active.length === 0;
    if (signature === list.chipsShown) return;
    list.chipsShown = signature;
    ui.chips.textContent = "";
    list.active.forEach(function (a) {
      ui.chips.appendChild(el("li", {}, [el("button", { type: "button", class: "gl-chip", text: a.text,
        "aria-label": G.chipLabel(a) })]));
    });
  }

  function updateExportNote(list) {
    var ui = list.ui;
    var here = selectedPapers(list).length, total = list.selected.length;
    ui.exportNote.textContent = G.exportNote(total, list.shown.length, total - here);
    ui.selection.hidden = total === 0;
    ui.selectionCount.textContent = G.selectionText(total, total - here);
    ui.onlySelected.hidden = here === 0;
    if (here === 0 && onlySelected(list)) {  // nothing left here to show "only"
      ui.onlySelected.setAttribute("aria-pressed", "false");
      render(list);
    }
  }

  /** The state into the address (a new history entry if `push`) and onto the page. */
  function commit(list, push) {
    var url = G.urlFromState(list.state, list.taxonomy, location);
    if (url !== location.pathname + location.search + location.hash) {
      history[push ? "pushState" : "replaceState"](null, "", url);
    }
    render(list);
  }

  /* ---- putting it together: events to state changes -------------------------------- */

  function init() {
    var root = document.getElementById("gl-tools");
    var data = document.getElementById("gl-taxonomy");
    if (!root || !data || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    root.textContent = "";  // the note for readers without JavaScript, the toolbar's stand-in
    var taxonomy = JSON.parse(data.textContent);
    var papers = readPapers(taxonomy);
    var list = { taxonomy: taxonomy, papers: papers, shown: papers, active: [],
      ui: mount(root, G.filterOptions(papers, taxonomy)),
      state: G.stateFromURL(location.search, taxonomy), parentOf: G.parentsOf(taxonomy),
      sections: markSections(papers), sectionNodes: findSectionNodes(taxonomy),
      sortedBy: "new", chipsShown: null };  // the server's order is newest first
    writeControls(list);
    var base = downloadsBase(papers);
    list.library = libraryFiles(base);
    list.selected = [];
    list.store = selectionStore(base ? new URL(base).pathname : location.pathname);
    enhanceCards(papers, function () { saveSelection(list); updateExportNote(list); });
    loadSelection(list);
    render(list);
    updateExportNote(list);
    var revealLinked = wireFilters(list);
    wireSelection(list);
    keepAnchorsClearOf(list.ui.toolbar);
    if (base) addCitationExports(list.ui, list.library, function () { return exportKeys(list); });
    window.addEventListener("pageshow", function (event) {  // back from another page
      if (!event.persisted) return;
      loadSelection(list);
      render(list);
      updateExportNote(list);
    });
    revealLinked();
  }

  /** The text filter, the facets, year, venue, code, sort, chips, "Clear all", Back. */
  function wireFilters(list) {
    var ui = list.ui;
    var change = function (state, push) { list.state = state; commit(list, push); };
    var set = function (field, value) { var s = G.copyState(list.state); s[field] = value; change(s, true); };
    var reset = function (state) { list.state = state; writeControls(list); commit(list, true); };
    var typing = false;
    ui.search.addEventListener("input", function () {
      var before = list.shown.length;
      var s = G.copyState(list.state);
      s.q = ui.search.value;
      change(s, !typing);  // one history entry per burst of typing
      typing = true;
      // the one paper left may be far down the page: bring it under the toolbar
      if (list.shown.length === 1 && before !== 1) list.shown[0].card.scrollIntoView({ block: "start" });
    });
    ui.search.addEventListener("change", function () { typing = false; });
    ui.search.addEventListener("blur", function () { typing = false; });
    ui.boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        change(G.withOption(list.state, box.name, box.value, box.checked), true);
      });
    });
    ui.from.addEventListener("change", function () { set("from", parseInt(ui.from.value, 10) || null); });
    ui.to.addEventListener("change", function () { set("to", parseInt(ui.to.value, 10) || null); });
    ui.venue.addEventListener("change", function () { set("venue", ui.venue.value); });
    ui.code.addEventListener("change", function () { set("code", ui.code.checked); });
    ui.sort.addEventListener("change", function () { set("sort", ui.sort.value); });
    ui.clear.addEventListener("click", function () {
      reset(G.emptyState(list.taxonomy));
      ui.search.focus();
    });
    ui.chips.addEventListener("click", function (event) {
      var i = Array.prototype.indexOf.call(ui.chips.querySelectorAll(".gl-chip"), event.target.closest(".gl-chip"));
      if (i < 0) return;
      reset(G.withoutFilter(list.state, list.active[i]));
      var next = ui.chips.querySelectorAll(".gl-chip")[i] || ui.chips.querySelector(".gl-chip:last-child");
      (next || ui.search).focus();
    });
    window.addEventListener("popstate", function () {
      list.state = G.stateFromURL(location.search, list.taxonomy);
      writeControls(list);
      render(list);
    });
    // a link to a card the filters hide ("?cat=x#KEY", a search result opened over a
    // filtered list): clear the filters (not the sort) and bring the card into view
    var reveal = function () {
      var key;
      try { key = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
      var paper = list.papers.filter(function (p) { return p.key === key; })[0];
      if (!paper || list.shown.indexOf(paper) >= 0) return;
      var sort = list.state.sort;
      list.state = G.emptyState(list.taxonomy);
      list.state.sort = sort;
      list.ui.onlySelected.setAttribute("aria-pressed", "false");
      writeControls(list);
      commit(list, false);
      location.replace("#" + encodeURIComponent(key));  // the browser's own scroll to it
    };
    window.addEventListener("hashchange", reveal);
    return reveal;
  }

  /** Select all shown, Unselect all, Show selected only, Copy BibTeX, Download .bib. */
  function wireSelection(list) {
    var ui = list.ui;
    ui.selectShown.addEventListener("click", function () {
      list.shown.forEach(function (p) { p.box.checked = true; });
      saveSelection(list);
      updateExportNote(list);
    });
    ui.unselect.addEventListener("click", function () {  // here and on every other page
      list.papers.forEach(function (p) { p.box.checked = false; });
      list.selected = [];
      list.store.write([]);
      updateExportNote(list);
    });
    ui.onlySelected.addEventListener("click", function () {
      ui.onlySelected.setAttribute("aria-pressed", String(!onlySelected(list)));
      render(list);
    });
    var byKey = {};
    list.papers.forEach(function (p) { byKey[p.key] = p; });
    // the cards' own BibTeX when every paper is on this page (copied at once, as some
    // browsers require), else the library's .bib file (fetched before the click, where possible)
    var bibOf = function (keys) {
      if (keys.every(function (k) { return byKey[k]; })) {
        return keys.map(function (k) { return byKey[k].bibtex; }).join("\n");
      }
      return list.library("bib").then(function (text) { return G.pickBibTeX(text, keys); });
    };
    var warm = function () { if (list.selected.length > selectedPapers(list).length) list.library("bib").catch(function () {}); };
    [ui.copyBib, ui.downloadBib].forEach(function (b) {
      b.addEventListener("pointerenter", warm);
      b.addEventListener("focus", warm);
    });
    ui.copyBib.addEventListener("click", function () {
      var keys = exportKeys(list);
      confirmCopy(ui.copyBib, ui.status, bibOf(keys), "BibTeX of " + G.papersText(keys.length));
    });
    ui.downloadBib.addEventListener("click", function () {
      var keys = exportKeys(list);
      Promise.resolve(bibOf(keys)).then(function (text) {
        download("gradleak-selection.bib", text);
        ui.status.textContent = G.downloadNote("bib", keys.length);
      }, function () {
        ui.status.textContent = "Could not load the bib records.";
      });
    });
  }

  /* ---- the selection (or the filtered view) as RIS, CSL-JSON, APA and IEEE ----------- */

  /** The address of the downloads folder, from the list's own "Download all as BibTeX"
   * (downloads/NAME.bib; the cards' own .bib links are made only when a card is opened). */
  function downloadsBase(papers) {
    var link = papers.length ? document.querySelector(".gl-summary a[download][href$='.bib']") : null;
    return link ? link.href.replace(/[^\/]*\.bib$/, "") : null;
  }

  /** The whole library's files in a format ("bib", "ris", "csl.json", "references.json"),
   * each fetched once, when first needed. */
  function libraryFiles(base) {
    var cache = {};
    return function (ext) {
      if (!cache[ext]) {
        cache[ext] = fetch(base + (ext === "references.json" ? ext : "gradleak." + ext)).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.text();
        });
      }
      return cache[ext];
    };
  }

  /** Four more export buttons: the records come from the whole library's .ris,
   *  .csl.json and references.json downloads. `keys` gives what to export. */
  function addCitationExports(ui, library, keys) {
    var bar = ui.exportList;
    [{ label: "Copy APA", cls: "gl-copy-apa", style: "apa", name: "APA" },
     { label: "Copy IEEE", cls: "gl-copy-ieee", style: "ieee", name: "IEEE" }].forEach(function (f) {
      var b = button(f.label, f.cls);
      var warm = function () { library("references.json").catch(function () {}); };
      b.addEventListener("pointerenter", warm);  // fetched before the click, where possible:
      b.addEventListener("focus", warm);         // some browsers copy only right after one
      b.addEventListener("click", function () {
        var chosen = keys();
        var text = library("references.json").then(function (json) {
          var refs = JSON.parse(json);
          return { text: G.referenceList(refs, chosen, f.style),
                   html: G.referenceList(refs, chosen, f.style, true) };
        });
        confirmCopy(b, ui.status, text, f.name + " references of " + G.papersText(chosen.length));
      });
      bar.insertBefore(b, ui.exportNote);
    });
    [{ label: "Download RIS", cls: "gl-download-ris", ext: "ris", type: "application/x-research-info-systems",
       pick: G.pickRIS },
     { label: "Download CSL-JSON", cls: "gl-download-csl", ext: "csl.json",
       type: "application/vnd.citationstyles.csl+json", pick: G.pickCSL }].forEach(function (f) {
      var b = button(f.label, f.cls);
      b.addEventListener("click", function () {
        var chosen = keys();
        library(f.ext).then(function (text) {
          download("gradleak-selection." + f.ext, f.pick(text, chosen), f.type);
          ui.status.textContent = G.downloadNote(f.ext, chosen.length);
        }, function () {
          ui.status.textContent = "Could not load the " + f.ext + " records.";
        });
      });
      bar.insertBefore(b, ui.exportNote);
    });
  }

  /* ---- every page ---------------------------------------------------------------------- */

  /** The theme's search dialog has no accessible name; give it one. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search the catalog");
  }

  /** A card's BibTeX and More buttons (in the page's HTML) show and hide what they control. */
  function toggleBibtex(event) {
    var toggle = event.target.closest ? event.target.closest(".gl-bib-toggle, .gl-more-toggle") : null;
    if (!toggle) return;
    unfold(toggle.closest("article.gl-card"));
    var panel = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) return;
    var open = toggle.getAttribute("aria-expanded") !== "true";
    if (open && toggle.classList.contains("gl-more-toggle")) completeMore(panel);
    toggle.setAttribute("aria-expanded", String(open));
    panel.classList.toggle("gl-open", open);
    if (open && toggle.classList.contains("gl-more-toggle")) {  // a menu: into its first item
      var first = panel.querySelector("a, button");
      if (first) first.focus();
    }
  }

  /** Esc in a card's open "More" list closes it and returns to its button. */
  function closeMore(event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var panel = event.target.closest(".gl-card__more.gl-open");
    var toggle = panel && document.querySelector(".gl-more-toggle[aria-controls='" + panel.id + "']");
    if (!toggle) return;
    toggle.setAttribute("aria-expanded", "false");
    panel.classList.remove("gl-open");
    toggle.focus();
  }

  /** A paper page's Cite section: each formatted reference gets a working copy button. */
  function enableReferenceCopy() {
    var status = document.getElementById("gl-cite-status");
    if (!status) return;
    Array.prototype.forEach.call(document.querySelectorAll("button.gl-copy-ref"), function (b) {
      var target = document.getElementById(b.getAttribute("data-copy"));
      if (!target) return;
      b.hidden = false;
      b.addEventListener("click", function () {
        confirmCopy(b, status, { text: target.textContent.replace(/\s+/g, " ").trim(),
                                 html: target.innerHTML.trim() }, b.getAttribute("data-what"));
      });
    });
  }

  /** The header search reads its box's value as lunr query syntax, in which a pasted
   * "{R-GAP}: ..." or a quoted title finds nothing: hand it the plain words instead
   * (G.headerQuery), leaving what the reader typed on screen. */
  function plainHeaderSearch() {
    var input = document.querySelector("input.md-search__input");
    var native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");
    if (!input || !native || !native.get) return;
    Object.defineProperty(input, "value", {
      configurable: true,
      get: function () { return G.headerQuery(native.get.call(this)); },
      set: function (value) { native.set.call(this, value); }
    });
    // a search opened from a "?q=" link was read before this script ran: read it again
    if (native.get.call(input)) input.dispatchEvent(new KeyboardEvent("keyup"));
  }

  /** A search result opens "<list page>?paper=KEY": show that card as "#KEY" would, and
   * keep the address clean for sharing. */
  function openSearchedPaper() {
    var found = G.searchedPaper(location);
    if (!found) return;
    history.replaceState(history.state, "", found.url);
    // a fragment navigation: scrolls to the card, sets :target, no reload
    if (document.getElementById(found.key)) location.replace(found.url + "#" + encodeURIComponent(found.key));
  }

  /** A link to a card this list page does not have ("attacks/#KEY", "papers/?paper=KEY"
   * made before the list was split, or before the key changed): go to the page that has
   * it (G.movedTo), under its key now (G.renamedKeys, when only one paper fits). */
  function followMovedCard() {
    var intro = document.querySelector(".gl-intro[data-where]");
    var searched = G.searchedPaper(location);
    var key;
    try { key = searched ? searched.key : decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (!intro || !key || document.getElementById(key)) return;
    var where = new URL(intro.getAttribute("data-where"), location.href);
    var root = where.pathname.replace(/[^\/]*\/[^\/]*$/, "");  // papers/where.json
    fetch(where.href).then(function (r) { return r.ok ? r.json() : {}; }).then(function (map) {
      var renamed = G.renamedKeys(map, key);  // a key changed since (a year corrected)
      if (renamed.length === 1) key = renamed[0];
      var target = G.movedTo(map, key, root, location.pathname);
      if (target) location.replace(target + "#" + encodeURIComponent(key));
      else if (renamed.length === 1 && document.getElementById(key)) {
        location.replace(location.pathname + "#" + encodeURIComponent(key));
      }
    }).catch(function () {});
  }

  /** The 404 page at a paper's address (paper/KEY/): its key may have changed (a year or
   * venue corrected); link the papers it may have become, else a search for its words. */
  function notFoundHelp() {
    var box = document.querySelector(".gl-404[data-home]");
    var m = /\/paper\/([^\/]+)\/?(?:index\.html)?$/.exec(location.pathname);
    if (!box || !m) return;
    var key;
    try { key = decodeURIComponent(m[1]); } catch (e) { return; }
    var home = new URL(box.getAttribute("data-home"), document.baseURI);
    var say = function (nodes) {
      box.textContent = "";
      nodes.forEach(function (n) { box.appendChild(typeof n === "string" ? document.createTextNode(n) : n); });
      box.hidden = false;
    };
    var search = function () {
      var words = G.keyWords(key);
      say(["No paper has the key " + key + " (keys change when a paper's year or venue is corrected). ",
           el("a", { href: new URL("?q=" + encodeURIComponent(words), home).href,
                   text: "Search the catalog for \u201c" + words + "\u201d" }),
           "."]);
    };
    fetch(new URL("papers/where.json", home).href).then(function (r) { return r.ok ? r.json() : {}; }).then(function (map) {
      var keys = G.renamedKeys(map, key);
      if (!keys.length) return search();
      var nodes = ["No paper has the key " + key + " now; keys change when a paper's year or venue is corrected. It may be: "];
      keys.forEach(function (k, i) {
        if (i) nodes.push(", ");
        nodes.push(el("a", { href: new URL("paper/" + encodeURIComponent(k) + "/", home).href, text: k }));
      });
      nodes.push(".");
      say(nodes);
    }).catch(search);
  }

  /** The palette toggle (overrides/partials/palette.html): the theme's markup and stored
   * choice, switched here rather than by the theme's palette component, which re-styled the
   * whole page three times at every load. The palette was chosen before the first paint
   * (overrides/partials/javascripts/palette.html, `__gl_palette`); a reader who has not
   * chosen one follows the system's light or dark setting, also when it changes. */
  function wirePalette() {
    var form = document.querySelector("form[data-gl-palette]");
    if (!form || typeof window.__gl_palette !== "function") return;
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input.md-option"));
    var chosen = function () {
      try { return window.__md_get("__palette"); } catch (e) { return null; }
    };
    var themeColor = function () {  // the browser's bar in the header's color, as the theme does
      var header = document.querySelector(".md-header");
      var meta = document.querySelector("meta[name=theme-color]");
      if (!header) return;
      if (!meta) meta = document.head.appendChild(el("meta", { name: "theme-color" }));
      meta.setAttribute("content", getComputedStyle(header).backgroundColor);
    };
    var show = function (index, remember) {
      document.body.setAttribute("data-md-color-switching", "");  // no color transitions
      window.__gl_palette(index, remember);
      themeColor();
      requestAnimationFrame(function () { document.body.removeAttribute("data-md-color-switching"); });
    };
    form.addEventListener("change", function (event) {
      var index = inputs.indexOf(event.target);
      if (index >= 0) show(index, true);
    });
    form.addEventListener("keydown", function (event) {  // Enter: the next palette, as the theme does
      if (event.key !== "Enter") return;
      var checked = inputs.filter(function (input) { return input.checked; })[0];
      var next = inputs[(inputs.indexOf(checked) + 1) % inputs.length];
      event.preventDefault();
      next.click();
      next.focus();
    });
    inputs.forEach(function (input, index) {
      var query = window.matchMedia && window.matchMedia(input.getAttribute("data-md-color-media"));
      if (!query || !query.addEventListener) return;
      query.addEventListener("change", function (event) {
        if (event.matches && !chosen()) show(index, false);
      });
    });
    // read once the page has been styled (a read before would style it ahead of time)
    var later = function () { requestAnimationFrame(function () { setTimeout(themeColor, 0); }); };
    if (document.readyState === "complete") later(); else window.addEventListener("load", later);
  }

  function start() {
    wirePalette();
    notFoundHelp();
    plainHeaderSearch();
    nameSearchDialog();
    document.addEventListener("click", toggleBibtex);
    document.addEventListener("keydown", closeMore);
    enableReferenceCopy();
    followMovedCard();  // reads the address before openSearchedPaper tidies it
    // the list's tools in a task of their own, not in the theme's (DOMContentLoaded): two
    // short tasks keep a phone responsive where one long one would not; the tools' room
    // is held meanwhile (tools.html.jinja)
    setTimeout(function () {
      init();
      openSearchedPaper();  // after the tools are in place above the cards
    }, 0);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(GradLeak);
