"""kubectl apply / create -f / replace -f: verbs.md §1-§2, transcripts/apply1.txt, errors.md §9, §11."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("labsim.api.decode")  # the client-side decoder (another module) must exist

from labsim import Cluster  # noqa: E402

DEP = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
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
      - name: nginx
        image: nginx
"""
SVC = """apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
  - port: 80
"""
APP = DEP + "---\n" + SVC
POD = """apiVersion: v1
kind: Pod
metadata:
  name: mypod
spec:
  containers:
  - name: c
    image: nginx
"""
MISSING_ANNOTATION = (
    "Warning: resource pods/mypod is missing the kubectl.kubernetes.io/last-applied-configuration annotation "
    "which is required by kubectl apply. kubectl apply should only be used on resources created declaratively "
    "by either kubectl create --save-config or kubectl apply. The missing annotation will be patched "
    "automatically.\n")


@pytest.fixture
def c():
    return Cluster(seed=0)


def run(c, cmd, stdin=None):
    r = c.kubectl(cmd, stdin=stdin)
    return r.stdout, r.stderr, r.exit_code


def deploy(c):
    return c.api.get(c.api.registry.resolve("deploy"), "default", "api")


def test_apply_created_unchanged_configured(c):
    assert run(c, "apply -f -", APP) == ("deployment.apps/api created\nservice/api created\n", "", 0)
    d = deploy(c)
    assert d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == (
        '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"api","namespace":"default"},'
        '"spec":{"replicas":2,"selector":{"matchLabels":{"app":"api"}},"template":{"metadata":{"labels":{"app":"api"}},'
        '"spec":{"containers":[{"image":"nginx","name":"nginx"}]}}}}\n')
    rv = d["metadata"]["resourceVersion"]
    assert run(c, "apply -f -", APP) == ("deployment.apps/api unchanged\nservice/api unchanged\n", "", 0)
    assert deploy(c)["metadata"]["resourceVersion"] == rv
    assert run(c, "apply -f -", APP.replace("replicas: 2", "replicas: 3")) == (
        "deployment.apps/api configured\nservice/api unchanged\n", "", 0)
    d = deploy(c)
    assert d["spec"]["replicas"] == 3 and d["metadata"]["resourceVersion"] != rv
    assert json.loads(d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])["spec"][
        "replicas"] == 3


def test_apply_removes_fields_dropped_from_the_file_only(c):
    run(c, "apply -f -", DEP.replace("      - name: nginx", "      - name: nginx\n        env:\n        - name: A\n"
                                                          "          value: '1'"))
    run(c, "apply -f -", DEP)
    assert "env" not in deploy(c)["spec"]["template"]["spec"]["containers"][0]


def test_apply_dry_runs(c):
    run(c, "apply -f -", APP)
    assert run(c, "apply -f - --dry-run=client", APP) == (
        "deployment.apps/api configured (dry run)\nservice/api configured (dry run)\n", "", 0)
    assert run(c, "apply -f - --dry-run=server", APP.replace("replicas: 2", "replicas: 5")) == (
        "deployment.apps/api configured (server dry run)\nservice/api unchanged (server dry run)\n", "", 0)
    assert deploy(c)["spec"]["replicas"] == 2


def test_create_then_apply_warns_about_the_missing_annotation(c):
    assert run(c, "create -f -", POD) == ("pod/mypod created\n", "", 0)
    assert run(c, "create -f -", POD) == (
        "", 'Error from server (AlreadyExists): error when creating "STDIN": pods "mypod" already exists\n', 1)
    out, err, code = run(c, "apply -f -", POD)
    assert (out, err, code) == ("pod/mypod configured\n", MISSING_ANNOTATION, 0)
    assert "kubectl.kubernetes.io/last-applied-configuration" in \
        c.api.get(c.api.registry.resolve("po"), "default", "mypod")["metadata"]["annotations"]


def test_create_several_objects_reports_each_failure(c):
    run(c, "create -f -", SVC)
    assert run(c, "create -f -", APP) == (
        "deployment.apps/api created\n",
        'Error from server (AlreadyExists): error when creating "STDIN": services "api" already exists\n', 1)


def test_create_in_missing_namespace(c):
    assert run(c, "create -f - -n nons", POD) == (
        "", 'Error from server (NotFound): error when creating "STDIN": namespaces "nons" not found\n', 1)


def test_apply_nameless_object(c):
    assert run(c, "apply -f -", POD.replace("  name: mypod\n", "  labels: {a: b}\n")) == (
        "", 'error: error when retrieving current configuration of:\nResource: "/v1, Resource=pods", '
            'GroupVersionKind: "/v1, Kind=Pod"\nName: "", Namespace: "default"\nfrom server for: "STDIN": '
            "resource name may not be empty\n", 1)


def test_apply_without_files(c):
    assert run(c, "apply") == ("", "error: must specify one of -f and -k\n", 1)
    assert run(c, "create") == ("", "error: must specify one of -f and -k\n", 1)
    assert run(c, "apply -f - --validate=foo", POD) == (
        "", 'error: invalid - validate option "foo"; must be one of: strict (or true), warn, ignore (or false)\n', 1)


def test_apply_record_and_output_name(c):
    assert run(c, "apply -f - -o name", POD) == ("pod/mypod\n", "", 0)
    out, err, code = run(c, "apply -f - --record", POD.replace("image: nginx", "image: nginx:1.27"))
    assert (out, code) == ("pod/mypod configured\n", 0)
    pod = c.api.get(c.api.registry.resolve("po"), "default", "mypod")
    assert pod["metadata"]["annotations"]["kubernetes.io/change-cause"] == \
        "kubectl apply --filename=- --record=true"


def test_replace(c):
    assert run(c, "replace -f -", SVC) == (
        "", 'Error from server (NotFound): error when replacing "STDIN": services "api" not found\n', 1)
    run(c, "create -f -", SVC)
    assert run(c, "replace -f -", SVC.replace("port: 80", "port: 81")) == ("service/api replaced\n", "", 0)
    assert c.api.get(c.api.registry.resolve("svc"), "default", "api")["spec"]["ports"][0]["port"] == 81
