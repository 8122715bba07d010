"""kubectl get: tables, formats, selectors and errors, compared byte for byte with the transcripts
(/work/shared/docs/kubectl/transcripts/get1.txt, get2.txt, selector-errors.txt, flags.txt)."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from get_fixtures import T, transcript_cluster  # noqa: E402


@pytest.fixture(scope="module")
def c():
    return transcript_cluster()


def run(c, cmd):
    r = c.kubectl(cmd)
    return r.stdout, r.stderr, r.exit_code


WIDE = """\
NAME                         READY   STATUS             RESTARTS         AGE     IP           NODE                 NOMINATED NODE   READINESS GATES
crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m    10.244.0.9   kind-control-plane   <none>           <none>
db                           1/1     Running            2 (2m20s ago)    2m40s   10.244.0.5   kind-control-plane   <none>           <none>
nginx-demo-readiness-probe   0/1     Running            0                38s     10.244.0.6   kind-control-plane   <none>           <none>
pending-pod                  0/1     Pending            0                15s     <none>       <none>               <none>           <none>
"""

CASES = {
    "get pods -o wide": WIDE,
    "get pods --show-labels": """\
NAME                         READY   STATUS             RESTARTS         AGE     LABELS
crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m    <none>
db                           1/1     Running            2 (2m20s ago)    2m40s   run=db
nginx-demo-readiness-probe   0/1     Running            0                38s     app=nginx
pending-pod                  0/1     Pending            0                15s     <none>
""",
    "get pods -L run,app": """\
NAME                         READY   STATUS             RESTARTS         AGE     RUN   APP
crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m          
db                           1/1     Running            2 (2m20s ago)    2m40s   db    
nginx-demo-readiness-probe   0/1     Running            0                38s           nginx
pending-pod                  0/1     Pending            0                15s           
""",
    "get pods -L run --show-labels": """\
NAME                         READY   STATUS             RESTARTS         AGE     RUN   LABELS
crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m          <none>
db                           1/1     Running            2 (2m20s ago)    2m40s   db    run=db
nginx-demo-readiness-probe   0/1     Running            0                38s           app=nginx
pending-pod                  0/1     Pending            0                15s           <none>
""",
    "get pods -l run=db": """\
NAME   READY   STATUS    RESTARTS        AGE
db     1/1     Running   2 (2m20s ago)   2m40s
""",
    "get pods -l 'run in (db,x)'": """\
NAME   READY   STATUS    RESTARTS        AGE
db     1/1     Running   2 (2m20s ago)   2m40s
""",
    "get pods -l '!run'": """\
NAME                         READY   STATUS             RESTARTS         AGE
crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m
nginx-demo-readiness-probe   0/1     Running            0                38s
pending-pod                  0/1     Pending            0                15s
""",
    "get pods -l run!=db": """\
NAME                         READY   STATUS             RESTARTS         AGE
crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m
nginx-demo-readiness-probe   0/1     Running            0                38s
pending-pod                  0/1     Pending            0                15s
""",
    "get pods -A": """\
NAMESPACE     NAME                         READY   STATUS             RESTARTS         AGE
default       crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m
default       db                           1/1     Running            2 (2m20s ago)    2m40s
default       nginx-demo-readiness-probe   0/1     Running            0                38s
default       pending-pod                  0/1     Pending            0                15s
pod-example   nginx-demo                   1/1     Running            0                42s
""",
    "get pods --all-namespaces --show-labels": """\
NAMESPACE     NAME                         READY   STATUS             RESTARTS         AGE     LABELS
default       crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m    <none>
default       db                           1/1     Running            2 (2m20s ago)    2m40s   run=db
default       nginx-demo-readiness-probe   0/1     Running            0                38s     app=nginx
default       pending-pod                  0/1     Pending            0                15s     <none>
pod-example   nginx-demo                   1/1     Running            0                42s     type=app
""",
    "get pods -n pod-example": """\
NAME         READY   STATUS    RESTARTS   AGE
nginx-demo   1/1     Running   0          42s
""",
    "get pods --no-headers": """\
crasher                      0/1   CrashLoopBackOff   12 (3m20s ago)   121m
db                           1/1   Running            2 (2m20s ago)    2m40s
nginx-demo-readiness-probe   0/1   Running            0                38s
pending-pod                  0/1   Pending            0                15s
""",
    "get pods/db": """\
NAME   READY   STATUS    RESTARTS        AGE
db     1/1     Running   2 (2m20s ago)   2m40s
""",
    "get pods db --show-kind": """\
NAME     READY   STATUS    RESTARTS        AGE
pod/db   1/1     Running   2 (2m20s ago)   2m40s
""",
    "get pods -o name": "pod/crasher\npod/db\npod/nginx-demo-readiness-probe\npod/pending-pod\n",
    "get pod db -o name": "pod/db\n",
    "get pods -o wide --show-labels -L run": """\
NAME                         READY   STATUS             RESTARTS         AGE     IP           NODE                 NOMINATED NODE   READINESS GATES   RUN   LABELS
crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m    10.244.0.9   kind-control-plane   <none>           <none>                  <none>
db                           1/1     Running            2 (2m20s ago)    2m40s   10.244.0.5   kind-control-plane   <none>           <none>            db    run=db
nginx-demo-readiness-probe   0/1     Running            0                38s     10.244.0.6   kind-control-plane   <none>           <none>                  app=nginx
pending-pod                  0/1     Pending            0                15s     <none>       <none>               <none>           <none>                  <none>
""",
    "get pods --sort-by=.metadata.creationTimestamp": """\
NAME                         READY   STATUS             RESTARTS         AGE
crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m
db                           1/1     Running            2 (2m20s ago)    2m40s
nginx-demo-readiness-probe   0/1     Running            0                38s
pending-pod                  0/1     Pending            0                15s
""",
    "get pods -o custom-columns=NAME:.metadata.name,IP:.status.podIP,NODE:.spec.nodeName": """\
NAME                         IP           NODE
crasher                      10.244.0.9   kind-control-plane
db                           10.244.0.5   kind-control-plane
nginx-demo-readiness-probe   10.244.0.6   kind-control-plane
pending-pod                  <none>       <none>
""",
    "get pods -o custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,X:.spec.nosuch": """\
NAME                         IMAGES       X
crasher                      busybox      <none>
db                           mongo        <none>
nginx-demo-readiness-probe   nginx:1.27   <none>
pending-pod                  nginx        <none>
""",
    "get pods -o custom-columns=NAME:.metadata.name --no-headers":
        "crasher\ndb\nnginx-demo-readiness-probe\npending-pod\n",
    "get pods -o custom-columns=NAME:{.metadata.name}": "NAME\ncrasher\ndb\nnginx-demo-readiness-probe\npending-pod\n",
    "get pods -o custom-columns=NAME:.metadata.name,IP:.status.podIP -A": """\
NAME                         IP
crasher                      10.244.0.9
db                           10.244.0.5
nginx-demo-readiness-probe   10.244.0.6
pending-pod                  <none>
nginx-demo                   10.244.1.3
""",
    "get pod db -o jsonpath='{.status.podIP}'": "10.244.0.5",
    "get pods -o jsonpath='{.items[*].metadata.name}'": "crasher db nginx-demo-readiness-probe pending-pod",
    """get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'""":
        "crasher\tRunning\ndb\tRunning\nnginx-demo-readiness-probe\tRunning\npending-pod\tPending\n",
    "get pod db -o jsonpath='{.spec.nosuch}'": "",
    "get pods -o jsonpath='{.metadata.name}'": "",
    "get pod db -o jsonpath={.metadata.labels}": '{"run":"db"}',
    "get pod db -o=jsonpath='{.metadata.name}' --allow-missing-template-keys=false": "db",
    "get pod db -o 'custom-columns=N:.metadata.name,X:.spec.nodeName'": "N     X\ndb    kind-control-plane\n",
}


@pytest.mark.parametrize("cmd", list(CASES))
def test_transcript_stdout(c, cmd):
    out, err, code = run(c, cmd)
    assert (out, err, code) == (CASES[cmd], "", 0)


def test_po_svc_blocks_and_kind_prefixes(c):
    out, err, code = run(c, "get po,svc")
    assert out == """\
NAME                             READY   STATUS             RESTARTS         AGE
pod/crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m
pod/db                           1/1     Running            2 (2m20s ago)    2m40s
pod/nginx-demo-readiness-probe   0/1     Running            0                38s
pod/pending-pod                  0/1     Pending            0                15s

NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
service/kubernetes   ClusterIP   10.43.0.1    <none>        443/TCP   121m
"""
    assert (err, code) == ("", 0)


def test_get_all_A(c):
    out, _, _ = run(c, "get all -A")
    assert out == """\
NAMESPACE     NAME                             READY   STATUS             RESTARTS         AGE
default       pod/crasher                      0/1     CrashLoopBackOff   12 (3m20s ago)   121m
default       pod/db                           1/1     Running            2 (2m20s ago)    2m40s
default       pod/nginx-demo-readiness-probe   0/1     Running            0                38s
default       pod/pending-pod                  0/1     Pending            0                15s
pod-example   pod/nginx-demo                   1/1     Running            0                42s

NAMESPACE   NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
default     service/kubernetes   ClusterIP   10.43.0.1    <none>        443/TCP   121m
"""


def test_no_headers_blocks_are_not_separated(c):
    out, _, _ = run(c, "get po,svc --no-headers -n pod-example")
    assert out == "pod/nginx-demo   1/1   Running   0     42s\n"


STDERR_CASES = {
    "get pods -l nosuch=label": ("No resources found in default namespace.\n", 0),
    "get pods -n empty": ("No resources found in empty namespace.\n", 0),
    "get pods --namespace=Bad_NS": ("No resources found in Bad_NS namespace.\n", 0),
    "get deployments": ("No resources found in default namespace.\n", 0),
    "get deployments -A": ("No resources found\n", 0),
    "get pv": ("No resources found\n", 0),
    "get all -n empty": ("No resources found in empty namespace.\n", 0),
    "get pod nope": ('Error from server (NotFound): pods "nope" not found\n', 1),
    "get pods db -n pod-example": ('Error from server (NotFound): pods "db" not found\n', 1),
    "get deploy nope": ('Error from server (NotFound): deployments.apps "nope" not found\n', 1),
    "get pod2": ('error: the server doesn\'t have a resource type "pod2"\n', 1),
    "get deploy.extensions": ('error: the server doesn\'t have a resource type "deploy"\n', 1),
    "get pods/db/x": ("error: arguments in resource/name form may not have more than one slash\n", 1),
    "get pods --sort-by=.status.nosuch": ("No resources found in default namespace.\n", 0),
    "get pods -o foo": ('error: unable to match a printer suitable for the output format "foo", allowed formats are: '
                        "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
                        "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n", 1),
    "get pods -o": ("Error: flag needs an argument: 'o' in -o\nSee 'kubectl get --help' for usage.\n", 1),
    "get pods -n": ("Error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n", 1),
    "get pods --selector": ("Error: flag needs an argument: --selector\nSee 'kubectl get --help' for usage.\n", 1),
    "get pods -o name --show-labels": ("error: --show-labels option cannot be used with name printer\n", 1),
    "get pods -o yaml --show-labels": ("error: --show-labels option cannot be used with yaml printer\n", 1),
    "get pods -o custom-columns=NAME": (
        "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n", 1),
    "get pods -o=custom-columns=": ("error: custom-columns format specified but no custom columns given\n", 1),
    "get pod db -o jsonpath='{.status.podIP'": ("error: error parsing jsonpath {.status.podIP, unclosed action\n", 1),
    "get pods -l 'app in (web'": (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app in (web", '
        "field selector \"\": unable to parse requirement: found '', expected: ',' or ')'\n", 1),
    "get pods -l 'service:go-demo-2'": (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector '
        '"service:go-demo-2", field selector "": unable to parse requirement: <nil>: Invalid value: '
        '"service:go-demo-2": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must '
        "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
        "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n", 1),
    "get deploy -l 'app=web tier=fe'": (
        'Error from server (BadRequest): Unable to find "apps/v1, Resource=deployments" that match label selector '
        '"app=web tier=fe", field selector "": found \'tier\', expected: \',\' or \'end of string\'\n', 1),
    "get pods -l 'a/b/c=x' -A": (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "a/b/c=x", '
        'field selector "": unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must '
        "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
        "(e.g. 'example.com/MyName')\n", 1),
    "get pods,svc -l 'app in (web'": (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app in (web", '
        "field selector \"\": unable to parse requirement: found '', expected: ',' or ')'\n"
        'Error from server (BadRequest): Unable to find "/v1, Resource=services" that match label selector '
        "\"app in (web\", field selector \"\": unable to parse requirement: found '', expected: ',' or ')'\n", 1),
    "get pods --field-selector foo=bar": (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", '
        'field selector "foo=bar": field label not supported: foo\n', 1),
    "get deploy --field-selector spec.replicas=1": (
        'Error from server (BadRequest): Unable to find "apps/v1, Resource=deployments" that match label selector '
        '"", field selector "spec.replicas=1": "spec.replicas" is not a known field selector: only '
        '"metadata.name", "metadata.namespace"\n', 1),
    "get": ('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of '
            "supported resources.\n\nerror: Required resource not specified.\n"
            'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain '
            "pods).\nSee 'kubectl get -h' for help and examples\n", 1),
    "get pods --bogus": ("Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n", 1),
}


@pytest.mark.parametrize("cmd", list(STDERR_CASES))
def test_stderr_and_exit(c, cmd):
    out, err, code = run(c, cmd)
    assert (out, err, code) == ("", *STDERR_CASES[cmd])


def test_several_names_found_and_missing(c):
    assert run(c, "get pod db nope") == (
        "NAME   READY   STATUS    RESTARTS        AGE\ndb     1/1     Running   2 (2m20s ago)   2m40s\n",
        'Error from server (NotFound): pods "nope" not found\n', 1)
    assert run(c, "get pod db nope --ignore-not-found") == (
        "NAME   READY   STATUS    RESTARTS        AGE\ndb     1/1     Running   2 (2m20s ago)   2m40s\n", "", 0)
    assert run(c, "get pod nope --ignore-not-found") == ("", "", 0)


def test_field_selectors(c):
    out, _, _ = run(c, "get pods --field-selector status.phase=Pending,spec.restartPolicy!=Never -o name")
    assert out == "pod/pending-pod\n"
    out, _, _ = run(c, "get pods -A --field-selector metadata.namespace!=default -o name")
    assert out == "pod/nginx-demo\n"
    assert run(c, "get pods --field-selector 'x'")[1] == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field '
        "selector \"x\": invalid selector: 'x'; can't understand 'x'\n")


def test_yaml_and_json_of_one_object(c):
    out, err, code = run(c, "get pod pending-pod -o yaml")
    assert code == 0 and err == ""
    # a real server writes the zero lastProbeTime as null (the transcript's stub left it out)
    assert "  - lastProbeTime: null\n    lastTransitionTime: \"2026-11-24T11:01:35Z\"\n    message: '0/1 nodes are available: 1 Insufficient " \
           "cpu.'\n    reason: Unschedulable\n    status: \"False\"\n    type: PodScheduled\n  phase: Pending\n" in out
    assert out.startswith("apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2026-11-24T11:01:35Z\"\n")
    js, _, _ = run(c, "get pod pending-pod -o json")
    assert js.startswith('{\n    "apiVersion": "v1",\n    "kind": "Pod",\n    "metadata": {\n')
    assert '"message": "0/1 nodes are available: 1 Insufficient cpu.",' in js


def test_lists_are_wrapped(c):
    out, _, _ = run(c, "get pods -n pod-example -o yaml")
    assert out.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n")
    assert out.endswith("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
    assert run(c, "get pods -n empty -o yaml") == (
        'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n', "", 0)
    assert run(c, "get pods -n empty -o json") == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n'
        '        "resourceVersion": ""\n    }\n}\n', "", 0)
    assert run(c, "get pods -n empty -o name") == ("", "", 0)
    # several names make a List, even when one is missing
    out, err, code = run(c, "get pod db nope -o name")
    assert (out, err, code) == ("pod/db\n", 'Error from server (NotFound): pods "nope" not found\n', 1)


def test_jsonpath_errors(c):
    out, err, code = run(c, "get pod db -o jsonpath='{.spec.containers[5]}'")
    assert code == 1 and out == ""
    assert err.startswith('error: error executing jsonpath "{.spec.containers[5]}": Error executing template: array '
                          "index out of bounds: index 5, length 1. Printing more information for debugging the "
                          "template:\n\ttemplate was:\n\t\t{.spec.containers[5]}\n\tobject given to jsonpath engine "
                          'was:\n\t\tmap[string]interface {}{"apiVersion":"v1", "kind":"Pod", "metadata":map[string]'
                          'interface {}{"creationTimestamp":')
    assert err.endswith("}}\n\n\n")
    _, err, code = run(c, "get pod db -o jsonpath='{.spec.nosuch}' --allow-missing-template-keys=false")
    assert code == 1 and "Error executing template: nosuch is not found. Printing" in err


def test_managed_fields_stripped(c):
    from labsim.kubectl.printers.output import strip_managed_fields
    obj = {"metadata": {"name": "x", "managedFields": [{"manager": "kubectl"}]}}
    assert strip_managed_fields(obj) == {"metadata": {"name": "x"}}
    assert obj["metadata"]["managedFields"]  # the stored object is not touched


def test_named_and_selector_conflicts(c):
    assert run(c, "get pod db -l run=db") == (
        "", "error: name cannot be provided when a selector is specified\n", 1)
    assert run(c, "get pod db -A") == (
        "", "error: a resource cannot be retrieved by name across all namespaces\n", 1)


def test_get_from_file(c, tmp_path):
    p = tmp_path / "pods.yaml"
    p.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: db\n    image: mongo\n"
                 "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: kubernetes\n")
    out, err, code = run(c, f"get -f {p}")
    assert (err, code) == ("", 0)
    assert out == """\
NAME     READY   STATUS    RESTARTS        AGE
pod/db   1/1     Running   2 (2m20s ago)   2m40s

NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
service/kubernetes   ClusterIP   10.43.0.1    <none>        443/TCP   121m
"""


def test_go_template_is_a_clear_error(c):
    out, err, code = run(c, "get pods -o go-template='{{.kind}}'")
    assert (out, code) == ("", 1)
    assert err == ("error: -o go-template is not supported by the simulator; use -o jsonpath or -o custom-columns "
                   "instead\n")
