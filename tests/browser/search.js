#!/usr/bin/env node
// The offline search of a built ardoise site, in Debian's Chromium from
// file://: for each QUERY=URL, opens index.html, types QUERY in the
// header's search box, submits, and checks that search.html lists URL
// first (a relative URL from the site root), with the query's words
// marked, no console error and no failed request. QUERY=- expects no
// result at all, QUERY=* any (for --bench).
//
// usage: node search.js SITE_DIR [--bench] QUERY=URL...
//   --bench  also times the search on search.html: each query typed five
//            times, the time from the input event to the results in the
//            page (layout included); prints the median and the maximum,
//            and fails above 50 ms
// Output: "ok - ..." / "not ok - ..." lines, then "N passed, N failed".
// Environment: CHROMIUM (default /usr/bin/chromium).
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const TIMEOUT = 30000;
const LIMIT_MS = 50;
let pass = 0;
let fail = 0;
function report(good, desc, details) {
	console.log(`${good ? 'ok' : 'not ok'} - ${desc}`);
	for (const d of details || [])
		console.log(String(d).replace(/^/gm, '    '));
	if (good) pass++; else fail++;
}
const local = (url) => /^(file|data|blob|about):/.test(url);

async function query(context, site, q, want) {
	const page = await context.newPage();
	const problems = [];
	page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
	page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
	page.on('requestfailed', (req) => problems.push(`failed: ${req.url()}: ${req.failure() ? req.failure().errorText : '?'}`));
	page.on('request', (req) => { if (!local(req.url())) problems.push(`request to a non-file URL: ${req.url()}`); });
	try {
		await page.goto(pathToFileURL(path.join(site, 'index.html')).href, { waitUntil: 'load', timeout: TIMEOUT });
		await page.fill('#recherche-entete-q', q);
		await Promise.all([
			page.waitForURL(/search\.html\?q=/, { timeout: TIMEOUT }),
			page.press('#recherche-entete-q', 'Enter'),
		]);
		await page.waitForSelector('#recherche-resultats[data-ready]', { state: 'attached', timeout: TIMEOUT });
		const got = await page.evaluate(() => ({
			value: document.getElementById('recherche-q').value,
			status: document.getElementById('recherche-etat').textContent,
			hrefs: [...document.querySelectorAll('#recherche-resultats li h2 a')].map((a) => a.getAttribute('href')),
			marks: [...document.querySelectorAll('#recherche-resultats li:first-child mark')].map((m) => m.textContent),
			ms: document.getElementById('recherche-resultats').getAttribute('data-ms'),
		}));
		const where = [`query ${JSON.stringify(q)}: ${got.status}`, ...got.hrefs.slice(0, 5).map((h) => `  ${h}`)];
		if (want === '*') {
			report(true, `search "${q}" runs (${got.hrefs.length} results, ${got.ms} ms)`);
		} else if (want === '-') {
			report(got.hrefs.length === 0, `search "${q}" finds nothing`, got.hrefs.length ? where : []);
		} else {
			report(got.hrefs[0] === want, `search "${q}" lists ${want} first (${got.hrefs.length} results, ${got.ms} ms)`,
				got.hrefs[0] === want ? [] : where);
		}
		report(got.value === q, `search "${q}": the page's box holds the query`, got.value === q ? [] : [`box: ${JSON.stringify(got.value)}`]);
		report(problems.length === 0, `search "${q}": no console error, no failed request`, problems);
	} catch (err) {
		report(false, `search "${q}" runs`, [String(err && err.message || err).split('\n')[0], ...problems]);
	} finally {
		await page.close().catch(() => {});
	}
}

async function bench(context, site, queries) {
	const page = await context.newPage();
	try {
		await page.goto(`${pathToFileURL(path.join(site, 'search.html')).href}`, { waitUntil: 'load', timeout: TIMEOUT });
		const t0 = Date.now();
		await page.waitForSelector('#recherche-resultats[data-ready]', { state: 'attached', timeout: 60000 });
		const load = Date.now() - t0;
		const times = await page.evaluate((qs) => {
			const input = document.getElementById('recherche-q');
			const list = document.getElementById('recherche-resultats');
			const out = [];
			for (let round = 0; round < 5; round++) {
				for (const q of qs) {
					const t = performance.now();
					input.value = q;
					input.dispatchEvent(new Event('input'));
					void list.getBoundingClientRect().height;	// layout of the results
					out.push({ q, ms: performance.now() - t, n: list.children.length });
				}
			}
			return out;
		}, queries);
		const ms = times.map((x) => x.ms).sort((a, b) => a - b);
		const median = ms[Math.floor(ms.length / 2)];
		const max = ms[ms.length - 1];
		const entries = await page.evaluate(() => window.ARDOISE_SEARCH.entries.length);
		report(median < LIMIT_MS, `search time over ${entries} entries: median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms ` +
			`(${times.length} searches; index loaded in ${load} ms)`,
			queries.map((q) => `${q}: ${times.filter((x) => x.q === q).map((x) => x.ms.toFixed(1)).join(' ')} ms, ` +
				`${times.find((x) => x.q === q).n} shown`));
	} catch (err) {
		report(false, 'search time measured', [String(err && err.message || err).split('\n')[0]]);
	} finally {
		await page.close().catch(() => {});
	}
}

async function main() {
	const args = process.argv.slice(2);
	const doBench = args.includes('--bench');
	const rest = args.filter((a) => a !== '--bench');
	const site = rest.shift();
	const pairs = rest.map((a) => [a.slice(0, a.lastIndexOf('=')), a.slice(a.lastIndexOf('=') + 1)]);
	if (!site || !fs.existsSync(path.join(site, 'search.html')) || pairs.some(([q, u]) => !q || !u)) {
		console.error('usage: node search.js SITE_DIR [--bench] QUERY=URL...  (SITE_DIR/search.html must exist)');
		process.exit(2);
	}
	const root = path.resolve(site);
	const { chromium } = require('playwright-core');
	let browser;
	try {
		browser = await chromium.launch({
			executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
			headless: true,
			timeout: 60000,
			args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
				'--disable-background-networking', '--disable-quic', '--no-first-run',
				'--disable-component-update', '--disable-sync', '--disable-default-apps',
				'--disable-extensions'],
		});
	} catch (err) {
		report(false, 'chromium starts', [String(err && err.message || err)]);
		console.log(`${pass} passed, ${fail} failed`);
		return 1;
	}
	try {
		const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'UTC', serviceWorkers: 'block' });
		await context.route((u) => !local(u.href), (route) => route.abort('blockedbyclient'));
		for (const [q, want] of pairs)
			await query(context, root, q, want);
		if (doBench)
			await bench(context, root, pairs.map(([q]) => q));
	} finally {
		await browser.close().catch(() => {});
	}
	console.log(`${pass} passed, ${fail} failed`);
	return fail ? 1 : 0;
}

main().then((rc) => process.exit(rc), (err) => {
	console.log(`not ok - search.js crashed\n    ${String(err && err.stack || err).replace(/\n/g, '\n    ')}`);
	console.log(`${pass} passed, ${fail + 1} failed`);
	process.exit(1);
});
