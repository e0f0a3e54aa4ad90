/*
 * app.js: the nanovisor page. Reads the process table over XML-RPC
 * (/RPC2), keeps it live from the event stream (/events), acts through
 * POST /action with the page's token, and follows logs from /logtail.
 * Text from the daemon only ever goes in through textContent.
 */
'use strict';

var NV = {
	token: document.querySelector('meta[name="nv-token"]').content,
	rows: new Map(),	/* namespec -> { info, tr, cells } */
	groups: new Map(),	/* group name -> header row */
	skew: 0,		/* server clock - ours, seconds */
	pending: new Set(),	/* namespecs whose info to fetch again */
	timer: null,
	reloading: null,
	events: 0,		/* state events applied (tests, bench) */
	missed: 0		/* events the stream said it dropped (GAP) */
};

/* ---- XML-RPC ---- */

function xmlEscape(s) {
	return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;')
	    .replace(/>/g, '&gt;');
}

function xmlParam(v) {
	if (typeof v === 'boolean')
		return '<value><boolean>' + (v ? 1 : 0) + '</boolean></value>';
	if (typeof v === 'number')
		return '<value><int>' + v + '</int></value>';
	if (Array.isArray(v))
		return '<value><array><data>' + v.map(xmlParam).join('') +
		    '</data></array></value>';
	if (v !== null && typeof v === 'object')
		return '<value><struct>' + Object.keys(v).map(function (k) {
			return '<member><name>' + xmlEscape(k) + '</name>' +
			    xmlParam(v[k]) + '</member>';
		}).join('') + '</struct></value>';
	return '<value><string>' + xmlEscape(v) + '</string></value>';
}

function xmlValue(node) {
	var t = node.firstElementChild, out, c;
	if (t === null)
		return node.textContent;
	switch (t.tagName) {
	case 'int': case 'i4': case 'i8': case 'double':
		return Number(t.textContent);
	case 'boolean':
		return t.textContent.trim() === '1';
	case 'array':
		out = [];
		for (c = t.firstElementChild.firstElementChild; c !== null;
		    c = c.nextElementSibling)
			out.push(xmlValue(c));
		return out;
	case 'struct':
		out = {};
		for (c = t.firstElementChild; c !== null;
		    c = c.nextElementSibling)
			out[c.querySelector('name').textContent] =
			    xmlValue(c.querySelector('value'));
		return out;
	case 'nil':
		return null;
	default:
		return t.textContent;
	}
}

/* A methodResponse: its value, or an Error carrying the fault. */
function xmlResponse(text) {
	var doc = new DOMParser().parseFromString(text, 'text/xml');
	var fault = doc.querySelector('methodResponse > fault > value');
	var v, e;
	if (fault !== null) {
		v = xmlValue(fault);
		e = new Error(v.faultString);
		e.fault = v;
		throw e;
	}
	v = doc.querySelector('methodResponse > params > param > value');
	if (v === null)
		throw new Error('bad answer from the server');
	return xmlValue(v);
}

function checkStatus(r) {
	if (!r.ok)
		throw new Error('HTTP ' + r.status + ' ' + r.statusText);
	return r.text();
}

function rpc(method, params) {
	var body = '<?xml version="1.0"?><methodCall><methodName>' + method +
	    '</methodName><params>' + (params || []).map(function (p) {
		return '<param>' + xmlParam(p) + '</param>';
	    }).join('') + '</params></methodCall>';
	return fetch('RPC2', { method: 'POST', body: body,
	    headers: { 'Content-Type': 'text/xml' } })
	    .then(checkStatus).then(xmlResponse);
}

/* A button: POST /action; the answer is the XML-RPC call's. */
function act(action, name) {
	var form = new URLSearchParams();
	form.set('token', NV.token);
	form.set('action', action);
	if (name)
		form.set('name', name);
	return fetch('action', { method: 'POST', body: form })
	    .then(checkStatus).then(xmlResponse);
}

/* ---- messages ---- */

function say(text, bad) {
	var m = document.getElementById('msg');
	m.hidden = false;
	m.className = bad ? 'msg error' : 'msg';
	m.textContent = text + ' at ' + new Date().toLocaleTimeString();
}

var DONE = {
	start: 'started', stop: 'stopped', restart: 'restarted',
	clear: 'log cleared', startgroup: 'started', stopgroup: 'stopped',
	restartgroup: 'restarted', startall: 'started', stopall: 'stopped',
	restartall: 'restarted'
};

/* Faults in what an action answered: a struct, or a list of them. */
function problems(v) {
	if (!Array.isArray(v))
		return [];
	return v.reduce(function (acc, x) {
		if (Array.isArray(x))
			return acc.concat(problems(x));
		if (x && x.faultString !== undefined)
			acc.push(x.faultString);
		else if (x && x.status !== undefined && x.status !== 80)
			acc.push(x.group + ':' + x.name + ': ' + x.description);
		return acc;
	}, []);
}

function run(action, name, button) {
	var what = action.indexOf('all') > 0 ? 'All processes' :
	    action.indexOf('group') > 0 ? 'Group ' + name : 'Process ' + name;
	if (button)
		button.disabled = true;
	say(what + ': ' + action + ' requested');
	return act(action, name).then(function (v) {
		var bad = problems(v);
		/* a restart of a stopped process: stop's NOT_RUNNING is fine */
		if (action === 'restart' && bad.length === 1 &&
		    /^NOT_RUNNING/.test(bad[0]))
			bad = [];
		if (bad.length)
			say(what + ': ' + bad.join('; '), true);
		else
			say(what + ' ' + DONE[action]);
	}, function (e) {
		say(what + ': ' + e.message, true);
	}).then(function () {
		if (button)
			button.disabled = false;
	});
}

/* ---- the table ---- */

function namespec(info) {
	return info.group === info.name ? info.name :
	    info.group + ':' + info.name;
}

function uptime(secs) {
	var d = Math.floor(secs / 86400), r = secs % 86400;
	var hms = Math.floor(r / 3600) + ':' +
	    String(Math.floor(r / 60) % 60).padStart(2, '0') + ':' +
	    String(r % 60).padStart(2, '0');
	return d > 0 ? d + ' day' + (d === 1 ? '' : 's') + ', ' + hms : hms;
}

function button(label, action, name, cls) {
	var b = document.createElement('button');
	b.type = 'button';
	b.textContent = label;
	b.dataset.act = action;
	b.dataset.name = name;
	if (cls)
		b.className = cls;
	return b;
}

function makeRow(info) {
	var ns = namespec(info), tr = document.createElement('tr');
	var st = document.createElement('td'), ds = document.createElement('td');
	var nm = document.createElement('td'), ac = document.createElement('td');
	var badge = document.createElement('span'), acts;
	var link = document.createElement('a');
	badge.className = 'state';
	st.appendChild(badge);
	nm.className = 'name';
	link.href = 'tail.html?processname=' + encodeURIComponent(ns);
	link.textContent = ns;
	nm.appendChild(link);
	acts = document.createElement('div');
	acts.className = 'acts';
	['start', 'stop', 'restart', 'clear'].forEach(function (a) {
		acts.appendChild(button(a[0].toUpperCase() + a.slice(1), a, ns));
	});
	acts.appendChild(button('Tail', 'tail', ns));
	ac.appendChild(acts);
	tr.append(st, ds, nm, ac);
	tr.dataset.name = ns;
	return { info: info, tr: tr, badge: badge, desc: ds };
}

function paintRow(row) {
	var i = row.info;
	row.badge.textContent = i.statename;
	row.badge.className = 'state ' + i.statename;
	row.tr.dataset.state = i.statename;
	row.desc.textContent = describe(i);
}

/* RUNNING's uptime moves on without asking the server. */
function describe(i) {
	var now;
	if (i.statename !== 'RUNNING' || !i.start || !i.pid)
		return i.description;
	now = Math.floor(Date.now() / 1000 + NV.skew);
	return 'pid ' + i.pid + ', uptime ' + uptime(Math.max(0, now - i.start));
}

function groupRow(name) {
	var tr = document.createElement('tr'), td = document.createElement('td');
	var acts = document.createElement('div');
	tr.className = 'group';
	td.colSpan = 4;
	td.append('Group ' + name + ' ');
	acts.className = 'acts';
	acts.append(button('Start group', 'startgroup', name),
	    button('Stop group', 'stopgroup', name),
	    button('Restart group', 'restartgroup', name));
	td.appendChild(acts);
	tr.appendChild(td);
	return tr;
}

function render(list) {
	var body = document.querySelector('#procs tbody');
	var count = new Map(), frag = document.createDocumentFragment();
	NV.rows.clear();
	NV.groups.clear();
	list.forEach(function (i) {
		count.set(i.group, (count.get(i.group) || 0) + 1);
	});
	list.forEach(function (i) {
		var row;
		if (!NV.groups.has(i.group) &&
		    (count.get(i.group) > 1 || i.group !== i.name)) {
			NV.groups.set(i.group, groupRow(i.group));
			frag.appendChild(NV.groups.get(i.group));
		}
		row = makeRow(i);
		paintRow(row);
		NV.rows.set(namespec(i), row);
		frag.appendChild(row.tr);
	});
	body.replaceChildren(frag);
}

function reload() {
	if (NV.reloading)
		return NV.reloading;
	NV.reloading = rpc('supervisor.getAllProcessInfo').then(function (l) {
		if (l.length)
			NV.skew = l[0].now - Date.now() / 1000;
		render(l);
	}, function (e) {
		say('Cannot read the process list: ' + e.message, true);
	}).then(function () {
		NV.reloading = null;
		document.body.dataset.ready = '1';
	});
	return NV.reloading;
}

/* Fetch again the info of the processes that changed, in one call. */
function refreshPending() {
	var names = Array.from(NV.pending);
	NV.timer = null;
	NV.pending.clear();
	if (!names.length)
		return;
	rpc('system.multicall', [names.map(function (n) {
		return { methodName: 'supervisor.getProcessInfo', params: [n] };
	})]).then(function (res) {
		res.forEach(function (i) {
			var row;
			if (Array.isArray(i) && i.length)
				i = i[0];
			if (!i || i.faultCode !== undefined)
				return;
			row = NV.rows.get(namespec(i));
			if (row) {
				row.info = i;
				paintRow(row);
			}
		});
	}, function () {});
}

function onState(ev) {
	var ns = ev.groupname === ev.processname ? ev.processname :
	    ev.groupname + ':' + ev.processname;
	var row = NV.rows.get(ns);
	NV.events++;
	if (!row) {
		reload();
		return;
	}
	row.info.statename = ev.type.slice('PROCESS_STATE_'.length);
	if (ev.pid !== undefined)
		row.info.pid = ev.pid;
	if (row.info.statename === 'RUNNING')
		row.info.description = '';
	paintRow(row);
	NV.pending.add(ns);
	if (NV.timer === null)
		NV.timer = setTimeout(refreshPending, 250);
}

function live(on, text) {
	var l = document.getElementById('live');
	l.className = on ? 'live' : 'live off';
	l.textContent = text;
}

function listen() {
	var es = new EventSource('events?type=PROCESS_STATE_,PROCESS_GROUP_');
	var lost = false;
	es.onopen = function () {
		live(true, 'live');
		/* events may have gone by while we were away */
		if (lost)
			reload();
		lost = false;
	};
	es.onerror = function () {
		live(false, 'reconnecting');
		lost = true;
	};
	es.onmessage = function (m) {
		var ev = JSON.parse(m.data);
		if (ev.type.indexOf('PROCESS_STATE_') === 0)
			onState(ev);
		else {
			if (ev.type === 'GAP')
				NV.missed += ev.missed;
			reload();	/* a group came or went, or a GAP */
		}
	};
}

/* ---- log tail ---- */

var Tail = { ctl: null, name: null, limit: 65536 };

function tailStop() {
	if (Tail.ctl)
		Tail.ctl.abort();
	Tail.ctl = null;
}

function tailAppend(pre, text) {
	var atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
	var all = pre.textContent + text;
	if (all.length > Tail.limit)
		all = all.slice(all.length - Tail.limit);
	pre.textContent = all;
	if (atEnd)
		pre.scrollTop = pre.scrollHeight;
}

/* Stream /logtail/<name>/<channel>; UTF-8 split across reads is kept. */
function tailStart(name, chan) {
	var pre = document.getElementById('tailtext');
	var dec = new TextDecoder('utf-8'), ctl = new AbortController();
	var path = encodeURIComponent(name).replace(/%3A/gi, ':');
	tailStop();
	Tail.ctl = ctl;
	Tail.name = name;
	pre.textContent = '';
	document.getElementById('tailname').textContent = name + ' ' + chan;
	fetch('logtail/' + path + '/' + chan, { signal: ctl.signal })
	    .then(function (r) {
		var reader;
		if (!r.ok)
			throw new Error(r.status === 404 ?
			    'no ' + chan + ' log for ' + name :
			    'HTTP ' + r.status);
		reader = r.body.getReader();
		function next() {
			return reader.read().then(function (c) {
				if (c.done)
					return;
				tailAppend(pre, dec.decode(c.value,
				    { stream: true }));
				return next();
			});
		}
		return next();
	}).catch(function (e) {
		if (e.name !== 'AbortError')
			tailAppend(pre, '\n[' + e.message + ']\n');
	});
}

function tailOpen(name) {
	var sec = document.getElementById('tail');
	sec.hidden = false;
	document.getElementById('tailchan').value = 'stdout';
	tailStart(name, 'stdout');
	sec.scrollIntoView({ block: 'nearest' });
}

/* ---- wiring ---- */

function indexPage() {
	var q = new URLSearchParams(location.search);
	/* 4.2.5 shows ?message=; its ?action= links do nothing here */
	if (q.get('message'))
		say(q.get('message'));
	document.addEventListener('click', function (e) {
		var b = e.target.closest('button[data-act]');
		if (!b)
			return;
		if (b.dataset.act === 'tail')
			tailOpen(b.dataset.name);
		else
			run(b.dataset.act, b.dataset.name, b);
	});
	document.getElementById('refresh').onclick = function () {
		reload().then(function () { say('Page refreshed'); });
	};
	document.getElementById('tailchan').onchange = function (e) {
		if (Tail.name)
			tailStart(Tail.name, e.target.value);
	};
	document.getElementById('tailclear').onclick = function () {
		document.getElementById('tailtext').textContent = '';
	};
	document.getElementById('tailclose').onclick = function () {
		tailStop();
		document.getElementById('tail').hidden = true;
	};
	setInterval(function () {
		NV.rows.forEach(function (row) {
			if (row.info.statename === 'RUNNING')
				row.desc.textContent = describe(row.info);
		});
	}, 1000);
	listen();
	reload();
}

/* tail.html?processname=NAME&limit=BYTES: one log, followed live. */
function tailPage() {
	var q = new URLSearchParams(location.search);
	var name = q.get('processname') || '';
	var limit = parseInt(q.get('limit') || '1024', 10);
	Tail.limit = limit > 0 ? limit : 1024;
	document.getElementById('again').href = location.pathname +
	    location.search;
	document.title = 'nanovisor: ' + name;
	document.getElementById('tailchan').onchange = function (e) {
		tailStart(name, e.target.value);
	};
	live(true, 'following');
	tailStart(name, 'stdout');
	document.body.dataset.ready = '1';
}

if (document.body.id === 'tailpage')
	tailPage();
else
	indexPage();
window.NV = NV;
