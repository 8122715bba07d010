"""Kubelet pod admission: a pod bound to a node it does not fit is rejected by the kubelet.

Texts: kubernetes/kubernetes v1.32 pkg/kubelet/lifecycle/predicate.go (``OutOf<resource>``,
``Node didn't have enough resource: ...``, ``Predicate <name> failed: <description>``) and
pkg/kubelet/kubelet.go rejectPod (status message ``Pod was rejected: <message>``, the event
carries the bare message). The describe layout of a rejected pod (``Node: <name>/``, an empty
``IP:``, ``IPs: <none>``, no container state) is the one kubectl prints for it (seen in
longhorn/longhorn#6930 with an older kubelet's shorter message)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from models import TestCatalog as _TestCatalog, make_cluster, pod_yaml  # noqa: E402

from labsim.kubelet import admission  # noqa: E402
from labsim.scheduler.framework import NodeInfo, PodInfo  # noqa: E402

NODE = "k3d-kubelabs-server-0"


def pod(c, name):
    return c.api.get(c.api.registry.for_kind("", "Pod"), "default", name)


def resources_yaml(cpu=None, memory=None):
    req = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    return "resources:\n  requests: {" + ", ".join(f"{k}: {v!r}" for k, v in req.items()) + "}"


def row(c, name):
    return c.kubectl(f"get pod {name}").stdout.splitlines()[1].split()


def events_of(c, name):
    out = c.kubectl("describe pod " + name).stdout
    return out.split("Events:\n")[1]


# -- end to end through kubectl --------------------------------------------------------------------

def test_out_of_cpu_hand_bound_pod_is_rejected():
    c = make_cluster()
    c.apply(pod_yaml("big", ["serve"], extra_container=resources_yaml(cpu="3900m")))
    c.advance(10)
    c.apply(pod_yaml("hog", ["serve"], node=NODE, extra_container=resources_yaml(cpu="1", memory="9Gi")))
    c.advance(5)
    assert c.kubectl("get pods").stdout == """\
NAME   READY   STATUS     RESTARTS   AGE
big    1/1     Running    0          15s
hog    0/1     OutOfcpu   0          5s
"""
    st = pod(c, "hog")["status"]
    # cpu is checked before memory: the first failure is the verdict
    assert st == {"phase": "Failed",
                  "message": "Pod was rejected: Node didn't have enough resource: cpu, requested: 1000, used: 3900, "
                             "capacity: 4000",
                  "reason": "OutOfcpu", "startTime": "2026-11-24T09:00:40Z", "qosClass": "Burstable"}
    out = c.kubectl("describe pod hog").stdout
    assert """\
Node:             k3d-kubelabs-server-0/
Start Time:       Tue, 24 Nov 2026 09:00:40 +0000
Labels:           <none>
Annotations:      <none>
Status:           Failed
Reason:           OutOfcpu
Message:          Pod was rejected: Node didn't have enough resource: cpu, requested: 1000, used: 3900, capacity: 4000
IP:               
IPs:              <none>
Containers:
  app:
    Image:      test/app:1
""" in out
    assert "State:" not in out and "Container ID:" not in out and "Conditions:" not in out
    assert out.split("Events:\n")[1] == """\
  Type     Reason    Age   From     Message
  ----     ------    ----  ----     -------
  Warning  OutOfcpu  5s    kubelet  Node didn't have enough resource: cpu, requested: 1000, used: 3900, capacity: 4000
"""
    # no container was started: the kubelet has no worker for it
    assert c.kubelet_for(NODE).worker_for(pod(c, "hog")) is None
    assert c.kubectl("get pod hog -o wide").stdout.splitlines()[1].split()[5:7] == ["<none>", NODE]
    # it stays Failed; deleting a terminal pod removes it at once
    c.advance(60)
    assert row(c, "hog")[:3] == ["hog", "0/1", "OutOfcpu"]
    r = c.kubectl("delete pod hog")
    assert r.stdout == 'pod "hog" deleted\n' and c.api.try_get(c.api.registry.for_kind("", "Pod"), "default", "hog") is None


def test_out_of_memory_message_in_bytes():
    c = make_cluster()
    c.apply(pod_yaml("fat", ["serve"], node=NODE, extra_container=resources_yaml(memory="9Gi")))
    c.advance(2)
    assert row(c, "fat")[:3] == ["fat", "0/1", "OutOfmemory"]
    # allocatable memory 8Gi (8388608Ki); 9Gi = 9663676416 bytes
    assert pod(c, "fat")["status"]["message"] == ("Pod was rejected: Node didn't have enough resource: memory, "
                                                  "requested: 9663676416, used: 0, capacity: 8589934592")


def test_out_of_pods_at_110():
    c = make_cluster()
    for i in range(110):
        c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i:03d}"},
                      "spec": {"nodeName": NODE, "containers": [{"name": "app", "image": "test/app:1"}]}})
    c.advance(1)
    c.apply(pod_yaml("one-more", ["serve"], node=NODE))
    c.advance(5)
    assert row(c, "one-more")[:3] == ["one-more", "0/1", "OutOfpods"]
    assert "Warning  OutOfpods  5s    kubelet  Node didn't have enough resource: pods, requested: 1, used: 110, " \
           "capacity: 110" in events_of(c, "one-more")
    assert row(c, "p109")[:3] == ["p109", "1/1", "Running"]


def test_node_selector_mismatch():
    c = make_cluster()
    c.apply(pod_yaml("sel", ["serve"], node=NODE, pod_extra="nodeSelector: {disk: ssd}"))
    c.advance(3)
    assert row(c, "sel")[:3] == ["sel", "0/1", "NodeAffinity"]
    msg = "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"
    assert pod(c, "sel")["status"]["message"] == "Pod was rejected: " + msg
    assert f"Warning  NodeAffinity  3s    kubelet  {msg}" in events_of(c, "sel")
    # a label that matches lets the next such pod in
    c.kubectl(f"label node {NODE} disk=ssd")
    c.apply(pod_yaml("sel2", ["serve"], node=NODE, pod_extra="nodeSelector: {disk: ssd}"))
    c.advance(5)
    assert row(c, "sel2")[:3] == ["sel2", "1/1", "Running"]
    # the rejected pod is not admitted again by later versions of its object
    c.kubectl("label pod sel tier=web")
    c.advance(5)
    assert row(c, "sel")[:3] == ["sel", "0/1", "NodeAffinity"]


def test_required_node_affinity_mismatch():
    c = make_cluster()
    c.apply(pod_yaml("aff", ["serve"], node=NODE, pod_extra="""\
affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: NotIn, values: [k3d-kubelabs-server-0]}"""))
    c.advance(1)
    assert pod(c, "aff")["status"]["reason"] == "NodeAffinity"


def test_no_execute_taint_rejects_no_schedule_does_not():
    c = make_cluster()
    c.kubectl(f"taint node {NODE} team=a:NoSchedule")
    c.apply(pod_yaml("by-hand", ["serve"], node=NODE))
    c.advance(5)
    assert row(c, "by-hand")[:3] == ["by-hand", "1/1", "Running"]  # NoSchedule is the scheduler's business
    c.kubectl(f"taint node {NODE} team=a:NoSchedule-")
    c.kubectl(f"taint node {NODE} dedicated=db:NoExecute")
    c.apply(pod_yaml("untolerated", ["serve"], node=NODE))
    c.apply(pod_yaml("tolerated", ["serve"], node=NODE,
                     pod_extra="tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoExecute}]"))
    c.advance(5)
    assert row(c, "untolerated")[:3] == ["untolerated", "0/1", "TaintToleration"]
    assert pod(c, "untolerated")["status"]["message"] == (
        "Pod was rejected: Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate")
    assert row(c, "tolerated")[:3] == ["tolerated", "1/1", "Running"]


def test_host_port_conflict():
    c = make_cluster()
    ports = "ports: [{containerPort: 80, hostPort: 8080}]"
    c.apply(pod_yaml("a", ["serve"], node=NODE, extra_container=ports))
    c.apply(pod_yaml("b", ["serve"], node=NODE, extra_container=ports))
    c.advance(5)
    assert row(c, "a")[:3] == ["a", "1/1", "Running"]
    assert row(c, "b")[:3] == ["b", "0/1", "NodePorts"]
    assert pod(c, "b")["status"]["message"] == (
        "Pod was rejected: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports")


def test_init_containers_count_as_the_scheduler_counts_them():
    """PodRequests: max(sum of app containers, each init container) — 3 CPU here, not 100m."""
    c = make_cluster()
    c.apply(pod_yaml("half", ["serve"], extra_container=resources_yaml(cpu="1500m")))
    c.advance(5)
    c.apply(pod_yaml("init", ["serve"], node=NODE, extra_container=resources_yaml(cpu="100m"), pod_extra="""\
initContainers:
- name: setup
  image: test/app:1
  args: ["exit", "0", "1"]
  resources: {requests: {cpu: "3"}}"""))
    c.advance(5)
    assert pod(c, "init")["status"]["message"] == (
        "Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 1500, capacity: 4000")
    assert row(c, "init")[:3] == ["init", "0/1", "OutOfcpu"]


def test_finished_and_force_deleted_pods_free_their_requests():
    c = make_cluster()
    c.apply(pod_yaml("job", ["exit", "0", "1"], policy="Never", extra_container=resources_yaml(cpu="3")))
    c.advance(10)
    assert row(c, "job")[:3] == ["job", "0/1", "Completed"]
    c.apply(pod_yaml("after-job", ["serve"], node=NODE, extra_container=resources_yaml(cpu="3")))
    c.advance(5)
    assert row(c, "after-job")[:3] == ["after-job", "1/1", "Running"]
    # a pod that stops at once on SIGTERM is gone in the same instant
    c.kubectl("delete pod after-job --wait=false")
    # a pod being deleted gracefully still holds its share until it is gone (this one ignores
    # SIGTERM: 30 s of grace)
    c.apply(pod_yaml("holder", ["ignore-term"], node=NODE, extra_container=resources_yaml(cpu="3")))
    c.advance(5)
    assert row(c, "holder")[:3] == ["holder", "1/1", "Running"]
    c.kubectl("delete pod holder --wait=false")
    c.apply(pod_yaml("too-soon", ["serve"], node=NODE, extra_container=resources_yaml(cpu="3")))
    c.advance(1)
    assert pod(c, "too-soon")["status"]["reason"] == "OutOfcpu"
    # force deletion removes it from the kubelet's pods at once, its container still stopping
    c.kubectl("delete pod holder --grace-period=0 --force")
    assert c.kubelet_for(NODE).workers  # holder's worker is still killing its container
    c.apply(pod_yaml("next", ["serve"], node=NODE, extra_container=resources_yaml(cpu="3")))
    c.advance(5)
    assert row(c, "next")[:3] == ["next", "1/1", "Running"]


def test_scheduled_pods_are_admitted():
    """What the scheduler binds fits: nothing is rejected on a busy 3-node cluster."""
    c = make_cluster(nodes=3)
    for i in range(12):
        c.apply(pod_yaml(f"w{i}", ["serve"], extra_container=resources_yaml(cpu="900m", memory="1Gi")))
    c.advance(20)
    rows = c.kubectl("get pods").stdout.splitlines()[1:]
    assert sorted(r.split()[2] for r in rows) == ["Running"] * 12


def test_kubelet_start_admits_oldest_first():
    """HandlePodAdditions sorts the pods it finds by creation time."""
    from labsim.kubelet import Kubelet

    c = make_cluster()
    c.kubelet_for(NODE).stop()
    c.apply(pod_yaml("zz-old", ["serve"], node=NODE, extra_container=resources_yaml(cpu="3")))
    c.advance(2)
    c.apply(pod_yaml("aa-new", ["serve"], node=NODE, extra_container=resources_yaml(cpu="3")))
    c.advance(2)
    k = Kubelet(c, NODE)
    k.use_catalog(_TestCatalog())
    k.images.preload("test/app:1")
    c.kubelets[NODE] = k
    c.advance(5)
    assert row(c, "zz-old")[:3] == ["zz-old", "1/1", "Running"]
    assert row(c, "aa-new")[:3] == ["aa-new", "0/1", "OutOfcpu"]


def test_os_label_and_field():
    c = make_cluster()
    c.apply("apiVersion: v1\nkind: Pod\nmetadata:\n  name: win\n  labels: {kubernetes.io/os: windows}\n"
            f"spec:\n  nodeName: {NODE}\n  containers:\n  - {{name: app, image: test/app:1}}\n")
    c.advance(1)
    st = pod(c, "win")["status"]
    assert (st["reason"], st["message"]) == (
        "PodOSSelectorNodeLabelDoesNotMatch",
        "Pod was rejected: Failed to admit pod as the `kubernetes.io/os` label doesn't match node label")
    c.apply(f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: winfield\nspec:\n  nodeName: {NODE}\n  os: {{name: windows}}\n"
            "  containers:\n  - {name: app, image: test/app:1}\n")
    c.advance(1)
    st = pod(c, "winfield")["status"]
    assert (st["reason"], st["message"]) == (
        "PodOSNotSupported", "Pod was rejected: Failed to admit pod as the OS field doesn't match node OS")


def test_rejected_status_keeps_only_conditions_others_own():
    """mergePodStatus: kubelet-owned conditions (PodScheduled among them) are dropped."""
    p = {"metadata": {"name": "x"}, "status": {"phase": "Pending", "qosClass": "BestEffort", "conditions": [
        {"type": "PodScheduled", "status": "True"}, {"type": "example.com/gate", "status": "False"}]}}
    st = admission.rejected_status(p, admission.AdmitResult(False, "OutOfpods", "m"), "2026-11-24T09:00:40Z")
    assert st == {"phase": "Failed", "conditions": [{"type": "example.com/gate", "status": "False"}],
                  "message": "Pod was rejected: m", "reason": "OutOfpods", "startTime": "2026-11-24T09:00:40Z",
                  "qosClass": "BestEffort"}


# -- upstream's table: pkg/kubelet/lifecycle/predicate_test.go TestGeneralPredicates ----------------

def _node(taints=(), labels=None):
    res = {"cpu": "10m", "memory": "20", "pods": "32", "example.com/aaa": "0", "ephemeral-storage": "0",
           "hugepages-2Mi": "0"}
    return {"metadata": {"name": "machine1", "labels": labels or {}}, "spec": {"taints": list(taints)},
            "status": {"capacity": res, "allocatable": res}}


def _res_pod(cpu_m=None, mem=None, **spec):
    c = {"name": "c"}
    req = {}
    if cpu_m is not None:
        req["cpu"] = f"{cpu_m}m"
    if mem is not None:
        req["memory"] = str(mem)
    if req:
        c["resources"] = {"requests": req}
    return {"metadata": {"name": "p", "uid": f"u{cpu_m}{mem}{len(spec)}"}, "spec": {"containers": [c], **spec}}


def _port_pod(port):
    return {"metadata": {"name": "p", "uid": f"port{port}"},
            "spec": {"containers": [{"name": "c", "ports": [{"containerPort": port, "hostPort": port}]}]}}


def _filter(pod, node, *others):
    ni = NodeInfo(node)
    for o in others:
        ni.add_pod(PodInfo(o))
    return [tuple(r) if isinstance(r, tuple) else r for r in admission.general_filter(pod, ni)]


def test_general_predicates_table():
    from labsim.scheduler.plugins.noderesources import InsufficientResource

    # no resources/port/host requested always fits
    assert _filter({"metadata": {}, "spec": {}}, _node(), _res_pod(9, 19)) == []
    # not enough cpu and memory resource: both reasons, cpu first
    assert _filter(_res_pod(8, 10), _node(), _res_pod(5, 19)) == [
        InsufficientResource("cpu", "Insufficient cpu", 8, 5, 10),
        InsufficientResource("memory", "Insufficient memory", 10, 19, 20)]
    # host not match
    assert _filter({"metadata": {}, "spec": {"nodeName": "machine2"}}, _node()) == [
        ("NodeName", "node(s) didn't match the requested node name")]
    # hostport conflict
    assert _filter(_port_pod(123), _node(), _port_pod(123)) == [
        ("NodePorts", "node(s) didn't have free ports for the requested pod ports")]
    # taint/toleration match
    tol = {"tolerations": [{"key": "foo"}, {"key": "bar"}]}
    both = [{"key": "foo", "effect": "NoSchedule"}, {"key": "bar", "effect": "NoExecute"}]
    assert _filter({"metadata": {}, "spec": tol}, _node(both)) == []
    # NoSchedule taint/toleration not match
    assert _filter({"metadata": {}, "spec": {}}, _node([{"key": "foo", "effect": "NoSchedule"}])) == []
    # NoExecute taint/toleration not match
    assert _filter({"metadata": {}, "spec": {}}, _node([{"key": "bar", "effect": "NoExecute"}])) == [
        ("TaintToleration", "node(s) had taints that the pod didn't tolerate")]
    # PreferNoSchedule taint/toleration not match
    assert _filter({"metadata": {}, "spec": {}}, _node([{"key": "baz", "effect": "PreferNoSchedule"}])) == []


def test_admit_first_reason_wins_and_extended_resources_unknown_to_the_node_are_ignored():
    node = _node()
    assert admission.admit(node, _res_pod(8, 10), [_res_pod(5, 19)]) == admission.AdmitResult(
        False, "OutOfcpu", "Node didn't have enough resource: cpu, requested: 8, used: 5, capacity: 10")
    # removeMissingExtendedResources: foo.com/bar is not on the node -> not checked
    ext = {"metadata": {"name": "e"}, "spec": {"containers": [
        {"name": "c", "resources": {"requests": {"foo.com/bar": "1"}}}]}}
    assert admission.admit(node, ext, []) == admission.ADMITTED
    # example.com/aaa is on the node with 0 allocatable: checked, OutOf<name>
    known = {"metadata": {"name": "k"}, "spec": {"containers": [
        {"name": "c", "resources": {"requests": {"example.com/aaa": "1"}}}]}}
    assert admission.admit(node, known, []) == admission.AdmitResult(
        False, "OutOfexample.com/aaa",
        "Node didn't have enough resource: example.com/aaa, requested: 1, used: 0, capacity: 0")
    # pods: the 33rd on a 32-pod node
    full = [{"metadata": {"name": f"p{i}", "uid": str(i)}, "spec": {"containers": [{"name": "c"}]}} for i in range(32)]
    assert admission.admit(node, {"metadata": {"name": "x"}, "spec": {"containers": [{"name": "c"}]}}, full) == \
        admission.AdmitResult(False, "OutOfpods", "Node didn't have enough resource: pods, requested: 1, used: 32, "
                                                  "capacity: 32")
