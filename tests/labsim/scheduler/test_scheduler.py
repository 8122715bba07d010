"""The scheduler end to end: pods applied with kubectl, the clock advanced, then what kubectl shows."""
from __future__ import annotations

import pytest

from labsim import Cluster


def pod_yaml(name, cpu=None, node_selector=None, host_port=None, extra_spec=""):
    res = f"\n    resources: {{requests: {{cpu: \"{cpu}\"}}}}" if cpu else ""
    ports = f"\n    ports: [{{containerPort: 80, hostPort: {host_port}}}]" if host_port else ""
    sel = f"\n  nodeSelector: {node_selector}" if node_selector else ""
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:{sel}{extra_spec}
  containers:
  - name: nginx
    image: nginx:1.27{res}{ports}
---
"""


def pod(c, name):
    return c.api.get(c.api.registry.for_kind("", "Pod"), "default", name)


def events_of(c, name):
    return [(e["type"], e["reason"], e["message"]) for e in c.api.list(c.api.registry.for_kind("", "Event"), "default")
            if e["involvedObject"]["name"] == name]


def describe_section(text: str, header: str) -> str:
    lines = text.splitlines()
    i = next(i for i, l in enumerate(lines) if l.startswith(header))
    out = [lines[i]]
    for l in lines[i + 1:]:
        if l and not l.startswith(" "):
            break
        out.append(l)
    return "\n".join(out)


def test_bound_within_a_second_and_described():
    c = Cluster()
    c.apply(pod_yaml("web"))
    assert pod(c, "web")["spec"].get("nodeName") is None  # same instant: not yet
    c.advance(1)
    out = str(c.kubectl("get pods -o wide"))
    # STATUS depends on the kubelet (Pending / ContainerCreating / Running); NODE is the scheduler's
    assert out.splitlines()[1].split()[6] == "k3d-kubelabs-server-0"
    p = pod(c, "web")
    cond = dict([x for x in p["status"]["conditions"] if x["type"] == "PodScheduled"][0])
    cond.pop("lastProbeTime", None)  # bind writes null; later status writes through labsim drop nulls
    assert cond == {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-11-24T09:00:30Z"}
    d = str(c.kubectl("describe pod web"))
    # the event is ~0.97 s old at t=31: HumanDuration truncates to 0s
    assert "  Normal  Scheduled  0s    default-scheduler  Successfully assigned default/web to " \
           "k3d-kubelabs-server-0" in d
    ev = [e for e in c.api.list(c.api.registry.for_kind("", "Event"), "default") if e["reason"] == "Scheduled"][0]
    assert (ev["action"], ev["reportingComponent"], ev["reportingInstance"]) == (
        "Binding", "default-scheduler", "default-scheduler-k3d-kubelabs-server-0")


def test_pod_with_node_name_bypasses_scheduler():
    c = Cluster(nodes=2)
    c.apply(pod_yaml("pinned", extra_spec="\n  nodeName: k3d-kubelabs-agent-0"))
    c.advance(1)
    assert pod(c, "pinned")["spec"]["nodeName"] == "k3d-kubelabs-agent-0"
    assert events_of(c, "pinned") == [] or all(e[1] != "Scheduled" for e in events_of(c, "pinned"))


def test_insufficient_cpu_one_node():
    c = Cluster()
    c.apply(pod_yaml("big", cpu="5"))
    c.advance(1)
    msg = ("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
           "1 No preemption victims found for incoming pod..")
    assert events_of(c, "big") == [("Warning", "FailedScheduling", msg)]
    cond = [x for x in pod(c, "big")["status"]["conditions"] if x["type"] == "PodScheduled"][0]
    # (a real API server keeps "lastProbeTime": null; labsim's status-update path drops nulls)
    cond.pop("lastProbeTime", None)
    assert cond == {"type": "PodScheduled", "status": "False",
                    "lastTransitionTime": "2026-11-24T09:00:30Z", "reason": "Unschedulable", "message": msg}
    d = str(c.kubectl("describe pod big"))
    assert describe_section(d, "Conditions:") == "Conditions:\n  Type           Status\n  PodScheduled   False "
    assert f"  Warning  FailedScheduling  0s    default-scheduler  {msg}" in d
    line = str(c.kubectl("get pods -o wide")).splitlines()[1].split()
    assert line[2] == "Pending" and line[6] == "<none>"


def test_kubeadm_like_preset_message():
    c = Cluster(nodes=3, tainted_server=True)
    c.apply(pod_yaml("big", cpu="5"))
    c.advance(1)
    assert events_of(c, "big") == [("Warning", "FailedScheduling",
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod..")]


def test_node_selector_mismatch_then_label_schedules():
    c = Cluster(nodes=3)
    c.apply(pod_yaml("sel", node_selector="{disktype: ssd}"))
    c.advance(1)
    assert events_of(c, "sel") == [("Warning", "FailedScheduling",
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: "
        "0/3 nodes are available: 3 Preemption is not helpful for scheduling..")]
    assert str(c.kubectl("label node k3d-kubelabs-agent-1 disktype=ssd")) == "node/k3d-kubelabs-agent-1 labeled"
    c.advance(1)
    assert pod(c, "sel")["spec"]["nodeName"] == "k3d-kubelabs-agent-1"
    # the failure's back-off (1 s from the first attempt) had run out: bound within about a second
    assert events_of(c, "sel")[-1] == ("Normal", "Scheduled",
                                       "Successfully assigned default/sel to k3d-kubelabs-agent-1")


def test_cordoned_node():
    c = Cluster()
    assert str(c.kubectl("cordon k3d-kubelabs-server-0")) == "node/k3d-kubelabs-server-0 cordoned"
    c.advance(1)
    node = c.api.get(c.api.registry.for_kind("", "Node"), None, "k3d-kubelabs-server-0")
    assert node["spec"]["taints"] == [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
    c.apply(pod_yaml("web"))
    c.advance(1)
    assert events_of(c, "web") == [("Warning", "FailedScheduling",
        "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: "
        "1 Preemption is not helpful for scheduling..")]
    assert str(c.kubectl("uncordon k3d-kubelabs-server-0")) == "node/k3d-kubelabs-server-0 uncordoned"
    c.advance(2)
    assert pod(c, "web")["spec"]["nodeName"] == "k3d-kubelabs-server-0"
    node = c.api.get(c.api.registry.for_kind("", "Node"), None, "k3d-kubelabs-server-0")
    assert "taints" not in node["spec"] and "unschedulable" not in node["spec"]


def test_host_port_clash():
    c = Cluster()
    c.apply(pod_yaml("a", host_port=8080) + pod_yaml("b", host_port=8080))
    c.advance(1)
    assert pod(c, "a")["spec"]["nodeName"] == "k3d-kubelabs-server-0"
    assert events_of(c, "b") == [("Warning", "FailedScheduling",
        "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: "
        "0/1 nodes are available: 1 No preemption victims found for incoming pod..")]


def test_deleting_a_pod_frees_room_within_a_second():
    c = Cluster()
    c.apply(pod_yaml("first", cpu="3"))
    c.advance(1)
    c.apply(pod_yaml("second", cpu="3"))
    c.advance(5)
    assert pod(c, "second")["spec"].get("nodeName") is None
    # no kubelet needed: a grace-period-0 delete removes the pod at once
    c.kubectl("delete pod first --grace-period=0 --force")
    t0 = c.now
    c.advance(1)
    assert pod(c, "second")["spec"]["nodeName"] == "k3d-kubelabs-server-0"
    cond = [x for x in pod(c, "second")["status"]["conditions"] if x["type"] == "PodScheduled"][0]
    assert cond["status"] == "True" and "reason" not in cond
    assert c.now - t0 <= 1


def test_unschedulable_retried_after_five_minutes_as_a_series():
    c = Cluster()
    c.apply(pod_yaml("big", cpu="5"))
    c.advance(1)
    c.advance("4m50s")  # failed at ~30.03 s: not retried before 330 s
    evs = [e for e in c.api.list(c.api.registry.for_kind("", "Event"), "default") if e["reason"] == "FailedScheduling"]
    assert len(evs) == 1 and "series" not in evs[0]
    c.advance("60s")  # the 30-s flush at t=360 s retries it (> 5 min in the unschedulable pods)
    evs = [e for e in c.api.list(c.api.registry.for_kind("", "Event"), "default") if e["reason"] == "FailedScheduling"]
    assert len(evs) == 1 and evs[0]["series"]["count"] == 2


def test_priority_order_and_spread_over_identical_nodes():
    c = Cluster(nodes=3)
    docs = "".join(pod_yaml(f"p{i}") for i in range(30))
    c.apply(docs)
    c.advance(1)
    nodes = [pod(c, f"p{i}")["spec"]["nodeName"] for i in range(30)]
    counts = {n: nodes.count(n) for n in set(nodes)}
    assert sorted(counts.values()) == [10, 10, 10]  # LeastAllocated with 100m/200Mi defaults spreads evenly


def test_same_seed_same_placement():
    def run(seed):
        c = Cluster(seed=seed, nodes=3)
        c.apply("".join(pod_yaml(f"p{i}") for i in range(7)))
        c.advance(1)
        return [pod(c, f"p{i}")["spec"]["nodeName"] for i in range(7)]
    assert run(1) == run(1)


def test_bind_conflict_text():
    c = Cluster()
    c.apply(pod_yaml("web"))
    c.advance(1)
    from labsim.errors import StatusError
    with pytest.raises(StatusError) as e:
        c.api.bind("default", "web", "k3d-kubelabs-server-0")
    assert e.value.message == ('Operation cannot be fulfilled on pods "web": pod web is already assigned to node '
                               '"k3d-kubelabs-server-0"')


def test_pvc_missing_prefilter_message():
    c = Cluster()
    c.apply("""apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers: [{name: c, image: nginx}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
""")
    c.advance(1)
    assert events_of(c, "db") == [("Warning", "FailedScheduling",
        '0/1 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/1 nodes are available: '
        '1 Preemption is not helpful for scheduling..')]


def test_preemption_by_higher_priority():
    c = Cluster()
    c.apply("""apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
""" + pod_yaml("low", cpu="3"))
    c.advance(1)
    c.apply(pod_yaml("vip", cpu="3", extra_spec="\n  priorityClassName: high"))
    c.advance(1)
    evs = events_of(c, "vip")
    assert evs[0] == ("Warning", "FailedScheduling", "0/1 nodes are available: 1 Insufficient cpu.")
    assert pod(c, "vip")["status"]["nominatedNodeName"] == "k3d-kubelabs-server-0"
    low_events = events_of(c, "low")
    assert low_events[-1][1] == "Preempted"
