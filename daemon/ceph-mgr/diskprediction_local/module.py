"""Ceph mgr module `diskprediction_local`: every prediction comes from the diskpredict daemon.

devicehealth hard-codes this module name for `device_failure_prediction_mode=local` and calls `can_run`,
`predict_life_expectancy(devid)` and `predict_all_devices()`. This module only moves data: it reads each device's
health metrics from devicehealth unchanged, asks the daemon over its Unix socket, and records the daemon's answer
with `device set-life-expectancy` / `device rm-life-expectancy`. Standard library only.
"""
import datetime
import errno
import functools
import json
import threading
import time

from mgr_module import MgrModule, Option

try:  # Tentacle (20.2) and later register commands per module class; older mgrs have one global registry
    from mgr_module import CLICommandBase
except ImportError:
    CLICommandBase = None

from .daemon_client import DaemonClient, DaemonError, DaemonProtocolError, DaemonRefused
from .verdict import life_expectancy_command, read_verdict

HEALTH_CHECK = 'DISKPREDICT_DAEMON_UNREACHABLE'
FLEET_ALARM_CHECK = 'DISKPREDICT_FLEET_ALARM'
LAST_PASS_KEY = 'last_predicted'
# What the last complete pass found: devices by familiarity, the fleet tally and alarm (for `diskpredict status`).
LAST_PASS_SUMMARY_KEY = 'last_pass_summary'
FAMILIARITIES = ('model', 'family', 'vendor', 'none')
MAX_ALARM_MODELS = 20
TIME_FORMAT = '%Y%m%d-%H%M%S'
# Histories sent in one predict_batch: well under the daemon's default 16 MiB request limit.
BATCH_BYTES = 8 * 1024 * 1024
NOT_UPDATED = ': not updated (see the mgr log)'
# Samples sent per device: the newest ones. devicehealth 16.2 returns at most its 500 OLDEST per call (omap read
# limit), 17.2+ everything within retention (180 days by default), so the module pages and trims itself.
MAX_SAMPLES = 500
# Pages of 16.2's 500-sample reads followed to reach the newest samples (bounds a pathological history).
MAX_PAGES = 100

# Numeric options and their bounds; a value outside is clamped to the nearest bound (and said so in the log and
# in `ceph diskpredict status`), a value that is not a number gives the default.
_NUMERIC_OPTIONS = {
    'sleep_interval': (int, 1, 86400 * 7),
    'predict_interval': (int, 60, 86400 * 365),
    'timeout': (float, 0.1, 600.0),
    'fleet_alarm_share': (float, 0.001, 1.0),
    'fleet_alarm_min_devices': (int, 1, 1000000),
}


def _never_raises(method):
    """For what the mgr or devicehealth calls (remote(), commands): an unexpected error becomes
    (-EIO, '', why) and one log line, never an exception (18.2+ writes a crash report for each), and the
    result is plain (int, str, str), which 20.2's pickling remote() and every command path accept."""
    @functools.wraps(method)
    def safely(self, *args, **kwargs):
        try:
            rc, out, err = method(self, *args, **kwargs)
            return int(rc), '' if out is None else str(out), '' if err is None else str(err)
        except Exception as e:
            self.log.exception('%s failed', method.__name__)
            return -errno.EIO, '', 'diskprediction_local: internal error in %s: %s' % (
                method.__name__, _one_line(e))
    return safely


class Module(MgrModule):
    MODULE_OPTIONS = [
        Option(name='sleep_interval', type='secs', default=600,
               desc='how often the module wakes up to check the daemon and whether a prediction pass is due'),
        Option(name='predict_interval', type='secs', default=86400,
               desc='how often every device is predicted (passes are aligned to multiples of this)'),
        Option(name='predictor_model', type='str', default='default',
               desc='model the daemon uses: default (diskpredict), rules, prophetstor or redhat (Ceph\'s old ones)'),
        Option(name='socket_path', type='str', default='/run/diskpredict/diskpredict.sock',
               desc='Unix socket of the diskpredict daemon'),
        Option(name='timeout', type='float', default=10.0,
               desc='seconds one daemon request may take; the mgr is never blocked longer'),
        Option(name='fleet_alarm_share', type='float', default=0.05,
               desc='raise DISKPREDICT_FLEET_ALARM when more than this share of the devices is Bad in one pass'),
        Option(name='fleet_alarm_min_devices', type='int', default=3,
               desc='... and at least this many devices are Bad'),
    ]
    COMMANDS = [
        {'cmd': 'diskpredict status',
         'desc': 'Show the diskpredict daemon\'s health and model, and the last pass (familiarity, fleet alarm)',
         'perm': 'r'},
        {'cmd': 'diskpredict explain name=devid,type=CephString',
         'desc': 'Predict one device and show why (status, p14, p42, top reasons)', 'perm': 'r'},
    ]
    NOTIFY_TYPES = []
    if CLICommandBase is not None and hasattr(CLICommandBase, 'make_registry_subtype'):
        # 20.2+: `_register_commands` and `_handle_command` read `cls.CLICommand`; without our own registry every
        # mgr start logs an AttributeError (and a crash report) and our commands answer EINVAL. main's module-level
        # `mgr_module.CLICommand` is shared by every module, so it is not used.
        CLICommand = CLICommandBase.make_registry_subtype('DiskpredictionLocalCLICommand')

    def __init__(self, *args, **kwargs):
        super(Module, self).__init__(*args, **kwargs)
        for name, default in _OWN_OPTIONS:
            setattr(self, name, default)
        self._option_notes = {}          # option name -> why its configured value is not the one in use
        self._run = True
        self._wake = threading.Event()
        self._health_lock = threading.Lock()
        self._daemon_problem = None
        self._health_checks = {}         # this module's checks: set_health_checks replaces them all at once
        # The mgr asks the class whether the module can load (stdlib only: always); devicehealth asks the
        # instance, through remote(), whether a prediction can be made now: that one must reach the daemon.
        self.can_run = self._daemon_usable_or_why

    # ---- options -------------------------------------------------------------------------------------------

    def config_notify(self):
        # Only our own options: the framework appends its logging options (log_level, log_to_file, ...) to
        # MODULE_OPTIONS and keeps their state in attributes of the same names, which must not be overwritten.
        for name, default in _OWN_OPTIONS:
            try:
                value = self._option_value(name, default)
            except Exception as e:  # a mgr that cannot read one option must not stop the others
                self.log.error('cannot read option %s, using %r: %s', name, default, e)
                value = default
            setattr(self, name, value)
        self._wake.set()

    def _option_value(self, name, default):
        value = self.get_module_option(name, default)
        self._option_notes.pop(name, None)
        if value is None:
            return default
        if name not in _NUMERIC_OPTIONS:
            return str(value)
        kind, low, high = _NUMERIC_OPTIONS[name]
        try:
            number = kind(float(value))
        except (TypeError, ValueError, OverflowError):
            number = None
        if number is None or number != number:  # not a number, or NaN
            note = '%r is not a number; using the default %s' % (value, default)
            number = default
        elif low <= number <= high:
            return number
        else:
            number = kind(low) if number < low else kind(high)
            note = '%s is outside [%s, %s]; using %s' % (value, low, high, number)
        self.log.warning('option %s: %s', name, note)
        self._option_notes[name] = note
        return number

    def _client(self):
        return DaemonClient(self.socket_path, self.timeout)

    def _model_argument(self):
        return {'model': self.predictor_model} if self.predictor_model else {}

    def _mode_is_local(self):
        return str(self.get_ceph_option('device_failure_prediction_mode') or '').lower() == 'local'

    # ---- daemon health -------------------------------------------------------------------------------------

    def _daemon_usable_or_why(self):
        """(True, '') when the daemon answers `health` as docs/protocol.md says, else (False, why). Never raises:
        devicehealth calls it through remote(), where 18.2+ writes a crash report for every exception."""
        try:
            self._daemon_health()
        except DaemonError as e:
            return False, 'diskpredict daemon at %s: %s' % (self.socket_path, e)
        except Exception as e:
            self.log.exception('can_run failed')
            return False, 'diskprediction_local: internal error: %s' % _one_line(e)
        return True, ''

    def _daemon_health(self):
        try:
            reply = self._client().call('health')
            model = reply.get('model')
            if not isinstance(model, dict) or not isinstance(model.get('name'), str):
                raise DaemonProtocolError('health reply names no model: not a compatible diskpredict daemon')
        except DaemonRefused as e:
            # It answered, but refuses `health`: some other program, or a daemon too old for this module.
            self._record_daemon_problem(e)
            raise DaemonProtocolError('incompatible daemon: %s' % e)
        except DaemonError as e:
            self._record_daemon_problem(e)
            raise
        self._record_daemon_problem(None)
        return reply

    def _call(self, op, **arguments):
        """A daemon request that keeps the health check in step with whether the daemon can be used."""
        try:
            reply = self._client().call(op, **arguments)
        except DaemonRefused:
            self._record_daemon_problem(None)
            raise
        except DaemonError as e:
            self._record_daemon_problem(e)
            raise
        self._record_daemon_problem(None)
        return reply

    def _record_daemon_problem(self, problem):
        text = None if problem is None else str(problem)
        with self._health_lock:
            if text == self._daemon_problem:
                return
            self._daemon_problem = text
            if text is None:
                self.log.info('diskpredict daemon at %s is reachable again', self.socket_path)
                self._publish_check_locked(HEALTH_CHECK, None)
                return
            self.log.error('diskpredict daemon at %s cannot be used: %s', self.socket_path, text)
            self._publish_check_locked(HEALTH_CHECK, {
                'severity': 'warning',
                'summary': 'diskpredict daemon at %s cannot be used' % self.socket_path,
                'count': 1,
                'detail': [text, 'device life expectancies are not being updated'],
            })

    def _publish_check_locked(self, name, check):
        """Set (or with None, clear) one of this module's health checks. set_health_checks replaces every check
        of this module (never another module's, such as devicehealth's), so all of ours are always sent together."""
        checks = dict(self._health_checks)
        if check is None:
            checks.pop(name, None)
        else:
            checks[name] = check
        if checks != self._health_checks:
            self._health_checks = checks
            self.set_health_checks(dict(checks))

    def _set_fleet_alarm(self, check):
        with self._health_lock:
            self._publish_check_locked(FLEET_ALARM_CHECK, check)

    def _clear_health_check(self):
        with self._health_lock:
            self._daemon_problem = None
            self._publish_check_locked(HEALTH_CHECK, None)
            self._publish_check_locked(FLEET_ALARM_CHECK, None)

    # ---- what devicehealth calls ---------------------------------------------------------------------------

    @_never_raises
    def predict_life_expectancy(self, devid):
        """(0, '>6w' | '>=2w and <=6w' | '<2w' | 'unknown', '') for one device, or (-errno, '', why)."""
        verdict, failure = self._verdict_or_failure(devid, 'diskprediction_local')
        if failure:
            return failure
        self.log.info('predict-life-expectancy %s', verdict.summary())
        return 0, verdict.cli, ''

    @_never_raises
    def predict_all_devices(self):
        """Predict every device that has daemons and record each verdict.

        Usually one predict_batch round trip; a cluster whose histories together exceed BATCH_BYTES (the
        daemon limits request size) is sent in several batches, which also keeps memory bounded.
        """
        devices = [d['devid'] for d in (self.get('devices') or {}).get('devices', [])
                   if d.get('devid') and d.get('daemons')]
        lines = []
        tally = _PassTally()
        for batch in self._batches(devices):
            try:
                lines.extend(self._predict_batch(batch, tally))
            except DaemonError as e:
                # An incomplete pass says nothing about the fleet: the fleet alarm keeps its last state.
                self.log.error('prediction pass stopped, the remaining life expectancies are unchanged: %s', e)
                return -e.errno, '\n'.join(lines), 'diskprediction_local: %s' % e
        if not lines:
            # Nothing was predicted: nothing to say about the fleet either (the alarm keeps its state).
            self.log.info('prediction pass: no device with daemons to predict')
            return 0, 'no device to predict', ''
        self._finish_pass(tally)
        failures = sum(1 for line in lines if line.endswith(NOT_UPDATED))
        self.log.info('prediction pass: %d device(s), %d not updated', len(lines), failures)
        return 0, '\n'.join(lines), ''

    def _batches(self, devices):
        """Lists of {devid, samples} of at most BATCH_BYTES of history each (a larger history goes alone)."""
        batch, batch_bytes = [], 0
        for devid in devices:
            try:
                history = self._history(devid)
            except LookupError as e:
                self.log.warning('skipping %s: %s', devid, e)
                continue
            size = len(json.dumps(history))
            if batch and batch_bytes + size > BATCH_BYTES:
                yield batch
                batch, batch_bytes = [], 0
            batch.append({'devid': devid, 'samples': history})
            batch_bytes += size
        if batch:
            yield batch

    def _predict_batch(self, batch, tally):
        """One predict_batch round trip; a line per device saying what was recorded."""
        reply = self._call('predict_batch', devices=batch, **self._model_argument())
        results = reply.get('results')
        if not isinstance(results, list) or len(results) != len(batch):
            raise DaemonProtocolError('predict_batch returned %s results for %d devices'
                                      % (len(results) if isinstance(results, list) else 'no', len(batch)))
        tally.add_fleet(reply.get('fleet'))
        for result in results:
            if isinstance(result, dict) and result.get('ok') is True:
                tally.add_familiarity(result.get('familiarity'))
        return [self._record_result(request['devid'], result) or request['devid'] + NOT_UPDATED
                for request, result in zip(batch, results)]

    def _finish_pass(self, tally):
        """The fleet alarm budget over the whole pass (its batches added up), and the pass summary."""
        alarm = tally.alarm(self.fleet_alarm_share, self.fleet_alarm_min_devices)
        if alarm is None:
            self._set_fleet_alarm(None)
        else:
            self.log.warning('fleet alarm: %s', alarm['message'])
            self._set_fleet_alarm(_fleet_alarm_check(alarm))
        summary = {'devices_by_familiarity': tally.familiarity, 'fleet': tally.fleet_json(), 'fleet_alarm': alarm}
        self.set_store(LAST_PASS_SUMMARY_KEY, json.dumps(summary, sort_keys=True))

    def _record_result(self, devid, result):
        """Apply one predict_batch entry; the line to print, or None when the device was left unchanged."""
        try:
            if not isinstance(result, dict) or result.get('devid') != devid:
                raise DaemonProtocolError('predict_batch result out of order or without devid for %s' % devid)
            if result.get('ok') is not True:
                error = result.get('error')
                raise DaemonRefused.from_error(error if isinstance(error, dict) else {})
            verdict = read_verdict(result, devid)
        except DaemonError as e:
            self.log.error('device %s: no verdict, life expectancy left unchanged: %s', devid, e)
            return None
        command = life_expectancy_command(verdict)
        rc, _, err = self.mon_command(command)
        if rc != 0:
            self.log.error('%s; %s failed: %s (%d)', verdict.summary(), command['prefix'], err, rc)
            return None
        self.log.info('%s; %s', verdict.summary(), _describe(command))
        return '%s: %s (%s)' % (devid, verdict.status, verdict.cli)

    def _history(self, devid):
        """The device's newest MAX_SAMPLES samples exactly as devicehealth stores them
        ({"YYYYmmdd-HHMMSS": smartctl json}).

        `show_device_metrics` checks the device exists and has the same reply on every release, but 16.2 returns
        at most its 500 oldest samples: while a read comes back full, the next page is read with
        `get_recent_device_metrics` from the newest key seen (16.2 reads after it, 17.2+ from it).
        """
        rc, out, err = self._remote_devicehealth(devid, 'show_device_metrics', devid=devid, sample='')
        if rc != 0:
            raise LookupError(err or 'devicehealth has no metrics for %s (%d)' % (devid, rc))
        try:
            history = json.loads(out) if out else {}
        except ValueError as e:
            raise LookupError('devicehealth returned unreadable metrics for %s: %s' % (devid, e))
        if not isinstance(history, dict):
            raise LookupError('devicehealth returned no metrics map for %s' % devid)
        page = history
        for _ in range(MAX_PAGES):
            if len(page) < MAX_SAMPLES:
                break
            newest = max(history)
            page = self._remote_devicehealth(devid, 'get_recent_device_metrics', devid=devid, min_sample=newest)
            if not isinstance(page, dict) or not any(key > newest for key in page):
                break
            history.update(page)
        if len(history) > MAX_SAMPLES:
            history = dict((key, history[key]) for key in sorted(history)[-MAX_SAMPLES:])
        return history

    def _remote_devicehealth(self, about, method, **arguments):
        # remote() raises ImportError (not loaded), NameError (no such method) or RuntimeError (it failed).
        try:
            return self.remote('devicehealth', method, **arguments)
        except Exception as e:
            raise LookupError('cannot read health metrics of %s from devicehealth (%s): %s' % (about, method, e))

    def _verdict_or_failure(self, devid, source):
        """(verdict, None), or (None, the (-errno, '', why) a command returns) when the device has none."""
        try:
            reply = self._call('predict', devid=devid, samples=self._history(devid), **self._model_argument())
            return read_verdict(reply, devid), None
        except LookupError as e:
            return None, (-errno.ENOENT, '', str(e))
        except DaemonError as e:
            return None, (-e.errno, '', '%s: %s' % (source, e))

    # ---- commands ------------------------------------------------------------------------------------------

    @_never_raises
    def handle_command(self, inbuf, cmd):
        prefix = cmd.get('prefix')
        if prefix == 'diskpredict status':
            return self._status()
        if prefix == 'diskpredict explain':
            if not cmd.get('devid'):
                return -errno.EINVAL, '', 'diskpredict explain needs a devid'
            return self._explain(str(cmd['devid']), cmd.get('format'))
        return -errno.EINVAL, '', 'unknown command %s' % prefix

    def _status(self):
        status = {
            'mode': self.get_ceph_option('device_failure_prediction_mode'),
            'socket_path': self.socket_path,
            'predictor_model': self.predictor_model,
            'timeout': self.timeout,
            'predict_interval': self.predict_interval,
            'fleet_alarm_share': self.fleet_alarm_share,
            'fleet_alarm_min_devices': self.fleet_alarm_min_devices,
            'last_pass': self.get_store(LAST_PASS_KEY),
        }
        summary = _stored_json(self.get_store(LAST_PASS_SUMMARY_KEY))
        if isinstance(summary, dict):
            # How many devices of the last pass were of a drive model (family, vendor) the model was trained on.
            status['devices_by_familiarity'] = summary.get('devices_by_familiarity')
            status['fleet_alarm'] = summary.get('fleet_alarm')
        if self._option_notes:
            status['option_warnings'] = dict(
                ('mgr/diskprediction_local/%s' % name, note) for name, note in sorted(self._option_notes.items()))
        try:
            health = self._daemon_health()
            info = self._call('info')
        except DaemonError as e:
            status['daemon'] = {'reachable': False, 'error': str(e)}
            return -e.errno, json.dumps(status, indent=2, sort_keys=True), 'diskpredict daemon: %s' % e
        status['daemon'] = _without_envelope(health)
        status['daemon']['reachable'] = True
        status['models'] = info.get('models')
        status['default_model'] = info.get('default_model')
        return 0, json.dumps(status, indent=2, sort_keys=True), ''

    def _explain(self, devid, output_format):
        verdict, failure = self._verdict_or_failure(devid, 'diskpredict daemon')
        if failure:
            return failure
        if output_format in ('json', 'json-pretty'):
            return 0, json.dumps(verdict.to_json(), indent=2, sort_keys=True), ''
        lines = [
            'device:           %s' % devid,
            'status:           %s (%s)' % (verdict.status, verdict.cli),
            'life expectancy:  %s' % (
                'none' if verdict.life_expectancy_min is None
                else '%s to %s' % (verdict.life_expectancy_min, verdict.life_expectancy_max or 'open')),
            'p14:              %s' % _percent(verdict.p14),
            'p42:              %s' % _percent(verdict.p42),
            'model:            %s' % verdict.model,
            'trained on:       %s' % _familiarity_text(verdict.familiarity),
            'samples used:     %d' % verdict.samples_used,
        ]
        if verdict.reason:
            lines.append('note:             %s' % verdict.reason)
        lines.append('top reasons:' if verdict.reasons else 'top reasons:      none')
        for reason in verdict.reasons[:5]:
            # Rule reasons carry the rule in their text; model reasons: + raises the risk, - lowers it.
            if 'rule' in reason:
                lines.append('  rule    %s' % reason['text'])
            else:
                lines.append('  %+.3f  %s' % (reason['contribution'] or 0, reason['text']))
        # What the operator silenced or forced (diskpredict override ls lists the entries).
        lines.append('overrides:' if verdict.overrides else 'overrides:        none')
        for applied in verdict.overrides:
            lines.append('  %s  %s' % (applied['id'], applied['text']))
        return 0, '\n'.join(lines), ''

    # ---- the periodic pass ---------------------------------------------------------------------------------

    def serve(self):
        self.log.info('diskprediction_local (diskpredict daemon client) starting')
        self.config_notify()
        last_pass = _parse_time(self.get_store(LAST_PASS_KEY))
        while self._run:
            if self._mode_is_local():
                try:
                    self._daemon_health()
                    now = time.time()
                    if last_pass is None or now >= _next_pass(last_pass, self.predict_interval):
                        self.predict_all_devices()
                        last_pass = now
                        self.set_store(LAST_PASS_KEY, _format_time(now))
                except DaemonError as e:
                    self.log.debug('daemon check failed: %s', e)
            else:
                # Not our mode: we make no predictions, so a missing daemon is nobody's problem.
                self._clear_health_check()
            self._wake.wait(self.sleep_interval)
            self._wake.clear()

    def shutdown(self):
        self.log.info('diskprediction_local stopping')
        self._run = False
        self._wake.set()


# The module's own options as (name, default), fixed before the framework appends its logging options.
_OWN_OPTIONS = tuple((option['name'], option['default']) for option in Module.MODULE_OPTIONS)


class _PassTally(object):
    """One prediction pass added up over its predict_batch replies: the daemon's fleet tallies (docs/protocol.md,
    "Fleet alarm") and the familiarity of each verdict."""

    def __init__(self):
        self.devices = 0
        self.bad = 0
        self.models = {}               # drive model -> [bad, total]
        self.complete = True           # False when a reply had no usable tally (an older daemon)
        self.familiarity = dict((f, 0) for f in FAMILIARITIES + ('unknown',))

    def add_fleet(self, fleet):
        if not _valid_fleet(fleet):
            self.complete = False
            return
        self.devices += fleet['devices']
        self.bad += fleet['bad']
        for entry in fleet['models']:
            counts = self.models.setdefault(entry['model'], [0, 0])
            counts[0] += entry['bad']
            counts[1] += entry['total']

    def add_familiarity(self, familiarity):
        # null: the daemon's model does not say which drive models it was trained on
        self.familiarity[familiarity if familiarity in FAMILIARITIES else 'unknown'] += 1

    def fleet_json(self):
        return {'devices': self.devices, 'bad': self.bad} if self.complete else None

    def alarm(self, max_share, min_devices):
        """The daemon's rule (lib/predict/fleetAlarm.ts) on the whole pass: more than max_share of the devices
        Bad and at least min_devices of them. None without an alarm, or when a reply carried no tally."""
        if not self.complete or self.bad < min_devices or not self.bad > max_share * self.devices:
            return None
        models = sorted(((m, c[0], c[1]) for m, c in self.models.items() if c[0] > 0), key=lambda x: (-x[1], x[0]))
        share = float(self.bad) / self.devices
        return {
            'bad_devices': self.bad, 'fleet_size': self.devices, 'share': share,
            'max_share': max_share, 'min_devices': min_devices,
            'models': [{'model': m, 'bad': bad, 'total': total} for m, bad, total in models],
            'message': '%d of %d devices (%.1f %%) Bad in one pass: %s' % (
                self.bad, self.devices, 100.0 * share,
                ', '.join('%s %d/%d' % (m, bad, total) for m, bad, total in models)),
        }


def _valid_fleet(fleet):
    def count(value):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return (isinstance(fleet, dict) and count(fleet.get('devices')) and count(fleet.get('bad'))
            and isinstance(fleet.get('models'), list)
            and all(isinstance(m, dict) and isinstance(m.get('model'), str) and count(m.get('bad'))
                    and count(m.get('total')) for m in fleet['models']))


def _fleet_alarm_check(alarm):
    # `ceph health detail` lines: the models with the most Bad devices (a fleet can have hundreds of models)
    detail = ['%s: %d of %d Bad' % (m['model'], m['bad'], m['total']) for m in alarm['models'][:MAX_ALARM_MODELS]]
    if len(alarm['models']) > MAX_ALARM_MODELS:
        detail.append('and %d more drive models' % (len(alarm['models']) - MAX_ALARM_MODELS))
    detail.append('more likely a prediction model that does not fit these drive models than a wave of failures; '
                  'check a few with `ceph diskpredict explain <devid>` before acting')
    detail.append('per-device life expectancies are still recorded (with mgr/devicehealth/self_heal, '
                  'devicehealth may mark their OSDs out)')
    return {
        'severity': 'warning',
        'summary': '%d of %d devices (%.1f%%) predicted to fail at once, likely a model mismatch: %s' % (
            alarm['bad_devices'], alarm['fleet_size'], 100.0 * alarm['share'],
            ', '.join(m['model'] for m in alarm['models'][:5]) + (', ...' if len(alarm['models']) > 5 else '')),
        'count': alarm['bad_devices'],
        'detail': detail,
    }


def _stored_json(text):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _one_line(error):
    return ('%s: %s' % (type(error).__name__, error)).splitlines()[0] if str(error) else type(error).__name__


def _next_pass(last_pass, interval):
    """Passes fall on multiples of the interval (as Ceph's module does), so restarts do not shift them."""
    return last_pass - last_pass % interval + interval


def _format_time(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime(TIME_FORMAT)


def _parse_time(text):
    if not text:
        return None
    try:
        moment = datetime.datetime.strptime(text, TIME_FORMAT)
    except ValueError:
        return None
    return (moment - datetime.datetime(1970, 1, 1)).total_seconds()


def _describe(command):
    return ' '.join('%s=%s' % (k, command[k]) for k in ('prefix', 'from', 'to') if k in command)


def _without_envelope(reply):
    return dict((k, v) for k, v in reply.items() if k not in ('id', 'ok'))


def _familiarity_text(familiarity):
    return {
        'model': 'this drive model',
        'family': 'drives of this family, not this model',
        'vendor': 'drives of this vendor, not this family',
        'none': 'no drive of this vendor (the verdict is an extrapolation)',
    }.get(familiarity, 'unknown (the model does not list its training drives)')


def _percent(value):
    # None: the model gives no probability (the rule scorer's levels, Ceph's old models).
    return 'none (this model gives no probability)' if value is None else '%.1f%%' % (100.0 * value)
