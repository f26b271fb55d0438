"""Exact commands per status and every kind of broken reply, against a scripted peer (see scripted_daemon)."""
import errno
import json
import time
import unittest

from harness import HEALTH_CHECK, make_module
from scripted_daemon import ScriptedDaemon, line, ok
import smart_histories

WINDOWS = {
    'Good': ('>6w', '2027-01-03', None),
    'Warning': ('>=2w and <=6w', '2026-12-06', '2027-01-03'),
    'Bad': ('<2w', '2026-11-22', '2026-12-04'),
    'Unknown': ('unknown', None, None),
}


def prediction(devid, verdict, **overrides):
    cli, low, high = WINDOWS[verdict]
    obj = {'devid': devid, 'status': verdict, 'cli': cli, 'life_expectancy_min': low, 'life_expectancy_max': high,
           'life_expectancy': None if low is None else {'from_s': 0, 'to_s': None},
           'p14': 0.5, 'p42': 0.75, 'model': {'name': 'scripted', 'version': '1'}, 'samples_used': 12,
           'samples_skipped': 0,
           'reasons': [{'feature': 'smart_5_raw', 'text': 'reallocated sectors grew', 'contribution': 1.5}]}
    if verdict == 'Unknown':
        obj['reason'] = 'no usable sample'
    obj.update(overrides)
    return obj


def batch_of(statuses, **overrides):
    """A peer that gives each device of a predict_batch the status named by its devid."""
    def answer(request):
        if request['op'] == 'health':
            return ok(request, version='0.1.0', uptime_s=1, model={'name': 'scripted', 'version': '1'})
        results = [dict(prediction(d['devid'], statuses[d['devid']], **overrides), ok=True)
                   for d in request['devices']]
        return ok(request, results=results)
    return answer


class ScriptedCase(unittest.TestCase):
    def start(self, answer, timeout=2.0, devices=()):
        peer = ScriptedDaemon(answer)
        self.addCleanup(lambda: self.assertEqual(peer.close(), [], 'the scripted peer itself failed'))
        module, cluster, devicehealth = make_module(socket_path=peer.socket_path, timeout=timeout)
        for devid in devices:
            cluster.add_device(devid)
            devicehealth.metrics[devid] = smart_histories.healthy(serial=devid)
        return peer, module, cluster


class EachStatusSendsTheExactCommand(ScriptedCase):
    def test_statuses(self):
        statuses = {'DEV_GOOD': 'Good', 'DEV_WARN': 'Warning', 'DEV_BAD': 'Bad', 'DEV_UNKNOWN': 'Unknown'}
        peer, module, cluster = self.start(batch_of(statuses), devices=sorted(statuses))
        rc, out, err = module.predict_all_devices()
        self.assertEqual((rc, err), (0, ''))
        self.assertEqual(cluster.mon_commands, [
            {'prefix': 'device set-life-expectancy', 'devid': 'DEV_BAD', 'from': '2026-11-22', 'to': '2026-12-04'},
            {'prefix': 'device set-life-expectancy', 'devid': 'DEV_GOOD', 'from': '2027-01-03'},
            {'prefix': 'device rm-life-expectancy', 'devid': 'DEV_UNKNOWN'},
            {'prefix': 'device set-life-expectancy', 'devid': 'DEV_WARN', 'from': '2026-12-06', 'to': '2027-01-03'},
        ])
        self.assertIn('DEV_BAD: Bad (<2w)', out)

    def test_one_round_trip_with_histories_unchanged_and_the_model(self):
        peer, module, cluster = self.start(batch_of({'A': 'Good', 'B': 'Good'}), devices=['A', 'B'])
        cluster.devices.append({'devid': 'NO_DAEMON', 'daemons': [], 'location': []})
        history = cluster.modules['devicehealth'].metrics['A']
        newest = history[max(history)]
        newest['ata_smart_attributes']['table'][0]['raw']['value'] = 2 ** 64 - 1   # beyond 2^53: must stay exact
        module.predict_all_devices()
        self.assertEqual([r['op'] for r in peer.requests], ['predict_batch'])
        sent = peer.requests[0]
        self.assertEqual(sent['model'], 'default')
        self.assertEqual([d['devid'] for d in sent['devices']], ['A', 'B'])
        expected = json.loads(cluster.modules['devicehealth'].show_device_metrics('A', '')[1])
        self.assertEqual(sent['devices'][0]['samples'], expected)
        self.assertEqual(sent['devices'][0]['samples'][max(history)], newest)
        self.assertIn('"value": 18446744073709551615', json.dumps(sent))

    def test_histories_beyond_the_batch_limit_go_in_several_batches(self):
        from diskprediction_local import module as module_file
        devids = ['D%d' % i for i in range(5)]
        peer, module, cluster = self.start(batch_of(dict((d, 'Warning') for d in devids)), devices=devids)
        one_history = len(json.dumps(cluster.modules['devicehealth'].metrics['D0']))
        saved = module_file.BATCH_BYTES
        module_file.BATCH_BYTES = 2 * one_history + 10
        try:
            rc, out, _ = module.predict_all_devices()
        finally:
            module_file.BATCH_BYTES = saved
        self.assertEqual(rc, 0)
        self.assertEqual([[d['devid'] for d in r['devices']] for r in peer.requests],
                         [['D0', 'D1'], ['D2', 'D3'], ['D4']])
        self.assertEqual([c['devid'] for c in cluster.mon_commands], devids)

    def test_predict_life_expectancy_strings(self):
        for status, (cli, _, _) in WINDOWS.items():
            peer, module, cluster = self.start(
                lambda request, s=status: ok(request, **prediction(request.get('devid'), s)), devices=['D1'])
            self.assertEqual(module.predict_life_expectancy('D1'), (0, cli, ''))
            self.assertEqual(cluster.mon_commands, [], 'predict_life_expectancy only answers')

    def test_failed_mon_command_is_reported_not_fatal(self):
        peer, module, cluster = self.start(batch_of({'A': 'Bad', 'B': 'Good'}), devices=['A', 'B'])
        cluster.mon_replies['device set-life-expectancy'] = (-errno.EINVAL, '', 'nope')
        rc, out, _ = module.predict_all_devices()
        self.assertEqual(rc, 0)
        self.assertIn('A: not updated', out)
        self.assertEqual(len(cluster.mon_commands), 2)


class RuleVerdicts(ScriptedCase):
    """The rule scorer gives no probabilities (p14/p42 null) and names the rule of each reason."""
    RULE_REASON = {'feature': 'scsi.grown_defects', 'contribution': 1, 'value': 56,
                   'text': 'grown defect list: 56 (rule: grown defect list \u2265 1 \u2192 Warning)',
                   'rule': 'grown defect list \u2265 1 \u2192 Warning'}

    def rule_prediction(self, devid):
        return prediction(devid, 'Warning', p14=None, p42=None, model={'name': 'rules', 'version': '2'},
                          reasons=[self.RULE_REASON])

    def test_recorded_and_explained_without_inventing_probabilities(self):
        def answer(request):
            if request['op'] == 'predict_batch':
                return ok(request, results=[dict(self.rule_prediction(d['devid']), ok=True)
                                            for d in request['devices']])
            return ok(request, **self.rule_prediction(request.get('devid')))
        peer, module, cluster = self.start(answer, devices=['SAS1'])
        rc, out, err = module.predict_all_devices()
        self.assertEqual((rc, err), (0, ''))
        self.assertEqual(cluster.mon_commands, [{'prefix': 'device set-life-expectancy', 'devid': 'SAS1',
                                                 'from': '2026-12-06', 'to': '2027-01-03'}])
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'SAS1'})
        self.assertEqual(rc, 0, err)
        self.assertIn('p14:              none (this model gives no probability)', out)
        self.assertIn('  rule    grown defect list: 56 (rule: grown defect list', out)
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'SAS1', 'format': 'json'})
        explained = json.loads(out)
        self.assertEqual((explained['p14'], explained['p42']), (None, None))
        self.assertEqual(explained['reasons'][0]['rule'], self.RULE_REASON['rule'])


class OverridesAreShown(ScriptedCase):
    FORCED = {'id': 'd5b74f2c', 'action': 'force', 'model': 'Samsung SSD 970 EVO 500GB', 'status': 'Good',
              'model_status': 'Warning', 'note': 'replacing in Q1',
              'text': 'status forced to Good by override d5b74f2c: replacing in Q1; the model said Warning'}

    def test_explain_lists_the_overrides_that_applied(self):
        forced = prediction('NVME1', 'Good', overrides=[self.FORCED], reason=self.FORCED['text'])
        peer, module, cluster = self.start(lambda request: ok(request, **forced), devices=['NVME1'])
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'NVME1'})
        self.assertEqual(rc, 0, err)
        self.assertIn('note:             status forced to Good by override d5b74f2c', out)
        self.assertTrue(out.endswith('overrides:\n  d5b74f2c  ' + self.FORCED['text']), out)
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'NVME1', 'format': 'json'})
        self.assertEqual(json.loads(out)['overrides'], [{'id': 'd5b74f2c', 'action': 'force', 'text': self.FORCED['text']}])

    def test_none_said_when_none_applied(self):
        plain = prediction('HDD1', 'Good')
        peer, module, cluster = self.start(lambda request: ok(request, **plain), devices=['HDD1'])
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'HDD1'})
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.endswith('overrides:        none'), out)


class MalformedReplies(ScriptedCase):
    def assert_rejected(self, answer, expected_errno=errno.EPROTO):
        peer, module, cluster = self.start(answer, devices=['D1'])
        rc, out, err = module.predict_life_expectancy('D1')
        self.assertEqual(rc, -expected_errno, err)
        self.assertIn('diskprediction_local', err)
        rc, out, err = module.predict_all_devices()
        # a broken envelope fails the pass; a broken entry leaves just that device out
        self.assertTrue(rc == -expected_errno or (rc == 0 and 'D1: not updated' in out), (rc, out, err))
        self.assertEqual(cluster.mon_commands, [], 'a broken reply must never change a life expectancy')
        return cluster

    def test_not_json(self):
        self.assert_rejected(lambda r: b'this is not json\n')

    def test_not_an_object(self):
        self.assert_rejected(lambda r: b'[1,2,3]\n')

    def test_no_ok_field(self):
        self.assert_rejected(lambda r: line({'id': r['id'], 'status': 'Good'}))

    def test_wrong_id(self):
        self.assert_rejected(lambda r: ok({'id': r['id'] + 1000}, **prediction('D1', 'Good')))

    def test_closed_without_newline(self):
        self.assert_rejected(lambda r: b'{"id": 1, "ok": tr')

    def test_unknown_status(self):
        self.assert_rejected(lambda r: ok(r, **prediction('D1', 'Good', status='Fine')) if r['op'] == 'predict'
                             else ok(r, results=[dict(prediction('D1', 'Good', status='Fine'), ok=True)]))

    def test_cli_does_not_match_status(self):
        self.assert_rejected(lambda r: ok(r, **prediction('D1', 'Bad', cli='>6w')) if r['op'] == 'predict'
                             else ok(r, results=[dict(prediction('D1', 'Bad', cli='>6w'), ok=True)]))

    def test_overrides_not_a_list_of_id_and_text(self):
        for broken in ('forced', [{'id': 'x'}], [{'text': 'no id'}]):
            self.assert_rejected(lambda r, b=broken: ok(r, **prediction('D1', 'Good', overrides=b)) if r['op'] == 'predict'
                                 else ok(r, results=[dict(prediction('D1', 'Good', overrides=b), ok=True)]))

    def test_bad_without_max_date_is_refused(self):
        peer, module, cluster = self.start(batch_of({'D1': 'Bad'}, life_expectancy_max=None), devices=['D1'])
        rc, out, _ = module.predict_all_devices()
        self.assertEqual(rc, 0)
        self.assertIn('D1: not updated', out)
        self.assertEqual(cluster.mon_commands, [])

    def test_bad_date(self):
        peer, module, cluster = self.start(batch_of({'D1': 'Warning'}, life_expectancy_max='2026-13-45'),
                                           devices=['D1'])
        module.predict_all_devices()
        self.assertEqual(cluster.mon_commands, [])

    def test_batch_with_wrong_number_of_results(self):
        self.assert_rejected(lambda r: ok(r, results=[]) if r['op'] == 'predict_batch'
                             else ok(r, **prediction('D1', 'Good', status='?')))

    def test_per_device_error_leaves_only_that_device_unchanged(self):
        def answer(request):
            return ok(request, results=[
                {'ok': False, 'devid': 'A', 'error': {'code': 'BAD_SAMPLES', 'message': 'bad timestamp key'}},
                dict(prediction('B', 'Warning'), ok=True)])
        peer, module, cluster = self.start(answer, devices=['A', 'B'])
        rc, out, _ = module.predict_all_devices()
        self.assertEqual(rc, 0)
        self.assertEqual([c['devid'] for c in cluster.mon_commands], ['B'])
        self.assertIn('A: not updated', out)

    def test_daemon_error_reply_is_a_refusal_not_an_outage(self):
        answer = lambda r: line({'id': r['id'], 'ok': False, 'error': {'code': 'BAD_MODEL', 'message': 'no x'}})
        peer, module, cluster = self.start(answer, devices=['D1'])
        rc, _, err = module.predict_life_expectancy('D1')
        self.assertEqual(rc, -errno.EINVAL)
        self.assertIn('BAD_MODEL', err)
        self.assertNotIn(HEALTH_CHECK, cluster.health_checks)

    def test_incompatible_peer_makes_can_run_false(self):
        answer = lambda r: line({'id': r['id'], 'ok': False, 'error': {'code': 'UNKNOWN_OP', 'message': 'health?'}})
        peer, module, cluster = self.start(answer)
        usable, why = module.can_run()
        self.assertFalse(usable)
        self.assertIn('incompatible', why)
        answer2 = lambda r: ok(r, uptime_s=1)
        peer2, module2, cluster2 = self.start(answer2)
        self.assertFalse(module2.can_run()[0])
        self.assertIn(HEALTH_CHECK, cluster2.health_checks)


class Timeout(ScriptedCase):
    def test_a_stalled_peer_costs_at_most_the_timeout(self):
        peer, module, cluster = self.start(lambda r: None, timeout=0.5, devices=['D1'])
        started = time.monotonic()
        rc, _, err = module.predict_life_expectancy('D1')
        elapsed = time.monotonic() - started
        self.assertEqual(rc, -errno.ETIMEDOUT, err)
        self.assertLess(elapsed, 1.5)
        self.assertIn(HEALTH_CHECK, cluster.health_checks)
        self.assertEqual(module.can_run()[0], False)

    def test_a_trickling_peer_is_cut_at_the_deadline(self):
        def answer(request):
            time.sleep(1.5)
            return ok(request, **prediction('D1', 'Good'))
        peer, module, cluster = self.start(answer, timeout=0.5, devices=['D1'])
        started = time.monotonic()
        rc, _, _ = module.predict_life_expectancy('D1')
        self.assertEqual(rc, -errno.ETIMEDOUT)
        self.assertLess(time.monotonic() - started, 1.2)


if __name__ == '__main__':
    unittest.main()
