/*
 * ardoise, default theme: the search page (search.html).
 *
 * A classic script (no module, nothing loaded from elsewhere) so that the
 * page works opened from a USB stick (file://). The index is a script too,
 * search-index.js, assigning window.ARDOISE_SEARCH: fetch() and XHR fail
 * on file://, a <script> element does not. It is loaded here, by this page
 * only, so that other pages stay light, with the parts it lists.
 *
 * The index's words were folded by ardoise at build time (gen/search.c):
 * lower case, no accents, œ -> oe... Only the query is folded here, the
 * same way. Every query word must start a word of the entry (AND, prefix);
 * entries with more words matched in their title come first, then the
 * newest (the index is sorted newest first).
 *
 * The page's words come from data-* attributes of #recherche-etat (the
 * theme's i18n strings): this file has no text of its own.
 */
(function () {
	'use strict';

	var MAX = 50;
	var MARKS = /[\u0300-\u036f]/g;
	/* letters NFD does not decompose; gen/search.c folds them the same way */
	var EXTRA = {
		'æ': 'ae', 'œ': 'oe', 'ß': 'ss', 'ø': 'o', 'ð': 'd', 'þ': 'th', 'đ': 'd',
		'ħ': 'h', 'ı': 'i', 'ĳ': 'ij', 'ĸ': 'k', 'ŀ': 'l', 'ł': 'l', 'ŉ': 'n',
		'ŋ': 'n', 'ŧ': 't', 'ſ': 's'
	};
	var EXTRA_RE = /[æœßøðþđħıĳĸŀłŉŋŧſ]/g;
	var SEP = /[^\p{L}\p{N}]+/gu;

	var me = document.currentScript;
	var input = document.getElementById('recherche-q');
	var status = document.getElementById('recherche-etat');
	var list = document.getElementById('recherche-resultats');
	if (!me || !input || !status || !list)
		return;
	var indexUrl = me.getAttribute('data-index') || 'search-index.js';
	var root = indexUrl.slice(0, indexUrl.length - 'search-index.js'.length);
	var entries = null;

	function extra(c) {
		return EXTRA[c];
	}

	function foldRaw(s) {
		return s.normalize('NFD').replace(MARKS, '').toLowerCase().replace(EXTRA_RE, extra);
	}

	function fold(s) {
		return foldRaw(s).replace(SEP, ' ').trim();
	}

	function queryWords(q) {
		var words = fold(q).split(' '), out = [], i;

		for (i = 0; i < words.length; i++)
			if (words[i] && out.indexOf(words[i]) < 0)
				out.push(words[i]);
		return out;
	}

	/* entries: [url, title, date, date_iso, notebook, title_len, words, snippet] */
	function find(words) {
		var needles = words.map(function (w) { return ' ' + w; });
		var found = [], i, j, e, pos, inTitle;

		for (i = 0; i < entries.length; i++) {
			e = entries[i];
			inTitle = 0;
			for (j = 0; j < needles.length; j++) {
				pos = e[6].indexOf(needles[j]);
				if (pos < 0)
					break;
				if (pos < e[5])
					inTitle++;
			}
			if (j === needles.length)
				found.push({ e: e, score: inTitle, rank: i });
		}
		found.sort(function (a, b) { return b.score - a.score || a.rank - b.rank; });
		return found;
	}

	/* The snippet with the first occurrence of each query word marked: the
	 * snippet is folded one character at a time, remembering where each
	 * folded character came from. */
	function snippet(s, words, p) {
		var f = '', from = [], to = [], i = 0, ranges = [], k, g, w, at, end, last;

		for (var ch of s) {
			g = foldRaw(ch).replace(SEP, ' ');
			for (k = 0; k < g.length; k++) {
				f += g[k];
				from.push(i);
				to.push(i + ch.length);
			}
			i += ch.length;
		}
		for (k = 0; k < words.length; k++) {
			w = words[k];
			for (at = f.indexOf(w); at >= 0; at = f.indexOf(w, at + 1))
				if (at === 0 || f[at - 1] === ' ')
					break;
			if (at < 0)
				continue;
			/* mark the whole word the prefix starts */
			for (end = at + w.length; end < f.length && f[end] !== ' '; end++)
				;
			ranges.push([from[at], to[end - 1]]);
		}
		ranges.sort(function (a, b) { return a[0] - b[0]; });
		last = 0;
		for (k = 0; k < ranges.length; k++) {
			if (ranges[k][0] < last)
				continue;
			p.appendChild(document.createTextNode(s.slice(last, ranges[k][0])));
			var m = document.createElement('mark');
			m.textContent = s.slice(ranges[k][0], ranges[k][1]);
			p.appendChild(m);
			last = ranges[k][1];
		}
		p.appendChild(document.createTextNode(s.slice(last)));
	}

	function item(e, words) {
		var li = document.createElement('li');
		var h = document.createElement('h2');
		var a = document.createElement('a');
		var meta = document.createElement('p');
		var time = document.createElement('time');
		var text = document.createElement('p');

		a.href = root + e[0];
		a.textContent = e[1];
		h.appendChild(a);
		li.appendChild(h);
		meta.className = 'recherche-meta';
		time.setAttribute('datetime', e[3]);
		time.textContent = e[2];
		meta.appendChild(time);
		if (e[4])
			meta.appendChild(document.createTextNode(' – ' + e[4]));
		li.appendChild(meta);
		if (e[7]) {
			text.className = 'recherche-extrait';
			snippet(e[7], words, text);
			li.appendChild(text);
		}
		return li;
	}

	function say(key, n) {
		var s = status.getAttribute('data-' + key) || '';

		return s.replace('{n}', String(n));
	}

	function show(q) {
		var t0 = performance.now();
		var words = queryWords(q), found, frag, i, msg;

		list.textContent = '';
		if (!words.length) {
			status.textContent = say('prompt');
			return;
		}
		found = find(words);
		frag = document.createDocumentFragment();
		for (i = 0; i < found.length && i < MAX; i++)
			frag.appendChild(item(found[i].e, words));
		list.appendChild(frag);
		msg = found.length === 0 ? say('none') : found.length === 1 ? say('one') : say('many', found.length);
		if (found.length > MAX)
			msg += ' ' + say('more');
		status.textContent = msg;
		/* for the tests: the time of the last search, rendering included */
		list.setAttribute('data-ms', (performance.now() - t0).toFixed(2));
	}

	function start(all) {
		entries = all;
		show(input.value);
		list.setAttribute('data-ready', 'true');
	}

	/* search-index.js lists the index's parts (version 2): each a script
	 * adding its entries to window.ARDOISE_SEARCH_PARTS under its own
	 * name; loaded side by side, put together in the listed order */
	function ready() {
		var data = window.ARDOISE_SEARCH, left, failed = false;

		if (data && Array.isArray(data.entries)) {
			start(data.entries);
			return;
		}
		if (!data || !Array.isArray(data.parts)) {
			status.textContent = say('error');
			return;
		}
		window.ARDOISE_SEARCH_PARTS = window.ARDOISE_SEARCH_PARTS || {};
		left = data.parts.length;
		function joined() {
			var all = [], i, part;

			for (i = 0; i < data.parts.length; i++) {
				part = window.ARDOISE_SEARCH_PARTS[data.parts[i]];
				if (!Array.isArray(part)) {
					status.textContent = say('error');
					return;
				}
				Array.prototype.push.apply(all, part);
			}
			data.entries = all;
			start(all);
		}
		if (!left) {
			joined();
			return;
		}
		data.parts.forEach(function (name) {
			var s = document.createElement('script');

			s.src = root + name;
			s.onload = function () {
				if (--left === 0 && !failed)
					joined();
			};
			s.onerror = function () {
				failed = true;
				status.textContent = say('error');
			};
			document.head.appendChild(s);
		});
	}

	var noJs = document.querySelector('.recherche-sans-js');
	if (noJs)
		noJs.parentNode.removeChild(noJs);
	input.value = new URLSearchParams(window.location.search).get('q') || '';
	input.addEventListener('input', function () {
		if (entries)
			show(input.value);
	});
	input.form.addEventListener('submit', function (ev) {
		/* already shown as typed: no need to reload the page */
		ev.preventDefault();
		if (entries)
			show(input.value);
	});
	status.textContent = say('loading');
	if (window.ARDOISE_SEARCH) {
		ready();
	} else {
		var s = document.createElement('script');
		s.src = indexUrl;
		s.onload = ready;
		s.onerror = function () { status.textContent = say('error'); };
		document.head.appendChild(s);
	}
}());
