"""The Deployment controller's bookkeeping rules (deployment_util additions), with cases ported from
kubernetes/kubernetes pkg/controller/deployment/util/deployment_util_test.go (TestDeploymentComplete,
TestDeploymentProgressing, TestDeploymentTimedOut, TestEqualIgnoreHash, TestFindNewReplicaSet,
TestFindOldReplicaSets, TestAnnotationUtils, TestMaxUnavailable-style fixtures)."""
import pytest

from labsim.clock import rfc3339
from labsim.controllers import deployment_util as du


def dep(replicas=5, max_unavailable=1, max_surge=0, generation=1, pds=None, status=None, annotations=None,
        strategy="RollingUpdate"):
    d = {"metadata": {"name": "foo", "generation": generation, "annotations": annotations or {}},
         "spec": {"replicas": replicas,
                  "strategy": {"type": strategy,
                               "rollingUpdate": {"maxUnavailable": max_unavailable, "maxSurge": max_surge}},
                  "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c"}]}}},
         "status": status or {}}
    if pds is not None:
        d["spec"]["progressDeadlineSeconds"] = pds
    return d


def status(replicas, updated, available, ready=0, observed=1, conditions=None):
    return {"replicas": replicas, "updatedReplicas": updated, "availableReplicas": available,
            "readyReplicas": ready, "observedGeneration": observed, "conditions": conditions or []}


def rs(name, created, replicas=1, template=None, revision=None, uid=None, available=0):
    md = {"name": name, "uid": uid or name, "creationTimestamp": rfc3339(created), "annotations": {}}
    if revision is not None:
        md["annotations"]["deployment.kubernetes.io/revision"] = str(revision)
    return {"metadata": md, "spec": {"replicas": replicas, "template": template or {}},
            "status": {"availableReplicas": available}}


# TestDeploymentComplete: deployment(desired, current, updated, available, maxUnavailable, maxSurge)
@pytest.mark.parametrize("d_args,want", [
    ((5, 5, 5, 4, 1, 0), False),   # min but not all pods become available
    ((5, 5, 5, 3, 1, 0), False),   # min availability is not honored
    ((5, 5, 5, 5, 0, 0), True),    # complete
    ((5, 5, 4, 5, 0, 0), False),   # all pods are available but not updated
    ((1, 2, 1, 1, 0, 1), False),   # still running old pods
    ((1, 1, 1, 0, 1, 1), False),   # one replica deployment never comes up
])
def test_deployment_complete(d_args, want):
    desired, current, updated, available, mu, ms = d_args
    d = dep(desired, mu, ms, status=status(current, updated, available))
    assert du.deployment_complete(d, d["status"]) is want


def test_deployment_complete_needs_the_generation_observed():
    d = dep(2, 0, 0, generation=3, status=status(2, 2, 2, observed=2))
    assert not du.deployment_complete(d, d["status"])


# TestDeploymentProgressing
@pytest.mark.parametrize("old,new,want", [
    (status(10, 8, 8), status(10, 9, 8), True),        # updated replicas grew
    (status(10, 8, 8), status(9, 8, 8), True),         # fewer old replicas (scaled down)
    (status(10, 10, 8), status(10, 10, 9), True),      # more available
    (status(10, 10, 8, ready=8), status(10, 10, 8, ready=9), True),  # more ready
    (status(10, 10, 8), status(10, 10, 8), False),     # no change
    (status(10, 10, 8), status(11, 10, 8), False),     # more old replicas: no progress
    (status(10, 10, 9), status(10, 10, 8), False),     # lost availability: no progress
])
def test_deployment_progressing(old, new, want):
    assert du.deployment_progressing(dep(10, status=old), new) is want


# TestDeploymentTimedOut: progressDeadlineSeconds 10, Progressing last updated `ago` seconds before now
@pytest.mark.parametrize("pds,ago,reason,want", [
    (None, 69, "ReplicaSetUpdated", False),                # no deadline
    (du.MAX_INT32, 69, "ReplicaSetUpdated", False),        # infinite deadline
    (10, 69, "ReplicaSetUpdated", True),
    (10, 9, "ReplicaSetUpdated", False),
    (10, 10, "ReplicaSetUpdated", False),                  # strictly after the deadline only
    (10, 11, "ReplicaSetUpdated", True),
    (10, 69, "NewReplicaSetAvailable", False),             # a finished rollout never times out
    (10, 1, "ProgressDeadlineExceeded", True),             # stays timed out
])
def test_deployment_timed_out(pds, ago, reason, want):
    now = 1000.0
    cond = du.new_deployment_condition("Progressing", "True", reason, "m", rfc3339(now - ago))
    new_status = status(1, 1, 0, conditions=[cond])
    assert du.deployment_timed_out(dep(1, pds=pds), new_status, now) is want


def test_deployment_timed_out_without_condition():
    assert not du.deployment_timed_out(dep(1, pds=10), status(1, 1, 0), 1000.0)


# SetDeploymentCondition / RemoveDeploymentCondition
def test_set_deployment_condition_semantics():
    st = {"conditions": []}
    du.set_deployment_condition(st, du.new_deployment_condition("Available", "False", "A", "m1", "t1"))
    du.set_deployment_condition(st, du.new_deployment_condition("Progressing", "True", "P", "m", "t1"))
    # same status and reason: nothing changes, not even the message or times
    du.set_deployment_condition(st, du.new_deployment_condition("Available", "False", "A", "m2", "t2"))
    assert st["conditions"][0] == du.new_deployment_condition("Available", "False", "A", "m1", "t1")
    # same status, other reason: lastTransitionTime kept, moved to the end
    du.set_deployment_condition(st, du.new_deployment_condition("Available", "False", "B", "m3", "t3"))
    assert [c["type"] for c in st["conditions"]] == ["Progressing", "Available"]
    assert st["conditions"][1] == {"type": "Available", "status": "False", "lastUpdateTime": "t3",
                                   "lastTransitionTime": "t1", "reason": "B", "message": "m3"}
    # a status change: both times new
    du.set_deployment_condition(st, du.new_deployment_condition("Available", "True", "C", "m4", "t4"))
    assert st["conditions"][1]["lastTransitionTime"] == "t4"
    du.remove_deployment_condition(st, "Progressing")
    assert [c["type"] for c in st["conditions"]] == ["Available"]


# TestEqualIgnoreHash
@pytest.mark.parametrize("l1,l2,want", [
    ({"something": "else"}, {"something": "else"}, True),
    ({"something": "else", "pod-template-hash": "1"}, {"something": "else"}, True),
    ({"something": "else", "pod-template-hash": "1"}, {"something": "else", "pod-template-hash": "2"}, True),
    ({"pod-template-hash": "1"}, None, True),   # nil and empty labels are equal semantically
    ({"something": "else"}, {"something": "other"}, False),
    ({"something": "else", "pod-template-hash": "1"}, {"nothing": "else", "pod-template-hash": "1"}, False),
])
def test_equal_ignore_hash(l1, l2, want):
    def tmpl(labels):
        md = {"name": "foo"}
        if labels is not None:
            md["labels"] = labels
        return {"metadata": md, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    assert du.equal_ignore_hash(tmpl(l1), tmpl(l2)) is want
    assert du.equal_ignore_hash(tmpl(l2), tmpl(l1)) is want


# TestFindNewReplicaSet / TestFindOldReplicaSets
def test_find_new_and_old_replica_sets():
    d = dep(3)
    tmpl = d["spec"]["template"]
    new_rs = rs("new", 10, template=tmpl)
    new_dup = rs("new-dup", 20, template=tmpl)    # a later duplicate: the oldest one wins
    old_rs = rs("old", 5, template={"metadata": {"labels": {"a": "c"}}}, replicas=2)
    empty_old = rs("empty", 1, template={"metadata": {"labels": {"a": "d"}}}, replicas=0)
    lst = [new_dup, old_rs, new_rs, empty_old]
    assert du.find_new_replica_set(d, lst) is new_rs
    assert [x["metadata"]["name"] for x in lst] == ["empty", "old", "new", "new-dup"]  # sorted in place
    required, all_old = du.find_old_replica_sets(d, [new_rs, old_rs, empty_old, new_dup])
    assert [x["metadata"]["name"] for x in required] == ["old", "new-dup"]
    assert [x["metadata"]["name"] for x in all_old] == ["empty", "old", "new-dup"]
    assert du.find_new_replica_set(d, [old_rs]) is None


def test_find_active_or_latest():
    a, b, c = rs("a", 1, replicas=0), rs("b", 2, replicas=0), rs("c", 3, replicas=0)
    assert du.find_active_or_latest(None, [a, b]) is b          # none active: the newest
    assert du.find_active_or_latest(c, [a, b]) is c
    b["spec"]["replicas"] = 2
    assert du.find_active_or_latest(c, [a, b]) is b             # one active
    c["spec"]["replicas"] = 1
    assert du.find_active_or_latest(c, [a, b]) is None          # several active: proportional
    assert du.find_active_or_latest(None, []) is None


# Revisions and annotations (TestAnnotationUtils, MaxRevision, LastRevision)
def test_max_and_last_revision_skip_unparsable():
    rss = [rs("a", 1, revision=3), rs("b", 2, revision=7), rs("c", 3, revision="x"), rs("d", 4)]
    rss[2]["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = "x"
    assert du.max_revision(rss) == 7
    assert du.last_revision(rss) == 3
    with pytest.raises(ValueError):
        du.revision(rss[2])
    assert du.revision(rss[3]) == 0


def test_new_replica_set_annotations_on_creation():
    d = dep(4, "25%", "25%", annotations={"kubernetes.io/change-cause": "kubectl set image",
                                          "kubectl.kubernetes.io/last-applied-configuration": "{}",
                                          "deployment.kubernetes.io/revision": "9"})
    new = {"metadata": {}}
    assert du.set_new_replica_set_annotations(d, new, "2", False)
    assert new["metadata"]["annotations"] == {
        "kubernetes.io/change-cause": "kubectl set image", "deployment.kubernetes.io/revision": "2",
        "deployment.kubernetes.io/desired-replicas": "4", "deployment.kubernetes.io/max-replicas": "5"}
    # nothing new: unchanged
    assert not du.set_new_replica_set_annotations(d, new, "2", True)
    # a lower revision never replaces a higher one
    assert not du.set_new_replica_set_annotations(d, new, "1", True)


def test_revision_history_on_rollback():
    d = dep(1)
    r = {"metadata": {"annotations": {"deployment.kubernetes.io/revision": "2"}}}
    assert du.set_new_replica_set_annotations(d, r, "5", True)
    assert r["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "2"
    du.set_new_replica_set_annotations(d, r, "7", True)
    assert r["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "7"
    assert r["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "2,5"
    # the history is cut from the front to stay within the character limit
    du.set_new_replica_set_annotations(d, r, "8", True, rev_history_limit_in_chars=4)
    assert r["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "5,7"


def test_unparsable_rs_revision_is_left_alone():
    r = {"metadata": {"annotations": {"deployment.kubernetes.io/revision": "abc"}}}
    assert not du.set_new_replica_set_annotations(dep(1), r, "3", True)
    assert r["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "abc"


def test_replicas_annotations():
    r = {"metadata": {}}
    assert du.replicas_annotations_need_update(r, 3, 4)
    assert du.set_replicas_annotations(r, 3, 4)
    assert not du.replicas_annotations_need_update(r, 3, 4)
    assert du.replicas_annotations_need_update(r, 3, 5)
    assert du.get_desired_replicas_annotation(r) == 3


def test_selector_and_labels_with_hash():
    sel = {"matchLabels": {"app": "x"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}]}
    assert du.clone_selector_and_add_label(sel, "pod-template-hash", "h") == {
        "matchLabels": {"app": "x", "pod-template-hash": "h"},
        "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}]}
    assert sel == {"matchLabels": {"app": "x"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}]}
    assert du.clone_and_add_label({"app": "x"}, "pod-template-hash", "h") == {"app": "x", "pod-template-hash": "h"}


def test_sort_orders():
    a, b, c = rs("a", 1, replicas=2), rs("b", 2, replicas=5), rs("c", 3, replicas=2)
    lst = [a, b, c]
    du.sort_by_size_newer(lst)
    assert [x["metadata"]["name"] for x in lst] == ["b", "c", "a"]
    du.sort_by_size_older(lst)
    assert [x["metadata"]["name"] for x in lst] == ["b", "a", "c"]
    r1, r2, r3 = rs("x", 3, revision=2), rs("y", 1, revision=10), rs("z", 2, revision=2)
    lst = [r2, r1, r3]
    du.sort_by_revision(lst)
    assert [x["metadata"]["name"] for x in lst] == ["z", "x", "y"]
