"""Pure rules of the ReplicaSet controller: which pods go first when scaling down, and status counts.

Pods are wire-format dicts (never mutated); times are simulated seconds (labsim.clock).
Ported from kubernetes/kubernetes v1.32: pkg/controller/controller_utils.go (ActivePods,
ActivePodsWithRanks, IsPodActive) and pkg/controller/replicaset/replica_set.go (getPodsToDelete,
getPodsRankedByRelatedPodsOnSameNode) and replica_set_utils.go (calculateStatus).

Feature gates as in v1.32: PodDeletionCost (beta, on by default since 1.22) and
LogarithmicScaleDown (beta on since 1.22, GA and locked on in 1.31) are both enabled, so the
ranked sort compares ready/creation times in base-2 logarithmic buckets of nanoseconds.
"""
from __future__ import annotations

import math
import re
from functools import cmp_to_key

from labsim.clock import parse_rfc3339

# kubernetes/kubernetes: pkg/apis/core/annotation_key_constants.go
POD_DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost"

# controller_utils.go: podPhaseToOrdinal; any other phase (Succeeded, Failed, "") maps to 0
_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}

_INT = re.compile(r"-?[0-9]+\Z")


def _meta(pod: dict) -> dict:
    return pod.get("metadata") or {}


def _status(pod: dict) -> dict:
    return pod.get("status") or {}


def _node_name(pod: dict) -> str:
    return (pod.get("spec") or {}).get("nodeName") or ""


def _time(value) -> float | None:
    """A metav1.Time from the wire: None is Go's zero time."""
    if not value:
        return None
    return parse_rfc3339(value)


def _ready_condition(pod: dict) -> dict | None:
    for c in _status(pod).get("conditions") or []:
        if c.get("type") == "Ready":
            return c
    return None


def is_pod_ready(pod: dict) -> bool:
    """podutil.IsPodReady: the Ready condition is True."""
    c = _ready_condition(pod)
    return c is not None and c.get("status") == "True"


def is_pod_available(pod: dict, min_ready_seconds: int, now: float) -> bool:
    """podutil.IsPodAvailable: ready, and ready for strictly more than minReadySeconds.

    Ready since t=100, minReadySeconds 10: available at now=110.5, not at now=110
    (LastTransitionTime.Add(10s).Before(now) is strict in pkg/api/v1/pod/util.go as of v1.32;
    later releases changed the comparison to "<=", which this deliberately does not follow)."""
    if not is_pod_ready(pod):
        return False
    if min_ready_seconds == 0:
        return True
    ltt = _time(_ready_condition(pod).get("lastTransitionTime"))
    return ltt is not None and ltt + min_ready_seconds < now


def is_pod_active(pod: dict) -> bool:
    """controller.IsPodActive: not Succeeded/Failed and not being deleted."""
    phase = _status(pod).get("phase")
    return phase not in ("Succeeded", "Failed") and not _meta(pod).get("deletionTimestamp")


def filter_active_pods(pods) -> list[dict]:
    """controller.FilterActivePods, order kept."""
    return [p for p in pods if is_pod_active(p)]


def pod_ready_time(pod: dict) -> float | None:
    """podReadyTime: lastTransitionTime of a True Ready condition, else zero time (None)."""
    if is_pod_ready(pod):
        return _time(_ready_condition(pod).get("lastTransitionTime"))
    return None


def max_container_restarts(pod: dict) -> tuple[int, int]:
    """maxContainerRestarts: (highest restartCount of regular containers, highest of sidecars).

    Sidecars are init containers with restartPolicy Always; their counts only break ties."""
    status = _status(pod)
    regular = max((int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or []), default=0)
    sidecars = {c.get("name") for c in (pod.get("spec") or {}).get("initContainers") or []
                if c.get("restartPolicy") == "Always"}
    sidecar = max((int(c.get("restartCount") or 0) for c in status.get("initContainerStatuses") or []
                   if c.get("name") in sidecars), default=0)
    return regular, sidecar


def _compare_max_container_restarts(a: dict, b: dict) -> bool | None:
    """compareMaxContainerRestarts: True if a restarted more, False if b did, None if equal."""
    ra, sa = max_container_restarts(a)
    rb, sb = max_container_restarts(b)
    if ra != rb:
        return ra > rb
    if sa != sb:
        return sa > sb
    return None


def get_deletion_cost(pod: dict) -> int:
    """helper.GetDeletionCostFromPodAnnotations; an invalid value counts as 0.

    "10" -> 10, "-5" -> -5; "+10", "008", "x" and values outside int32 are invalid."""
    value = (_meta(pod).get("annotations") or {}).get(POD_DELETION_COST_ANNOTATION)
    if value is None or not value:
        return 0
    # validFirstDigit: no plus sign, no leading zeros
    first = value[0]
    if not (first == "-" or value == "0" or "1" <= first <= "9"):
        return 0
    if not _INT.match(value):
        return 0
    n = int(value)
    return n if -(1 << 31) <= n < (1 << 31) else 0


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    """afterOrZero: t1 after t2, a zero time counting as after any other."""
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _log2_rank(t: float, now: float) -> int:
    # logarithmicRankDiff: int64(math.Log2(float64(now.Sub(t)))) over nanoseconds; -1 if not before now
    d = int(round((now - t) * 1_000_000_000))
    return int(math.log2(d)) if d > 0 else -1


def _time_less(t1: float | None, t2: float | None, uid1: str, uid2: str, now: float | None):
    """Newer first (LogarithmicScaleDown): compare log2 buckets of age; same bucket -> by uid."""
    if now is None or t1 is None or t2 is None:
        return _after_or_zero(t1, t2)
    diff = _log2_rank(t1, now) - _log2_rank(t2, now)
    if diff == 0:
        return uid1 < uid2
    return diff < 0


def ranked_less(a: dict, rank_a: int, b: dict, rank_b: int, now: float | None) -> bool:
    """ActivePodsWithRanks.Less: True if pod a should be deleted before pod b.

    1. unassigned < assigned; 2. Pending < Unknown < Running; 3. not ready < ready;
    4. lower pod-deletion-cost first; 5. higher rank (more pods of the set on the same node) first;
    6. both ready: ready more recently first (log2 buckets of age; same bucket -> by uid, stop);
    7. more container restarts first; 8. created more recently first (log2 buckets; -> uid).
    E.g. ready 2 h vs 5 h ago: 2 h = 7.2e12 ns (bucket 42), 5 h = 1.8e13 ns (bucket 44) -> 2 h first;
    5 h vs 8 h are both in bucket 44, so they compare by uid only.
    """
    na, nb = _node_name(a), _node_name(b)
    if na != nb and (not na or not nb):
        return not na
    pa, pb = _PHASE_ORDINAL.get(_status(a).get("phase"), 0), _PHASE_ORDINAL.get(_status(b).get("phase"), 0)
    if pa != pb:
        return pa < pb
    ra, rb = is_pod_ready(a), is_pod_ready(b)
    if ra != rb:
        return not ra
    ca, cb = get_deletion_cost(a), get_deletion_cost(b)
    if ca != cb:
        return ca < cb
    if rank_a != rank_b:
        return rank_a > rank_b
    uid_a, uid_b = _meta(a).get("uid") or "", _meta(b).get("uid") or ""
    if ra and rb:
        ta, tb = pod_ready_time(a), pod_ready_time(b)
        if ta != tb:
            return _time_less(ta, tb, uid_a, uid_b, now)
    res = _compare_max_container_restarts(a, b)
    if res is not None:
        return res
    ta, tb = _time(_meta(a).get("creationTimestamp")), _time(_meta(b).get("creationTimestamp"))
    if ta != tb:
        return _time_less(ta, tb, uid_a, uid_b, now)
    return False


def active_pods_less(a: dict, b: dict) -> bool:
    """ActivePods.Less (no ranks, no deletion cost, exact times): the order used where a
    controller simply wants the least valuable pods first."""
    na, nb = _node_name(a), _node_name(b)
    if na != nb and (not na or not nb):
        return not na
    pa, pb = _PHASE_ORDINAL.get(_status(a).get("phase"), 0), _PHASE_ORDINAL.get(_status(b).get("phase"), 0)
    if pa != pb:
        return pa < pb
    ra, rb = is_pod_ready(a), is_pod_ready(b)
    if ra != rb:
        return not ra
    if ra and rb:
        ta, tb = pod_ready_time(a), pod_ready_time(b)
        if ta != tb:
            return _after_or_zero(ta, tb)
    res = _compare_max_container_restarts(a, b)
    if res is not None:
        return res
    ta, tb = _time(_meta(a).get("creationTimestamp")), _time(_meta(b).get("creationTimestamp"))
    if ta != tb:
        return _after_or_zero(ta, tb)
    return False


def sort_active_pods(pods) -> list[dict]:
    """sort.Sort(ActivePods(pods)), as a stable sort (Go's is not; ties keep input order here)."""
    def cmp(a, b):
        return -1 if active_pods_less(a, b) else (1 if active_pods_less(b, a) else 0)
    return sorted(pods, key=cmp_to_key(cmp))


def rank_by_related_pods_on_same_node(pods_to_rank, related_pods) -> list[int]:
    """getPodsRankedByRelatedPodsOnSameNode: each pod's rank is the number of active related
    pods on its node (unscheduled pods share the "" node)."""
    on_node: dict[str, int] = {}
    for p in related_pods:
        entry = _ACTIVE_NODE.get(id(p))
        if entry is None or entry[0] is not p:
            if len(_ACTIVE_NODE) >= _FEATURES_MAX:
                _ACTIVE_NODE.clear()
            entry = _ACTIVE_NODE[id(p)] = (p, is_pod_active(p), _node_name(p))
        if entry[1]:
            on_node[entry[2]] = on_node.get(entry[2], 0) + 1
    return [on_node.get(_node_name(p), 0) for p in pods_to_rank]


#: (pod, active, node) by ``id(pod)``, as :data:`_FEATURES` (ranks are counted over every pod of
#: the Deployment at each scale-down)
_ACTIVE_NODE: dict[int, tuple] = {}


def sort_pods_with_ranks(pods, ranks, now: float | None) -> list[dict]:
    """sort.Sort(ActivePodsWithRanks{pods, ranks, now}), stable.

    The same sort as ``sorted(pairs, key=cmp_to_key(<ranked_less>))``: list.sort only ever asks
    ``x < y``, and every answer is the one :func:`ranked_less` gives, over values read from each
    pod once instead of once per comparison. (The relation is not a strict weak order in
    general - same log2 bucket compares by uid, same time by restarts - so no plain sort key
    could reproduce it; the comparisons themselves stay the same.)

    Each pod is sorted as the tuple ``(head, ready bucket, tail)``: ``head`` is steps 1-5
    (assigned, phase, ready, deletion cost, rank: higher first), compared in C; two ready pods in
    different log2 buckets of ready time have different ready times, so step 6 orders them by
    bucket, also in C; only pods equal so far reach :meth:`_RankTail.__lt__`, which is the rest
    of :func:`ranked_less`. (Where a ready pod has no bucket - no ready time - the bucket is left
    to the tail for every pod.)"""
    items = []
    lift = True
    tails = _TAILS
    for pod, rank in zip(pods, ranks):
        tail = tails.get(id(pod))
        if tail is None or tail.pod is not pod:
            tail = _rank_tail(pod, now)
        elif now is None or not tail.now <= now < tail.until:
            tail.at(now)
        rb = tail.rb_key
        if rb is None:
            lift = False
        items.append((tail.head + (-rank,), rb, tail))
    if not lift:
        items = [(head, 0, tail) for head, _, tail in items]
    items.sort()
    return [item[2].pod for item in items]


#: per-pod values of the ranked comparison, by ``id(pod)``; the entry holds the pod itself so the
#: id cannot be reused while cached (store objects are never mutated: one object, one answer)
_FEATURES: dict[int, tuple] = {}
_FEATURES_MAX = 50_000


def _ranked_features(pod: dict) -> tuple:
    entry = _FEATURES.get(id(pod))
    if entry is not None and entry[0] is pod:
        return entry
    na = _node_name(pod)
    ready = is_pod_ready(pod)
    entry = (pod,
             (1 if na else 0, _PHASE_ORDINAL.get(_status(pod).get("phase"), 0), ready, get_deletion_cost(pod)),
             _meta(pod).get("uid") or "",
             pod_ready_time(pod) if ready else None,
             max_container_restarts(pod),
             _time(_meta(pod).get("creationTimestamp")),
             na)
    if len(_FEATURES) >= _FEATURES_MAX:
        _FEATURES.clear()
    _FEATURES[id(pod)] = entry
    return entry


def _bucket(t: float | None, now: float | None, buckets: dict[float, int]) -> int | None:
    """_log2_rank of t, None where _time_less falls back to afterOrZero (no now, zero time)."""
    if t is None or now is None:
        return None
    b = buckets.get(t)
    if b is None:
        b = buckets[t] = _log2_rank(t, now)
    return b


#: :class:`_RankTail` of a pod by ``id(pod)`` (the entry holds the pod, as :data:`_FEATURES`), its
#: buckets moved to each sort's ``now``: a rollout ranks the same pod objects at every scale-down
_TAILS: dict[int, "_RankTail"] = {}
#: _log2_rank(t, now) by t, for the ``now`` in ``_BUCKETS_NOW[0]``
_BUCKETS: dict[float, int] = {}
_BUCKETS_NOW: list = [None]


def _rank_tail(pod: dict, now: float | None) -> "_RankTail":
    entry = _TAILS.get(id(pod))
    if entry is not None and entry.pod is pod:
        if now is None or not entry.now <= now < entry.until:
            entry.at(now)
        return entry
    entry = _RankTail(pod, _ranked_features(pod), now)
    if len(_TAILS) >= _FEATURES_MAX:
        _TAILS.clear()
    _TAILS[id(pod)] = entry
    return entry


_INF = float("inf")


def _bucket_until(t: float | None, b: int | None) -> float:
    """A time before which ``_log2_rank(t, now)`` is still ``b`` for any later ``now``: the age
    in nanoseconds stays below 2**(b+1) (1 us to spare for float rounding; a zero or negative
    age, bucket -1, only up to ``t``)."""
    if t is None or b is None:
        return _INF
    if b < 0:
        return t
    return t + (2 ** (b + 1) - 1000) / 1_000_000_000


class _RankTail:
    """One pod of a ranked sort, without its rank: ``a < b`` is ``ranked_less(a, rank_a, b,
    rank_b, now)`` for pods whose steps 1-5 are equal (see :func:`sort_pods_with_ranks`)."""

    __slots__ = ("pod", "head", "ready", "uid", "rt", "rb", "rb_key", "restarts", "ct", "cb", "now", "until")

    def __init__(self, pod: dict, f: tuple, now: float | None):
        self.pod = pod
        # steps 1-4: assigned, phase, ready, deletion cost
        self.head = f[1]
        self.ready = f[1][2]
        self.uid = f[2]
        self.rt = f[3]
        self.restarts = f[4]
        self.ct = f[5]
        self.at(now)

    def at(self, now: float | None) -> None:
        """Take the log2 buckets of the ready and creation times at ``now``."""
        if _BUCKETS_NOW[0] != now:
            _BUCKETS.clear()
            _BUCKETS_NOW[0] = now
        self.now = now
        self.rb = _bucket(self.rt, now, _BUCKETS)
        self.rb_key = self.rb if self.ready else 0
        self.cb = _bucket(self.ct, now, _BUCKETS)
        # the buckets hold while ``self.now <= now < self.until``
        if now is None:
            self.now, self.until = _INF, -_INF
        else:
            self.until = min(_bucket_until(self.rt, self.rb), _bucket_until(self.ct, self.cb))

    def __lt__(self, other: "_RankTail") -> bool:
        if self.ready:  # both ready (equal heads)
            ta, tb = self.rt, other.rt
            if ta != tb:
                ba, bb = self.rb, other.rb
                if ba is None or bb is None:
                    return ta > tb if ta is not None and tb is not None else ta is None
                if ba == bb:
                    return self.uid < other.uid
                return ba < bb
        if self.restarts != other.restarts:
            return self.restarts > other.restarts
        ta, tb = self.ct, other.ct
        if ta != tb:
            ba, bb = self.cb, other.cb
            if ba is None or bb is None:
                return ta > tb if ta is not None and tb is not None else ta is None
            if ba == bb:
                return self.uid < other.uid
            return ba < bb
        return False


def get_pods_to_delete(filtered_pods, related_pods, diff: int, now: float | None) -> list[dict]:
    """replica_set.go getPodsToDelete: the `diff` pods to delete when scaling down.

    Sorting only happens when not all pods go. 3 running ready pods, 2 on node-a and 1 on node-b,
    scale 3 -> 2: the node-a pods rank 2, node-b's ranks 1, so a node-a pod goes first (spreading)."""
    pods = list(filtered_pods)
    if diff < len(pods):
        pods = sort_pods_with_ranks(pods, rank_by_related_pods_on_same_node(pods, related_pods), now)
    return pods[:diff]


def get_pods_to_delete_ranked(filtered_pods, related_on_node: dict[str, int], diff: int,
                              now: float | None) -> list[dict]:
    """:func:`get_pods_to_delete` with the related pods already counted per node (active ones;
    ``""`` for unscheduled pods), which is all getPodsRankedByRelatedPodsOnSameNode reads of them."""
    pods = list(filtered_pods)
    if diff < len(pods):
        pods = sort_pods_with_ranks(pods, [related_on_node.get(_ranked_features(p)[6], 0) for p in pods], now)
    return pods[:diff]


def calculate_status(rs: dict, filtered_pods, now: float) -> dict:
    """replica_set_utils.go calculateStatus, without the ReplicaFailure condition (which needs
    the manageReplicas error): replicas, fullyLabeledReplicas, readyReplicas, availableReplicas.

    Template labels {app: web, tier: fe}; a pod labelled only {app: web} counts in replicas
    but not in fullyLabeledReplicas. Returns a new status dict (other fields copied)."""
    status = dict(rs.get("status") or {})
    spec = rs.get("spec") or {}
    template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    min_ready = int(spec.get("minReadySeconds") or 0)
    fully_labeled = ready = available = 0
    for pod in filtered_pods:
        labels = _meta(pod).get("labels") or {}
        if all(labels.get(k) == v for k, v in template_labels.items()):
            fully_labeled += 1
        if is_pod_ready(pod):
            ready += 1
            if is_pod_available(pod, min_ready, now):
                available += 1
    status["replicas"] = len(filtered_pods)
    status["fullyLabeledReplicas"] = fully_labeled
    status["readyReplicas"] = ready
    status["availableReplicas"] = available
    return status
