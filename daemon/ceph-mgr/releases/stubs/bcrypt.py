"""18.2's mgr_util imports bcrypt at load time; only dashboard/restful password hashing uses it. Debian's bcrypt
is a PyO3 extension (and not on every host), so the harness uses this stub, as the real 18.2 e2e run does."""


def gensalt(*args, **kwargs):
    raise NotImplementedError('bcrypt stub')


def hashpw(*args, **kwargs):
    raise NotImplementedError('bcrypt stub')


def checkpw(*args, **kwargs):
    raise NotImplementedError('bcrypt stub')
