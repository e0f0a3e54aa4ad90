/*
 * web_csrf.js: a page on another site, in a real browser, tries to act
 * on a daemon without HTTP auth (4.2.5's usual inet setup, where its GET
 * links let any site act): a form POST to /action, fetches to /action
 * and /RPC2. Run by tests/integration/t_web_browser.sh, which checks the
 * daemon's access log for the 403s; here we check nothing stopped.
 *
 * NV_URL	the daemon (http://127.0.0.1:port), no auth
 */
'use strict';

const http = require('http');
const { launch, stateOf, check, scale } = require('./lib.js');

const base = process.env.NV_URL;
const T = 20000 * scale;

/* The other site: a real server on loopback (chromium keeps pages from
 * elsewhere off 127.0.0.1 by itself). localhost:N is neither the origin
 * nor the site of 127.0.0.1:port. Its page posts a form at once. */
function otherSite() {
	const page = `<!DOCTYPE html><html><body>
<form id="f" method="POST" action="${base}/action" target="sink">
<input name="action" value="stop"><input name="name" value="ticker">
<input name="token" value="guess"></form>
<iframe name="sink"></iframe>
<script>document.getElementById('f').submit();</script>
</body></html>`;
	const srv = http.createServer((q, r) => {
		r.writeHead(200, { 'Content-Type': 'text/html' });
		r.end(page);
	});
	return new Promise((ok) => srv.listen(0, '127.0.0.1', () => ok(srv)));
}

async function main() {
	const srv = await otherSite();
	const evil = 'http://localhost:' + srv.address().port;
	const browser = await launch();
	const page = await browser.newPage();
	const sent = [];
	page.on('requestfinished', (q) => {
		if (q.url().startsWith(base))
			sent.push(q.method() + ' ' + q.url());
	});
	await page.goto(evil + '/', { timeout: T });
	const out = await page.evaluate(async (u) => {
		const res = [];
		const stop = '<?xml version="1.0"?><methodCall><methodName>' +
		    'supervisor.stopProcess</methodName><params><param>' +
		    '<value><string>ticker</string></value></param></params>' +
		    '</methodCall>';
		for (const [path, body] of [['/action', new URLSearchParams(
		    { action: 'stop', name: 'ticker' })], ['/RPC2', stop]]) {
			try {
				await fetch(u + path, { method: 'POST', body,
				    mode: 'no-cors' });
				res.push(path + ' sent');
			} catch (e) {
				res.push(path + ' ' + e.message);
			}
		}
		return res;
	}, base);
	check(out.join() === '/action sent,/RPC2 sent',
	    'the other site\'s fetches left the browser: ' + out.join(', '));
	check(await stateOf(base, '', 'ticker') === 'RUNNING',
	    'a page on ' + evil + ' could not stop ticker');
	await browser.close();
	srv.close();
}

main().catch((e) => {
	console.error(e && e.stack ? e.stack : e);
	process.exit(1);
});
