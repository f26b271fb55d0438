"""Loads diskprediction_local with one Ceph release's own mgr framework and replays what that ceph-mgr does.

Run as `python3 replay_mgr.py RELEASE_ROOT MODULE_PARENT` in a fresh interpreter per release (each release has its
own mgr_module). RELEASE_ROOT is an unpacked ceph-mgr/ceph-mgr-modules-core/python3-ceph-common tree (fetch.sh);
its usr/share/ceph/mgr (mgr_module.py, mgr_util.py, ...) and python3 dist-packages (ceph, ceph_argparse) are used
as shipped. Only C extensions are stubbed (stubs/: ceph_module, rados, cephfs; and bcrypt, see its docstring).
This file plays the C++ side of the mgr, as ceph-mgr's PyModule/ActivePyModules do:

* load: import the module, find the MgrModule subclass, `_register_options`, `_register_commands` (read COMMANDS
  back), `can_run()` on the CLASS, construct it with the mgr's two pointers, `_config_notify` + `config_notify`;
* commands: `_handle_command(inbuf, cmd)`, whose result must be (int, str, str) or HandleCommandResult;
* remote(): `_ceph_dispatch_remote` as the release does it: ImportError for an unknown module, NameError for a
  missing method, RuntimeError for anything the callee raised; 20.2+ pickles the arguments and the return value;
* serve()/shutdown() on a thread.

Every exception that escapes into "C++" is a crash report: ceph-mgr 18.2+ writes one for each (16.2 logs a
traceback for most); the count per release is the harness's headline figure and must be 0.
Prints one JSON object (the report) on stdout.
"""
import json
import os
import pickle
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))


def release_paths(root):
    mgr = os.path.join(root, 'usr', 'share', 'ceph', 'mgr')
    dist = os.path.join(root, 'usr', 'lib', 'python3', 'dist-packages')
    return [mgr, dist]


class Crash(Exception):
    pass


class Mgr(object):
    """The C++ half: options, store, health checks, device table, mon commands, remote dispatch, log lines."""

    def __init__(self, major, module_name):
        self.major = major
        self.module_name = module_name
        self.crashes = []
        self.log_lines = []
        self.options = {}                  # our module's options as `ceph config set` would hold them (strings)
        self.option_types = {}
        # log_file: the framework's FileHandler opens it lazily (delay=True) and only with log_to_file on
        self.ceph_options = {'debug_mgr': '4/5', 'device_failure_prediction_mode': 'local',
                             'mgr_disabled_modules': '', 'log_file': '/nonexistent/ceph-mgr.x.log'}
        self.store = {}
        self.health_checks = {}
        self.mon_commands = []
        self.devices = []
        self.modules = {}                  # name -> instance remote() reaches

    # -- what the C++ side wraps around every call into Python ------------------------------------------------

    def call(self, where, function, *args, **kwargs):
        """Call into Python; an exception is a crash report. Where the real mgr carries on after one (commands
        not registered, a failed command answering EINVAL, a failed config_notify), `carry_on` is returned;
        otherwise (import, construction) the replay stops."""
        carry_on = kwargs.pop('carry_on', Crash)
        try:
            return function(*args, **kwargs)
        except Exception:
            self.crashes.append({'where': where, 'traceback': traceback.format_exc()})
            if carry_on is Crash:
                raise Crash(where)
            return carry_on

    # -- ceph_module.BaseMgrModule methods (reached through the stub's __getattr__) --------------------------

    def ceph_get_version(self):
        return 'replayed'

    def ceph_get_mgr_id(self):
        return 'x'

    def ceph_get_option(self, key):
        return self.ceph_options.get(key)

    def ceph_get_foreign_option(self, entity, key):
        return self.ceph_options.get(key)

    def ceph_get_module_option(self, module, key, localized_prefix=''):
        # The C++ side converts by the option's declared type (PyModule::get_typed_option_value).
        if module != self.module_name or key not in self.options:
            return None
        raw = self.options[key]
        kind = self.option_types.get(key, 'str')
        if kind == 'bool':
            return raw.lower() in ('1', 'true', 'yes', 'on')
        if kind in ('int', 'uint', 'secs', 'size'):
            return int(raw)
        if kind == 'float':
            return float(raw)
        return raw

    def ceph_set_module_option(self, module, key, value):
        self.options[key] = str(value)

    def ceph_get_store(self, key):
        return self.store.get(key)

    def ceph_set_store(self, key, value):
        if value is None:
            self.store.pop(key, None)
        else:
            self.store[key] = value

    def ceph_get_store_prefix(self, prefix):
        return dict((k, v) for k, v in self.store.items() if k.startswith(prefix))

    def ceph_get(self, name):
        if name == 'devices':
            return {'devices': [dict(d) for d in self.devices]}
        if name.startswith('device '):
            devid = name[len('device '):]
            found = [d for d in self.devices if d['devid'] == devid]
            return {'device': dict(found[0])} if found else {}
        if name == 'config':
            return dict(self.ceph_options)
        if name == 'health':
            return {'json': json.dumps({'status': 'HEALTH_OK', 'checks': self.health_checks})}
        raise KeyError(name)

    def ceph_set_health_checks(self, checks):
        json.dumps(checks)
        self.health_checks = dict(checks)

    def ceph_send_command(self, result, svc_type, svc_id, command, tag, inbuf=None, one_shot=False):
        self.mon_commands.append(json.loads(command))
        result.complete(0, '', '')

    def ceph_log(self, *args):
        self.log_lines.append(str(args[-1]))

    def ceph_cluster_log(self, *args):
        self.log_lines.append('cluster: %s' % (args,))

    def ceph_set_uri(self, uri):
        pass

    def ceph_have_mon_connection(self):
        return True

    def ceph_dispatch_remote(self, module_name, method_name, args, kwargs):
        if module_name not in self.modules:
            raise ImportError('Module not found: %s' % module_name)
        target = getattr(self.modules[module_name], method_name, None)
        if target is None:
            raise NameError("Method not found: %s.%s" % (module_name, method_name))
        if self.major >= 20:
            # Tentacle: arguments and result cross interpreters as pickles
            args, kwargs = pickle.loads(pickle.dumps(args)), pickle.loads(pickle.dumps(kwargs))
        try:
            result = target(*args, **kwargs)
            if self.major >= 20:
                result = pickle.loads(pickle.dumps(result))
            return result
        except Exception as e:
            if self.major >= 18:  # Reef+: handle_pyerror(true, ...) writes a crash report, then RuntimeError
                self.crashes.append({'where': 'remote %s.%s' % (module_name, method_name),
                                     'traceback': traceback.format_exc()})
            raise RuntimeError('%s: %s' % (type(e).__name__, e))

    def remote_into(self, module_name, method_name, *args, **kwargs):
        """devicehealth calling our module: remote() plus the C++ wrapper's crash accounting (all releases)."""
        try:
            return self.ceph_dispatch_remote(module_name, method_name, args, kwargs)
        except (ImportError, NameError, RuntimeError) as e:
            if self.major < 18:
                self.crashes.append({'where': 'remote %s.%s' % (module_name, method_name),
                                     'traceback': traceback.format_exc()})
            return e


def load(mgr, module_parent, module_name):
    """PyModule::load: import, find the class, register options and commands, can_run on the class."""
    sys.path.insert(0, module_parent)
    import mgr_module
    package = mgr.call('import', __import__, module_name)
    classes = [c for c in vars(package).values()
               if isinstance(c, type) and issubclass(c, mgr_module.MgrModule) and c is not mgr_module.MgrModule]
    if len(classes) != 1:
        raise SystemExit('expected one MgrModule subclass in %s, found %r' % (module_name, classes))
    cls = classes[0]
    mgr.call('_register_options', cls._register_options, module_name)
    mgr.option_types = dict((o['name'], o.get('type', 'str')) for o in cls.MODULE_OPTIONS)
    mgr.call('_register_commands', cls._register_commands, module_name, carry_on=None)
    can_run = mgr.call('can_run (class)', cls.can_run)
    return mgr_module, cls, can_run


def check(report, name, ok, detail=''):
    report['checks'].append({'name': name, 'ok': bool(ok), 'detail': detail if not ok else ''})


def main():
    root, module_parent = sys.argv[1], sys.argv[2]
    with open(os.path.join(root, '.unpacked')) as f:
        version = f.read().strip()
    major = int(version.split('.')[0])
    sys.path[:0] = [os.path.join(HERE, 'stubs')] + release_paths(root) + [os.path.join(HERE, '..', 'tests')]
    sys.dont_write_bytecode = True
    name = 'diskprediction_local'
    mgr = Mgr(major, name)
    report = {'version': version, 'python': sys.version.split()[0], 'checks': [], 'crashes': mgr.crashes}
    try:
        replay(mgr, report, module_parent, name)
    except Crash:
        pass  # already counted; the checks list shows how far it got
    report['crash_reports'] = len(mgr.crashes)
    report['log_lines'] = len(mgr.log_lines)
    print(json.dumps(report, indent=2))


def replay(mgr, report, module_parent, name):
    import logging
    from scripted_daemon import ScriptedDaemon, ok as ok_reply
    import smart_histories

    mgr_module, cls, can_run = load(mgr, module_parent, name)
    own = cls.__dict__.get('CLICommand')
    report['registry'] = own.__name__ if own is not None else (
        'none' if hasattr(mgr_module, 'CLICommandBase') else 'global (mgr_module.CLICommand)')
    commands = [c.get('cmd', '').split(' name=')[0] for c in cls.COMMANDS]
    check(report, 'COMMANDS after _register_commands lists diskpredict status and explain',
          'diskpredict status' in commands and 'diskpredict explain' in commands, repr(commands))
    check(report, 'can_run on the class is (True, "")', tuple(can_run) == (True, ''), repr(can_run))

    def answer(request):
        op = request['op']
        if op == 'health':
            return ok_reply(request, version='replay', uptime_s=1, model={'name': 'scripted', 'version': '1'})
        if op == 'info':
            return ok_reply(request, models=['default'], default_model='default')
        if op == 'predict':
            return ok_reply(request, **prediction(request['devid'], request.get('samples') or {}))
        if op == 'predict_batch':
            bad = sum(1 for d in request['devices'] if 'FAILING' in d['devid'])
            total = len(request['devices'])
            return ok_reply(request, results=[dict(prediction(d['devid'], d.get('samples') or {}), ok=True)
                                              for d in request['devices']],
                            fleet={'devices': total, 'bad': bad,
                                   'models': [{'model': 'ST4000DM000-1F2168', 'bad': bad, 'total': total}]})
        return ok_reply(request)

    peer = ScriptedDaemon(answer)
    try:
        # fleet_alarm_min_devices 1: the one failing drive of two raises the fleet alarm
        mgr.options.update({'socket_path': peer.socket_path, 'timeout': '2', 'sleep_interval': '1',
                            'predict_interval': '30', 'fleet_alarm_min_devices': '1', 'fleet_alarm_share': '0.25'})
        module = mgr.call('__init__', cls, name, mgr, object())
        mgr.modules[name] = module
        devicehealth = DeviceHealth(mgr, 16 if mgr.major < 17 else 17)
        mgr.modules['devicehealth'] = devicehealth
        # 700 daily samples: more than 16.2's 500-per-read limit
        for devid, history in (('ST4000DM000-1F2168_FAILING1', smart_histories.failing(days=700, serial='F1')),
                               ('ST4000DM000-1F2168_HEALTHY1', smart_histories.healthy(days=700, serial='H1'))):
            mgr.devices.append({'devid': devid, 'daemons': ['osd.0'], 'location': []})
            devicehealth.metrics[devid] = history
        failing, healthy = mgr.devices[0]['devid'], mgr.devices[1]['devid']

        mgr.call('_config_notify', module._config_notify, carry_on=None)
        mgr.call('config_notify', module.config_notify, carry_on=None)
        check(report, 'predict_interval=30 is clamped to 60', module.predict_interval == 60,
              repr(module.predict_interval))
        check(report, 'the clamp is logged', any('predict_interval: 30 is outside' in l for l in mgr.log_lines),
              '\n'.join(mgr.log_lines[-5:]))
        mgr.options['log_level'] = 'debug'
        mgr.call('_config_notify', module._config_notify, carry_on=None)
        mgr.call('config_notify', module.config_notify, carry_on=None)
        check(report, 'no "disabling logging" warning after config changes',
              not any('disabling logging' in l for l in mgr.log_lines),
              '\n'.join(l for l in mgr.log_lines if 'disabling logging' in l))

        # commands, as the CLI sends them
        def command(cmd):
            result = mgr.call('_handle_command %s' % cmd['prefix'], module._handle_command, '', cmd,
                              carry_on=(-22, '', 'exception in the command'))
            if isinstance(result, mgr_module.HandleCommandResult):
                result = tuple(result)
            return result

        rc, out, err = command({'prefix': 'diskpredict status', 'format': 'json'})
        status = json.loads(out) if rc == 0 else {}
        check(report, 'ceph diskpredict status answers rc 0 with a reachable daemon',
              rc == 0 and status.get('daemon', {}).get('reachable') is True, '%r %r' % (rc, err))
        check(report, 'ceph diskpredict status names the clamped predict_interval',
              'mgr/diskprediction_local/predict_interval' in status.get('option_warnings', {}), out)
        rc, out, err = command({'prefix': 'diskpredict explain', 'devid': failing})
        check(report, 'ceph diskpredict explain answers for a device', rc == 0 and 'status:' in out,
              '%r %r' % (rc, err))
        rc, out, err = command({'prefix': 'diskpredict explain'})
        check(report, 'explain without a devid is EINVAL, not an exception', rc < 0, '%r %r' % (rc, err))

        # devicehealth -> our module, through remote() as this release implements it
        answer_can_run = mgr.remote_into(name, 'can_run')
        check(report, 'remote can_run is (True, "") with the daemon up',
              tuple(answer_can_run) == (True, '') if isinstance(answer_can_run, tuple) else False,
              repr(answer_can_run))
        got = mgr.remote_into(name, 'predict_life_expectancy', devid=failing)
        check(report, 'remote predict_life_expectancy gives (0, "<2w", "") for the failing drive',
              got == (0, '<2w', ''), repr(got))
        sent = [r for r in peer.requests if r['op'] == 'predict' and r.get('devid') == failing][-1]['samples']
        newest = max(devicehealth.metrics[failing])
        check(report, 'the newest 500 samples are sent (16.2 returns its 500 oldest per read)',
              len(sent) == 500 and max(sent) == newest, '%d samples, newest %s of %s'
              % (len(sent), max(sent) if sent else None, newest))
        got = mgr.remote_into(name, 'predict_all_devices')
        check(report, 'remote predict_all_devices gives rc 0', isinstance(got, tuple) and got[0] == 0, repr(got))
        check(report, 'both life expectancies recorded with mon commands',
              sorted(c.get('devid') for c in mgr.mon_commands if c['prefix'].endswith('life-expectancy'))
              [-2:] == sorted([failing, healthy]), repr(mgr.mon_commands[-3:]))
        check(report, 'the fleet options are read as numbers',
              (module.fleet_alarm_share, module.fleet_alarm_min_devices) == (0.25, 1),
              repr((module.fleet_alarm_share, module.fleet_alarm_min_devices)))
        alarm = mgr.health_checks.get('DISKPREDICT_FLEET_ALARM') or {}
        check(report, 'one Bad of two raises DISKPREDICT_FLEET_ALARM naming the drive model',
              alarm.get('count') == 1 and 'ST4000DM000-1F2168' in alarm.get('summary', ''), repr(mgr.health_checks))
        rc, out, err = command({'prefix': 'diskpredict status', 'format': 'json'})
        status = json.loads(out) if rc == 0 else {}
        check(report, 'ceph diskpredict status shows the last pass by familiarity',
              (status.get('devices_by_familiarity') or {}).get('model') == 2, out)
        got = mgr.remote_into(name, 'predict_life_expectancy', devid='NO-SUCH_DEVICE_X')
        check(report, 'an unknown device is an error tuple, not an exception',
              isinstance(got, tuple) and got[0] < 0, repr(got))
        missing = mgr.remote_into(name, 'no_such_method')
        check(report, 'remote to a missing method raises NameError', isinstance(missing, NameError), repr(missing))
        mgr.crashes[:] = [c for c in mgr.crashes if not c['where'].endswith('.no_such_method')]

        # devicehealth failing underneath us
        devicehealth.broken = True
        got = mgr.remote_into(name, 'predict_life_expectancy', devid=failing)
        check(report, 'devicehealth raising inside remote() gives an error tuple', isinstance(got, tuple)
              and got[0] < 0, repr(got))
        crashes_from_devicehealth = [c for c in mgr.crashes if c['where'].startswith('remote devicehealth.')]
        mgr.crashes[:] = [c for c in mgr.crashes if c not in crashes_from_devicehealth]  # devicehealth's, not ours
        devicehealth.broken = False

        # the periodic pass on the serve thread, with the daemon up
        thread = threading.Thread(target=lambda: _serve(mgr, module), daemon=True)
        thread.start()
        time.sleep(1.5)

        # daemon gone
        peer.close()
        answer_can_run = mgr.remote_into(name, 'can_run')
        check(report, 'remote can_run is (False, why) with the daemon gone',
              isinstance(answer_can_run, tuple) and answer_can_run[0] is False, repr(answer_can_run))
        got = mgr.remote_into(name, 'predict_life_expectancy', devid=failing)
        check(report, 'predict_life_expectancy with the daemon gone is an error tuple',
              isinstance(got, tuple) and got[0] < 0, repr(got))
        got = mgr.remote_into(name, 'predict_all_devices')
        check(report, 'predict_all_devices with the daemon gone is an error tuple',
              isinstance(got, tuple) and got[0] < 0, repr(got))
        rc, out, err = command({'prefix': 'diskpredict status'})
        check(report, 'status with the daemon gone is an error, not an exception', rc < 0, '%r %r' % (rc, err))
        check(report, 'the module raised its health check', 'DISKPREDICT_DAEMON_UNREACHABLE' in mgr.health_checks,
              repr(mgr.health_checks))
        check(report, 'the fleet alarm stays beside it', 'DISKPREDICT_FLEET_ALARM' in mgr.health_checks,
              repr(mgr.health_checks))

        mgr.call('shutdown', module.shutdown)
        thread.join(10)
        check(report, 'serve() returns after shutdown()', not thread.is_alive())
    finally:
        peer.close()
        logging.shutdown()


def _serve(mgr, module):
    try:
        mgr.call('serve', module.serve)
    except Crash:
        pass


def prediction(devid, samples):
    bad = 'FAILING' in devid
    return {'devid': devid, 'status': 'Bad' if bad else 'Good', 'cli': '<2w' if bad else '>6w',
            'life_expectancy_min': '2026-01-01' if bad else '2027-01-01',
            'life_expectancy_max': '2026-01-10' if bad else None,
            'life_expectancy': {'from_s': 0, 'to_s': None}, 'p14': 0.9 if bad else 0.01,
            'p42': 0.95 if bad else 0.02, 'model': {'name': 'scripted', 'version': '1'},
            'samples_used': len(samples), 'samples_skipped': 0, 'familiarity': 'model',
            'reasons': [{'feature': 'smart_5_raw', 'text': 'reallocated sectors', 'contribution': 1.0}]}


class DeviceHealth(object):
    """devicehealth's two read methods with each generation's limits: 16.2 reads omap, at most MAX_SAMPLES = 500
    keys from the OLDEST (after `min_sample`); 17.2+ reads sqlite, every sample from `min_sample` on."""

    def __init__(self, mgr, generation):
        self.mgr = mgr
        self.generation = generation
        self.metrics = {}
        self.broken = False

    def _read(self, devid, min_sample):
        if self.broken:
            raise OSError('devicehealth: rados error')
        keys = sorted(self.metrics.get(devid, {}))
        if self.generation == 16:
            keys = [k for k in keys if k > (min_sample or '')][:500]
        else:
            keys = [k for k in keys if k >= (min_sample or '')]
        return dict((k, self.metrics[devid][k]) for k in keys)

    def show_device_metrics(self, devid, sample):
        if not [d for d in self.mgr.devices if d['devid'] == devid]:
            return -2, '', 'device ' + devid + ' not found'
        return 0, json.dumps(self._read(devid, ''), indent=4, sort_keys=True), ''

    def get_recent_device_metrics(self, devid, min_sample):
        return self._read(devid, min_sample)


if __name__ == '__main__':
    main()
