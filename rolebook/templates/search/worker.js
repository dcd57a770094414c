/* rolebook's site search: a drop-in for Material's search worker (same messages, same index file).
 *
 * Material's worker builds a lunr index in the browser from every entry before the first query
 * (seconds at 10,000 roles) and matches Chinese only through jieba's words. This one keeps the
 * entries as plain text and scans them per query: Chinese (and any non-ASCII text) matches as a
 * substring, so every word of a page is found exactly as typed; English matches at the start of a
 * word, through lunr's English pipeline (its stop-word filter and Porter stemmer; lunr.js is
 * vendored and served in front of this file, see rolebook/render/search.py): "nurses" finds
 * "nurse", "welding" finds "weld". Results are grouped per page, the page's title counts most,
 * a short snippet around the first match is shown, and only the words the query matched are
 * marked (and passed on to the page as ?h=…). See rolebook/render/search.py and docs/benchmarks.md.
 *
 * Messages (Material's SearchMessageType): 0 SETUP {config, docs}, 1 READY, 2 QUERY string,
 * 3 RESULT {items: SearchItem[][]}.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var MAX_PAGES = 100;      // result groups sent back (Material shows 10, then more on scrolling)
var MAX_SECTIONS = 12;    // sections shown under one page
var SNIPPET = 160;        // characters of text shown for a section
var BEFORE = 30;          // of which before the first match
var TITLE_WEIGHT = 10;    // a match in a section's heading counts like ten in its text
var PAGE_TITLE_WEIGHT = 100;  // a match in the page's own title (the role's title) counts most

var state = null;

function unescapeHtml(s) {
  if (s.indexOf("<") >= 0) s = s.replace(/<[^>]*>/g, " ");
  if (s.indexOf("&") >= 0) {
    s = s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, function (_, e) {
      var k = e.toLowerCase();
      if (k === "amp") return "&";
      if (k === "lt") return "<";
      if (k === "gt") return ">";
      if (k === "quot") return "\"";
      if (k === "apos") return "'";
      if (k === "nbsp") return " ";
      var n = k.charAt(1) === "x" ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
      return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : "";
    });
  }
  return s.replace(/\u200b/g, "").replace(/\s+/g, " ").trim();
}

function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function setup(data) {
  var config = data.config || {};
  var pipeline = config.pipeline || ["trimmer", "stopWordFilter"];
  var docs = [];
  var pages = {};
  (data.docs || []).forEach(function (d) {
    var title = unescapeHtml(String(d.title || ""));
    var text = unescapeHtml(String(d.text || ""));
    var location = String(d.location);
    var page = location.split("#")[0];
    var doc = {
      location: location, page: page, article: location.indexOf("#") < 0,
      title: title, text: text, lt: title.toLowerCase(), lx: text.toLowerCase(),
      boost: typeof d.boost === "number" ? d.boost : 1, order: docs.length
    };
    docs.push(doc);
    if (doc.article && !(page in pages)) pages[page] = doc;
  });
  var sep;
  try { sep = new RegExp(config.separator || "[\\s\\-]+", "gu"); } catch (e) { sep = /[\s\-]+/gu; }
  state = {
    docs: docs, pages: pages, separator: sep,
    stem: pipeline.indexOf("stemmer") >= 0,
    stop: pipeline.indexOf("stopWordFilter") >= 0,
    trim: pipeline.indexOf("trimmer") >= 0
  };
}

/* -- query terms ------------------------------------------------------------------------ */

function commonPrefix(a, b) {
  var i = 0;
  while (i < a.length && i < b.length && a.charAt(i) === b.charAt(i)) i++;
  return a.slice(0, i);
}

function parseQuery(query) {
  var raw = query.toLowerCase().replace(/[*+~^:"]/g, " ").split(state.separator);
  var terms = [];
  var seen = {};
  raw.forEach(function (t) {
    if (state.trim) t = t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    if (!t || seen[t]) return;
    seen[t] = true;
    var word = /^[a-z0-9]+$/.test(t);
    var term = { typed: t, word: word, needle: t };
    if (word && !/^[0-9]+$/.test(t) && state.stem) {
      var p = commonPrefix(t, lunr.stemmer(new lunr.Token(t)).toString());
      if (p.length >= 3 || p.length === t.length) term.needle = p;
    }
    terms.push(term);
  });
  if (state.stop) {
    var kept = terms.filter(function (t) { return !(t.word && lunr.stopWordFilter(new lunr.Token(t.typed)) === undefined); });
    if (kept.length) terms = kept;
  }
  return terms;
}

function isWordChar(c) { return c !== "" && /[a-z0-9]/.test(c); }

/* Where ``term`` occurs in ``lower`` (a lower-cased text): [start, end] pairs, at most ``limit``. */
function find(lower, term, limit) {
  var out = [];
  var n = term.needle;
  var i = lower.indexOf(n);
  while (i >= 0 && out.length < limit) {
    if (!term.word) {
      out.push([i, i + n.length]);
      i = lower.indexOf(n, i + n.length);
      continue;
    }
    if (i === 0 || !isWordChar(lower.charAt(i - 1))) {
      var end = i + n.length;
      while (end < lower.length && isWordChar(lower.charAt(end))) end++;
      out.push([i, end]);
      i = lower.indexOf(n, end);
    } else {
      i = lower.indexOf(n, i + 1);
    }
  }
  return out;
}

/* -- search ----------------------------------------------------------------------------- */

function scoreDoc(doc, terms) {
  var score = 0;
  var matched = 0;
  for (var t = 0; t < terms.length; t++) {
    var inTitle = doc.lt.indexOf(terms[t].needle) >= 0 && find(doc.lt, terms[t], 1).length > 0;
    var inText = inTitle ? find(doc.lx, terms[t], 3).length : doc.lx.indexOf(terms[t].needle) >= 0 ? find(doc.lx, terms[t], 3).length : 0;
    if (!inTitle && !inText) continue;
    matched++;
    score += (inTitle ? (doc.article ? PAGE_TITLE_WEIGHT : TITLE_WEIGHT) : 0) + inText;
  }
  return { score: score * doc.boost, matched: matched };
}

function mergeRanges(ranges) {
  ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  var out = [];
  ranges.forEach(function (r) {
    var last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  });
  return out;
}

function mark(text, ranges, from, to) {
  var html = "";
  var at = from;
  ranges.forEach(function (r) {
    var s = Math.max(r[0], from), e = Math.min(r[1], to);
    if (e <= s) return;
    html += escapeHtml(text.slice(at, s)) + "<mark>" + escapeHtml(text.slice(s, e)) + "</mark>";
    at = e;
  });
  return html + escapeHtml(text.slice(at, to));
}

function rangesIn(text, lower, terms, words) {
  var ranges = [];
  terms.forEach(function (term) {
    find(lower, term, 1000).forEach(function (r) {
      ranges.push(r);
      if (words) words[term.word ? lower.slice(r[0], r[1]) : term.typed] = true;
    });
  });
  return mergeRanges(ranges);
}

function snippet(doc, terms, words) {
  var ranges = rangesIn(doc.text, doc.lx, terms, words);
  var text = doc.text;
  if (text.length <= SNIPPET) return mark(text, ranges, 0, text.length);
  var first = ranges.length ? ranges[0][0] : 0;
  var from = Math.max(0, first - BEFORE);
  if (from > 0) {  // start at a word or a sentence, not inside one
    var cut = text.slice(from, first).search(/[\s，。；、,.;]/);
    if (cut >= 0 && from + cut < first) from = from + cut + 1;
  }
  var to = Math.min(text.length, from + SNIPPET);
  return (from > 0 ? "… " : "") + mark(text, ranges, from, to) + (to < text.length ? " …" : "");
}

function item(doc, score, terms, words) {
  return {
    location: doc.location,
    title: mark(doc.title, rangesIn(doc.title, doc.lt, terms, words), 0, doc.title.length),
    text: snippet(doc, terms, words),
    score: score,
    terms: {}
  };
}

function search(query) {
  if (!state) return { items: [] };
  var terms = parseQuery(query);
  if (!terms.length) return { items: [] };
  var hits = [];
  var any = [];
  for (var i = 0; i < state.docs.length; i++) {
    var doc = state.docs[i];
    var s = scoreDoc(doc, terms);
    if (!s.matched) continue;
    (s.matched === terms.length ? hits : any).push({ doc: doc, score: s.score });
  }
  if (!hits.length) hits = any;  // no entry has every word: show those with some
  var groups = {};
  var order = [];
  hits.forEach(function (h) {
    var g = groups[h.doc.page];
    if (!g) { g = groups[h.doc.page] = { page: h.doc.page, hits: [], best: 0, first: h.doc.order }; order.push(g); }
    g.hits.push(h);
    g.best = Math.max(g.best, h.score);
  });
  order.sort(function (a, b) { return b.best - a.best || a.first - b.first; });
  var items = order.slice(0, MAX_PAGES).map(function (g) {
    g.hits.sort(function (a, b) { return b.score - a.score || a.doc.order - b.doc.order; });
    var words = {};
    var list = g.hits.slice(0, MAX_SECTIONS).map(function (h) { return item(h.doc, h.score, terms, words); });
    var article = state.pages[g.page];
    if (article && !list.some(function (x) { return x.location === article.location; }))
      list.push(item(article, 0, terms, words));
    var found = {};
    Object.keys(words).forEach(function (w) { found[w] = true; });
    terms.forEach(function (t) {
      var hit = Object.keys(words).some(function (w) { return t.word ? w.indexOf(t.needle) === 0 : w === t.typed; });
      if (!hit) found[t.typed] = false;
    });
    list.forEach(function (x) { x.terms = found; });
    return list;
  });
  return { items: items };
}

/* -- messages --------------------------------------------------------------------------- */

addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    setup(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var result;
    try { result = search(String(message.data)); } catch (err) { console.warn(err); result = { items: [] }; }
    postMessage({ type: RESULT, data: result });
  }
});
