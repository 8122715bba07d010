"""``kubectl exec`` / ``attach``: argument errors compared with the real kubectl (no server
needed), then kubectl's side against a stand-in for the documented kubelet API
(``kubelet_double``): container choice, the API server's stream checks, output order, exit
codes, stdin, TTY notices. The scenario tests at the end use the real kubelet and are skipped
until it is wired into ``Cluster``."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from kubelet_double import install, ok  # noqa: E402
from labsim import Cluster  # noqa: E402
from labsim.kubelet.images.base import ExecResult  # noqa: E402

KUBECTL = "/usr/bin/kubectl"
NODE = "double-node"


def real(cmd: str) -> tuple[str, str, int]:
    p = subprocess.run([KUBECTL, *shlex.split(cmd)], capture_output=True, text=True, timeout=30,
                       env={"PATH": os.environ.get("PATH", ""), "HOME": "/tmp/kh-exec", "KUBECONFIG": "/dev/null"})
    return p.stdout, p.stderr, p.returncode


@pytest.mark.parametrize("cmd", [
    "exec",
    "exec web",
    "exec web ls",
    "exec web ls -l",
    "exec -- web ls",
    "exec web -- ",
    "exec -i -- web",
    "exec web --pod-running-timeout=0 -- ls",
    "attach",
    "attach a b c",
    "attach a --pod-running-timeout=0",
])
def test_client_side_errors_match_real_kubectl(cmd):
    if not os.path.exists(KUBECTL):
        pytest.skip("no real kubectl")
    got = Cluster().kubectl(cmd)
    assert (got.stdout, got.stderr, got.exit_code) == real(cmd)


def add_pod(c, name: str, containers=("app",), node=NODE, phase="Running", annotations=None, tty=False) -> dict:
    md = {"name": name, "labels": {"app": name}}
    if annotations:
        md["annotations"] = annotations
    spec = {"containers": [{"name": n, "image": "busybox", "tty": tty, "stdin": tty} for n in containers]}
    if node:
        spec["nodeName"] = node
    obj = dict(c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec}, "default"))
    obj["status"] = {**(obj.get("status") or {}), "phase": phase}
    return c.api.update_status(obj)


@pytest.fixture
def c():
    cluster = Cluster()
    cluster.double = install(cluster)
    return cluster


def test_exec_prints_stdout_then_stderr(c):
    add_pod(c, "db")
    c.double.commands[("db", "app")] = ok("out\n", "err\n")
    r = c.kubectl("exec db -- ls /")
    assert (r.stdout, r.stderr, r.exit_code) == ("out\n", "err\n", 0)
    assert r.chunks == [("stdout", "out\n"), ("stderr", "err\n")]
    assert c.double.calls == [("exec", "db", "app", ("ls", "/"), None, False)]


def test_non_zero_exit_code(c):
    add_pod(c, "db")
    c.double.commands[("db", "app")] = ok("", "cat: can't open '/nope': No such file or directory\n", 1)
    r = c.kubectl("exec db -- cat /nope")
    assert r.stderr == "cat: can't open '/nope': No such file or directory\ncommand terminated with exit code 1\n"
    assert r.exit_code == 1
    c.double.commands[("db", "app")] = ok(code=42)
    r = c.kubectl("exec db -- sh -c 'exit 42'")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "command terminated with exit code 42\n", 42)


def test_missing_pod(c):
    r = c.kubectl("exec nope -- ls")
    assert (r.stdout, r.stderr, r.exit_code) == ("", 'Error from server (NotFound): pods "nope" not found\n', 1)


def test_completed_pod(c):
    add_pod(c, "job", phase="Succeeded")
    r = c.kubectl("exec job -- ls")
    assert r.stderr == "error: cannot exec into a container in a completed pod; current phase is Succeeded\n"
    add_pod(c, "bad", phase="Failed")
    assert c.kubectl("exec bad -- ls").stderr == \
        "error: cannot exec into a container in a completed pod; current phase is Failed\n"


def test_default_container_and_annotation(c):
    add_pod(c, "web", containers=("nginx", "sidecar"))
    c.double.commands[("web", "nginx")] = ok("n\n")
    c.double.commands[("web", "sidecar")] = ok("s\n")
    r = c.kubectl("exec web -- hostname")
    assert (r.stdout, r.stderr) == ("n\n", 'Defaulted container "nginx" out of: nginx, sidecar\n')
    r = c.kubectl("exec web -q -- hostname")
    assert (r.stdout, r.stderr) == ("n\n", "")
    assert c.kubectl("exec web -c sidecar -- hostname").stdout == "s\n"
    add_pod(c, "web2", containers=("nginx", "sidecar"),
            annotations={"kubectl.kubernetes.io/default-container": "sidecar"})
    c.double.commands[("web2", "sidecar")] = ok("s2\n")
    r = c.kubectl("exec web2 -- hostname")
    assert (r.stdout, r.stderr) == ("s2\n", "")


def test_api_server_checks(c):
    add_pod(c, "web")
    r = c.kubectl("exec web -c nosuch -- ls")
    assert r.stderr == "Error from server (BadRequest): container nosuch is not valid for pod web\n"
    add_pod(c, "pending", node=None, phase="Pending")
    r = c.kubectl("exec pending -- ls")
    assert r.stderr == "Error from server (BadRequest): pod pending does not have a host assigned\n"
    assert c.double.calls == []


def test_kubelet_error_text_is_printed(c):
    add_pod(c, "web")
    r = c.kubectl("exec web -- ls")
    assert (r.stdout, r.stderr, r.exit_code) == (
        "", 'error: unable to upgrade connection: container not found ("app")\n', 1)


def test_executable_not_found_is_containerds_error(c):
    add_pod(c, "web")
    c.double.commands[("web", "app")] = lambda argv, stdin: ExecResult(
        126, error='exec: "bash": executable file not found in $PATH')
    r = c.kubectl("exec web -- bash")
    assert r.exit_code == 1
    assert r.stderr.startswith("error: Internal error occurred: error executing command in container: failed to "
                               'exec in container: failed to start exec "')
    assert r.stderr.endswith('": OCI runtime exec failed: exec failed: unable to start container process: exec: '
                             '"bash": executable file not found in $PATH: unknown\n')


def test_stdin_and_tty_in_a_notebook(c):
    add_pod(c, "db")
    c.double.commands[("db", "app")] = lambda argv, stdin: ExecResult(0, (stdin or "").upper())
    r = c.kubectl("exec -i db -- tr a-z A-Z", stdin="hello\n")
    assert (r.stdout, r.stderr) == ("HELLO\n", "")
    assert c.double.calls[-1] == ("exec", "db", "app", ("tr", "a-z", "A-Z"), "hello\n", False)
    r = c.kubectl("exec -it db -- sh")
    assert r.stderr == "Unable to use a TTY - input is not a terminal or the right kind of file\n"
    assert c.double.calls[-1] == ("exec", "db", "app", ("sh",), "", False)
    # -t without -i: no stdin, no notice
    r = c.kubectl("exec -t db -- ls")
    assert r.stderr == ""
    assert c.double.calls[-1][4] is None


def test_exec_into_a_workload_picks_a_pod(c):
    c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"},
                  "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "app", "image": "nginx"}]}}}}, "default")
    add_pod(c, "web")
    c.double.commands[("web", "app")] = ok("x\n")
    r = c.kubectl("exec rs/web -- hostname")
    assert (r.stdout, r.stderr, r.exit_code) == ("x\n", "", 0)


def test_attach_completed_pod_and_unknown_container(c):
    add_pod(c, "job", phase="Succeeded")
    assert c.kubectl("attach job").stderr == \
        "error: cannot attach a container in a completed pod; current phase is Succeeded\n"
    add_pod(c, "web")
    assert c.kubectl("attach web -c nope").stderr == \
        "error: cannot attach to the container: container nope not found in pod web\n"


# -- with the real kubelet ----------------------------------------------------------------------------

def _real_cluster() -> Cluster:
    cluster = Cluster()
    if not hasattr(cluster, "kubelet_for"):
        pytest.skip("the kubelet (issue 4, engineer 4) has not landed yet")
    return cluster


def test_real_kubelet_exec_in_busybox():
    c = _real_cluster()
    c.kubectl("run bb --image=busybox -- sleep 3600")
    c.advance("60s")
    r = c.kubectl("exec bb -- sh -c 'echo hi; echo oops >&2; exit 3'")
    assert (r.stdout, r.stderr, r.exit_code) == ("hi\n", "oops\ncommand terminated with exit code 3\n", 3)


def test_real_kubelet_exec_before_the_container_runs():
    c = _real_cluster()
    c.kubectl("run bb --image=busybox -- sleep 3600")
    r = c.kubectl("exec bb -- ls")
    assert r.exit_code == 1
    assert r.stderr in ("Error from server (BadRequest): pod bb does not have a host assigned\n",
                        'error: unable to upgrade connection: container not found ("bb")\n')
