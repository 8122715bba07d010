"""Open ``kubectl get -w`` streams.

A watch prints its initial table when the command runs, then one row per change while simulated
time passes (``Cluster.advance``); it ends when the next command is typed in a script, or at the
end of the cell in a notebook. Each open stream is an object with ``drain() -> str`` (the rows
printed since the last drain) and ``stop()``, kept in ``cluster.watches``.
"""
from __future__ import annotations


def collect_watch_output(cluster) -> str:
    return "".join(w.drain() for w in list(cluster.watches))


def stop_watches_for_new_command(cluster) -> str:
    if not cluster.watches:
        return ""
    return cluster.stop_watches()
