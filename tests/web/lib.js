/*
 * lib.js: what the browser scenarios share: launching Debian's chromium
 * through playwright-core, and XML-RPC calls to the daemon from node.
 */
'use strict';

const { chromium } = require('playwright-core');

const scale = Number(process.env.NV_TIMEOUT_SCALE || 1);

/* launch() gives each run a fresh, temporary profile of its own. */
async function launch() {
	return chromium.launch({
		executablePath: process.env.NV_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		timeout: 60000 * scale,
		args: ['--no-sandbox', '--disable-gpu',
		    '--disable-background-networking',
		    '--disable-component-update', '--disable-sync',
		    '--no-first-run'],
	});
}

/* One XML-RPC call with string/boolean params; the raw answer. */
async function rpcRaw(base, auth, method, params) {
	const esc = (s) => String(s).replace(/&/g, '&amp;')
	    .replace(/</g, '&lt;');
	const body = '<?xml version="1.0"?><methodCall><methodName>' + method +
	    '</methodName><params>' + (params || []).map((p) =>
	    '<param><value>' + (typeof p === 'boolean' ?
	    '<boolean>' + (p ? 1 : 0) + '</boolean>' :
	    '<string>' + esc(p) + '</string>') + '</value></param>')
	    .join('') + '</params></methodCall>';
	const r = await fetch(base + '/RPC2', { method: 'POST', body,
	    headers: { 'Content-Type': 'text/xml', Authorization: auth } });
	return r.text();
}

/* getProcessInfo's statename, read from the XML. */
async function stateOf(base, auth, name) {
	const xml = await rpcRaw(base, auth, 'supervisor.getProcessInfo',
	    [name]);
	const m = /<name>statename<\/name>\s*<value><string>([A-Z]+)</.exec(
	    xml);
	return m ? m[1] : 'FAULT: ' + xml;
}

function check(cond, what) {
	if (!cond)
		throw new Error('check failed: ' + what);
	console.log('ok - ' + what);
}

module.exports = { launch, rpcRaw, stateOf, check, scale };
