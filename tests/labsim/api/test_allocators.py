"""Service ClusterIP and NodePort allocation: deterministic per seed, conflicts reported with the
API server's texts, nothing leaked by failed, dry-run or deleted Services."""
import pytest

from labsim import Cluster
from labsim.api.registry import REGISTRY
from labsim.errors import StatusError
from labsim.kubectl.errors import format_error

SVC = REGISTRY.for_kind("", "Service")


def svc(name, type_="ClusterIP", **extra):
    ports = extra.pop("ports", [{"port": 80}])
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"type": type_, "ports": ports, **extra}}


def allocations(seed):
    c = Cluster(seed=seed)
    out = []
    for i in range(5):
        s = c.api.create(svc(f"s{i}", "NodePort"))
        out.append((s["spec"]["clusterIP"], s["spec"]["ports"][0]["nodePort"]))
    return out


def test_deterministic_with_the_seed_and_in_range():
    a = allocations(7)
    assert a == allocations(7)
    assert a != allocations(8)
    for ip, port in a:
        assert ip.startswith("10.43.") and ip not in ("10.43.0.1", "10.43.0.10")
        assert 30000 <= port <= 32767
    assert len({ip for ip, _ in a}) == 5 and len({p for _, p in a}) == 5


def test_the_kubernetes_service_keeps_10_43_0_1():
    c = Cluster()
    assert c.api.get(SVC, "default", "kubernetes")["spec"]["clusterIP"] == "10.43.0.1"


def test_requested_values_and_conflicts():
    c = Cluster()
    s = c.api.create(svc("a", "NodePort", clusterIP="10.43.100.100", ports=[{"port": 80, "nodePort": 30080}]))
    assert s["spec"]["clusterIPs"] == ["10.43.100.100"] and s["spec"]["ports"][0]["nodePort"] == 30080
    before = c.digest()
    with pytest.raises(StatusError) as e:
        c.api.create(svc("b", "NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    assert format_error(e.value) == ('The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
                                     'provided port is already allocated\n')
    with pytest.raises(StatusError) as e:
        c.api.create(svc("c", clusterIP="10.43.100.100"))
    assert format_error(e.value) == (
        'The Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.100.100"}: failed to allocate '
        'IP 10.43.100.100: provided IP is already allocated\n')
    with pytest.raises(StatusError) as e:
        c.api.create(svc("d", clusterIP="10.96.0.5"))
    assert format_error(e.value) == (
        'The Service "d" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP '
        '10.96.0.5: the provided IP (10.96.0.5) is not in the valid range. The range of valid IPs is 10.43.0.0/16\n')
    assert c.digest() == before


def test_release_on_delete_and_no_leak_on_failure():
    c = Cluster()
    c.api.create(svc("a", "NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    # a Service that fails validation after allocation leaves nothing behind
    with pytest.raises(StatusError):
        c.api.create(svc("Bad_Name", "NodePort", ports=[{"port": 81, "nodePort": 30081}]))
    c.api.create(svc("b", "NodePort", ports=[{"port": 81, "nodePort": 30081}]))
    # dry run allocates nothing either
    c.api.create(svc("dry", "NodePort", ports=[{"port": 82, "nodePort": 30082}]), dry_run=True)
    c.api.create(svc("c", "NodePort", ports=[{"port": 82, "nodePort": 30082}]))
    c.api.delete(SVC, "default", "a")
    again = c.api.create(svc("a2", "NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    assert again["spec"]["ports"][0]["nodePort"] == 30080


def test_tcp_and_udp_share_a_node_port():
    c = Cluster()
    s = c.api.create(svc("dns", "NodePort", ports=[{"name": "dns", "port": 53, "protocol": "UDP"},
                                                     {"name": "dns-tcp", "port": 53, "protocol": "TCP"}]))
    a, b = (p["nodePort"] for p in s["spec"]["ports"])
    assert a == b


def test_update_keeps_allocations_and_changing_ip_is_refused():
    c = Cluster()
    s = c.api.create(svc("web", "NodePort"))
    ip, port = s["spec"]["clusterIP"], s["spec"]["ports"][0]["nodePort"]
    # a PUT without the allocated values keeps them (PatchAllocatedValues)
    body = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
            "spec": {"type": "NodePort", "ports": [{"port": 80}], "selector": {"app": "web"}}}
    u = c.api.update(body)
    assert u["spec"]["clusterIP"] == ip and u["spec"]["ports"][0]["nodePort"] == port
    with pytest.raises(StatusError) as e:
        c.api.patch(SVC, "default", "web", {"spec": {"clusterIP": "10.43.200.200"}}, "merge")
    assert format_error(e.value) == ('The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: '
                                     '[]string{"10.43.200.200"}: may not change once set\n')
    # NodePort -> ClusterIP releases the node port for others
    c.api.patch(SVC, "default", "web", {"spec": {"type": "ClusterIP", "ports": [{"port": 80}]}}, "merge")
    c.api.create(svc("other", "NodePort", ports=[{"port": 80, "nodePort": port}]))


def test_external_name_gets_no_ip():
    c = Cluster()
    s = c.api.create(svc("ext", "ExternalName", ports=[], externalName="example.com"))
    assert "clusterIP" not in s["spec"] and "ipFamilies" not in s["spec"]
