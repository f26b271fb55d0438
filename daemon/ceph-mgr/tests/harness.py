"""Loads diskprediction_local against the fake `mgr_module` and builds a module over a FakeCluster."""
import logging
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'fake_mgr'))
sys.path.insert(0, os.path.dirname(HERE))

from mgr_module import FakeCluster, FakeDeviceHealth  # noqa: E402
from diskprediction_local import Module  # noqa: E402
from diskprediction_local.module import HEALTH_CHECK  # noqa: E402

logging.basicConfig(level=logging.CRITICAL if not os.environ.get('DISKPREDICT_TEST_LOG') else logging.DEBUG)

__all__ = ['FakeCluster', 'FakeDeviceHealth', 'Module', 'HEALTH_CHECK', 'make_module']


def make_module(**options):
    """A module configured with `options` (as `ceph config set` strings), its cluster and the fake devicehealth
    holding the device metrics."""
    cluster = FakeCluster()
    devicehealth = FakeDeviceHealth(cluster)
    cluster.modules['devicehealth'] = devicehealth
    for name, value in options.items():
        cluster.module_options[name] = str(value)
    module = Module(cluster)
    cluster.modules['diskprediction_local'] = module
    module.config_notify()
    return module, cluster, devicehealth
