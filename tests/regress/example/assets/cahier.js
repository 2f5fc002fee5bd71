/*
 * ardoise: notebooks (cahiers). The left and right arrow keys follow the
 * page's rel="prev" and rel="next" links, unless a modifier key is held or
 * the focus is in a form field or a media player (where arrows already
 * mean something). Before printing, transcripts (<details>) are opened.
 * A classic script with no dependency: the pages work without it.
 */
(function () {
	'use strict';
	var skip = 'input, textarea, select, audio, video, [contenteditable]:not([contenteditable="false"])';
	document.addEventListener('keydown', function (e) {
		var rel = e.key === 'ArrowLeft' ? 'prev' : e.key === 'ArrowRight' ? 'next' : '';
		var t = e.target, a;
		if (!rel || e.defaultPrevented || e.isComposing || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey)
			return;
		if (t && t.closest && t.closest(skip))
			return;
		a = document.querySelector('a[rel~="' + rel + '"][href]');
		if (a) {
			e.preventDefault();
			window.location.href = a.href;
		}
	});
	window.addEventListener('beforeprint', function () {
		var d = document.querySelectorAll('details'), i;
		for (i = 0; i < d.length; i++)
			d[i].open = true;
	});
}());
