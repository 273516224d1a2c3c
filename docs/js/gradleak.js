/* The reader's tools on the paper lists: filters, text search, sort, selection and
 * export, copy buttons. Progressive enhancement: every paper is plain HTML already; this
 * script only adds controls. No dependency, no network request. */
(function () {
  "use strict";

  // "filter", not "q": the theme opens its search over the page for any "?q=" (old
  // "?q=" links are renamed before the theme reads them, in overrides/main.html)
  var TEXT_PARAM = "filter";
  var FACET_PARAMS = ["cat", "venue", "code", "from", "to", TEXT_PARAM, "sort"];
  var SEPARATOR = ",";

  /* ---- text ----------------------------------------------------------------------- */

  var FOLD = { "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th" };

  /** Lowercase, accents removed: "Balunović" -> "balunovic". */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[øłđßæœıþ]/g, function (c) { return FOLD[c]; });
  }

  /** Text as the list filter compares it: folded, every run of punctuation a space, so
   * a title pasted from BibTeX ("--", braces, quotes, a trailing "?") matches the card. */
  function matchable(text) {
    return " " + fold(text.replace(/\\['"`^~=.]/g, "")).replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
  }

  function words_of(query) {
    return matchable(query).split(" ").filter(Boolean);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  /* ---- clipboard and downloads ------------------------------------------------------ */

  function copyText(text) {
    if (text && typeof text.then === "function") return text.then(copyText);  // text to come
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = el("textarea", { "aria-hidden": "true", readonly: "" });
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
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

  /* ---- the model of the page ------------------------------------------------------- */

  function readPapers(taxonomy) {
    var names = {};
    taxonomy.categories.forEach(function (c) { names[c.id] = c; });
    return Array.prototype.map.call(document.querySelectorAll("article.gl-card"), function (card, index) {
      var tags = (card.getAttribute("data-tags") || "").split(" ").filter(Boolean);
      // one rule for every category count and filter: a paper belongs to its main
      // category (its first) and that category's parents, where its card is listed
      var cats = {};
      var main = tags.filter(function (t) { return names[t]; })[0];
      for (var c = names[main]; c; c = names[c.parent]) cats[c.id] = true;
      var title = card.querySelector(".gl-card__title");
      var pieces = [title, card.querySelector(".gl-card__authors"), card.querySelector(".gl-card__venue"),
        card.querySelector(".gl-card__container"), card.querySelector(".gl-card__tags"),
        card.querySelector(".gl-card__tldr")];
      var text = pieces.map(function (n) { return n ? n.textContent : ""; }).join(" ") + " " + tags.join(" ");
      var year = parseInt(card.getAttribute("data-year"), 10);
      return {
        card: card,
        index: index,
        key: card.getAttribute("data-key"),
        section: card.getAttribute("data-section"),
        year: isNaN(year) ? null : year,
        venue: card.getAttribute("data-venue") || "",
        code: card.getAttribute("data-code") === "yes",
        tags: tags,
        cats: cats,
        title: fold(title ? title.textContent : ""),
        text: matchable(text + " " + (card.getAttribute("data-key") || "") + " " +
          (card.getAttribute("data-doi") || "") + " " + (card.getAttribute("data-arxiv") || "")),
        bibtex: (card.querySelector(".gl-card__bibtex pre") || { textContent: "" }).textContent
      };
    });
  }

  function emptyState(taxonomy) {
    var facets = {};
    taxonomy.facets.forEach(function (f) { facets[f.id] = []; });
    return { cat: [], venue: "", code: false, from: null, to: null, q: "", sort: "new", facets: facets };
  }

  function stateFromURL(taxonomy) {
    var params = new URLSearchParams(location.search);
    var state = emptyState(taxonomy);
    var list = function (name) { return (params.get(name) || "").split(SEPARATOR).filter(Boolean); };
    state.cat = list("cat");
    state.venue = params.get("venue") || "";
    state.code = params.get("code") === "1";
    state.from = parseInt(params.get("from"), 10) || null;
    state.to = parseInt(params.get("to"), 10) || null;
    state.q = params.get(TEXT_PARAM) || "";
    state.sort = ["new", "old", "title"].indexOf(params.get("sort")) >= 0 ? params.get("sort") : "new";
    taxonomy.facets.forEach(function (f) { state.facets[f.id] = list(f.id); });
    return state;
  }

  function urlFromState(state, taxonomy) {
    var params = new URLSearchParams(location.search);
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
    if (state.sort !== "new") params.set("sort", state.sort);
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "") + location.hash;
  }

  /** Does paper p pass every filter of state, except the one named skip? */
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

  function mount(root, taxonomy, papers) {
    var present = function (predicate) { return papers.some(predicate); };
    var cats = taxonomy.categories.filter(function (c) {
      return present(function (p) { return p.cats[c.id]; });
    });
    var years = papers.map(function (p) { return p.year; }).filter(Boolean).sort();
    var venues = [];
    papers.forEach(function (p) { if (p.venue && venues.indexOf(p.venue) < 0) venues.push(p.venue); });
    venues.sort(new Intl.Collator().compare);  // one collator, not one per comparison

    var search = el("input", { type: "search", id: "gl-q", autocomplete: "off",
      placeholder: "Filter: title, author, venue, arXiv id" });
    var panel = el("div", { class: "gl-panel", role: "group", "aria-label": "Filters" });
    var body = el("div", { class: "gl-panel__body" });
    panel.appendChild(body);

    body.appendChild(checkboxList("cat", "Main category", cats.map(function (c) {
      return { id: c.id, name: c.name, depth: c.depth };
    })));
    taxonomy.facets.forEach(function (f) {
      var values = f.values.filter(function (v) { return present(function (p) { return p.tags.indexOf(v.id) >= 0; }); });
      if (values.length) body.appendChild(checkboxList(f.id, f.name, values));
    });
    var yearOptions = [{ value: "", text: "Any" }];
    var distinct = years.filter(function (y, i) { return years.indexOf(y) === i; });
    distinct.forEach(function (y) { yearOptions.push({ value: String(y), text: String(y) }); });
    var other = el("fieldset", { class: "gl-facet gl-facet--other" }, [el("legend", { text: "Year, venue, code" })]);
    other.appendChild(select("gl-from", "From year", yearOptions));
    other.appendChild(select("gl-to", "To year", yearOptions));
    other.appendChild(select("gl-venue", "Venue", [{ value: "", text: "Any venue" }].concat(
      venues.map(function (v) { return { value: v, text: v }; }))));
    var codeInput = el("input", { type: "checkbox", id: "gl-code" });
    other.appendChild(el("label", { for: "gl-code", class: "gl-option" }, [
      codeInput, el("span", { class: "gl-option__name", text: "Has official code" }),
      el("span", { class: "gl-option__count", id: "gl-code-count", text: "" })]));
    body.appendChild(other);

    var count = el("p", { class: "gl-count", id: "gl-count", role: "status", "aria-live": "polite" });
    var status = el("p", { class: "gl-status", role: "status", "aria-live": "polite" });
    var clear = button("Clear all", "gl-clear");
    var sort = select("gl-sort", "Sort", [{ value: "new", text: "Newest first" },
      { value: "old", text: "Oldest first" }, { value: "title", text: "Title A–Z" }]);
    var selectShown = button("Select all shown", "gl-select-shown");
    var unselect = button("Unselect all", "gl-unselect");
    var onlySelected = el("button", { type: "button", class: "md-button gl-button gl-only",
      "aria-pressed": "false", text: "Show selected only" });
    var copyBib = button("Copy BibTeX", "gl-copy-bib");
    var downloadBib = button("Download .bib", "gl-download-bib");
    var exportNote = el("span", { class: "gl-export-note", id: "gl-export-note" });
    var chips = el("ul", { class: "gl-chips", "aria-label": "Active filters" });
    var selection = el("p", { class: "gl-selection", hidden: "" }, [
      el("span", { class: "gl-selection__count", id: "gl-selection-count" }), onlySelected, unselect]);

    panel.id = "gl-panel";
    panel.hidden = true;
    var filters = disclosure("Filters", "gl-filters-toggle", panel);
    filters.appendChild(el("span", { class: "gl-filters-toggle__n", text: "" }));
    var exportList = el("div", { class: "gl-bar gl-bar--export gl-menu__list", id: "gl-export-menu",
      role: "group", "aria-label": "Selection and export", hidden: "" },
      [selectShown, copyBib, downloadBib, exportNote]);
    var exportButton = disclosure("Export", "gl-export-toggle", exportList);
    search.setAttribute("aria-describedby", "gl-count");

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
    after.parentNode.insertBefore(bar, after.nextSibling);

    return {
      search: search, panel: panel, count: count, status: status, clear: clear, chips: chips,
      filters: filters, selection: selection, onlySelected: onlySelected,
      sort: sort.querySelector("select"), from: other.querySelector("#gl-from"),
      to: other.querySelector("#gl-to"), venue: other.querySelector("#gl-venue"), code: codeInput,
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
   * scrollIntoView stop below it and the theme's header, not behind them. */
  function keepAnchorsClearOf(toolbar) {
    var header = document.querySelector(".md-header");
    function update() {
      var h = (header ? header.offsetHeight : 0) + toolbar.offsetHeight;
      document.documentElement.style.setProperty("scroll-padding-top", (h + 8) + "px");
    }
    update();
    if (window.ResizeObserver) new ResizeObserver(update).observe(toolbar);
    else window.addEventListener("resize", update);
  }

  /* ---- per-card additions ---------------------------------------------------------- */

  function enhanceCards(papers, status, onSelect) {
    papers.forEach(function (p) {
      var card = p.card;
      var id = "gl-sel-" + p.key;
      var title = card.querySelector(".gl-card__title");
      var links = card.querySelector(".gl-card__links");
      var box = el("input", { type: "checkbox", class: "gl-select", id: id, "data-key": p.key });
      var label = el("label", { for: id, class: "gl-select__label" }, [box,
        el("span", { text: "Select" }),
        el("span", { class: "gl-visually-hidden", text: " " + (title ? title.textContent : p.key) })]);
      if (links) links.appendChild(label); else card.insertBefore(label, card.firstChild);
      box.addEventListener("change", onSelect);
      p.box = box;

      var more = card.querySelector(".gl-card__more");
      if (!more) return;
      var items = [];
      var copy = button("Copy BibTeX", "gl-copy");
      copy.addEventListener("click", function () { confirmCopy(copy, status, p.bibtex, "BibTeX of " + p.key); });
      items.push(copy);
      var doi = card.getAttribute("data-doi");
      if (doi) {
        var copyDoi = button("Copy DOI", "gl-copy-doi");
        copyDoi.addEventListener("click", function () { confirmCopy(copyDoi, status, doi, "DOI"); });
        items.push(copyDoi);
      }
      var copyLink = button("Copy link", "gl-copy-link");
      copyLink.addEventListener("click", function () {
        var url = location.origin + location.pathname + "#" + encodeURIComponent(p.key);
        confirmCopy(copyLink, status, url, "Link");
      });
      items.push(copyLink);
      items.reverse().forEach(function (item) { more.insertBefore(el("li", {}, [item]), more.firstChild); });
    });
  }

  /* ---- putting it together --------------------------------------------------------- */

  function init() {
    var root = document.getElementById("gl-tools");
    var data = document.getElementById("gl-taxonomy");
    if (!root || !data || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    root.textContent = "";  // the note for readers without JavaScript
    var taxonomy = JSON.parse(data.textContent);
    var papers = readPapers(taxonomy);
    var total = papers.length;
    var ui = mount(root, taxonomy, papers);
    var state = stateFromURL(taxonomy);
    var shown = papers;

    // Each section's cards sit together; a marker keeps their place for re-sorting.
    var sections = {};
    papers.forEach(function (p) {
      if (!sections[p.section]) {
        var marker = document.createComment("gl-section " + p.section);
        p.card.parentNode.insertBefore(marker, p.card);
        sections[p.section] = { marker: marker, papers: [] };
      }
      sections[p.section].papers.push(p);
    });
    var parentOf = {};
    taxonomy.categories.forEach(function (c) { parentOf[c.id] = c.parent; });

    function selectedKeys() {
      return papers.filter(function (p) { return p.box.checked; });
    }

    function exportSet() {
      var chosen = selectedKeys();
      var list = chosen.length ? chosen : shown;
      return list.slice().sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
    }

    function updateExportNote() {
      var chosen = selectedKeys().length;
      ui.exportNote.textContent = chosen ? chosen + " selected" : "no selection: exports the " + shown.length + " shown";
      ui.selection.hidden = chosen === 0;
      document.getElementById("gl-selection-count").textContent = chosen + " selected";
      if (chosen === 0 && onlySelected()) {  // nothing left to show "only"
        ui.onlySelected.setAttribute("aria-pressed", "false");
        apply();
      }
    }

    function onlySelected() {
      return ui.onlySelected.getAttribute("aria-pressed") === "true";
    }

    var names = {};
    taxonomy.categories.forEach(function (c) { names[c.id] = c.name; });
    taxonomy.facets.forEach(function (f) { f.values.forEach(function (v) { names[v.id] = v.name; }); });

    /** Each active filter: what a chip says, and how to take it away. */
    function activeFilters() {
      var out = [];
      var drop = function (list, value) { return function () { list.splice(list.indexOf(value), 1); }; };
      if (state.q) out.push({ what: "Text", text: state.q, remove: function () { state.q = ""; } });
      state.cat.forEach(function (c) { out.push({ what: "Category", text: names[c] || c, remove: drop(state.cat, c) }); });
      taxonomy.facets.forEach(function (f) {
        state.facets[f.id].forEach(function (v) {
          out.push({ what: f.name, text: names[v] || v, remove: drop(state.facets[f.id], v) });
        });
      });
      if (state.from || state.to) {
        var years = state.from && state.to ? state.from + "–" + state.to
          : state.from ? "from " + state.from : "until " + state.to;
        out.push({ what: "Years", text: years,
          remove: function () { state.from = null; state.to = null; } });
      }
      if (state.venue) out.push({ what: "Venue", text: state.venue, remove: function () { state.venue = ""; } });
      if (state.code) out.push({ what: "Code", text: "Has official code", remove: function () { state.code = false; } });
      return out;
    }

    var chipsShown = null;
    function renderChips() {
      var active = activeFilters();
      var signature = JSON.stringify(active.map(function (a) { return [a.what, a.text]; }));
      var n = ui.filters.querySelector(".gl-filters-toggle__n");
      n.textContent = active.length ? " (" + active.length + ")" : "";
      ui.clear.hidden = active.length === 0;
      if (signature === chipsShown) return;
      chipsShown = signature;
      ui.chips.textContent = "";
      active.forEach(function (a, i) {
        var chip = el("button", { type: "button", class: "gl-chip", text: a.text,
          "aria-label": "Remove filter " + a.what + ": " + a.text });
        chip.addEventListener("click", function () {
          a.remove();
          writeControls();
          commit(true);
          var next = ui.chips.querySelectorAll(".gl-chip")[i] || ui.chips.querySelector(".gl-chip:last-child");
          (next || ui.search).focus();
        });
        ui.chips.appendChild(el("li", {}, [chip]));
      });
    }

    function writeControls() {
      ui.search.value = state.q;
      ui.sort.value = state.sort;
      ui.from.value = state.from ? String(state.from) : "";
      ui.to.value = state.to ? String(state.to) : "";
      ui.venue.value = state.venue;
      ui.code.checked = state.code;
      root.querySelectorAll(".gl-facet input[type=checkbox][name]").forEach(function (box) {
        var list = box.name === "cat" ? state.cat : state.facets[box.name];
        box.checked = list.indexOf(box.value) >= 0;
      });
    }

    function compare(a, b) {
      if (state.sort === "title") return a.title < b.title ? -1 : a.title > b.title ? 1 : a.index - b.index;
      var ya = a.year || 0, yb = b.year || 0;
      if (ya !== yb) return state.sort === "old" ? ya - yb : yb - ya;
      return a.index - b.index;
    }

    // the heading and description of each category section, looked up once
    var sectionNodes = taxonomy.categories.map(function (c) {
      var about = document.querySelector(".gl-category[data-category='" + c.id + "']");
      var toc = Array.prototype.map.call(
        document.querySelectorAll(".md-nav a.md-nav__link[href='#category-" + c.id + "']"),
        function (a) { return a.closest("li") || a; });
      return { id: c.id, heading: document.getElementById("category-" + c.id), about: about,
        count: about ? about.querySelector(".gl-category__count[data-total]") : null, toc: toc };
    });
    var facetBoxes = Array.prototype.map.call(root.querySelectorAll(".gl-facet[data-facet]"), function (box) {
      var spans = {};
      box.querySelectorAll("[data-count-for]").forEach(function (span) {
        spans[span.getAttribute("data-count-for")] = span;
      });
      return { facet: box.getAttribute("data-facet"), spans: spans };
    });
    var codeCount = document.getElementById("gl-code-count");
    var sortedBy = "new";  // the server's order is newest first

    function setHidden(node, hide) {
      if (node && node.hidden !== hide) node.hidden = hide;
    }

    function apply() {
      var words = words_of(state.q);
      var only = onlySelected();
      shown = [];
      var visibleSections = {};
      papers.forEach(function (p) {
        var ok = passes(p, state, null, words) && (!only || p.box.checked);
        setHidden(p.card, !ok);
        if (ok) {
          shown.push(p);
          for (var s = p.section; s; s = parentOf[s]) visibleSections[s] = (visibleSections[s] || 0) + 1;
        }
      });
      // counts: what each option would leave, given every other filter (one pass a facet)
      facetBoxes.forEach(function (box) {
        var counts = {};
        papers.forEach(function (p) {
          if (!passes(p, state, box.facet, words)) return;
          if (box.facet === "cat") {
            for (var c in p.cats) counts[c] = (counts[c] || 0) + 1;
          } else {
            p.tags.forEach(function (t) { counts[t] = (counts[t] || 0) + 1; });
          }
        });
        Object.keys(box.spans).forEach(function (value) {
          var n = counts[value] || 0;
          var span = box.spans[value];
          if (span.textContent !== String(n)) span.textContent = String(n);
          span.parentNode.classList.toggle("gl-option--empty", n === 0);
        });
      });
      var withCode = 0;
      papers.forEach(function (p) { if (p.code && passes(p, state, "code", words)) withCode++; });
      codeCount.textContent = String(withCode);
      // empty category sections leave the page and its table of contents; the others
      // say how many of their papers are shown
      var filtering = shown.length < total;
      sectionNodes.forEach(function (n) {
        var hide = !visibleSections[n.id];
        setHidden(n.heading, hide);
        setHidden(n.about, hide);
        n.toc.forEach(function (item) { setHidden(item, hide); });
        if (n.count) {
          var all = n.count.getAttribute("data-total");
          var text = filtering ? visibleSections[n.id] + " of " + all + (all === "1" ? " paper" : " papers")
            : all + (all === "1" ? " paper" : " papers");
          if (n.count.textContent !== text) n.count.textContent = text;
        }
      });
      // sort within each section, only when the order asked for changes
      if (state.sort !== sortedBy) {
        Object.keys(sections).forEach(function (name) {
          var section = sections[name];
          var ordered = section.papers.slice().sort(compare);
          var fragment = document.createDocumentFragment();
          ordered.forEach(function (p) { fragment.appendChild(p.card); });
          section.marker.parentNode.insertBefore(fragment, section.marker.nextSibling);
        });
        sortedBy = state.sort;
      }
      ui.count.textContent = "Showing " + shown.length + " of " + total + " papers";
      renderChips();
      updateExportNote();
    }

    function commit(push) {
      var url = urlFromState(state, taxonomy);
      if (url !== location.pathname + location.search + location.hash) {
        history[push ? "pushState" : "replaceState"](null, "", url);
      }
      apply();
    }

    writeControls();
    enhanceCards(papers, ui.status, updateExportNote);
    apply();

    var typing = false;
    ui.search.addEventListener("input", function () {
      var before = shown.length;
      state.q = ui.search.value;
      commit(!typing);  // one history entry per burst of typing
      typing = true;
      // the one paper left may be far down the page: bring it under the toolbar
      if (shown.length === 1 && before !== 1) shown[0].card.scrollIntoView({ block: "start" });
    });
    ui.search.addEventListener("change", function () { typing = false; });
    ui.search.addEventListener("blur", function () { typing = false; });
    root.querySelectorAll(".gl-facet input[type=checkbox][name]").forEach(function (box) {
      box.addEventListener("change", function () {
        var list = box.name === "cat" ? state.cat : state.facets[box.name];
        var at = list.indexOf(box.value);
        if (box.checked && at < 0) list.push(box.value);
        if (!box.checked && at >= 0) list.splice(at, 1);
        commit(true);
      });
    });
    ui.from.addEventListener("change", function () { state.from = parseInt(ui.from.value, 10) || null; commit(true); });
    ui.to.addEventListener("change", function () { state.to = parseInt(ui.to.value, 10) || null; commit(true); });
    ui.venue.addEventListener("change", function () { state.venue = ui.venue.value; commit(true); });
    ui.code.addEventListener("change", function () { state.code = ui.code.checked; commit(true); });
    ui.sort.addEventListener("change", function () { state.sort = ui.sort.value; commit(true); });
    ui.clear.addEventListener("click", function () {
      state = emptyState(taxonomy);
      writeControls();
      commit(true);
      ui.search.focus();
    });
    window.addEventListener("popstate", function () {
      state = stateFromURL(taxonomy);
      writeControls();
      apply();
    });

    ui.selectShown.addEventListener("click", function () {
      shown.forEach(function (p) { p.box.checked = true; });
      updateExportNote();
    });
    ui.unselect.addEventListener("click", function () {
      papers.forEach(function (p) { p.box.checked = false; });
      updateExportNote();
    });
    ui.onlySelected.addEventListener("click", function () {
      ui.onlySelected.setAttribute("aria-pressed", String(!onlySelected()));
      apply();
    });
    keepAnchorsClearOf(root.parentNode.querySelector(".gl-toolbar"));
    var bibOf = function () { return exportSet().map(function (p) { return p.bibtex; }).join("\n"); };
    ui.copyBib.addEventListener("click", function () {
      var n = exportSet().length;
      confirmCopy(ui.copyBib, ui.status, bibOf(), "BibTeX of " + n + (n === 1 ? " paper" : " papers"));
    });
    ui.downloadBib.addEventListener("click", function () {
      download("gradleak-selection.bib", bibOf());
      ui.status.textContent = "Downloading the BibTeX of " + exportSet().length + " papers.";
    });
    addCitationExports(root, ui.status, papers, exportSet);
  }

  /* ---- the selection (or the filtered view) as RIS and CSL-JSON ---------------------- */

  /** Two more export buttons: the records come from the whole library's .ris and
   *  .csl.json downloads (fetched once, from beside the cards' own .bib links). */
  function addCitationExports(root, status, papers, exportSet) {
    var bar = root.querySelector(".gl-bar--export");
    var link = papers.length ? papers[0].card.querySelector("a[download$='.bib']") : null;
    if (!bar || !link) return;
    var base = link.href.replace(/papers\/[^\/]*\.bib$/, "");
    var cache = {};
    function library(ext) {
      if (!cache[ext]) {
        cache[ext] = fetch(base + (ext === "references.json" ? ext : "gradleak." + ext)).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.text();
        });
      }
      return cache[ext];
    }
    var formats = [
      { label: "Download RIS", cls: "gl-download-ris", ext: "ris", type: "application/x-research-info-systems",
        pick: function (text, keys) {
          var byKey = {};
          text.split(/\n(?=TY {2}- )/).forEach(function (rec) {
            var m = /^ID {2}- (.*)$/m.exec(rec);
            if (m) byKey[m[1]] = rec.replace(/\s+$/, "") + "\n";
          });
          return keys.map(function (k) { return byKey[k] || ""; }).join("\n");
        } },
      { label: "Download CSL-JSON", cls: "gl-download-csl", ext: "csl.json", type: "application/vnd.citationstyles.csl+json",
        pick: function (text, keys) {
          var byKey = {};
          JSON.parse(text).forEach(function (item) { byKey[item.id] = item; });
          return JSON.stringify(keys.filter(function (k) { return byKey[k]; })
            .map(function (k) { return byKey[k]; }), null, 2) + "\n";
        } }
    ];
    var note = bar.querySelector(".gl-export-note");
    // formatted references (plain text), as citations.reference_list writes them
    var fold = function (s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    [{ label: "Copy APA", cls: "gl-copy-apa", style: "apa", name: "APA" },
     { label: "Copy IEEE", cls: "gl-copy-ieee", style: "ieee", name: "IEEE" }].forEach(function (f) {
      var b = button(f.label, f.cls);
      var warm = function () { library("references.json").catch(function () {}); };
      b.addEventListener("pointerenter", warm);  // fetched before the click, where possible:
      b.addEventListener("focus", warm);         // some browsers copy only right after one
      b.addEventListener("click", function () {
        var keys = exportSet().map(function (p) { return p.key; });
        var text = library("references.json").then(function (json) {
          var refs = JSON.parse(json);
          var texts = keys.map(function (k) { return refs[k] ? refs[k][f.style] : ""; });
          if (f.style === "apa") {
            texts.sort(function (a, b) { var x = fold(a), y = fold(b); return x < y ? -1 : x > y ? 1 : 0; });
            return texts.join("\n\n") + "\n";
          }
          return texts.map(function (t, i) { return "[" + (i + 1) + "] " + t; }).join("\n\n") + "\n";
        });
        var n = keys.length;
        confirmCopy(b, status, text, f.name + " references of " + n + (n === 1 ? " paper" : " papers"));
      });
      bar.insertBefore(b, note);
    });
    formats.forEach(function (f) {
      var b = button(f.label, f.cls);
      b.addEventListener("click", function () {
        var keys = exportSet().map(function (p) { return p.key; });
        library(f.ext).then(function (text) {
          download("gradleak-selection." + f.ext, f.pick(text, keys), f.type);
          status.textContent = "Downloading " + f.ext.toUpperCase().replace("CSL.JSON", "CSL-JSON") +
            " of " + keys.length + (keys.length === 1 ? " paper." : " papers.");
        }, function () {
          status.textContent = "Could not load the " + f.ext + " records.";
        });
      });
      bar.insertBefore(b, note);
    });
  }

  /** The theme's search dialog has no accessible name; give it one. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search the catalog");
  }

  /** A card's BibTeX and More buttons (in the page's HTML) show and hide what they control. */
  function toggleBibtex(event) {
    var toggle = event.target.closest ? event.target.closest(".gl-bib-toggle, .gl-more-toggle") : null;
    if (!toggle) return;
    var panel = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) return;
    var open = toggle.getAttribute("aria-expanded") !== "true";
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
        confirmCopy(b, status, target.textContent.replace(/\s+/g, " ").trim(), b.getAttribute("data-what"));
      });
    });
  }

  /** What a reader pastes, as words: BibTeX braces and accent macros, quotes, "--"
   * dashes and colons are not search syntax to them. */
  function plainQuery(text) {
    return text.replace(/\\['"`^~=.]/g, "").replace(/[{}"\u201c\u201d\u201e:]|-{2,}|[\u2013\u2014]/g, " ");
  }

  // lunr's English stop words: never indexed, yet the theme searches each query word as a
  // prefix ("in*" finds "inversion"), so a pasted title's small words bring noise
  var STOP = {};
  ("a able about across after all almost also am among an and any are as at be because been " +
   "but by can cannot could dear did do does either else ever every for from get got had has " +
   "have he her hers him his how however i if in into is it its just least let like likely may " +
   "me might most must my neither no nor not of off often on only or other our own rather said " +
   "say says she should since so some than that the their them then there these they this tis " +
   "to too twas us wants was we were what when where which while who whom why will with would " +
   "yet you your").split(" ").forEach(function (w) { STOP[w] = true; });

  /** The words of a header search: plain, and without stop words but the last one (which
   * may be the start of a longer word being typed). */
  function headerQuery(text) {
    var words = plainQuery(text).split(/\s+/).filter(Boolean);
    return words.filter(function (w, i) {
      return i === words.length - 1 || !STOP[w.toLowerCase()];
    }).join(" ");
  }

  /** The header search reads its box's value as lunr query syntax, in which a pasted
   * "{R-GAP}: ..." or a quoted title finds nothing: hand it the plain words instead,
   * leaving what the reader typed on screen. */
  function plainHeaderSearch() {
    var input = document.querySelector("input.md-search__input");
    var native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");
    if (!input || !native || !native.get) return;
    Object.defineProperty(input, "value", {
      configurable: true,
      get: function () { return headerQuery(native.get.call(this)); },
      set: function (value) { native.set.call(this, value); }
    });
    // a search opened from a "?q=" link was read before this script ran: read it again
    if (native.get.call(input)) input.dispatchEvent(new KeyboardEvent("keyup"));
  }

  /** A search result opens "<list page>?paper=KEY" (see gradleak/search.py): show that
   * card as "#KEY" would, and keep the address clean for sharing. */
  function openSearchedPaper() {
    var params = new URLSearchParams(location.search);
    var key = params.get("paper");
    if (key === null) return;
    params.delete("paper");
    var query = params.toString();
    var url = location.pathname + (query ? "?" + query : "");
    history.replaceState(history.state, "", url);
    // a fragment navigation: scrolls to the card, sets :target, no reload
    if (document.getElementById(key)) location.replace(url + "#" + encodeURIComponent(key));
  }

  function start() {
    plainHeaderSearch();
    nameSearchDialog();
    document.addEventListener("click", toggleBibtex);
    document.addEventListener("keydown", closeMore);
    enableReferenceCopy();
    init();
    openSearchedPaper();  // after the tools are in place above the cards
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
