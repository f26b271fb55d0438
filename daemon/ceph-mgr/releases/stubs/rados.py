"""Stand-in for librados' Python binding (a C extension built for the release's Python): mgr_module.py only
imports it and names its types; the harness never opens a cluster connection."""


class Error(Exception):
    pass


class ObjectNotFound(Error):
    pass


class Rados(object):
    def __init__(self, *args, **kwargs):
        raise Error('the release harness has no librados')
