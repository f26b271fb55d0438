"""Runs the project's real daemon (`node dist/lib/cli/main.js daemon`) in a temp dir for the tests.

Needs the TypeScript build (`npm run build:ts`, which `npm test` runs first). Only the PID started here is
ever signalled.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

PROJECT_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
CLI = os.path.join(PROJECT_ROOT, 'dist', 'lib', 'cli', 'main.js')
# Ceph's old model files live beside the project (../shared), never in it; without them prophetstor/redhat
# cannot load and the tests that need them skip.
CEPH_MODELS = os.path.join(os.environ.get('DISKPREDICT_SHARED', os.path.join(PROJECT_ROOT, '..', 'shared')),
                           'data', 'ceph-models')
HAS_CEPH_MODELS = os.path.isdir(os.path.join(CEPH_MODELS, 'prophetstor'))


class RealDaemon(object):
    """The daemon with the rule scorer as its default model: its verdicts on generated histories are fixed by
    its rules, not by whichever trained model the checkout holds."""

    def __init__(self):
        if not os.path.exists(CLI):
            raise RuntimeError('%s is missing: build the daemon first (npm run build:ts)' % CLI)
        self.dir = tempfile.mkdtemp(prefix='diskpredict-pytest-')
        self.socket_path = os.path.join(self.dir, 'diskpredict.sock')
        self.db_path = os.path.join(self.dir, 'store.db')
        self.log_path = os.path.join(self.dir, 'daemon.log')
        self.process = None

    def start(self, ready_within=60.0):
        log = open(self.log_path, 'ab')
        command = [os.environ.get('NODE', 'node'), CLI, 'daemon', '--socket', self.socket_path,
                   '--db', self.db_path, '--model', 'rules']
        if HAS_CEPH_MODELS:
            command += ['--ceph-models', CEPH_MODELS]
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = 'daemon exited with %s: %s' % (self.process.returncode, self.log_tail())
                self.cleanup()
                raise RuntimeError(message)
            if self._answers_health():
                return self
            time.sleep(0.1)
        message = 'daemon did not answer within %gs: %s' % (ready_within, self.log_tail())
        self.cleanup()
        raise RuntimeError(message)

    def _answers_health(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(2)
            sock.connect(self.socket_path)
            sock.sendall(b'{"op":"health"}\n')
            data = b''
            while not data.endswith(b'\n'):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
            return json.loads(data.decode()).get('ok') is True
        except (OSError, ValueError):
            return False
        finally:
            sock.close()

    def pause(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, 'rb') as f:
                return b'\n'.join(f.read().splitlines()[-lines:]).decode('utf-8', 'replace')
        except OSError:
            return ''
