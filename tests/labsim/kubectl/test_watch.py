"""kubectl get -w: initial table, one row per change with remembered widths (watch.txt)."""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from get_fixtures import transcript_cluster  # noqa: E402

from labsim.kubectl import run  # noqa: E402

#: Hand-driven pods: no scheduler serves this name, so only the test changes their state.
STATIC_SPEC = {"schedulerName": "transcript-scheduler", "containers": [{"name": "app", "image": "nginx"}]}


def _newpod_lifecycle(c):
    """newpod: Pending -> ContainerCreating -> Running -> Terminating -> gone (as the watch.txt stub streamed)."""
    created = c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "newpod", "labels": {"run": "db"}},
                            "spec": STATIC_SPEC})
    c.api.update_status({**created, "status": {"phase": "Pending"}})
    out = c.advance(1)
    pod = c.api.bind("default", "newpod", "kind-control-plane")
    c.api.update_status({**pod, "status": {"phase": "Pending", "containerStatuses": [
        {"name": "app", "image": "nginx", "imageID": "", "ready": False, "restartCount": 0,
         "state": {"waiting": {"reason": "ContainerCreating"}}}]}})
    out += c.advance(1)
    pod = c.api.get(c.registry.resolve("pods"), "default", "newpod")
    c.api.update_status({**pod, "status": {"phase": "Running", "podIP": "10.244.0.40",
                                           "podIPs": [{"ip": "10.244.0.40"}], "containerStatuses": [
        {"name": "app", "image": "nginx", "imageID": "", "ready": True, "restartCount": 0, "started": True,
         "state": {"running": {"startedAt": "2026-11-24T11:01:00Z"}}}]}})
    out += c.advance(1)
    c.api.delete(c.registry.resolve("pods"), "default", "newpod", grace_period=0)
    out += c.advance(1)
    return out


def test_watch_rows_grow_columns():
    c = transcript_cluster()
    r = run(c, "get pods -w -l run=db")
    assert r.stdout == "NAME   READY   STATUS    RESTARTS        AGE\ndb     1/1     Running   2 (2m20s ago)   2m40s\n"
    out = _newpod_lifecycle(c)
    assert out == (
        "newpod   0/1     Pending   0               0s\n"
        "newpod   0/1     Pending   0               1s\n"
        "newpod   0/1     ContainerCreating   0               1s\n"
        "newpod   1/1     Running             0               2s\n"
        "newpod   1/1     Running             0               3s\n")
    assert len(c.watches) == 1
    c.stop_watches()
    assert c.watches == []


def test_watch_only_and_events_column():
    c = transcript_cluster()
    r = run(c, "get pods --watch-only --output-watch-events")
    assert r.stdout == "" and r.stderr == ""
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "newpod"},
                  "spec": STATIC_SPEC})
    out = c.advance(1)
    c.api.delete(c.registry.resolve("pods"), "default", "newpod", grace_period=0)
    out += c.advance(1)
    assert out == ("EVENT      NAME     READY   STATUS    RESTARTS   AGE\n"
                   "ADDED      newpod   0/1     Pending   0          0s\n"
                   "DELETED    newpod   0/1     Pending   0          1s\n")


def test_watch_one_name_and_recreate():
    c2 = transcript_cluster()
    r = run(c2, "get pod db -w")
    assert r.stdout == "NAME   READY   STATUS    RESTARTS        AGE\ndb     1/1     Running   2 (2m20s ago)   2m40s\n"
    rt = c2.registry.resolve("pods")
    c2.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "other"},
                   "spec": STATIC_SPEC})
    assert c2.advance(1) == ""  # another name is not watched
    c2.api.delete(rt, "default", "db", grace_period=0)
    out = c2.advance(1)
    assert out == "db     1/1     Running   2 (2m21s ago)   2m41s\n"
    c2.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db"},
                   "spec": {**STATIC_SPEC, "containers": [{"name": "db", "image": "mongo"}]}})
    assert c2.advance(1) == "db     0/1     Pending   0               0s\n"


def test_next_command_stops_the_watch():
    c = transcript_cluster()
    run(c, "get pods -w")
    assert len(c.watches) == 1
    run(c, "get ns default -o name")
    assert c.watches == []
