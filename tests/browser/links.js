#!/usr/bin/env node
// Follows every internal link of some start pages of a site opened from
// file:// (the unzipped USB package): each linked page must load with no
// failed request, no request leaving file: and no console error, and each
// link must lead to a file of the site.
//
// usage: node links.js SITE_DIR START_PAGE...
// Output: "ok - ..." / "not ok - ..." lines, then "N passed, N failed";
// exit 1 when something failed. Environment: CHROMIUM.
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');

let pass = 0;
let fail = 0;
function report(good, desc, details) {
	console.log(`${good ? 'ok' : 'not ok'} - ${desc}`);
	for (const d of details || [])
		console.log(String(d).replace(/^/gm, '    '));
	if (good) pass++; else fail++;
}

// Loads url in a new page; returns the problems seen and the page's links.
async function visit(ctx, url) {
	const page = await ctx.newPage();
	const problems = [];
	page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
	page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
	page.on('requestfailed', (req) => {
		const why = req.failure() ? req.failure().errorText : '?';
		// a player stops reading once it has the duration (preload=metadata)
		if (req.resourceType() === 'media' && why === 'net::ERR_ABORTED') return;
		problems.push(`failed: ${req.url()}: ${why}`);
	});
	let links = [];
	try {
		await page.goto(url, { waitUntil: 'load', timeout: 30000 });
		links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
	} catch (err) {
		problems.push(`load: ${err.message}`);
	}
	await page.close();
	return { problems, links };
}

async function main() {
	const [site, ...starts] = process.argv.slice(2);
	if (!site || starts.length === 0) {
		console.error('usage: node links.js SITE_DIR START_PAGE...');
		process.exit(2);
	}
	const root = path.resolve(site);
	const { chromium } = require('playwright-core');
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
			'--disable-background-networking', '--disable-quic', '--no-first-run',
			'--disable-component-update', '--disable-sync'],
	});
	try {
		const ctx = await browser.newContext({ locale: 'fr-FR', timezoneId: 'UTC' });
		const external = [];
		await ctx.route((u) => u.protocol !== 'file:', (route) => {
			external.push(route.request().url());
			return route.abort('blockedbyclient');
		});
		const seen = new Set();
		for (const start of starts) {
			const startUrl = pathToFileURL(path.join(root, start)).href;
			const first = await visit(ctx, startUrl);
			report(first.problems.length === 0, `${start} loads from the unzipped package`, first.problems);
			const targets = [...new Set(first.links.map((h) => h.split('#')[0]))]
				.filter((h) => h.startsWith('file:'));
			const broken = [];
			let n = 0;
			for (const t of targets) {
				const file = fileURLToPath(t);
				if (!file.startsWith(root + path.sep) && file !== root) {
					broken.push(`${t}: outside the package`);
					continue;
				}
				if (!fs.existsSync(file)) {
					broken.push(`${t}: no such file`);
					continue;
				}
				if (seen.has(t) || !/\.html$/.test(file))
					continue;
				seen.add(t);
				n++;
				const r = await visit(ctx, t);
				for (const p of r.problems)
					broken.push(`${path.relative(root, file)}: ${p}`);
			}
			report(broken.length === 0,
				`every internal link of ${start} leads to a page that loads cleanly (${n} pages opened)`, broken);
		}
		report(external.length === 0, 'nothing requested outside file:', external);
	} finally {
		await browser.close();
	}
	console.log(`${pass} passed, ${fail} failed`);
	return fail ? 1 : 0;
}

main().then((rc) => process.exit(rc), (err) => {
	console.error(err);
	console.log(`${pass} passed, ${fail + 1} failed`);
	process.exit(1);
});
