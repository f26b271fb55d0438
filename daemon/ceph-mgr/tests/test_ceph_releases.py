"""diskprediction_local under each Debian Ceph release's REAL mgr framework (see ../releases/replay_mgr.py).

The releases are unpacked by ../releases/fetch.sh (CI runs it first) into $DISKPREDICT_CI_CACHE/ceph-mgr
(default /var/cache/diskpredict-ci); a release that is not there is skipped with the command that fetches it.
DISKPREDICT_MODULE_PARENT replays another copy of the module (the directory that holds diskprediction_local).
Each release runs in its own interpreter, because each has its own mgr_module.
"""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RELEASES = os.path.join(os.path.dirname(HERE), 'releases')
CACHE = os.path.join(os.environ.get('DISKPREDICT_CI_CACHE', '/var/cache/diskpredict-ci'), 'ceph-mgr')
MODULE_PARENT = os.environ.get('DISKPREDICT_MODULE_PARENT', os.path.dirname(HERE))


class CephReleaseFramework(unittest.TestCase):
    def replay(self, suite, release):
        root = os.path.join(CACHE, suite, 'root')
        if not os.path.isfile(os.path.join(root, '.unpacked')):
            self.skipTest('Ceph %s (Debian %s) mgr packages not unpacked in %s: run %s %s'
                          % (release, suite, CACHE, os.path.join(RELEASES, 'fetch.sh'), suite))
        run = subprocess.run([sys.executable, os.path.join(RELEASES, 'replay_mgr.py'), root, MODULE_PARENT],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=300,
                             env=dict(os.environ, PYTHONDONTWRITEBYTECODE='1'))
        self.assertEqual(run.returncode, 0, 'the replay itself failed:\n' + run.stderr[-4000:])
        report = json.loads(run.stdout)
        failed = [c for c in report['checks'] if not c['ok']]
        crashes = ['%s:\n%s' % (c['where'], c['traceback']) for c in report['crashes']]
        # one line per release for the CI log (the figures of the compatibility table)
        sys.stderr.write('\n  ceph %s (mgr_module as shipped, registry %s): %d/%d checks, %d crash report(s) '
                         % (report['version'], report['registry'], len(report['checks']) - len(failed),
                            len(report['checks']), report['crash_reports']))
        self.assertEqual(crashes, [], 'exceptions reached the mgr (a crash report each on 18.2+)')
        self.assertEqual(['%s: %s' % (c['name'], c['detail']) for c in failed], [])
        self.assertGreaterEqual(len(report['checks']), 20, 'the replay stopped early')

    def test_pacific_16_2_bookworm(self):
        self.replay('bookworm', '16.2')

    def test_reef_18_2_trixie(self):
        self.replay('trixie', '18.2')

    def test_tentacle_20_2_sid(self):
        self.replay('sid', '20.2')


if __name__ == '__main__':
    unittest.main()
