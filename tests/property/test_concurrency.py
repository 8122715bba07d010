"""Optimistic concurrency under random interleavings (reliability.md C4.2).

Several writers read an object, then write back their change in a random order. Exactly the
writers whose read is still current may win; every stale write fails with the exact Conflict text
and changes nothing; no accepted update is lost.
"""
from hypothesis import given, settings, strategies as st

from labsim import Cluster
from labsim.api.meta import deep_copy
from labsim.errors import StatusError

CONFLICT = ('Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
            "please apply your changes to the latest version and try again")
DEPLOY = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
          "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                   "template": {"metadata": {"labels": {"app": "web"}},
                                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}

ops = st.lists(st.tuples(st.sampled_from(["read", "write"]), st.integers(0, 3), st.integers(0, 50)),
               min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(ops)
def test_exactly_current_readers_win(schedule):
    c = Cluster()
    deployments = c.registry.for_kind("apps", "Deployment")
    c.api.create(DEPLOY)
    copies: dict[int, dict] = {}
    accepted = []
    for op, writer, value in schedule:
        if op == "read":
            copies[writer] = deep_copy(c.api.get(deployments, "default", "web"))
            continue
        mine = copies.pop(writer, None)
        if mine is None:
            continue
        current_rv = c.api.get(deployments, "default", "web")["metadata"]["resourceVersion"]
        mine["spec"]["replicas"] = value
        before = c.digest()
        try:
            c.api.update(mine)
        except StatusError as e:
            assert mine["metadata"]["resourceVersion"] != current_rv
            assert e.reason == "Conflict" and e.code == 409 and e.message == CONFLICT
            assert c.digest() == before
        else:
            assert mine["metadata"]["resourceVersion"] == current_rv
            accepted.append(value)
    final = c.api.get(deployments, "default", "web")
    assert final["spec"]["replicas"] == (accepted[-1] if accepted else 1)
