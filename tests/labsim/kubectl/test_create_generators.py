"""``kubectl create <generator>``: compared byte for byte with the real kubectl v1.32 client
(``--dry-run=client`` needs no cluster; klog timestamps and pids are masked), then the server side
in the simulated cluster: objects created with the API server's defaults, ``already exists``
wrapped as each generator wraps it, ``--save-config``, ``--dry-run=server``, ``--from=cronjob/x``."""
from __future__ import annotations

import base64
import json
import os
import re
import shlex
import shutil
import subprocess

import pytest

from labsim import Cluster

KUBECTL = "/usr/bin/kubectl"
KLOG = re.compile(r"^([EWI])\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ ", re.M)

#: command lines run by both clients in a workspace holding a.txt, e.env, dir/{k1,bin.dat}
CASES = [
    'create deployment web --image=nginx --dry-run=client -o yaml',
    'create deployment web --image=nginx --dry-run=client -o json',
    'create deployment web --image=nginx --replicas=3 --port=80 --dry-run=client -o yaml',
    'create deployment web --image=nginx --image=redis:7 --dry-run=client -o json',
    'create deployment web --image=busybox --dry-run=client -o json -- sleep 3600',
    'create deployment web --image=busybox --image=nginx --dry-run=client -o json -- sleep 3600',
    'create deployment web --image=nginx -n dev --dry-run=client -o json',
    'create deployment web --image=docker.io/library/nginx@sha256:abc --dry-run=client -o yaml',
    'create deployment web --image=nginx --save-config --dry-run=client -o json',
    'create deployment web --image=nginx --save-config --dry-run=client -o yaml',
    'create deployment web --dry-run=client -o yaml',
    'create deployment --image=nginx --dry-run=client',
    'create deployment a b --image=nginx --dry-run=client',
    'create deployment web --image=nginx --dry-run=client',
    'create deployment web --image=nginx --dry-run=client -o name',
    'create deployment web --image=nginx --dry-run=client -o wide',
    'create deploy web --image=nginx --dry-run=client -o yaml',
    'create deployment web --image=nginx --dry-run=bogus',
    'create deployment web --image=nginx --dry-run=client -o jsonpath={.spec.template.spec.containers[0].name}',
    'create namespace dev --dry-run=client -o yaml',
    'create namespace dev --dry-run=client -o json',
    'create ns dev -n other --dry-run=client -o json',
    'create namespace --dry-run=client',
    'create serviceaccount bot --dry-run=client -o json',
    'create sa bot -n dev --dry-run=client -o yaml',
    'create configmap cfg --from-literal=a=1 --from-literal=b=x=y --dry-run=client -o json',
    'create configmap cfg --from-literal=a=1 --from-literal=b=x=y --dry-run=client -o yaml',
    'create configmap cfg --dry-run=client -o yaml',
    'create configmap cfg --from-file=a.txt --dry-run=client -o yaml',
    'create configmap cfg --from-file=key=a.txt --from-file=dir --dry-run=client -o json',
    'create configmap cfg --from-env-file=e.env --dry-run=client -o yaml',
    'create configmap cfg --from-env-file=e.env --from-literal=a=b --dry-run=client -o yaml',
    'create configmap cfg --from-literal=a --dry-run=client -o yaml',
    'create configmap cfg --from-literal==a --dry-run=client -o yaml',
    'create configmap cfg --from-literal=a=1 --from-literal=a=2 --dry-run=client -o yaml',
    'create configmap cfg --from-literal=a/b=1 --dry-run=client -o yaml',
    'create configmap cfg --from-file=missing.txt --dry-run=client -o yaml',
    'create configmap cfg --from-file=k=dir --dry-run=client -o yaml',
    'create configmap cfg --from-file==a.txt --dry-run=client -o yaml',
    'create configmap cfg --from-literal=a=1 --append-hash --dry-run=client -o yaml',
    'create cm cfg --from-literal=a=1 --from-file=dir --append-hash --dry-run=client -o json',
    'create secret generic s --from-literal=password=s3cret --dry-run=client -o yaml',
    'create secret generic s --from-literal=password=s3cret --type=kubernetes.io/basic-auth --dry-run=client -o json',
    'create secret generic s --from-file=a.txt --from-file=dir --dry-run=client -o json',
    'create secret generic s --from-env-file=e.env --dry-run=client -o yaml',
    'create secret generic s --from-literal=a=1 --append-hash --dry-run=client -o yaml',
    'create secret generic s --from-literal=a=1 --from-literal=a=1 --dry-run=client -o yaml',
    'create secret generic s --from-literal=a%=1 --dry-run=client -o yaml',
    'create secret docker-registry reg --docker-username=u --docker-password=p&w --docker-email=e@x.io --dry-run=client -o yaml',
    'create secret docker-registry reg --docker-username=u --docker-password=p --docker-server=r.io --dry-run=client -o json',
    'create secret docker-registry reg --docker-username=u --dry-run=client -o json',
    'create secret docker-registry reg --from-file=.dockerconfigjson=a.txt --dry-run=client -o json',
    'create service clusterip api --tcp=8080 --dry-run=client -o yaml',
    'create service clusterip api --tcp=80:8080 --tcp=443:https --dry-run=client -o json',
    'create service clusterip api --clusterip=None --dry-run=client -o yaml',
    'create service clusterip api --dry-run=client -o yaml',
    'create service clusterip api --tcp=abc --dry-run=client -o yaml',
    'create service clusterip api --tcp=70000 --dry-run=client -o yaml',
    'create service clusterip api --tcp=80:0 --dry-run=client -o yaml',
    'create service clusterip api --tcp=80:Bad_Name --dry-run=client -o yaml',
    'create service nodeport go-demo-2 --tcp=28017:28017 --node-port=30001 --dry-run=client -o yaml',
    'create service nodeport web --tcp=80 --dry-run=client -o json',
    'create service loadbalancer lb --tcp=80:8080 --dry-run=client -o json',
    'create svc loadbalancer lb --tcp=80:8080 -n dev --dry-run=client -o yaml',
    'create service externalname ext --external-name=db.example.com --dry-run=client -o yaml',
    'create service externalname ext --external-name=db.example.com --tcp=5432 --dry-run=client -o json',
    'create service externalname ext --external-name=Bad_Name --dry-run=client -o json',
    'create service externalname ext --dry-run=client -o json',
    'create job hello --image=busybox --dry-run=client -o yaml -- echo hi',
    'create job hello --image=busybox --dry-run=client -o json',
    'create job hello --dry-run=client -o json',
    'create job hello --image=busybox --from=cronjob/x --dry-run=client -o json',
    'create cronjob hello --image=busybox --schedule=*/1_*_*_*_* --dry-run=client -o yaml -- echo hi',
    'create cronjob hello --image=busybox --schedule=@hourly --restart=Never --dry-run=client -o json',
    'create cj hello --dry-run=client -o json',
    'create cronjob hello --image=busybox --dry-run=client -o json',
    'create ingress web --class=nginx --rule=foo.bar.com/=web:80 --rule=foo.bar.com/api*=api:8080 --dry-run=client -o yaml',
    'create ingress web --rule=foo.com/=web:http,tls=my-cert --rule=bar.com/*=b:80,tls=my-cert --rule=baz.com/x=c:81,tls --dry-run=client -o json',
    'create ingress web --default-backend=def:80 --annotation=a=b --annotation=c= --dry-run=client -o json',
    'create ingress web --rule=/path=svc:80 --dry-run=client -o yaml',
    'create ingress web --dry-run=client -o yaml',
    'create ingress web --rule=foo --dry-run=client -o yaml',
    'create ingress web --rule=a.com/=s:80 --annotation=noeq --dry-run=client -o yaml',
    'create ingress web --default-backend=svc --dry-run=client -o yaml',
    'create ing web --rule=a.com/=s:80 -n dev --dry-run=client -o json',
    'create priorityclass high --value=1000 --description=important --dry-run=client -o json',
    'create priorityclass high --value=1000 --global-default --preemption-policy=Never --dry-run=client -o yaml',
    'create pc low --dry-run=client -o json',
    'create quota q --hard=cpu=1,memory=1Gi,pods=10 --scopes=BestEffort --dry-run=client -o json',
    'create quota q --hard=cpu=1000m,memory=1024Mi --dry-run=client -o yaml',
    'create quota q --dry-run=client -o yaml',
    'create quota q --hard=cpu --dry-run=client -o yaml',
    'create quota q --hard=cpu=abc --dry-run=client -o yaml',
    'create quota q --scopes=a,,b --dry-run=client -o yaml',
    'create resourcequota q -n dev --hard=pods=1 --dry-run=client -o yaml',
    "create cronjob hello --image=busybox --schedule='*/1 * * * *' --dry-run=client -o yaml -- echo hi",
    "create deployment web --image=nginx --dry-run=true -o name",
    "create deployment web --image=nginx --dry-run=client -o jsonpath",
    "create deployment web --image=nginx --record --dry-run=client",
    "create namespace dev --validate=bogus --dry-run=client",
    "create service clusterip api --tcp=80:8080 --clusterip=10.43.0.50 --dry-run=client -o json",
    "create service nodeport api --tcp=80:http --tcp=443 --node-port=30443 --dry-run=client -o json",
    "create configmap cfg --from-literal=a=<b>&c --dry-run=client -o json",
    "create secret generic s --from-env-file=dir --dry-run=client -o yaml",
    "create ingress web --rule=a.com/=s:80,tls --rule=a.com/b=s:81,tls=x --dry-run=client -o json",
    'create rolebinding rb --role=r --user=a,b --user=c --group=g --serviceaccount=dev:bot --dry-run=client -o json',
    'create rolebinding rb --clusterrole=view --serviceaccount=dev:bot -n dev --dry-run=client -o yaml',
    'create rolebinding rb --dry-run=client -o yaml',
    'create rolebinding rb --role=r --clusterrole=c --dry-run=client -o yaml',
    'create rolebinding rb --role=r --serviceaccount=bot --dry-run=client -o yaml',
    'create rolebinding rb --role=r --dry-run=client -o json',
    'create clusterrolebinding crb --clusterrole=cluster-admin --user=admin --group=system:masters --dry-run=client -o json',
    'create clusterrolebinding crb --clusterrole=cluster-admin --serviceaccount=kube-system:default -n x --dry-run=client -o yaml',
    'create clusterrolebinding crb --dry-run=client -o yaml',
    'create clusterrolebinding crb --clusterrole=view --serviceaccount=:x --dry-run=client -o yaml',
    'create configmap x --from-env-file=a,b --dry-run=client',
    'create secret generic x --from-env-file=e.env,a.txt --dry-run=client -o yaml',
    'create rolebinding rb --role=r --user=a --save-config --dry-run=client -o json',
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = tmp_path_factory.mktemp("ws")
    (ws / "dir").mkdir()
    (ws / "a.txt").write_bytes(b"hello\n")
    (ws / "dir" / "k1").write_bytes(b"x=1\n")
    (ws / "dir" / "bin.dat").write_bytes(b"bin\xff\xfe")
    (ws / "e.env").write_bytes(b"# c\nA=1\n\n  B=two=2\nC\n")
    (ws / "home").mkdir()
    return ws


def _mask(stderr: str) -> str:
    return KLOG.sub(r"\1 KLOG ", stderr)


def _real(cmd: str, ws) -> tuple[str, str, int]:
    env = {"KUBECONFIG": "/dev/null", "HOME": str(ws / "home"), "PATH": os.environ.get("PATH", "/usr/bin")}
    p = subprocess.run([KUBECTL, *shlex.split(cmd)], capture_output=True, text=True, env=env, cwd=ws)
    return p.stdout, _mask(p.stderr), p.returncode


def _sim(cmd: str, ws) -> tuple[str, str, int]:
    r = Cluster(seed=0, workdir=str(ws)).kubectl(cmd)
    return r.stdout, _mask(r.stderr), r.exit_code


@pytest.mark.skipif(not shutil.which(KUBECTL) and not os.path.exists(KUBECTL), reason="no real kubectl")
@pytest.mark.parametrize("cmd", CASES)
def test_same_as_real_kubectl(cmd, workspace):
    assert _sim(cmd, workspace) == _real(cmd, workspace)


# -- without the real client: a few outputs pinned ----------------------------------------------------

def test_deployment_json_is_in_go_struct_order():
    r = Cluster(seed=0).kubectl("create deployment web --image=nginx --dry-run=client -o json")
    assert r.stdout == """{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "replicas": 1,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx",
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
"""


def test_required_flag_goes_through_klog():
    r = Cluster(seed=0).kubectl("create cronjob c --dry-run=client")
    assert r.exit_code == 1
    assert _mask(r.stderr) == 'E KLOG run.go:72] "command failed" err="required flag(s) \\"image\\", \\"schedule\\" not set"\n'


def test_name_count_error():
    r = Cluster(seed=0).kubectl("create secret generic a b --from-literal=x=y")
    assert (r.stderr, r.exit_code) == ("error: exactly one NAME is required, got 2\n"
                                       "See 'kubectl create secret generic -h' for help and examples\n", 1)


def test_image_with_dots_gets_a_seeded_suffix():
    a = Cluster(seed=0).kubectl("create deploy web --image=my.app_x:1 --dry-run=client -o jsonpath={.spec.template.spec.containers[0].name}")
    b = Cluster(seed=0).kubectl("create deploy web --image=my.app_x:1 --dry-run=client -o jsonpath={.spec.template.spec.containers[0].name}")
    assert a.stdout == b.stdout
    assert re.fullmatch(r"my-app-x-[bcdfghjklmnpqrstvwxz2456789]{5}", a.stdout)


# -- against the simulated API server -----------------------------------------------------------------

@pytest.fixture
def cluster():
    return Cluster(seed=0)


@pytest.mark.parametrize("cmd,created,again", [
    ("create deployment web --image=nginx", "deployment.apps/web created",
     'error: failed to create deployment: deployments.apps "web" already exists'),
    ("create configmap cm --from-literal=a=1", "configmap/cm created",
     'error: failed to create configmap: configmaps "cm" already exists'),
    ("create secret generic s --from-literal=a=1", "secret/s created",
     'error: failed to create secret secrets "s" already exists'),
    ("create secret docker-registry reg --docker-username=u --docker-password=p", "secret/reg created",
     'error: failed to create secret secrets "reg" already exists'),
    ("create service clusterip api --tcp=80", "service/api created",
     'error: failed to create ClusterIP service: services "api" already exists'),
    ("create service nodeport np --tcp=80", "service/np created",
     'error: failed to create NodePort service: services "np" already exists'),
    ("create service externalname ext --external-name=db.example.com", "service/ext created",
     'error: failed to create ExternalName service: services "ext" already exists'),
    ("create serviceaccount bot", "serviceaccount/bot created",
     'error: failed to create serviceaccount: serviceaccounts "bot" already exists'),
    ("create job j --image=busybox", "job.batch/j created",
     'error: failed to create job: jobs.batch "j" already exists'),
    ("create cronjob cj --image=busybox --schedule=@hourly", "cronjob.batch/cj created",
     'error: failed to create cronjob: cronjobs.batch "cj" already exists'),
    ("create ingress ing --rule=a.com/=web:80", "ingress.networking.k8s.io/ing created",
     'error: failed to create ingress: ingresses.networking.k8s.io "ing" already exists'),
    ("create quota q --hard=pods=2", "resourcequota/q created",
     'error: failed to create quota: resourcequotas "q" already exists'),
    ("create priorityclass hi --value=10", "priorityclass.scheduling.k8s.io/hi created",
     'error: failed to create priorityclass: priorityclasses.scheduling.k8s.io "hi" already exists'),
    ("create rolebinding rb --clusterrole=view --user=u", "rolebinding.rbac.authorization.k8s.io/rb created",
     'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "rb" already exists'),
    ("create clusterrolebinding crb --clusterrole=view --user=u",
     "clusterrolebinding.rbac.authorization.k8s.io/crb created",
     'error: failed to create clusterrolebinding: clusterrolebindings.rbac.authorization.k8s.io "crb" already exists'),
    ("create namespace dev", "namespace/dev created",
     'Error from server (AlreadyExists): namespaces "dev" already exists'),
])
def test_created_then_already_exists(cluster, cmd, created, again):
    first = cluster.kubectl(cmd)
    assert (first.stdout, first.stderr, first.exit_code) == (created + "\n", "", 0)
    second = cluster.kubectl(cmd)
    assert (second.stdout, second.stderr, second.exit_code) == ("", again + "\n", 1)


def test_created_objects_carry_server_defaults(cluster):
    cluster.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
    d = cluster.api.get(_rt("deployments"), "default", "web")
    assert d["spec"]["replicas"] == 2
    assert d["spec"]["strategy"]["type"] == "RollingUpdate"
    c = d["spec"]["template"]["spec"]["containers"][0]
    assert (c["name"], c["image"], c["ports"]) == ("nginx", "nginx", [{"containerPort": 80, "protocol": "TCP"}])
    assert d["metadata"]["labels"] == {"app": "web"}
    assert "creationTimestamp" in d["metadata"] and d["metadata"]["creationTimestamp"]
    cluster.kubectl("create secret generic s --from-literal=password=s3cret")
    s = cluster.api.get(_rt("secrets"), "default", "s")
    assert (s["type"], s["data"]) == ("Opaque", {"password": base64.b64encode(b"s3cret").decode()})
    cluster.kubectl("create service nodeport np --tcp=80:8080 --node-port=30001")
    svc = cluster.api.get(_rt("services"), "default", "np")
    assert svc["spec"]["type"] == "NodePort"
    assert svc["spec"]["ports"] == [{"name": "80-8080", "nodePort": 30001, "port": 80, "protocol": "TCP",
                                     "targetPort": 8080}]
    assert svc["spec"]["clusterIP"].startswith("10.43.")


def test_namespace_flag_places_the_object(cluster):
    cluster.kubectl("create namespace dev")
    r = cluster.kubectl("create configmap cm -n dev --from-literal=a=1")
    assert r.stdout == "configmap/cm created\n"
    assert cluster.api.try_get(_rt("configmaps"), "dev", "cm") is not None
    assert cluster.api.try_get(_rt("configmaps"), "default", "cm") is None


def test_server_dry_run_persists_nothing(cluster):
    r = cluster.kubectl("create deployment web --image=nginx --dry-run=server")
    assert (r.stdout, r.exit_code) == ("deployment.apps/web created (server dry run)\n", 0)
    assert cluster.api.try_get(_rt("deployments"), "default", "web") is None


def test_client_dry_run_persists_nothing(cluster):
    r = cluster.kubectl("create namespace dev --dry-run=client")
    assert r.stdout == "namespace/dev created (dry run)\n"
    assert cluster.api.try_get(_rt("namespaces"), None, "dev") is None


def test_save_config_annotation_is_the_typed_json(cluster):
    cluster.kubectl("create deployment web --image=nginx --save-config")
    d = cluster.api.get(_rt("deployments"), "default", "web")
    assert d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == (
        '{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","creationTimestamp":null,'
        '"labels":{"app":"web"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":'
        '{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx",'
        '"image":"nginx","resources":{}}]}},"strategy":{}},"status":{}}\n')
    # apply afterwards finds the annotation: no warning
    r = cluster.kubectl("apply -f -", stdin=json.dumps({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}))
    assert r.stderr == ""


def test_server_answer_printed_typed(cluster):
    r = cluster.kubectl("create serviceaccount bot -o json")
    doc = json.loads(r.stdout)
    assert list(doc) == ["kind", "apiVersion", "metadata"]
    assert list(doc["metadata"]) == ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"]


def test_job_from_cronjob(cluster):
    cluster.kubectl("create cronjob cj --image=busybox --schedule=@hourly -- echo hi")
    r = cluster.kubectl("create job manual --from=cronjob/cj")
    assert r.stdout == "job.batch/manual created\n"
    job = cluster.api.get(_rt("jobs"), "default", "manual")
    cj = cluster.api.get(_rt("cronjobs"), "default", "cj")
    assert job["metadata"]["annotations"] == {"cronjob.kubernetes.io/instantiate": "manual"}
    assert job["metadata"]["ownerReferences"] == [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "cj",
                                                   "uid": cj["metadata"]["uid"], "controller": True}]
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == ["echo", "hi"]
    missing = cluster.kubectl("create job m2 --from=cronjob/nope")
    assert (missing.stderr, missing.exit_code) == ('Error from server (NotFound): cronjobs.batch "nope" not found\n', 1)
    cluster.kubectl("create deployment web --image=nginx")
    wrong = cluster.kubectl("create job m3 --from=deployment/web")
    assert wrong.stderr == "error: unknown object type *v1.Deployment\n"


def test_bad_input_changes_nothing(cluster):
    before = len(cluster.api.list(_rt("services"), "default"))
    r = cluster.kubectl("create service clusterip api --tcp=80:0")
    assert (r.stderr, r.exit_code) == ("error: must be between 1 and 65535, inclusive\n", 1)
    assert len(cluster.api.list(_rt("services"), "default")) == before


def _rt(name):
    from labsim.api.registry import REGISTRY

    return REGISTRY.resolve(name)
