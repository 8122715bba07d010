"""The garbage collector: background, foreground and orphan propagation, dangling references,
and its dependents index."""
from __future__ import annotations

from labsim import Cluster
from labsim.controllers.controller_ref import controller_ref_for

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
"""


def k(c: Cluster, cmd: str, stdin: str | None = None) -> str:
    r = c.kubectl(cmd, stdin=stdin)
    assert r.exit_code == 0, str(r)
    return r.stdout


def kinds(c: Cluster) -> dict[str, int]:
    return {"deployments": len(c.api.list(c.registry.resolve("deploy"), "default")),
            "replicasets": len(c.api.list(c.registry.resolve("rs"), "default")),
            "pods": len(c.api.list(c.registry.resolve("pods"), "default"))}


def gc(c: Cluster):
    return c.controller_manager.get("garbage-collector-controller")


def test_background_deletion_of_a_deployment_cascades_to_pods():
    c = Cluster()
    k(c, "apply -f -", DEPLOY)
    c.advance("20s")
    assert kinds(c) == {"deployments": 1, "replicasets": 1, "pods": 2}
    assert k(c, "delete deployment web --wait=false") == 'deployment.apps "web" deleted\n'
    # the ReplicaSet goes at once; its pods get their grace period
    assert kinds(c) == {"deployments": 0, "replicasets": 0, "pods": 2}
    assert all(p["metadata"].get("deletionTimestamp") for p in c.api.list(c.registry.resolve("pods"), "default"))
    c.advance("31s")
    assert kinds(c) == {"deployments": 0, "replicasets": 0, "pods": 0}


def test_foreground_deletion_of_a_deployment_waits_for_the_whole_tree():
    c = Cluster()
    k(c, "apply -f -", DEPLOY)
    c.advance("20s")
    k(c, "delete deployment web --cascade=foreground --wait=false")
    d = c.api.get(c.registry.resolve("deploy"), "default", "web")
    rs = c.api.list(c.registry.resolve("rs"), "default")[0]
    assert d["metadata"]["finalizers"] == ["foregroundDeletion"]
    # the ReplicaSet has dependents of its own: it is deleted in the foreground too
    assert rs["metadata"]["finalizers"] == ["foregroundDeletion"] and rs["metadata"]["deletionTimestamp"]
    assert kinds(c) == {"deployments": 1, "replicasets": 1, "pods": 2}
    c.advance("31s")
    assert kinds(c) == {"deployments": 0, "replicasets": 0, "pods": 0}


def test_orphan_deletion_of_a_deployment_keeps_the_replicaset_and_pods():
    c = Cluster()
    k(c, "apply -f -", DEPLOY)
    c.advance("20s")
    k(c, "delete deployment web --cascade=orphan")
    assert kinds(c) == {"deployments": 0, "replicasets": 1, "pods": 2}
    rs = c.api.list(c.registry.resolve("rs"), "default")[0]
    assert "ownerReferences" not in rs["metadata"]
    for p in c.api.list(c.registry.resolve("pods"), "default"):
        assert p["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]
    c.advance("1m")
    assert kinds(c) == {"deployments": 0, "replicasets": 1, "pods": 2}


def test_orphan_finalizer_is_removed_from_an_owner_without_dependents():
    c = Cluster()
    k(c, "create configmap cfg")
    k(c, "delete configmap cfg --cascade=orphan")
    assert c.kubectl("get configmap cfg").stderr == 'Error from server (NotFound): configmaps "cfg" not found\n'


def test_a_dependent_created_with_a_dangling_owner_is_collected():
    c = Cluster()
    k(c, "create configmap owner")
    owner = c.api.get(c.registry.resolve("cm"), "default", "owner")
    ref = {**controller_ref_for(owner), "uid": "00000000-0000-0000-0000-000000000000"}
    c.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "dep", "namespace": "default", "ownerReferences": [ref]}})
    c.settle()
    assert c.api.try_get(c.registry.resolve("cm"), "default", "dep") is None


def test_a_dangling_reference_is_removed_when_another_owner_lives():
    c = Cluster()
    k(c, "create configmap a")
    k(c, "create configmap b")
    a = c.api.get(c.registry.resolve("cm"), "default", "a")
    b = c.api.get(c.registry.resolve("cm"), "default", "b")
    ref_a = {**controller_ref_for(a), "controller": False}
    ref_b = {**controller_ref_for(b), "controller": False}
    c.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "dep", "namespace": "default", "ownerReferences": [ref_a, ref_b]}})
    assert gc(c).dependents_of(a["metadata"]["uid"]) == gc(c).dependents_of(b["metadata"]["uid"])
    k(c, "delete configmap a")
    dep = c.api.get(c.registry.resolve("cm"), "default", "dep")
    assert dep["metadata"]["ownerReferences"] == [ref_b]
    assert gc(c).dependents_of(a["metadata"]["uid"]) == []
    k(c, "delete configmap b")
    assert c.api.try_get(c.registry.resolve("cm"), "default", "dep") is None


def test_dependents_index_follows_watch_events():
    c = Cluster()
    k(c, "apply -f -", DEPLOY)
    rs = c.api.list(c.registry.resolve("rs"), "default")[0]
    pods = c.api.list(c.registry.resolve("pods"), "default")
    d = c.api.get(c.registry.resolve("deploy"), "default", "web")
    assert gc(c).dependents_of(d["metadata"]["uid"]) == [rs["metadata"]["uid"]]
    assert sorted(gc(c).dependents_of(rs["metadata"]["uid"])) == sorted(p["metadata"]["uid"] for p in pods)
    k(c, f"label pod {pods[0]['metadata']['name']} app-")  # released: no longer a dependent
    assert pods[0]["metadata"]["uid"] not in gc(c).dependents_of(rs["metadata"]["uid"])


def test_foreground_with_a_pod_finalizer_waits_until_it_is_removed():
    c = Cluster()
    k(c, "apply -f -", DEPLOY.replace("kind: Deployment", "kind: ReplicaSet").replace("replicas: 2", "replicas: 1")
      .replace("      labels:\n        app: web\n    spec:",
               "      labels:\n        app: web\n      finalizers: [example.com/hold]\n    spec:"))
    c.advance("20s")
    k(c, "delete rs web --cascade=foreground --wait=false")
    c.advance("40s")
    (pod,) = c.api.list(c.registry.resolve("pods"), "default")
    assert kinds(c)["replicasets"] == 1
    c.api.patch(c.registry.resolve("pods"), "default", pod["metadata"]["name"],
                {"metadata": {"finalizers": None}}, "merge")
    c.settle()
    assert kinds(c) == {"deployments": 0, "replicasets": 0, "pods": 0}
