"""The module against the real daemon with an overrides file (docs/overrides.md): the verdict Ceph records is the
one the overrides give, and `explain` shows them. The daemon finds the file at its default place, beside its
database."""
import json
import os
import unittest

from harness import make_module
from real_daemon import RealDaemon
import smart_histories

daemon = None
NOTE = 'drive pulled for RMA on Friday'


def setUpModule():
    global daemon
    daemon = RealDaemon()
    # FAILING1 is Bad by the rules; the operator forces Good on it and ignores nothing else.
    with open(os.path.join(daemon.dir, 'overrides.json'), 'w') as f:
        json.dump({'overrides': [
            {'id': 'rma', 'device': 'FAILING1', 'forceStatus': 'Good', 'note': NOTE, 'expires': '2099-01-01'},
            {'id': 'gone', 'device': 'HEALTHY1', 'forceStatus': 'Bad', 'note': 'expired', 'expires': '2020-01-01'},
        ]}, f)
    daemon.start()


def tearDownModule():
    daemon.cleanup()


class OverridesThroughTheMgr(unittest.TestCase):
    def test_recorded_verdicts_and_explain_follow_the_overrides(self):
        module, cluster, devicehealth = make_module(socket_path=daemon.socket_path, timeout=5, predictor_model='rules')
        for devid, history in (('HEALTHY1', smart_histories.healthy()), ('FAILING1', smart_histories.failing())):
            cluster.add_device(devid)
            devicehealth.metrics[devid] = history
        rc, out, err = module.predict_all_devices()
        self.assertEqual(rc, 0, err)
        by_devid = dict((c['devid'], c) for c in cluster.mon_commands)
        # forced Good: an open-ended life expectancy, as for any Good; the expired override changes nothing
        self.assertEqual(by_devid['FAILING1']['prefix'], 'device set-life-expectancy')
        self.assertNotIn('to', by_devid['FAILING1'])
        self.assertNotIn('to', by_devid['HEALTHY1'])
        self.assertEqual(module.predict_life_expectancy('FAILING1'), (0, '>6w', ''))
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'FAILING1'})
        self.assertEqual(rc, 0, err)
        self.assertIn('status:           Good (>6w)', out)
        self.assertIn('overrides:\n  rma  status forced to Good by override rma until 2099-01-01: %s; the model said Bad' % NOTE, out)
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'HEALTHY1'})
        self.assertTrue(out.endswith('overrides:        none'), out)


if __name__ == '__main__':
    unittest.main()
