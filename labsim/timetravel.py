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

from labsim.api.store import DELETED, StoreReads, WatchEvent
from labsim.errors import KubectlError

__all__ = ["History", "PastCluster", "FrozenClock", "SnapshotStore", "ReadOnlyError", "read_only_message",
           "READ_ONLY_COMMANDS", "branch"]

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


class SnapshotStore(StoreReads):
    """The read side of :class:`labsim.api.store.ObjectStore` over a past state."""

    def __init__(self, state: dict[str, dict[str, dict]], resource_version: int, clock,
                 history: list[WatchEvent]):
        self._objects = state
        self._sorted: dict[str, list[str]] = {}
        self.resource_version = resource_version
        self.clock = clock
        #: the history up to the shown instant
        self.history = history

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


# -- branches ------------------------------------------------------------------------------------
def branch(origin, t: float):
    """A new :class:`labsim.cluster.Cluster` that starts from ``origin``'s state at ``t``.

    The branch has the same seed, cluster name, nodes and kubeconfig (a copy); its store holds the
    objects as they were at the end of instant ``t`` (the same dicts, shared read-only: uids,
    names, resourceVersions, Event objects and their counts are kept), its history is the
    origin's history up to ``t`` (so ``branch.history`` / ``branch.at(t')`` reach back before
    the branch point) and resourceVersions continue from ``rv_at(t)``: the branch's first write
    is ``rv_at(t) + 1``, as etcd restored from a snapshot continues its revision. Its clock starts
    at ``t``. Controllers and the scheduler start as after a control-plane restart: they list
    the store and reconcile (level-triggered, so a converged state writes nothing). Each kubelet
    adopts the pods bound to its node as a restarted kubelet finds its containers through the
    CRI: :func:`_adopt` rebuilds every container instance the pod status names (running with
    the same id, ``startedAt`` and restart count; the previous instance for ``lastState``), the
    pod IP and sandbox, probe results matching ``ready``/``started``, and the container back-off
    implied by the restart count, without recording Scheduled/Pulled/Created/Started again.

    Randomness: the branch draws from ``RandomStreams(f"{origin.rand.seed}/branch@{t}")``: the
    same branch time and the same commands give the same branch (``digest()``), and its
    generated names, uids and container ids come from streams the origin never drew from.

    Limitations:

    - the state is the one at the *end* of instant ``t``: a write made at exactly ``t`` (a
      command typed at ``t``) is part of it;
    - a container's process is started again at ``t`` (the model's own timers, such as
      ``sleep 30`` or "crash after 10 s", count from ``t``, not from ``startedAt``); its log is
      the origin's lines up to ``t`` while the origin's kubelet still keeps that instance (the
      current and the previous one), else the lines the process writes when restarted; a
      container's writable layer and emptyDir contents start empty again;
    - a pod being deleted at ``t`` gets its whole grace period again from ``t`` (what a
      restarted kubelet does); a container being killed for a failed probe is adopted as
      running, and its probe fails again;
    - a pod whose sandbox or image pull was in flight at ``t`` starts that step again from ``t``
      (a second ``Pulling`` event, a new sandbox duration); a pod that had its IP keeps it;
    - probe workers, lease renewals (every 10 s) and node status reports (every 5 min) restart
      their periods at ``t``; the event recorders' de-duplication is restored (a repeated event
      still increments ``count``) and their spam-filter buckets are estimated from the Events'
      counts and first timestamps (exact while no token came back in between);
    - the branch's random draws (sandbox durations, sync jitter, name suffixes) differ from what
      the origin drew after ``t``: it is another future, not a replay.
    """
    import copy

    from labsim.api.registry import REGISTRY
    from labsim.api.server import APIServer
    from labsim.api.store import ObjectStore
    from labsim.clock import SimClock
    from labsim.cluster import Cluster
    from labsim.controllers import ControllerManager
    from labsim.rand import RandomStreams

    now = origin.clock.now
    if t < 0 or t > now:
        raise ValueError(f"t={format_time(t)} is outside the session (0s .. {format_time(now)})")
    h = origin.history
    i = h.index_at(t)
    state = h.state_at_index(i)
    past = origin.store.history[:i]
    registry = origin.registry

    b = Cluster.__new__(Cluster)
    b.seed = origin.seed
    b.name = origin.name
    b.rand = RandomStreams(f"{origin.rand.seed}/branch@{format_time(t)}")
    b.clock = SimClock(t)
    b.store = ObjectStore(b.clock)
    # seed the store in resourceVersion order, before anyone watches it, then put the true past
    # in its history in place of the seeding writes
    seeded = []
    for gr, bucket in state.items():
        for obj in bucket.values():
            seeded.append((int(obj["metadata"].get("resourceVersion") or 0), gr, obj))
    by_gr = {rt.group_resource: rt for rt in registry.resources}
    seeded.sort(key=lambda x: (x[0], x[1]))
    for rv, gr, obj in seeded:
        b.store.put(by_gr[gr], obj, rv)
    b.store.history[:] = past
    b.store.resource_version = h.rv_at(t)
    b.registry = REGISTRY
    b.api = APIServer(b.store, b.clock, b.rand, b.registry)
    b.workdir = origin.workdir
    b.kubeconfig = copy.deepcopy(origin.kubeconfig)
    b._recorders = {}
    b.watches = []
    b.controller_manager = ControllerManager(b)
    b.node_specs = copy.deepcopy(origin.node_specs)
    b.branched_from = (origin, float(t))

    scan = _scan_past(past, registry)
    _restore_event_leases(b, scan)
    ca_bundle = ""
    root_ca = state.get("configmaps", {}).get("kube-system/kube-root-ca.crt")
    if root_ca is not None:
        ca_bundle = (root_ca.get("data") or {}).get("ca.crt", "")
    namespaces = sorted(state.get("namespaces", {}))
    b._start_controllers(ca_bundle, namespaces)
    ns_ctl = b.controller_manager.get("namespace-controller")
    for name in namespaces:
        if state["namespaces"][name]["metadata"].get("deletionTimestamp") and ns_ctl is not None:
            ns_ctl.queue.add(name)
    _restore_recorders(b, state)
    b._start_node_agents()
    for node_name, kl in b.kubelets.items():
        origin_kl = origin.kubelets.get(node_name)
        for image in scan.images.get(node_name, ()):
            try:
                kl.images.preload(image)
            except Exception:  # an image the catalogue no longer resolves: it is pulled again
                pass
        for w in sorted(kl.workers.values(), key=lambda w: (w.namespace, w.name)):
            _adopt(kl, w, origin_kl)
        _restore_last_reserved(kl, scan)
    return b


class _Scan:
    def __init__(self):
        #: node -> images some container ran there up to t (the node's image store)
        self.images: dict[str, list[str]] = {}
        #: Event key -> simulated time of its last write
        self.event_written: dict[str, float] = {}
        #: node -> the highest pod IP handed out there up to t (host-local's last reservation)
        self.last_ip: dict[str, int] = {}


def _scan_past(past: list[WatchEvent], registry) -> _Scan:
    import ipaddress

    scan = _Scan()
    seen: dict[str, set] = {}
    for ev in past:
        gr = ev.resource.group_resource
        if gr == "events":
            md = ev.object["metadata"]
            scan.event_written[f"{md.get('namespace')}/{md['name']}"] = ev.time
        elif gr == "pods" and ev.type != DELETED:
            pod = ev.object
            node = (pod.get("spec") or {}).get("nodeName")
            status = pod.get("status") or {}
            if not node:
                continue
            if status.get("podIP"):
                ip = int(ipaddress.ip_address(status["podIP"]))
                if ip > scan.last_ip.get(node, 0):
                    scan.last_ip[node] = ip
            specs = {c["name"]: c.get("image", "") for c in
                     ((pod.get("spec") or {}).get("initContainers") or []) + ((pod.get("spec") or {}).get("containers") or [])}
            for cs in (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or []):
                if cs.get("imageID") and cs.get("name") in specs:
                    image = specs[cs["name"]]
                    got = seen.setdefault(node, set())
                    if image not in got:
                        got.add(image)
                        scan.images.setdefault(node, []).append(image)
    return scan


def _restore_event_leases(b, scan: _Scan) -> None:
    """Events expire ``--event-ttl`` (1 h) after their last write, as in the origin."""
    from labsim.api import server as server_module

    ttl = getattr(server_module, "EVENT_TTL_SECONDS", 3600.0)
    expiry = getattr(b.api, "_event_expiry", None)
    expire = getattr(b.api, "_expire_event", None)
    if expiry is None or expire is None:
        return
    ev_rt = b.registry.for_kind("", "Event")
    for ev in b.store.list(ev_rt):
        md = ev["metadata"]
        key = f"{md.get('namespace')}/{md['name']}"
        written = scan.event_written.get(key, b.clock.now)
        expiry[key] = b.clock.call_at(written + ttl, expire, md.get("namespace"), md["name"])


def _restore_recorders(b, state) -> None:
    """The recorders' de-duplication (``getEventKey`` -> Event name) from the Events at ``t``, so
    an event repeated in the branch increments the existing Event's count as it would have."""
    events = sorted(state.get("events", {}).values(), key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
    now = b.clock.now
    spent: dict[tuple, list] = {}
    for e in events:
        src = e.get("source") or {}
        ref = e.get("involvedObject") or {}
        if not src.get("component") or (e.get("message") or "").startswith("(combined from similar events)"):
            continue
        rec = b.recorder(src["component"], src.get("host", ""))
        last = getattr(rec, "_last", None)
        if last is None:
            return
        namespace = ref.get("namespace") or "default"
        obj_key = (rec.component, rec.host, ref.get("kind"), namespace, ref.get("name"), ref.get("uid"),
                   ref.get("apiVersion"))
        key = obj_key + (ref.get("fieldPath", ""), e.get("type"), e.get("reason"), e.get("message"))
        last[key] = (e["metadata"].get("namespace"), e["metadata"]["name"])
        used = spent.setdefault((src["component"], src.get("host", ""), obj_key), [0, now])
        used[0] += int(e.get("count") or 1)
        used[1] = min(used[1], _parse_time(e.get("firstTimestamp") or e.get("lastTimestamp"), now))
    # the spam filter's token bucket per source and object: every Event write took one token;
    # tokens come back one per refill period since the first of them (order within is lost)
    from labsim.api import events as events_module

    burst = getattr(events_module, "SPAM_BURST", None)
    refill = getattr(events_module, "SPAM_REFILL_SECONDS", None)
    bucket_cls = getattr(events_module, "_Bucket", None)
    if burst is None or refill is None or bucket_cls is None:
        return
    for (component, host, obj_key), (count, first) in sorted(spent.items(), key=lambda kv: repr(kv[0])):
        rec = b.recorder(component, host)
        tokens = max(0.0, min(float(burst), burst - count + (now - first) / refill))
        rec._spam[obj_key] = bucket_cls(tokens, now)


def _parse_time(ts: str | None, default: float) -> float:
    from labsim.clock import parse_rfc3339

    return parse_rfc3339(ts) if ts else default


def _adopt(kl, w, origin_kl) -> None:
    """A restarted kubelet finding its pod's sandbox and containers through the CRI: rebuild the
    worker's runtime state from the pod status (see :func:`branch`)."""
    from labsim.kubelet import status as podstatus
    from labsim.kubelet.backoff import _Entry
    from labsim.kubelet.prober import FAILURE, READINESS, STARTUP, SUCCESS
    from labsim.kubelet.runtime import EXITED, RUNNING, ContainerInstance, RuntimeContext, memory_limit_bytes, spec_view
    from labsim.kubelet.images.base import SIGTERM

    pod = w.pod
    status = pod.get("status") or {}
    pod_ip = status.get("podIP")
    statuses = {s["name"]: s for s in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or [])}
    has_instances = any(s.get("containerID") for s in statuses.values())
    if not pod_ip and not has_instances:
        return  # the sandbox was still being created: the worker starts it again from t
    # the sandbox: its IP stays the pod's
    w.start_time = _parse_time(status.get("startTime"), kl.clock.now)
    if pod_ip:
        net = kl.network
        ipam = net._ipam.get(kl.node_name)  # host-local IPAM's reservation, as on disk
        import ipaddress

        if ipam is not None:
            ipam.in_use.add(int(ipaddress.ip_address(pod_ip)))
        net._endpoints[pod_ip] = w.running_processes
        w.pod_ip = pod_ip
    w.sandbox_ready = True
    w._setup_volumes()
    w.start_probes()
    origin_w = origin_kl.workers.get(w.uid) if origin_kl is not None else None
    t = kl.clock.now
    for c in w.init_specs + w.regular_specs:
        name = c["name"]
        cs = statuses.get(name)
        if cs is None or not cs.get("containerID"):
            continue
        lst: list = []
        last = (cs.get("lastState") or {}).get("terminated")
        if last is not None and last.get("containerID"):
            prev = ContainerInstance(
                name=name, container_id=last["containerID"].split("://", 1)[-1], spec=c,
                # a waiting container's lastState is its newest instance (the reason cache shows it
                # waiting), a running container's is the one before
                restart_count=max(0, int(cs.get("restartCount") or 0) - (1 if cs.get("state", {}).get("running") is not None
                                                                         or cs.get("state", {}).get("terminated") is not None
                                                                         else 0)),
                init=w.is_init(name),
                image=cs.get("image", ""), image_id=cs.get("imageID", ""), state=EXITED,
                created_at=_parse_time(last.get("startedAt"), t), started_at=_parse_time(last.get("startedAt"), t),
                finished_at=_parse_time(last.get("finishedAt"), t), exit_code=int(last.get("exitCode") or 0),
                reason=last.get("reason"), message=last.get("message"))
            _copy_logs(prev, origin_w, name, t)
            lst.append(prev)
        state = cs.get("state") or {}
        cid = cs["containerID"].split("://", 1)[-1]
        inst = ContainerInstance(
            name=name, container_id=cid, spec=c, restart_count=int(cs.get("restartCount") or 0), init=w.is_init(name),
            image=cs.get("image", ""), image_id=cs.get("imageID", ""), memory_limit=memory_limit_bytes(c))
        if state.get("running") is not None:
            started = _parse_time(state["running"].get("startedAt"), t)
            inst.created_at = inst.started_at = started
            info = kl.images.store.get(_image_key(c.get("image", "")))
            if info is None:
                info = kl.images.catalog.resolve(c.get("image", ""))
            env, _err = w._resolve_env(c)
            ctx = RuntimeContext(
                clock=kl.clock, rng=kl.rand.derive(f"kubelet/{kl.node_name}/{w.uid}/{name}/{inst.restart_count}"),
                spec=spec_view(c, env), fs=w._filesystem(c, info), pod=pod, pod_ip=w.pod_ip or "",
                hostname=(pod.get("spec") or {}).get("hostname") or w.name, network=kl.network,
                instance=inst, on_exit=w.on_container_exit)
            inst.ctx = ctx
            inst.stop_signal = getattr(info, "stop_signal", None) or SIGTERM
            inst.proc = info.factory(ctx)
            inst.state = RUNNING
            lst.append(inst)
            inst.proc.start()
            _copy_logs(inst, origin_w, name, t)  # the lines it wrote up to t, not a second banner
        else:
            term = state.get("terminated") or last
            if term is None:
                continue
            if state.get("terminated") is None and lst:
                # waiting (CrashLoopBackOff, ...): the newest instance is the one lastState shows
                inst = lst.pop()
            else:
                inst.state = EXITED
                inst.created_at = inst.started_at = _parse_time(term.get("startedAt"), t)
                inst.finished_at = _parse_time(term.get("finishedAt"), t)
                inst.exit_code = int(term.get("exitCode") or 0)
                inst.reason, inst.message = term.get("reason"), term.get("message")
                _copy_logs(inst, origin_w, name, t)
            lst.append(inst)
            waiting = state.get("waiting")
            if waiting is not None and waiting.get("reason") not in (None, "ContainerCreating", "PodInitializing"):
                w.reasons[name] = (waiting["reason"], waiting.get("message", ""))
        w.instances[name] = lst[-2:]
        n = int(cs.get("restartCount") or 0)
        if n > 0:
            # the container back-off after n restarts: 10 s doubling per restart, up to 5 min,
            # last moved when the newest instance was started
            bo = kl.backoff
            newest = lst[-1]
            bo.entries[w._backoff_key(c)] = _Entry(min(bo.initial * 2 ** (n - 1), bo.max_duration),
                                                   newest.started_at if newest.started_at is not None else t)
        # probe results as the status shows them (a restarted kubelet's prober starts from its
        # initial results; keeping ready/started avoids a readiness flap the origin did not have)
        uri = cs["containerID"]
        if state.get("running") is not None:
            for (ptype, cname), pw in w.probe_workers.items():
                if cname != name:
                    continue
                if ptype == READINESS:
                    result = SUCCESS if cs.get("ready") else FAILURE
                elif ptype == STARTUP:
                    result = SUCCESS if cs.get("started") else None
                else:
                    result = SUCCESS
                pw.container_id = uri
                if result is not None:
                    w.results[(ptype, name)] = (uri, result)
                    pw.last_result = result
                    pw.result_run = pw.success_threshold if result == SUCCESS else 0
    regular_started = any(statuses.get(c["name"], {}).get("containerID") for c in w.regular_specs)
    init_done = all(podstatus.is_sidecar(c) or (statuses.get(c["name"], {}).get("state") or {}).get("terminated", {})
                    .get("exitCode") == 0 for c in w.init_specs)
    w.initialized = regular_started or init_done
    phase = status.get("phase")
    w.status_phase = phase


def _image_key(image: str) -> str:
    from labsim.kubelet.image_manager import _image_key as key

    return key(image)


def _copy_logs(inst, origin_w, name: str, t: float) -> bool:
    """The origin's log lines of this instance up to ``t`` (True if the origin still kept them)."""
    if origin_w is None:
        return False
    for o in origin_w.instances.get(name) or ():
        if o.uri == inst.uri:
            inst.logs[:] = [ln for ln in o.logs if ln.time <= t]
            return True
    return False


def _restore_last_reserved(kl, scan: _Scan) -> None:
    """host-local IPAM hands out the address after the last one it reserved (kept on disk): the
    highest pod IP the node gave out up to ``t`` (exact unless the range wrapped around)."""
    ipam = kl.network._ipam.get(kl.node_name)
    last = scan.last_ip.get(kl.node_name)
    if ipam is not None and last is not None:
        ipam.last_reserved = last
