/*
 * bench.js URL NPROCS KIND: the web page with many processes, for
 * bench/web.sh. Prints key=value lines:
 *
 *	fcp_ms		first contentful paint (performance timing)
 *	ready_ms	navigation start to every process row on screen
 *			(KIND ours: the table filled from /RPC2; KIND
 *			python: the load event of 4.2.5's server page)
 *	events, events_secs, events_per_s, lag_ms	(KIND ours only)
 *		stopAllProcesses then startAllProcesses: 4 state events a
 *		process; how many the page applied, over how long, and how
 *		long after the daemon's last answer the page had them all.
 */
'use strict';

const { launch } = require('./lib.js');

const [url, nprocs, kind] = [process.argv[2], Number(process.argv[3]),
    process.argv[4] || 'ours'];

async function call(method) {
	const body = '<?xml version="1.0"?><methodCall><methodName>' + method +
	    '</methodName><params><param><value><boolean>1</boolean></value>' +
	    '</param></params></methodCall>';
	const r = await fetch(url + '/RPC2', { method: 'POST', body,
	    headers: { 'Content-Type': 'text/xml' } });
	return r.text();
}

async function main() {
	const browser = await launch();
	const page = await browser.newPage({ viewport: { width: 1280,
	    height: 900 } });
	await page.goto(url + '/', { timeout: 120000, waitUntil: 'load' });
	if (kind === 'ours')
		await page.waitForFunction((n) => document.body.dataset.ready ===
		    '1' && window.NV.rows.size === n, nprocs,
		    { timeout: 120000, polling: 10 });
	const t = await page.evaluate(() => {
		const p = performance.getEntriesByType('paint')
		    .find((e) => e.name === 'first-contentful-paint');
		const nav = performance.getEntriesByType('navigation')[0];
		return { fcp: p ? p.startTime : null, load: nav.loadEventEnd,
		    now: performance.now() };
	});
	console.log('fcp_ms=' + (t.fcp === null ? 'n/a' : t.fcp.toFixed(1)));
	console.log('ready_ms=' + (kind === 'ours' ? t.now : t.load)
	    .toFixed(1));
	if (kind !== 'ours') {
		await browser.close();
		return;
	}
	await page.waitForSelector('#live:not(.off)', { timeout: 60000 });
	const before = await page.evaluate(() => window.NV.events +
	    window.NV.missed);
	const want = before + 4 * nprocs;
	const t0 = Date.now();
	await call('supervisor.stopAllProcesses');
	await call('supervisor.startAllProcesses');
	const tDaemon = Date.now();
	await page.waitForFunction((w) => window.NV.events +
	    window.NV.missed >= w, want, { timeout: 300000, polling: 20 });
	const t1 = Date.now();
	const n = (await page.evaluate(() => window.NV.events)) - before;
	const running = await page.$$eval('tr[data-state="RUNNING"]',
	    (l) => l.length);
	console.log('events=' + n);
	console.log('events_secs=' + ((t1 - t0) / 1000).toFixed(3));
	console.log('events_per_s=' + (n / ((t1 - t0) / 1000)).toFixed(0));
	console.log('lag_ms=' + Math.max(0, t1 - tDaemon));
	console.log('rows_running=' + running);
	console.log('missed=' + await page.evaluate(() => window.NV.missed));
	await browser.close();
}

main().catch((e) => {
	console.error(e && e.stack ? e.stack : e);
	process.exit(1);
});
