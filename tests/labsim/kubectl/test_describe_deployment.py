"""kubectl describe deployment / replicaset (describe.md §5-6; kubernetes/kubectl pkg/describe/describe.go
DeploymentDescriber, ReplicaSetDescriber; deploymentutil.GetAllReplicaSetsInChunks).

``DESCRIBE_WEB`` is the output of the real kubectl v1.32.4 for the object of describe.md §5 (its
creation time line aside): the simulator builds the same objects through the API and must print
the same bytes.
"""
from __future__ import annotations

import copy

import pytest

from labsim import Cluster
from labsim.api.meta import owner_reference
from labsim.clock import rfc1123z

CAUSE = "kubectl set image deployment/web nginx=nginx:1.27 --record=true"
NGINX_127 = {"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
             "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m", "memory": "64Mi"}},
             "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5},
             "env": [{"name": "MODE", "value": "prod"},
                     {"name": "DB_HOST", "valueFrom": {"configMapKeyRef": {"name": "web-config", "key": "db_host"}}}]}

DESCRIBE_WEB = """Name:                   web
Namespace:              default
CreationTimestamp:      {created}
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 2
                        kubernetes.io/change-cause: kubectl set image deployment/web nginx=nginx:1.27 --record=true
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:      nginx:1.27
    Port:       80/TCP
    Host Port:  0/TCP
    Limits:
      cpu:     500m
      memory:  128Mi
    Requests:
      cpu:      250m
      memory:   64Mi
    Readiness:  http-get http://:80/ delay=5s timeout=1s period=10s #success=1 #failure=3
    Environment:
      MODE:        prod
      DB_HOST:     <set to the key 'db_host' of config map 'web-config'>  Optional: false
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  web-5f7d8c9b4c (0/0 replicas created)
NewReplicaSet:   web-6d8f9c7b5d (3/3 replicas created)
Events:
  Type    Reason             Age    From                   Message
  ----    ------             ----   ----                   -------
  Normal  ScalingReplicaSet  25m    deployment-controller  Scaled up replica set web-5f7d8c9b4c from 0 to 3
  Normal  ScalingReplicaSet  5m21s  deployment-controller  Scaled up replica set web-6d8f9c7b5d from 0 to 1
  Normal  ScalingReplicaSet  5m11s  deployment-controller  Scaled down replica set web-5f7d8c9b4c from 3 to 2
"""


def stopped_cluster() -> Cluster:
    c = Cluster(seed=0)
    for name in ("deployment-controller", "replicaset-controller"):
        ctrl = c.controller_manager.get(name)
        if ctrl is not None:
            ctrl.stop()
    return c


def make_deployment(c, name="web", containers=None, replicas=3, annotations=None, status=None) -> dict:
    md = {"name": name, "labels": {"app": name}}
    if annotations:
        md["annotations"] = annotations
    d = c.api.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": md,
                      "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                               "template": {"metadata": {"labels": {"app": name}},
                                            "spec": {"containers": copy.deepcopy(containers or [NGINX_127])}}}},
                     "default")
    if status is not None:
        d = c.api.update_status({**copy.deepcopy(d), "status": {"observedGeneration": 1, **status}})
    return d


def make_rs(c, owner: dict | None, name: str, hash_: str, containers, replicas: int, status_replicas: int,
            labels: dict | None = None) -> dict:
    labels = labels or {"app": "web", "pod-template-hash": hash_}
    md = {"name": name, "labels": labels}
    if owner is not None:
        md["ownerReferences"] = [owner_reference(owner)]
    rs = c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": md,
                       "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                                "template": {"metadata": {"labels": labels},
                                             "spec": {"containers": copy.deepcopy(containers)}}}}, "default")
    return c.api.update_status({**copy.deepcopy(rs), "status": {"replicas": status_replicas}})


def test_describe_deployment_matches_the_real_layout():
    c = stopped_cluster()
    t0 = c.clock.now
    d = make_deployment(c, annotations={"deployment.kubernetes.io/revision": "2", "kubernetes.io/change-cause": CAUSE},
                        status={"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                                "conditions": [
                                    {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                                     "message": "Deployment has minimum availability."},
                                    {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                                     "message": 'ReplicaSet "web-6d8f9c7b5d" has successfully progressed.'}]})
    old = dict(NGINX_127, image="nginx:1.25")
    make_rs(c, d, "web-5f7d8c9b4c", "5f7d8c9b4c", [old], 0, 0)
    rec = c.recorder("deployment-controller")
    rec.event(d, "Normal", "ScalingReplicaSet", "Scaled up replica set web-5f7d8c9b4c from 0 to 3")
    c.clock.run_until(t0 + 1500 - 321)
    make_rs(c, d, "web-6d8f9c7b5d", "6d8f9c7b5d", [NGINX_127], 3, 3)
    rec.event(d, "Normal", "ScalingReplicaSet", "Scaled up replica set web-6d8f9c7b5d from 0 to 1")
    c.clock.run_until(t0 + 1500 - 311)
    rec.event(d, "Normal", "ScalingReplicaSet", "Scaled down replica set web-5f7d8c9b4c from 3 to 2")
    c.clock.run_until(t0 + 1500)
    r = c.kubectl("describe deployment web")
    assert (r.stdout, r.stderr, r.exit_code) == (DESCRIBE_WEB.format(created=rfc1123z(t0)), "", 0)


def _rs_lines(c, name="web") -> list[str]:
    text = c.kubectl(f"describe deploy {name}").stdout
    return [ln for ln in text.splitlines() if ln.startswith(("OldReplicaSets:", "NewReplicaSet:"))]


def test_old_replica_sets_are_all_owned_old_ones_in_creation_order():
    c = stopped_cluster()
    d = make_deployment(c)
    v1, v2 = dict(NGINX_127, image="nginx:1.21"), dict(NGINX_127, image="nginx:1.25")
    # created in the order b, a, new: creation time decides, not the name
    make_rs(c, d, "web-b", "b", [v1], 0, 0)
    c.advance(1)
    make_rs(c, d, "web-a", "a", [v2], 2, 2)
    c.advance(1)
    make_rs(c, d, "web-new", "new", [NGINX_127], 1, 1)
    # not owned: ignored even though the selector matches
    make_rs(c, None, "web-orphan", "orphan", [NGINX_127], 1, 0)
    # owned but outside the Deployment's selector: ignored (listReplicaSets lists by selector)
    make_rs(c, d, "web-other", "other", [v1], 1, 0, labels={"app": "other"})
    # no Conditions block in between: the lines align with the pod template's cells (one tabwriter block)
    assert _rs_lines(c) == ["OldReplicaSets:    web-b (0/0 replicas created), web-a (2/2 replicas created)",
                            "NewReplicaSet:     web-new (1/1 replicas created)"]


def test_no_new_replica_set_and_no_replica_sets():
    c = stopped_cluster()
    d = make_deployment(c)
    assert _rs_lines(c) == []  # the lines are printed only when the deployment owns ReplicaSets
    make_rs(c, d, "web-x", "x", [dict(NGINX_127, image="nginx:1.21")], 3, 3)
    assert _rs_lines(c) == ["OldReplicaSets:    web-x (3/3 replicas created)", "NewReplicaSet:     <none>"]


def test_replica_set_describe_with_controller_and_pod_counts():
    c = stopped_cluster()
    d = make_deployment(c)
    rs = make_rs(c, d, "web-6d8f9c7b5d", "6d8f9c7b5d", [dict(NGINX_127, env=[], readinessProbe=None,
                                                                 resources={}, ports=[])], 3, 3)
    text = c.kubectl("describe rs web-6d8f9c7b5d").stdout
    assert text == (
        "Name:           web-6d8f9c7b5d\n"
        "Namespace:      default\n"
        "Selector:       app=web,pod-template-hash=6d8f9c7b5d\n"
        "Labels:         app=web\n"
        "                pod-template-hash=6d8f9c7b5d\n"
        "Annotations:    <none>\n"
        "Controlled By:  Deployment/web\n"
        "Replicas:       3 current / 3 desired\n"
        "Pods Status:    0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=web\n"
        "           pod-template-hash=6d8f9c7b5d\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.27\n"
        "    Port:          <none>\n"
        "    Host Port:     <none>\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Events:            <none>\n")
    assert rs["metadata"]["ownerReferences"][0]["name"] == "web"


# -- live, with the workload controllers ----------------------------------------------------------------

@pytest.mark.parametrize("image", ["nginx:1.28"])
def test_live_describe_after_a_rolling_update(image):
    c = Cluster(seed=0)
    assert c.kubectl("create deployment web --image=nginx:1.27 --replicas=4").ok
    assert c.kubectl("rollout status deployment/web").ok
    assert c.kubectl(f"set image deployment/web nginx={image}").ok
    assert c.kubectl("rollout status deployment/web").ok
    rss = sorted(c.api.list(c.api.registry.resolve("rs"), "default"), key=lambda rs: rs["metadata"]["creationTimestamp"])
    old, new = rss[0]["metadata"]["name"], rss[1]["metadata"]["name"]
    text = c.kubectl("describe deployment web").stdout
    assert "Replicas:               4 desired | 4 updated | 4 total | 4 available | 0 unavailable\n" in text
    assert ("Conditions:\n  Type           Status  Reason\n  ----           ------  ------\n"
            "  Available      True    MinimumReplicasAvailable\n"
            "  Progressing    True    NewReplicaSetAvailable\n"
            f"OldReplicaSets:  {old} (0/0 replicas created)\n"
            f"NewReplicaSet:   {new} (4/4 replicas created)\n") in text
    events = text.split("Events:\n", 1)[1].splitlines()[2:]
    messages = [ln.split("deployment-controller  ", 1)[1] for ln in events]
    assert messages[0] == f"Scaled up replica set {old} from 0 to 4"
    assert messages[1] == f"Scaled up replica set {new} from 0 to 1"
    assert messages[-1] == f"Scaled down replica set {old} from 1 to 0"
    rs_text = c.kubectl(f"describe rs {new}").stdout
    assert "Controlled By:  Deployment/web\n" in rs_text
    assert "Replicas:       4 current / 4 desired\nPods Status:    4 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" \
        in rs_text
    assert "                deployment.kubernetes.io/revision: 2\n" in rs_text
