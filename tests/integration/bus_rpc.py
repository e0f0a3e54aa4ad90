# bus_rpc.py SOCKET WHAT [ARGS]: the nanovisor.* calls the bus scenarios
# make, through xmlrpc.client over supervisord's unix socket.
#   serial          print the bus's last serial
#   dropped         print how many messages the external endpoint dropped
#   subscribers     print how many subscribers it has connected
#   endpoint        print the endpoint bound now ("" for none)
#   one [TYPE]      fire one drill event, print its serial
#   burst N         fire N REMOTE_COMMUNICATION drills (multicalls of
#                   1000, 200 bytes of data each), print the last serial
#   lost SERIAL     print how many events after SERIAL the ring lost
#   fire TYPE JSON  fire TYPE with the fields in JSON, print the serial
import json
import sys
import xmlrpc.client

from supervisor.xmlrpc import SupervisorTransport

t = SupervisorTransport(None, None, 'unix://' + sys.argv[1])
s = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=t)
what = sys.argv[2]
if what == 'serial':
    print(s.nanovisor.getBusInfo()['serial'])
elif what == 'dropped':
    print(s.nanovisor.getBusInfo()['external_dropped'])
elif what == 'subscribers':
    print(s.nanovisor.getBusInfo()['external_subscribers'])
elif what == 'endpoint':
    print(s.nanovisor.getBusInfo()['endpoint'])
elif what == 'one':
    print(s.nanovisor.fireEvent('REMOTE_COMMUNICATION', {'type': 'hello'}))
elif what == 'burst':
    n = int(sys.argv[3])
    call = {'methodName': 'nanovisor.fireEvent',
            'params': ['REMOTE_COMMUNICATION',
                       {'type': 'burst', 'data': 'x' * 200}]}
    last = 0
    for i in range(0, n, 1000):
        r = s.system.multicall([call] * min(1000, n - i))
        for x in r:
            if isinstance(x, dict):
                raise SystemExit('fault: %r' % x)
        last = r[-1]
    print(last)
elif what == 'lost':
    print(s.nanovisor.getEvents(int(sys.argv[3]), 1)['lost'])
elif what == 'fire':
    print(s.nanovisor.fireEvent(sys.argv[3], json.loads(sys.argv[4])))
else:
    raise SystemExit('bus_rpc.py: unknown request ' + what)
