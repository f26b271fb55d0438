"""Talks to the diskpredict daemon over its Unix socket (NDJSON framing, docs/protocol.md).

Standard library only: the module runs inside ceph-mgr's embedded Python, where nothing else can be assumed.
Every call opens its own connection and is bounded by one deadline, so the mgr thread that asks is never held
longer than `timeout` seconds, whatever the daemon does.
"""
import errno
import itertools
import json
import socket
import time


class DaemonError(Exception):
    """Base of everything a daemon call can raise; `errno` is what a mgr command returns (negated)."""

    errno = errno.EIO


class DaemonUnreachable(DaemonError):
    """No daemon listens at the socket path (missing socket, refused, permission denied, reset)."""

    errno = errno.ECONNREFUSED


class DaemonTimeout(DaemonError):
    """The daemon did not answer completely within the deadline."""

    errno = errno.ETIMEDOUT


class DaemonProtocolError(DaemonError):
    """The reply is not what docs/protocol.md promises (not JSON, not a map, wrong id, missing fields)."""

    errno = errno.EPROTO


class DaemonRefused(DaemonError):
    """The daemon answered `ok: false`; `code` is its error code (BAD_MODEL, BAD_SAMPLES, ...)."""

    errno = errno.EINVAL

    def __init__(self, code, message):
        super(DaemonRefused, self).__init__('%s: %s' % (code, message))
        self.code = code

    @classmethod
    def from_error(cls, error):
        """From a reply's `error` map ({code, message}); a missing code reads UNKNOWN."""
        return cls(str(error.get('code', 'UNKNOWN')), str(error.get('message', '')))


# A reply line longer than this is refused rather than buffered without bound.
MAX_REPLY_BYTES = 64 * 1024 * 1024

_request_ids = itertools.count(1)


class DaemonClient(object):
    def __init__(self, socket_path, timeout):
        self.socket_path = socket_path
        self.timeout = float(timeout)

    def call(self, op, **arguments):
        """Send one request; the reply map when it says `ok: true`, else DaemonRefused or another DaemonError."""
        request_id = next(_request_ids)
        request = dict(arguments)
        request['id'] = request_id
        request['op'] = op
        line = (json.dumps(request, separators=(',', ':')) + '\n').encode('utf-8')
        deadline = time.monotonic() + self.timeout
        raw = self._exchange(line, deadline)
        return _decode_reply(raw, request_id)

    def _exchange(self, line, deadline):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            _set_remaining(sock, deadline)
            try:
                sock.connect(self.socket_path)
            except socket.timeout:
                raise DaemonTimeout('connecting to %s timed out' % self.socket_path)
            except OSError as e:
                raise DaemonUnreachable('cannot connect to %s: %s' % (self.socket_path, e.strerror or e))
            try:
                _set_remaining(sock, deadline)
                sock.sendall(line)
                return _read_line(sock, deadline)
            except socket.timeout:
                raise DaemonTimeout('no complete reply from %s within %gs' % (self.socket_path, self.timeout))
            except OSError as e:
                raise DaemonUnreachable('connection to %s failed: %s' % (self.socket_path, e.strerror or e))
        finally:
            sock.close()


def _set_remaining(sock, deadline):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise socket.timeout()
    sock.settimeout(remaining)


def _read_line(sock, deadline):
    chunks = []
    size = 0
    while True:
        _set_remaining(sock, deadline)
        chunk = sock.recv(65536)
        if not chunk:
            raise DaemonProtocolError('the daemon closed the connection without a complete reply')
        newline = chunk.find(b'\n')
        if newline >= 0:
            chunks.append(chunk[:newline])
            return b''.join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            raise DaemonProtocolError('reply longer than %d bytes' % MAX_REPLY_BYTES)


def _decode_reply(raw, request_id):
    try:
        reply = json.loads(raw.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as e:
        raise DaemonProtocolError('reply is not JSON: %s' % e)
    if not isinstance(reply, dict):
        raise DaemonProtocolError('reply is not a JSON object')
    if 'id' in reply and reply['id'] != request_id:
        raise DaemonProtocolError('reply id %r does not match request id %r' % (reply['id'], request_id))
    ok = reply.get('ok')
    if ok is True:
        return reply
    if ok is False:
        error = reply.get('error')
        if isinstance(error, dict):
            raise DaemonRefused.from_error(error)
        raise DaemonProtocolError('failure reply without an error object')
    raise DaemonProtocolError('reply has no boolean "ok"')
