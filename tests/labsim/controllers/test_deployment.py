"""The Deployment controller end to end (kubernetes/kubernetes v1.32 pkg/controller/deployment):
ReplicaSet names and annotations, the ScalingReplicaSet event sequences, conditions, pause,
proportional scaling, Recreate, history cleanup, the progress deadline, adoption."""
import json

import pytest

from labsim import Cluster
from labsim.controllers.deployment import DeploymentController
from labsim.controllers.deployment_util import compute_hash

PATCH_128 = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}'


def make_cluster(nodes: int = 3) -> Cluster:
    c = Cluster(nodes=nodes)
    if c.controller_manager.get("deployment-controller") is None:
        c.controller_manager.add(DeploymentController(c))
    for k in c.kubelets.values():
        k.images.preload("nginx:1.27", "nginx:1.28")
    return c


def ok(c: Cluster, cmd, stdin=None) -> str:
    r = c.kubectl(cmd, stdin=stdin)
    assert r.exit_code == 0, str(r)
    return r.stdout


def deployment(c: Cluster, name: str, ns: str = "default") -> dict:
    return c.store.get(c.registry.resolve("deployments"), ns, name)


def replica_sets(c: Cluster, ns: str = "default") -> list[dict]:
    return c.store.list(c.registry.resolve("replicasets"), ns)


def rs_named(c: Cluster, name: str) -> dict:
    return c.store.get(c.registry.resolve("replicasets"), "default", name)


def scaling_events(c: Cluster, name: str) -> list[str]:
    """The Deployment's events in creation order (resourceVersion), as `describe` lists them."""
    evs = [e for e in c.store.list(c.registry.resolve("events"), "default")
           if e["involvedObject"]["kind"] == "Deployment" and e["involvedObject"]["name"] == name]
    evs.sort(key=lambda e: int(e["metadata"]["resourceVersion"]))
    return [f'{e["type"]} {e["reason"]} {e["message"]}' for e in evs]


def condition(d: dict, t: str) -> dict:
    return next(c for c in d["status"]["conditions"] if c["type"] == t)


def new_deployment(c: Cluster, name="nginx-deploy", replicas=4, image="nginx:1.27", **spec) -> None:
    obj = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": name, "labels": {"app": name}},
           "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                    "template": {"metadata": {"labels": {"app": name}},
                                 "spec": {"containers": [{"name": "nginx", "image": image}]}}, **spec}}
    c.kubectl("apply -f -", stdin=json.dumps(obj))


def set_image(c: Cluster, name: str, image: str) -> None:
    patch = json.dumps({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": image}]}}}})
    ok(c, ["patch", "deployment", name, "-p", patch])


# -- creation -----------------------------------------------------------------------------------------

def test_new_deployment_creates_hashed_replica_set_with_revision_annotations():
    c = make_cluster()
    ok(c, "create deployment nginx-deploy --image=nginx:1.27 --replicas=4")
    c.settle()
    d = deployment(c, "nginx-deploy")
    h = compute_hash(d["spec"]["template"])
    (rs,) = replica_sets(c)
    assert rs["metadata"]["name"] == f"nginx-deploy-{h}"
    assert rs["metadata"]["labels"] == {"app": "nginx-deploy", "pod-template-hash": h}
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "nginx-deploy", "pod-template-hash": h}}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "nginx-deploy", "pod-template-hash": h}
    assert rs["metadata"]["annotations"] == {"deployment.kubernetes.io/desired-replicas": "4",
                                             "deployment.kubernetes.io/max-replicas": "5",
                                             "deployment.kubernetes.io/revision": "1"}
    ref = rs["metadata"]["ownerReferences"]
    assert ref == [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "nginx-deploy",
                    "uid": d["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
    assert d["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
    assert scaling_events(c, "nginx-deploy") == [
        f"Normal ScalingReplicaSet Scaled up replica set nginx-deploy-{h} from 0 to 4"]
    pods = c.store.list(c.registry.resolve("pods"), "default")
    assert len(pods) == 4 and all(p["metadata"]["name"].startswith(f"nginx-deploy-{h}-") for p in pods)


def test_rolled_out_deployment_status_and_tables():
    c = make_cluster()
    ok(c, "create deployment web --image=nginx:1.27 --replicas=3")
    c.advance(30)
    d = deployment(c, "web")
    rs_name = replica_sets(c)[0]["metadata"]["name"]
    st = d["status"]
    assert {k: st.get(k) for k in ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                                   "availableReplicas", "unavailableReplicas")} == {
        "observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
        "availableReplicas": 3, "unavailableReplicas": None}
    assert [x["type"] for x in st["conditions"]] == ["Available", "Progressing"]
    av, pr = condition(d, "Available"), condition(d, "Progressing")
    assert (av["status"], av["reason"], av["message"]) == (
        "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
    assert (pr["status"], pr["reason"], pr["message"]) == (
        "True", "NewReplicaSetAvailable", f'ReplicaSet "{rs_name}" has successfully progressed.')
    assert ok(c, "get deploy") == ("NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n"
                                   "web    3/3     3            3           30s\n")
    w = len(rs_name) + 3  # the hash is 8-10 characters
    assert ok(c, "get rs") == (f"{'NAME':<{w}}DESIRED   CURRENT   READY   AGE\n"
                               f"{rs_name:<{w}}3         3         3       30s\n")


# -- rolling update -----------------------------------------------------------------------------------

def test_seed_002_rolling_update_event_sequence():
    """workload-controllers.md 2.6: 4 replicas, 25%/25%, pods available one at a time."""
    c = make_cluster()
    ok(c, "create deployment nginx-deploy --image=nginx:1.27 --replicas=4")
    c.advance(60)
    old = replica_sets(c)[0]["metadata"]["name"]
    ok(c, ["patch", "deployment", "nginx-deploy", "-p", PATCH_128])
    c.advance(60)
    d = deployment(c, "nginx-deploy")
    new = f"nginx-deploy-{compute_hash(d['spec']['template'])}"
    assert scaling_events(c, "nginx-deploy") == [
        f"Normal ScalingReplicaSet Scaled up replica set {old} from 0 to 4",
        f"Normal ScalingReplicaSet Scaled up replica set {new} from 0 to 1",
        f"Normal ScalingReplicaSet Scaled down replica set {old} from 4 to 3",
        f"Normal ScalingReplicaSet Scaled up replica set {new} from 1 to 2",
        f"Normal ScalingReplicaSet Scaled down replica set {old} from 3 to 2",
        f"Normal ScalingReplicaSet Scaled up replica set {new} from 2 to 3",
        f"Normal ScalingReplicaSet Scaled down replica set {old} from 2 to 1",
        f"Normal ScalingReplicaSet Scaled up replica set {new} from 3 to 4",
        f"Normal ScalingReplicaSet Scaled down replica set {old} from 1 to 0",
    ]
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert rs_named(c, new)["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert rs_named(c, old)["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert rs_named(c, old)["spec"]["replicas"] == 0
    assert condition(d, "Progressing")["message"] == f'ReplicaSet "{new}" has successfully progressed.'
    assert d["status"]["updatedReplicas"] == 4 and d["status"]["availableReplicas"] == 4


def test_rollout_never_exceeds_surge_nor_drops_below_min_available():
    c = make_cluster()
    ok(c, "create deployment web --image=nginx:1.27 --replicas=8")
    c.advance(30)
    seen = []

    def watch(ev):
        rss = [rs for rs in replica_sets(c) if rs["metadata"]["name"].startswith("web-")]
        seen.append((sum(rs["spec"]["replicas"] for rs in rss),
                     sum((rs.get("status") or {}).get("availableReplicas", 0) for rs in rss)))
    stop = c.store.watch(watch, c.registry.resolve("replicasets"))
    set_image(c, "web", "nginx:1.28")
    c.advance(60)
    stop()
    assert max(total for total, _ in seen) <= 8 + 2  # maxSurge 25% of 8 = 2
    assert min(avail for _, avail in seen) >= 8 - 2  # maxUnavailable 25% of 8 = 2
    d = deployment(c, "web")
    assert d["status"]["updatedReplicas"] == 8 and d["status"]["replicas"] == 8


def test_change_cause_is_copied_but_not_last_applied_nor_revision():
    c = make_cluster()
    new_deployment(c, "web", replicas=1)
    c.settle()
    ok(c, "annotate deployment web kubernetes.io/change-cause=first")
    c.settle()
    (rs,) = replica_sets(c)
    ann = rs["metadata"]["annotations"]
    assert ann["kubernetes.io/change-cause"] == "first"
    assert "kubectl.kubernetes.io/last-applied-configuration" not in ann
    assert "kubectl.kubernetes.io/last-applied-configuration" in deployment(c, "web")["metadata"]["annotations"]


def test_rollback_by_template_reuses_old_replica_set_with_next_revision_and_history():
    c = make_cluster()
    new_deployment(c, "web", replicas=2)
    c.advance(30)
    first = replica_sets(c)[0]["metadata"]["name"]
    set_image(c, "web", "nginx:1.28")
    c.advance(30)
    set_image(c, "web", "nginx:1.27")  # what `kubectl rollout undo` does to the template
    c.advance(30)
    names = sorted(rs["metadata"]["name"] for rs in replica_sets(c))
    assert len(names) == 2 and first in names
    ann = rs_named(c, first)["metadata"]["annotations"]
    assert ann["deployment.kubernetes.io/revision"] == "3"
    assert ann["deployment.kubernetes.io/revision-history"] == "1"
    assert rs_named(c, first)["spec"]["replicas"] == 2
    assert deployment(c, "web")["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert scaling_events(c, "web")[-1] == (
        f"Normal ScalingReplicaSet Scaled down replica set {[n for n in names if n != first][0]} from 1 to 0")


# -- pause, scaling ------------------------------------------------------------------------------------

def test_pause_stops_rollouts_scaling_still_works_resume_rolls_out():
    c = make_cluster()
    new_deployment(c, "web", replicas=2)
    c.advance(30)
    ok(c, ["patch", "deployment", "web", "-p", '{"spec":{"paused":true}}'])
    c.settle()
    pr = condition(deployment(c, "web"), "Progressing")
    assert (pr["status"], pr["reason"], pr["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    set_image(c, "web", "nginx:1.28")
    c.advance(10)
    assert len(replica_sets(c)) == 1
    assert deployment(c, "web")["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    ok(c, "scale deployment web --replicas=3")
    c.advance(10)
    (rs,) = replica_sets(c)
    assert rs["spec"]["replicas"] == 3
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "3"
    assert scaling_events(c, "web")[-1] == f"Normal ScalingReplicaSet Scaled up replica set {rs['metadata']['name']} from 2 to 3"
    ok(c, ["patch", "deployment", "web", "-p", '{"spec":{"paused":false}}'])
    c.settle()
    assert len(replica_sets(c)) == 2
    c.advance(60)
    d = deployment(c, "web")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    pr = condition(d, "Progressing")
    assert pr["reason"] == "NewReplicaSetAvailable"


def test_resume_writes_resumed_condition_then_complete_again():
    """checkPausedConditions writes DeploymentResumed; the same sync's status write then conflicts
    (stale resourceVersion) and the retry finds the rollout complete: NewReplicaSetAvailable."""
    c = make_cluster()
    new_deployment(c, "web", replicas=1)
    c.advance(30)
    ok(c, ["patch", "deployment", "web", "-p", '{"spec":{"paused":true}}'])
    c.settle()
    rv = c.store.resource_version
    ok(c, ["patch", "deployment", "web", "-p", '{"spec":{"paused":false}}'])
    c.advance(1)
    reasons = []
    for ev in c.store.events_since(rv):
        if ev.resource.kind == "Deployment":
            pr = condition(ev.object, "Progressing")
            if not reasons or reasons[-1] != (pr["status"], pr["reason"], pr["message"]):
                reasons.append((pr["status"], pr["reason"], pr["message"]))
    rs_name = replica_sets(c)[0]["metadata"]["name"]
    assert reasons == [("Unknown", "DeploymentPaused", "Deployment is paused"),
                       ("Unknown", "DeploymentResumed", "Deployment is resumed"),
                       ("True", "NewReplicaSetAvailable", f'ReplicaSet "{rs_name}" has successfully progressed.')]


def test_proportional_scaling_of_a_stuck_rollout_docs_example():
    """kubernetes.io Deployment docs, "Proportional scaling": 10 replicas, maxSurge 3,
    maxUnavailable 2, a rollout to an image that cannot be pulled, then scale to 15: the old RS gets
    3 more and the new one 2 (11 / 7)."""
    c = make_cluster()
    new_deployment(c, "web", replicas=10,
                   strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}})
    c.advance(40)
    old = replica_sets(c)[0]["metadata"]["name"]
    set_image(c, "web", "nginx:no-such-tag")
    c.advance(30)
    sizes = {rs["metadata"]["name"]: rs["spec"]["replicas"] for rs in replica_sets(c)}
    new = next(n for n in sizes if n != old)
    assert sizes == {old: 8, new: 5}
    ok(c, "scale deployment web --replicas=15")
    c.advance(5)
    sizes = {rs["metadata"]["name"]: rs["spec"]["replicas"] for rs in replica_sets(c)}
    assert sizes == {old: 11, new: 7}
    assert scaling_events(c, "web")[-2:] == [
        f"Normal ScalingReplicaSet Scaled up replica set {old} from 8 to 11",
        f"Normal ScalingReplicaSet Scaled up replica set {new} from 5 to 7"]
    for rs in replica_sets(c):
        assert rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "15"
        assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "18"


# -- Recreate --------------------------------------------------------------------------------------------

def test_recreate_scales_old_to_zero_and_waits_for_its_pods_to_go():
    c = make_cluster()
    new_deployment(c, "web", replicas=3, strategy={"type": "Recreate"})
    c.advance(30)
    old = replica_sets(c)[0]["metadata"]["name"]
    set_image(c, "web", "nginx:1.28")
    c.settle()
    # old RS at 0, no new RS yet while its pods terminate
    assert [rs["metadata"]["name"] for rs in replica_sets(c)] == [old]
    assert rs_named(c, old)["spec"]["replicas"] == 0
    pods = c.store.list(c.registry.resolve("pods"), "default")
    assert pods and all(p["metadata"].get("deletionTimestamp") for p in pods)
    c.advance(60)
    d = deployment(c, "web")
    new = f"web-{compute_hash(d['spec']['template'])}"
    assert scaling_events(c, "web") == [
        f"Normal ScalingReplicaSet Scaled up replica set {old} from 0 to 3",
        f"Normal ScalingReplicaSet Scaled down replica set {old} from 3 to 0",
        f"Normal ScalingReplicaSet Scaled up replica set {new} from 0 to 3"]
    pods = c.store.list(c.registry.resolve("pods"), "default")
    assert sorted(p["metadata"]["name"].rsplit("-", 1)[0] for p in pods) == [new] * 3
    # the new pods were created only once every old pod was gone
    new_rs_created = rs_named(c, new)["metadata"]["creationTimestamp"]
    assert all(p["metadata"]["creationTimestamp"] >= new_rs_created for p in pods)


# -- history, deadline, adoption -------------------------------------------------------------------------

def test_revision_history_limit_deletes_oldest_empty_replica_sets():
    c = make_cluster()
    new_deployment(c, "web", replicas=1, revisionHistoryLimit=1)
    c.advance(20)
    for v in ("2", "3", "4"):  # template changes, as `kubectl rollout restart` makes
        patch = json.dumps({"spec": {"template": {"metadata": {"annotations": {"v": v}}}}})
        ok(c, ["patch", "deployment", "web", "-p", patch])
        c.advance(40)
    revs = sorted(int(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]) for rs in replica_sets(c))
    assert revs == [3, 4]


def test_progress_deadline_exceeded_at_the_deadline():
    c = make_cluster()
    new_deployment(c, "web", replicas=1, progressDeadlineSeconds=10)
    c.advance(20)
    set_image(c, "web", "nginx:no-such-tag")
    c.settle()
    t0 = c.now
    new = next(rs["metadata"]["name"] for rs in replica_sets(c) if rs["spec"]["template"]["spec"]["containers"][0]
               ["image"] == "nginx:no-such-tag")
    c.advance(9)
    assert condition(deployment(c, "web"), "Progressing")["status"] == "True"
    c.advance(5)
    pr = condition(deployment(c, "web"), "Progressing")
    assert (pr["status"], pr["reason"], pr["message"]) == (
        "False", "ProgressDeadlineExceeded", f'ReplicaSet "{new}" has timed out progressing.')
    assert t0 + 10 < c.now
    # the rollout is not undone: the old RS keeps serving
    assert deployment(c, "web")["status"]["availableReplicas"] == 1


def test_orphaned_replica_set_is_adopted_by_recreated_deployment():
    c = make_cluster()
    new_deployment(c, "web", replicas=2)
    c.advance(30)
    (rs,) = replica_sets(c)
    pods_before = sorted(p["metadata"]["name"] for p in c.store.list(c.registry.resolve("pods"), "default"))
    ok(c, "delete deployment web --cascade=orphan")
    c.advance(5)
    assert get_controller(rs_named(c, rs["metadata"]["name"])) is None
    new_deployment(c, "web", replicas=2)
    c.advance(5)
    (rs2,) = replica_sets(c)
    assert rs2["metadata"]["name"] == rs["metadata"]["name"]
    assert get_controller(rs2)["uid"] == deployment(c, "web")["metadata"]["uid"]
    assert sorted(p["metadata"]["name"] for p in c.store.list(c.registry.resolve("pods"), "default")) == pods_before
    assert scaling_events(c, "web")[-1:] != ["Normal ScalingReplicaSet"]  # no scaling for the adopted RS
    assert deployment(c, "web")["status"]["availableReplicas"] == 2


def get_controller(obj):
    return next((r for r in obj["metadata"].get("ownerReferences") or [] if r.get("controller")), None)


@pytest.mark.parametrize("strategy", ["RollingUpdate", "Recreate"])
def test_scale_to_zero_and_back(strategy):
    c = make_cluster()
    new_deployment(c, "web", replicas=2, strategy={"type": strategy})
    c.advance(20)
    ok(c, "scale deployment web --replicas=0")
    c.advance(40)
    (rs,) = replica_sets(c)
    assert rs["spec"]["replicas"] == 0
    assert c.store.list(c.registry.resolve("pods"), "default") == []
    ok(c, "scale deployment web --replicas=1")
    c.advance(20)
    name = rs["metadata"]["name"]
    assert scaling_events(c, "web") == [
        f"Normal ScalingReplicaSet Scaled up replica set {name} from 0 to 2",
        f"Normal ScalingReplicaSet Scaled down replica set {name} from 2 to 0",
        f"Normal ScalingReplicaSet Scaled up replica set {name} from 0 to 1"]
    assert deployment(c, "web")["status"]["availableReplicas"] == 1
