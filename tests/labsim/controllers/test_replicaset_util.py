"""Cases ported from kubernetes/kubernetes: pkg/controller/controller_utils_test.go
(TestSortingActivePods, TestSortingActivePodsWithRanks) and the replica_set.go deletion rules."""
import random

import pytest

from labsim.clock import rfc3339
from labsim.controllers.replicaset_util import (
    active_pods_less, calculate_status, get_deletion_cost, get_pods_to_delete, is_pod_available,
    is_pod_active, rank_by_related_pods_on_same_node, ranked_less, sort_active_pods,
)

NOW = 100 * 86400.0  # simulated seconds, far enough from the epoch for "a month ago"
HOUR = 3600.0


def _pod(name, node="", phase="Pending", ready=False, restarts=(), ready_since=None, created=None,
         annotations=None, uid=""):
    status = {"phase": phase}
    if ready:
        cond = {"type": "Ready", "status": "True"}
        if ready_since is not None:
            cond["lastTransitionTime"] = rfc3339(ready_since)
        status["conditions"] = [cond]
        status["containerStatuses"] = [{"name": f"c{i}", "restartCount": r} for i, r in enumerate(restarts)]
    meta = {"name": name, "uid": uid}
    if created is not None:
        meta["creationTimestamp"] = rfc3339(created)
    if annotations:
        meta["annotations"] = annotations
    spec = {"nodeName": node} if node else {}
    return {"metadata": meta, "spec": spec, "status": status}


def test_sorting_active_pods():
    # TestSortingActivePods "Sorts by active pod": then = now - 1 month
    then = NOW - 30 * 86400
    pods = [
        _pod("unscheduled"),
        _pod("scheduledButPending", "bar"),
        _pod("unknownPhase", "foo", "Unknown"),
        _pod("runningButNotReady", "foo", "Running"),
        _pod("runningNoLastTransitionTime", "foo", "Running", True, (3, 0)),
        _pod("runningWithLastTransitionTime", "foo", "Running", True, (3, 0), NOW),
        _pod("runningLongerTime", "foo", "Running", True, (3, 0), then),
        _pod("lowerContainerRestartCount", "foo", "Running", True, (2, 1), then, created=NOW),
        _pod("oldest", "foo", "Running", True, (2, 1), then, created=then),
    ]
    want = [p["metadata"]["name"] for p in pods]
    rng = random.Random(0)
    for _ in range(20):
        shuffled = pods[:]
        rng.shuffle(shuffled)
        assert [p["metadata"]["name"] for p in sort_active_pods(shuffled)] == want


then1Month = NOW - 30 * 86400
then2Hours, then5Hours, then8Hours = NOW - 2 * HOUR, NOW - 5 * HOUR, NOW - 8 * HOUR
COST = "controller.kubernetes.io/pod-deletion-cost"
unscheduledPod = _pod("unscheduled", "", "Pending")
scheduledPendingPod = _pod("pending", "node", "Pending")
unknownPhasePod = _pod("unknown-phase", "node", "Unknown")
runningNotReadyPod = _pod("not-ready", "node", "Running")
runningReadyNoLastTransitionTimePod = _pod("ready-no-last-transition-time", "node", "Running", True, (0,))
runningReadyNow = _pod("ready-now", "node", "Running", True, (0,), NOW, NOW)
runningReadyThen = _pod("ready-then", "node", "Running", True, (0,), then1Month, then1Month)
runningReadyNowHighRestarts = _pod("ready-high-restarts", "node", "Running", True, (9001,), NOW, NOW)
runningReadyNowCreatedThen = _pod("ready-now-created-then", "node", "Running", True, (0,), NOW, then1Month)
lowPodDeletionCost = _pod("low-deletion-cost", "node", "Running", True, (0,), NOW, then1Month, {COST: "10"})
highPodDeletionCost = _pod("high-deletion-cost", "node", "Running", True, (0,), NOW, then1Month, {COST: "100"})
unscheduled5Hours = _pod("unscheduled-5-hours", "", "Pending", False, (), then5Hours, then5Hours)
unscheduled8Hours = _pod("unscheduled-10-hours", "", "Pending", False, (), then8Hours, then8Hours)
ready2Hours = _pod("ready-2-hours", "", "Running", True, (0,), then2Hours, then1Month)
ready5Hours = _pod("ready-5-hours", "", "Running", True, (0,), then5Hours, then1Month)
ready10Hours = _pod("ready-10-hours", "", "Running", True, (0,), then8Hours, then1Month)


@pytest.mark.parametrize("p1,p2", [
    (unscheduledPod, None), (scheduledPendingPod, None), (unknownPhasePod, None),
    (runningNotReadyPod, None), (runningReadyNowCreatedThen, None), (runningReadyNow, None),
    (runningReadyThen, None), (runningReadyNowHighRestarts, None), (runningReadyNowCreatedThen, None),
    (unscheduled5Hours, unscheduled8Hours),  # same log2 bucket of age, same (empty) uid
    (ready5Hours, ready10Hours),
])
def test_ranked_equality(p1, p2):
    p2 = p2 or p1
    assert not ranked_less(p1, 1, p2, 1, NOW)
    assert not ranked_less(p2, 1, p1, 1, NOW)


# TestSortingActivePodsWithRanks inequalityTests (PodDeletionCost and LogarithmicScaleDown on)
@pytest.mark.parametrize("lesser,lrank,greater,grank", [
    (unscheduledPod, 1, scheduledPendingPod, 2),
    (unscheduledPod, 2, scheduledPendingPod, 1),
    (scheduledPendingPod, 1, unknownPhasePod, 2),
    (unknownPhasePod, 1, runningNotReadyPod, 2),
    (runningNotReadyPod, 1, runningReadyNoLastTransitionTimePod, 1),
    (runningReadyNoLastTransitionTimePod, 1, runningReadyNow, 1),
    (runningReadyNow, 2, runningReadyNoLastTransitionTimePod, 1),
    (runningReadyNow, 1, runningReadyThen, 1),
    (runningReadyNow, 2, runningReadyThen, 1),
    (runningReadyNowHighRestarts, 1, runningReadyNow, 1),
    (runningReadyNow, 2, runningReadyNowHighRestarts, 1),
    (runningReadyNow, 1, runningReadyNowCreatedThen, 1),
    (runningReadyNowCreatedThen, 2, runningReadyNow, 1),
    (lowPodDeletionCost, 2, highPodDeletionCost, 1),
    (ready2Hours, 1, ready5Hours, 1),
])
def test_ranked_inequality(lesser, lrank, greater, grank):
    assert ranked_less(lesser, lrank, greater, grank, NOW)
    assert not ranked_less(greater, grank, lesser, lrank, NOW)


def test_same_log2_bucket_breaks_tie_by_uid():
    a = _pod("a", "node", "Running", True, (0,), then5Hours, then1Month, uid="aaa")
    b = _pod("b", "node", "Running", True, (0,), then8Hours, then1Month, uid="bbb")
    assert ranked_less(a, 1, b, 1, NOW) and not ranked_less(b, 1, a, 1, NOW)
    # without a reference time the exact times decide: the more recently ready goes first
    b2 = _pod("b", "node", "Running", True, (0,), then8Hours, then1Month, uid="000")
    assert ranked_less(a, 1, b2, 1, None)
    assert not ranked_less(a, 1, b2, 1, NOW)  # same bucket: uid "000" < "aaa"


def test_sidecar_restarts_break_ties():
    def with_sidecar(name, n):
        p = _pod(name, "node", "Running", True, (1,), NOW, NOW)
        p["spec"]["initContainers"] = [{"name": "side", "restartPolicy": "Always"}, {"name": "init"}]
        p["status"]["initContainerStatuses"] = [{"name": "side", "restartCount": n},
                                                {"name": "init", "restartCount": 50}]
        return p
    assert active_pods_less(with_sidecar("x", 3), with_sidecar("y", 2))
    assert not active_pods_less(with_sidecar("y", 2), with_sidecar("x", 3))
    # a plain init container's restarts do not count
    assert not active_pods_less(with_sidecar("x", 2), with_sidecar("y", 2))


@pytest.mark.parametrize("value,want", [
    ("10", 10), ("-5", -5), ("0", 0), ("+10", 0), ("008", 0), ("x", 0), ("", 0),
    ("2147483647", 2147483647), ("2147483648", 0), ("-2147483648", -2147483648), ("1.5", 0),
])
def test_deletion_cost(value, want):
    assert get_deletion_cost({"metadata": {"annotations": {COST: value}}}) == want


def test_get_pods_to_delete_prefers_doubled_up_node():
    pods = [_pod(f"p{i}", node, "Running", True, (0,), then1Month, then1Month, uid=f"u{i}")
            for i, node in enumerate(["a", "b", "a"])]
    got = get_pods_to_delete(pods, pods, 1, NOW)
    # both node-a pods rank 2; equal otherwise, so uid breaks the tie at the log2 step
    assert [p["metadata"]["name"] for p in got] == ["p0"]
    assert [p["metadata"]["name"] for p in get_pods_to_delete(pods, pods, 2, NOW)] == ["p0", "p2"]
    # deleting all: no sorting, input order
    assert [p["metadata"]["name"] for p in get_pods_to_delete(pods, pods, 3, NOW)] == ["p0", "p1", "p2"]


def test_get_pods_to_delete_not_ready_and_unscheduled_first():
    pods = [
        _pod("ready", "a", "Running", True, (0,), then1Month, then1Month),
        _pod("pending", "a", "Pending"),
        _pod("unscheduled"),
        _pod("not-ready", "b", "Running"),
    ]
    got = get_pods_to_delete(pods, pods, 3, NOW)
    assert [p["metadata"]["name"] for p in got] == ["unscheduled", "pending", "not-ready"]


def test_rank_counts_only_active_related_pods():
    live = _pod("x", "a", "Running")
    done = _pod("y", "a", "Succeeded")
    gone = _pod("z", "a", "Running")
    gone["metadata"]["deletionTimestamp"] = rfc3339(NOW)
    other = _pod("w", "b", "Running")
    assert not is_pod_active(done) and not is_pod_active(gone)
    assert rank_by_related_pods_on_same_node([live, other], [live, done, gone, other]) == [1, 1]


def test_is_pod_available_boundary():
    p = _pod("p", "a", "Running", True, (0,), 100.0)
    assert is_pod_available(p, 0, 100.0)
    assert not is_pod_available(p, 10, 110.0)
    assert is_pod_available(p, 10, 110.5)
    assert not is_pod_available(_pod("q", "a", "Running", True, (0,)), 10, 1e6)  # no transition time
    assert not is_pod_available(_pod("r", "a", "Running"), 0, 1e6)


def test_calculate_status():
    rs = {"spec": {"replicas": 3, "minReadySeconds": 10,
                   "template": {"metadata": {"labels": {"app": "web", "tier": "fe"}}}},
          "status": {"observedGeneration": 2}}
    full = {"app": "web", "tier": "fe"}
    a = _pod("a", "n", "Running", True, (0,), NOW - 60)
    a["metadata"]["labels"] = full
    b = _pod("b", "n", "Running", True, (0,), NOW - 5)
    b["metadata"]["labels"] = full
    c = _pod("c", "n", "Pending")
    c["metadata"]["labels"] = {"app": "web"}
    assert calculate_status(rs, [a, b, c], NOW) == {
        "observedGeneration": 2, "replicas": 3, "fullyLabeledReplicas": 2,
        "readyReplicas": 2, "availableReplicas": 1}
    assert rs["status"] == {"observedGeneration": 2}


@pytest.mark.parametrize("seed", range(40))
def test_sort_pods_with_ranks_makes_the_comparisons_of_ranked_less(seed):
    """The ranked sort (tuples compared partly in C, the rest by its tail objects) returns
    exactly what a stable sort by ranked_less returns, also on the many ties and same-bucket
    times of a rollout where the relation is not a strict weak order (so the result depends on
    every single comparison)."""
    from functools import cmp_to_key

    from labsim.controllers.replicaset_util import sort_pods_with_ranks

    rng = random.Random(seed)
    nodes = ["", "n1", "n2", "n3"]
    # few distinct times, close together (same log2 buckets) and far apart, some missing
    times = [NOW - d for d in (1, 1.5, 2, 40, 41, 3 * HOUR, 5 * HOUR)] + [None]
    pods, ranks = [], []
    for i in range(rng.randint(2, 60)):
        ready = rng.random() < 0.8
        ann = {"controller.kubernetes.io/pod-deletion-cost": rng.choice(["0", "5"])} if rng.random() < 0.1 else None
        pods.append(_pod(f"p{i:02d}", rng.choice(nodes), rng.choice(["Running", "Running", "Pending", "Unknown"]),
                         ready, (rng.choice([0, 0, 0, 1]),), rng.choice(times), rng.choice(times),
                         annotations=ann, uid=f"{rng.randrange(1000):04d}"))
        ranks.append(rng.randint(0, 3))
    now = None if seed % 10 == 9 else NOW

    def cmp(x, y):
        return -1 if ranked_less(x[0], x[1], y[0], y[1], now) else (1 if ranked_less(y[0], y[1], x[0], x[1], now) else 0)
    want = [p["metadata"]["name"] for p, _ in sorted(zip(pods, ranks), key=cmp_to_key(cmp))]
    got = [p["metadata"]["name"] for p in sort_pods_with_ranks(pods, ranks, now)]
    assert got == want
    # a second sort of the same pod objects (cached per pod and time) gives the same answer
    assert [p["metadata"]["name"] for p in sort_pods_with_ranks(pods, ranks, now)] == want
    # and so do later sorts of them, as their ages cross log2 bucket boundaries (the cached
    # buckets are moved on)
    if now is not None:
        for later in (0.5, 1.0, 1.9, 2.1, 30, 47.5, 100, 2 * HOUR):
            at = now + later

            def cmp_at(x, y):
                return -1 if ranked_less(x[0], x[1], y[0], y[1], at) else (
                    1 if ranked_less(y[0], y[1], x[0], x[1], at) else 0)
            want_at = [p["metadata"]["name"] for p, _ in sorted(zip(pods, ranks), key=cmp_to_key(cmp_at))]
            assert [p["metadata"]["name"] for p in sort_pods_with_ranks(pods, ranks, at)] == want_at, later
