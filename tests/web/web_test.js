/*
 * web_test.js: the web page in a real browser against a real daemon
 * (run by tests/integration/t_web_browser.sh, which sets the
 * environment). Each check prints "ok - ..."; the first failure throws
 * and the exit status is 1.
 *
 * NV_URL, NV_USER, NV_PASS	the [inet_http_server] and its Basic auth
 * NV_CTL, NV_CONF		supervisorctl and the daemon's config
 * NV_TICKER_LOG		stdout log of "ticker", which prints a line
 *				with UTF-8 text every 0.2 s
 * NV_RESULTS			where the screenshots go
 */
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { launch, rpcRaw, stateOf, check, scale } = require('./lib.js');

const base = process.env.NV_URL;
const user = process.env.NV_USER, pass = process.env.NV_PASS;
const auth = 'Basic ' + Buffer.from(user + ':' + pass).toString('base64');
const results = process.env.NV_RESULTS;
const T = 20000 * scale;

const row = (name) => `tr[data-name="${name}"]`;

async function waitState(page, name, state) {
	await page.waitForSelector(`${row(name)}[data-state="${state}"]`,
	    { timeout: T });
}

async function main() {
	const browser = await launch();
	const ctx = await browser.newContext({
		httpCredentials: { username: user, password: pass },
		viewport: { width: 1100, height: 800 },
	});
	const page = await ctx.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(e.message));

	/* 4.2.5's GET action link: the page comes, nothing is stopped */
	await page.goto(base + '/index.html?processname=sleeper&action=stop',
	    { timeout: T });
	await page.waitForSelector('body[data-ready="1"]', { timeout: T });
	await waitState(page, 'sleeper', 'RUNNING');
	check(await stateOf(base, auth, 'sleeper') === 'RUNNING',
	    '4.2.5 GET action URL index.html?action=stop does not act');

	/* the table lists every configured process */
	await page.goto(base + '/', { timeout: T });
	await page.waitForSelector('body[data-ready="1"]', { timeout: T });
	const names = await page.$$eval('#procs tbody tr[data-name]',
	    (trs) => trs.map((tr) => tr.dataset.name));
	check(JSON.stringify(names.slice().sort()) === JSON.stringify(
	    ['grp:a', 'grp:b', 'later', 'sleeper', 'ticker']),
	    'table lists the configured processes: ' + names.join(' '));
	await waitState(page, 'ticker', 'RUNNING');
	await page.waitForSelector('#live:not(.off)', { timeout: T });
	const later = await page.textContent(`${row('later')} .state`);
	check(later === 'STOPPED', 'autostart=false process shows STOPPED');
	const desc = await page.textContent(`${row('ticker')} td:nth-child(2)`);
	check(/^pid \d+, uptime \d+:\d\d:\d\d$/.test(desc),
	    'RUNNING description: ' + desc);

	/* Stop: the row changes without a reload */
	await page.evaluate(() => { window.nvMarker = 'same page'; });
	await page.click(`${row('sleeper')} button[data-act="stop"]`);
	await waitState(page, 'sleeper', 'STOPPED');
	check(await page.evaluate(() => window.nvMarker) === 'same page',
	    'Stop changed the row to STOPPED without a reload');
	await page.waitForSelector('#msg:not([hidden])', { timeout: T });
	await page.waitForFunction(() => /stopped/.test(
	    document.getElementById('msg').textContent), null, { timeout: T });
	check(await stateOf(base, auth, 'sleeper') === 'STOPPED',
	    'the daemon says sleeper is STOPPED');

	/* Start and Restart from the page */
	await page.click(`${row('sleeper')} button[data-act="start"]`);
	await waitState(page, 'sleeper', 'RUNNING');
	check(true, 'Start brings the row to RUNNING');
	const pid1 = await stateOfPid(page, 'sleeper');
	await page.click(`${row('sleeper')} button[data-act="restart"]`);
	await page.waitForFunction((sel) => {
		const el = document.querySelector(sel + ' td:nth-child(2)');
		return el && /restarted/.test(
		    document.getElementById('msg').textContent);
	}, row('sleeper'), { timeout: T });
	await waitState(page, 'sleeper', 'RUNNING');
	const pid2 = await stateOfPid(page, 'sleeper');
	check(pid1 !== pid2, `Restart gave a new pid (${pid1} -> ${pid2})`);

	/* a process started from supervisorctl appears RUNNING, live */
	execFileSync(process.env.NV_CTL, ['-c', process.env.NV_CONF, 'start',
	    'later'], { timeout: T });
	await waitState(page, 'later', 'RUNNING');
	check(await page.evaluate(() => window.nvMarker) === 'same page',
	    'supervisorctl start later: the row went RUNNING live');

	/* group actions */
	await page.click('tr.group button[data-act="stopgroup"]');
	await waitState(page, 'grp:a', 'STOPPED');
	await waitState(page, 'grp:b', 'STOPPED');
	check(true, 'Stop group stops both processes of grp');
	await page.click('tr.group button[data-act="startgroup"]');
	await waitState(page, 'grp:a', 'RUNNING');
	await waitState(page, 'grp:b', 'RUNNING');
	check(true, 'Start group starts them again');

	/* the live tail shows a line the child printed after we opened it */
	await page.click(`${row('ticker')} button[data-act="tail"]`);
	await page.waitForSelector('#tail:not([hidden])', { timeout: T });
	const lines = fs.readFileSync(process.env.NV_TICKER_LOG, 'utf8')
	    .trim().split('\n');
	const last = Number(/tick (\d+)/.exec(lines[lines.length - 1])[1]);
	const want = 'tick ' + (last + 2) + ' ';
	await page.waitForFunction((w) => document.getElementById('tailtext')
	    .textContent.includes(w), want, { timeout: T });
	const text = await page.textContent('#tailtext');
	check(true, `tail view shows "${want.trim()}", printed after it opened`);
	check(text.includes('h\u00e9 \u2713 \u65e5\u672c'),
	    'tail view decodes UTF-8 (h\u00e9 \u2713 \u65e5\u672c)');
	fs.mkdirSync(results, { recursive: true });
	await page.screenshot({ path: path.join(results, 'index.png'),
	    fullPage: true });

	/* tail.html, 4.2.5's URL */
	const tp = await ctx.newPage();
	await tp.goto(base + '/tail.html?processname=ticker&limit=200',
	    { timeout: T });
	await tp.waitForFunction(() => /tick \d+/.test(
	    document.getElementById('tailtext').textContent), null,
	    { timeout: T });
	const tlen = (await tp.textContent('#tailtext')).length;
	check(tlen <= 200, `tail.html follows the log within limit (${tlen})`);
	await tp.close();

	/* a phone */
	const phone = await ctx.newPage();
	await phone.setViewportSize({ width: 390, height: 844 });
	await phone.goto(base + '/', { timeout: T });
	await phone.waitForSelector('body[data-ready="1"]', { timeout: T });
	const wide = await phone.evaluate(() =>
	    document.documentElement.scrollWidth);
	check(wide <= 390, `no sideways scrolling on a phone (${wide}px)`);
	await phone.screenshot({ path: path.join(results, 'phone.png'),
	    fullPage: true });
	await phone.close();

	/* without the token, or from another origin: refused */
	const token = await page.getAttribute('meta[name="nv-token"]',
	    'content');
	let r = await fetch(base + '/action', { method: 'POST',
	    headers: { Authorization: auth },
	    body: new URLSearchParams({ action: 'stop', name: 'ticker' }) });
	check(r.status === 403, 'POST /action without the token: ' + r.status);
	r = await fetch(base + '/action', { method: 'POST',
	    headers: { Authorization: auth, Origin: 'http://evil.test' },
	    body: new URLSearchParams({ token, action: 'stop',
	    name: 'ticker' }) });
	check(r.status === 403, 'POST /action from another origin, even ' +
	    'with the token: ' + r.status);
	check(await stateOf(base, auth, 'ticker') === 'RUNNING',
	    'ticker still RUNNING');

	check(errors.length === 0, 'no script errors in the page' +
	    (errors.length ? ': ' + errors.join('; ') : ''));
	await browser.close();
}

async function stateOfPid(page, name) {
	return page.evaluate((n) => window.NV.rows.get(n).info.pid, name);
}

main().catch((e) => {
	console.error(e && e.stack ? e.stack : e);
	process.exit(1);
});
