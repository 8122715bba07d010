"""kubectl scale (verbs.md §6, transcripts/verbs1.txt; kubernetes/kubectl pkg/cmd/scale/scale.go,
pkg/scale/scale.go)."""
from __future__ import annotations

import re

import pytest

from labsim import Cluster

# captured from /usr/bin/kubectl v1.32.4 without a server (KUBECONFIG=/dev/null)
REAL = [
    ('scale deploy web --replicas=-1',
     '',
     'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n', 1),
    ('scale deploy web --replicas=2 --current-replicas=-2',
     '',
     'error: The --current-replicas must specify an integer of -1 or greater\n', 1),
    ('scale --replicas=2',
     '',
     "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1),
    ('scale --replicas=2 -o wide deploy/x',
     '',
     'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n', 1),
    ('scale deploy web --replicas=abc',
     '',
     'Error: invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\nSee \'kubectl scale --help\' for usage.\n', 1),
    ('scale deploy web --replicas=2 --bogus',
     '',
     "Error: unknown flag: --bogus\nSee 'kubectl scale --help' for usage.\n", 1),
]


def out(r):
    return r.stdout, r.stderr, r.exit_code


@pytest.mark.parametrize("cmd,stdout,stderr,code", REAL, ids=[r[0] for r in REAL])
def test_matches_real_client(cmd, stdout, stderr, code):
    assert out(Cluster(seed=0).kubectl(cmd)) == (stdout, stderr, code)


def test_required_replicas_is_a_klog_line():
    # real: E1124 08:08:30.941493   15521 run.go:72] "command failed" err="required flag(s) \"replicas\" not set"
    r = Cluster(seed=0).kubectl("scale deploy web")
    assert r.stdout == "" and r.exit_code == 1
    assert re.fullmatch(r'E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ run\.go:72\] "command failed" '
                        r'err="required flag\(s\) \\"replicas\\" not set"\n', r.stderr)


@pytest.fixture
def c():
    """web (3 replicas); the workload controllers are stopped so only kubectl changes the objects."""
    c = Cluster(seed=0)
    for name in ("deployment-controller", "replicaset-controller"):
        ctrl = c.controller_manager.get(name)
        if ctrl is not None:
            ctrl.stop()
    assert c.kubectl("create deployment web --image=nginx:1.27 --replicas=3").ok
    return c


def replicas(c, name="web", kind="deploy"):
    return c.api.get(c.api.registry.resolve(kind), "default", name)["spec"]["replicas"]


def test_scale_texts_match_the_transcript(c):
    assert out(c.kubectl("scale deployment web --replicas=5")) == ("deployment.apps/web scaled\n", "", 0)
    assert replicas(c) == 5
    assert out(c.kubectl("scale deployment/web --replicas 4")) == ("deployment.apps/web scaled\n", "", 0)
    assert replicas(c) == 4
    # printed even when nothing changes
    assert out(c.kubectl("scale deployment/web --replicas 4")) == ("deployment.apps/web scaled\n", "", 0)
    assert out(c.kubectl("scale deploy web --replicas=3 --current-replicas=2")) == (
        "", "error: Expected replicas to be 2, was 4\n", 1)
    assert replicas(c) == 4
    assert out(c.kubectl("scale deploy nope --replicas=2")) == (
        "", 'error: no objects passed to scale deployments.apps "nope" not found\n', 1)
    assert out(c.kubectl("scale deploy web --replicas=3 --current-replicas=4")) == (
        "deployment.apps/web scaled\n", "", 0)
    assert replicas(c) == 3


def test_scale_resource_version_precondition(c):
    rv = c.api.get(c.api.registry.resolve("deploy"), "default", "web")["metadata"]["resourceVersion"]
    assert out(c.kubectl("scale deploy web --replicas=2 --resource-version=1")) == (
        "", f"error: Expected resource version to be 1, was {rv}\n", 1)
    assert out(c.kubectl(f"scale deploy web --replicas=2 --resource-version={rv}")) == (
        "deployment.apps/web scaled\n", "", 0)
    assert replicas(c) == 2
    assert c.kubectl("create deployment api --image=nginx:1.27").ok
    assert out(c.kubectl(f"scale deploy web api --replicas=2 --resource-version={rv}")) == (
        "", "error: cannot use --resource-version with multiple resources\n", 1)


def test_scale_record_annotates_after_scaling(c):
    r = c.kubectl("scale deploy web --replicas=3 --record")
    assert out(r) == ("deployment.apps/web scaled\n",
                      "Flag --record has been deprecated, --record will be removed in the future\n", 0)
    d = c.api.get(c.api.registry.resolve("deploy"), "default", "web")
    # verbs.md §0: flags as --long=value in command-line order
    assert d["metadata"]["annotations"]["kubernetes.io/change-cause"] == \
        "kubectl scale deploy web --replicas=3 --record=true"


def test_scale_other_kinds(c):
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-6d8f9c7b5d"},
          "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "x"}},
                   "template": {"metadata": {"labels": {"app": "x"}},
                                "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}}
    c.api.create(rs, "default")
    assert out(c.kubectl("scale rs web-6d8f9c7b5d --replicas=2")) == ("replicaset.apps/web-6d8f9c7b5d scaled\n", "", 0)
    assert replicas(c, "web-6d8f9c7b5d", "rs") == 2
    assert c.kubectl("run db --image=nginx:1.27").ok
    # pods have no scale subresource: the server has no such route
    assert out(c.kubectl("scale pod db --replicas=2")) == (
        "", "Error from server (NotFound): the server could not find the requested resource\n", 1)


def test_scale_dry_runs_and_output(c):
    assert out(c.kubectl("scale deploy web --replicas=7 --dry-run=client")) == (
        "deployment.apps/web scaled (dry run)\n", "", 0)
    assert out(c.kubectl("scale deploy web --replicas=7 --dry-run=server")) == (
        "deployment.apps/web scaled (server dry run)\n", "", 0)
    assert replicas(c) == 3
    assert out(c.kubectl("scale deploy web --replicas=2 -o name")) == ("deployment.apps/web\n", "", 0)
    # scale.go prints the object the builder fetched, before scaling
    r = c.kubectl("scale deploy web --replicas=4 -o yaml")
    assert r.exit_code == 0 and "\n  replicas: 2\n" in r.stdout and r.stdout.startswith("apiVersion: apps/v1\n")
    assert replicas(c) == 4


def test_scale_all_and_selector(c):
    assert c.kubectl("create deployment api --image=nginx:1.27").ok
    assert out(c.kubectl("scale deploy --all --replicas=0")) == (
        "deployment.apps/api scaled\ndeployment.apps/web scaled\n", "", 0)
    assert (replicas(c, "api"), replicas(c)) == (0, 0)
    assert out(c.kubectl("scale deploy -l app=api --replicas=2")) == ("deployment.apps/api scaled\n", "", 0)
    assert (replicas(c, "api"), replicas(c)) == (2, 0)
    assert out(c.kubectl("scale deploy --replicas=2")) == (
        "", "error: resource(s) were provided, but no name was specified\n", 1)
    assert out(c.kubectl("scale deploy -l app=none --replicas=2")) == ("", "error: no objects passed to scale\n", 1)


def test_scale_timeout_waits_for_the_status(c):
    t0 = c.clock.now
    assert out(c.kubectl("scale deploy web --replicas=2 --timeout=5s")) == (
        "", 'error: timed out waiting for "web" to be synced\n', 1)
    assert c.clock.now == t0 + 5
    assert replicas(c) == 2
