"""kube-scheduler: the scheduling queue, the default profile's plugins, preemption and binding.

kubernetes/kubernetes: pkg/scheduler/schedule_one.go (scheduleOne, schedulePod,
findNodesThatFitPod, prioritizeNodes, selectHost, handleSchedulingFailure, updatePod),
pkg/scheduler/internal/queue/scheduling_queue.go (activeQ, backoffQ, unschedulablePods),
pkg/scheduler/framework/preemption/preemption.go and plugins/defaultpreemption.

Timing on the simulated clock (real kube-scheduler binds within milliseconds of a pod's creation):

* a pod entering an idle active queue is taken after a wake latency drawn from the seeded stream
  ``scheduler`` (uniform 10-50 ms, microsecond resolution); back-to-back cycles then cost
  :data:`CYCLE_SECONDS` (2 ms) each, so 30 pods applied together are bound within ~0.1 s;
* a pod that fits nowhere gets ``PodScheduled=False``/``Unschedulable`` and a ``FailedScheduling``
  event, waits in the unschedulable pods until a cluster change that could help it (node added or
  changed, an assigned pod deleted or finished, ...; each failing plugin's queueing hint decides),
  then retries after its back-off (1 s doubling per attempt up to 10 s, counted from the failure);
  with no such change it is retried after 5 minutes, checked every 30 s (``flushUnschedulablePodsLeftover``);
* ties between equally scored nodes are broken uniformly with the seeded stream.

Pods are counted on a node from binding until they are removed or reach Succeeded/Failed (the
scheduler's pod informer filters terminal pods out), so terminating pods still hold their requests.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from labsim import errors
from labsim.api.events import SeriesEventRecorder
from labsim.api.meta import deep_copy
from labsim.api.store import DELETED
from labsim.clock import rfc3339
from labsim.scheduler.framework import (SKIP, UNSCHEDULABLE_AND_UNRESOLVABLE, ClusterEvent, CycleState, Diagnosis, Plugin,
                                        FitError, NodeInfo, PodInfo, Status, fit_error_message, is_terminal)
from labsim.scheduler.plugins import DEFAULT_PLUGINS

SCHEDULER_NAME = "default-scheduler"
WAKE_LATENCY = (0.01, 0.05)
CYCLE_SECONDS = 0.002
INITIAL_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 10.0
#: podMaxInUnschedulablePodsDuration and the period of the flush that enforces it
MAX_IN_UNSCHEDULABLE_SECONDS = 300.0
FLUSH_UNSCHEDULABLE_PERIOD = 30.0
#: numFeasibleNodesToFind
MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5

ERR_NO_NODES_AVAILABLE = "no nodes available to schedule pods"
PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_PREEMPTION_VICTIMS = "No preemption victims found for incoming pod"


@dataclass
class QueuedPod:
    uid: str
    namespace: str
    name: str
    pod: dict
    priority: int
    timestamp: float
    attempts: int = 0
    unschedulable_plugins: set[str] = field(default_factory=set)
    seq: int = 0


def _backoff_duration(attempts: int) -> float:
    d = INITIAL_BACKOFF_SECONDS
    for _ in range(1, attempts):
        if d > MAX_BACKOFF_SECONDS - d:
            return MAX_BACKOFF_SECONDS
        d += d
    return d


def _spec_changed(old: dict | None, new: dict) -> bool:
    """``isPodUpdated``: anything but status and resourceVersion changed."""
    if old is None:
        return True
    if old.get("spec") != new.get("spec"):
        return True
    om, nm = dict(old.get("metadata") or {}), dict(new.get("metadata") or {})
    for k in ("resourceVersion", "generation", "managedFields"):
        om.pop(k, None)
        nm.pop(k, None)
    return om != nm


def _node_scheduling_change(old: dict, new: dict) -> bool:
    """``nodeSchedulingPropertiesChange``: heartbeats alone never wake pods up."""
    o_md, n_md = old.get("metadata") or {}, new.get("metadata") or {}
    o_sp, n_sp = old.get("spec") or {}, new.get("spec") or {}
    o_st, n_st = old.get("status") or {}, new.get("status") or {}

    def conds(st):
        return [(c.get("type"), c.get("status")) for c in st.get("conditions") or []]
    return (bool(o_sp.get("unschedulable")) != bool(n_sp.get("unschedulable"))
            or o_st.get("allocatable") != n_st.get("allocatable")
            or (o_md.get("labels") or {}) != (n_md.get("labels") or {})
            or (o_sp.get("taints") or []) != (n_sp.get("taints") or [])
            or conds(o_st) != conds(n_st)
            or (o_md.get("annotations") or {}) != (n_md.get("annotations") or {})
            or o_st.get("images") != n_st.get("images"))


def pod_condition(status: dict, cond: dict, now: float) -> bool:
    """``podutil.UpdatePodCondition`` on a status dict: replaces or appends ``cond``, keeping the
    old lastTransitionTime when the status did not change. Returns True when anything changed."""
    conditions = list(status.get("conditions") or [])
    new = {"type": cond["type"], "status": cond["status"], "lastProbeTime": None,
           "lastTransitionTime": rfc3339(now)}
    if cond.get("reason"):
        new["reason"] = cond["reason"]
    if cond.get("message"):
        new["message"] = cond["message"]
    for i, c in enumerate(conditions):
        if c.get("type") == cond["type"]:
            if c.get("status") == new["status"]:
                new["lastTransitionTime"] = c.get("lastTransitionTime")
            if c == new:
                return False
            conditions[i] = new
            status["conditions"] = conditions
            return True
    conditions.append(new)
    status["conditions"] = conditions
    return True


class Scheduler:
    """The default scheduler of one simulated cluster."""

    name = SCHEDULER_NAME

    def __init__(self, cluster):
        self.cluster = cluster
        self.api = cluster.api
        self.store = cluster.store
        self.clock = cluster.clock
        self.registry = cluster.api.registry
        self.rng = cluster.rand.stream("scheduler")
        specs = getattr(cluster, "node_specs", None) or []
        host = specs[0].name if specs else "localhost"
        # client-go tools/events NewRecorder: reportingInstance = <controller>-<hostname>
        self.recorder = SeriesEventRecorder(self.api, self.clock, SCHEDULER_NAME, f"{SCHEDULER_NAME}-{host}")
        self.plugins = [cls(self) for cls in DEFAULT_PLUGINS]
        self.nodes: dict[str, NodeInfo] = {}
        self.assigned: dict[str, PodInfo] = {}
        self._queued: dict[str, QueuedPod] = {}
        self._active: list[tuple] = []
        self._in_active: dict[str, int] = {}
        self._backoff: dict[str, object] = {}
        self._unschedulable: dict[str, QueuedPod] = {}
        self._flush_timer = None
        self._worker = None
        self._seq = 0
        self._next_start_node_index = 0
        self._stops: list = []
        self.started_at = self.clock.now
        self._rt = {k: self.registry.for_kind(g, k) for g, k in (
            ("", "Pod"), ("", "Node"), ("", "Namespace"), ("", "PersistentVolumeClaim"), ("", "PersistentVolume"),
            ("storage.k8s.io", "StorageClass"))}

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        watch = self.store.watch
        self._stops.append(watch(self._on_node, self._rt["Node"]))
        self._stops.append(watch(self._on_pod, self._rt["Pod"]))
        for kind in ("PersistentVolumeClaim", "PersistentVolume", "StorageClass"):
            self._stops.append(watch(lambda ev, k=kind: self._move_all(ClusterEvent(k, ev.object, ev.old)),
                                     self._rt[kind]))
        for node in self.store.list(self._rt["Node"]):
            self._add_node(node)
        for pod in self.store.list(self._rt["Pod"]):
            self._pod_changed(pod, None)

    def stop(self) -> None:
        for s in self._stops:
            s()
        self._stops.clear()

    # -- lookups for plugins -------------------------------------------------------------------
    def node_list(self) -> list[NodeInfo]:
        return list(self.nodes.values())

    def list_objects(self, group: str, kind: str, namespace: str | None) -> list[dict]:
        rt = self.registry.for_kind(group, kind)
        return self.store.list(rt, namespace) if rt is not None else []

    def get_object(self, group: str, kind: str, namespace: str | None, name: str) -> dict | None:
        rt = self.registry.for_kind(group, kind)
        if rt is None:
            return None
        return self.store.get(rt, namespace if rt.namespaced else None, name)

    def namespace_labels(self, namespace: str) -> dict:
        ns = self.store.get(self._rt["Namespace"], None, namespace)
        return ((ns or {}).get("metadata") or {}).get("labels") or {}

    # -- informers -----------------------------------------------------------------------------
    def _add_node(self, node: dict) -> NodeInfo:
        ni = NodeInfo(node)
        for pi in self.assigned.values():
            if pi.node_name == ni.name:
                ni.add_pod(pi)
        self.nodes[ni.name] = ni
        return ni

    def _on_node(self, ev) -> None:
        node = ev.object
        name = node["metadata"]["name"]
        if ev.type == DELETED:
            self.nodes.pop(name, None)
            return
        ni = self.nodes.get(name)
        if ni is None:
            ni = self._add_node(node)
            self._move_all(ClusterEvent("NodeAdd", node, None, ni))
            return
        ni.set_node(node)
        if ev.old is None or _node_scheduling_change(ev.old, node):
            self._move_all(ClusterEvent("NodeUpdate", node, ev.old, ni))

    def _on_pod(self, ev) -> None:
        if ev.type == DELETED:
            uid = ev.object["metadata"].get("uid", "")
            self._dequeue(uid)
            pi = self._unassign(uid)
            if pi is not None:
                self._move_all(ClusterEvent("AssignedPodDelete", pi.pod))
            return
        self._pod_changed(ev.object, ev.old)

    def _unassign(self, uid: str) -> PodInfo | None:
        pi = self.assigned.pop(uid, None)
        if pi is not None:
            ni = self.nodes.get(pi.node_name)
            if ni is not None:
                ni.remove_pod(uid)
        return pi

    def _pod_changed(self, pod: dict, old: dict | None) -> None:
        md = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        uid = md.get("uid", "")
        if spec.get("nodeName"):
            self._dequeue(uid)
            if is_terminal(pod):
                pi = self._unassign(uid)
                if pi is not None:
                    self._move_all(ClusterEvent("AssignedPodDelete", pi.pod))
                return
            prev = self.assigned.get(uid)
            if prev is not None and prev.pod is pod:
                return
            if prev is not None:
                self._unassign(uid)
            pi = PodInfo(pod)
            self.assigned[uid] = pi
            ni = self.nodes.get(pi.node_name)
            if ni is not None:
                ni.add_pod(pi)
            if prev is None:
                self._move_all(ClusterEvent("AssignedPodAdd", pod, None, ni))
            elif prev.labels != pi.labels:
                self._move_all(ClusterEvent("AssignedPodUpdate", pod, prev.pod, ni))
            return
        # an unassigned pod: ours to schedule?
        if ((spec.get("schedulerName") or SCHEDULER_NAME) != SCHEDULER_NAME or md.get("deletionTimestamp")
                or is_terminal(pod) or spec.get("schedulingGates")):
            self._dequeue(uid)
            return
        qp = self._queued.get(uid)
        if qp is None:
            qp = QueuedPod(uid, md.get("namespace", ""), md.get("name", ""), pod, int(spec.get("priority") or 0),
                           self.clock.now)
            self._queued[uid] = qp
            self._push_active(qp)
            return
        changed = _spec_changed(qp.pod, pod)
        qp.pod = pod
        qp.priority = int(spec.get("priority") or 0)
        if changed and uid in self._unschedulable:
            self._activate(qp)

    # -- the queue -----------------------------------------------------------------------------
    def _dequeue(self, uid: str) -> None:
        if self._queued.pop(uid, None) is None:
            return
        self._in_active.pop(uid, None)
        self._unschedulable.pop(uid, None)
        t = self._backoff.pop(uid, None)
        if t is not None:
            t.cancel()

    def _push_active(self, qp: QueuedPod) -> None:
        self._seq += 1
        qp.seq = self._seq
        self._in_active[qp.uid] = qp.seq
        # PrioritySort: higher priority first, then the earlier queue timestamp
        heapq.heappush(self._active, (-qp.priority, qp.timestamp, qp.seq, qp.uid))
        self._kick()

    def _activate(self, qp: QueuedPod) -> None:
        """Move a pod out of the unschedulable pods: to the back-off queue while it backs off."""
        self._unschedulable.pop(qp.uid, None)
        if qp.uid in self._backoff or qp.uid in self._in_active:
            return
        expiry = qp.timestamp + _backoff_duration(qp.attempts) if qp.attempts else self.clock.now
        if expiry > self.clock.now:
            self._backoff[qp.uid] = self.clock.call_at(expiry, self._backoff_done, qp.uid)
        else:
            self._push_active(qp)

    def _backoff_done(self, uid: str) -> None:
        self._backoff.pop(uid, None)
        qp = self._queued.get(uid)
        if qp is not None and uid not in self._in_active:
            self._push_active(qp)

    def _move_all(self, ev: ClusterEvent) -> None:
        """``MoveAllToActiveOrBackoffQueue`` with queueing hints of the plugins that failed the pod."""
        if not self._unschedulable:
            return
        by_name = {p.name: p for p in self.plugins}
        for uid, qp in list(self._unschedulable.items()):
            pi = None
            move = not qp.unschedulable_plugins
            for name in sorted(qp.unschedulable_plugins):
                plugin = by_name.get(name)
                if plugin is None:
                    move = True
                    break
                if pi is None:
                    pi = PodInfo(qp.pod)
                if plugin.hint(ev, pi):
                    move = True
                    break
            if move:
                self._activate(qp)

    def _schedule_flush(self) -> None:
        """flushUnschedulablePodsLeftover runs every 30 s and retries pods unschedulable > 5 min."""
        if not self._unschedulable:
            return
        oldest = min(qp.timestamp for qp in self._unschedulable.values())
        due = oldest + MAX_IN_UNSCHEDULABLE_SECONDS
        k = int((due - self.started_at) // FLUSH_UNSCHEDULABLE_PERIOD) + 1
        tick = self.started_at + k * FLUSH_UNSCHEDULABLE_PERIOD
        if self._flush_timer is not None and not self._flush_timer.cancelled and self._flush_timer.when <= tick:
            return
        if self._flush_timer is not None:
            self._flush_timer.cancel()
        self._flush_timer = self.clock.call_at(tick, self._flush)

    def _flush(self) -> None:
        self._flush_timer = None
        now = self.clock.now
        for qp in list(self._unschedulable.values()):
            if now - qp.timestamp > MAX_IN_UNSCHEDULABLE_SECONDS:
                self._activate(qp)
        self._schedule_flush()

    def _kick(self) -> None:
        if self._worker is None and self._in_active:
            delay = round(self.rng.uniform(*WAKE_LATENCY), 6)
            self._worker = self.clock.call_later(delay, self._schedule_one)

    # -- the scheduling cycle ------------------------------------------------------------------
    def _pop(self) -> QueuedPod | None:
        while self._active:
            _, _, seq, uid = heapq.heappop(self._active)
            if self._in_active.get(uid) == seq:
                del self._in_active[uid]
                return self._queued.get(uid)
        return None

    def _schedule_one(self) -> None:
        self._worker = None
        qp = self._pop()
        if qp is not None:
            self._cycle(qp)
        if self._in_active and self._worker is None:
            self._worker = self.clock.call_later(CYCLE_SECONDS, self._schedule_one)

    def _cycle(self, qp: QueuedPod) -> None:
        pod = self.store.get(self._rt["Pod"], qp.namespace, qp.name)
        if pod is None or pod["metadata"].get("uid") != qp.uid or (pod.get("spec") or {}).get("nodeName") \
                or pod["metadata"].get("deletionTimestamp"):
            self._dequeue(qp.uid)
            return
        qp.pod = pod
        qp.attempts += 1
        pi = PodInfo(pod)
        try:
            node_name = self.schedule_pod(pi)
        except FitError as fe:
            self._handle_failure(qp, pi, fe)
            return
        except _SchedulerError as e:
            self._handle_failure(qp, pi, e)
            return
        self._bind(qp, pi, node_name)

    def _num_feasible_nodes_to_find(self, n: int) -> int:
        if n < MIN_FEASIBLE_NODES_TO_FIND:
            return n
        percentage = max(50 - n // 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
        return max(n * percentage // 100, MIN_FEASIBLE_NODES_TO_FIND)

    def _filters(self, skip: set[str]) -> list:
        """The Filter extension points to run (plugins that implement one and did not Skip)."""
        return [(p.name, p.filter) for p in self.plugins
                if p.name not in skip and type(p).filter is not Plugin.filter]

    def run_filters(self, state: CycleState, pi: PodInfo, ni: NodeInfo, skip: set[str], filters=None) -> Status | None:
        for name, fn in (filters if filters is not None else self._filters(skip)):
            st = fn(state, pi, ni)
            if st is not None:
                st.plugin = name
                return st
        return None

    def schedule_pod(self, pi: PodInfo) -> str:
        """One scheduling cycle's algorithm: the chosen node's name, or FitError."""
        all_nodes = self.node_list()
        if not all_nodes:
            raise _SchedulerError(ERR_NO_NODES_AVAILABLE)
        state = CycleState()
        diagnosis = Diagnosis()
        skip: set[str] = set()
        names: set[str] | None = None
        narrowing: list[str] = []
        for p in self.plugins:
            res, st = p.pre_filter(state, pi)
            if st is not None and st.code == SKIP:
                skip.add(p.name)
                continue
            if st is not None and st.is_rejected():
                st.plugin = p.name
                diagnosis.absent_nodes_status = st
                diagnosis.pre_filter_msg = st.message()
                diagnosis.unschedulable_plugins = {p.name}
                state["diagnosis/skip"] = skip
                raise FitError(pi.pod, len(all_nodes), diagnosis).with_state(state)
            if res is not None and res.node_names is not None:
                names = set(res.node_names) if names is None else names & res.node_names
                narrowing.append(p.name)
        state["diagnosis/skip"] = skip
        nodes = all_nodes
        if names is not None:
            nodes = [ni for ni in all_nodes if ni.name in names]
            diagnosis.absent_nodes_status = Status(
                UNSCHEDULABLE_AND_UNRESOLVABLE, f"node(s) didn't satisfy plugin(s) [{' '.join(sorted(narrowing))}]")
            diagnosis.unschedulable_plugins.update(narrowing)
        feasible: list[NodeInfo] = []
        if nodes:
            want = self._num_feasible_nodes_to_find(len(all_nodes))
            start = self._next_start_node_index % len(nodes)
            processed = 0
            filters = self._filters(skip)
            for i in range(len(nodes)):
                ni = nodes[(start + i) % len(nodes)]
                processed += 1
                st = self.run_filters(state, pi, ni, skip, filters)
                if st is None:
                    feasible.append(ni)
                    if len(feasible) >= want:
                        break
                else:
                    diagnosis.node_to_status[ni.name] = st
                    diagnosis.unschedulable_plugins.add(st.plugin)
            self._next_start_node_index = (start + processed) % len(nodes)
        if not feasible:
            raise FitError(pi.pod, len(all_nodes), diagnosis).with_state(state)
        if len(feasible) == 1:
            return feasible[0].name
        totals = {ni.name: 0 for ni in feasible}
        for p in self.plugins:
            if not p.weight:
                continue
            st = p.pre_score(state, pi, feasible)
            if st is not None and st.code == SKIP:
                continue
            scores = {ni.name: p.score(state, pi, ni) for ni in feasible}
            p.normalize(state, pi, scores)
            for n, s in scores.items():
                totals[n] += s * p.weight
        best = max(totals.values())
        top = [ni.name for ni in feasible if totals[ni.name] == best]
        return top[0] if len(top) == 1 else top[self.rng.randrange(len(top))]

    # -- binding -------------------------------------------------------------------------------
    def _bind(self, qp: QueuedPod, pi: PodInfo, node_name: str) -> None:
        try:
            self.api.bind(qp.namespace, qp.name, node_name)
        except errors.StatusError:
            # the pod changed under us (deleted, bound elsewhere): the informer sorts it out
            if qp.uid in self._queued:
                qp.timestamp = self.clock.now
                self._activate(qp)
            return
        self._dequeue(qp.uid)
        self.recorder.eventf(qp.pod, None, "Normal", "Scheduled", "Binding",
                             f"Successfully assigned {qp.namespace}/{qp.name} to {node_name}")

    # -- failure -------------------------------------------------------------------------------
    def _handle_failure(self, qp: QueuedPod, pi: PodInfo, err: Exception) -> None:
        nominated = None
        if isinstance(err, FitError):
            reason = "Unschedulable"
            msg, nominated = self._post_filter(pi, err)
            err.diagnosis.post_filter_msg = msg
            qp.unschedulable_plugins = set(err.diagnosis.unschedulable_plugins)
        else:
            reason = "SchedulerError"
            qp.unschedulable_plugins = set()
        message = str(err)
        qp.timestamp = self.clock.now
        if qp.uid in self._queued:
            if qp.unschedulable_plugins:
                self._unschedulable[qp.uid] = qp
                self._schedule_flush()
            else:
                self._activate(qp)
        self.recorder.eventf(qp.pod, None, "Warning", "FailedScheduling", "Scheduling", message)
        current = self.store.get(self._rt["Pod"], qp.namespace, qp.name)
        if current is None or current["metadata"].get("uid") != qp.uid:
            return
        status = deep_copy(current.get("status") or {})
        changed = pod_condition(status, {"type": "PodScheduled", "status": "False", "reason": reason,
                                         "message": message}, self.clock.now)
        if nominated is not None and status.get("nominatedNodeName") != nominated:
            status["nominatedNodeName"] = nominated
            changed = True
        if not changed:
            return
        new = dict(current)
        new["status"] = status
        try:
            self.api.update_status(new)
        except errors.StatusError:
            pass

    # -- preemption (DefaultPreemption PostFilter) ---------------------------------------------
    def _post_filter(self, pi: PodInfo, fe: FitError) -> tuple[str, str | None]:
        """Returns (postfilter message, nominated node or None)."""
        spec = pi.pod.get("spec") or {}
        if spec.get("preemptionPolicy") == "Never":
            return "preemption: not eligible due to preemptionPolicy=Never.", None
        d = fe.diagnosis
        state = fe.state
        skip = state.get("diagnosis/skip", set())
        all_nodes = self.node_list()
        statuses: dict[str, Status] = {}
        candidates = []
        for ni in all_nodes:
            st = d.node_to_status.get(ni.name) or d.absent_nodes_status
            if st is None:
                continue
            if st.code == UNSCHEDULABLE_AND_UNRESOLVABLE:
                statuses[ni.name] = Status(UNSCHEDULABLE_AND_UNRESOLVABLE, PREEMPTION_NOT_HELPFUL)
                continue
            victims = [p for p in ni.pods.values() if p.priority < pi.priority]
            if not victims:
                statuses[ni.name] = Status(UNSCHEDULABLE_AND_UNRESOLVABLE, NO_PREEMPTION_VICTIMS)
                continue
            trial = ni.clone_without({v.uid for v in victims})
            st2 = self.run_filters(state, pi, trial, skip)
            if st2 is not None:
                statuses[ni.name] = st2
                continue
            # reprieve as many victims as possible, most important first
            victims.sort(key=lambda v: (-v.priority, (v.pod.get("status") or {}).get("startTime") or ""))
            kept = []
            for v in victims:
                trial.add_pod(v)
                if self.run_filters(state, pi, trial, skip) is None:
                    continue
                trial.remove_pod(v.uid)
                kept.append(v)
            candidates.append((ni, kept))
        if not candidates:
            pd = Diagnosis(node_to_status=statuses,
                           absent_nodes_status=Status(UNSCHEDULABLE_AND_UNRESOLVABLE, PREEMPTION_NOT_HELPFUL))
            return "preemption: " + fit_error_message(len(all_nodes), pd), None

        def rank(c):
            ni, vs = c
            return (max((v.priority for v in vs), default=-(1 << 31)), sum(v.priority for v in vs), len(vs))
        ni, victims = min(candidates, key=rank)
        for v in victims:
            self._preempt_victim(v, pi, ni.name)
        return "", ni.name

    def _preempt_victim(self, victim: PodInfo, preemptor: PodInfo, node_name: str) -> None:
        current = self.store.get(self._rt["Pod"], victim.namespace, victim.name)
        if current is None:
            return
        status = deep_copy(current.get("status") or {})
        if pod_condition(status, {"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
                                  "message": f"{SCHEDULER_NAME}: preempting to accommodate a higher priority pod"},
                         self.clock.now):
            try:
                current = self.api.update_status({**current, "status": status})
            except errors.StatusError:
                pass
        try:
            self.api.delete(self._rt["Pod"], victim.namespace, victim.name)
        except errors.StatusError:
            return
        self.recorder.eventf(current, preemptor.pod, "Normal", "Preempted", "Preempting",
                             f"Preempted by pod {preemptor.uid} on node {node_name}")


class _SchedulerError(Exception):
    pass
