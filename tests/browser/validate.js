#!/usr/bin/env node
// Runs html-validate over every .html page of a built site, with the rules
// of .htmlvalidate.json next to this file (html-validate:recommended, the
// pages being polyglot HTML5: self-closed void elements, boolean and empty
// attributes written ="" ; a few purely stylistic rules off).
//
// usage: node validate.js SITE_DIR
// Output: one "ok - <page> html-validate" / "not ok - ..." line per page,
// each error indented (line:column rule message), then "N passed, N failed";
// exit 1 when a page has an error. Warnings are printed, never fail.
'use strict';
const fs = require('fs');
const path = require('path');
const { HtmlValidate } = require('html-validate');

function pagesUnder(root, rel = '') {
	const out = [];
	for (const d of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
		const r = rel ? `${rel}/${d.name}` : d.name;
		if (d.isDirectory()) out.push(...pagesUnder(root, r));
		else if (d.isFile() && d.name.endsWith('.html')) out.push(r);
	}
	return out;
}

async function main() {
	const site = process.argv[2];
	if (!site || !fs.existsSync(site)) {
		console.error('usage: node validate.js SITE_DIR');
		return 2;
	}
	const root = path.resolve(site);
	const config = JSON.parse(fs.readFileSync(path.join(__dirname, '.htmlvalidate.json'), 'utf8'));
	const hv = new HtmlValidate(config);
	const pages = pagesUnder(root).sort();
	console.log(`# html-validate: ${pages.length} pages`);
	let pass = 0;
	let fail = 0;
	for (const rel of pages) {
		const report = await hv.validateFile(path.join(root, rel));
		const msgs = report.results.flatMap((r) => r.messages);
		const errors = msgs.filter((m) => m.severity >= 2);
		const warnings = msgs.filter((m) => m.severity < 2);
		const fmt = (m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}${m.selector ? ` (${m.selector})` : ''}`;
		const n = errors.length;
		console.log(`${n ? 'not ok' : 'ok'} - ${rel} html-validate${n ? ` (${n} error${n > 1 ? 's' : ''})` : ''}`);
		for (const m of errors) console.log(`    ${fmt(m)}`);
		for (const m of warnings) console.log(`    warning: ${fmt(m)}`);
		if (n) fail++; else pass++;
	}
	console.log(`${pass} passed, ${fail} failed`);
	return fail ? 1 : 0;
}

main().then((rc) => process.exit(rc), (err) => {
	console.log(`not ok - validate.js crashed\n    ${String(err && err.stack || err).replace(/\n/g, '\n    ')}`);
	console.log('0 passed, 1 failed');
	process.exit(1);
});
