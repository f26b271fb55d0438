"""A stand-in for ceph-mgr's `mgr_module`, just wide enough for diskprediction_local.

It mimics the calls the module makes, with ceph-mgr 16.2's behaviour: typed `get_module_option`,
`remote()` turning the callee's exceptions into RuntimeError and unknown modules into ImportError,
`mon_command` returning (rc, out, err), and one health-check map per module. Everything the module does
to the cluster is recorded on a `FakeCluster` for the tests to inspect.
"""
import json
import logging


class Option(dict):
    def __init__(self, name, default=None, type='str', desc='', long_desc='', min=None, max=None,
                 enum_allowed=None, see_also=None, tags=None, runtime=False):
        super(Option, self).__init__(name=name, default=default, type=type, desc=desc)


_CONVERTERS = {'str': str, 'secs': int, 'int': int, 'uint': int, 'float': float}


class FakeCluster(object):
    """The mgr-side state a module sees and changes."""

    def __init__(self):
        self.module_options = {}       # name -> value as `ceph config set` stored it (a string)
        self.ceph_options = {'device_failure_prediction_mode': 'local'}
        self.devices = []              # `self.get('devices')['devices']`
        self.modules = {}              # name -> object whose methods remote() may call
        self.store = {}
        self.mon_commands = []         # every command dict sent, in order
        self.mon_replies = {}          # prefix -> (rc, out, err); default (0, '', '')
        self.health_checks = {}
        self.health_check_history = []  # every map passed to set_health_checks

    def add_device(self, devid, daemons=('osd.0',)):
        self.devices.append({'devid': devid, 'daemons': list(daemons), 'location': []})


class FakeDeviceHealth(object):
    """devicehealth's `show_device_metrics`: ENOENT for unknown devices, else the stored samples as JSON."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.metrics = {}              # devid -> {"YYYYmmdd-HHMMSS": sample}

    def show_device_metrics(self, devid, sample):
        if devid not in [d['devid'] for d in self.cluster.devices]:
            return -2, '', 'device ' + devid + ' not found'
        return 0, json.dumps(self.metrics.get(devid, {}), indent=4, sort_keys=True), ''


class MgrModule(object):
    MODULE_OPTIONS = []
    COMMANDS = []

    def __init__(self, cluster):
        self._cluster = cluster
        self.log = logging.getLogger('mgr.fake.' + type(self).__module__)

    @staticmethod
    def can_run():
        return True, ''

    def get_module_option(self, key, default=None):
        spec = [o for o in self.MODULE_OPTIONS if o['name'] == key]
        if not spec:
            raise RuntimeError('option %s not declared' % key)
        if key not in self._cluster.module_options:
            return default
        raw = self._cluster.module_options[key]
        # ceph-mgr converts by the declared type; a value it cannot convert reaches the module as given.
        try:
            return _CONVERTERS.get(spec[0]['type'], str)(raw)
        except (TypeError, ValueError):
            return raw

    def get_ceph_option(self, key):
        return self._cluster.ceph_options.get(key)

    def get(self, data_name):
        if data_name == 'devices':
            return {'devices': [dict(d) for d in self._cluster.devices]}
        raise KeyError(data_name)

    def get_store(self, key, default=None):
        return self._cluster.store.get(key, default)

    def set_store(self, key, val):
        self._cluster.store[key] = val

    def remote(self, module_name, method_name, *args, **kwargs):
        if module_name not in self._cluster.modules:
            raise ImportError('Module not found: %s' % module_name)
        try:
            return getattr(self._cluster.modules[module_name], method_name)(*args, **kwargs)
        except Exception as e:
            raise RuntimeError(str(e))

    def mon_command(self, cmd_dict, inbuf=None):
        json.dumps(cmd_dict)           # the real one serialises it; fail the same way on junk
        self._cluster.mon_commands.append(dict(cmd_dict))
        return self._cluster.mon_replies.get(cmd_dict['prefix'], (0, '', ''))

    def set_health_checks(self, checks):
        json.dumps(checks)
        self._cluster.health_checks = dict(checks)
        self._cluster.health_check_history.append(dict(checks))
