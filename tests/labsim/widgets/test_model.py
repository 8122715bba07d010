"""View models at simulated time t (no ipywidgets): pod chips, cluster columns, rollout series,
events, charts, routing."""
import pytest

from labsim import Cluster
from labsim.widgets import model, render

NODE = "k3d-kubelabs-server-0"

STUCK = """apiVersion: v1
kind: Pod
metadata: {name: stuck}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: nginx, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: unready}
spec:
  containers:
  - name: nginx
    image: nginx
    readinessProbe: {httpGet: {port: 81}, periodSeconds: 2}
"""


@pytest.fixture(scope="module")
def scenario():
    """A Deployment rolling to a new image, a crash-looping pod, a completed pod, a terminating pod,
    an unschedulable pod and a running pod that is not ready; t=112 after boot."""
    c = Cluster(seed=0)
    for cmd in ("create deployment web --image=nginx:1.27 --replicas=3", "run crash --image=busybox -- false",
                "run done --image=busybox --restart=Never -- true"):
        assert c.kubectl(cmd).exit_code == 0
    assert c.kubectl("apply -f -", stdin=STUCK).exit_code == 0
    c.advance(60)
    c.kubectl("run slow --image=busybox -- sleep 3600")
    c.advance(20)
    assert c.kubectl("delete pod slow --wait=false").exit_code == 0
    assert c.kubectl("set image deploy/web nginx=nginx:1.28").exit_code == 0
    c.advance(2)
    return c


def test_chips_at_t_match_kubectl_status(scenario):
    c = scenario
    m = model.cluster_model(c.history.objects_at(c.now), c.now, "owner", "default", [NODE])
    states = {ch.name: (ch.state, ch.status, ch.ready, ch.restarts, ch.node, ch.top_owner) for ch in m.chips}
    new = next(n for n in states if n.startswith("web-") and states[n][0] == "ContainerCreating")
    assert states.pop(new) == ("ContainerCreating", "ContainerCreating", "0/1", 0, NODE, "Deployment/web")
    assert states.pop("crash") == ("CrashLoopBackOff", "CrashLoopBackOff", "0/1", 3, NODE, "")
    assert states.pop("done") == ("Completed", "Completed", "0/1", 0, NODE, "")
    assert states.pop("slow") == ("Terminating", "Terminating", "1/1", 0, NODE, "")
    assert states.pop("stuck") == ("Pending", "Pending", "0/1", 0, "", "")
    assert states.pop("unready") == ("Running", "Running", "0/1", 0, NODE, "")
    assert sorted(states.values()) == [("Ready", "Running", "1/1", 0, NODE, "Deployment/web")] * 3
    assert m.counts() == {"Pending": 1, "ContainerCreating": 1, "Running": 1, "Ready": 3, "Terminating": 1,
                          "CrashLoopBackOff": 1, "Completed": 1, "Failed": 0}
    # STATUS is kubectl's own: the chips say what `kubectl get pods` says at the same time
    table = c.kubectl("get pods --no-headers").stdout.splitlines()
    assert sorted((ln.split()[0], ln.split()[2]) for ln in table) == \
        sorted((ch.name, ch.status) for ch in m.chips)


def test_columns_owner_groups_and_the_pending_column(scenario):
    c = scenario
    m = model.cluster_model(c.history.objects_at(c.now), c.now, "owner", "default", [NODE])
    assert [col.node for col in m.columns] == [NODE, ""]
    assert [col.title for col in m.columns] == [NODE, "Pending"]
    assert [g.owner for g in m.columns[0].groups] == ["Deployment/web", ""]
    assert [ch.name for ch in m.columns[1].chips] == ["stuck"]
    crash = next(ch for ch in m.chips if ch.name == "crash")
    assert crash.tooltip.splitlines()[0].startswith("crash  CrashLoopBackOff  READY 0/1  RESTARTS 3 (")
    assert "ContainersReady=False (ContainersNotReady)" in crash.tooltip.splitlines()
    by_node = model.cluster_model(c.history.objects_at(c.now), c.now, "node", "default", [NODE])
    assert [len(g.chips) for g in by_node.columns[0].groups] == [8]
    with pytest.raises(ValueError, match='group must be "owner" or "node"'):
        model.cluster_model({}, 0, "zone")


def test_the_past_is_what_it_was(scenario):
    """At t=35 (5 s after the create) the same functions draw the early cluster."""
    c = scenario
    m = model.cluster_model(c.history.objects_at(35), 35, "owner", "default", [NODE])
    assert {ch.name for ch in m.chips} >= {"crash", "done", "stuck", "unready"}
    assert "slow" not in {ch.name for ch in m.chips}
    assert m.counts()["Terminating"] == 0


@pytest.mark.parametrize("status, phase, ready, state", [
    ("Running", "Running", "1/1", "Ready"), ("Running", "Running", "1/2", "Running"),
    ("NotReady", "Running", "0/1", "Running"), ("Terminating", "Running", "1/1", "Terminating"),
    ("Unknown", "Running", "1/1", "Terminating"), ("Init:CrashLoopBackOff", "Pending", "0/1", "CrashLoopBackOff"),
    ("Init:0/2", "Pending", "0/1", "ContainerCreating"), ("PodInitializing", "Pending", "0/1", "ContainerCreating"),
    ("ErrImagePull", "Pending", "0/1", "Pending"), ("ImagePullBackOff", "Pending", "0/1", "Pending"),
    ("Error", "Failed", "0/1", "Failed"), ("OOMKilled", "Running", "0/1", "Failed"),
    ("ExitCode:3", "Running", "0/1", "Failed"), ("Completed", "Succeeded", "0/1", "Completed"),
    ("SchedulingGated", "Pending", "0/1", "Pending"),
])
def test_chip_state_from_kubectl_status(status, phase, ready, state):
    assert model.chip_state(status, phase, ready) == state
    assert state in model.CHIP_STATES


@pytest.mark.parametrize("image, tag", [("nginx:1.27", "1.27"), ("nginx", "latest"),
                                        ("localhost:5000/web", "latest"), ("localhost:5000/web:v2", "v2"),
                                        ("nginx@sha256:0123456789abcdef0123", "0123456789ab")])
def test_image_tag(image, tag):
    assert model.image_tag(image) == tag


def test_rollout_series_bounds_and_scaling_events():
    c = Cluster(seed=2)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=4")
    c.advance(40)
    t_update = c.now
    c.kubectl("set image deploy/web nginx=nginx:1.28")
    c.advance(60)
    m = model.rollout_model(c.store.history, "default", "web", c.now)
    assert m.exists
    assert [(r.revision, r.current.desired, r.current.ready, r.current.available) for r in m.replica_sets] == \
        [("2", 4, 4, 4), ("1", 0, 0, 0)]
    assert [(b.replicas, b.ceiling, b.floor) for b in m.bounds] == [(4, 5, 3)]
    described = [ln.split("deployment-controller  ")[1] for ln in
                 c.kubectl("describe deploy web").stdout.splitlines() if "ScalingReplicaSet" in ln]
    assert [e.message for e in m.events] == described
    # during the update the new ReplicaSet never ran more than the ceiling together with the old one
    new, old = m.replica_sets
    for p in new.points:
        prev_old = [q for q in old.points if q.t <= p.t][-1]
        assert p.desired + prev_old.desired <= 5
    # the model at an earlier t is the prefix; a live tracker fed one event at a time agrees
    early = model.rollout_model(c.store.history, "default", "web", t_update - 1)
    assert [(r.revision, r.current.desired) for r in early.replica_sets] == [("1", 4)]
    tr = model.RolloutTracker("default", "web")
    for ev in c.store.history:
        tr.feed(ev)
    assert tr.model(c.now) == m
    assert tr.model(t_update - 1) == early
    html = render.render_rollout(m)
    assert "class='kl-view kl-rollout-view'" in html and html.count("<tr class='kl-rs'") == 2
    assert "data-ceiling='5' data-floor='3'" in html


def test_events_filter_by_object_and_reason(scenario):
    c = scenario
    objs = c.history.objects_at(c.now)
    crash = model.events_model(objs, c.now, "default", ("Pod", "crash"))
    assert crash.object == "pod/crash"
    assert {r.object for r in crash.rows} == {"pod/crash"}
    assert crash.rows[0].reason == "Scheduled"  # ordered by last seen: aggregated rows move down
    assert {r.reason for r in crash.rows} == {"Scheduled", "Pulling", "Pulled", "Created", "Started", "BackOff"}
    assert [r.t for r in crash.rows] == sorted(r.t for r in crash.rows)
    # the rows are kubectl's: every filtered row appears in `kubectl get events` for that pod
    got = c.kubectl("get events --field-selector involvedObject.name=crash").stdout
    for r in crash.rows:
        assert r.message in got
    scaling = model.events_model(objs, c.now, "default", reason="ScalingReplicaSet")
    assert [r.object for r in scaling.rows] == ["deployment/web", "deployment/web"]
    assert model.events_model(objs, c.now, "kube-system").rows == ()


def test_chart_series_for_a_deployment_and_a_namespace(scenario):
    c = scenario
    tr = model.ChartTracker("default", "web")
    ns = model.ChartTracker("default", metrics=("pods", "ready", "cpu", "requests"))
    for ev in c.store.history:
        tr.feed(ev)
        ns.feed(ev)
    m = tr.model(c.now, "deployment/web")
    assert [s.name for s in m.series] == ["replicas", "ready", "available", "updated"]
    assert m.series[0].points == ((30.0, 3),)
    assert [v for _, v in m.series[1].points] == [0, 1, 2, 3]
    assert m.series[3].points[-1][1] == 1  # the new ReplicaSet's first pod
    n = ns.model(c.now)
    assert [s.points[-1][1] for s in n.series] == [9, 4]  # 9 pods; ready: 3 old web pods and slow (Terminating)
    assert len(n.gaps) == 2 and n.gaps[0].startswith("cpu:") and n.gaps[1].startswith("requests per endpoint")
    with pytest.raises(ValueError, match="unknown metric 'rps'"):
        model.ChartTracker("default", metrics=("rps",))


def test_routing_service_endpoints_and_ingress():
    c = Cluster(seed=4)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.kubectl("expose deploy web --port=80 --target-port=80 --type=NodePort")
    c.kubectl("create ingress web --rule=web.example.com/=web:80")
    c.advance(40)
    m = model.routing_model(c.history.objects_at(c.now), c.now, "default", "web")
    assert m.exists and m.type == "NodePort" and m.selector == {"app": "web"}
    assert [(p.port, p.target_port, bool(p.node_port)) for p in m.ports] == [(80, "80", True)]
    assert [e.state for e in m.endpoints] == ["ready", "ready"]
    assert {e.pod for e in m.endpoints} == {p["metadata"]["name"] for p in c.api.list(c.registry.resolve("pods"),
                                                                                       "default")}
    assert [(r.host, r.path, r.port) for r in m.routes] == [("web.example.com", "/", "80")]
    pod = m.endpoints[0].pod
    c.kubectl(f"delete pod {pod} --wait=false")
    c.settle()
    after = model.routing_model(c.history.objects_at(c.now), c.now, "default", "web")
    assert {e.pod: e.state for e in after.endpoints}[pod] == "terminating"
    assert pod not in {e.pod for e in after.reachable}
    html = render.render_routing(after)
    assert f"data-pod='{pod}' data-state='terminating'" in html
    assert not model.routing_model({}, 0, "default", "nope").exists


def test_300_chips_fit_one_message():
    """300 pods: every chip is in the HTML (compact detail), under the 64 KB message budget."""
    pods = {}
    for i in range(300):
        name = f"web-7d4b9c8f6d-{i:05d}"
        pods[f"default/{name}"] = {
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": "2026-11-24T09:00:00Z",
                         "ownerReferences": [{"kind": "ReplicaSet", "name": "web-7d4b9c8f6d", "controller": True}]},
            "spec": {"nodeName": f"k3d-kubelabs-agent-{i % 3}", "containers": [{"name": "nginx", "image": "nginx:1.27"}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
                       "containerStatuses": [{"name": "nginx", "ready": True, "restartCount": 0,
                                              "state": {"running": {}}}]}}
    nodes = {f"k3d-kubelabs-agent-{i}": {"metadata": {"name": f"k3d-kubelabs-agent-{i}"}} for i in range(3)}
    m = model.cluster_model({"pods": pods, "nodes": nodes}, 60, "owner")
    html = render.render_cluster(m)
    assert len(html) <= render.BUDGET
    assert html.count("<span class='kl-pod-chip") == 300
    assert "data-detail='compact'" in html
    big = model.cluster_model({"pods": {f"{k}x{j}": dict(v, metadata=dict(v["metadata"], name=f"{v['metadata']['name']}{j}"))
                                        for j in range(4) for k, v in pods.items()}, "nodes": nodes}, 60)
    html = render.render_cluster(big)
    assert len(html) <= render.BUDGET and "data-detail='summary'" in html and "data-pods='1200'" in html
    shown = html.count("<span class='kl-pod-chip")
    hidden = sum(int(x.split("'")[0]) for x in html.split("class='kl-more' data-count='")[1:])
    assert shown + hidden == 1200
