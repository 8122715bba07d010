"""Memory per pod in the kubelet, and the determinism of its random draws.

Every pod and every container instance draws from its own named random stream. Those streams
used to be cached forever in ``RandomStreams`` (2.5 KB of Mersenne Twister state each, one more
per container restart). Now a container instance draws from a light derived stream freed with it,
and a pod's own stream (sandbox time, sync retry jitter) replays its named stream instead of
keeping its state: the draws, and so every time a seeded scenario shows, are those of before."""
import gc
import sys
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from models import make_cluster, pod_yaml  # noqa: E402

NODE = "k3d-kubelabs-server-0"


def fingerprint(seed):
    """What the kubelet's draws decide: nodes, pod IPs, container IDs, the containers' times
    (to the microsecond, from the kubelet's own records) and the events' counts and times."""
    c = make_cluster(seed=seed, nodes=2)
    c.apply(pod_yaml("web", ["serve"],
                     extra_container="readinessProbe: {httpGet: {path: /index.html, port: 80}, periodSeconds: 5}"))
    c.apply(pod_yaml("crash", ["exit", "1", "3"]))
    c.apply(pod_yaml("pull", image="test/missing:1"))
    c.apply(pod_yaml("once", ["exit", "0", "2"], policy="Never"))
    c.advance(300)
    out = []
    for p in c.store.list(c.registry.resolve("pods")):
        st = p["status"]
        for cs in st.get("containerStatuses") or []:
            run = (cs.get("state") or {}).get("running") or {}
            term = (cs.get("state") or {}).get("terminated") or (cs.get("lastState") or {}).get("terminated") or {}
            out.append([p["metadata"]["name"], p["spec"]["nodeName"], st.get("podIP"), cs.get("containerID"),
                        cs["restartCount"], run.get("startedAt"), term.get("startedAt"), term.get("finishedAt")])
    for _, k in sorted(c.kubelets.items()):
        for w in sorted(k.workers.values(), key=lambda w: w.name):
            for cname, insts in sorted(w.instances.items()):
                out.append([w.name, cname, [[i.restart_count] + [None if t is None else round(t, 6) for t in
                                                                 (i.created_at, i.started_at, i.finished_at)]
                                            for i in insts]])
    evs = sorted([e["involvedObject"]["name"], e["reason"], e.get("count"), e["firstTimestamp"], e["lastTimestamp"]]
                 for e in c.store.list(c.registry.resolve("events")) if e["source"].get("component") == "kubelet")
    return out, evs, c


#: the fingerprint of seed 0 as the kubelet drew it before per-pod streams stopped being cached
#: (commit 89eaf5e): the change must not move a single value
BEFORE_PODS = [
    ["crash", "k3d-kubelabs-server-0", "10.42.0.3",
     "containerd://799f86d78cfa62f7997567171ae72ded7721b9467f79d0be7afc9d83a9a9a06a", 5, None,
     "2026-11-24T09:03:16Z", "2026-11-24T09:03:19Z"],
    ["once", "k3d-kubelabs-agent-0", "10.42.1.3",
     "containerd://88773e9fcbedda43bf7cdbaff100862202328d266c7967af9fe2172572b1a02e", 0, None,
     "2026-11-24T09:00:31Z", "2026-11-24T09:00:33Z"],
    ["pull", "k3d-kubelabs-server-0", "10.42.0.2", None, 0, None, None, None],
    ["web", "k3d-kubelabs-agent-0", "10.42.1.2",
     "containerd://f797ae7939be7d59a43fddc0327e40c530d9111c316847df2eb48f19e21ea56d", 0, "2026-11-24T09:00:30Z",
     None, None],
    ["once", "app", [[0, 31.543655, 31.543655, 33.543655]]],
    ["web", "app", [[0, 30.841655, 30.841655, None]]],
    ["crash", "app", [[4, 113.300655, 113.300655, 116.300655], [5, 196.300655, 196.300655, 199.300655]]],
]
BEFORE_EVENTS = [
    ["crash", "BackOff", 10, "2026-11-24T09:00:37Z", "2026-11-24T09:02:23Z"],
    ["crash", "Created", 5, "2026-11-24T09:00:31Z", "2026-11-24T09:01:53Z"],
    ["crash", "Pulled", 5, "2026-11-24T09:00:31Z", "2026-11-24T09:01:53Z"],
    ["crash", "Started", 5, "2026-11-24T09:00:31Z", "2026-11-24T09:01:53Z"],
    ["once", "Created", 1, "2026-11-24T09:00:31Z", "2026-11-24T09:00:31Z"],
    ["once", "Pulled", 1, "2026-11-24T09:00:31Z", "2026-11-24T09:00:31Z"],
    ["once", "Started", 1, "2026-11-24T09:00:31Z", "2026-11-24T09:00:31Z"],
    ["pull", "BackOff", 7, "2026-11-24T09:00:33Z", "2026-11-24T09:02:07Z"],
    ["pull", "Failed", 4, "2026-11-24T09:00:32Z", "2026-11-24T09:01:44Z"],
    ["pull", "Failed", 4, "2026-11-24T09:00:32Z", "2026-11-24T09:01:44Z"],
    ["pull", "Failed", 6, "2026-11-24T09:00:33Z", "2026-11-24T09:01:55Z"],
    ["pull", "Pulling", 4, "2026-11-24T09:00:31Z", "2026-11-24T09:01:43Z"],
    ["web", "Created", 1, "2026-11-24T09:00:30Z", "2026-11-24T09:00:30Z"],
    ["web", "Pulled", 1, "2026-11-24T09:00:30Z", "2026-11-24T09:00:30Z"],
    ["web", "Started", 1, "2026-11-24T09:00:30Z", "2026-11-24T09:00:30Z"],
]


def test_draws_are_those_of_before():
    pods, events, _ = fingerprint(0)
    assert pods == BEFORE_PODS
    assert events == BEFORE_EVENTS


def test_same_seed_same_cluster_other_seed_other_draws():
    a, b, c7 = fingerprint(0), fingerprint(0), fingerprint(7)
    assert a[2].digest() == b[2].digest() and a[:2] == b[:2]
    assert c7[2].digest() != a[2].digest()
    # another seed moves the sandbox times (the pods' own streams) and the container IDs
    times = lambda fp: [x[2] for x in fp[0] if len(x) == 3]
    ids = lambda fp: [x[3] for x in fp[0] if len(x) == 8]
    assert times(c7) != times(a) and ids(c7) != ids(a)


def test_no_stream_is_cached_per_pod_or_per_container_instance():
    c = make_cluster()
    c.apply(pod_yaml("crash", ["exit", "1", "1"]))
    c.apply(pod_yaml("web", ["serve"]))
    c.advance(600)
    assert c.kubectl("get pod crash").stdout.split()[8] == "6"  # RESTARTS: 6 instances created
    uid = c.api.get(c.api.registry.for_kind("", "Pod"), "default", "crash")["metadata"]["uid"]
    names = sorted(c.rand._streams)
    assert not [n for n in names if uid in n or "/pod/" in n], names
    assert [n for n in names if n.startswith("kubelet/")] == [
        "kubelet/k3d-kubelabs-server-0", "kubelet/k3d-kubelabs-server-0/container-ids",
        "kubelet/k3d-kubelabs-server-0/images"]


_SKIP_TYPES = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.CodeType)


def _owned_bytes(roots, shared) -> int:
    """``sys.getsizeof`` of every object reachable from ``roots`` without going through
    ``shared`` ones (the API server's objects, the clock, the network...): what the kubelet and
    the random streams hold themselves. (tracemalloc by allocating line cannot tell this apart:
    the API server's history keeps the status and event strings the kubelet built.)"""
    seen = {id(o) for o in shared}
    stack = list(roots)
    total = 0
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, _SKIP_TYPES):
            continue
        seen.add(id(o))
        total += sys.getsizeof(o)
        stack.extend(gc.get_referents(o))
    return total


def _api_owned(c) -> list:
    out = [c, c.api, c.store, c.clock]
    stack, seen = [c.store._objects], set()
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        out.append(o)
        if isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, list):
            stack.extend(o)
    return out


def test_crash_loop_memory_does_not_grow_per_restart():
    """A container restarting for an hour: the kubelet keeps the current and the previous instance
    (and their logs), nothing more per restart."""
    c = make_cluster()
    c.apply(pod_yaml("crash", ["exit", "1", "1"]))
    c.advance(900)  # back-off at its 5-minute cap from here on
    k = c.kubelet_for(NODE)

    def held():
        gc.collect()
        return _owned_bytes([k, c.rand], _api_owned(c) + [k.network, k.recorder, k.images._catalog])

    def restarts():
        return int(c.kubectl("get pod crash").stdout.split()[8])

    before, restarts_before = held(), restarts()
    c.advance(3000)
    after, restarts_after = held(), restarts()
    assert restarts_after - restarts_before == 10
    w = k.worker_for("crash")
    assert [i.restart_count for i in w.instances["app"]] == [restarts_after - 1, restarts_after]
    assert [[line.text for line in i.logs] for i in w.instances["app"]] == [["start exit 1 1"]] * 2
    # a random.Random cached per restart (and per pod) held 2.5 KB each: ~29 KB over these ten
    assert abs(after - before) < 1024, (before, after)
