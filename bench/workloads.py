"""The benchmarks, as data: one :class:`Benchmark` entry each in :data:`BENCHMARKS`.

Add a benchmark by appending an entry: a name, what is measured, the unit, the target and whether
lower or higher is better, and a ``measure()`` function doing ONE run and returning the figure in
that unit (set-up outside the timed part). ``measure`` raises :class:`NotAvailable` when the
feature it needs is not built yet, so the harness prints ``n/a (reason)`` instead of failing.
``isolated=True`` runs it in a fresh interpreter (memory figures must not see other benchmarks'
garbage). Targets: issue 3 (set-up, kubectl and API figures); anchors in the project's
performance notes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from labsim import Cluster

MiB = 1024 * 1024


class NotAvailable(Exception):
    """The feature this benchmark measures is not built yet (the text says which)."""


@dataclass(frozen=True)
class Benchmark:
    name: str
    what: str
    unit: str  # "ms", "objects/s", "MiB"
    target: float
    better: str  # "lower" (times, memory) | "higher" (throughputs)
    measure: Callable[[], float]
    runs: int = 5  # the harness reports the p50 of this many runs
    isolated: bool = False
    source: str = "issue 3"


# -- helpers ---------------------------------------------------------------------------------------

def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _require_verb(path: str) -> None:
    """Checked before any costly set-up: the kubectl verb must have a handler."""
    from labsim.kubectl import cli

    if path not in cli.handlers():
        raise NotAvailable(f"kubectl {path} is not implemented yet")


def _require_ok(result, what: str) -> None:
    """A kubectl command that failed means the verb is broken: nothing to measure."""
    if result.exit_code != 0:
        first = (result.stderr or result.stdout).strip().splitlines()
        reason = first[0] if first else f"exit code {result.exit_code}"
        raise NotAvailable(f"{what} failed: {reason[:120]}")


def realistic_pod(i: int, namespace: str = "default") -> dict:
    """A pod shaped as a ReplicaSet of a Deployment creates it (before the server's defaulting), without
    the ownerReference: no such ReplicaSet exists here, and the garbage collector deletes pods whose
    owner is gone."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"web-7d4b9c8f6d-{i:05d}",
            "generateName": "web-7d4b9c8f6d-",
            "namespace": namespace,
            "labels": {"app": "web", "pod-template-hash": "7d4b9c8f6d"},
        },
        "spec": {
            "nodeName": "k3d-kubelabs-server-0",
            "containers": [{
                "name": "nginx",
                "image": "nginx:1.27",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
                "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10},
                "env": [{"name": "MODE", "value": "production"}],
            }],
        },
    }


def configmap_yaml(i: int) -> str:
    return (f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{i:04d}\n  labels:\n    app: web\n"
            f"data:\n  mode: production\n  index: \"{i}\"\n")


# -- the measurements -----------------------------------------------------------------------------

def cluster_create_ms() -> float:
    seconds, _ = _timed(Cluster)
    return seconds * 1000


@lru_cache(maxsize=None)
def _cluster_with_pods(n: int) -> Cluster:
    c = Cluster()
    for i in range(n):
        c.api.create(realistic_pod(i))
    return c


def _get_pods_ms(n: int) -> float:
    _require_verb("get")
    c = _cluster_with_pods(n)
    seconds, result = _timed(lambda: c.kubectl("get pods"))
    _require_ok(result, "kubectl get pods")
    rows = result.stdout.count("\n")
    if rows != n + 1:
        raise NotAvailable(f"kubectl get pods printed {rows} lines for {n} pods (expected {n + 1})")
    return seconds * 1000


def _apply_configmaps_per_second(n: int, one_at_a_time: bool) -> float:
    _require_verb("apply")
    c = Cluster()
    cm = c.registry.resolve("configmaps")
    before = len(c.store.list(cm))
    docs = [configmap_yaml(i) for i in range(n)]
    if one_at_a_time:
        def run():
            for d in docs:
                r = c.kubectl("apply -f -", stdin=d)
                if r.exit_code != 0:
                    return r
            return r
    else:
        stream = "---\n".join(docs)

        def run():
            return c.kubectl("apply -f -", stdin=stream)
    seconds, result = _timed(run)
    _require_ok(result, "kubectl apply -f -")
    created = len(c.store.list(cm)) - before
    if created != n:
        raise NotAvailable(f"kubectl apply stored {created} of {n} ConfigMaps")
    return n / seconds


#: a schedulerName no scheduler serves: the pods stay unscheduled, so neither the scheduler binds
#: them nor a kubelet runs (or, past 110 pods on a node, rejects) them
UNSERVED_SCHEDULER = "no-such-scheduler"


def stored_pod(i: int, namespace: str = "default") -> dict:
    """:func:`realistic_pod`, unbound and for a scheduler that does not exist: only stored."""
    pod = realistic_pod(i, namespace)
    spec = dict(pod["spec"])
    del spec["nodeName"]
    spec["schedulerName"] = UNSERVED_SCHEDULER
    return {**pod, "spec": spec}


def memory_per_10000_pods_mib() -> float:
    """Peak traced Python memory while 10,000 pods are created and stored (API server + store),
    above a booted cluster. The pods are unscheduled (:data:`UNSERVED_SCHEDULER`), so what is
    measured is the cost of stored pods, not of running them."""
    import gc
    import tracemalloc

    c = Cluster()
    gc.collect()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for i in range(10_000):
        c.api.create(stored_pod(i))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pods = c.store.list(c.registry.resolve("pods"))
    if len(pods) != 10_000:
        raise NotAvailable(f"only {len(pods)} pods stored")
    if any(p["spec"].get("nodeName") for p in pods):
        raise NotAvailable("a pod for an unserved scheduler was bound")
    return (peak - base) / MiB


def _running_nginx_pod(i: int) -> dict:
    """An nginx pod with a readiness probe; small requests so 100 fit a 4-CPU, 8 GiB node."""
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"web-{i:04d}", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"containers": [{
                "name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "resources": {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"memory": "128Mi"}},
                "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10}}]}}


def memory_1000_running_pods_mib() -> float:
    """Traced Python memory held, after a garbage collection, by 1,000 running nginx pods with
    readiness probes over 10 nodes, one simulated minute after they were created: the stored
    objects and their history, events, scheduler and kubelet state, container models and logs."""
    import gc
    import tracemalloc

    c = Cluster(nodes=10)
    if not hasattr(c, "kubelets"):
        raise NotAvailable("no kubelets in Cluster")
    for k in c.kubelets.values():
        k.images.preload("nginx:1.27")
    c.advance(1)
    gc.collect()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    for i in range(1000):
        c.api.create(_running_nginx_pod(i))
    c.advance(60)
    gc.collect()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pods = c.store.list(c.registry.resolve("pods"))
    ready = sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Running"
                and all(cs.get("ready") for cs in p["status"].get("containerStatuses") or [{}]))
    if ready != 1000:
        raise NotAvailable(f"only {ready} of 1,000 pods running and ready")
    return (held - base) / MiB


BENCHMARKS: list[Benchmark] = [
    Benchmark("cluster-create", "a fresh Cluster() (k3d-like, 1 node, system objects)", "ms", 20, "lower",
              cluster_create_ms),
    Benchmark("get-pods-100", "kubectl get pods over 100 pods", "ms", 5, "lower", lambda: _get_pods_ms(100)),
    Benchmark("get-pods-10000", "kubectl get pods over 10,000 pods", "ms", 300, "lower",
              lambda: _get_pods_ms(10_000)),
    Benchmark("apply-1000-configmaps-stream", "1,000 ConfigMaps in one multi-document kubectl apply -f -",
              "objects/s", 2000, "higher", lambda: _apply_configmaps_per_second(1000, one_at_a_time=False)),
    Benchmark("apply-1000-configmaps-each", "1,000 ConfigMaps, one kubectl apply -f - each", "objects/s", 2000,
              "higher", lambda: _apply_configmaps_per_second(1000, one_at_a_time=True)),
    Benchmark("memory-10000-pods", "peak memory to create and store 10,000 pods (tracemalloc; API server + "
              f"store only: the pods name schedulerName {UNSERVED_SCHEDULER}, which no scheduler serves, so none "
              "is bound or run)", "MiB", 150, "lower", memory_per_10000_pods_mib, runs=1, isolated=True),
]


# -- issue 4: the kubelet ---------------------------------------------------------------------------
def _probed_pod(i: int) -> dict:
    """An nginx pod with an HTTP liveness and readiness probe (period 10 s, the defaults)."""
    probe = {"httpGet": {"path": "/", "port": 80}}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"web-{i:02d}", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                                     "livenessProbe": dict(probe), "readinessProbe": dict(probe)}]}}


def kubelet_hour_seconds() -> float:
    """3 nodes, 30 probed nginx pods running: wall seconds to simulate one hour."""
    c = Cluster(nodes=3)
    if not hasattr(c, "kubelets"):
        raise NotAvailable("no kubelets in Cluster")
    for k in c.kubelets.values():
        k.images.preload("nginx:1.27")
    for i in range(30):
        c.api.create(_probed_pod(i))
    c.advance(60)
    pods = c.store.list(c.registry.resolve("pods"))
    ready = sum(1 for p in pods if any(cs.get("ready") for cs in (p.get("status") or {}).get("containerStatuses") or []))
    if ready != 30:
        raise NotAvailable(f"only {ready} of 30 pods ready")
    start = time.perf_counter()
    c.advance(3600)
    return time.perf_counter() - start


BENCHMARKS.append(Benchmark("kubelet-hour-3-nodes-30-probed-pods",
                            "simulate 1 h of a 3-node cluster with 30 running pods (liveness + readiness)",
                            "s", 0.5, "lower", kubelet_hour_seconds, runs=3, source="issue 4"))
BENCHMARKS.append(Benchmark("memory-1000-running-pods",
                            "memory held by 1,000 running nginx pods with readiness probes on 10 nodes after 60 s "
                            "(tracemalloc; figure/1000 = MiB per running pod; target provisional, none in the issue)",
                            "MiB", 150, "lower", memory_1000_running_pods_mib, runs=1, isolated=True, source="issue 4"))


# -- issue 5: ReplicaSets and Deployments ------------------------------------------------------------
def _rollout_deployment(replicas: int) -> dict:
    """An nginx Deployment with the default strategy (25% / 25%) and small requests so that 1,000
    pods fit on 10 nodes (110 pods each by the kubelet's maxPods)."""
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{
                                      "name": "nginx", "image": "nginx:1.27",
                                      "resources": {"requests": {"cpu": "1m", "memory": "4Mi"}}}]}}}}


def _rollout_complete(c: Cluster, replicas: int) -> bool:
    """`kubectl rollout status` would say "successfully rolled out" (rollout_status.go), and the
    old pods are gone from the store."""
    d = c.store.get(c.registry.resolve("deployments"), "default", "web")
    md, status = d["metadata"], d.get("status") or {}
    if md.get("generation", 0) > status.get("observedGeneration", 0):
        return False
    if status.get("updatedReplicas", 0) < replicas or status.get("replicas", 0) > status.get("updatedReplicas", 0):
        return False
    if status.get("availableReplicas", 0) < status.get("updatedReplicas", 0):
        return False
    return c.store.count(c.registry.resolve("pods")) == replicas


def rolling_update_seconds(replicas: int) -> float:
    """Wall seconds for a rolling update nginx:1.27 -> nginx:1.28 of a Deployment of ``replicas``
    available pods, from `kubectl set image` until the rollout is complete and the old pods are
    deleted (scheduler, kubelets, ReplicaSet and Deployment controllers, garbage collector)."""
    nodes = max(3, -(-replicas // 100))
    c = Cluster(nodes=nodes)
    if c.controller_manager.get("deployment-controller") is None:
        raise NotAvailable("no Deployment controller in Cluster")
    for k in c.kubelets.values():
        k.images.preload("nginx:1.27", "nginx:1.28")
    c.api.create(_rollout_deployment(replicas))
    for _ in range(120):
        c.advance(5)
        if _rollout_complete(c, replicas):
            break
    else:
        raise NotAvailable(f"the {replicas}-replica Deployment never became available")

    def update() -> bool:
        _require_ok(c.kubectl("set image deployment/web nginx=nginx:1.28"), "set image")
        for _ in range(600):
            c.advance(1)
            if _rollout_complete(c, replicas):
                return True
        return False

    seconds, done = _timed(update)
    if not done:
        raise NotAvailable(f"the {replicas}-replica rollout did not complete in 600 simulated seconds")
    return seconds


BENCHMARKS.append(Benchmark("rolling-update-10-replicas",
                            "kubectl set image on a 10-replica Deployment (3 nodes) until the rollout is complete",
                            "ms", 50, "lower", lambda: rolling_update_seconds(10) * 1000, runs=5, source="issue 5"))
BENCHMARKS.append(Benchmark("rolling-update-1000-replicas",
                            "kubectl set image on a 1,000-replica Deployment (10 nodes) until the rollout is complete",
                            "s", 3, "lower", lambda: rolling_update_seconds(1000), runs=1, source="issue 5"))


# -- issue 6: live views ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _view_rollout_playback() -> tuple[float, float]:
    """A ClusterView (with its toolbar and slider) on a 300-replica Deployment (3 nodes) while the
    live clock plays at x60 through a rolling update: 60 wall seconds simulated with a fake wall
    clock ticking every 20 ms (the driver's pace in real proportion), the fake comm counting the
    messages the view's HTML sends. Returns (updates per wall second, kernel CPU seconds per wall
    second spent catching up, rendering and sending)."""
    try:
        import comm
        import ipywidgets  # noqa: F401 - the views need it
    except ImportError as e:
        raise NotAvailable(f"ipywidgets is not installed ({e})") from e
    from labsim.widgets import live, view

    sent: list[float] = []
    wall = [1000.0]

    class CountingComm(comm.DummyComm):
        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            if msg_type == "comm_msg" and self.comm_id == target[0]:
                sent.append(wall[0])

    target = [None]
    saved_create = comm.create_comm
    comm.create_comm = lambda *a, **k: CountingComm(*a, **k)
    live.set_monotonic(lambda: wall[0])
    try:
        c = Cluster(nodes=3)
        for k in c.kubelets.values():
            k.images.preload("nginx:1.27", "nginx:1.28")
        c.api.create(_rollout_deployment(300))
        c.advance(60)
        v = view.cluster(cluster=c)
        target[0] = v.html.comm.comm_id
        d = live.driver_for(c)
        d.set_speed(60)
        d.play()
        _require_ok(c.kubectl("set image deployment/web nginx=nginx:1.28"), "set image")
        live.after_command(c)
        sent.clear()
        cpu0 = time.process_time()
        seconds = 60.0
        end = wall[0] + seconds
        while wall[0] < end:
            wall[0] = round(wall[0] + 0.02, 6)
            d.tick()
        cpu = time.process_time() - cpu0
        d.pause()
        if "data-pods='300'" not in v.html.value:
            raise NotAvailable("the view does not show the 300 pods at the end of the rollout")
        v.close()
    finally:
        comm.create_comm = saved_create
        live.set_monotonic(None)
    return len(sent) / seconds, cpu / seconds


BENCHMARKS.append(Benchmark("view-300-pod-rollout-x60-update-rate",
                            "ClusterView updates per wall second while the live clock plays a 300-pod rolling "
                            "update at x60 (fake wall clock, fake comm)",
                            "updates/s", 10, "lower", lambda: _view_rollout_playback()[0], runs=1, source="issue 6"))
BENCHMARKS.append(Benchmark("view-300-pod-rollout-x60-cpu",
                            "kernel CPU seconds per wall second spent by the live clock and the view (simulating, "
                            "rendering, sending) during the same playback; above 1 the kernel cannot keep x60",
                            "cpu-s/s", 1, "lower", lambda: _view_rollout_playback()[1], runs=1, source="issue 6"))
