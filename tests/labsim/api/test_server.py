"""API server semantics: metadata the server owns, concurrency, generations, status, deletion."""
import pytest

from labsim import Cluster
from labsim.api.meta import deep_copy
from labsim.errors import StatusError
from labsim.kubectl.errors import format_error

CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "1"}}
RS = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
      "metadata": {"name": "web"},
      "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
               "template": {"metadata": {"labels": {"app": "web"}},
                            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}}


def rt(c, group, kind):
    return c.registry.for_kind(group, kind)


def test_create_sets_server_owned_metadata():
    c = Cluster(seed=1)
    obj = c.api.create(CM)
    md = obj["metadata"]
    assert md["namespace"] == "default"
    assert md["creationTimestamp"] == "2026-11-24T09:00:30Z"  # the cluster booted 30 s ago
    assert len(md["uid"]) == 36 and md["uid"][14] == "4"
    assert int(md["resourceVersion"]) == c.store.resource_version
    assert "generation" not in md  # ConfigMaps have no generation
    assert c.api.create(RS)["metadata"]["generation"] == 1


def test_create_does_not_keep_a_reference_to_the_callers_dict():
    c = Cluster()
    mine = deep_copy(CM)
    c.api.create(mine)
    mine["data"]["a"] = "changed"
    assert c.api.get(rt(c, "", "ConfigMap"), "default", "cfg")["data"] == {"a": "1"}


def test_already_exists_and_missing_namespace():
    c = Cluster()
    c.api.create(CM)
    with pytest.raises(StatusError) as e:
        c.api.create(CM)
    assert format_error(e.value) == 'Error from server (AlreadyExists): configmaps "cfg" already exists\n'
    with pytest.raises(StatusError) as e:
        c.api.create({**CM, "metadata": {"name": "x", "namespace": "nons"}})
    assert format_error(e.value) == 'Error from server (NotFound): namespaces "nons" not found\n'


def test_stale_resource_version_is_a_conflict_and_changes_nothing():
    c = Cluster()
    stale = deep_copy(c.api.create(RS))
    fresh = deep_copy(stale)
    fresh["spec"]["replicas"] = 3
    c.api.update(fresh)
    before = c.digest()
    stale["spec"]["replicas"] = 5
    with pytest.raises(StatusError) as e:
        c.api.update(stale)
    assert format_error(e.value) == (
        'Error from server (Conflict): Operation cannot be fulfilled on replicasets.apps "web": the object has '
        "been modified; please apply your changes to the latest version and try again\n")
    assert c.digest() == before


def test_generation_counts_spec_changes_only():
    c = Cluster()
    obj = deep_copy(c.api.create(RS))
    obj["metadata"]["labels"] = {"tier": "fe"}
    obj = deep_copy(c.api.update(obj))
    assert obj["metadata"]["generation"] == 1
    obj["spec"]["replicas"] = 4
    obj = deep_copy(c.api.update(obj))
    assert obj["metadata"]["generation"] == 2


def test_status_subresource_separates_spec_and_status_writers():
    c = Cluster()
    obj = deep_copy(c.api.create(RS))
    obj["status"] = {"replicas": 2}
    obj["spec"]["replicas"] = 9
    written = c.api.update(obj, subresource="status")
    assert written["status"] == {"replicas": 2}
    assert written["spec"]["replicas"] == 2  # the status writer cannot change spec
    obj = deep_copy(written)
    obj["status"] = {"replicas": 7}
    obj["spec"]["replicas"] = 3
    written = c.api.update(obj)
    assert written["status"] == {"replicas": 2}  # the spec writer cannot change status
    assert written["spec"]["replicas"] == 3


def test_identical_update_is_a_no_op():
    c = Cluster()
    obj = c.api.create(CM)
    rv = c.store.resource_version
    seen = []
    c.store.watch(seen.append)
    c.api.update(deep_copy(obj))
    assert c.store.resource_version == rv and seen == []


def test_unscheduled_pod_is_deleted_at_once_scheduled_pod_gracefully():
    c = Cluster()
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    pods = rt(c, "", "Pod")
    c.api.create(pod)
    c.api.delete(pods, "default", "p")
    assert c.api.try_get(pods, "default", "p") is None
    c.api.create({**pod, "spec": {**pod["spec"], "nodeName": "k3d-kubelabs-server-0"}})
    marked = c.api.delete(pods, "default", "p")
    assert marked["metadata"]["deletionTimestamp"] == "2026-11-24T09:01:00Z"  # now + 30 s grace
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 30
    assert c.api.try_get(pods, "default", "p") is not None  # the kubelet finishes the deletion
    shorter = c.api.delete(pods, "default", "p", grace_period=5)
    assert shorter["metadata"]["deletionGracePeriodSeconds"] == 5


def test_finalizers_hold_an_object_until_removed():
    c = Cluster()
    cms = rt(c, "", "ConfigMap")
    c.api.create({**CM, "metadata": {"name": "cfg", "finalizers": ["example.com/hold"]}})
    c.api.delete(cms, "default", "cfg")
    held = c.api.get(cms, "default", "cfg")
    assert held["metadata"]["deletionTimestamp"]
    released = deep_copy(held)
    released["metadata"]["finalizers"] = []
    c.api.update(released)
    assert c.api.try_get(cms, "default", "cfg") is None


def test_deleting_a_namespace_deletes_its_objects_then_the_namespace():
    c = Cluster()
    ns_rt, cms = rt(c, "", "Namespace"), rt(c, "", "ConfigMap")
    c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    c.settle()
    assert c.api.try_get(cms, "team", "kube-root-ca.crt") is not None
    assert c.api.try_get(rt(c, "", "ServiceAccount"), "team", "default") is not None
    c.api.create({**CM, "metadata": {"name": "cfg", "namespace": "team"}})
    c.api.delete(ns_rt, None, "team")
    ns = c.api.get(ns_rt, None, "team")
    assert ns["status"]["phase"] == "Terminating"
    with pytest.raises(StatusError) as e:
        c.api.create({**CM, "metadata": {"name": "late", "namespace": "team"}})
    assert e.value.message == ('configmaps "late" is forbidden: unable to create new content in namespace team '
                               "because it is being terminated")
    c.advance(5)
    assert c.api.try_get(ns_rt, None, "team") is None
    assert c.store.list(cms, "team") == []


def test_watch_sees_every_change_in_order_and_history_replays_the_past():
    c = Cluster()
    seen = []
    cms = rt(c, "", "ConfigMap")
    stop = c.store.watch(lambda ev: seen.append((ev.type, ev.object["metadata"]["name"])), cms)
    obj = c.api.create(CM)
    rv_created = c.store.resource_version
    upd = deep_copy(obj)
    upd["data"] = {"a": "2"}
    c.api.update(upd)
    c.api.delete(cms, "default", "cfg")
    stop()
    c.api.create({**CM, "metadata": {"name": "after"}})
    assert seen == [("ADDED", "cfg"), ("MODIFIED", "cfg"), ("DELETED", "cfg")]
    past = c.store.state_at(rv_created)
    assert past["configmaps"]["default/cfg"]["data"] == {"a": "1"}
    assert "default/cfg" not in c.store.state_at(c.store.resource_version)["configmaps"]


def test_same_seed_same_cluster_other_seed_other_uids():
    a, b, other = Cluster(seed=7), Cluster(seed=7), Cluster(seed=8)
    for c in (a, b, other):
        c.api.create(RS)
    assert a.digest() == b.digest()
    assert a.digest() != other.digest()


def test_request_over_3_mib_is_rejected():
    c = Cluster()
    before = c.digest()
    big = {**CM, "data": {"blob": "x" * (3 * 1024 * 1024)}}
    with pytest.raises(StatusError) as e:
        c.api.create(big)
    assert e.value.code == 413
    assert format_error(e.value) == "Error from server (RequestEntityTooLarge): Request entity too large: limit is 3145728\n"
    assert c.digest() == before


def test_mutation_detector_catches_in_place_changes_of_shared_objects():
    from labsim.api.store import MutationDetected

    c = Cluster()
    shared = c.api.create(CM)
    shared["data"]["a"] = "sneaky"  # a controller bug: changing the store's object in place
    with pytest.raises(MutationDetected):
        c.store.check_mutations()


def test_node_name_is_set_only_by_binding():
    c = Cluster()
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"schedulerName": "nobody", "containers": [{"name": "c", "image": "busybox"}]}}
    created = deep_copy(c.api.create(pod))
    created["spec"]["nodeName"] = "k3d-kubelabs-server-0"
    with pytest.raises(StatusError) as e:
        c.api.update(created)
    assert e.value.causes[0].field == "spec"
    assert e.value.causes[0].body.startswith("Forbidden: pod updates may not change fields other than ")
    bound = c.api.bind("default", "p", "k3d-kubelabs-server-0")
    assert bound["spec"]["nodeName"] == "k3d-kubelabs-server-0"
    assert [x["type"] for x in bound["status"]["conditions"]] == ["PodScheduled"]
    with pytest.raises(StatusError) as e:
        c.api.bind("default", "p", "k3d-kubelabs-server-0")
    assert e.value.message == ('Operation cannot be fulfilled on pods "p": pod p is already assigned to node '
                               '"k3d-kubelabs-server-0"')


def test_update_size_limit_counts_the_stored_parts_a_request_carries():
    # a write carrying the stored object's own parts (or copies) is limited as a whole body
    from labsim.api.meta import deep_copy
    from labsim.api.server import MAX_REQUEST_BODY_BYTES, request_body_size

    c = Cluster()
    stored = c.api.create({**CM, "data": {"blob": "x" * 900_000}})
    before = c.digest()
    for carried in (stored["data"], deep_copy(stored["data"])):
        req = {**stored, "data": carried, "binaryData": {"more": "eHh4" * (MAX_REQUEST_BODY_BYTES // 4)}}
        assert request_body_size(req) > MAX_REQUEST_BODY_BYTES
        with pytest.raises(StatusError) as e:
            c.api.update(req)
        assert e.value.code == 413
    assert c.digest() == before
    # a body just as big as the stored object passes
    same = {**stored, "metadata": deep_copy(stored["metadata"]), "data": deep_copy(stored["data"]),
            "binaryData": {"more": "eHh4"}}
    assert c.api.update(same)["binaryData"] == {"more": "eHh4"}
