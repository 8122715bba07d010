"""``kubectl expose``: the generated Service compared byte for byte with the real kubectl v1.32
client (``expose -f FILE --dry-run=client`` reads the object from the file, so the real client
needs only API discovery, served by a loopback stub here), the transcript's texts for objects read
from the server, and the Services it creates in the simulated cluster."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from labsim import Cluster

KUBECTL = "/usr/bin/kubectl"
KLOG = re.compile(r"^([EWI])\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ ", re.M)
_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


def _res(name, kind, short=()):
    return {"name": name, "singularName": kind.lower(), "namespaced": True, "kind": kind, "verbs": _VERBS,
            "shortNames": list(short)}


DISCOVERY = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
        {"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
         "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}]},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        _res("pods", "Pod", ["po"]), _res("services", "Service", ["svc"]),
        _res("replicationcontrollers", "ReplicationController", ["rc"]), _res("configmaps", "ConfigMap", ["cm"])]},
    "/apis/apps/v1": {"kind": "APIResourceList", "groupVersion": "apps/v1", "resources": [
        _res("deployments", "Deployment", ["deploy"]), _res("replicasets", "ReplicaSet", ["rs"])]},
    "/version": {"major": "1", "minor": "32", "gitVersion": "v1.32.4"},
}

FILES = {
    "pod.yaml": """apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
    tier: fe
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
""",
    "multi.yaml": """apiVersion: v1
kind: Pod
metadata:
  name: multi
  labels:
    app: multi
spec:
  containers:
  - name: a
    image: nginx
    ports:
    - containerPort: 80
    - containerPort: 53
      protocol: UDP
  - name: b
    image: nginx
    ports:
    - containerPort: 80
""",
    "nolabels.yaml": """apiVersion: v1
kind: Pod
metadata:
  name: bare
spec:
  containers:
  - name: a
    image: nginx
""",
    "deploy.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx
        ports:
        - containerPort: 8080
          name: http
""",
    "expr.yaml": """apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: rs1
spec:
  selector:
    matchLabels:
      app: x
    matchExpressions:
    - key: tier
      operator: In
      values: [a, b]
  template:
    metadata:
      labels:
        app: x
        tier: a
    spec:
      containers:
      - name: c
        image: nginx
""",
    "cm.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: conf
data:
  a: b
""",
    "svc.yaml": """apiVersion: v1
kind: Service
metadata:
  name: orig
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
  - port: 443
    protocol: TCP
""",
}

#: command lines run by both clients
CASES = [
    "expose -f pod.yaml --dry-run=client -o yaml",
    "expose -f pod.yaml --port=8080 --target-port=80 --dry-run=client -o yaml",
    "expose -f pod.yaml --port=80 --name=front --type=NodePort --dry-run=client -o json",
    "expose -f pod.yaml --port=80 --type=LoadBalancer --load-balancer-ip=1.2.3.4 --dry-run=client -o yaml",
    "expose -f pod.yaml --port=80 --selector=app=other --labels=x=y,z=w --dry-run=client -o yaml",
    "expose -f pod.yaml --port=80 --protocol=UDP --dry-run=client -o yaml",
    "expose -f pod.yaml --port=80 --session-affinity=ClientIP --dry-run=client -o yaml",
    "expose -f pod.yaml --port=80 --session-affinity=Sometimes --dry-run=client -o yaml",
    "expose -f pod.yaml --cluster-ip=None --dry-run=client -o yaml",
    "expose -f pod.yaml --external-ip=172.18.0.2 --dry-run=client -o yaml",
    "expose -f pod.yaml --port=80 --target-port=http --dry-run=client -o yaml",
    "expose -f pod.yaml --port=abc --dry-run=client -o yaml",
    "expose -f pod.yaml --port=80 --labels=bad --dry-run=client -o yaml",
    "expose -f pod.yaml --port=80 --selector== --dry-run=client -o yaml",
    "expose -f pod.yaml --dry-run=client",
    "expose -f pod.yaml --dry-run=client -o name",
    "expose -f pod.yaml -n other --dry-run=client -o yaml",
    "expose -f pod.yaml --record --dry-run=client -o yaml",
    "expose -f pod.yaml --dry-run=client -o jsonpath={.spec.ports[0].targetPort}",
    "expose -f pod.yaml --overrides={\"spec\":{\"type\":\"NodePort\"}} --dry-run=client -o yaml",
    "expose -f multi.yaml --dry-run=client -o yaml",
    "expose -f multi.yaml --protocol=TCP --dry-run=client -o yaml",
    "expose -f nolabels.yaml --port=80 --dry-run=client",
    "expose -f nolabels.yaml --port=80 --selector=a=b --dry-run=client -o yaml",
    "expose -f deploy.yaml --dry-run=client -o yaml",
    "expose -f deploy.yaml --port=80 --target-port=http --name=api-svc --dry-run=client -o yaml",
    "expose -f expr.yaml --port=80 --dry-run=client",
    "expose -f cm.yaml --port=80 --dry-run=client",
    "expose -f svc.yaml --name=copy --dry-run=client -o yaml",
    "expose -f pod.yaml --dry-run=bogus",
    "expose --dry-run=client",
]


class _Discovery(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        doc = DISCOVERY.get(self.path.split("?")[0])
        body = json.dumps(doc if doc is not None else {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                                       "reason": "NotFound", "code": 404}).encode()
        self.send_response(200 if doc is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("expose")
    for name, text in FILES.items():
        (d / name).write_text(text)
    return d


@pytest.fixture(scope="module")
def oracle(tmp_path_factory, workdir):
    if not shutil.which(KUBECTL) and not os.path.exists(KUBECTL):
        pytest.skip("no real kubectl")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Discovery)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    home = tmp_path_factory.mktemp("home")
    config = home / "config"
    config.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: stub\n"
        f"clusters:\n- name: stub\n  cluster:\n    server: http://127.0.0.1:{server.server_address[1]}\n"
        "contexts:\n- name: stub\n  context:\n    cluster: stub\n    user: stub\n"
        "users:\n- name: stub\n  user: {}\n")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "KUBECONFIG": str(config)}

    def run(cmd: str) -> tuple[str, str, int]:
        p = subprocess.run([KUBECTL, *shlex.split(cmd)], capture_output=True, text=True, env=env, timeout=30,
                           cwd=workdir)
        return p.stdout, KLOG.sub(r"\1", p.stderr), p.returncode

    yield run
    server.shutdown()


@pytest.fixture(scope="module")
def sim(workdir):
    return Cluster(workdir=str(workdir))


def _normalize_change_cause(text: str) -> str:
    # --record writes the command line; the real one names the binary by its path
    return text.replace("/usr/bin/kubectl ", "kubectl ")


@pytest.mark.parametrize("cmd", CASES)
def test_expose_matches_real_kubectl(oracle, sim, cmd):
    want_out, want_err, want_rc = oracle(cmd)
    got = sim.kubectl(shlex.split(cmd))
    assert (_normalize_change_cause(got.stdout), KLOG.sub(r"\1", got.stderr), got.exit_code) == \
        (_normalize_change_cause(want_out), want_err, want_rc)


# -- objects read from the server (texts from transcripts/verbs3.txt) ---------------------------------

@pytest.fixture
def cluster():
    c = Cluster()
    c.kubectl("create deployment web --image=nginx --port=80")
    c.kubectl("run db --image=mongo")
    return c


def test_expose_deployment_dry_run_yaml(cluster):
    r = cluster.kubectl("expose deployment web --port=80 --dry-run=client -o yaml")
    assert r.stdout == """apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
status:
  loadBalancer: {}
"""
    assert cluster.kubectl("get svc web").exit_code == 1


def test_expose_pod_and_the_created_service(cluster):
    r = cluster.kubectl("expose pod db --port=27017")
    assert (r.stdout, r.stderr, r.exit_code) == ("service/db exposed\n", "", 0)
    svc = cluster.kubectl("get svc db -o json")
    spec = json.loads(svc.stdout)["spec"]
    assert spec["selector"] == {"run": "db"}
    assert spec["ports"] == [{"port": 27017, "protocol": "TCP", "targetPort": 27017}]
    assert spec["type"] == "ClusterIP" and spec["clusterIP"].startswith("10.43.")
    assert json.loads(svc.stdout)["metadata"]["labels"] == {"run": "db"}


def test_expose_rs_nodeport_with_name_and_target_port(cluster):
    cluster.apply(FILES["deploy.yaml"].replace("Deployment", "ReplicaSet").replace("name: api\n", "name: go-demo-2\n", 1))
    r = cluster.kubectl("expose rs go-demo-2 --name=go-demo-2-svc --target-port=28017 --type=NodePort")
    assert (r.stdout, r.exit_code) == ("service/go-demo-2-svc exposed\n", 0)
    port = json.loads(cluster.kubectl("get svc go-demo-2-svc -o json").stdout)["spec"]["ports"][0]
    assert port["port"] == 8080 and port["targetPort"] == 28017 and 30000 <= port["nodePort"] <= 32767


def test_expose_errors(cluster):
    cases = {
        "expose deployment nope --port=80": 'Error from server (NotFound): deployments.apps "nope" not found\n',
        "expose deploy/web pod/nope --port=80 --dry-run=client -o name":
            'Error from server (NotFound): pods "nope" not found\n',
        "expose": "error: You must provide one or more resources by argument or filename.\n"
                  "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                  "   '<resource> <name>'\n   '<resource>'\n",
        "expose pod": "error: resource(s) were provided, but no name was specified\n",
        "expose cm kube-root-ca.crt --port=80": "error: cannot expose a ConfigMap\n",
        "expose deployment web --port=80 --name=web-x --type=Foo":
            'The Service "web-x" is invalid: spec.type: Unsupported value: "Foo": supported values: '
            '"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"\n',
    }
    for cmd, err in cases.items():
        r = cluster.kubectl(cmd)
        assert (r.stderr, r.exit_code) == (err, 1), cmd
    assert "web-x" not in cluster.kubectl("get svc").stdout
    cluster.kubectl("run bare --image=nginx --labels=")
    r = cluster.kubectl("expose deploy web --port=80")
    assert r.stdout == "service/web exposed\n"
    r = cluster.kubectl("expose deploy web --port=80")
    assert (r.stderr, r.exit_code) == ('Error from server (AlreadyExists): services "web" already exists\n', 1)


def test_expose_several_objects_keeps_what_the_first_one_gave(cluster):
    # upstream fills the options once: the second Service gets the first one's selector and port
    r = cluster.kubectl("expose deploy/web pod/db --dry-run=client -o yaml")
    assert r.exit_code == 0
    docs = r.stdout.split("---\n")
    assert len(docs) == 2
    assert "name: db" in docs[1] and "app: web" in docs[1] and "port: 80\n" in docs[1]


def test_run_expose_uses_the_same_generator():
    c = Cluster()
    r = c.kubectl("run web2 --image=nginx --expose --port=80 --dry-run=client -o yaml")
    assert r.stdout.split("---\n")[0] == """apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  name: web2
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    run: web2
status:
  loadBalancer: {}
"""


def test_expose_server_dry_run_creates_nothing(cluster):
    r = cluster.kubectl("expose deploy web --port=80 --dry-run=server")
    assert (r.stdout, r.exit_code) == ("service/web exposed (server dry run)\n", 0)
    assert cluster.kubectl("get svc web").exit_code == 1
