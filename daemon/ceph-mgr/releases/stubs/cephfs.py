"""Stand-in for libcephfs' Python binding (a C extension): mgr_util/mgr_module import it at load time only."""


class Error(Exception):
    pass


class LibCephFS(object):
    def __init__(self, *args, **kwargs):
        raise Error('the release harness has no libcephfs')
