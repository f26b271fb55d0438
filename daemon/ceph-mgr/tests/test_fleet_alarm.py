"""DISKPREDICT_FLEET_ALARM and the familiarity counts, against a scripted peer that answers like the daemon
(docs/protocol.md "Fleet alarm"), including passes sent in several batches and the daemon check beside it."""
import json
import unittest

from harness import HEALTH_CHECK
from scripted_daemon import ok
from test_scripted_replies import ScriptedCase, prediction

from diskprediction_local.module import FLEET_ALARM_CHECK, LAST_PASS_SUMMARY_KEY


def fleet_peer(drives, familiarity='model', with_tally=True):
    """A peer answering each device by `drives[devid] = (status, drive model)` and tallying each batch as the
    daemon does (every model, most Bad first)."""
    def answer(request):
        if request['op'] != 'predict_batch':  # health, info
            return ok(request, version='0.1.0', uptime_s=1, model={'name': 'scripted', 'version': '1'},
                      models=[], default_model='default')
        results, models = [], {}
        for d in request['devices']:
            status, model = drives[d['devid']]
            results.append(dict(prediction(d['devid'], status, familiarity=familiarity), ok=True))
            counts = models.setdefault(model, [0, 0])
            counts[0] += status == 'Bad'
            counts[1] += 1
        reply = {'results': results}
        if with_tally:
            reply['fleet'] = {'devices': len(results), 'bad': sum(c[0] for c in models.values()),
                              'models': [{'model': m, 'bad': c[0], 'total': c[1]}
                                         for m, c in sorted(models.items(), key=lambda x: (-x[1][0], x[0]))]}
        return ok(request, **reply)
    return answer


def fleet(n_bad_a, n_a, n_bad_b=0, n_b=0):
    drives = {}
    for i in range(n_a):
        drives['A%02d' % i] = ('Bad' if i < n_bad_a else 'Good', 'ST12000NM0008')
    for i in range(n_b):
        drives['B%02d' % i] = ('Bad' if i < n_bad_b else 'Good', 'TOSHIBA MG07ACA14TA')
    return drives


class FleetAlarm(ScriptedCase):
    def run_pass(self, drives, batch_devices=None, **peer_options):
        from diskprediction_local import module as module_file
        peer, module, cluster = self.start(fleet_peer(drives, **peer_options), devices=sorted(drives))
        saved = module_file.BATCH_BYTES
        if batch_devices:
            one_history = len(json.dumps(cluster.modules['devicehealth'].metrics[sorted(drives)[0]]))
            module_file.BATCH_BYTES = batch_devices * one_history + 10
        try:
            rc, out, err = module.predict_all_devices()
        finally:
            module_file.BATCH_BYTES = saved
        self.assertEqual((rc, err), (0, ''))
        return peer, module, cluster, out

    def test_raised_over_several_batches_naming_the_models_and_every_verdict_still_recorded(self):
        drives = fleet(4, 16, 1, 8)                      # 5 of 24 Bad: 20.8 %
        peer, module, cluster, out = self.run_pass(drives, batch_devices=5)
        self.assertEqual(len(peer.requests), 5, 'the pass went in several batches')
        self.assertEqual(len(cluster.mon_commands), 24)
        self.assertEqual(sum(1 for c in cluster.mon_commands if c.get('to') == '2026-12-04'), 5)
        check = cluster.health_checks[FLEET_ALARM_CHECK]
        self.assertEqual(check['severity'], 'warning')
        self.assertEqual(check['count'], 5)
        self.assertEqual(check['summary'], '5 of 24 devices (20.8%) predicted to fail at once, likely a model '
                                           'mismatch: ST12000NM0008, TOSHIBA MG07ACA14TA')
        self.assertEqual(check['detail'][:2], ['ST12000NM0008: 4 of 16 Bad', 'TOSHIBA MG07ACA14TA: 1 of 8 Bad'])
        self.assertIn('more likely a prediction model that does not fit these drive models', check['detail'][2])
        self.assertIn('per-device life expectancies are still recorded', check['detail'][3])
        self.assertNotIn(HEALTH_CHECK, cluster.health_checks)

    def test_not_raised_below_the_budget_and_cleared_by_the_next_clean_pass(self):
        peer, module, cluster, out = self.run_pass(fleet(2, 20))          # 2 Bad: fewer than 3
        self.assertEqual(cluster.health_checks, {})
        peer, module, cluster, out = self.run_pass(fleet(3, 40, 0, 21))   # 3 of 61: 4.9 %
        self.assertEqual(cluster.health_checks, {})
        # raised, then the drives are Good again: the next pass clears it
        drives = fleet(3, 20)
        peer, module, cluster, out = self.run_pass(drives)
        self.assertIn(FLEET_ALARM_CHECK, cluster.health_checks)
        for devid in drives:
            drives[devid] = ('Good', drives[devid][1])
        module.predict_all_devices()
        self.assertEqual(cluster.health_checks, {})

    def test_share_and_minimum_are_options(self):
        peer, module, cluster = self.start(fleet_peer(fleet(3, 20)), devices=sorted(fleet(3, 20)))
        cluster.module_options['fleet_alarm_share'] = '0.2'
        module.config_notify()
        module.predict_all_devices()
        self.assertEqual(cluster.health_checks, {}, '3 of 20 is not above 20 %')
        cluster.module_options['fleet_alarm_share'] = '0.1'
        cluster.module_options['fleet_alarm_min_devices'] = '4'
        module.config_notify()
        module.predict_all_devices()
        self.assertEqual(cluster.health_checks, {}, '3 Bad is below the minimum of 4')
        cluster.module_options['fleet_alarm_min_devices'] = '3'
        module.config_notify()
        module.predict_all_devices()
        self.assertIn(FLEET_ALARM_CHECK, cluster.health_checks)

    def test_options_are_clamped_like_the_others(self):
        peer, module, cluster = self.start(fleet_peer({}))
        self.assertEqual((module.fleet_alarm_share, module.fleet_alarm_min_devices), (0.05, 3))
        cluster.module_options['fleet_alarm_share'] = '5'
        cluster.module_options['fleet_alarm_min_devices'] = '0'
        module.config_notify()
        self.assertEqual((module.fleet_alarm_share, module.fleet_alarm_min_devices), (1.0, 1))
        cluster.module_options['fleet_alarm_share'] = 'lots'
        module.config_notify()
        self.assertEqual(module.fleet_alarm_share, 0.05)
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict status'})
        warnings = json.loads(out)['option_warnings']
        self.assertEqual(warnings['mgr/diskprediction_local/fleet_alarm_share'],
                         "'lots' is not a number; using the default 0.05")
        self.assertEqual(warnings['mgr/diskprediction_local/fleet_alarm_min_devices'],
                         '0 is outside [1, 1000000]; using 1')

    def test_lives_beside_the_daemon_check_without_either_removing_the_other(self):
        drives = fleet(5, 20)
        peer, module, cluster, out = self.run_pass(drives)
        self.assertEqual(sorted(cluster.health_checks), [FLEET_ALARM_CHECK])
        module._record_daemon_problem(OSError('connection refused'))
        self.assertEqual(sorted(cluster.health_checks), [HEALTH_CHECK, FLEET_ALARM_CHECK])
        module._record_daemon_problem(None)
        self.assertEqual(sorted(cluster.health_checks), [FLEET_ALARM_CHECK])
        # not our mode any more: we make no predictions, so neither check is ours to keep
        cluster.ceph_options['device_failure_prediction_mode'] = 'none'
        module._clear_health_check()
        self.assertEqual(cluster.health_checks, {})

    def test_an_incomplete_pass_leaves_the_alarm_as_it_was(self):
        drives = fleet(5, 20)
        peer, module, cluster, out = self.run_pass(drives)
        self.assertIn(FLEET_ALARM_CHECK, cluster.health_checks)
        peer.answer = lambda request: b'not json\n' if request['op'] == 'predict_batch' else None
        rc, out, err = module.predict_all_devices()
        self.assertNotEqual(rc, 0)
        self.assertIn(FLEET_ALARM_CHECK, cluster.health_checks)

    def test_a_daemon_without_tallies_raises_nothing(self):
        peer, module, cluster, out = self.run_pass(fleet(10, 20), with_tally=False)
        self.assertEqual(cluster.health_checks, {})
        summary = json.loads(cluster.store[LAST_PASS_SUMMARY_KEY])
        self.assertEqual((summary['fleet'], summary['fleet_alarm']), (None, None))


class ManyModels(ScriptedCase):
    def test_the_detail_names_the_twenty_models_with_most_bad_devices(self):
        drives = {}
        for i in range(30):
            for j in range(2):
                drives['M%02d_%d' % (i, j)] = ('Bad' if j < 1 + (i < 5) else 'Good', 'MODEL%02d' % i)
        peer, module, cluster = self.start(fleet_peer(drives), devices=sorted(drives))
        module.predict_all_devices()
        detail = cluster.health_checks[FLEET_ALARM_CHECK]['detail']
        self.assertEqual(detail[:6], ['MODEL00: 2 of 2 Bad', 'MODEL01: 2 of 2 Bad', 'MODEL02: 2 of 2 Bad',
                                      'MODEL03: 2 of 2 Bad', 'MODEL04: 2 of 2 Bad', 'MODEL05: 1 of 2 Bad'])
        self.assertEqual(detail[20], 'and 10 more drive models')
        self.assertTrue(cluster.health_checks[FLEET_ALARM_CHECK]['summary'].endswith(
            'MODEL00, MODEL01, MODEL02, MODEL03, MODEL04, ...'))


class StatusShowsThePass(ScriptedCase):
    def test_devices_by_familiarity_and_the_alarm(self):
        drives = fleet(4, 16, 1, 8)
        peer, module, cluster = self.start(fleet_peer(drives, familiarity='vendor'), devices=sorted(drives))
        self.assertEqual(module.predict_all_devices()[0], 0)
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict status'})
        self.assertEqual(rc, 0, err)
        status = json.loads(out)
        self.assertEqual(status['devices_by_familiarity'],
                         {'model': 0, 'family': 0, 'vendor': 24, 'none': 0, 'unknown': 0})
        self.assertEqual(status['fleet_alarm']['bad_devices'], 5)
        self.assertEqual(status['fleet_alarm']['models'][0], {'model': 'ST12000NM0008', 'bad': 4, 'total': 16})
        self.assertEqual((status['fleet_alarm_share'], status['fleet_alarm_min_devices']), (0.05, 3))

    def test_explain_says_what_the_model_was_trained_on(self):
        answer = lambda request: ok(request, **prediction('D1', 'Bad', familiarity='none'))
        peer, module, cluster = self.start(answer, devices=['D1'])
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'D1'})
        self.assertEqual(rc, 0, err)
        self.assertIn('trained on:       no drive of this vendor (the verdict is an extrapolation)', out)
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'D1', 'format': 'json'})
        self.assertEqual(json.loads(out)['familiarity'], 'none')


if __name__ == '__main__':
    unittest.main()
