"""kubectl cordon / uncordon / taint: outputs and error texts (compared with the real kubectl v1.32
for the client-side errors) and their effect on the node and on scheduling."""
from __future__ import annotations

import pytest

from labsim import Cluster


@pytest.fixture
def c():
    return Cluster(nodes=3, tainted_server=True)


def run(c, cmd):
    r = c.kubectl(cmd)
    return r.stdout, r.stderr, r.exit_code


def taints(c, name):
    return c.api.get(c.api.registry.for_kind("", "Node"), None, name)["spec"].get("taints")


A0, A1, S0 = "k3d-kubelabs-agent-0", "k3d-kubelabs-agent-1", "k3d-kubelabs-server-0"
CP = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def test_cordon_uncordon(c):
    assert run(c, f"cordon {A0}") == (f"node/{A0} cordoned\n", "", 0)
    assert run(c, f"cordon {A0}") == (f"node/{A0} already cordoned\n", "", 0)
    c.advance(1)
    assert taints(c, A0) == [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
    assert str(c.kubectl("get nodes")).splitlines()[1].split()[:2] == [A0, "Ready,SchedulingDisabled"]
    assert run(c, f"uncordon {A0}") == (f"node/{A0} uncordoned\n", "", 0)
    assert run(c, f"uncordon {A0}") == (f"node/{A0} already uncordoned\n", "", 0)
    c.advance(1)
    assert taints(c, A0) is None
    assert run(c, f"cordon {A0} --dry-run=client") == (f"node/{A0} cordoned (dry run)\n", "", 0)


def test_cordon_selector_and_errors(c):
    assert run(c, "cordon -l node-role.kubernetes.io/control-plane=true") == (f"node/{S0} cordoned\n", "", 0)
    assert run(c, "cordon") == ("", "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and "
                                    "examples\n", 1)
    assert run(c, "uncordon") == ("", "error: USAGE: uncordon NODE [flags]\nSee 'kubectl uncordon -h' for help "
                                      "and examples\n", 1)
    assert run(c, f"cordon {A0} -l a=b") == ("", "error: cannot specify both a node name and a --selector option\n"
                                                 "See 'kubectl cordon -h' for help and examples\n", 1)
    assert run(c, "cordon nope") == ("", 'Error from server (NotFound): nodes "nope" not found\n', 1)


def test_cordon_blocks_scheduling(c):
    for n in (A0, A1):
        c.kubectl(f"cordon {n}")
    c.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: c, image: nginx}]\n")
    c.advance(1)
    d = str(c.kubectl("describe pod web"))
    assert ("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
            "2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for "
            "scheduling..") in d
    c.kubectl(f"uncordon {A1}")
    c.advance(2)
    assert str(c.kubectl("get pod web -o wide")).splitlines()[1].split()[6] == A1


def test_taint_add_overwrite_remove(c):
    assert run(c, f"taint nodes {S0} dedicated=special-user:NoSchedule") == (f"node/{S0} tainted\n", "", 0)
    # new taints come first (reorganizeTaints)
    assert taints(c, S0) == [{"key": "dedicated", "value": "special-user", "effect": "NoSchedule"}, CP]
    assert run(c, f"taint nodes {S0} dedicated=other:NoSchedule") == (
        "", f"error: node {S0} already has dedicated taint(s) with same effect(s) and --overwrite is false\n", 1)
    assert run(c, f"taint nodes {S0} dedicated=other:NoSchedule --overwrite") == (f"node/{S0} modified\n", "", 0)
    assert taints(c, S0)[0] == {"key": "dedicated", "value": "other", "effect": "NoSchedule"}
    assert run(c, f"taint nodes {S0} dedicated:NoSchedule-") == (f"node/{S0} untainted\n", "", 0)
    assert run(c, f"taint nodes {S0} dedicated:NoSchedule-") == (
        "", 'error: taint "dedicated:NoSchedule" not found\n', 1)
    assert run(c, f"taint node {S0} node-role.kubernetes.io/control-plane-") == (f"node/{S0} untainted\n", "", 0)
    assert taints(c, S0) is None
    assert run(c, f"taint nodes {A0} bar:NoExecute") == (f"node/{A0} tainted\n", "", 0)
    assert taints(c, A0) == [{"key": "bar", "effect": "NoExecute"}]


def test_taint_all(c):
    out, err, rc = run(c, "taint nodes --all team=a:PreferNoSchedule")
    assert (out, rc) == (f"node/{A0} tainted\nnode/{A1} tainted\nnode/{S0} tainted\n", 0)


@pytest.mark.parametrize("cmd,err", [
    ("taint nodes foo", "error: at least one taint update is required\n"),
    ("taint", "error: one or more resources must be specified as <resource> <name>\n"),
    ("taint nodes foo a=b:Bad", "error: invalid taint effect: Bad, unsupported taint effect\n"
                                "See 'kubectl taint -h' for help and examples\n"),
    ("taint nodes foo a=b", "error: invalid taint spec: a=b, name part must consist of alphanumeric characters, "
                            "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',"
                            "  or 'my.name',  or '123-abc', regex used for validation is "
                            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\nSee 'kubectl taint -h' for help and examples\n"),
    ("taint nodes foo a=b:NoSchedule a=c:NoSchedule",
     "error: duplicated taints with the same key and effect: {a c NoSchedule <nil>}\n"
     "See 'kubectl taint -h' for help and examples\n"),
    ("taint nodes foo a:NoSchedule x", "error: all resources must be specified before taint changes: x\n"),
    ("taint nodes foo a=b=c:NoSchedule", "error: invalid taint spec: a=b=c:NoSchedule\n"
                                         "See 'kubectl taint -h' for help and examples\n"),
    ("taint pods x a:NoSchedule", "error: invalid resource type pods, only node types are supported\n"),
    ("taint nodes a=b:NoSchedule",
     "error: at least one resource name must be specified since 'all' parameter is not set\n"),
    ("taint nodes --all -l a=b x=y:NoSchedule",
     "error: setting 'all' parameter with a non empty selector is prohibited\n"),
    ("taint nodes foo a=b:NoSchedule a:NoSchedule-",
     'error: can not both modify and remove the following taint(s) in the same command: {"a":"NoSchedule"}\n'),
    ("taint nodes nope a=b:NoSchedule", 'Error from server (NotFound): nodes "nope" not found\n'),
])
def test_taint_errors(c, cmd, err):
    before = c.digest()
    assert run(c, cmd) == ("", err, 1)
    assert c.digest() == before


def test_toleration_lets_pod_onto_tainted_server(c):
    c.kubectl(f"cordon {A0}")
    c.kubectl(f"cordon {A1}")
    c.apply("""apiVersion: v1
kind: Pod
metadata: {name: cp}
spec:
  tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
  containers: [{name: c, image: nginx}]
""")
    c.advance(1)
    assert c.api.get(c.api.registry.for_kind("", "Pod"), "default", "cp")["spec"]["nodeName"] == S0
