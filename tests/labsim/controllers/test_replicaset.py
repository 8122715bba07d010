"""The ReplicaSet controller through kubectl: creation, self-healing, release, adoption, scaling,
failures, minReadySeconds, and the pure helpers of controller_utils."""
from __future__ import annotations

import pytest

from labsim import Cluster, errors
from labsim.controllers import controller_utils as cu

RS = """apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
      annotations:
        note: hello
    spec:
      containers:
      - name: nginx
        image: nginx
"""


def k(c: Cluster, cmd: str, stdin: str | None = None) -> str:
    r = c.kubectl(cmd, stdin=stdin)
    assert r.exit_code == 0, str(r)
    return r.stdout


def pod_names(c: Cluster) -> list[str]:
    return k(c, "get pods -o name").split()


def rs_obj(c: Cluster, name: str = "web") -> dict:
    return c.api.get(c.registry.resolve("rs"), "default", name)


def pod_obj(c: Cluster, name: str) -> dict:
    return c.api.get(c.registry.resolve("pods"), "default", name)


@pytest.fixture
def c() -> Cluster:
    c = Cluster()
    assert k(c, "apply -f -", RS) == "replicaset.apps/web created\n"
    return c


def test_creates_pods_from_the_template_and_reports_status(c):
    assert k(c, "get rs") == (
        "NAME   DESIRED   CURRENT   READY   AGE\n"
        "web    3         3         0       0s\n")
    names = pod_names(c)
    assert len(names) == 3
    pod = pod_obj(c, names[0].split("/")[1])
    rs = rs_obj(c)
    md = pod["metadata"]
    assert md["generateName"] == "web-"
    assert md["labels"] == {"app": "web"}
    assert md["annotations"] == {"note": "hello"}
    assert md["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web",
                                      "uid": rs["metadata"]["uid"], "controller": True,
                                      "blockOwnerDeletion": True}]
    c.advance("20s")
    assert k(c, "get rs") == (
        "NAME   DESIRED   CURRENT   READY   AGE\n"
        "web    3         3         3       20s\n")
    assert rs_obj(c)["status"] == {"replicas": 3, "fullyLabeledReplicas": 3, "observedGeneration": 1,
                                   "readyReplicas": 3, "availableReplicas": 3}
    events = k(c, "get events --field-selector involvedObject.kind=ReplicaSet "
                  "-o custom-columns=TYPE:.type,REASON:.reason,FROM:.source.component,MSG:.message --no-headers")
    created = [n.split("/")[1] for n in sorted(names)]
    lines = events.splitlines()
    assert len(lines) == 3
    for line in lines:
        typ, reason, source, msg = line.split(None, 3)
        assert (typ, reason, source) == ("Normal", "SuccessfulCreate", "replicaset-controller")
        assert msg.startswith("Created pod: web-")
    assert sorted(line.split()[-1] for line in lines) == created


def test_a_deleted_pod_is_replaced_while_it_terminates(c):
    c.advance("20s")
    victim = pod_names(c)[0].split("/")[1]
    assert k(c, f"delete pod {victim} --wait=false") == f'pod "{victim}" deleted\n'
    out = k(c, "get pods --no-headers").splitlines()
    assert len(out) == 4
    statuses = {line.split()[0]: line.split()[2] for line in out}
    assert statuses[victim] == "Terminating"
    assert sorted(statuses.values()) == ["Pending", "Running", "Running", "Terminating"]
    assert k(c, "get rs --no-headers").split()[1:3] == ["3", "3"]


def test_removing_the_label_releases_the_pod_and_a_replacement_appears(c):
    c.advance("20s")
    before = pod_names(c)
    name = before[-1].split("/")[1]
    assert k(c, f"label pod {name} app-") == f"pod/{name} unlabeled\n"
    assert "ownerReferences" not in pod_obj(c, name)["metadata"]
    assert "Controlled By" not in k(c, f"describe pod {name}")
    pods = k(c, "get pods --show-labels --no-headers").splitlines()
    assert len(pods) == 4
    assert [p.split()[-1] for p in pods if p.startswith(name)] == ["<none>"]
    # putting the label back: the pod is adopted again and the RS deletes one surplus pod, the
    # replacement, which is not scheduled yet (unassigned pods go first) and so goes at once
    assert k(c, f"label pod {name} app=web") == f"pod/{name} labeled\n"
    assert pod_names(c) == before
    for p in c.api.list(c.registry.resolve("pods"), "default"):
        assert p["metadata"]["ownerReferences"][0]["name"] == "web"
    reasons = k(c, "get events --field-selector involvedObject.kind=ReplicaSet -o "
                   "custom-columns=R:.reason --no-headers").split()
    assert reasons.count("SuccessfulDelete") == 1


def test_orphan_cascade_then_recreation_adopts_without_new_pods(c):
    c.advance("20s")
    before = pod_names(c)
    assert k(c, "delete rs web --cascade=orphan") == 'replicaset.apps "web" deleted\n'
    assert c.kubectl("get rs").stderr == "No resources found in default namespace.\n"
    assert pod_names(c) == before
    for n in before:
        assert "ownerReferences" not in pod_obj(c, n.split("/")[1])["metadata"]
    assert k(c, "apply -f -", RS) == "replicaset.apps/web created\n"
    assert pod_names(c) == before
    uid = rs_obj(c)["metadata"]["uid"]
    for n in before:
        assert [r["uid"] for r in pod_obj(c, n.split("/")[1])["metadata"]["ownerReferences"]] == [uid]
    assert k(c, "get rs") == (
        "NAME   DESIRED   CURRENT   READY   AGE\n"
        "web    3         3         3       0s\n")
    assert k(c, "describe rs web").endswith("Events:            <none>\n")


def test_foreground_cascade_keeps_the_replicaset_until_its_pods_are_gone(c):
    c.advance("20s")
    assert k(c, "delete rs web --cascade=foreground --wait=false") == 'replicaset.apps "web" deleted\n'
    rs = rs_obj(c)
    assert rs["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert rs["metadata"]["deletionTimestamp"] == "2026-11-24T09:00:50Z"
    out = k(c, "get pods --no-headers").splitlines()
    assert [line.split()[2] for line in out] == ["Terminating"] * 3
    c.advance("31s")
    assert c.kubectl("get rs,pods").stderr == "No resources found in default namespace.\n"


def test_background_cascade_deletes_the_pods(c):
    c.advance("20s")
    assert k(c, "delete rs web --wait=false") == 'replicaset.apps "web" deleted\n'
    assert c.kubectl("get rs").stderr == "No resources found in default namespace.\n"
    assert [line.split()[2] for line in k(c, "get pods --no-headers").splitlines()] == ["Terminating"] * 3
    c.advance("31s")
    assert c.kubectl("get pods").stderr == "No resources found in default namespace.\n"


def test_scale_down_deletes_the_newest_pods_first():
    c = Cluster()
    k(c, "apply -f -", RS.replace("replicas: 3", "replicas: 1"))
    c.advance("20s")
    first = pod_names(c)
    k(c, "scale rs web --replicas=3")
    c.advance("5m")
    assert k(c, "scale rs web --replicas=1") == "replicaset.apps/web scaled\n"
    remaining = [p for p in c.api.list(c.registry.resolve("pods"), "default")
                 if not p["metadata"].get("deletionTimestamp")]
    assert ["pod/" + p["metadata"]["name"] for p in remaining] == first
    msgs = k(c, "get events --field-selector reason=SuccessfulDelete -o custom-columns=M:.message --no-headers")
    assert len(msgs.splitlines()) == 2
    assert rs_obj(c)["status"]["replicas"] == 1


def test_failed_creations_record_events_and_the_replica_failure_condition():
    c = Cluster()

    def deny(op, rt, obj, old):
        if op == "CREATE" and rt.kind == "Pod":
            raise errors.forbidden("pods", "", obj["metadata"]["name"], "no pods today")
    c.api.admission_plugins.append(deny)
    k(c, "apply -f -", RS)
    rs = rs_obj(c)
    cond = rs["status"]["conditions"]
    assert len(cond) == 1
    assert cond[0]["type"] == "ReplicaFailure" and cond[0]["status"] == "True"
    assert cond[0]["reason"] == "FailedCreate"
    assert cond[0]["message"].startswith('pods "web-') and cond[0]["message"].endswith('" is forbidden: no pods today')
    ev = k(c, "get events -o custom-columns=T:.type,R:.reason,M:.message --no-headers").splitlines()
    # slow start: the first batch of one fails and nothing more is tried in that sync; the status
    # write (the new condition) triggers one more sync at once, which fails the same way
    assert len(ev) == 2
    assert ev[0].split(None, 2)[:2] == ["Warning", "FailedCreate"]
    assert ev[0].split(None, 2)[2] == "Error creating: " + cond[0]["message"]
    assert ev[1].split(None, 2)[:2] == ["Warning", "FailedCreate"]
    c.api.admission_plugins.remove(deny)
    c.advance("1s")  # the rate-limited retry
    rs = rs_obj(c)
    assert "conditions" not in rs["status"]
    assert rs["status"]["replicas"] == 3


def test_min_ready_seconds_delays_availability():
    c = Cluster()
    k(c, "apply -f -", RS.replace("  replicas: 3\n", "  replicas: 2\n  minReadySeconds: 10\n"))
    ready_at = None
    for t in range(60):
        c.advance("1s")
        st = rs_obj(c).get("status") or {}
        if ready_at is None and st.get("readyReplicas") == 2:
            ready_at = c.now
            assert st.get("availableReplicas", 0) < 2
        if st.get("availableReplicas") == 2:
            break
    assert ready_at is not None
    # IsPodAvailable is strict (ready for more than 10 s). Pod 1 turns ready at 34.8 s and queues
    # a resync at +11 s (45.8 s); pod 2's at 38.7 s (+11 s) and the sync's own AddAfter(10 s) are
    # dropped, as client-go's delaying queue keeps the earlier time of a waiting key. At 45.8 s
    # pod 2 (ready since 38 s, the second-precision lastTransitionTime) is not yet available and the
    # "all ready, not all available" rule resyncs at 55.8 s.
    assert ready_at == 39.0
    assert c.now == 56.0


def test_long_names_are_truncated_for_generated_pod_names():
    c = Cluster()
    long = "a" * 60
    k(c, "apply -f -", RS.replace("name: web\n", f"name: {long}\n", 1).replace("replicas: 3", "replicas: 1"))
    (name,) = [n.split("/")[1] for n in pod_names(c)]
    assert name.startswith(long[:58]) and len(name) == 63


def test_get_pods_prefix_and_pod_from_template():
    assert cu.get_pods_prefix("web") == "web-"
    assert cu.get_pods_prefix("Web_x") == "Web_x"  # not a valid prefix: the name as is
    tmpl = {"metadata": {"labels": {"a": "b"}, "finalizers": ["x/y"], "name": "ignored"},
            "spec": {"containers": [{"name": "c", "image": "i"}]}}
    ref = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "u", "controller": True,
           "blockOwnerDeletion": True}
    pod = cu.get_pod_from_template(tmpl, {"metadata": {"name": "web"}}, ref)
    assert pod == {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"generateName": "web-", "labels": {"a": "b"}, "finalizers": ["x/y"],
                                "ownerReferences": [ref]},
                   "spec": {"containers": [{"name": "c", "image": "i"}]}}
    pod["spec"]["containers"][0]["image"] = "changed"
    assert tmpl["spec"]["containers"][0]["image"] == "i"


@pytest.mark.parametrize("count,limit,successes,failed,calls", [
    # kubernetes: pkg/controller/replicaset/replica_set_test.go TestSlowStartBatch
    (10, 0, 0, True, 1),     # 1 (first batch): 1 fail
    (10, 10, 10, False, 10),  # 1 + 2 + 4 + 3 = 10
    (10, 5, 5, True, 7),     # 1 + 2 + 4 = 7
])
def test_slow_start_batch(count, limit, successes, failed, calls):
    n = [0]
    err = errors.StatusError("InternalError", 500, "fake error")

    def fn():
        n[0] += 1
        if n[0] > limit:
            raise err
    got, got_err = cu.slow_start_batch(count, cu.SLOW_START_INITIAL_BATCH_SIZE, fn)
    assert (got, got_err is err if failed else got_err is None, n[0]) == (successes, True, calls)


def test_thousand_replicas_are_created_in_two_bursts():
    c = Cluster()
    k(c, "apply -f -", RS.replace("replicas: 3", "replicas: 1000"))
    assert rs_obj(c)["status"]["replicas"] == 1000
    assert len(c.api.list(c.registry.resolve("pods"), "default")) == 1000


def test_related_pod_counts_per_node_follow_the_pods_of_every_sibling_selector():
    """The per-node counts the scale-down ranking uses, kept from the watch per selector, equal
    upstream's getIndirectlyRelatedPods + getPodsRankedByRelatedPodsOnSameNode counting over a
    fresh list, for overlapping and disjoint sibling selectors, as pods come, change and go."""
    from labsim.controllers.replicaset_util import is_pod_active

    c = Cluster(nodes=2)
    for i, labels in enumerate(["app=web,tier=fe", "app=web", "app=web,tier=be", "app=db", "app=web,tier=fe"]):
        k(c, f"run p{i} --image=nginx --labels={labels}")
    c.advance("10s")
    ctrl = c.controller_manager.get("replicaset-controller")

    def rs(uid, match):
        return {"metadata": {"name": uid, "namespace": "default", "uid": uid}, "spec": {"selector": match}}
    overlapping = [rs("a", {"matchLabels": {"app": "web"}}), rs("b", {"matchLabels": {"tier": "fe"}})]
    disjoint = [rs("c", {"matchLabels": {"app": "web", "tier": "fe"}}),
                rs("d", {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["be", "x"]}]})]

    def check():
        for siblings in (overlapping, disjoint):
            ctrl._get_replica_sets_with_same_controller = lambda _rs, s=siblings: s
            want: dict[str, int] = {}
            for p in ctrl._get_indirectly_related_pods(siblings[0]):
                if is_pod_active(p):
                    node = p["spec"].get("nodeName") or ""
                    want[node] = want.get(node, 0) + 1
            got = {n: v for n, v in ctrl._related_pods_on_nodes(siblings[0]).items() if v}
            assert got == want and sum(want.values()) > 0
    check()
    k(c, "label pod p1 tier=fe")
    k(c, "label pod p0 app-")
    k(c, "delete pod p4 --wait=false")
    check()
    k(c, "run p5 --image=nginx --labels=app=web,tier=be")
    check()
    c.advance("40s")
    check()
