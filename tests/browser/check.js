#!/usr/bin/env node
// Opens pages of a built ardoise site in Debian's Chromium from file:// and
// checks each one: axe-core (WCAG 2.1 A and AA, fails on impact serious or
// critical), console errors and uncaught exceptions, failed requests and any
// request that leaves file: (a site has no external resource), and no
// horizontal scroll on a phone (375x667) and a desktop (1280x800).
//
// usage: node check.js SITE_DIR [--list]
//   --list  only print the pages that would be opened
// The pages are chosen from what exists in SITE_DIR (see pagesOf), so pages
// added by a later version of ardoise (notebooks) are opened once built.
// Output: "ok - <page> <check>" / "not ok - <page> <check>" with indented
// details, then "N passed, N failed"; exit 1 when something failed.
// Environment: CHROMIUM (default /usr/bin/chromium).
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING = new Set(['serious', 'critical']);
const VIEWPORTS = [
	{ name: '375x667', options: { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
	{ name: '1280x800', options: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 } },
];
const TIMEOUT = 30000;

let pass = 0;
let fail = 0;
function report(good, desc, details) {
	console.log(`${good ? 'ok' : 'not ok'} - ${desc}`);
	for (const d of details || [])
		console.log(String(d).replace(/^/gm, '    '));
	if (good) pass++; else fail++;
}

// --- which pages -----------------------------------------------------------

function isFile(p) {
	try { return fs.statSync(p).isFile(); } catch { return false; }
}
function htmlIn(dir) {
	try {
		return fs.readdirSync(dir).filter((f) => f.endsWith('.html') && isFile(path.join(dir, f))).sort();
	} catch { return []; }
}
function subdirs(dir) {
	try {
		return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
	} catch { return []; }
}
// The relative links of page FILE to .html files of its own directory, in
// document order (a link is "name.html", maybe with a #fragment).
function localLinks(file) {
	let html;
	try { html = fs.readFileSync(file, 'utf8'); } catch { return []; }
	const out = [];
	for (const m of html.matchAll(/href="([^"#?:/]+\.html)(?:#[^"]*)?"/g))
		if (!out.includes(m[1])) out.push(m[1]);
	return out;
}

// The pages to open, relative to SITE: the home page, its first post, the
// first post with an image, a sound, a video, a table, code, an iframe, the
// second list page, the tag and archive indexes and their first page, every
// page at the top (accessibilite.html, a-propos.html, other pages/), and
// for each notebook cahiers/<name>/: its cover, its first page and its
// print page, when they exist, and the first notebook page with an image,
// a sound, a video...
const MEDIA = [/<img\b/, /<audio\b/, /<video\b/, /<table\b/, /<pre\b/, /<iframe\b/];
function pagesOf(site) {
	const pages = [];
	const add = (rel) => { if (rel && isFile(path.join(site, rel)) && !pages.includes(rel)) pages.push(rel); };
	add('index.html');
	let first = null;
	try {
		const m = fs.readFileSync(path.join(site, 'index.html'), 'utf8').match(/href="(posts\/[^"#?]+\.html)"/);
		if (m) first = m[1];
	} catch { /* no home page */ }
	const posts = htmlIn(path.join(site, 'posts'));
	add(first || (posts[0] && `posts/${posts[0]}`));
	// and the first post that shows each kind of content a theme must style
	for (const re of MEDIA) {
		const f = posts.find((p) => re.test(fs.readFileSync(path.join(site, 'posts', p), 'utf8')));
		if (f) add(`posts/${f}`);
	}
	add('page/2.html');
	for (const dir of ['tags', 'archives']) {
		add(`${dir}/index.html`);
		const firstOf = localLinks(path.join(site, dir, 'index.html')).find((f) => f !== 'index.html') ||
			htmlIn(path.join(site, dir)).find((f) => f !== 'index.html');
		if (firstOf) add(`${dir}/${firstOf}`);
	}
	add('accessibilite.html');
	add('a-propos.html');
	for (const f of htmlIn(site)) add(f);
	add('cahiers/index.html');
	for (const name of subdirs(path.join(site, 'cahiers'))) {
		const dir = path.join(site, 'cahiers', name);
		add(`cahiers/${name}/index.html`);
		const isPage = (f) => f !== 'index.html' && f !== 'imprimer.html';
		const firstPage = localLinks(path.join(dir, 'index.html')).find(isPage) || htmlIn(dir).find(isPage);
		if (firstPage) add(`cahiers/${name}/${firstPage}`);
		add(`cahiers/${name}/imprimer.html`);
	}
	// and the first notebook page that shows each kind of content
	const nbPages = subdirs(path.join(site, 'cahiers')).flatMap((name) =>
		htmlIn(path.join(site, 'cahiers', name)).filter((f) => f !== 'index.html' && f !== 'imprimer.html')
			.map((f) => `cahiers/${name}/${f}`));
	for (const re of MEDIA) add(nbPages.find((f) => re.test(fs.readFileSync(path.join(site, f), 'utf8'))));
	return pages;
}

// --- one page --------------------------------------------------------------

const local = (url) => /^(file|data|blob|about):/.test(url);

async function visit(context, vpName, url, found) {
	const page = await context.newPage();
	const tag = (s) => `[${vpName}] ${s}`;
	page.on('console', (msg) => {
		if (msg.type() !== 'error') return;
		const loc = msg.location();
		found.console.push(tag(`${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`));
	});
	page.on('pageerror', (err) => found.console.push(tag(`uncaught: ${err.message}`)));
	page.on('request', (req) => {
		if (!local(req.url())) found.requests.push(tag(`request to a non-file URL: ${req.method()} ${req.url()}`));
	});
	page.on('requestfailed', (req) => {
		const why = req.failure() ? req.failure().errorText : '?';
		// A player with preload="metadata" stops reading once it has the
		// duration: Chromium reports that as an aborted media request. A
		// missing file is ERR_FILE_NOT_FOUND, which still fails.
		if (req.resourceType() === 'media' && why === 'net::ERR_ABORTED') return;
		if (local(req.url())) found.requests.push(tag(`failed: ${req.url()}: ${why}`));
	});
	page.on('response', (res) => {
		if (!local(res.url()) && res.status() >= 400) found.requests.push(tag(`HTTP ${res.status()}: ${res.url()}`));
	});
	try {
		await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT });
		await page.evaluate(() => Promise.race([
			// (no requestAnimationFrame: it does not run in a page in the background)
			document.fonts.ready,
			new Promise((r) => setTimeout(r, 2000)),
		]));
		found.scroll[vpName] = await page.evaluate(() => {
			const de = document.documentElement;
			const cw = de.clientWidth;
			const wide = [];
			if (de.scrollWidth > cw + 1) {
				// the outermost elements that stick out on the right
				const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') +
					(typeof e.className === 'string' && e.className.trim() ? `.${e.className.trim().split(/\s+/).join('.')}` : '');
				for (const e of document.body.querySelectorAll('*')) {
					const r = e.getBoundingClientRect();
					if (r.right <= cw + 1 || r.width === 0) continue;
					const p = e.parentElement;
					if (p && p !== document.body && p.getBoundingClientRect().right > cw + 1) continue;
					const path = [];
					for (let a = e; a && a !== document.body; a = a.parentElement) path.unshift(name(a));
					wide.push(`${path.join(' > ')}: right edge at ${Math.round(r.right)}px`);
					if (wide.length >= 5) break;
				}
			}
			return { scrollWidth: de.scrollWidth, clientWidth: cw, wide };
		});
		await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
		found.axe[vpName] = await page.evaluate(async (tags) => {
			// eslint-disable-next-line no-undef
			const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], preload: false });
			return r.violations.map((v) => ({
				id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
				nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary || '', html: n.html })),
			}));
		}, TAGS);
	} catch (err) {
		found.load.push(tag(String(err && err.message || err).split('\n')[0]));
	} finally {
		await page.close().catch(() => {});
	}
}

function axeLines(byVp, keep) {
	// one entry per rule, the nodes of every viewport merged
	const rules = new Map();
	for (const [vp, list] of Object.entries(byVp)) {
		for (const v of list) {
			if (!keep(v.impact)) continue;
			if (!rules.has(v.id)) rules.set(v.id, { ...v, nodes: new Map() });
			const r = rules.get(v.id);
			for (const n of v.nodes) {
				if (!r.nodes.has(n.target)) r.nodes.set(n.target, { ...n, vps: [] });
				r.nodes.get(n.target).vps.push(vp);
			}
		}
	}
	const out = [];
	for (const r of rules.values()) {
		out.push(`${r.id} (${r.impact}): ${r.help} <${r.helpUrl}>`);
		const nodes = [...r.nodes.values()];
		for (const n of nodes.slice(0, 5)) {
			out.push(`  ${n.target}  [${n.vps.join(', ')}]`);
			out.push(`    ${n.html.length > 160 ? `${n.html.slice(0, 157)}...` : n.html}`);
			for (const s of n.summary.split('\n').slice(1, 3)) if (s.trim()) out.push(`    ${s.trim()}`);
		}
		if (nodes.length > 5) out.push(`  ... and ${nodes.length - 5} more`);
	}
	return out;
}

// --- main ------------------------------------------------------------------

async function main() {
	const args = process.argv.slice(2);
	const listOnly = args.includes('--list');
	const site = args.find((a) => !a.startsWith('--'));
	if (!site || !fs.existsSync(path.join(site, 'index.html'))) {
		console.error('usage: node check.js SITE_DIR [--list]  (SITE_DIR/index.html must exist)');
		process.exit(2);
	}
	const root = path.resolve(site);
	const pages = pagesOf(root);
	console.log(`# ${pages.length} pages checked: ${pages.join(' ')}`);
	if (listOnly) return 0;

	const { chromium } = require('playwright-core');
	let browser = null;
	const stop = async (sig) => {
		if (browser) await browser.close().catch(() => {});
		process.exit(sig === 'SIGINT' ? 130 : 143);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	try {
		browser = await chromium.launch({
			executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
			headless: true,
			// real scrollbars on the desktop (a phone's are overlays), so that
			// a 100vw block under a vertical scrollbar does overflow
			ignoreDefaultArgs: ['--hide-scrollbars'],
			timeout: 60000,
			args: [
				'--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
				'--disable-background-networking', '--disable-quic',
				'--no-first-run', '--disable-component-update', '--disable-sync',
				'--disable-default-apps', '--disable-extensions',
			],
		});
	} catch (err) {
		report(false, 'chromium starts', [String(err && err.message || err)]);
		console.log(`${pass} passed, ${fail} failed`);
		return 1;
	}
	try {
		const contexts = {};
		for (const vp of VIEWPORTS) {
			const ctx = await browser.newContext({
				...vp.options, locale: 'fr-FR', timezoneId: 'UTC', serviceWorkers: 'block',
			});
			// nothing may leave file:; abort before it reaches the network
			await ctx.route((u) => !local(u.href), (route) => route.abort('blockedbyclient'));
			contexts[vp.name] = ctx;
		}
		for (const rel of pages) {
			const url = pathToFileURL(path.join(root, rel)).href;
			const found = { console: [], requests: [], load: [], scroll: {}, axe: {} };
			await Promise.all(VIEWPORTS.map((vp) => visit(contexts[vp.name], vp.name, url, found)));
			report(found.load.length === 0, `${rel} loads (${VIEWPORTS.map((v) => v.name).join(', ')})`, found.load);
			const bad = axeLines(found.axe, (i) => FAILING.has(i));
			const notes = axeLines(found.axe, (i) => !FAILING.has(i));
			const ran = VIEWPORTS.every((v) => found.axe[v.name]);
			report(ran && bad.length === 0, `${rel} axe: no serious or critical WCAG 2.1 A/AA violation`,
				[...(ran ? [] : ['axe did not run at every viewport']), ...bad,
					...(notes.length ? ['below serious (not failing):', ...notes] : [])]);
			report(found.console.length === 0, `${rel} no console error`, found.console);
			report(found.requests.length === 0, `${rel} no failed or external request`, found.requests);
			for (const vp of VIEWPORTS) {
				const s = found.scroll[vp.name];
				report(s && s.scrollWidth <= s.clientWidth + 1, `${rel} no horizontal scroll at ${vp.name}`,
					s ? (s.scrollWidth > s.clientWidth + 1 ? [`scrollWidth ${s.scrollWidth} > clientWidth ${s.clientWidth}`, ...s.wide] : [])
						: ['not measured (page did not load)']);
			}
		}
	} finally {
		await browser.close().catch(() => {});
	}
	console.log(`${pass} passed, ${fail} failed`);
	return fail ? 1 : 0;
}

main().then((rc) => process.exit(rc), (err) => {
	console.log(`not ok - check.js crashed\n    ${String(err && err.stack || err).replace(/\n/g, '\n    ')}`);
	console.log(`${pass} passed, ${fail + 1} failed`);
	process.exit(1);
});
