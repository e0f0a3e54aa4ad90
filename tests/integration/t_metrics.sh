#!/bin/sh
# GET /metrics, read by a small Prometheus text-format parser: every
# sample belongs to a family declared by # HELP / # TYPE, label values
# unescape, and the numbers agree with getAllProcessInfo (each process's
# state and code), with the starts we caused, with the listener pool
# that took PROCESS_STATE events (delivered, latency count), with the bus
# counter, and /proc/self gives supervisord's CPU, RSS and fds.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
nv_need_bin "$NV_LISTENER_C"
port=$(nv_free_port)
nv_conf <<EOF
[inet_http_server]
port=127.0.0.1:$port

[program:a]
command=sleep 1000
startsecs=0

[program:off]
command=sleep 1000
autostart=false

[program:quote"d]
command=sleep 1000
startsecs=0

[eventlistener:pool]
command=$NV_LISTENER_C
events=PROCESS_STATE
EOF
nv_start
wait_proc_state a RUNNING
wait_proc_state pool RUNNING

"$NV_PYTHON" - "$port" <<'EOF' || fail "/metrics is wrong"
import re, sys, time, urllib.request, xmlrpc.client
port = int(sys.argv[1])
base = f"http://127.0.0.1:{port}"
px = xmlrpc.client.ServerProxy(base + "/RPC2")

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')

def parse(text):
    """{(name, frozenset(labels)): value}, and the family types."""
    types, out = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, typ = line.split(" ", 3)
            assert typ in ("counter", "gauge", "summary", "histogram",
                           "untyped"), line
            types[name] = typ
            continue
        if line.startswith("#") or not line:
            continue
        m = SAMPLE.match(line)
        assert m, f"bad line: {line!r}"
        name, labels = m.group(1), {}
        if m.group(3):
            rest = m.group(3)
            while rest:
                lm = LABEL.match(rest)
                assert lm, f"bad labels: {line!r}"
                labels[lm.group(1)] = re.sub(
                    r'\\(.)', lambda x: "\n" if x.group(1) == "n"
                    else x.group(1), lm.group(2))
                rest = rest[lm.end():]
        family = re.sub(r'_(sum|count)$', '', name)
        assert name in types or family in types, f"no # TYPE for {name}"
        out[(name, frozenset(labels.items()))] = float(m.group(4))
    return types, out

def get():
    with urllib.request.urlopen(base + "/metrics") as r:
        ctype = r.headers["Content-Type"]
        assert ctype.startswith("text/plain; version=0.0.4"), ctype
        return parse(r.read().decode("utf-8"))

def val(samples, metric, **labels):
    return samples[(metric, frozenset(labels.items()))]

# two more starts of a
for _ in range(2):
    px.supervisor.stopProcess("a")
    px.supervisor.startProcess("a")

# the listener has been sent and has answered some state events
deadline = time.time() + 10
while True:
    types, s = get()
    if val(s, "nanovisor_pool_events_delivered_total", pool="pool") >= 5:
        break
    assert time.time() < deadline, "the pool delivered nothing"
    time.sleep(0.1)

infos = px.supervisor.getAllProcessInfo()
for i in infos:
    st = [(k, v) for k, v in s.items()
          if k[0] == "nanovisor_process_state" and
          dict(k[1])["name"] == i["name"] and dict(k[1])["group"] == i["group"]]
    assert len(st) == 1, (i["name"], st)
    (k, v), = st
    assert dict(k[1])["state"] == i["statename"], (k, i)
    assert v == i["state"], (v, i)
print("states agree with getAllProcessInfo for", len(infos), "processes")
assert val(s, 'nanovisor_process_starts_total', group='a', name='a') == 3
assert val(s, 'nanovisor_process_starts_total', group='off', name='off') == 0
assert val(s, 'nanovisor_process_starts_total', group='quote"d',
           name='quote"d') == 1
assert val(s, 'nanovisor_process_uptime_seconds', group='off',
           name='off') == 0
d = val(s, "nanovisor_pool_events_delivered_total", pool="pool")
assert val(s, "nanovisor_pool_listener_latency_seconds_count",
           pool="pool") == d
assert val(s, "nanovisor_pool_listener_latency_seconds_sum", pool="pool") > 0
assert val(s, "nanovisor_pool_events_accepted_total", pool="pool") >= d
assert val(s, "nanovisor_pool_buffer_size", pool="pool") == 10
assert val(s, "nanovisor_pool_events_dropped_total", pool="pool") == 0
assert types["nanovisor_pool_listener_latency_seconds"] == "summary"
assert types["nanovisor_bus_published_total"] == "counter"
assert val(s, "nanovisor_bus_published_total") >= d
assert val(s, "nanovisor_bus_external_dropped_total") == 0
assert val(s, "process_open_fds") >= 5
assert val(s, "process_resident_memory_bytes") > 100000
assert val(s, "process_cpu_seconds_total") >= 0
print("ok:", len(s), "samples")
EOF
nv_stop
