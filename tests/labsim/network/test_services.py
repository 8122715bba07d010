"""Service routing and cluster DNS: what ``curl``/``wget``/``nslookup`` in a pod see."""
from __future__ import annotations

import json
import pytest

from labsim import Cluster

WEB = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
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


def _pod(name, labels="app: web", image="nginx", extra=""):
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels:
    {labels}
spec:
{extra}  containers:
  - name: c
    image: {image}
"""


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(seed=7)
    for n in ("web-1", "web-2", "web-3"):
        c.apply(_pod(n))
    c.apply(_pod("client", labels="role: client", image="busybox").replace(
        "    image: busybox\n", "    image: busybox\n    command: [sleep, '3600']\n"))
    c.kubectl("expose pod web-1 --port=80 --name=web --selector=app=web")
    c.kubectl("create service clusterip empty --tcp=80:80")
    c.advance("20s")
    return c


def _ip(c, kind, name, path):
    obj = json.loads(c.kubectl(f"get {kind} {name} -o json").stdout)
    for p in path:
        obj = obj[p]
    return obj


def test_curl_through_the_service_reaches_a_ready_pod_and_its_access_log(cluster):
    r = cluster.kubectl("exec web-1 -- curl -s web")
    assert r.exit_code == 0 and "<h1>Welcome to nginx!</h1>" in r.stdout
    r = cluster.kubectl("exec client -- wget -qO- http://web.default.svc.cluster.local/")
    assert r.exit_code == 0 and "Welcome to nginx!" in r.stdout
    client_ip = _ip(cluster, "pod", "client", ["status", "podIP"])
    logs = "".join(cluster.kubectl(f"logs web-{i}").stdout for i in (1, 2, 3))
    assert f'{client_ip} - - [' in logs and '"GET / HTTP/1.1" 200 615' in logs


def test_connections_spread_randomly_and_reproducibly_over_the_endpoints():
    def spread(seed):
        c = Cluster(seed=seed)
        for n in ("web-1", "web-2", "web-3"):
            c.apply(_pod(n))
        c.kubectl("expose pod web-1 --port=80 --name=web --selector=app=web")
        c.advance("15s")
        for _ in range(30):
            c.kubectl("exec web-1 -- curl -s web")
        return [c.kubectl(f"logs web-{i}").stdout.count('"GET / HTTP/1.1"') for i in (1, 2, 3)]

    first = spread(11)
    assert sum(first) == 30 and all(n > 0 for n in first)
    assert spread(11) == first


def test_a_service_without_ready_endpoints_rejects_at_once(cluster):
    r = cluster.kubectl("exec web-1 -- curl -s empty")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "command terminated with exit code 7\n", 7)
    r = cluster.kubectl("exec web-1 -- curl -sS empty")
    assert r.stdout == "curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\n" or \
        r.stderr.startswith("curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\n")
    ip = _ip(cluster, "svc", "empty", ["spec", "clusterIP"])
    r = cluster.kubectl("exec client -- wget -qO- empty")
    assert r.stderr == f"wget: can't connect to remote host ({ip}): Connection refused\ncommand terminated with exit code 1\n"


def test_a_port_the_service_does_not_have_times_out(cluster):
    r = cluster.kubectl("exec web-1 -- curl -s -m 2 web:81")
    assert r.exit_code == 28


def test_nslookup_answers_the_cluster_ip(cluster):
    ip = _ip(cluster, "svc", "web", ["spec", "clusterIP"])
    r = cluster.kubectl("exec client -- nslookup web")
    assert "Name:\tweb.default.svc.cluster.local\nAddress: " + ip + "\n" in r.stdout
    assert r.stdout.startswith("Server:\t\t10.43.0.10\nAddress:\t10.43.0.10:53\n")


def test_dns_names_and_search_path(cluster):
    net = cluster.network
    client = json.loads(cluster.kubectl("get pod client -o json").stdout)
    web_ip = _ip(cluster, "svc", "web", ["spec", "clusterIP"])
    for name in ("web", "web.default", "web.default.svc", "web.default.svc.cluster.local",
                 "web.default.svc.cluster.local.", "WEB"):
        assert net.resolve(client, name) == [web_ip], name
    assert net.resolve(client, "kubernetes.default") == ["10.43.0.1"]
    assert net.resolve(client, "kubernetes") == ["10.43.0.1"]
    assert net.resolve(client, "web.") == []  # absolute: no search path
    assert net.resolve(client, "nosuch") == []
    assert net.resolve(client, "web.other") == []
    assert net.resolve(client, "10-42-0-9.default.pod.cluster.local") == ["10.42.0.9"]
    assert net.resolve(client, "k3d-kubelabs-server-0") == ["172.18.0.2"]
    assert net.resolve(client, "10.1.2.3") == ["10.1.2.3"]
    assert net.resolve(client, "example.com") == []


def test_headless_service_resolves_to_ready_pod_ips_and_hostnames():
    c = Cluster(seed=8)
    sub = "  hostname: h{n}\n  subdomain: db\n"
    for n in (1, 2):
        c.apply(_pod(f"db-{n}", labels="app: db", extra=sub.format(n=n)))
    c.apply("""apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: alias
spec:
  type: ExternalName
  externalName: db.default.svc.cluster.local
""")
    c.advance("15s")
    ips = sorted(_ip(c, "pod", f"db-{n}", ["status", "podIP"]) for n in (1, 2))
    assert sorted(c.network.resolve(None, "db")) == ips
    assert c.network.resolve(None, "h1.db") == [_ip(c, "pod", "db-1", ["status", "podIP"])]
    assert sorted(c.network.resolve(None, "alias")) == ips
    r = c.kubectl("exec db-1 -- curl -s db")
    assert r.exit_code == 0 and "Welcome to nginx!" in r.stdout


def test_node_port_on_any_node_and_session_affinity():
    c = Cluster(seed=9, nodes=2)
    for n in ("web-1", "web-2", "web-3"):
        c.apply(_pod(n))
    c.kubectl("expose pod web-1 --port=80 --name=web --selector=app=web --type=NodePort --session-affinity=ClientIP")
    c.advance("20s")
    node_port = _ip(c, "svc", "web", ["spec", "ports"])[0]["nodePort"]
    for node_ip in ("172.18.0.2", "172.18.0.3"):
        r = c.kubectl(f"exec web-1 -- curl -s {node_ip}:{node_port}")
        assert r.exit_code == 0 and "Welcome to nginx!" in r.stdout
    r = c.kubectl(f"exec web-1 -- curl -s 172.18.0.2:{node_port + 1 if node_port < 32767 else node_port - 1}")
    assert r.exit_code == 7
    def counts():
        return [c.kubectl(f"logs web-{i}").stdout.count('"GET / HTTP/1.1"') for i in (1, 2, 3)]

    before = counts()
    for _ in range(8):
        c.kubectl("exec web-2 -- curl -s web")
    delta = sorted(a - b for a, b in zip(counts(), before))
    # ClientIP affinity: every connection from web-2 lands on the same endpoint
    assert delta == [0, 0, 8]


def test_hairpin_and_probe_paths_are_unchanged(cluster):
    # a pod reaching itself through its Service is masqueraded to its node's bridge address
    ip = _ip(cluster, "pod", "web-2", ["status", "podIP"])
    before = cluster.kubectl("logs web-2").stdout
    for _ in range(12):
        cluster.kubectl("exec web-2 -- curl -s web")
    new = cluster.kubectl("logs web-2").stdout[len(before):]
    assert ip + " - - [" not in new
    assert "10.42.0.1 - - [" in new
