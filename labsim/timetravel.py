"""Time travel: the cluster as it was at simulated time ``t``, and branches from there.

Everything here is built on :attr:`labsim.api.store.ObjectStore.history` (every write since boot,
oldest first, each version a shared read-only dict): nothing is re-run to show the past.

Slider contract (for ``labsim.widgets`` and ``labsim.course``)
--------------------------------------------------------------

``cluster.history`` is a :class:`History` (one per cluster, indexed lazily: it catches up with
the store's history when asked, so the live simulation pays nothing while nobody looks back):

``h.start`` / ``h.end``
    the slider's range in simulated seconds: ``0.0`` (boot) .. ``cluster.clock.now``.
``h.times()``
    the distinct simulated times at which something changed, ascending (snap points / ticks);
    ``h.times(t0, t1)`` only those with ``t0 < time <= t1``.
``h.rv_at(t)``
    the resourceVersion of the last write at or before ``t`` (``0`` before any write); two
    positions with the same ``rv_at`` show the same state, so a view redraws only when it changes.
``h.objects_at(t, resources=None)``
    ``{group_resource: {key: obj}}`` as it was at the end of simulated instant ``t`` (every write
    with ``time <= t`` applied; ``key`` is ``namespace/name`` or ``name``; ``group_resource`` is
    :attr:`ResourceType.group_resource`, e.g. ``"pods"``, ``"deployments.apps"``). ``resources``
    restricts the answer to some group_resources (cheaper). The inner dicts are fresh (change them
    freely); the objects are the store's shared versions: read them, never mutate them.
    Checkpoints make this O(objects) however long the session: see the figures in
    ``tests/labsim/test_timetravel.py``.
``h.events_between(t0, t1)``
    the :class:`WatchEvent` s with ``t0 < time <= t1``, oldest first (what changed while the
    slider moved from ``t0`` to ``t1``; a view can apply them instead of redrawing).

``cluster.at(t)`` is a :class:`PastCluster`: ``.kubectl("get pods")`` prints the cluster as it was
at ``t`` (ages relative to ``t``, ``describe`` with the events as they were at ``t``, ``logs`` up
to ``t`` while the kubelet still keeps that container); every command that would change the
cluster (or wait for it) is refused with exit code 1 and :func:`read_only_message`. It has the
attributes the kubectl front end and views read: ``api``, ``store``, ``clock`` (frozen at ``t``),
``registry``, ``kubeconfig`` (shared with the live cluster: it is the client's), ``now``.

``cluster.branch(t)`` is a new :class:`labsim.cluster.Cluster` whose store starts from the state
at ``t`` and whose clock starts at ``t``; see :func:`branch` and its ``Limitations``.

Viewing the past from a notebook (``labsim.course`` / ``%kubectl``): the course runtime keeps the
live cluster and a "viewing" time ``t`` (None when live). While ``t`` is set, ``%kubectl`` runs
``live.at(t).kubectl(line)`` (a write then prints the refusal); views draw
``live.history.objects_at(t)``. "Branch from here" calls ``b = live.branch(t)`` and makes ``b``
the course's current cluster (``labsim.course`` swaps its reference; ``b`` is a complete
``Cluster``: ``kubectl``, ``advance``, ``history``, ``at`` and ``branch`` work on it). The live
cluster is untouched and can be made current again. Views fed by store watches must re-subscribe
to ``b.store`` when the current cluster changes.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Any, Callable, Iterable

from labsim.api.store import DELETED, WatchEvent
from labsim.errors import KubectlError

__all__ = ["History", "PastCluster", "FrozenClock", "SnapshotStore", "ReadOnlyError", "read_only_message",
           "READ_ONLY_COMMANDS"]

#: a full copy of the state is kept every ``max(CHECKPOINT_EVENTS, live objects)`` events: the
#: copies cost O(1) amortised per event, and ``objects_at`` replays at most that many events
CHECKPOINT_EVENTS = 256


def _key(ev: WatchEvent) -> str:
    md = ev.object["metadata"]
    return f"{md.get('namespace')}/{md['name']}" if ev.resource.namespaced else md["name"]


def format_time(t: float) -> str:
    """``73s``, ``73.5s``: how a simulated time is named in messages."""
    return f"{t:g}s" if t != int(t) else f"{int(t)}s"


class History:
    """An index of a store's history by simulated time, with checkpoints (see the module doc)."""

    def __init__(self, store, clock=None, checkpoint_events: int = CHECKPOINT_EVENTS):
        self.store = store
        self.clock = clock if clock is not None else store.clock
        self.checkpoint_events = checkpoint_events
        self._n = 0  # events of store.history indexed so far
        self._times: list[float] = []  # time of each indexed event (nondecreasing: one clock)
        self._distinct: list[float] = []
        #: the state after the indexed events, maintained incrementally
        self._head: dict[str, dict[str, dict]] = {}
        self._live = 0
        #: checkpoints: (number of events applied, {group_resource: {key: obj}})
        self._cp_at: list[int] = [0]
        self._cp_state: list[dict[str, dict[str, dict]]] = [{}]

    # -- indexing -------------------------------------------------------------------------------
    def _catch_up(self) -> None:
        hist = self.store.history
        n = len(hist)
        if n == self._n:
            return
        times, distinct, head = self._times, self._distinct, self._head
        last_cp = self._cp_at[-1]
        every = self.checkpoint_events
        live = self._live
        for i in range(self._n, n):
            ev = hist[i]
            t = ev.time
            times.append(t)
            if not distinct or distinct[-1] != t:
                distinct.append(t)
            bucket = head.get(ev.resource.group_resource)
            if bucket is None:
                bucket = head[ev.resource.group_resource] = {}
            key = _key(ev)
            if ev.type == DELETED:
                if bucket.pop(key, None) is not None:
                    live -= 1
            else:
                if key not in bucket:
                    live += 1
                bucket[key] = ev.object
            if i + 1 - last_cp >= max(every, live):
                last_cp = i + 1
                self._cp_at.append(last_cp)
                self._cp_state.append({gr: dict(b) for gr, b in head.items() if b})
        self._live = live
        self._n = n

    # -- the slider's questions -----------------------------------------------------------------
    @property
    def start(self) -> float:
        return 0.0

    @property
    def end(self) -> float:
        return self.clock.now

    def __len__(self) -> int:
        self._catch_up()
        return self._n

    def times(self, t0: float | None = None, t1: float | None = None) -> list[float]:
        """Distinct simulated times at which something changed (``t0 < time <= t1``), ascending."""
        self._catch_up()
        d = self._distinct
        lo = 0 if t0 is None else bisect_right(d, t0)
        hi = len(d) if t1 is None else bisect_right(d, t1)
        return d[lo:hi]

    def index_at(self, t: float) -> int:
        """How many history events have ``time <= t``."""
        self._catch_up()
        return bisect_right(self._times, t)

    def rv_at(self, t: float) -> int:
        """The resourceVersion of the last write at or before ``t`` (0 before any)."""
        i = self.index_at(t)
        return self.store.history[i - 1].resource_version if i else 0

    def objects_at(self, t: float, resources: Iterable[str] | None = None) -> dict[str, dict[str, dict]]:
        """``{group_resource: {key: obj}}`` at the end of instant ``t`` (see the module doc)."""
        return self.state_at_index(self.index_at(t), resources)

    def state_at_index(self, i: int, resources: Iterable[str] | None = None) -> dict[str, dict[str, dict]]:
        """The state after the first ``i`` history events."""
        self._catch_up()
        c = bisect_right(self._cp_at, i) - 1
        base = self._cp_state[c]
        want = None if resources is None else set(resources)
        if want is None:
            state = {gr: dict(b) for gr, b in base.items()}
        else:
            state = {gr: dict(base[gr]) for gr in want if gr in base}
        hist = self.store.history
        for j in range(self._cp_at[c], i):
            ev = hist[j]
            gr = ev.resource.group_resource
            if want is not None and gr not in want:
                continue
            bucket = state.get(gr)
            if bucket is None:
                bucket = state[gr] = {}
            if ev.type == DELETED:
                bucket.pop(_key(ev), None)
            else:
                bucket[_key(ev)] = ev.object
        return {gr: b for gr, b in state.items() if b}

    def events_between(self, t0: float, t1: float) -> list[WatchEvent]:
        """The changes with ``t0 < time <= t1``, oldest first."""
        self._catch_up()
        lo = bisect_right(self._times, t0)
        hi = bisect_right(self._times, t1)
        return self.store.history[lo:hi]

    def checkpoints(self) -> int:
        self._catch_up()
        return len(self._cp_at)


# -- the read-only past cluster ----------------------------------------------------------------
class ReadOnlyError(KubectlError):
    """A command tried to change (or wait on) a cluster shown as it was in the past."""


def read_only_message(t: float, what: str = "", waits: bool = False) -> str:
    """The refusal every write to a past cluster gets (printed as ``error: ...``)."""
    at = format_time(t)
    if waits:
        return (f"the cluster is shown as it was at t={at} (read-only): time does not pass there, so nothing "
                f"can be waited for; call branch({at[:-1]}) to run the cluster on from there")
    head = f'"kubectl {what}" cannot change it' if what else "it cannot be changed"
    return (f"the cluster is shown as it was at t={at} (read-only): {head}; "
            f"call branch({at[:-1]}) to change the past")


#: command paths a past cluster runs (every other command is refused): they only read the API,
#: or only touch the client's own kubeconfig
READ_ONLY_COMMANDS = frozenset({
    "", "get", "describe", "logs", "explain", "api-resources", "api-versions", "version", "cluster-info",
    "options", "rollout history", "rollout status", "events",
    "config", "config view", "config current-context", "config get-contexts", "config get-clusters",
    "config get-users", "config set-context", "config use-context", "config use", "config set",
    "config unset", "config rename-context", "config delete-context",
})


class FrozenClock:
    """A clock stopped at ``t``: reads give ``t``; anything that would wait is refused."""

    def __init__(self, t: float):
        self.now = float(t)

    def _refuse(self, *_a, **_k):
        raise ReadOnlyError(read_only_message(self.now, waits=True))

    call_at = call_later = call_soon = step = advance = _refuse

    def run_until(self, when: float) -> None:
        if when > self.now:
            self._refuse()

    def settle(self, limit: int = 0) -> None:
        pass

    def next_time(self) -> float | None:
        return None

    def observe(self, fn: Callable[[float], None]) -> Callable[[], None]:
        return lambda: None

    def datetime(self, t: float | None = None):
        from labsim.clock import SimClock

        return SimClock.datetime(self, t)  # type: ignore[arg-type]

    def rfc3339(self, t: float | None = None) -> str:
        from labsim.clock import rfc3339

        return rfc3339(self.now if t is None else t)


class SnapshotStore:
    """The read side of :class:`labsim.api.store.ObjectStore` over a past state."""

    def __init__(self, state: dict[str, dict[str, dict]], resource_version: int, clock,
                 history: list[WatchEvent]):
        self._objects = state
        self._sorted: dict[str, list[str]] = {}
        self.resource_version = resource_version
        self.clock = clock
        #: the history up to the shown instant
        self.history = history

    def get(self, rt, namespace: str | None, name: str) -> dict | None:
        key = f"{namespace}/{name}" if rt.namespaced else name
        return self._objects.get(rt.group_resource, {}).get(key)

    def list(self, rt, namespace: str | None = None) -> list[dict]:
        bucket = self._objects.get(rt.group_resource)
        if not bucket:
            return []
        keys = self._sorted.get(rt.group_resource)
        if keys is None:
            keys = self._sorted[rt.group_resource] = sorted(bucket)
        if namespace and rt.namespaced:
            prefix = namespace + "/"
            return [bucket[k] for k in keys if k.startswith(prefix)]
        return [bucket[k] for k in keys]

    def count(self, rt) -> int:
        return len(self._objects.get(rt.group_resource, {}))

    def resources_with_objects(self) -> Iterable[str]:
        return self._objects.keys()

    def watch(self, handler, resource=None) -> Callable[[], None]:
        return lambda: None  # nothing ever changes in the past

    def next_resource_version(self) -> int:
        raise ReadOnlyError(read_only_message(self.clock.now))

    def put(self, rt, obj, rv):
        raise ReadOnlyError(read_only_message(self.clock.now))

    remove = put

    def check_mutations(self) -> None:
        pass

    def events_since(self, resource_version: int) -> list[WatchEvent]:
        return [ev for ev in self.history if ev.resource_version > resource_version]

    def state_at(self, resource_version: int) -> dict[str, dict[str, dict]]:
        from labsim.api.store import ObjectStore

        return ObjectStore.state_at(self, resource_version)  # type: ignore[arg-type]


def _read_only_api(store: SnapshotStore, clock: FrozenClock, rand, registry):
    """An :class:`APIServer` over the snapshot whose every write is refused (reads, lookups and
    helpers are the real ones)."""
    from labsim.api.server import APIServer

    class ReadOnlyAPIServer(APIServer):
        def _refuse(self, *_a, **_k):
            raise ReadOnlyError(read_only_message(clock.now))

        create = update = update_status = patch = delete = bind = _refuse

    return ReadOnlyAPIServer(store, clock, rand, registry)


class _PastKubelet:
    """What ``kubectl logs`` asks a kubelet, answered as of ``t``: the lines written up to ``t`` by
    the container instance the past status names, while the live kubelet still keeps it (the
    current and the previous instance of each container)."""

    def __init__(self, past: "PastCluster", node_name: str):
        self.past = past
        self.node_name = node_name

    def container_logs(self, pod: dict, container: str, previous: bool = False) -> list:
        from labsim.cluster import Cluster  # noqa: F401 - typing only

        live = self.past.origin.kubelets.get(self.node_name)
        if live is None:
            raise KubectlError(f"the node {self.node_name} is gone: its logs of t={format_time(self.past.time)} "
                               f"are not kept")
        # validateContainerLogStatus against the status as it was at t: a worker-less view of the pod
        from labsim.kubelet.kubelet import Kubelet

        class _NoWorker:
            def __init__(self, kl):
                self.__dict__.update({"workers": {}, "node_name": kl.node_name})

            def worker_for(self, _pod):
                return None

        probe = _NoWorker(live)
        Kubelet.container_logs(probe, pod, container, previous)  # raises the kubelet's errors
        status = pod.get("status") or {}
        cid = None
        for s in (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or []):
            if s.get("name") == container:
                state = s.get("state") or {}
                last = (s.get("lastState") or {}).get("terminated") or {}
                if previous:
                    cid = last.get("containerID")
                elif state.get("running") is not None:
                    cid = s.get("containerID")
                else:
                    cid = (state.get("terminated") or {}).get("containerID") or last.get("containerID")
        w = live.workers.get(pod["metadata"].get("uid", ""))
        if w is not None and cid:
            for inst in w.instances.get(container) or ():
                if inst.uri == cid:
                    t = self.past.time
                    return [ln for ln in inst.logs if ln.time <= t]
        raise KubectlError(f'the log of container "{container}" in pod "{pod["metadata"]["name"]}" as it was at '
                           f"t={format_time(self.past.time)} is no longer kept (the kubelet keeps the current and "
                           f"the previous instance of a running pod's containers)")

    def exec(self, *_a, **_k):
        raise ReadOnlyError(read_only_message(self.past.time, "exec"))

    def running_process(self, *_a, **_k):
        return None


class PastCluster:
    """The cluster as it was at simulated time ``t``, read-only (see the module doc)."""

    def __init__(self, origin, t: float):
        now = origin.clock.now
        if t < 0 or t > now:
            raise ValueError(f"t={format_time(t)} is outside the session (0s .. {format_time(now)})")
        self.origin = origin
        self.time = float(t)
        h = origin.history
        i = h.index_at(t)
        self.clock = FrozenClock(t)
        self.registry = origin.registry
        self.store = SnapshotStore(h.state_at_index(i), h.rv_at(t), self.clock, origin.store.history[:i])
        self.api = _read_only_api(self.store, self.clock, origin.rand, origin.registry)
        self.rand = origin.rand
        self.kubeconfig = origin.kubeconfig
        self.name = origin.name
        self.seed = origin.seed
        self.workdir = origin.workdir
        self.node_specs = origin.node_specs
        self.watches: list[Any] = []

    @property
    def now(self) -> float:
        return self.time

    def kubectl(self, command: str | list[str], stdin: str | None = None):
        """Run a read-only kubectl command against the past; writes are refused (exit code 1)."""
        from labsim.kubectl import Result, cli, run

        argv = cli.split_command_line(command) if isinstance(command, str) else list(command)
        if argv and argv[0] == "kubectl":
            argv = argv[1:]
        path, rest = cli.find_command(argv)
        asks_help = any(a in ("-h", "--help") for a in rest)
        if path not in READ_ONLY_COMMANDS and not asks_help and path in cli.cli_data():
            result = Result()
            text = f"error: {read_only_message(self.time, path)}\n"
            result.stderr, result.exit_code = text, 1
            result.chunks.append(("stderr", text))
            return result
        return run(self, argv, stdin=stdin)

    def settle(self) -> None:
        pass

    def stop_watches(self) -> str:
        from labsim.kubectl.watch import collect_watch_output

        out = collect_watch_output(self)
        for w in self.watches:
            w.stop()
        self.watches.clear()
        return out

    def kubelet_for(self, node_name: str):
        if node_name not in self.origin.kubelets:
            raise KeyError(node_name)
        return _PastKubelet(self, node_name)

    def resolve_path(self, path: str) -> str:
        return self.origin.resolve_path(path)

    def objects(self, resources: Iterable[str] | None = None) -> dict[str, dict[str, dict]]:
        """``{group_resource: {key: obj}}`` of this instant (as ``History.objects_at``)."""
        objs = self.store._objects
        want = None if resources is None else set(resources)
        return {gr: dict(b) for gr, b in objs.items() if want is None or gr in want}

    def dump(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for rt in self.registry.resources:
            objs = self.store.list(rt)
            if objs:
                out[rt.group_resource] = objs
        return out

    def __repr__(self) -> str:
        return f"<PastCluster t={format_time(self.time)} rv={self.store.resource_version}>"
