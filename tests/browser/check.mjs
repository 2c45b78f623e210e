// check.mjs - loads portal pages in Debian's Chromium (through playwright-core,
// never a downloaded browser), at 1280 px and 360 px wide and, as a reader
// who set the browser's font size to 200 % (32 px), at both widths again;
// saves full-page screenshots for a person to look at, and checks in the
// real browser:
//   - the page requests nothing outside itself (every non-file request is
//     aborted and counted);
//   - at each width and font size the document is no wider than the
//     viewport (tables scroll or fold inside their own boxes, the page
//     does not);
//   - every unit's row of a ranking shows its rank, its name and its key
//     figure (总分; 全年 in the year) without scrolling sideways: each
//     cell's bounding box lies inside the viewport and inside its table's
//     box (which has not been scrolled), and the point at its middle is
//     the cell itself, not something drawn over it; with NAME=PAGE:N the
//     page must have N such rows;
//   - axe-core reports no accessibility violations (at 100 %; axe is
//     injected past the page's Content-Security-Policy);
//   - where the page has its Content-Security-Policy, the browser enforces
//     it: an inline script does not run, an image from elsewhere is not
//     loaded (a context that honours the policy);
//   - --same A:B: page A (the fragment in a hostile host page) looks as
//     page B (the notice on its own): the same computed styles of the
//     notice's parts, at both widths;
//   - --print NAME: page NAME printed by Chromium (its print style, A4) to
//     OUTDIR/NAME-print.pdf, which tests/html/portal.py print reads.
// Prints "PASS: name" / "FAIL: name" lines (tests/run counts them); exits 1
// on any failure.
//
//   node check.mjs OUTDIR [--same A:B]... [--print NAME]... NAME=PAGE.html[:ROWS] ...
// writes OUTDIR/NAME-1280.png, NAME-360.png, NAME-1280-200.png and
// NAME-360-200.png.
import { chromium } from 'playwright-core';
import axe from 'axe-core';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync'];
const WIDTHS = [1280, 360];
const DEFAULT_FONT = 16, LARGE_FONT = 32;

let failed = 0;
function report(ok, name, detail) {
	console.log(`${ok ? 'PASS' : 'FAIL'}: ${name}`);
	if (!ok) {
		failed++;
		if (detail)
			console.log(String(detail).replace(/^/gm, '    '));
	}
}

// In the page: each ranking row's rank, name and key cells, and whether
// each is in full view without scrolling sideways.
function rankingRows() {
	const bad = [];
	let n = 0;
	const vw = document.documentElement.clientWidth;
	for (const tr of document.querySelectorAll('.tb-fold tbody tr[id]')) {
		n++;
		tr.scrollIntoView({ block: 'center' });
		const box = tr.closest('.tb-scroll');
		const b = box.getBoundingClientRect();
		for (const cls of ['tb-rank', 'tb-rowhead', 'tb-key']) {
			const cell = tr.querySelector('.' + cls);
			const r = cell && cell.getBoundingClientRect();
			let why = null;
			if (!cell)
				why = 'missing';
			else if (r.width < 1 || r.height < 1)
				why = 'not drawn';
			else if (box.scrollLeft !== 0)
				why = 'its box is scrolled';
			else if (r.left < -0.5 || r.right > vw + 0.5)
				why = `outside the window (${Math.round(r.left)}..${Math.round(r.right)} of ${vw})`;
			else if (r.left < b.left - 0.5 || r.right > b.right + 0.5)
				why = `outside its box (${Math.round(r.left)}..${Math.round(r.right)} of ${Math.round(b.left)}..${Math.round(b.right)})`;
			else {
				const hit = document.elementFromPoint((r.left + r.right) / 2,
					(r.top + r.bottom) / 2);
				if (!hit || !cell.contains(hit))
					why = 'covered by ' + (hit ? hit.tagName + '.' + hit.className : 'nothing');
			}
			if (why)
				bad.push(`${tr.id} ${cls}: ${why}`);
		}
	}
	window.scrollTo(0, 0);
	return { n, bad };
}

// In the page: the computed styles of the notice's parts, to compare a
// hosted notice with the notice on its own.
function look() {
	const parts = ['.tongbao', '.tb-meta', '.tb-meta-list dt', '.tb-toc a',
		'.tb-files a', '.tb-issuer', '.tb-title', '.tb-recipients', '.tb-para',
		'.tb-h1', '.tb-h2', '.tb-list li', '.tb-att-head', '.tb-att-title',
		'.tb-chart-svg', '.tb-chart-label', '.tb-scroll', '.tb-table',
		'.tb-table caption', '.tb-table thead th', '.tb-fold tbody tr',
		'.tb-fold .tb-rank', '.tb-fold .tb-rowhead', '.tb-fold .tb-rowhead a',
		'.tb-fold .tb-key', '.tb-fold td[data-label]', '.tb-table td.tb-left',
		'.tb-colophon', '.tb-cc'];
	const props = ['display', 'position', 'font-family', 'font-size',
		'font-weight', 'line-height', 'letter-spacing', 'text-align',
		'text-indent', 'text-transform', 'text-decoration-line', 'color',
		'background-color', 'margin-top', 'margin-left', 'padding-top',
		'padding-left', 'border-top-width', 'border-top-style',
		'border-left-width', 'border-spacing', 'list-style-type',
		'white-space', 'vertical-align'];
	const out = {};
	for (const sel of parts) {
		const e = document.querySelector('.tongbao ' + sel) ||
			document.querySelector(sel);
		if (!e) {
			out[sel] = 'absent';
			continue;
		}
		const cs = getComputedStyle(e);
		out[sel] = Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
	}
	return out;
}

async function setFont(page, px) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Page.setFontSizes', { fontSizes: { standard: px,
		fixed: Math.round(px * 13 / 16) } });
	await cdp.detach();
}

// The page's own Content-Security-Policy, in a context that honours it.
async function checkCsp(strict, name, url) {
	const page = await strict.newPage();
	await page.route('**/*', (route) => {
		const u = route.request().url();
		return u.startsWith('file:') ? route.continue() : route.abort();
	});
	await page.goto(url, { waitUntil: 'load' });
	const has = await page.evaluate(() =>
		!!document.querySelector('meta[http-equiv="Content-Security-Policy"]'));
	if (has) {
		let ran = false;
		try {
			await page.addScriptTag({ content: 'window.__tbRan = true;' });
		} catch (e) {
			/* refused: what the policy is for */
		}
		ran = await page.evaluate(() => window.__tbRan === true);
		const blocked = await page.evaluate(() => new Promise((done) => {
			const seen = [];
			document.addEventListener('securitypolicyviolation',
				(e) => seen.push(e.effectiveDirective));
			const img = document.createElement('img');
			img.alt = '';
			img.src = 'https://www.example.com/tracker.png';
			document.body.appendChild(img);
			setTimeout(() => done(seen), 300);
		}));
		report(!ran && blocked.includes('img-src'), `${name}: its Content-Security-Policy ` +
			'runs no inline script and loads no image from elsewhere',
			`script ran: ${ran}; violations: ${blocked.join(', ')}`);
	}
	await page.close();
}

async function printPage(ctx, outdir, name, file) {
	const page = await ctx.newPage();
	await page.route('**/*', (route) => {
		const u = route.request().url();
		return u.startsWith('file:') ? route.continue() : route.abort();
	});
	await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
	await page.pdf({ path: path.join(outdir, `${name}-print.pdf`),
		preferCSSPageSize: true, printBackground: true });
	await page.close();
}

async function checkPage(ctx, outdir, name, file, rows, looks) {
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
	looks[name] = {};
	for (const font of [DEFAULT_FONT, LARGE_FONT]) {
		for (const w of WIDTHS) {
			const tag = font === DEFAULT_FONT ? `${w}px` : `${w}px at 200% text`;
			await page.setViewportSize({ width: w, height: 800 });
			await setFont(page, font);     // after the viewport, which resets it
			await page.goto(url, { waitUntil: 'load' });
			const m = await page.evaluate(() => ({
				font: (() => {       // the reader's size, whatever the page's root
					const e = document.createElement('span');
					e.style.fontSize = 'medium';
					document.body.appendChild(e);
					const px = parseFloat(getComputedStyle(e).fontSize);
					e.remove();
					return px;
				})(),
				doc: document.documentElement.scrollWidth,
				body: document.body.scrollWidth,
				boxes: [...document.querySelectorAll('.tb-scroll')].map(
					(b) => b.scrollWidth > b.clientWidth),
			}));
			const width = Math.max(m.doc, m.body);
			if (m.font !== font)
				report(false, `${name} ${tag}: the reader's font size is ${font} px`,
					`font-size: medium is ${m.font} px`);
			report(width <= w, `${name} ${tag}: page ${width} px wide, no horizontal page scroll`,
				`document scrollWidth ${width} > ${w}`);
			if (w === 360 && font === DEFAULT_FONT && m.boxes.length > 0)
				console.log(`    ${name} 360px: ${m.boxes.filter(Boolean).length} of ` +
					`${m.boxes.length} tables scroll inside their box`);
			const rr = await page.evaluate(rankingRows);
			if (rows !== null || rr.n > 0)
				report(rr.bad.length === 0 && (rows === null || rr.n === rows),
					`${name} ${tag}: rank, name and key figure of all ${rr.n} units in view` +
					(rows === null ? '' : ` (${rows} expected)`),
					rr.bad.slice(0, 5).join('\n'));
			if (font === DEFAULT_FONT) {
				looks[name][w] = await page.evaluate(look);
				await page.addScriptTag({ content: axe.source });
				const res = await page.evaluate(() => window.axe.run(document, {
					resultTypes: ['violations'],
				}));
				const v = res.violations;
				report(v.length === 0, `${name} ${tag}: axe-core ${axe.version} no violations`,
					v.map((x) => `${x.id} (${x.impact}): ${x.help}\n` + x.nodes.slice(0, 3)
						.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary}`).join('\n'))
						.join('\n'));
			}
			// last: a full-page screenshot resets the font size setting
			const shot = path.join(outdir,
				`${name}-${w}${font === DEFAULT_FONT ? '' : '-200'}.png`);
			await page.screenshot({ path: shot, fullPage: true });
		}
	}
	report(outside.length === 0, `${name}: no requests outside the page`,
		outside.slice(0, 5).join('\n'));
	await page.close();
}

function compareLooks(looks, a, b) {
	for (const w of WIDTHS) {
		const la = looks[a] && looks[a][w], lb = looks[b] && looks[b][w];
		const diffs = [];
		if (!la || !lb) {
			diffs.push('not measured');
		} else {
			for (const sel of Object.keys(lb)) {
				if (typeof lb[sel] !== 'object' || typeof la[sel] !== 'object') {
					if (la[sel] !== lb[sel])
						diffs.push(`${sel}: ${la[sel]} / ${lb[sel]}`);
					continue;
				}
				for (const p of Object.keys(lb[sel]))
					// the host's column is not ours: where it centres us
					if (la[sel][p] !== lb[sel][p] &&
					    !(sel === '.tongbao' && p === 'margin-left'))
						diffs.push(`${sel} ${p}: ${la[sel][p]} (${a}) != ${lb[sel][p]} (${b})`);
			}
		}
		report(diffs.length === 0, `${a} ${w}px looks as ${b}: the same computed styles ` +
			`of the notice's parts`, diffs.slice(0, 8).join('\n'));
	}
}

async function main() {
	const argv = process.argv.slice(2);
	const outdir = argv.shift();
	const same = [], pages = [], print = [];
	while (argv.length > 0) {
		const a = argv.shift();
		if (a === '--same')
			same.push(argv.shift().split(':'));
		else if (a === '--print')
			print.push(argv.shift());
		else
			pages.push(a);
	}
	if (!outdir || pages.length === 0) {
		console.error('usage: node check.mjs OUTDIR [--same A:B]... NAME=PAGE.html[:ROWS] ...');
		process.exit(64);
	}
	fs.mkdirSync(outdir, { recursive: true });
	const looks = {};
	let browser = null;
	try {
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ARGS,
		});
		const opts = { deviceScaleFactor: 1, locale: 'zh-CN' };
		// axe is a script the page's policy would refuse
		const ctx = await browser.newContext({ ...opts, bypassCSP: true });
		const strict = await browser.newContext(opts);
		for (const p of pages) {
			const eq = p.indexOf('=');
			const m = /^(.*):(\d+)$/.exec(p.slice(eq + 1));
			const file = m ? m[1] : p.slice(eq + 1);
			await checkPage(ctx, outdir, p.slice(0, eq), file,
				m ? Number(m[2]) : null, looks);
			await checkCsp(strict, p.slice(0, eq), pathToFileURL(path.resolve(file)).href);
			if (print.includes(p.slice(0, eq)))
				await printPage(ctx, outdir, p.slice(0, eq), file);
		}
		for (const [a, b] of same)
			compareLooks(looks, a, b);
	} catch (e) {
		report(false, 'browser check ran', String(e && e.stack || e));
	} finally {
		if (browser)
			await browser.close();
	}
	process.exit(failed ? 1 : 0);
}

main();
