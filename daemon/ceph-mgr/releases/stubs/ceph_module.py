"""Stand-in for ceph-mgr's C extension `ceph_module`: the base classes the release's real mgr_module.py derives
from. Every `_ceph_*` call goes to the replaying mgr (replay_mgr.Mgr), which plays the C++ side."""


class BaseMgrModule(object):
    def __init__(self, py_modules_ptr, this_ptr):
        self._replay = py_modules_ptr

    def __getattr__(self, name):
        if name.startswith('_ceph_'):
            return getattr(self._replay, name[1:])   # _ceph_get -> Mgr.ceph_get
        raise AttributeError(name)


class BaseMgrStandbyModule(BaseMgrModule):
    pass


class BasePyOSDMap(object):
    pass


class BasePyOSDMapIncremental(object):
    pass


class BasePyCRUSH(object):
    pass
