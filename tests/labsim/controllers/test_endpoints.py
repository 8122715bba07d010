"""Endpoints and EndpointSlice controllers: what ``kubectl get ep``/``endpointslices`` and the
objects show as pods come, become Ready or not, terminate and go; upstream's RepackSubsets cases."""
from __future__ import annotations

import json

import pytest

from labsim import Cluster
from labsim.controllers.endpoints import find_port, repack_subsets, should_pod_be_in_endpoints

READY_POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - name: http
      containerPort: 80
    readinessProbe:
      httpGet:
        path: /ready.html
        port: 80
      periodSeconds: 2
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    team: a
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
"""


def _get(c, what):
    return json.loads(c.kubectl(f"get {what} -o json").stdout)


def _rows(c, cmd):
    return [line.split() for line in c.kubectl(cmd).stdout.splitlines()[1:]]


@pytest.fixture
def cluster():
    c = Cluster(seed=1)
    c.apply(SERVICE)
    c.apply(READY_POD.format(name="web-1"))
    c.apply(READY_POD.format(name="web-2"))
    c.advance("10s")
    return c


def _pod_ip(c, name):
    return _get(c, f"pod {name}")["status"]["podIP"]


def test_not_ready_pods_are_not_ready_addresses_and_get_ep_shows_an_empty_cell(cluster):
    ep = _get(cluster, "ep web")
    assert ep["metadata"]["labels"] == {"team": "a"}
    (subset,) = ep["subsets"]
    assert "addresses" not in subset
    ips = sorted(_pod_ip(cluster, n) for n in ("web-1", "web-2"))
    assert [a["ip"] for a in subset["notReadyAddresses"]] == ips
    assert subset["ports"] == [{"port": 80, "protocol": "TCP"}]
    a = subset["notReadyAddresses"][0]
    assert a["nodeName"] == "k3d-kubelabs-server-0"
    assert a["targetRef"]["kind"] == "Pod" and set(a["targetRef"]) == {"kind", "name", "namespace", "uid"}
    out = cluster.kubectl("get ep web").stdout.splitlines()
    assert out[0] == "NAME   ENDPOINTS   AGE"
    assert out[1].split() == ["web", "10s"] and out[1].startswith("web              ")
    # the slice says the same with conditions
    (sl,) = [s for s in _get(cluster, "endpointslices")["items"]
             if s["metadata"]["labels"]["kubernetes.io/service-name"] == "web"]
    assert sl["metadata"]["name"].startswith("web-") and len(sl["metadata"]["name"]) == 9
    assert sl["metadata"]["labels"] == {"team": "a", "kubernetes.io/service-name": "web",
                                        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    assert sl["metadata"]["generateName"] == "web-"
    assert sl["metadata"]["ownerReferences"][0]["kind"] == "Service"
    assert sl["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}]
    assert [e["conditions"] for e in sl["endpoints"]] == [{"ready": False, "serving": False, "terminating": False}] * 2


def test_readiness_moves_addresses_within_the_same_instant(cluster):
    cluster.kubectl(["exec", "web-1", "--", "sh", "-c", "echo ok > /usr/share/nginx/html/ready.html"])
    slice_name = _get(cluster, "endpointslices")["items"][-1]["metadata"]["name"]
    cluster.advance("3s")
    ip1, ip2 = _pod_ip(cluster, "web-1"), _pod_ip(cluster, "web-2")
    (subset,) = _get(cluster, "ep web")["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == [ip1]
    assert [a["ip"] for a in subset["notReadyAddresses"]] == [ip2]
    assert _rows(cluster, "get ep web")[0][:2] == ["web", f"{ip1}:80"]
    rows = {r[0]: r for r in _rows(cluster, "get endpointslices")}
    assert rows[slice_name][1:4] == ["IPv4", "80", f"{ip1},{ip2}"] or rows[slice_name][1:4] == ["IPv4", "80", f"{ip2},{ip1}"]
    # the Endpoints' trigger time is the Ready transition of web-1
    pod = _get(cluster, "pod web-1")
    ready = [c for c in pod["status"]["conditions"] if c["type"] == "Ready"][0]
    assert _get(cluster, "ep web")["metadata"]["annotations"] == {
        "endpoints.kubernetes.io/last-change-trigger-time": ready["lastTransitionTime"]}
    # readiness lost again: back to notReadyAddresses
    cluster.kubectl(["exec", "web-1", "--", "rm", "/usr/share/nginx/html/ready.html"])
    cluster.advance("10s")
    (subset,) = _get(cluster, "ep web")["subsets"]
    assert "addresses" not in subset and len(subset["notReadyAddresses"]) == 2


def test_terminating_pods_leave_endpoints_but_stay_in_slices_until_gone(cluster):
    cluster.kubectl(["exec", "web-1", "--", "sh", "-c", "echo ok > /usr/share/nginx/html/ready.html"])
    cluster.advance("3s")
    cluster.kubectl("delete pod web-1 --wait=false")
    cluster.settle()
    ep = _get(cluster, "ep web")
    ip1 = _pod_ip(cluster, "web-1")
    assert ip1 not in json.dumps(ep)
    sl = _get(cluster, "endpointslices")["items"][-1]
    (e1,) = [e for e in sl["endpoints"] if e["addresses"] == [ip1]]
    assert e1["conditions"]["terminating"] is True and e1["conditions"]["ready"] is False
    cluster.advance("40s")
    sl = _get(cluster, "endpointslices")["items"][-1]
    assert [e["targetRef"]["name"] for e in sl["endpoints"]] == ["web-2"]


def test_placeholder_slice_keeps_its_name_and_service_deletion_cleans_up():
    c = Cluster(seed=2)
    c.apply(SERVICE)
    c.settle()
    rows = _rows(c, "get endpointslices")
    assert len(rows) == 1 and rows[0][1:4] == ["IPv4", "<unset>", "<unset>"]
    name = rows[0][0]
    assert _rows(c, "get ep web")[0][:2] == ["web", "<none>"]
    c.apply(READY_POD.format(name="web-1"))
    c.advance("10s")
    rows = _rows(c, "get endpointslices")
    assert [r[0] for r in rows] == [name] and rows[0][2] == "80"
    c.kubectl("delete pod web-1 --now")
    c.advance("5s")
    rows = _rows(c, "get endpointslices")
    assert [r[0] for r in rows] == [name] and rows[0][1:4] == ["IPv4", "<unset>", "<unset>"]
    c.kubectl("delete svc web")
    c.settle()
    assert c.kubectl("get ep web").stderr == 'Error from server (NotFound): endpoints "web" not found\n'
    assert _rows(c, "get endpointslices") == []


def test_selectorless_service_keeps_user_endpoints_and_gets_a_mirrored_slice():
    c = Cluster(seed=3)
    c.apply("""apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  ports:
  - name: mysql
    port: 3306
---
apiVersion: v1
kind: Endpoints
metadata:
  name: ext
subsets:
- addresses:
  - ip: 192.168.1.10
  ports:
  - name: mysql
    port: 3306
""")
    c.advance("5s")
    assert _rows(c, "get ep ext")[0][:2] == ["ext", "192.168.1.10:3306"]
    (sl,) = [s for s in _get(c, "endpointslices")["items"] if s["metadata"]["labels"].get("kubernetes.io/service-name") == "ext"]
    assert sl["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] == "endpointslicemirroring-controller.k8s.io"
    assert sl["endpoints"] == [{"addresses": ["192.168.1.10"], "conditions": {"ready": True}}]
    assert sl["ports"] == [{"name": "mysql", "port": 3306, "protocol": "TCP"}]
    # the kubernetes Service's endpoints are the API server's and not mirrored (skip-mirror)
    assert _rows(c, "get ep kubernetes")[0][:2] == ["kubernetes", "172.18.0.2:6443"]
    assert not [s for s in _get(c, "endpointslices")["items"]
                if s["metadata"]["labels"].get("kubernetes.io/service-name") == "kubernetes"]


def test_named_target_port_is_resolved_per_pod_and_pods_without_it_are_skipped():
    c = Cluster(seed=4)
    c.apply(SERVICE)
    c.apply("""apiVersion: v1
kind: Pod
metadata:
  name: alt
  labels:
    app: web
spec:
  containers:
  - name: httpd
    image: httpd
    ports:
    - name: http
      containerPort: 8080
---
apiVersion: v1
kind: Pod
metadata:
  name: noport
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx
""")
    c.advance("20s")
    (subset,) = _get(c, "ep web")["subsets"]
    assert [a["targetRef"]["name"] for a in subset["addresses"]] == ["alt"]
    assert subset["ports"] == [{"port": 8080, "protocol": "TCP"}]
    slices = _get(c, "endpointslices")["items"]
    mine = [s for s in slices if s["metadata"]["labels"].get("kubernetes.io/service-name") == "web"]
    by_ports = {json.dumps(s.get("ports")): [e["targetRef"]["name"] for e in s["endpoints"]] for s in mine}
    assert by_ports == {json.dumps([{"name": "", "port": 8080, "protocol": "TCP"}]): ["alt"], "null": ["noport"]}


def test_publish_not_ready_addresses_and_headless_label():
    c = Cluster(seed=5)
    c.apply(SERVICE.replace("spec:\n", "spec:\n  clusterIP: None\n  publishNotReadyAddresses: true\n"))
    c.apply(READY_POD.format(name="web-1"))
    c.advance("10s")
    ep = _get(c, "ep web")
    assert ep["metadata"]["labels"] == {"team": "a", "service.kubernetes.io/headless": ""}
    assert [a["targetRef"]["name"] for a in ep["subsets"][0]["addresses"]] == ["web-1"]
    sl = _get(c, "endpointslices")["items"][-1]
    assert sl["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
    assert sl["endpoints"][0]["conditions"] == {"ready": True, "serving": False, "terminating": False}


def test_completed_pods_are_dropped():
    c = Cluster(seed=6)
    c.apply(SERVICE.replace("targetPort: http", "targetPort: 80"))
    c.kubectl("run job --image=busybox --labels=app=web --restart=Never -- true")
    c.advance("15s")
    assert _get(c, "pod job")["status"]["phase"] == "Succeeded"
    assert "subsets" not in _get(c, "ep web")


# -- unit rules --------------------------------------------------------------------------------------

def _addr(ip, uid=""):
    return {"ip": ip, "targetRef": {"kind": "Pod", "uid": uid}} if uid else {"ip": ip}


def _port(name, port):
    return {"name": name, "port": port, "protocol": "TCP"}


def test_repack_subsets_upstream_cases():
    # ported from kubernetes: pkg/api/v1/endpoints/util_test.go TestPackSubsets (order-independent parts)
    assert repack_subsets([]) == []
    assert repack_subsets([{"addresses": [_addr("1.2.3.4")], "ports": []}]) == [{"addresses": [_addr("1.2.3.4")]}]
    assert repack_subsets([{"addresses": [_addr("1.2.3.4")], "ports": [_port("", 111)]}]) == \
        [{"addresses": [_addr("1.2.3.4")], "ports": [_port("", 111)]}]
    # one address, two ports in separate subsets -> one subset with both ports
    (ss,) = repack_subsets([{"addresses": [_addr("1.2.3.4")], "ports": [_port("a", 111)]},
                            {"addresses": [_addr("1.2.3.4")], "ports": [_port("b", 222)]}])
    assert ss["addresses"] == [_addr("1.2.3.4")] and sorted(p["port"] for p in ss["ports"]) == [111, 222]
    # two addresses on one port, sorted by IP
    assert repack_subsets([{"addresses": [_addr("5.6.7.8")], "ports": [_port("", 111)]},
                           {"addresses": [_addr("1.2.3.4")], "ports": [_port("", 111)]}]) == \
        [{"addresses": [_addr("1.2.3.4"), _addr("5.6.7.8")], "ports": [_port("", 111)]}]
    # the same IP from two pods (UIDs) stays two addresses
    (ss,) = repack_subsets([{"addresses": [_addr("1.2.3.4", "b")], "ports": [_port("", 111)]},
                            {"addresses": [_addr("1.2.3.4", "a")], "ports": [_port("", 111)]}])
    assert [a["targetRef"]["uid"] for a in ss["addresses"]] == ["a", "b"]
    # ready wins over not ready for the same address and port
    assert repack_subsets([{"notReadyAddresses": [_addr("1.2.3.4")], "ports": [_port("", 111)]},
                           {"addresses": [_addr("1.2.3.4")], "ports": [_port("", 111)]}]) == \
        [{"addresses": [_addr("1.2.3.4")], "ports": [_port("", 111)]}]
    # different port sets -> separate subsets
    out = repack_subsets([{"addresses": [_addr("1.2.3.4")], "ports": [_port("", 111)]},
                          {"addresses": [_addr("5.6.7.8")], "ports": [_port("", 222)]}])
    assert sorted((s["addresses"][0]["ip"], s["ports"][0]["port"]) for s in out) == [("1.2.3.4", 111), ("5.6.7.8", 222)]


def test_find_port_and_should_pod_be_in_endpoints():
    pod = {"metadata": {"uid": "u"}, "spec": {"containers": [{"ports": [
        {"name": "http", "containerPort": 8080, "protocol": "TCP"}, {"name": "dns", "containerPort": 53, "protocol": "UDP"}]}],
        "initContainers": [{"restartPolicy": "Always", "ports": [{"name": "side", "containerPort": 9000}]},
                           {"ports": [{"name": "init", "containerPort": 9001}]}]},
        "status": {"podIP": "10.42.0.5", "phase": "Running"}}
    assert find_port(pod, {"targetPort": 81}) == 81
    assert find_port(pod, {"targetPort": "http", "protocol": "TCP"}) == 8080
    assert find_port(pod, {"targetPort": "dns", "protocol": "TCP"}) is None
    assert find_port(pod, {"targetPort": "dns", "protocol": "UDP"}) == 53
    assert find_port(pod, {"targetPort": "side", "protocol": "TCP"}) == 9000
    assert find_port(pod, {"targetPort": "init", "protocol": "TCP"}) is None
    assert should_pod_be_in_endpoints(pod, False)
    assert not should_pod_be_in_endpoints({**pod, "status": {"phase": "Running"}}, True)
    assert not should_pod_be_in_endpoints({**pod, "status": {"podIP": "1.1.1.1", "phase": "Failed"}}, True)
    terminating = {**pod, "metadata": {"deletionTimestamp": "2026-11-24T09:00:00Z"}}
    assert not should_pod_be_in_endpoints(terminating, False) and should_pod_be_in_endpoints(terminating, True)
