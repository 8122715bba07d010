"""kubectl set image / set resources (verbs.md §7; pkg/cmd/set/set_image.go, set_resources.go).

``REAL`` holds what the real kubectl v1.32.4 client printed for commands it can run without a
server (``--local`` on the files below, argument and flag errors); the simulator must print the
same bytes. The server-side cases check the objects the patches leave behind.
"""
from __future__ import annotations

import pytest

from labsim import Cluster
from labsim.kubectl.commands.set import select_string

WEB_YAML = ('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n'
            '  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n'
            '  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n'
            '      containers:\n      - image: nginx:1.25\n        name: nginx\n        ports:\n'
            '        - containerPort: 80\n        resources: {}\nstatus: {}\n')
SVC_YAML = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n'
TWO_YAML = ('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: init\n'
            '    image: busybox\n  containers:\n  - name: app\n    image: nginx\n  - name: sidecar\n    image: busybox\n')

# captured from /usr/bin/kubectl v1.32.4 (KUBECONFIG=/dev/null) in a directory holding the files above
REAL = [
    ('set image',
     '',
     "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1),
    ('set image --local deployment/web nginx=x',
     '',
     "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n", 1),
    ('set image --local -f web.yaml',
     '',
     'error: at least one image update is required\n', 1),
    ('set image --local -f web.yaml nginx=a *=b',
     '',
     'error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n', 1),
    ('set image --local -f web.yaml nginx=nginx:1.27',
     'deployment.apps/web image updated\n',
     '', 0),
    ('set image --local -f web.yaml nginx=nginx:1.27 --dry-run=server',
     '',
     'error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n', 1),
    ('set image --local -f web.yaml nosuch=nginx:1.27',
     '',
     'error: unable to find container named "nosuch"\n', 1),
    ('set image --local -f web.yaml nginx=nginx:1.25',
     '',
     '', 0),
    ('set image --local -f web.yaml nginx=nginx:1.27 -o name',
     'deployment.apps/web\n',
     '', 0),
    ('set image --local -f web.yaml nginx=nginx:1.27 --dry-run=client',
     'deployment.apps/web image updated (dry run)\n',
     '', 0),
    ('set image --local -f web.yaml nginx=nginx:1.27 -o yaml',
     'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx:1.27\n        name: nginx\n        ports:\n        - containerPort: 80\n        resources: {}\nstatus: {}\n',
     '', 0),
    ('set image --local -f web.yaml nginx=nginx:1.27 -o json',
     '{\n    "kind": "Deployment",\n    "apiVersion": "apps/v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "replicas": 3,\n        "selector": {\n            "matchLabels": {\n                "app": "web"\n            }\n        },\n        "template": {\n            "metadata": {\n                "creationTimestamp": null,\n                "labels": {\n                    "app": "web"\n                }\n            },\n            "spec": {\n                "containers": [\n                    {\n                        "name": "nginx",\n                        "image": "nginx:1.27",\n                        "ports": [\n                            {\n                                "containerPort": 80\n                            }\n                        ],\n                        "resources": {}\n                    }\n                ]\n            }\n        },\n        "strategy": {}\n    },\n    "status": {}\n}\n',
     '', 0),
    ('set image --local -f web.yaml nginx=nginx:1.27 --record -o yaml',
     'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    kubernetes.io/change-cause: kubectl set image nginx=nginx:1.27 --local=true --filename=web.yaml\n      --record=true --output=yaml\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx:1.27\n        name: nginx\n        ports:\n        - containerPort: 80\n        resources: {}\nstatus: {}\n',
     'Flag --record has been deprecated, --record will be removed in the future\n', 0),
    ('set image --local -f web.yaml nginx',
     '',
     "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n", 1),
    ('set image --local -f web.yaml nginx=',
     'deployment.apps/web image updated\n',
     '', 0),
    ('set image --local -f web.yaml =x',
     '',
     "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n", 1),
    ('set image --local -f web.yaml nginx=a,b',
     'deployment.apps/web image updated\n',
     '', 0),
    ('set image --local -f web.yaml nginx=a nginx=b -o yaml',
     'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: b\n        name: nginx\n        ports:\n        - containerPort: 80\n        resources: {}\nstatus: {}\n',
     '', 0),
    ('set image --local --all -l app=web -f web.yaml nginx=a',
     '',
     'error: cannot set --all and --selector at the same time\n', 1),
    ('set image --local nginx=x',
     '',
     "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1),
    ('set image --local -f svc.yaml a=b',
     '',
     'error: service/s the object is not a pod or does not have a pod template: *v1.Service\n', 1),
    ('set image --local -f svc.yaml -f web.yaml a=b',
     '',
     'error: unable to find container named "a"\nerror: service/s the object is not a pod or does not have a pod template: *v1.Service\n\n', 1),
    ('set image --local -f two.yaml *=alpine -o yaml',
     'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  name: p\nspec:\n  containers:\n  - image: alpine\n    name: app\n    resources: {}\n  - image: alpine\n    name: sidecar\n    resources: {}\n  initContainers:\n  - image: alpine\n    name: init\n    resources: {}\nstatus: {}\n',
     '', 0),
    ('set image --local -f two.yaml app=x init=y -o json',
     '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null\n    },\n    "spec": {\n        "initContainers": [\n            {\n                "name": "init",\n                "image": "y",\n                "resources": {}\n            }\n        ],\n        "containers": [\n            {\n                "name": "app",\n                "image": "x",\n                "resources": {}\n            },\n            {\n                "name": "sidecar",\n                "image": "busybox",\n                "resources": {}\n            }\n        ]\n    },\n    "status": {}\n}\n',
     '', 0),
    ('set image --local -f web.yaml nginx-',
     '',
     'error: invalid image format: nginx-\n', 1),
    ('set image --local -f web.yaml nginx=x foo',
     '',
     'error: all resources must be specified before image changes: foo\n', 1),
    ('set image --local -f web.yaml nginx=x -o wide',
     '',
     'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n', 1),
    ('set image --local -f web.yaml nginx=x --dry-run=bogus',
     '',
     'error: Invalid dry-run value (bogus). Must be "none", "server", or "client".\n', 1),
    ('set resources --local -f web.yaml --limits=cpu=200m,memory=512Mi -o yaml',
     'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx:1.25\n        name: nginx\n        ports:\n        - containerPort: 80\n        resources:\n          limits:\n            cpu: 200m\n            memory: 512Mi\nstatus: {}\n',
     '', 0),
    ('set resources --local -f web.yaml',
     '',
     'error: you must specify an update to requests or limits (in the form of --requests/--limits)\n', 1),
    ('set resources --local -f web.yaml --limits=cpu=200m',
     'deployment.apps/web resource requirements updated\n',
     '', 0),
    ('set resources --local -f web.yaml --limits=cpu=abc',
     '',
     "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n", 1),
    ('set resources --local -f web.yaml --limits=cpu',
     '',
     'error: Invalid argument syntax cpu, expected <resource>=<value>\n', 1),
    ('set resources --local -f web.yaml --requests=cpu=100m -c nosuch',
     '',
     'error: unable to find container named nosuch\n', 1),
    ('set resources --local -f web.yaml --requests=cpu=100m,memory=1Gi --limits=cpu=50m -o yaml',
     'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx:1.25\n        name: nginx\n        ports:\n        - containerPort: 80\n        resources:\n          limits:\n            cpu: 50m\n          requests:\n            cpu: 100m\n            memory: 1Gi\nstatus: {}\n',
     '', 0),
    ('set resources --local -f web.yaml --limits=cpu=0 -o yaml',
     'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx:1.25\n        name: nginx\n        ports:\n        - containerPort: 80\n        resources:\n          limits:\n            cpu: "0"\nstatus: {}\n',
     '', 0),
    ('set resources --local --limits=cpu=1',
     '',
     "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1),
    ('set resources --local -f two.yaml -c side* --limits=memory=1Gi -o yaml',
     'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  name: p\nspec:\n  containers:\n  - image: nginx\n    name: app\n    resources: {}\n  - image: busybox\n    name: sidecar\n    resources:\n      limits:\n        memory: 1Gi\n  initContainers:\n  - image: busybox\n    name: init\n    resources: {}\nstatus: {}\n',
     '', 0),
    ('set resources --local -f two.yaml -c in* --requests=cpu=0.5 -o json',
     '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null\n    },\n    "spec": {\n        "initContainers": [\n            {\n                "name": "init",\n                "image": "busybox",\n                "resources": {\n                    "requests": {\n                        "cpu": "500m"\n                    }\n                }\n            }\n        ],\n        "containers": [\n            {\n                "name": "app",\n                "image": "nginx",\n                "resources": {}\n            },\n            {\n                "name": "sidecar",\n                "image": "busybox",\n                "resources": {}\n            }\n        ]\n    },\n    "status": {}\n}\n',
     '', 0),
    ('set resources --local -f svc.yaml --limits=cpu=1',
     '',
     'error: service/s the object is not a pod or does not have a pod template: *v1.Service\n', 1),
    ('set resources --local -f web.yaml --limits=cpu=1 --requests=mem',
     '',
     'error: Invalid argument syntax mem, expected <resource>=<value>\n', 1),
    ('set resources --local -f web.yaml --limits=,cpu=1',
     '',
     'error: Invalid argument syntax , expected <resource>=<value>\n', 1),
    ('set resources --local -f web.yaml --limits=cpu=1 --dry-run=server',
     '',
     'error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n', 1),
    ('set image deploy/web nginx=x --bogus',
     '',
     "Error: unknown flag: --bogus\nSee 'kubectl set image --help' for usage.\n", 1),
]


@pytest.fixture
def files(tmp_path):
    (tmp_path / "web.yaml").write_text(WEB_YAML)
    (tmp_path / "svc.yaml").write_text(SVC_YAML)
    (tmp_path / "two.yaml").write_text(TWO_YAML)
    return tmp_path


@pytest.mark.parametrize("cmd,stdout,stderr,code", REAL, ids=[r[0] for r in REAL])
def test_matches_real_client(files, cmd, stdout, stderr, code):
    r = Cluster(seed=0, workdir=str(files)).kubectl(cmd)
    assert (r.stdout, r.stderr, r.exit_code) == (stdout, stderr, code)


@pytest.mark.parametrize("s,spec,want", [
    ("nginx", "*", True), ("nginx", "nginx", True), ("nginx", "ngin", False), ("sidecar", "side*", True),
    ("init", "in*", True), ("app", "in*", False), ("nginx", "*inx", True), ("nginx", "*ngi", False),
    ("a-b-c", "a*c", True), ("a-b-c", "a*b", False),
])
def test_select_string(s, spec, want):
    # kubernetes/kubectl pkg/cmd/set/helper_test.go TestSelectString cases (subset) and the globs used above
    assert select_string(s, spec) is want


# -- against the simulated API server ----------------------------------------------------------------

def _stop_workload_controllers(c):
    for name in ("deployment-controller", "replicaset-controller"):
        ctrl = c.controller_manager.get(name)
        if ctrl is not None:
            ctrl.stop()


@pytest.fixture
def c():
    c = Cluster(seed=0)
    _stop_workload_controllers(c)
    assert c.kubectl("create deployment web --image=nginx:1.25 --replicas=3").ok
    return c


def deploy(c, name="web"):
    return c.api.get(c.api.registry.resolve("deploy"), "default", name)


def out(r):
    return r.stdout, r.stderr, r.exit_code


def test_set_image_updates_template_then_no_change_prints_nothing(c):
    rv = deploy(c)["metadata"]["resourceVersion"]
    assert out(c.kubectl("set image deployment/web nginx=nginx:1.28")) == (
        "deployment.apps/web image updated\n", "", 0)
    d = deploy(c)
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert d["metadata"]["generation"] == 2
    rv2 = d["metadata"]["resourceVersion"]
    assert rv2 != rv
    # transcripts/verbs1.txt: the same image again prints nothing and writes nothing
    assert out(c.kubectl("set image deployment/web nginx=nginx:1.28")) == ("", "", 0)
    assert out(c.kubectl("set image deployment web nginx=nginx:1.28")) == ("", "", 0)
    assert deploy(c)["metadata"]["resourceVersion"] == rv2


def test_set_image_errors(c):
    assert out(c.kubectl("set image deployment/web nosuch=nginx:1.28")) == (
        "", 'error: unable to find container named "nosuch"\n', 1)
    assert out(c.kubectl("set image deployment/web nginx")) == ("", (
        "error: there is no need to specify a resource type as a separate argument when passing arguments in "
        "resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource "
        "resource/<resource_name>'\n"), 1)
    assert out(c.kubectl("set image deployment/nope nginx=x")) == (
        "", 'Error from server (NotFound): deployments.apps "nope" not found\n', 1)
    assert out(c.kubectl("set image deployment/web")) == ("", "error: at least one image update is required\n", 1)
    assert deploy(c)["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"


def test_set_image_wildcard_record_and_dry_runs(c):
    assert out(c.kubectl("set image deployment/web *=nginx:1.30 --dry-run=client")) == (
        "deployment.apps/web image updated (dry run)\n", "", 0)
    assert out(c.kubectl("set image deployment/web *=nginx:1.30 --dry-run=server")) == (
        "deployment.apps/web image updated (server dry run)\n", "", 0)
    assert deploy(c)["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    r = c.kubectl("set image deployment/web nginx=nginx:1.29 --record")
    assert out(r) == ("deployment.apps/web image updated\n",
                      "Flag --record has been deprecated, --record will be removed in the future\n", 0)
    d = deploy(c)
    assert d["metadata"]["annotations"]["kubernetes.io/change-cause"] == \
        "kubectl set image deployment/web nginx=nginx:1.29 --record=true"
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.29"


def test_set_image_output_formats(c):
    r = c.kubectl("set image deploy/web nginx=nginx:1.26 -o name")
    assert out(r) == ("deployment.apps/web\n", "", 0)
    r = c.kubectl("set image deploy/web nginx=nginx:1.27 -o json")
    assert r.stdout.startswith('{\n    "kind": "Deployment",\n    "apiVersion": "apps/v1",\n')
    assert '"image": "nginx:1.27"' in r.stdout


def test_set_image_by_selector_and_file(c, tmp_path):
    assert c.kubectl("create deployment api --image=nginx:1.25").ok
    assert out(c.kubectl("set image deploy -l app=api nginx=nginx:1.27")) == (
        "deployment.apps/api image updated\n", "", 0)
    assert deploy(c, "api")["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert deploy(c)["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert out(c.kubectl("set image deploy --all nginx=nginx:1.28")) == (
        "deployment.apps/api image updated\ndeployment.apps/web image updated\n", "", 0)
    c.workdir = str(tmp_path)
    (tmp_path / "web.yaml").write_text(WEB_YAML)
    # seed 000: set image -f file container=image
    assert out(c.kubectl("set image -f web.yaml nginx=nginx:1.29")) == ("deployment.apps/web image updated\n", "", 0)
    assert deploy(c)["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.29"


def test_set_image_pod_changes_the_running_pod_spec(c):
    assert c.kubectl("run db --image=mongo:3.3").ok
    assert out(c.kubectl("set image pod/db db=mongo:3.4")) == ("pod/db image updated\n", "", 0)
    pod = c.api.get(c.api.registry.resolve("po"), "default", "db")
    assert pod["spec"]["containers"][0]["image"] == "mongo:3.4"


def test_set_image_on_a_kind_without_pod_template(c):
    assert out(c.kubectl("set image svc/kubernetes a=b")) == (
        "", "error: services/kubernetes the object is not a pod or does not have a pod template: *v1.Service\n", 1)


def test_set_resources(c):
    r = c.kubectl("set resources deployment web --limits=cpu=200m,memory=512Mi --requests=cpu=0.1")
    assert out(r) == ("deployment.apps/web resource requirements updated\n", "", 0)
    res = deploy(c)["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert res == {"limits": {"cpu": "200m", "memory": "512Mi"}, "requests": {"cpu": "100m"}}
    # the same values again: no patch, nothing printed
    assert out(c.kubectl("set resources deployment web --limits=cpu=200m")) == ("", "", 0)
    assert out(c.kubectl("set resources deployment web -c nosuch --limits=cpu=1")) == (
        "", "error: unable to find container named nosuch\n", 1)
    assert out(c.kubectl("set resources deployment web --limits=memory=1Gi -o name")) == (
        "deployment.apps/web\n", "", 0)
    assert deploy(c)["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"] == {
        "cpu": "200m", "memory": "1Gi"}


def test_set_resources_invalid_for_the_server(c):
    # requests above limits: the API server's validation answers
    r = c.kubectl("set resources deployment web --limits=cpu=100m --requests=cpu=1")
    assert r.exit_code == 1
    assert r.stderr.startswith("error: failed to patch resources update to pod template ")
    assert "must be less than or equal to cpu limit" in r.stderr
    assert "resources" not in deploy(c)["spec"]["template"]["spec"]["containers"][0] or \
        deploy(c)["spec"]["template"]["spec"]["containers"][0]["resources"] == {}
