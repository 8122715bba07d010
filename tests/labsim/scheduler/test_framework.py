"""Scheduler rules in isolation, with cases ported from upstream table tests:
tainttoleration TestTaintTolerationFilter, noderesources TestEnoughRequests (reasons),
nodeaffinity matching, FitError.Error (framework/types_test.go)."""
from __future__ import annotations

import pytest

from labsim.scheduler.framework import (UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, Diagnosis, NodeInfo,
                                        PodInfo, Status, fit_error_message, pod_requests)
from labsim.scheduler.plugins.helpers import required_node_affinity_matches, tolerates
from labsim.scheduler.plugins.noderesources import insufficient_resources
from labsim.scheduler.plugins.tainttoleration import TaintToleration


def node(name="n", taints=None, labels=None, cpu="10m", memory="20", pods="32", extra=None):
    alloc = {"cpu": cpu, "memory": memory, "pods": pods, **(extra or {})}
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": {"taints": taints or []},
            "status": {"allocatable": alloc}}


def pod(tolerations=None, containers=None, init=None, overhead=None, **spec):
    s = {"containers": containers or [{"name": "c"}], **spec}
    if tolerations is not None:
        s["tolerations"] = tolerations
    if init:
        s["initContainers"] = init
    if overhead:
        s["overhead"] = overhead
    return {"metadata": {"name": "p", "namespace": "default", "uid": "u-p"}, "spec": s}


# -- TestTaintTolerationFilter --------------------------------------------------------------------
TAINT_CASES = [
    ("no tolerations, nonempty taints", [], [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}],
     "node(s) had untolerated taint {dedicated: user1}"),
    ("toleration for dedicated user1 NoSchedule",
     [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}],
     [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}], None),
    ("toleration for user2 on a node for user1",
     [{"operator": "Equal", "key": "dedicated", "value": "user2", "effect": "NoSchedule"}],
     [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}],
     "node(s) had untolerated taint {dedicated: user1}"),
    ("operator Exists tolerates the taint",
     [{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}],
     [{"key": "foo", "value": "bar", "effect": "NoSchedule"}], None),
    ("multiple tolerations, all taints tolerated",
     [{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"},
      {"key": "foo", "operator": "Exists", "effect": "NoSchedule"}],
     [{"key": "dedicated", "value": "user2", "effect": "NoSchedule"},
      {"key": "foo", "value": "bar", "effect": "NoSchedule"}], None),
    ("key and value match but the (non-empty) effect does not",
     [{"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}],
     [{"key": "foo", "value": "bar", "effect": "NoSchedule"}], "node(s) had untolerated taint {foo: bar}"),
    ("toleration with empty effect matches NoSchedule",
     [{"key": "foo", "operator": "Equal", "value": "bar"}],
     [{"key": "foo", "value": "bar", "effect": "NoSchedule"}], None),
    ("non-matching toleration, PreferNoSchedule taint only",
     [{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}],
     [{"key": "dedicated", "value": "user1", "effect": "PreferNoSchedule"}], None),
    ("no tolerations, PreferNoSchedule taint only", [],
     [{"key": "dedicated", "value": "user1", "effect": "PreferNoSchedule"}], None),
    ("control-plane taint without value", [],
     [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
     "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"),
    ("NoExecute blocks scheduling too", [], [{"key": "k", "value": "v", "effect": "NoExecute"}],
     "node(s) had untolerated taint {k: v}"),
    ("empty key with Exists tolerates everything", [{"operator": "Exists"}],
     [{"key": "a", "value": "b", "effect": "NoExecute"}, {"key": "c", "effect": "NoSchedule"}], None),
]


@pytest.mark.parametrize("name,tols,taints,reason", TAINT_CASES, ids=[c[0] for c in TAINT_CASES])
def test_taint_toleration_filter(name, tols, taints, reason):
    st = TaintToleration(None).filter({}, PodInfo(pod(tols)), NodeInfo(node(taints=taints)))
    if reason is None:
        assert st is None
    else:
        assert (st.code, st.reasons) == (UNSCHEDULABLE_AND_UNRESOLVABLE, [reason])


def test_toleration_operator_unknown_never_matches():
    assert not tolerates({"key": "a", "operator": "Bogus"}, {"key": "a", "effect": "NoSchedule"})


# -- TestEnoughRequests (reasons) -------------------------------------------------------------------
def c(cpu=None, mem=None, **extra):
    req = {}
    if cpu is not None:
        req["cpu"] = f"{cpu}m"
    if mem is not None:
        req["memory"] = str(mem)
    req.update(extra)
    return {"name": "c", "resources": {"requests": req}}


def node_with(used: list[dict], **kw) -> NodeInfo:
    ni = NodeInfo(node(**kw))
    for i, containers in enumerate(used):
        p = pod(containers=containers)
        p["metadata"]["uid"] = f"used-{i}"
        ni.add_pod(PodInfo(p))
    return ni


ENOUGH_CASES = [
    ("no resources requested always fits", [c()], [[c(10, 20)]], []),
    ("too many resources fails", [c(1, 1)], [[c(10, 20)]], ["Insufficient cpu", "Insufficient memory"]),
    ("too many resources fails due to init container cpu", {"containers": [c(1, 1)], "init": [c(3, 1)]},
     [[c(8, 19)]], ["Insufficient cpu"]),
    ("init container: the max, not the sum", {"containers": [c(1, 1)], "init": [c(3, 1), c(2, 1)]},
     [[c(5, 19)]], []),
    ("init container too big", {"containers": [c(1, 1)], "init": [c(3, 1), c(6, 1)]}, [[c(5, 19)]],
     ["Insufficient cpu"]),
    ("both resources fit", [c(1, 1)], [[c(5, 5)]], []),
    ("one resource memory fits", [c(2, 1)], [[c(9, 5)]], ["Insufficient cpu"]),
    ("one resource cpu fits", [c(1, 2)], [[c(5, 19)]], ["Insufficient memory"]),
    ("equal edge case", [c(5, 1)], [[c(5, 19)]], []),
    ("extended resource fits", [c(1, 1, **{"example.com/aaa": "1"})], [[c(0, 0)]], []),
    ("extended resource capacity enforced", [c(1, 1, **{"example.com/aaa": "10"})], [[c(0, 0)]],
     ["Insufficient example.com/aaa"]),
    ("overhead counts", {"containers": [c(1, 1)], "overhead": {"cpu": "3m", "memory": "15"}}, [[c(5, 5)]],
     ["Insufficient memory"]),
    ("sidecar adds to the app containers",
     {"containers": [c(3, 1)], "init": [{**c(3, 1), "restartPolicy": "Always"}]}, [[c(5, 5)]],
     ["Insufficient cpu"]),
]


@pytest.mark.parametrize("name,want,used,reasons", ENOUGH_CASES, ids=[c[0] for c in ENOUGH_CASES])
def test_enough_requests(name, want, used, reasons):
    if isinstance(want, dict):
        p = pod(containers=want["containers"], init=want.get("init"), overhead=want.get("overhead"))
    else:
        p = pod(containers=want)
    ni = node_with(used, extra={"example.com/aaa": "5"})
    assert insufficient_resources(PodInfo(p), ni) == reasons


def test_too_many_pods():
    ni = node_with([[c()], [c()]], pods="2")
    assert insufficient_resources(PodInfo(pod()), ni) == ["Too many pods"]


def test_pod_requests_non_zero_defaults():
    p = pod(containers=[{"name": "a"}, c(250)])
    assert (pod_requests(p).milli_cpu, pod_requests(p).memory) == (250, 0)
    nz = pod_requests(p, non_missing=True)
    assert (nz.milli_cpu, nz.memory) == (350, 2 * 200 * 1024 * 1024)


# -- node affinity ----------------------------------------------------------------------------------
def expr(key, op, *values):
    return {"key": key, "operator": op, **({"values": list(values)} if values else {})}


AFFINITY_CASES = [
    ("no selector matches all", {}, {"a": "b"}, True),
    ("nodeSelector matches", {"nodeSelector": {"disktype": "ssd"}}, {"disktype": "ssd"}, True),
    ("nodeSelector mismatch", {"nodeSelector": {"disktype": "ssd"}}, {"disktype": "hdd"}, False),
    ("In", {"terms": [[expr("zone", "In", "a", "b")]]}, {"zone": "b"}, True),
    ("NotIn with missing label", {"terms": [[expr("zone", "NotIn", "a")]]}, {}, True),
    ("Exists", {"terms": [[expr("gpu", "Exists")]]}, {"gpu": ""}, True),
    ("DoesNotExist", {"terms": [[expr("gpu", "DoesNotExist")]]}, {"gpu": "x"}, False),
    ("Gt", {"terms": [[expr("cores", "Gt", "4")]]}, {"cores": "8"}, True),
    ("Gt not a number", {"terms": [[expr("cores", "Gt", "4")]]}, {"cores": "eight"}, False),
    ("Lt", {"terms": [[expr("cores", "Lt", "4")]]}, {"cores": "8"}, False),
    ("terms are ORed", {"terms": [[expr("a", "In", "x")], [expr("b", "In", "y")]]}, {"b": "y"}, True),
    ("expressions are ANDed", {"terms": [[expr("a", "In", "x"), expr("b", "In", "y")]]}, {"b": "y"}, False),
    ("an empty term matches nothing", {"terms": [[]]}, {"a": "x"}, False),
    ("selector AND affinity", {"nodeSelector": {"a": "x"}, "terms": [[expr("b", "Exists")]]}, {"a": "x"}, False),
]


@pytest.mark.parametrize("name,spec,labels,ok", AFFINITY_CASES, ids=[c[0] for c in AFFINITY_CASES])
def test_required_node_affinity(name, spec, labels, ok):
    s = {}
    if "nodeSelector" in spec:
        s["nodeSelector"] = spec["nodeSelector"]
    if "terms" in spec:
        s["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": t} if t else {} for t in spec["terms"]]}}}
    assert required_node_affinity_matches({"spec": s}, labels, "n1") is ok


def test_match_fields_on_node_name():
    s = {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}]}}}}
    assert required_node_affinity_matches({"spec": s}, {}, "n1")
    assert not required_node_affinity_matches({"spec": s}, {}, "n2")


# -- FitError.Error ---------------------------------------------------------------------------------
def test_fit_error_histogram_sorted_bytewise():
    d = Diagnosis(node_to_status={
        "a": Status(UNSCHEDULABLE, "Insufficient cpu"),
        "b": Status(UNSCHEDULABLE, "Insufficient cpu", "Insufficient memory"),
        "c": Status(UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) didn't match Pod's node affinity/selector"),
    })
    assert fit_error_message(3, d) == ("0/3 nodes are available: 1 Insufficient memory, 1 node(s) didn't match "
                                       "Pod's node affinity/selector, 2 Insufficient cpu.")


def test_fit_error_prefilter_message_replaces_histogram():
    d = Diagnosis(pre_filter_msg='persistentvolumeclaim "data" not found',
                  absent_nodes_status=Status(UNSCHEDULABLE_AND_UNRESOLVABLE, 'persistentvolumeclaim "data" not found'),
                  post_filter_msg="preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    assert fit_error_message(3, d) == ('0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: '
                                       '0/3 nodes are available: 3 Preemption is not helpful for scheduling..')


def test_fit_error_absent_nodes():
    d = Diagnosis(node_to_status={"a": Status(UNSCHEDULABLE, "Insufficient cpu")},
                  absent_nodes_status=Status(UNSCHEDULABLE_AND_UNRESOLVABLE,
                                             "node(s) didn't satisfy plugin(s) [NodeAffinity]"))
    assert fit_error_message(3, d) == ("0/3 nodes are available: 1 Insufficient cpu, "
                                       "2 node(s) didn't satisfy plugin(s) [NodeAffinity].")
