"""``kubectl logs``: argument errors (compared with the real kubectl where no server is needed),
the container choice and its messages, selectors and workloads, since/tail/timestamps/prefix,
the kubelet's errors as the API server relays them, and ``-f`` streaming on the simulated clock.

kubectl's side is checked against a stand-in for the documented kubelet API
(``kubelet_double``), on a node the real kubelet does not serve; the scenario tests at the end
use the real kubelet and are skipped until it is wired into ``Cluster``."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from kubelet_double import LogLine, install  # noqa: E402
from labsim import Cluster
from labsim.api.registry import REGISTRY

KUBECTL = "/usr/bin/kubectl"
POD = REGISTRY.for_api_version("v1", "Pod")
NODE = "double-node"


def real(cmd: str) -> tuple[str, str, int]:
    p = subprocess.run([KUBECTL, *shlex.split(cmd)], capture_output=True, text=True, timeout=30,
                       env={"PATH": os.environ.get("PATH", ""), "HOME": "/tmp/kh-logs", "KUBECONFIG": "/dev/null"})
    return p.stdout, p.stderr, p.returncode


@pytest.mark.parametrize("cmd", [
    "logs",
    "logs a b c",
    "logs -l app=x web",
    "logs web --pod-running-timeout=0",
])
def test_client_side_errors_match_real_kubectl(cmd):
    if not os.path.exists(KUBECTL):
        pytest.skip("no real kubectl")
    got = Cluster().kubectl(cmd)
    assert (got.stdout, got.stderr, got.exit_code) == real(cmd)


def pod(name: str, containers=("app",), init=(), labels=None, annotations=None, node=NODE, phase="Running",
        ready=True, created_offset=0) -> dict:
    md = {"name": name, "labels": labels or {}}
    if annotations:
        md["annotations"] = annotations
    spec = {"containers": [{"name": c, "image": "busybox"} for c in containers]}
    if init:
        spec["initContainers"] = [{"name": c, "image": "busybox"} for c in init]
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec,
            "_status": {"phase": phase, "ready": ready}}


def add(c, p: dict) -> dict:
    status = p.pop("_status")
    obj = c.api.create(p, "default")
    obj = dict(obj)
    obj["status"] = {**(obj.get("status") or {}), "phase": status["phase"],
                     "conditions": [{"type": "Ready", "status": "True" if status["ready"] else "False"}],
                     "containerStatuses": [{"name": ct["name"], "ready": True, "restartCount": 0,
                                            "image": "busybox", "imageID": "", "containerID": f"containerd://{ct['name']}",
                                            "state": {"running": {"startedAt": "2026-11-24T09:00:00Z"}}}
                                           for ct in p["spec"]["containers"]]}
    return c.api.update_status(obj)


def lines(*texts: str, start: float = 10.0, step: float = 1.0) -> list[LogLine]:
    return [LogLine(start + i * step, "stdout", t) for i, t in enumerate(texts)]


@pytest.fixture
def c():
    cluster = Cluster()
    cluster.double = install(cluster)
    return cluster


def test_single_container_prints_the_log_as_is(c):
    add(c, pod("db"))
    c.double.logs[("db", "app", False)] = lines("hello", "world")
    r = c.kubectl("logs db")
    assert (r.stdout, r.stderr, r.exit_code) == ("hello\nworld\n", "", 0)


def test_missing_pod_is_lower_case_error_from_server(c):
    r = c.kubectl("logs nope")
    assert (r.stdout, r.stderr, r.exit_code) == (
        "", 'error: error from server (NotFound): pods "nope" not found in namespace "default"\n', 1)
    r = c.kubectl("logs nope -n kube-system")
    assert r.stderr == 'error: error from server (NotFound): pods "nope" not found in namespace "kube-system"\n'


def test_several_containers_default_to_the_first_with_a_notice(c):
    add(c, pod("web", containers=("nginx", "sidecar"), init=("setup",)))
    c.double.logs[("web", "nginx", False)] = lines("from nginx")
    c.double.logs[("web", "sidecar", False)] = lines("from sidecar")
    r = c.kubectl("logs web")
    assert r.stderr == 'Defaulted container "nginx" out of: nginx, sidecar, setup (init)\n'
    assert r.stdout == "from nginx\n"
    assert c.kubectl("logs web -c sidecar").stdout == "from sidecar\n"
    assert c.kubectl("logs web sidecar").stdout == "from sidecar\n"


def test_default_container_annotation(c):
    add(c, pod("web", containers=("nginx", "sidecar"), annotations={
        "kubectl.kubernetes.io/default-container": "sidecar"}))
    c.double.logs[("web", "sidecar", False)] = lines("s")
    r = c.kubectl("logs web")
    assert (r.stdout, r.stderr) == ("s\n", "")
    add(c, pod("web2", containers=("nginx", "sidecar"), annotations={
        "kubectl.kubernetes.io/default-container": "nosuch"}))
    c.double.logs[("web2", "nginx", False)] = lines("n")
    r = c.kubectl("logs web2")
    assert r.stderr == ('Default container name "nosuch" not found in pod web2\n'
                        'Defaulted container "nginx" out of: nginx, sidecar\n')
    assert r.stdout == "n\n"


def test_unknown_container_is_rejected_by_kubectl(c):
    add(c, pod("two", containers=("a", "b")))
    r = c.kubectl("logs two -c nosuch")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "error: container nosuch is not valid for pod two\n", 1)
    assert c.double.calls == []


def test_kubelet_errors_come_back_as_bad_request(c):
    add(c, pod("web", containers=("nginx",)))
    r = c.kubectl("logs web")
    assert r.stderr == ('Error from server (BadRequest): container "nginx" in pod "web" is waiting to start: '
                        'ContainerCreating\n')
    r = c.kubectl("logs web --previous")
    assert r.stderr == 'Error from server (BadRequest): previous terminated container "nginx" in pod "web" not found\n'
    assert r.exit_code == 1


def test_previous_asks_for_the_last_terminated_instance(c):
    add(c, pod("db"))
    c.double.logs[("db", "app", True)] = lines("old")
    assert c.kubectl("logs -p db").stdout == "old\n"
    assert c.double.calls[-1] == ("logs", "db", "app", True)


def test_unscheduled_pod_prints_nothing(c):
    add(c, pod("pending", node=None, phase="Pending", ready=False))
    r = c.kubectl("logs pending")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "", 0)


def test_tail_since_timestamps_limit_bytes(c):
    add(c, pod("db"))
    c.double.logs[("db", "app", False)] = [LogLine(10.0, "stdout", "a"), LogLine(20.5, "stdout", "b"),
                                            LogLine(25.123456789, "stderr", "c")]
    assert c.kubectl("logs db --tail=2").stdout == "b\nc\n"
    assert c.kubectl("logs db --tail=0").stdout == ""
    # the clock stands at 30 s after boot: --since=10s keeps lines from t=20 on
    assert c.kubectl("logs db --since=10s").stdout == "b\nc\n"
    assert c.kubectl("logs db --timestamps --tail=2").stdout == (
        "2026-11-24T09:00:20.5Z b\n2026-11-24T09:00:25.123456789Z c\n")
    assert c.kubectl("logs db --timestamps --tail=3").stdout.startswith("2026-11-24T09:00:10Z a\n")
    assert c.kubectl("logs db --since-time=2026-11-24T09:00:21Z").stdout == "c\n"
    assert c.kubectl("logs db --limit-bytes=3").stdout == "a\nb"


def test_validation_errors_after_the_pod_lookup(c):
    add(c, pod("web", containers=("a", "b")))
    cases = {
        "logs web -c a --all-containers": "error: --all-containers=true should not be specified with container name a\n",
        "logs web b -c a": "error: only one of -c or an inline [CONTAINER] arg is allowed\n",
        "logs web --limit-bytes=-1": "error: --limit-bytes must be greater than 0\n",
        "logs web --tail=-2": "error: --tail must be greater than or equal to -1\n",
        "logs web --since=1s --since-time=2026-11-24T09:00:00Z":
            "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n",
    }
    for cmd, want in cases.items():
        r = c.kubectl(cmd)
        assert (r.stdout, r.stderr, r.exit_code) == ("", want, 1), cmd


def test_all_containers_in_init_then_regular_order(c):
    add(c, pod("web", containers=("nginx", "sidecar"), init=("setup",)))
    for name in ("setup", "nginx", "sidecar"):
        c.double.logs[("web", name, False)] = lines(f"from {name}")
    r = c.kubectl("logs web --all-containers --prefix")
    assert r.stdout == ("[pod/web/setup] from setup\n[pod/web/nginx] from nginx\n"
                        "[pod/web/sidecar] from sidecar\n")
    assert r.stderr == ""


def test_selector_takes_every_pod_with_ten_lines_each(c):
    for n in ("web-1", "web-2"):
        add(c, pod(n, labels={"app": "web"}))
        c.double.logs[(n, "app", False)] = lines(*[f"{n} line {i}" for i in range(12)])
    add(c, pod("other", labels={"app": "db"}))
    r = c.kubectl("logs -l app=web --prefix")
    out = r.stdout.splitlines()
    assert len(out) == 20
    assert out[0] == "[pod/web-1/app] web-1 line 2" and out[-1] == "[pod/web-2/app] web-2 line 11"
    assert len(c.kubectl("logs -l app=web --tail=1").stdout.splitlines()) == 2
    r = c.kubectl("logs -l app=nothing")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "No resources found in default namespace.\n", 0)


def test_follow_several_streams_is_limited(c):
    for i in range(3):
        add(c, pod(f"w{i}", labels={"app": "w"}))
        c.double.logs[(f"w{i}", "app", False)] = lines("x")
    r = c.kubectl("logs -f -l app=w --max-log-requests=2")
    assert r.stderr == ("error: you are attempting to follow 3 log streams, but maximum allowed concurrency is 2, "
                        "use --max-log-requests to increase the limit\n")


def test_workload_picks_one_pod_and_says_so(c):
    c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"},
                  "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "app", "image": "nginx"}]}}}}, "default")
    add(c, pod("web-pending", labels={"app": "web"}, node=None, phase="Pending", ready=False))
    add(c, pod("web-running", labels={"app": "web"}))
    c.double.logs[("web-running", "app", False)] = lines("serving")
    r = c.kubectl("logs rs/web")
    assert (r.stdout, r.stderr) == ("serving\n", "Found 2 pods, using pod/web-running\n")


def test_service_without_selector(c):
    c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext"},
                  "spec": {"ports": [{"port": 80}]}}, "default")
    r = c.kubectl("logs svc/ext")
    assert r.stderr == ("error: cannot get the logs from *v1.Service: invalid service 'ext': Service is defined "
                        "without a selector\n")


def test_follow_streams_new_lines_until_the_container_ends(c):
    p = add(c, pod("db"))
    log = lines("one")
    c.double.logs[("db", "app", False)] = log
    r = c.kubectl("logs -f db")
    assert r.stdout == "one\n"
    log.append(LogLine(40.0, "stdout", "two"))
    assert c.advance("10s") == "two\n"
    log.append(LogLine(45.0, "stdout", "three"))
    # the container ends: the status shows it terminated; the stream prints the rest and stops
    p = dict(c.api.get(POD, "default", "db"))
    p["status"] = {**p["status"], "containerStatuses": [{**p["status"]["containerStatuses"][0], "state": {
        "terminated": {"exitCode": 0, "reason": "Completed", "startedAt": "2026-11-24T09:00:00Z",
                       "finishedAt": "2026-11-24T09:00:45Z", "containerID": "containerd://app"}}}]}
    c.api.update_status(p)
    log.append(LogLine(46.0, "stdout", "never"))
    assert c.advance("5s") == "three\n"
    assert c.advance("5s") == ""


def test_follow_ends_when_the_next_command_runs(c):
    add(c, pod("db"))
    log = lines("one")
    c.double.logs[("db", "app", False)] = log
    c.kubectl("logs -f db")
    c.kubectl("get pods")
    log.append(LogLine(50.0, "stdout", "two"))
    assert c.advance("10s") == ""


# -- with the real kubelet ----------------------------------------------------------------------------

def _real_cluster() -> Cluster:
    cluster = Cluster()
    if not hasattr(cluster, "kubelet_for"):
        pytest.skip("the kubelet (issue 4, engineer 4) has not landed yet")
    return cluster


def test_real_kubelet_logs_of_a_busybox_pod():
    c = _real_cluster()
    c.kubectl("run hello --image=busybox --restart=Never -- sh -c 'echo hi; echo there'")
    r = c.kubectl("logs hello")
    assert r.stderr.startswith("Error from server (BadRequest): container \"hello\" in pod \"hello\" is waiting "
                               "to start: ") or r.stdout == ""
    c.advance("60s")
    r = c.kubectl("logs hello")
    assert (r.stdout, r.stderr, r.exit_code) == ("hi\nthere\n", "", 0)


def test_real_kubelet_previous_without_restart():
    c = _real_cluster()
    c.kubectl("run db --image=busybox -- sleep 3600")
    c.advance("60s")
    r = c.kubectl("logs db -p")
    assert r.stderr == 'Error from server (BadRequest): previous terminated container "db" in pod "db" not found\n'
