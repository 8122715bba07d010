"""ClaimPods / ClaimReplicaSets, after kubernetes: pkg/controller/controller_ref_manager_test.go
(TestClaimPods cases) against the simulated API server."""
from __future__ import annotations

import pytest

from labsim import Cluster
from labsim.api import labels
from labsim.controllers import controller_ref as cr


def _pod(c: Cluster, name: str, lbls: dict, owner: dict | None = None, namespace: str = "default") -> dict:
    md = {"name": name, "namespace": namespace, "labels": lbls}
    if owner is not None:
        md["ownerReferences"] = [cr.controller_ref_for(owner)]
    return c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": md,
                         "spec": {"containers": [{"name": "c", "image": "nginx"}]}})


def _owner(c: Cluster, name: str = "ctrl", replicas: int = 0) -> dict:
    # a ReplicaSet with 0 replicas: its controller never creates or deletes pods
    return c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name, "namespace": "default"},
                         "spec": {"replicas": replicas, "selector": {"matchLabels": {"foo": "bar"}},
                                  "template": {"metadata": {"labels": {"foo": "bar"}},
                                               "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})


def _get(c: Cluster, name: str) -> dict:
    return c.api.get(c.registry.resolve("pods"), "default", name)


def _names(objs) -> list[str]:
    return [o["metadata"]["name"] for o in objs]


SEL = labels.parse("foo=bar")


@pytest.fixture
def c() -> Cluster:
    c = Cluster()
    # claims below run by hand; keep the ReplicaSet controller from claiming first
    c.controller_manager.get("replicaset-controller").stop()
    return c


def test_claim_pods_with_correct_label(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"})
    p2 = _pod(c, "pod2", {"foo": "other"})
    assert _names(cr.claim_pods(c.api, rs, SEL, [p1, p2])) == ["pod1"]
    assert _get(c, "pod1")["metadata"]["ownerReferences"] == [cr.controller_ref_for(rs)]
    assert "ownerReferences" not in _get(c, "pod2")["metadata"]


def test_controller_marked_for_deletion_can_not_claim_pods(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"})
    deleting = {**rs, "metadata": {**rs["metadata"], "deletionTimestamp": "2026-11-24T09:00:30Z"}}
    assert cr.claim_pods(c.api, deleting, SEL, [p1]) == []
    assert "ownerReferences" not in _get(c, "pod1")["metadata"]


def test_controller_marked_for_deletion_keeps_its_own_pods_and_releases_none(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"}, owner=rs)
    p2 = _pod(c, "pod2", {"foo": "other"}, owner=rs)
    p3 = _pod(c, "pod3", {"foo": "bar"})
    deleting = {**rs, "metadata": {**rs["metadata"], "deletionTimestamp": "2026-11-24T09:00:30Z"}}
    assert _names(cr.claim_pods(c.api, deleting, SEL, [p1, p2, p3])) == ["pod1"]
    assert _get(c, "pod2")["metadata"]["ownerReferences"] == [cr.controller_ref_for(rs)]
    assert "ownerReferences" not in _get(c, "pod3")["metadata"]


def test_controller_can_not_claim_pods_owned_by_another_controller(c):
    rs = _owner(c)
    other = _owner(c, "other")
    p1 = _pod(c, "pod1", {"foo": "bar"}, owner=other)
    assert cr.claim_pods(c.api, rs, SEL, [p1]) == []
    assert _get(c, "pod1")["metadata"]["ownerReferences"] == [cr.controller_ref_for(other)]


def test_controller_releases_claimed_pods_when_selector_does_not_match(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"}, owner=rs)
    p2 = _pod(c, "pod2", {"foo": "other"}, owner=rs)
    assert _names(cr.claim_pods(c.api, rs, SEL, [p1, p2])) == ["pod1"]
    assert "ownerReferences" not in _get(c, "pod2")["metadata"]


def test_controller_does_not_claim_pods_being_deleted(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"})
    p2 = {**p1, "metadata": {**p1["metadata"], "deletionTimestamp": "2026-11-24T09:00:30Z"}}
    assert cr.claim_pods(c.api, rs, SEL, [p2]) == []


def test_controller_keeps_owned_pods_being_deleted(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"}, owner=rs)
    p2 = {**p1, "metadata": {**p1["metadata"], "deletionTimestamp": "2026-11-24T09:00:30Z"}}
    assert _names(cr.claim_pods(c.api, rs, SEL, [p2])) == ["pod1"]


def test_filters_apply_after_the_selector(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"})
    p2 = _pod(c, "pod2", {"foo": "bar"})
    got = cr.claim_pods(c.api, rs, SEL, [p1, p2], filters=[lambda p: p["metadata"]["name"] != "pod2"])
    assert _names(got) == ["pod1"]
    assert "ownerReferences" not in _get(c, "pod2")["metadata"]


def test_no_adoption_in_another_namespace(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"}, namespace="kube-public")
    assert cr.claim_pods(c.api, rs, SEL, [p1]) == []


def test_recheck_refuses_adoption_when_the_owner_was_replaced(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"})
    c.api.delete(c.registry.resolve("rs"), "default", "ctrl")
    fresh = _owner(c)
    with pytest.raises(cr.ClaimError) as e:
        cr.claim_pods(c.api, rs, SEL, [p1])
    assert str(e.value) == (
        f"can't adopt Pod default/pod1 ({p1['metadata']['uid']}): can't recheck DeletionTimestamp: original "
        f"ReplicaSet default/ctrl is gone: got uid {fresh['metadata']['uid']}, wanted {rs['metadata']['uid']}")
    assert e.value.claimed == []
    assert "ownerReferences" not in _get(c, "pod1")["metadata"]


def test_recheck_refuses_adoption_when_the_owner_is_being_deleted(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"})
    c.api.delete(c.registry.resolve("rs"), "default", "ctrl", propagation="Orphan")
    with pytest.raises(cr.ClaimError) as e:
        cr.claim_pods(c.api, rs, SEL, [p1])
    assert str(e.value).endswith("default/ctrl has just been deleted at 2026-11-24T09:00:30Z")


def test_adoption_of_a_recreated_pod_fails_on_the_uid_precondition(c):
    rs = _owner(c)
    p1 = _pod(c, "pod1", {"foo": "bar"})
    c.api.delete(c.registry.resolve("pods"), "default", "pod1")
    _pod(c, "pod1", {"foo": "bar"})
    with pytest.raises(cr.ClaimError):
        cr.claim_pods(c.api, rs, SEL, [p1])
    assert "ownerReferences" not in _get(c, "pod1")["metadata"]


def test_claim_replica_sets_adopts_and_releases():
    c = Cluster()
    dep = c.api.create({"apiVersion": "apps/v1", "kind": "Deployment",
                        "metadata": {"name": "web", "namespace": "default"},
                        "spec": {"replicas": 0, "paused": True, "selector": {"matchLabels": {"app": "web"}},
                                 "template": {"metadata": {"labels": {"app": "web"}},
                                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    if c.controller_manager.get("deployment-controller") is not None:
        c.controller_manager.get("deployment-controller").stop()
    rs_rt = c.registry.resolve("rs")

    def rs(name, lbl, owner=None):
        md = {"name": name, "namespace": "default", "labels": lbl}  # a Deployment selects RS labels
        if owner is not None:
            md["ownerReferences"] = [cr.controller_ref_for(owner)]
        return c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": md,
                             "spec": {"replicas": 0, "selector": {"matchLabels": lbl},
                                      "template": {"metadata": {"labels": lbl},
                                                   "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    orphan = rs("orphan", {"app": "web"})
    mine_stale = c.api.patch(rs_rt, "default", rs("stale", {"app": "other"}, dep)["metadata"]["name"],
                             {"metadata": {"labels": {"x": "y"}}}, "merge")
    got = cr.claim_replica_sets(c.api, dep, labels.selector_from_label_selector(dep["spec"]["selector"]),
                                [orphan, mine_stale])
    assert _names(got) == ["orphan"]
    assert c.api.get(rs_rt, "default", "orphan")["metadata"]["ownerReferences"] == [cr.controller_ref_for(dep)]
    assert "ownerReferences" not in c.api.get(rs_rt, "default", "stale")["metadata"]


def test_patches_have_upstream_shape():
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs", "uid": "o-1"}}
    assert cr.owner_ref_controller_patch(owner, "d-1") == {"metadata": {
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "o-1",
                             "controller": True, "blockOwnerDeletion": True}], "uid": "d-1"}}
    assert cr.delete_owner_ref_patch("d-1", ["o-1", "o-2"], ["f"]) == {"metadata": {
        "uid": "d-1", "ownerReferences": [{"$patch": "delete", "uid": "o-1"}, {"$patch": "delete", "uid": "o-2"}],
        "$deleteFromPrimitiveList/finalizers": ["f"]}}
