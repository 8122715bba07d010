"""``kubectl run``: the generated objects and the flag/argument errors compared byte for byte with
the real kubectl v1.32 client, then the server side in the simulated cluster (created pods,
``--expose``, AlreadyExists, ``--dry-run=server``, ``--record``, attaching with ``--rm``).

The real ``kubectl run`` needs API discovery even for ``--dry-run=client`` (it looks up the REST
mapping of Pod and Service), so the comparison serves it a minimal discovery document from a
loopback HTTP server started by this test (klog timestamps and pids are masked)."""
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
DISCOVERY = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod", "verbs": _VERBS,
         "shortNames": ["po"], "categories": ["all"]},
        {"name": "services", "singularName": "service", "namespaced": True, "kind": "Service", "verbs": _VERBS,
         "shortNames": ["svc"], "categories": ["all"]}]},
    "/version": {"major": "1", "minor": "32", "gitVersion": "v1.32.4"},
}

#: command lines run by both clients
CASES = [
    "run db --image=mongo --dry-run=client -o yaml",
    "run db --image=mongo --dry-run=client -o json",
    "run db --image mongo --dry-run=client",
    "run db --image mongo --dry-run=client -o name",
    "run web --image=nginx --port=80 --labels=app=web,tier=fe --env=A=1 --env=B=2 --restart=Never --dry-run=client -o yaml",
    "run web --image=nginx --port=80 --labels=app=web,tier=fe --env=A=1 --env=B=2 --restart=Never --dry-run=client -o json",
    "run bb --image=busybox --restart=OnFailure --dry-run=client -o yaml -- sleep 3600",
    "run bb --image=busybox --restart=OnFailure --dry-run=client -o json -- sleep 3600",
    "run bb --image=busybox --command --dry-run=client -o yaml -- sh -c 'echo hi'",
    "run bb --image=busybox --command --dry-run=client -o json -- sh -c 'echo hi'",
    "run web --image=nginx --expose --port=80 --dry-run=client -o yaml",
    "run web --image=nginx --expose --port=80 --dry-run=client -o json",
    "run web --image=nginx --expose --port=80 --dry-run=client",
    "run web --image=nginx --expose --port=8080 --labels=app=web --dry-run=client -o json",
    "run web --image=nginx --expose --dry-run=client -o yaml",
    "run web --image=nginx --annotations=a=b --annotations=team=x=y --dry-run=client -o json",
    "run web --image=nginx --annotations=bad --annotations==x --dry-run=client -o json",
    "run web --image=nginx --privileged --dry-run=client -o json",
    "run web --image=nginx --image-pull-policy=IfNotPresent --dry-run=client -o yaml",
    "run web --image=nginx --image-pull-policy=Sometimes --dry-run=client -o yaml",
    "run web --image=nginx --env=A= --env=B=x=y --dry-run=client -o json",
    "run web --image=nginx --env=1A=x --dry-run=client -o json",
    "run web --image=nginx --env=NOEQ --dry-run=client -o json",
    "run web --image=nginx --labels=a --dry-run=client -o json",
    "run web --image=nginx --labels==a --dry-run=client -o json",
    "run web --image=nginx --labels=a=b=c --dry-run=client -o json",
    "run web --image=nginx --port=abc --dry-run=client -o json",
    "run web --image=nginx --port=-1 --dry-run=client -o json",
    "run web --image=nginx -n dev --dry-run=client -o json",
    "run web --image=nginx -n dev --dry-run=client -o yaml",
    "run web --image=docker.io/library/nginx:1.27 --dry-run=client -o json",
    "run web --image=localhost:5000/team/app@sha256:0123456789abcdef0123456789abcdef --dry-run=client -o json",
    "run web --image=Nginx --dry-run=client",
    "run web --image=nginx: --dry-run=client",
    "run web --image= --dry-run=client",
    "run web --dry-run=client",
    "run --image=nginx --dry-run=client",
    "run --image=nginx --dry-run=client -- sleep 1",
    "run web --image=nginx --restart=Sometimes --dry-run=client",
    "run web --image=nginx --replicas=3 --dry-run=client",
    "run web --image=nginx --generator=run-pod/v1 --dry-run=client",
    "run web --image=nginx --requests=cpu=100m --dry-run=client",
    "run web --image=nginx --dry-run=foo",
    "run web --image=nginx --dry-run=true -o name",
    "run web --image=nginx --dry-run -o name",
    "run web --image=nginx -t --dry-run=client",
    "run web --image=nginx --rm --dry-run=client",
    "run web --image=nginx -i --dry-run=client",
    "run web --image=nginx --attach --dry-run=client",
    "run web --image=nginx -i --attach=false --dry-run=client -o json",
    "run web --image=nginx -i --attach=false --leave-stdin-open --dry-run=client -o json",
    "run web --image=nginx -i -t --attach=false --dry-run=client -o yaml",
    "run web --image=nginx --pod-running-timeout=0 --dry-run=client",
    "run web --image=nginx --dry-run=client -o wide",
    "run web --image=nginx --dry-run=client -o jsonpath={.spec.containers[0].image}",
    "run web --image=nginx --overrides='{\"spec\":{\"nodeName\":\"n1\"}}' --dry-run=client -o json",
    "run web --image=nginx --overrides='{\"metadata\":{\"labels\":{\"x\":\"y\"}}}' --dry-run=client -o yaml",
    "run web --image=nginx --overrides='{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"redis\"}]}}' "
    "--dry-run=client -o json",
    "run web --image=nginx --override-type=json "
    "--overrides='[{\"op\":\"add\",\"path\":\"/spec/hostname\",\"value\":\"h\"}]' --dry-run=client -o json",
    "run web --image=nginx --override-type=json --overrides='[{op:add}]' --dry-run=client -o json",
    "run web --image=nginx --overrides='{spec:1}' --dry-run=client -o json",
    "run web --image=nginx --override-type=bogus --overrides={} --dry-run=client -o json",
    "run web --image=nginx --record --dry-run=client -o json",
    "run web --image=nginx --save-config --dry-run=client -o json",
    "run web --image=nginx --quiet --dry-run=client",
    "run web extra args --image=busybox --dry-run=client -o json",
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
def oracle(tmp_path_factory):
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
        p = subprocess.run([KUBECTL, *shlex.split(cmd)], capture_output=True, text=True, env=env, timeout=30)
        return p.stdout, KLOG.sub(r"\1", p.stderr), p.returncode

    yield run
    server.shutdown()


@pytest.mark.parametrize("cmd", CASES)
def test_run_matches_real_kubectl(oracle, cmd):
    want_out, want_err, want_rc = oracle(cmd)
    got = Cluster().kubectl(cmd)
    assert (got.stdout, KLOG.sub(r"\1", got.stderr), got.exit_code) == (want_out, want_err, want_rc)


def test_comparison_covers_enough_flag_combinations():
    assert len(CASES) >= 30


# -- the server side ----------------------------------------------------------------------------------

def test_run_creates_the_pod_with_server_defaults():
    c = Cluster()
    r = c.kubectl("run db --image=mongo")
    assert (r.stdout, r.stderr, r.exit_code) == ("pod/db created\n", "", 0)
    pod = c.api.get(c.registry.resolve("pods"), "default", "db")
    assert pod["metadata"]["labels"] == {"run": "db"}
    ctr = pod["spec"]["containers"][0]
    assert (ctr["name"], ctr["image"], ctr["imagePullPolicy"], ctr["terminationMessagePath"]) == \
        ("db", "mongo", "Always", "/dev/termination-log")
    assert pod["spec"]["restartPolicy"] == "Always"
    assert pod["spec"]["dnsPolicy"] == "ClusterFirst"


def test_run_existing_pod_is_already_exists_and_changes_nothing():
    c = Cluster()
    c.kubectl("run db2 --image=mongo")
    before = c.digest()
    r = c.kubectl("run db2 --image=nginx")
    assert (r.stdout, r.stderr, r.exit_code) == ("", 'Error from server (AlreadyExists): pods "db2" already exists\n', 1)
    assert c.digest() == before


def test_run_expose_creates_service_then_prints_it_first():
    c = Cluster()
    r = c.kubectl("run web3 --image=nginx --port=80 --expose")
    assert r.stdout == "service/web3 created\npod/web3 created\n"
    svc = c.api.get(c.registry.resolve("services"), "default", "web3")
    assert svc["spec"]["selector"] == {"run": "web3"}
    assert svc["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert svc["spec"]["type"] == "ClusterIP"


def test_run_expose_when_the_service_exists_still_creates_the_pod():
    c = Cluster()
    c.kubectl("create service clusterip web --tcp=80")
    r = c.kubectl("run web --image=nginx --port=80 --expose")
    assert r.stdout == "pod/web created\n"
    assert r.stderr == 'Error from server (AlreadyExists): services "web" already exists\n'
    assert r.exit_code == 1


def test_run_server_dry_run_creates_nothing():
    c = Cluster()
    before = c.digest()
    r = c.kubectl("run web --image=nginx --dry-run=server")
    assert r.stdout == "pod/web created (server dry run)\n"
    assert c.api.try_get(c.registry.resolve("pods"), "default", "web") is None
    assert c.digest() == before


def test_run_invalid_name_is_the_servers_invalid_error():
    c = Cluster()
    r = c.kubectl("run Web_1 --image=nginx")
    assert r.exit_code == 1
    assert r.stderr.startswith('The Pod "Web_1" is invalid: ')


def test_run_record_and_namespace():
    c = Cluster()
    c.kubectl("create namespace dev")
    r = c.kubectl("run web --image=nginx -n dev --record")
    assert r.stdout == "pod/web created\n"
    assert r.stderr == "Flag --record has been deprecated, --record will be removed in the future\n"
    pod = c.api.get(c.registry.resolve("pods"), "dev", "web")
    assert pod["metadata"]["annotations"] == {
        "kubernetes.io/change-cause": "kubectl run web --image=nginx --namespace=dev --record=true"}


def test_run_output_yaml_prints_the_stored_pod():
    c = Cluster()
    r = c.kubectl("run web --image=nginx -o yaml")
    assert "uid: " in r.stdout and "imagePullPolicy: Always" in r.stdout and "creationTimestamp: null" not in r.stdout


# -- attaching (needs the kubelet) ---------------------------------------------------------------------

def _needs_kubelet():
    if not hasattr(Cluster(), "kubelet_for"):
        pytest.skip("the kubelet (issue 4, engineer 4) has not landed yet")


def test_run_interactive_rm_prints_output_and_deletes_the_pod():
    _needs_kubelet()
    c = Cluster()
    r = c.kubectl("run -i --rm bb --image=busybox --restart=Never -- sh -c 'echo hi'")
    assert r.exit_code == 0, r
    assert r.stdout.endswith('hi\npod "bb" deleted\n')
    assert r.stdout.replace('pod "bb" deleted\n', "").count("hi\n") == 1


def test_run_interactive_failure_returns_the_containers_exit_code():
    _needs_kubelet()
    c = Cluster()
    r = c.kubectl("run -i --rm bad --image=busybox --restart=Never -- sh -c 'echo oops; exit 3'")
    assert r.exit_code == 3
    assert r.stdout.endswith('oops\npod "bad" deleted\n')
    # fmt.Errorf("pod %s/%s terminated (%s)\\n%s", ..., message=""): the message is empty
    assert r.stderr == "pod default/bad terminated (Error)\n"


def test_run_it_without_a_terminal():
    _needs_kubelet()
    c = Cluster()
    r = c.kubectl("run -it --rm bb --image=busybox --restart=Never -- sh -c 'sleep 2; echo done'")
    assert r.stderr.startswith("Unable to use a TTY - input is not a terminal or the right kind of file\n"
                               "If you don't see a command prompt, try pressing enter.\n")
    assert r.stdout.endswith('done\npod "bb" deleted\n')
    assert r.exit_code == 0


def test_run_attach_times_out_on_an_image_that_never_pulls():
    _needs_kubelet()
    c = Cluster()
    r = c.kubectl("run -i bb --image=nginx:no-such-tag --pod-running-timeout=20s")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "error: timed out waiting for the condition\n", 1)
