"""labsim: a simulated Kubernetes v1.32 cluster for learning, in-process, on a simulated clock."""
from labsim.cluster import Cluster
from labsim.kubectl import Result

__all__ = ["Cluster", "Result", "load_ipython_extension"]
__version__ = "0.1.0"


def load_ipython_extension(ipython):
    """``%load_ext labsim``: registers ``%kubectl``, ``%%kubectl`` and ``%sleep``."""
    from labsim.magics import load_ipython_extension as _load

    _load(ipython)
