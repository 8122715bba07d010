"""Seed 004 L96-183: the flask-deploy Deployment (sakuragaara/flaskapp cannot be pulled, so nginx
stands in, course outline A.2), scaled, updated with `set image`, its history and an undo to
revision 1, a `patch` of the replicas, and the seed's canary: maxSurge 1 / maxUnavailable 0, then
`set image` followed at once by `rollout pause` leaves exactly one new pod next to the old ones.

The seed shows its outputs as screenshots only; the assertions are what a v1.32 cluster answers
(workload-controllers.md §2, verbs.md §6, §7, §11)."""
import pytest

from labsim import Cluster
from labsim.presets import preload_images

FLASK_DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: flask-deploy
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels:
      app: flask
  template:
    metadata:
      name: flask-pod
      namespace: default
      labels:
        app: flask
        langure: python
    spec:
      containers:
      - name: flask-container
        image: nginx:1.27
        imagePullPolicy: IfNotPresent
        ports:
        - name: http
          containerPort: 80
        livenessProbe:
          httpGet:
            port: 80
            scheme: HTTP
            path: /index.html
          initialDelaySeconds: 10
          timeoutSeconds: 5
"""


@pytest.fixture(params=(0, 7), ids=lambda s: f"seed{s}")
def c(request):
    cluster = Cluster(seed=request.param)
    preload_images(cluster, ["nginx:1.27", "nginx:1.28"])
    r = cluster.kubectl("apply -f - --record", stdin=FLASK_DEPLOY)
    assert r.stdout == "deployment.apps/flask-deploy created\n"
    assert r.stderr == "Flag --record has been deprecated, --record will be removed in the future\n"
    cluster.advance(20)
    return cluster


def rs_table(c) -> dict[str, list[str]]:
    """image -> [DESIRED, CURRENT, READY] from `get rs -o wide`."""
    rows = c.kubectl("get rs -o wide").stdout.splitlines()[1:]
    return {row.split()[6]: row.split()[1:4] for row in rows}


def test_scale_update_history_undo(c):
    assert rs_table(c) == {"nginx:1.27": ["2", "2", "2"]}
    assert c.kubectl("scale deployment flask-deploy --replicas=3").stdout == "deployment.apps/flask-deploy scaled\n"
    c.advance(10)
    assert rs_table(c) == {"nginx:1.27": ["3", "3", "3"]}
    assert c.kubectl("set image deployment flask-deploy flask-container=nginx:1.28").stdout == \
        "deployment.apps/flask-deploy image updated\n"
    c.advance(30)
    assert rs_table(c) == {"nginx:1.27": ["0", "0", "0"], "nginx:1.28": ["3", "3", "3"]}
    # the change-cause `apply --record` wrote stays on the Deployment and is copied to every new
    # ReplicaSet until something overwrites it
    cause = "kubectl apply --filename=- --record=true"
    assert c.kubectl("rollout history deployment flask-deploy").stdout == (
        f"deployment.apps/flask-deploy \nREVISION  CHANGE-CAUSE\n1         {cause}\n2         {cause}\n\n")
    rev1 = c.kubectl("rollout history deployment flask-deploy --revision=1").stdout
    assert rev1.startswith("deployment.apps/flask-deploy with revision #1\nPod Template:\n  Labels:\tapp=flask\n"
                           "\tlangure=python\n\tpod-template-hash=")
    assert f"  Annotations:\tkubernetes.io/change-cause: {cause}\n" in rev1
    assert "    Image:\tnginx:1.27\n" in rev1
    assert ("    Liveness:\thttp-get http://:80/index.html delay=10s timeout=5s period=10s #success=1 #failure=3\n"
            in rev1)
    assert c.kubectl("rollout undo deployment flask-deploy --to-revision=1").stdout == \
        "deployment.apps/flask-deploy rolled back\n"
    c.advance(30)
    assert rs_table(c) == {"nginx:1.27": ["3", "3", "3"], "nginx:1.28": ["0", "0", "0"]}
    assert c.kubectl("rollout history deployment flask-deploy").stdout == (
        f"deployment.apps/flask-deploy \nREVISION  CHANGE-CAUSE\n2         {cause}\n3         {cause}\n\n")
    assert c.kubectl("""patch deployment flask-deploy -p '{"spec":{"replicas":5}}'""").stdout == \
        "deployment.apps/flask-deploy patched\n"
    c.advance(10)
    assert rs_table(c) == {"nginx:1.27": ["5", "5", "5"], "nginx:1.28": ["0", "0", "0"]}


def test_canary_with_pause(c):
    c.kubectl("scale deployment flask-deploy --replicas=3")
    c.advance(10)
    r = c.kubectl("""patch deploy flask-deploy -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}'""")
    assert r.stdout == "deployment.apps/flask-deploy patched\n"
    assert "RollingUpdateStrategy:  0 max unavailable, 1 max surge\n" in c.kubectl("describe deploy flask-deploy").stdout
    c.kubectl("set image deploy flask-deploy flask-container=nginx:1.28")
    assert c.kubectl("rollout pause deployment flask-deploy").stdout == "deployment.apps/flask-deploy paused\n"
    # kubectl's ObjectPauser refuses an already paused Deployment ("is already paused"), which
    # pause.go prints as a per-object error (the docs' "already paused" line is for a patch that
    # came out empty)
    r = c.kubectl("rollout pause deployment flask-deploy")
    assert (r.exit_code, r.stderr) == (1, 'error: deployments.apps "flask-deploy" is already paused\n')
    c.advance(60)
    # one canary pod next to all the old ones, and it stays so while paused
    assert rs_table(c) == {"nginx:1.27": ["3", "3", "3"], "nginx:1.28": ["1", "1", "1"]}
    assert c.kubectl("rollout status deployment flask-deploy --watch=false").stdout == (
        'Waiting for deployment "flask-deploy" rollout to finish: 1 out of 3 new replicas have been updated...\n')
    r = c.kubectl("rollout undo deployment flask-deploy")
    assert r.exit_code == 1 and r.stderr == ("error: you cannot rollback a paused deployment; resume it first with "
                                             "'kubectl rollout resume' and try again\n")
    conditions = c.kubectl(["get", "deploy", "flask-deploy", "-o",
                            "jsonpath={.status.conditions[?(@.type=='Progressing')].reason}"])
    assert conditions.stdout == "DeploymentPaused"
    assert c.kubectl("rollout resume deployment flask-deploy").stdout == "deployment.apps/flask-deploy resumed\n"
    status = c.kubectl("rollout status deployment flask-deploy")
    assert status.exit_code == 0 and status.stdout.endswith('deployment "flask-deploy" successfully rolled out\n')
    assert rs_table(c) == {"nginx:1.27": ["0", "0", "0"], "nginx:1.28": ["3", "3", "3"]}
    r = c.kubectl("rollout resume deployment flask-deploy")
    assert r.exit_code == 1 and r.stderr == 'error: deployments.apps "flask-deploy" is not paused\n'
