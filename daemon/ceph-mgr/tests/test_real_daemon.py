"""The module against the project's real daemon process: health, predictions, outages, stalls, options."""
import errno
import json
import threading
import time
import unittest

from harness import HEALTH_CHECK, make_module
from real_daemon import CEPH_MODELS, HAS_CEPH_MODELS, RealDaemon
import smart_histories
from diskprediction_local.verdict import CLI_BY_STATUS

daemon = None


def setUpModule():
    global daemon
    daemon = RealDaemon().start()


def tearDownModule():
    daemon.cleanup()


class WithRealDaemon(unittest.TestCase):
    def module(self, **options):
        options.setdefault('socket_path', daemon.socket_path)
        options.setdefault('timeout', 5)
        options.setdefault('predictor_model', 'rules')
        module, cluster, devicehealth = make_module(**options)
        for devid, history in (('HEALTHY1', smart_histories.healthy()),
                               ('FAILING1', smart_histories.failing()),
                               ('NOSMART1', smart_histories.without_smart())):
            cluster.add_device(devid)
            devicehealth.metrics[devid] = history
        return module, cluster


class Health(WithRealDaemon):
    def test_can_run_and_no_health_check(self):
        module, cluster = self.module()
        self.assertEqual(module.can_run(), (True, ''))
        self.assertEqual(cluster.health_checks, {})

    def test_status_reports_daemon_and_models(self):
        module, cluster = self.module()
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict status'})
        self.assertEqual(rc, 0, err)
        status = json.loads(out)
        self.assertTrue(status['daemon']['reachable'])
        self.assertIsInstance(status['daemon']['model']['name'], str)
        self.assertIsInstance(status['models'], list)
        self.assertGreater(len(status['models']), 0)
        self.assertEqual(status['socket_path'], daemon.socket_path)


class Predictions(WithRealDaemon):
    def test_every_device_gets_the_command_its_verdict_implies(self):
        module, cluster = self.module()
        rc, out, err = module.predict_all_devices()
        self.assertEqual(rc, 0, err)
        by_devid = dict((c['devid'], c) for c in cluster.mon_commands)
        self.assertEqual(sorted(by_devid), ['FAILING1', 'HEALTHY1', 'NOSMART1'], out)
        # no SMART data at all: the daemon says Unknown, and a stale life expectancy is removed
        self.assertEqual(by_devid['NOSMART1'], {'prefix': 'device rm-life-expectancy', 'devid': 'NOSMART1'})
        for devid in ('HEALTHY1', 'FAILING1'):
            rc, cli, _ = module.predict_life_expectancy(devid)
            self.assertEqual(rc, 0)
            status = [s for s, c in CLI_BY_STATUS.items() if c == cli][0]
            command = by_devid[devid]
            if status == 'Unknown':
                self.assertEqual(command['prefix'], 'device rm-life-expectancy')
                continue
            self.assertEqual(command['prefix'], 'device set-life-expectancy')
            self.assertRegex(command['from'], r'^\d{4}-\d{2}-\d{2}$')
            self.assertEqual('to' in command, status != 'Good', (devid, status, command))

    def test_rule_scorer_verdicts_on_generated_histories(self):
        module, cluster = self.module()
        self.assertEqual(module.predict_life_expectancy('HEALTHY1'), (0, '>6w', ''))
        self.assertEqual(module.predict_life_expectancy('FAILING1'), (0, '<2w', ''))
        self.assertEqual(module.predict_life_expectancy('NOSMART1'), (0, 'unknown', ''))

    def test_unknown_device_is_enoent(self):
        module, cluster = self.module()
        rc, _, err = module.predict_life_expectancy('NOT_A_DEVICE')
        self.assertEqual(rc, -errno.ENOENT)
        self.assertIn('not found', err)

    def test_explain(self):
        module, cluster = self.module()
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'FAILING1'})
        self.assertEqual(rc, 0, err)
        self.assertIn('status:', out)
        self.assertIn('p14:', out)
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict explain', 'devid': 'FAILING1',
                                                  'format': 'json'})
        explained = json.loads(out)
        self.assertEqual(explained['devid'], 'FAILING1')
        self.assertIn(explained['status'], CLI_BY_STATUS)
        self.assertIsInstance(explained['reasons'], list)


class Options(WithRealDaemon):
    def test_defaults(self):
        module, cluster, _ = make_module(socket_path=daemon.socket_path)
        self.assertEqual((module.sleep_interval, module.predict_interval, module.predictor_model),
                         (600, 86400, 'default'))

    def test_values_are_read_non_numbers_fall_back_and_out_of_range_ones_clamp(self):
        module, cluster = self.module(sleep_interval='30', predict_interval='3600', timeout='abc')
        self.assertEqual((module.sleep_interval, module.predict_interval, module.timeout), (30, 3600, 10.0))
        cluster.module_options['timeout'] = '2.5'
        module.config_notify()
        self.assertEqual(module.timeout, 2.5)
        self.assertEqual(module._client().timeout, 2.5)
        cluster.module_options['timeout'] = '-1'
        module.config_notify()
        self.assertEqual(module.timeout, 0.1)
        # 30 s while testing: the nearest bound, said in the log and in `ceph diskpredict status`
        cluster.module_options['predict_interval'] = '30'
        with self.assertLogs(module.log, 'WARNING') as logged:
            module.config_notify()
        self.assertEqual(module.predict_interval, 60)
        self.assertTrue(any('predict_interval: 30 is outside [60, 31536000]; using 60' in line
                            for line in logged.output), logged.output)
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict status'})
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)['option_warnings'], {
            'mgr/diskprediction_local/predict_interval': '30 is outside [60, 31536000]; using 60',
            'mgr/diskprediction_local/timeout': '-1.0 is outside [0.1, 600.0]; using 0.1'})
        cluster.module_options['predict_interval'] = str(86400 * 400)
        cluster.module_options['timeout'] = '5'
        module.config_notify()
        self.assertEqual((module.predict_interval, module.timeout), (86400 * 365, 5.0))
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict status'})
        self.assertEqual(list(json.loads(out)['option_warnings']), ['mgr/diskprediction_local/predict_interval'])

    def test_config_notify_leaves_the_framework_logging_options_alone(self):
        module, cluster = self.module()
        # what 16.2-20.2's _register_options append to MODULE_OPTIONS, and the state they keep on the instance
        module.MODULE_OPTIONS = module.MODULE_OPTIONS + [
            {'name': 'log_to_file', 'default': False, 'type': 'bool'},
            {'name': 'log_level', 'default': '', 'type': 'str'}]
        module.log_to_file = False
        cluster.module_options['log_level'] = 'debug'
        module.config_notify()
        self.assertIs(module.log_to_file, False)
        self.assertFalse(hasattr(module, 'log_level'))

    def test_predictor_model_is_sent_and_refusal_reported(self):
        module, cluster = self.module(predictor_model='no-such-model')
        rc, _, err = module.predict_life_expectancy('HEALTHY1')
        self.assertEqual(rc, -errno.EINVAL)
        self.assertIn('BAD_MODEL', err)
        self.assertEqual(cluster.health_checks, {}, 'a refusal is not an outage')

    @unittest.skipUnless(HAS_CEPH_MODELS, 'needs Ceph\'s model files in %s (shared data beside the project)'
                         % CEPH_MODELS)
    def test_ceph_models_are_selectable(self):
        module, cluster = self.module(predictor_model='prophetstor')
        rc, cli, err = module.predict_life_expectancy('HEALTHY1')
        self.assertEqual(rc, 0, err)
        self.assertIn(cli, CLI_BY_STATUS.values())

    def test_socket_path_change_takes_effect(self):
        module, cluster = self.module()
        cluster.module_options['socket_path'] = daemon.socket_path + '.missing'
        module.config_notify()
        usable, why = module.can_run()
        self.assertFalse(usable)
        self.assertIn('.missing', why)
        cluster.module_options['socket_path'] = daemon.socket_path
        module.config_notify()
        self.assertEqual(module.can_run(), (True, ''))
        self.assertEqual(cluster.health_checks, {})


class Outages(WithRealDaemon):
    def test_stalled_daemon_times_out_and_raises_the_health_check(self):
        module, cluster = self.module(timeout='0.5')
        daemon.pause()
        try:
            started = time.monotonic()
            rc, _, err = module.predict_life_expectancy('HEALTHY1')
            elapsed = time.monotonic() - started
            self.assertEqual(rc, -errno.ETIMEDOUT, err)
            self.assertLess(elapsed, 1.5)
            self.assertIn(HEALTH_CHECK, cluster.health_checks)
            self.assertFalse(module.can_run()[0])
        finally:
            daemon.resume()
        self.assertEqual(module.can_run(), (True, ''))
        self.assertEqual(cluster.health_checks, {})

    def test_daemon_down_then_back(self):
        module, cluster = self.module()
        self.assertEqual(module.can_run(), (True, ''))
        daemon.stop()
        try:
            usable, why = module.can_run()
            self.assertFalse(usable)
            self.assertIn(daemon.socket_path, why)
            check = cluster.health_checks[HEALTH_CHECK]
            self.assertEqual(check['severity'], 'warning')
            rc, _, _ = module.predict_all_devices()
            self.assertEqual(rc, -errno.ECONNREFUSED)
            self.assertEqual(cluster.mon_commands, [], 'no life expectancy changes while the daemon is down')
            rc, out, _ = module.handle_command('', {'prefix': 'diskpredict status'})
            self.assertNotEqual(rc, 0)
            self.assertFalse(json.loads(out)['daemon']['reachable'])
        finally:
            daemon.start()
        self.assertEqual(module.can_run(), (True, ''))
        self.assertEqual(cluster.health_checks, {})
        self.assertEqual(cluster.health_check_history[-1], {})


class ServeLoop(WithRealDaemon):
    def run_serve(self, module):
        thread = threading.Thread(target=module.serve, daemon=True)
        thread.start()

        def stop():
            module.shutdown()
            thread.join(10)
            self.assertFalse(thread.is_alive(), 'serve() must return after shutdown()')
        self.addCleanup(stop)

    def wait_until(self, condition, limit=15.0):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.05)
        return False

    def test_first_pass_runs_at_start_and_is_remembered(self):
        module, cluster = self.module(sleep_interval='1')
        self.run_serve(module)
        self.assertTrue(self.wait_until(lambda: len(cluster.mon_commands) == 3), cluster.mon_commands)
        self.assertRegex(cluster.store.get('last_predicted', ''), r'^\d{8}-\d{6}$')
        time.sleep(1.5)
        self.assertEqual(len(cluster.mon_commands), 3, 'the next pass waits for predict_interval')

    def test_acts_only_in_local_mode(self):
        module, cluster = self.module(sleep_interval='1', socket_path='/nonexistent/diskpredict.sock')
        cluster.ceph_options['device_failure_prediction_mode'] = 'none'
        self.run_serve(module)
        time.sleep(1.5)
        self.assertEqual(cluster.mon_commands, [])
        self.assertEqual(cluster.health_checks, {}, 'no daemon is needed outside local mode')
        cluster.ceph_options['device_failure_prediction_mode'] = 'local'
        module.config_notify()
        self.assertTrue(self.wait_until(lambda: HEALTH_CHECK in cluster.health_checks))
        cluster.ceph_options['device_failure_prediction_mode'] = 'none'
        module.config_notify()
        self.assertTrue(self.wait_until(lambda: cluster.health_checks == {}))


class FleetAlarm(WithRealDaemon):
    """A pass in which too many devices are Bad raises DISKPREDICT_FLEET_ALARM from the real daemon's tallies,
    in several predict_batch requests as on a real cluster; a pass below the budget raises nothing."""

    def fleet_module(self, failing, healthy, batch_devices=6):
        from diskprediction_local import module as module_file
        module, cluster, devicehealth = make_module(socket_path=daemon.socket_path, timeout=5, predictor_model='rules')
        for i in range(failing):
            devid = 'FLEETBAD%02d' % i
            cluster.add_device(devid)
            devicehealth.metrics[devid] = smart_histories.failing(serial=devid)
        for i in range(healthy):
            devid = 'FLEETOK%02d' % i
            cluster.add_device(devid)
            devicehealth.metrics[devid] = smart_histories.healthy(serial=devid)
        saved = module_file.BATCH_BYTES
        module_file.BATCH_BYTES = batch_devices * len(json.dumps(smart_histories.failing())) + 10
        self.addCleanup(setattr, module_file, 'BATCH_BYTES', saved)
        return module, cluster

    def test_raised_when_too_many_are_bad_and_every_verdict_recorded(self):
        module, cluster = self.fleet_module(failing=4, healthy=20)
        rc, out, err = module.predict_all_devices()
        self.assertEqual((rc, err), (0, ''))
        by_devid = dict((c['devid'], c) for c in cluster.mon_commands)
        self.assertEqual(len(by_devid), 24)
        for devid, command in by_devid.items():
            # Bad: a window ending within two weeks; the healthy ones have none
            self.assertEqual('to' in command, devid.startswith('FLEETBAD'), command)
        check = cluster.health_checks['DISKPREDICT_FLEET_ALARM']
        self.assertEqual(check['count'], 4)
        self.assertEqual(check['summary'], '4 of 24 devices (16.7%) predicted to fail at once, likely a model '
                                           'mismatch: ST4000DM000')
        self.assertEqual(check['detail'][0], 'ST4000DM000: 4 of 24 Bad')
        rc, out, err = module.handle_command('', {'prefix': 'diskpredict status'})
        status = json.loads(out)
        # the rule scorer does not say what it was trained on
        self.assertEqual(status['devices_by_familiarity'], {'model': 0, 'family': 0, 'vendor': 0, 'none': 0,
                                                            'unknown': 24})
        self.assertEqual(status['fleet_alarm']['bad_devices'], 4)

    def test_not_raised_below_the_budget(self):
        module, cluster = self.fleet_module(failing=2, healthy=22)
        rc, out, err = module.predict_all_devices()
        self.assertEqual((rc, err), (0, ''))
        self.assertEqual(sum(1 for c in cluster.mon_commands if 'to' in c), 2)
        self.assertEqual(cluster.health_checks, {})


if __name__ == '__main__':
    unittest.main()
