"""diskprediction_local for Ceph's devicehealth, backed by the diskpredict daemon (see docs/ceph.md)."""
from .module import Module  # noqa: F401
