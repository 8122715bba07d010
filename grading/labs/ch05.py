"""Chapter 05 Deployments: labs 05.1-05.7 (course outline Part B, "05 Deployments", Labs).

The checks read the store's history through chapter 03's helpers: ``live(W)`` and ``serving(sel)``
(outline A.6) are evaluated after every store write, ReplicaSets and Deployments are read as they
were at a checkpoint, and predict values come from the simulated run (ReplicaSet replicas, the
READY column, conditions, ``rollout status`` and ``rollout history`` output).
"""
from __future__ import annotations

import re

from grading.engine import GraderError, Key, Lab, Check, Run, fmt_t, is_ready
from grading.labs.ch03 import (controller_name, controller_uid, current, image_of, listed, matches,
                               min_serving, objects_at, obj_at, owned_pods, serving, walk, why_pods)
from labsim.kubectl.printers.tables import deployment_cells

# -- shared helpers -------------------------------------------------------------------------------------


def deploy_rs(objs, deploy_uid: str) -> list[dict]:
    """ReplicaSets controlled by the Deployment, oldest first (``objs``: ReplicaSet objects)."""
    out = [rs for rs in objs if controller_uid(rs) == deploy_uid]
    return sorted(out, key=lambda rs: (rs["metadata"].get("creationTimestamp", ""), rs["metadata"]["name"]))


def revision(rs: dict) -> int:
    return int(((rs.get("metadata") or {}).get("annotations") or {}).get("deployment.kubernetes.io/revision") or 0)


def condition_of(obj: dict | None, ctype: str) -> dict:
    for c in ((obj or {}).get("status") or {}).get("conditions") or []:
        if c.get("type") == ctype:
            return c
    return {}


def live_max(run: Run, deployment: str, namespace: str = "default") -> tuple[int, float, list[str]]:
    """(max, t, names) of live(W): pods controlled by the Deployment's ReplicaSets without a
    deletionTimestamp, over every write of the run."""
    high, high_t, high_names = -1, 0.0, []
    for t, state in walk(run):
        dep = state.get(("Deployment", namespace, deployment))
        if dep is None:
            continue
        uid = dep["metadata"]["uid"]
        rs_uids = {o["metadata"]["uid"] for (k, ns, _), o in state.items()
                   if k == "ReplicaSet" and ns == namespace and controller_uid(o) == uid}
        names = sorted(n for (k, ns, n), o in state.items()
                       if k == "Pod" and ns == namespace and controller_uid(o) in rs_uids
                       and not o["metadata"].get("deletionTimestamp"))
        if len(names) > high:
            high, high_t, high_names = len(names), t, names
    return high, high_t, high_names


def deploy_row(dep: dict, now: float) -> str:
    c = deployment_cells(dep, now)
    return f"READY {c[1]}, UP-TO-DATE {c[2]}, AVAILABLE {c[3]}"


def _doc_exists(resource: str, name: str):
    def fn(run: Run) -> tuple[bool, str]:
        obj = current(run, resource, name)
        if obj is None:
            rt = run.cluster.registry.resolve(resource)
            return False, f'{rt.group_resource} "{name}" not found'
        return True, ""
    return fn


# -- 05.1 · fix · four documents, two broken --------------------------------------------------------

GO_DEMO_DB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: go-demo-2-db
  labels:
    type: db
    service: go-demo-2
    vendor: MongoLabs
spec:
  selector:
    matchLabels:
      type: db
      service: go-demo-2
  strategy:
    type: Recreate
  template:
    metadata:
      labels:
        type: db
        service: go-demo-2
        vendor: MongoLabs
    spec:
      containers:
      - name: db
        image: mongo:3.3
"""

GO_DEMO_DB_SVC = """\
apiVersion: v1
kind: Service
metadata:
  name: go-demo-2-db
spec:
  ports:
  - port: 27017
  selector:
    type: db
    service: go-demo-2
"""

GO_DEMO_API = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: go-demo-2-api
  labels:
    type: api
    service: go-demo-2
    language: go
spec:
  replicas: 3
  selector:
    matchLabels:
      type: api
      service: go-demo-2
  template:
    metadata:
      labels:
        type: api
        service: go-demo-2
        language: go
    spec:
      containers:
      - name: api
        image: vfarcic/go-demo-2
        env:
        - name: DB
          value: go-demo-2-db
        readinessProbe:
          httpGet:
            path: /demo/hello
            port: 8080
          periodSeconds: 1
        livenessProbe:
          httpGet:
            path: /demo/hello
            port: 8080
"""

GO_DEMO_API_SVC = """\
apiVersion: v1
kind: Service
metadata:
  name: go-demo-2-api
spec:
  type: NodePort
  ports:
  - port: 8080
  selector:
    type: api
    service: go-demo-2
"""

FOUR_DOCS_ANSWER = "---\n".join([GO_DEMO_DB, GO_DEMO_DB_SVC, GO_DEMO_API, GO_DEMO_API_SVC])
FOUR_DOCS_STARTER = "# Lab 05.1: go-demo-2.yml as the tutorial printed it (re-indented).\n" + "---\n".join([
    GO_DEMO_DB.replace("  selector:\n    matchLabels:", "  selector:\n    metachLabels:"),
    GO_DEMO_DB_SVC,
    GO_DEMO_API.replace("apiVersion: apps/v1", "apiVersion: apps/v1beta2"),
    GO_DEMO_API_SVC])


def _db_deployment(run: Run) -> tuple[bool, str]:
    dep = current(run, "deployments", "go-demo-2-db")
    if dep is None:
        return False, 'deployments.apps "go-demo-2-db" not found'
    sel = dep["spec"].get("selector") or {}
    strategy = (dep["spec"].get("strategy") or {}).get("type")
    shown = ",".join(f"{k}={v}" for k, v in (sel.get("matchLabels") or {}).items())
    ok = sel.get("matchLabels") == {"type": "db", "service": "go-demo-2"} and not sel.get("matchExpressions") \
        and strategy == "Recreate"
    return ok, f"deployment.apps/go-demo-2-db: selector {shown}, strategy {strategy}"


def _api_deployment(run: Run) -> tuple[bool, str]:
    dep = current(run, "deployments", "go-demo-2-api")
    if dep is None:
        return False, 'deployments.apps "go-demo-2-api" not found'
    n = dep["spec"].get("replicas")
    return n == 3, f"deployment.apps/go-demo-2-api (apps/v1): replicas {n}"


def _services_unchanged(run: Run) -> tuple[bool, str]:
    problems, shown = [], []
    for name, typ, port, sel in (("go-demo-2-db", "ClusterIP", 27017, {"type": "db", "service": "go-demo-2"}),
                                 ("go-demo-2-api", "NodePort", 8080, {"type": "api", "service": "go-demo-2"})):
        svc = current(run, "services", name)
        if svc is None:
            problems.append(f'services "{name}" not found')
            continue
        spec = svc["spec"]
        ports = [p.get("port") for p in spec.get("ports") or []]
        if spec.get("type") != typ or ports != [port] or spec.get("selector") != sel:
            problems.append(f"service/{name} changed: {spec.get('type')} {ports} selector {spec.get('selector')}")
        else:
            shown.append(f"service/{name} {typ} {port}")
    return not problems, "; ".join(problems) if problems else ", ".join(shown)


def _available_at(name: str, want: int, t: float):
    def fn(run: Run) -> tuple[bool, str]:
        dep = obj_at(run, "Deployment", name, t)
        if dep is None:
            return False, f"no Deployment {name} at t={t:g}"
        avail = int((dep.get("status") or {}).get("availableReplicas") or 0)
        text = f"get deploy {name} shows {deploy_row(dep, run.t0 + t)} at t={t:g}"
        if avail != want:
            rss = deploy_rs(objects_at(run, "ReplicaSet", t).values(), dep["metadata"]["uid"])
            pods = [p for rs in rss for p in owned_pods(list(objects_at(run, "Pod", t).values()),
                                                        rs["metadata"]["uid"])]
            why = why_pods(run, pods, t)
            if why:
                text += f"; {why}"
        return avail == want, text
    return fn


LAB_05_1 = Lab(
    id="05.1", kind="fix", title="Four documents, two broken",
    task="Apply go-demo-2.yml so that all four objects exist and go-demo-2-api serves on 3 available "
         "pods by t=90.",
    starter=FOUR_DOCS_STARTER,
    answer=FOUR_DOCS_ANSWER,
    hint="A multi-document apply creates the good documents and lists the failures at the end. "
         "Each failure comes from a different layer.",
    images=("mongo:3.3", "vfarcic/go-demo-2", "docker.io/vfarcic/go-demo-2:latest"),
    checkpoints=(90,),
    until=90,
    checks=[
        Check("Deployment go-demo-2-db selects type=db,service=go-demo-2 with strategy Recreate", _db_deployment),
        Check("Deployment go-demo-2-api is apps/v1 with 3 replicas", _api_deployment),
        Check("both Services exist as written", _services_unchanged),
        Check("go-demo-2-api AVAILABLE 3 at t=90", _available_at("go-demo-2-api", 3, 90)),
    ],
)

# -- 05.2 · write · zero-downtime update --------------------------------------------------------------

ZERO_STARTER = """\
# Lab 05.2: Deployment web, 4 × nginx:1.27. At t=60 the grader runs
#   kubectl set image deployment/web nginx=nginx:1.28
# Serving pods must never drop below 4, and there may never be more than 5 pods.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""

ZERO_ANSWER = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet:
            path: /
            port: 80
          periodSeconds: 2
"""


def _has_readiness(name: str):
    def fn(run: Run) -> tuple[bool, str]:
        dep = current(run, "deployments", name)
        if dep is None:
            return False, f'deployments.apps "{name}" not found'
        probes = [c["name"] for c in dep["spec"]["template"]["spec"].get("containers") or []
                  if c.get("readinessProbe")]
        return bool(probes), f"readinessProbe on {', '.join(probes)}" if probes else "no container has a readinessProbe"
    return fn


def _serving_floor(selector: str, floor: int):
    def fn(run: Run) -> tuple[bool, str]:
        low, t, names = min_serving(run, selector, from_first=floor)
        if low < 0:
            return False, f"serving({selector}) never reached {floor}"
        if low >= floor:
            return True, f"never fewer than {low} once {floor} were serving"
        return False, f"fell to {low} at t={fmt_t(t)}" + (f" ({', '.join(names)})" if names else "")
    return fn


def _live_ceiling(deployment: str, ceiling: int):
    def fn(run: Run) -> tuple[bool, str]:
        high, t, names = live_max(run, deployment)
        if high < 0:
            return False, f"no Deployment {deployment}"
        return high <= ceiling, f"max {high} at t={fmt_t(t)}"
    return fn


def _rollout_done_by(name: str, replicas: int, t: float):
    def fn(run: Run) -> tuple[bool, str]:
        dep = obj_at(run, "Deployment", name, t)
        if dep is None:
            return False, f"no Deployment {name} at t={t:g}"
        st = dep.get("status") or {}
        upd, avail = int(st.get("updatedReplicas") or 0), int(st.get("availableReplicas") or 0)
        rss = deploy_rs(objects_at(run, "ReplicaSet", t).values(), dep["metadata"]["uid"])
        tmpl = image_of(dep)
        old = [rs for rs in rss if image_of(rs) != tmpl]
        old_n = sum(int(rs["spec"].get("replicas") or 0) for rs in old)
        ok = upd == replicas and avail == replicas and old_n == 0 and bool(old)
        text = f"get deploy {name} shows {deploy_row(dep, run.t0 + t)} at t={t:g}"
        if not old:
            text += "; there is no old ReplicaSet (no rollout happened)"
        elif old_n:
            text += f"; old ReplicaSet{'s' if len(old) > 1 else ''} still at {old_n} replicas"
        return ok, text
    return fn


LAB_05_2 = Lab(
    id="05.2", kind="write", title="Zero-downtime update",
    task="Write Deployment `web`: 4 replicas of nginx:1.27, label `app=web`, container `nginx`, with a "
         "readiness probe. At t=60 the grader runs `kubectl set image deployment/web nginx=nginx:1.28`. "
         "Once 4 pods serve, serving pods must never drop below 4; never more than 5 live pods; the "
         "rollout must be finished by t=180.",
    starter=ZERO_STARTER,
    answer=ZERO_ANSWER,
    hint="maxUnavailable protects capacity, and maxSurge pays for it with extra pods. Both at 0 is "
         "invalid.",
    images=("nginx:1.27", "nginx:1.28"),
    actions=[(60, "kubectl set image deployment/web nginx=nginx:1.28")],
    until=180,
    checks=[
        Check("a readinessProbe is present", _has_readiness("web")),
        Check("throughout: serving(app=web) ≥ 4 once reached", _serving_floor("app=web", 4)),
        Check("throughout: live pods ≤ 5", _live_ceiling("web", 5)),
        Check("rollout complete by t=180", _rollout_done_by("web", 4, 180)),
    ],
)

# -- 05.3 · predict · where a broken rollout stops --------------------------------------------------------

SHOP_SETUP = """\
kubectl create deployment shop --image=nginx:1.27 --replicas=10
sleep 20
"""

SHOP_SCENARIO = """\
kubectl set image deployment/shop nginx=nginx:no-such-tag
sleep 120
"""


def _rs_replicas_at(deployment: str, which: str, t: float):
    def truth(runs: list[Run]) -> int:
        run = runs[0]
        dep = obj_at(run, "Deployment", deployment, t)
        if dep is None:
            raise GraderError(f"no Deployment {deployment} at t={t:g}")
        rss = deploy_rs(objects_at(run, "ReplicaSet", t).values(), dep["metadata"]["uid"])
        tmpl = image_of(dep)
        new = [rs for rs in rss if image_of(rs) == tmpl]
        old = [rs for rs in rss if image_of(rs) != tmpl]
        pick = new if which == "new" else old
        if not pick:
            raise GraderError(f"Deployment {deployment} has no {which} ReplicaSet at t={t:g}")
        return sum(int(rs["spec"].get("replicas") or 0) for rs in pick)
    return truth


def _ready_column(deployment: str, t: float):
    def truth(runs: list[Run]) -> str:
        dep = obj_at(runs[0], "Deployment", deployment, t)
        if dep is None:
            raise GraderError(f"no Deployment {deployment} at t={t:g}")
        return deployment_cells(dep, runs[0].t0 + t)[1]
    return truth


def _condition_at(deployment: str, ctype: str, field: str, t: float):
    def truth(runs: list[Run]) -> str:
        dep = obj_at(runs[0], "Deployment", deployment, t)
        c = condition_of(dep, ctype)
        if not c:
            raise GraderError(f"Deployment {deployment} has no {ctype} condition at t={t:g}")
        return c.get(field, "")
    return truth


LAB_05_3 = Lab(
    id="05.3", kind="predict", title="Where a broken rollout stops",
    task="Deployment `shop` has 10 available replicas (strategy defaults 25%/25%). The grader runs "
         "`kubectl set image deployment/shop nginx=nginx:no-such-tag` and waits 120 s. Give `old` "
         "(the old ReplicaSet's replicas), `new` (the new ReplicaSet's replicas), `ready` (the READY "
         "column of `get deploy`) and `available` (the status of the Available condition).",
    starter="old: \nnew: \nready: \navailable: \n",
    answer="old: 8\nnew: 5\nready: 8/10\navailable: True\n",
    hint="Surge rounds up, unavailable rounds down. Old pods go only while enough stay available, and "
         "broken new pods never become available.",
    setup=SHOP_SETUP,
    images=("nginx:1.27",),
    scenario=SHOP_SCENARIO,
    until=120,
    keys=[
        Key("old", "old ReplicaSet replicas at t=120", _rs_replicas_at("shop", "old", 120), kind="int"),
        Key("new", "new ReplicaSet replicas at t=120", _rs_replicas_at("shop", "new", 120), kind="int"),
        Key("ready", "READY column at t=120", _ready_column("shop", 120)),
        Key("available", "Available condition at t=120", _condition_at("shop", "Available", "status", 120)),
    ],
)

# -- 05.4 · predict · which ReplicaSet owns the pods ------------------------------------------------------

OWNER_SCENARIO = """\
kubectl create deployment web --image=nginx:1.27 --replicas=3
sleep 30
kubectl set image deployment/web nginx=nginx:1.28
sleep 60
kubectl set image deployment/web nginx=nginx:1.27
sleep 60
"""


def _rs_count(runs: list[Run]) -> int:
    dep = current(runs[0], "deployments", "web")
    if dep is None:
        raise GraderError("no Deployment web at the end")
    return len(deploy_rs(listed(runs[0], "replicasets"), dep["metadata"]["uid"]))


def _owner(runs: list[Run]) -> str:
    run = runs[0]
    dep = current(run, "deployments", "web")
    rss = deploy_rs(listed(run, "replicasets"), dep["metadata"]["uid"])
    pods = [p for p in listed(run, "pods") if not p["metadata"].get("deletionTimestamp")
            and matches("app=web", p["metadata"].get("labels"))]
    owners = {controller_uid(p) for p in pods}
    if len(owners) != 1 or not rss:
        raise GraderError(f"the web pods have {len(owners)} owners at the end")
    uid = owners.pop()
    if uid == rss[0]["metadata"]["uid"]:
        return "first"
    if uid == rss[-1]["metadata"]["uid"]:
        return "newest"
    return "other"


def _history_revisions(deployment: str):
    def truth(runs: list[Run]) -> str:
        r = runs[0].kubectl(f"rollout history deployment/{deployment}")
        if r.exit_code != 0:
            raise GraderError(f"rollout history failed: {r.output.strip()}")
        revs = [ln.split()[0] for ln in r.stdout.splitlines() if re.match(r"^\d+\s", ln)]
        if not revs:
            raise GraderError(f"rollout history printed no revisions: {r.output.strip()}")
        return ",".join(revs)
    return truth


LAB_05_4 = Lab(
    id="05.4", kind="predict", title="Which ReplicaSet owns the pods",
    task="The scenario creates Deployment `web` (nginx:1.27, 3 replicas), changes its image to "
         "nginx:1.28 at t=30 and back to nginx:1.27 at t=90, and ends at t=150. Give `rs_count` "
         "(how many ReplicaSets exist), `owner` (which ReplicaSet owns the pods: `first` or `newest`) "
         "and `revisions` (the revision numbers `rollout history` lists, comma-separated).",
    starter="rs_count: \nowner: \nrevisions: \n",
    answer="rs_count: 2\nowner: first\nrevisions: 2,3\n",
    hint="The RS name comes from a hash of the pod template. A template that returns to an old value "
         "returns to the old RS.",
    images=("nginx:1.27", "nginx:1.28"),
    scenario=OWNER_SCENARIO,
    until=150,
    keys=[
        Key("rs_count", "how many ReplicaSets exist at the end", _rs_count, kind="int"),
        Key("owner", "which ReplicaSet owns the pods", _owner),
        Key("revisions", "revisions rollout history lists", _history_revisions("web")),
    ],
)

# -- 05.5 · command · canary by pause ---------------------------------------------------------------------

CANARY_SETUP = """\
kubectl create deployment flask-deploy --image=nginx:1.27 --replicas=5
sleep 20
"""

CANARY_ANSWER = """\
kubectl patch deployment flask-deploy -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}'
kubectl set image deployment/flask-deploy nginx=nginx:1.28
kubectl rollout pause deployment/flask-deploy
"""


def _paused_with_strategy(run: Run) -> tuple[bool, str]:
    dep = current(run, "deployments", "flask-deploy")
    if dep is None:
        return False, 'deployments.apps "flask-deploy" not found'
    ru = (dep["spec"].get("strategy") or {}).get("rollingUpdate") or {}
    paused = bool(dep["spec"].get("paused"))
    ok = paused and str(ru.get("maxSurge")) == "1" and str(ru.get("maxUnavailable")) == "0"
    return ok, f"paused: {str(paused).lower()}, maxSurge {ru.get('maxSurge')}, maxUnavailable {ru.get('maxUnavailable')}"


def _rs_by_image(image: str, want: int):
    def fn(run: Run) -> tuple[bool, str]:
        dep = current(run, "deployments", "flask-deploy")
        if dep is None:
            return False, 'deployments.apps "flask-deploy" not found'
        rss = [rs for rs in deploy_rs(listed(run, "replicasets"), dep["metadata"]["uid"]) if image_of(rs) == image]
        if not rss:
            return False, f"no ReplicaSet runs {image}"
        rs = rss[-1]
        n = int(rs["spec"].get("replicas") or 0)
        ready = len([p for p in owned_pods(listed(run, "pods"), rs["metadata"]["uid"]) if is_ready(p)])
        return n == want and ready == want, f"replicaset.apps/{rs['metadata']['name']}: {n} replicas, {ready} Ready"
    return fn


def _get_deploy_shows(name: str, want: str):
    def fn(run: Run) -> tuple[bool, str]:
        r = run.kubectl(f"get deploy {name} --no-headers")
        if r.exit_code != 0:
            return False, r.output.strip()
        cols = r.stdout.split()
        got = " ".join(cols[1:4])
        return got == want, f"kubectl get deploy {name}: READY {cols[1]}, UP-TO-DATE {cols[2]}, AVAILABLE {cols[3]}"
    return fn


LAB_05_5 = Lab(
    id="05.5", kind="command", title="Canary by pause",
    task="`flask-deploy` runs 5 × nginx:1.27 (nginx stands in for the tutorial's flask image). Use "
         "`kubectl patch` to set maxSurge 1 / maxUnavailable 0, start an update to nginx:1.28 and "
         "pause, so that exactly one 1.28 pod runs beside five 1.27 pods. Leave it paused. The grader "
         "looks 60 s after your last line.",
    starter="# Lab 05.5: one kubectl command per line; `sleep N` passes time.\n",
    answer=CANARY_ANSWER,
    hint="Pausing first freezes everything, including the canary. Change first, then pause straight "
         "after.",
    setup=CANARY_SETUP,
    images=("nginx:1.27", "nginx:1.28"),
    settle_after_script=60,
    checks=[
        Check("paused, with maxSurge 1 and maxUnavailable 0", _paused_with_strategy),
        Check("the nginx:1.28 ReplicaSet has 1 replica, 1 Ready", _rs_by_image("nginx:1.28", 1)),
        Check("the nginx:1.27 ReplicaSet has 5 replicas, 5 Ready", _rs_by_image("nginx:1.27", 5)),
        Check("get deploy shows 6/5 1 6", _get_deploy_shows("flask-deploy", "6/5 1 6")),
    ],
)

# -- 05.6 · command · new configuration, no outage ----------------------------------------------------------

MC_CONFIG_OLD = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: mc-user-config
data:
  DATASOURCE_URL: jdbc:mysql://mysql/mc-user
  DATASOURCE_USERNAME: root
  DATASOURCE_PASSWORD: "654321"
"""

MC_USER_DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mc-user
spec:
  replicas: 3
  selector:
    matchLabels:
      app: mc-user
  template:
    metadata:
      labels:
        app: mc-user
    spec:
      containers:
      - name: mc-user
        image: nginx:1.27
        envFrom:
        - configMapRef:
            name: mc-user-config
        readinessProbe:
          httpGet:
            path: /
            port: 80
          periodSeconds: 2
"""

MC_CONFIG_SETUP = "kubectl apply -f - <<'EOF'\n" + MC_CONFIG_OLD + "---\n" + MC_USER_DEPLOY + "EOF\nsleep 20\n"

NEW_VALUES = {"DATASOURCE_URL": "jdbc:mysql://mysql-new/mc-user", "DATASOURCE_PASSWORD": "123456"}

MC_CONFIG_NEW_BAD = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: mc-user-config
data:
  DATASOURCE_URL: jdbc:mysql://mysql-new/mc-user
  DATASOURCE_USERNAME: root
  DATASOURCE_PASSWORD: 123456
"""

MC_CONFIG_STARTER = """\
# Lab 05.6: one kubectl command per line; `sleep N` passes time.
kubectl apply -f - <<'EOF'
""" + MC_CONFIG_NEW_BAD + "EOF\n"

MC_CONFIG_ANSWER = """\
kubectl apply -f - <<'EOF'
""" + MC_CONFIG_NEW_BAD.replace("123456", '"123456"') + """EOF
kubectl rollout restart deployment/mc-user
sleep 30
"""


def _configmap_values(run: Run) -> tuple[bool, str]:
    cm = current(run, "configmaps", "mc-user-config")
    if cm is None:
        return False, 'configmaps "mc-user-config" not found'
    data = cm.get("data") or {}
    wrong = [f"{k}={data.get(k)!r}" for k, v in NEW_VALUES.items() if data.get(k) != v]
    if wrong:
        return False, "data still holds " + ", ".join(wrong)
    return True, ", ".join(f"{k}={data[k]}" for k in NEW_VALUES)


def _pods_see_new_values(run: Run) -> tuple[bool, str]:
    dep = current(run, "deployments", "mc-user")
    if dep is None:
        return False, 'deployments.apps "mc-user" not found'
    rss = deploy_rs(listed(run, "replicasets"), dep["metadata"]["uid"])
    newest = max(rss, key=revision, default=None)
    if newest is None:
        return False, "mc-user has no ReplicaSet"
    pods = owned_pods(listed(run, "pods"), newest["metadata"]["uid"])
    if not pods:
        return False, f"replicaset.apps/{newest['metadata']['name']} has no pods"
    stale = []
    for p in pods:
        name = p["metadata"]["name"]
        for key, value in NEW_VALUES.items():
            r = run.kubectl(f"exec {name} -- printenv {key}")
            got = r.stdout.strip() if r.exit_code == 0 else r.output.strip()
            if got != value:
                stale.append(f"kubectl exec {name} -- printenv {key} prints {got!r}")
    if stale:
        return False, "; ".join(stale[:2]) + (f" (and {len(stale) - 2} more)" if len(stale) > 2 else "")
    return True, f"all {len(pods)} pods of replicaset.apps/{newest['metadata']['name']} print the new values"


LAB_05_6 = Lab(
    id="05.6", kind="command", title="New configuration, no outage",
    task="Deployment `mc-user` (3 replicas, nginx stands in for the tutorial's image) reads ConfigMap "
         "`mc-user-config` with `envFrom`. Apply the new mc-user-config in the starter (fix it if it is "
         "rejected) and make every mc-user pod see it, keeping at least 2 pods serving throughout. "
         "The grader looks 20 s after your last line.",
    starter=MC_CONFIG_STARTER,
    answer=MC_CONFIG_ANSWER,
    hint="ConfigMap values must be strings. Environment variables are read only when a container "
         "starts; `kubectl rollout restart` starts new ones gradually.",
    setup=MC_CONFIG_SETUP,
    images=("nginx:1.27",),
    checks=[
        Check("the ConfigMap holds the new values as strings", _configmap_values),
        Check("every pod of the current ReplicaSet prints the new values", _pods_see_new_values),
        Check("throughout: serving(app=mc-user) ≥ 2", _serving_floor("app=mc-user", 2)),
    ],
)

# -- 05.7 · predict · the deadline ------------------------------------------------------------------------

API_SETUP = """\
kubectl apply -f - <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 4
  progressDeadlineSeconds: 60
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
        image: nginx:1.27
EOF
sleep 20
"""

API_SCENARIO = """\
kubectl set image deployment/api nginx=1.9.1
sleep 120
"""

STATUS_CHOICES = {
    "A": 'Waiting for deployment "api" rollout to finish: 0 of 4 updated replicas are available...',
    "B": 'Waiting for deployment "api" rollout to finish: 2 out of 4 new replicas have been updated...',
    "C": 'Waiting for deployment "api" rollout to finish: 1 old replicas are pending termination...',
    "D": 'deployment "api" successfully rolled out',
}


def _status_letter(t: float):
    def truth(runs: list[Run]) -> str:
        run = runs[0]
        for at, cmd, step in run.actions:
            if at == t and "rollout status" in cmd:
                line = (step.result.stdout if step.result is not None else "").strip()
                for letter, text in STATUS_CHOICES.items():
                    if line == text:
                        return letter
                raise GraderError(f"rollout status printed {line!r}, none of the choices")
        raise GraderError(f"no rollout status at t={t:g}")
    return truth


def _serving_at(selector: str, t: float):
    def truth(runs: list[Run]) -> int:
        state = {("Pod", "default", n): p for n, p in objects_at(runs[0], "Pod", t).items()}
        return len(serving(state, selector))
    return truth


def _rolled_back(deployment: str, old_image: str, t: float):
    def truth(runs: list[Run]) -> str:
        dep = obj_at(runs[0], "Deployment", deployment, t)
        if dep is None:
            raise GraderError(f"no Deployment {deployment} at t={t:g}")
        return "yes" if image_of(dep, "nginx") == old_image else "no"
    return truth


LAB_05_7 = Lab(
    id="05.7", kind="predict", title="The deadline",
    task="Deployment `api` (4 replicas, progressDeadlineSeconds 60, defaults otherwise). At t=0 the "
         "grader runs `kubectl set image deployment/api nginx=1.9.1` and at t=30 "
         "`kubectl rollout status deployment/api --watch=false`. Give `status30` (the letter of the line "
         "it prints), `reason120` (the Progressing condition's reason at t=120), `serving120` (serving "
         "pods at t=120) and `rolledback` (yes/no: is the spec's image back to nginx:1.27 at t=120?).",
    starter="status30: \nreason120: \nserving120: \nrolledback: \n",
    answer="status30: B\nreason120: ProgressDeadlineExceeded\nserving120: 3\nrolledback: no\n",
    hint="The deadline only marks the rollout as failed. Nothing is undone for you.",
    setup=API_SETUP,
    images=("nginx:1.27",),
    scenario=API_SCENARIO,
    actions=[(30, "kubectl rollout status deployment/api --watch=false")],
    checkpoints=(120,),
    until=120,
    keys=[
        Key("status30", "the line rollout status prints at t=30 (A-D)", _status_letter(30)),
        Key("reason120", "Progressing reason at t=120", _condition_at("api", "Progressing", "reason", 120)),
        Key("serving120", "serving pods at t=120", _serving_at("app=api", 120), kind="int"),
        Key("rolledback", "image back to nginx:1.27 at t=120 (yes/no)", _rolled_back("api", "nginx:1.27", 120)),
    ],
)

LABS = [LAB_05_1, LAB_05_2, LAB_05_3, LAB_05_4, LAB_05_5, LAB_05_6, LAB_05_7]

__all__ = ["LABS", "deploy_rs", "revision", "condition_of", "live_max", "controller_name"]
