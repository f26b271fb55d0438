"""A Unix-socket peer that answers each NDJSON request with what a test scripts.

The real daemon never sends malformed replies, wrong statuses or stalls mid-line; this stand-in does, so the
module's handling of a broken or incompatible peer can be tested. `answer(request)` returns the raw bytes to
send (or None to send nothing and keep the connection open).
"""
import json
import os
import shutil
import socket
import tempfile
import threading


class ScriptedDaemon(object):
    def __init__(self, answer):
        self.answer = answer
        self.requests = []
        self.errors = []
        self.dir = tempfile.mkdtemp(prefix='diskpredict-scripted-')
        self.socket_path = os.path.join(self.dir, 's.sock')
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(self.socket_path)
        self._server.listen(8)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        data = b''
        try:
            while b'\n' not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            request = json.loads(data.split(b'\n', 1)[0].decode())
            self.requests.append(request)
            try:
                reply = self.answer(request)
            except Exception as e:  # a bug in the test's script: reported by close(), not hidden
                self.errors.append(repr(e))
                return
            if reply is None:
                self._stop.wait(30)
                return
            conn.sendall(reply)
        finally:
            conn.close()

    def close(self):
        """Stop; returns the errors the test's `answer` raised (an empty list when it never failed)."""
        self._stop.set()
        self._server.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.errors


def line(obj):
    return (json.dumps(obj) + '\n').encode()


def ok(request, **fields):
    reply = {'id': request.get('id'), 'ok': True}
    reply.update(fields)
    return line(reply)
