# unixrpc.py: an xmlrpc.client proxy over supervisord's unix socket, for
# the scenarios' Python helpers (lib.sh puts this folder on PYTHONPATH).
#
#   s = unixrpc.proxy(path, timeout=10)
#   s.supervisor.getState()
#
# Unlike supervisor.xmlrpc.SupervisorTransport it needs nothing from the
# supervisor package, and every call has a timeout.
import http.client
import socket
import xmlrpc.client


class _Conn(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


class _Transport(xmlrpc.client.Transport):
    def __init__(self, path, timeout):
        super().__init__()
        self._path = path
        self._timeout = timeout

    def make_connection(self, host):
        return _Conn(self._path, self._timeout)


def proxy(path, timeout=10):
    return xmlrpc.client.ServerProxy("http://localhost/RPC2",
                                     transport=_Transport(path, timeout))
