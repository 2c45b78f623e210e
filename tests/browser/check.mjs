// check.mjs - loads portal pages in Debian's Chromium (through playwright-core,
// never a downloaded browser), at 1280 px and 360 px wide, saves full-page
// screenshots for a person to look at, and checks in the real browser:
//   - the page requests nothing outside itself (every non-file request is
//     aborted and counted);
//   - at each width the document is no wider than the viewport (tables
//     scroll inside their own boxes, the page does not);
//   - axe-core reports no accessibility violations.
// Prints "PASS: name" / "FAIL: name" lines (tests/run counts them); exits 1
// on any failure.
//
//   node check.mjs OUTDIR NAME=PAGE.html [NAME=PAGE.html ...]
// writes OUTDIR/NAME-1280.png and OUTDIR/NAME-360.png.
import { chromium } from 'playwright-core';
import axe from 'axe-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync'];
const WIDTHS = [1280, 360];

let failed = 0;
function report(ok, name, detail) {
	console.log(`${ok ? 'PASS' : 'FAIL'}: ${name}`);
	if (!ok) {
		failed++;
		if (detail)
			console.log(detail.replace(/^/gm, '    '));
	}
}

async function checkPage(ctx, outdir, name, file) {
	const url = pathToFileURL(path.resolve(file)).href;
	const outside = [];
	const page = await ctx.newPage();
	page.on('request', (r) => {
		if (!r.url().startsWith('file:') && !r.url().startsWith('data:'))
			outside.push(r.url());
	});
	await page.route('**/*', (route) => {
		const u = route.request().url();
		return u.startsWith('file:') ? route.continue() : route.abort();
	});
	for (const w of WIDTHS) {
		await page.setViewportSize({ width: w, height: 800 });
		await page.goto(url, { waitUntil: 'load' });
		const shot = path.join(outdir, `${name}-${w}.png`);
		await page.screenshot({ path: shot, fullPage: true });
		const m = await page.evaluate(() => ({
			doc: document.documentElement.scrollWidth,
			body: document.body.scrollWidth,
			boxes: [...document.querySelectorAll('.tb-scroll')].map(
				(b) => b.scrollWidth > b.clientWidth),
		}));
		const width = Math.max(m.doc, m.body);
		report(width <= w, `${name} ${w}px: page ${width} px wide, no horizontal page scroll`,
			`document scrollWidth ${width} > ${w}`);
		if (w === 360 && m.boxes.length > 0)
			console.log(`    ${name} 360px: ${m.boxes.filter(Boolean).length} of ` +
				`${m.boxes.length} tables scroll inside their box`);
		await page.addScriptTag({ content: axe.source });
		const res = await page.evaluate(() => window.axe.run(document, {
			resultTypes: ['violations'],
		}));
		const v = res.violations;
		report(v.length === 0, `${name} ${w}px: axe-core ${axe.version} no violations`,
			v.map((x) => `${x.id} (${x.impact}): ${x.help}\n` + x.nodes.slice(0, 3)
				.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary}`).join('\n'))
				.join('\n'));
	}
	report(outside.length === 0, `${name}: no requests outside the page`,
		outside.slice(0, 5).join('\n'));
	await page.close();
}

async function main() {
	const [outdir, ...pages] = process.argv.slice(2);
	if (!outdir || pages.length === 0) {
		console.error('usage: node check.mjs OUTDIR NAME=PAGE.html ...');
		process.exit(64);
	}
	fs.mkdirSync(outdir, { recursive: true });
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tongbao-chromium-'));
	let ctx = null;
	try {
		ctx = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: ARGS,
			deviceScaleFactor: 1,
			locale: 'zh-CN',
			offline: false,
		});
		for (const p of pages) {
			const eq = p.indexOf('=');
			await checkPage(ctx, outdir, p.slice(0, eq), p.slice(eq + 1));
		}
	} catch (e) {
		report(false, 'browser check ran', String(e && e.stack || e));
	} finally {
		if (ctx)
			await ctx.close();
		fs.rmSync(profile, { recursive: true, force: true });
	}
	process.exit(failed ? 1 : 0);
}

main();
