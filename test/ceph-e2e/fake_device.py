#!/usr/bin/python3
"""Make disks appear in `ceph device ls` without disks: a librados service daemon whose metadata lists them.

ceph-mgr builds its device table from the `device_ids` metadata daemons report; a service daemon registered
through librados counts. The devices stay attached to SERVICE.NAME until this process gets SIGTERM/SIGINT.
Needs Debian's python3-rados, so run it with /usr/bin/python3.

Usage: fake_device.py CEPH_CONF SERVICE NAME DEVNAME=DEVID [DEVNAME=DEVID ...]
"""
import signal
import sys
import threading

import rados


def main():
    conf, service, name = sys.argv[1:4]
    pairs = sys.argv[4:]
    if not pairs:
        sys.exit(__doc__)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    cluster = rados.Rados(conffile=conf, name='client.admin')
    cluster.connect(timeout=30)
    try:
        cluster.service_daemon_register(service, name, {'device_ids': ','.join(pairs)})
        print('registered %s.%s with devices %s' % (service, name, ', '.join(pairs)), flush=True)
        stopping.wait()
    finally:
        cluster.shutdown()


if __name__ == '__main__':
    main()
