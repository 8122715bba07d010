"""Chapter 03 ReplicaSets: labs 03.1-03.6 (course outline Part B, "03 ReplicaSets", Labs).

Besides the engine's pod snapshots, these labs read the store's history: every write of every
object (ReplicaSets, pods, events) with its simulated time, so that "throughout" checks replay the
cluster write by write and "by t=X" checks read a ReplicaSet as it was at X. The helpers for that
(``walk``, ``objects_at``, ``serving_series``) are shared with chapter 05.
"""
from __future__ import annotations

from typing import Callable, Iterator

from grading.engine import (GraderError, Key, Lab, Check, Run, fmt_t, is_ready, last_warning)
from labsim.api.labels import parse as parse_selector, selector_from_label_selector
from labsim.api.store import DELETED
from labsim.kubectl.printers.tables import replicaset_cells

# -- reading the run's history (shared with ch05) ---------------------------------------------------

StateKey = tuple[str, str, str]  # (kind, namespace, name)


def walk(run: Run) -> Iterator[tuple[float, dict[StateKey, dict]]]:
    """``(t, state)`` once for the state at t=0, then after every store write up to the end of the
    run. ``state`` maps ``(kind, namespace, name)`` to the stored object; it is the same dict
    each time (read it, do not keep it)."""
    state: dict[StateKey, dict] = {}
    started = False
    for ev in run.cluster.store.history:
        t = ev.time - run.t0
        if not started and t >= -1e-9:
            started = True
            yield 0.0, state
        md = ev.object.get("metadata") or {}
        key = (ev.resource.kind, md.get("namespace") or "", md.get("name", ""))
        if ev.type == DELETED:
            state.pop(key, None)
        else:
            state[key] = ev.object
        if started:
            yield t, state
    if not started:
        yield 0.0, state


def objects_at(run: Run, kind: str, t: float, namespace: str = "default") -> dict[str, dict]:
    """Every ``kind`` object of ``namespace`` as stored at t (the last write at or before t)."""
    state: dict[str, dict] = {}
    limit = run.t0 + t + 1e-9
    for ev in run.cluster.store.history:
        if ev.time > limit:
            break
        if ev.resource.kind != kind:
            continue
        md = ev.object.get("metadata") or {}
        if (md.get("namespace") or "") != namespace:
            continue
        if ev.type == DELETED:
            state.pop(md["name"], None)
        else:
            state[md["name"]] = ev.object
    return state


def obj_at(run: Run, kind: str, name: str, t: float, namespace: str = "default") -> dict | None:
    return objects_at(run, kind, t, namespace).get(name)


def current(run: Run, resource: str, name: str, namespace: str = "default") -> dict | None:
    """The object as the store holds it at the end of the run."""
    rt = run.cluster.registry.resolve(resource)
    return run.cluster.api.try_get(rt, namespace, name)


def listed(run: Run, resource: str, namespace: str = "default") -> list[dict]:
    rt = run.cluster.registry.resolve(resource)
    return run.cluster.api.list(rt, namespace)


def matches(selector: str | dict, labels: dict | None) -> bool:
    sel = selector_from_label_selector(selector) if isinstance(selector, dict) else parse_selector(selector)
    return sel.matches(labels or {})


def serving(state: dict[StateKey, dict], selector: str, namespace: str = "default") -> list[str]:
    """A.6 serving(sel): pods matching ``sel``, Ready=True, without a deletionTimestamp."""
    out = []
    for (kind, ns, name), obj in state.items():
        if kind == "Pod" and ns == namespace and not obj["metadata"].get("deletionTimestamp") \
                and matches(selector, obj["metadata"].get("labels")) and is_ready(obj):
            out.append(name)
    return sorted(out)


def controller_uid(obj: dict | None) -> str | None:
    for ref in ((obj or {}).get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref.get("uid")
    return None


def controller_name(obj: dict | None) -> str | None:
    for ref in ((obj or {}).get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind')}/{ref.get('name')}"
    return None


def owned_pods(state_or_pods, owner_uid: str, namespace: str = "default") -> list[dict]:
    """Pods (not being deleted) whose controller is ``owner_uid``; ``state_or_pods`` is a walk
    state or a list of pods."""
    if isinstance(state_or_pods, dict):
        pods = [o for (k, ns, _), o in state_or_pods.items() if k == "Pod" and ns == namespace]
    else:
        pods = list(state_or_pods)
    return sorted((p for p in pods if controller_uid(p) == owner_uid
                   and not p["metadata"].get("deletionTimestamp")), key=lambda p: p["metadata"]["name"])


def image_of(obj: dict, container: str | None = None) -> str:
    spec = obj.get("spec") or {}
    if obj.get("kind") in ("ReplicaSet", "Deployment"):
        spec = ((spec.get("template") or {}).get("spec")) or {}
    for c in spec.get("containers") or []:
        if container is None or c.get("name") == container:
            return c.get("image", "")
    return ""


def rs_row(obj: dict, now: float) -> str:
    """``get rs`` columns as words: ``DESIRED 2, CURRENT 2, READY 2``."""
    cells = replicaset_cells(obj, now)
    return f"DESIRED {cells[1]}, CURRENT {cells[2]}, READY {cells[3]}"


def why_pods(run: Run, pods: list[dict], upto: float | None = None) -> str:
    """The newest Warning event of the first pod that has one: what ``describe pod`` would show."""
    for p in pods:
        w = last_warning(run, p["metadata"]["name"], upto)
        if w:
            return f"{p['metadata']['name']}: {w}"
    return ""


def min_serving(run: Run, selector: str, after: float = 0.0,
                from_first: int | None = None) -> tuple[int, float, list[str]]:
    """(min, t, names) of serving(sel) over every write from ``after`` on; with ``from_first`` the
    minimum counts only once serving first reached that number (A.6 "after the first time")."""
    low, low_t, low_names = None, 0.0, []
    reached = from_first is None
    for t, state in walk(run):
        if t < after - 1e-9:
            continue
        names = serving(state, selector)
        if not reached:
            reached = len(names) >= from_first
            if not reached:
                continue
        if low is None or len(names) < low:
            low, low_t, low_names = len(names), t, names
    if low is None:
        return -1, 0.0, []
    return low, low_t, low_names


def at_least_serving(selector: str, floor: int, label: str | None = None) -> Callable[[Run], tuple[bool, str]]:
    def fn(run: Run) -> tuple[bool, str]:
        low, t, names = min_serving(run, selector)
        if low < 0:
            return False, "nothing was observed"
        if low >= floor:
            return True, f"lowest {low}, first at t={fmt_t(t)}"
        return False, f"fell to {low} at t={fmt_t(t)}" + (f" ({', '.join(names)} serving)" if names else "")
    return fn


# -- 03.1 · fix · go-demo-2 -------------------------------------------------------------------------

GO_DEMO_CONTAINERS = """\
      containers:
      - name: db
        image: mongo:3.3
      - name: api
        image: vfarcic/go-demo-2
        env:
        - name: DB
          value: localhost
        livenessProbe:
          httpGet:
            path: /demo/hello
            port: 8080
"""

GO_DEMO_STARTER = """\
# Lab 03.1: the go-demo-2 ReplicaSet as the tutorial printed it (re-indented). It should run 2 pods.
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: go-demo-2
sepc:
  replicas: 2
  selector:
    matchLabels:
      type: backend
      service: go-demo-2
  template:
    metadata:
      labels:
        type: backend
        service:go-demo-2
        db: mongo
        language: go
    spec:
""" + GO_DEMO_CONTAINERS

GO_DEMO_ANSWER = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: go-demo-2
spec:
  replicas: 2
  selector:
    matchLabels:
      type: backend
      service: go-demo-2
  template:
    metadata:
      labels:
        type: backend
        service: go-demo-2
        db: mongo
        language: go
    spec:
""" + GO_DEMO_CONTAINERS
GO_DEMO_IMAGES = ("mongo:3.3", "vfarcic/go-demo-2", "docker.io/vfarcic/go-demo-2:latest")


def _rs_created(name: str, selector: dict, api_version: str = "apps/v1"):
    def fn(run: Run) -> tuple[bool, str]:
        rs = current(run, "replicasets", name)
        if rs is None:
            return False, f'replicasets.apps "{name}" not found'
        sel = (rs["spec"].get("selector") or {})
        shown = f"selector {', '.join(f'{k}={v}' for k, v in (sel.get('matchLabels') or {}).items())}"
        if sel.get("matchExpressions"):
            shown += f" plus {len(sel['matchExpressions'])} matchExpressions"
        ok = sel.get("matchLabels") == selector and not sel.get("matchExpressions")
        return ok, f"replicaset.apps/{name}: {shown}"
    return fn


def _template_labels_include(name: str, labels: dict):
    def fn(run: Run) -> tuple[bool, str]:
        rs = current(run, "replicasets", name)
        if rs is None:
            return False, f'replicasets.apps "{name}" not found'
        have = ((rs["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
        missing = [f"{k}={v}" for k, v in labels.items() if have.get(k) != v]
        shown = ",".join(f"{k}={v}" for k, v in sorted(have.items()))
        return not missing, f"template labels {shown}" + (f" (missing {', '.join(missing)})" if missing else "")
    return fn


def _containers_are(name: str, expected: list[tuple[str, str]]):
    def fn(run: Run) -> tuple[bool, str]:
        rs = current(run, "replicasets", name)
        if rs is None:
            return False, f'replicasets.apps "{name}" not found'
        have = [(c.get("name"), c.get("image")) for c in rs["spec"]["template"]["spec"].get("containers") or []]
        shown = ", ".join(f"{n} ({i})" for n, i in have)
        return have == expected, f"containers {shown}"
    return fn


def _rs_ready_at(name: str, want: int, t: float):
    def fn(run: Run) -> tuple[bool, str]:
        rs = obj_at(run, "ReplicaSet", name, t)
        if rs is None:
            return False, f"no ReplicaSet {name} at t={t:g}"
        ready = int((rs.get("status") or {}).get("readyReplicas") or 0)
        text = f"get rs {name} shows {rs_row(rs, run.t0 + t)} at t={t:g}"
        if ready != want:
            pods = owned_pods(list(objects_at(run, "Pod", t).values()), rs["metadata"]["uid"])
            why = why_pods(run, pods, t)
            if why:
                text += f"; {why}"
        return ready == want, text
    return fn


LAB_03_1 = Lab(
    id="03.1", kind="fix", title="go-demo-2",
    task="The tutorial's go-demo-2 ReplicaSet, re-indented but otherwise as printed. Make it run 2 "
         "Ready pods, keeping its name, selector, template labels and containers.",
    starter=GO_DEMO_STARTER,
    answer=GO_DEMO_ANSWER,
    hint="Two layers reject this file. The YAML parser reports a line number; the API's strict "
         "field check reports a field name.",
    images=GO_DEMO_IMAGES,
    checkpoints=(60,),
    until=60,
    checks=[
        Check("accepted as ReplicaSet go-demo-2 selecting type=backend,service=go-demo-2",
              _rs_created("go-demo-2", {"type": "backend", "service": "go-demo-2"})),
        Check("template labels include db=mongo and language=go",
              _template_labels_include("go-demo-2", {"db": "mongo", "language": "go"})),
        Check("containers db (mongo:3.3) and api (vfarcic/go-demo-2)",
              _containers_are("go-demo-2", [("db", "mongo:3.3"), ("api", "vfarcic/go-demo-2")])),
        Check("READY 2 at t=60", _rs_ready_at("go-demo-2", 2, 60)),
    ],
)

# -- 03.2 · fix · mc-user ------------------------------------------------------------------------------

MC_USER_STARTER = """\
# Lab 03.2: the mc-user ReplicaSet from the tutorial. It should run 3 Ready pods.
apiVersion: extensions/v1beta1
kind: ReplicaSet
metadata:
  name: mc-user
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: mc-user
    spec:
      containers:
        - name: mc-user
          image: rainbow/mc-user:1.0.RELEASE
"""

MC_USER_ANSWER = """\
apiVersion: apps/v1
kind: ReplicaSet
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
"""


def _mc_user_accepted(run: Run) -> tuple[bool, str]:
    rs = current(run, "replicasets", "mc-user")
    if rs is None:
        return False, 'replicasets.apps "mc-user" not found'
    sel = rs["spec"].get("selector") or {}
    labels = ((rs["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
    ok = sel.get("matchLabels") == {"app": "mc-user"} and not sel.get("matchExpressions") \
        and labels.get("app") == "mc-user"
    return ok, f"replicaset.apps/mc-user (apps/v1): selector " \
               f"{','.join(f'{k}={v}' for k, v in (sel.get('matchLabels') or {}).items())}, template labels " \
               f"{','.join(f'{k}={v}' for k, v in sorted(labels.items()))}"


LAB_03_2 = Lab(
    id="03.2", kind="fix", title="mc-user",
    task="Make the tutorial's mc-user ReplicaSet run 3 Ready pods by t=60. Its image cannot be "
         "pulled: you may swap it for one from the course registry (`nginx:1.27` is on the node). "
         "Keep the name, the label `app=mc-user` and 3 replicas.",
    starter=MC_USER_STARTER,
    answer=MC_USER_ANSWER,
    hint="Three layers: kubectl's discovery (no matches for kind), API validation (two causes), and "
         "the kubelet (`describe pod` → Events).",
    images=("nginx:1.27",),
    checkpoints=(60,),
    until=60,
    checks=[
        Check("accepted as apps/v1 ReplicaSet mc-user selecting app=mc-user", _mc_user_accepted),
        Check("READY 3 at t=60", _rs_ready_at("mc-user", 3, 60)),
    ],
)

def _pod_doc(name: str, labels: dict) -> str:
    lines = "".join(f"    {k}: \"{v}\"\n" for k, v in labels.items())
    return (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n{lines}spec:\n  containers:\n"
            f"  - name: nginx\n    image: nginx:1.27\n")


# -- 03.3 · predict · release and adopt ------------------------------------------------------------------

WEB_RS = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 3
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

WEB_A_AND_RS = "kubectl apply -f - <<'EOF'\n" + _pod_doc("web-a", {"app": "web"}) + "EOF\nkubectl apply -f - <<'EOF'\n" + WEB_RS + \
    "EOF\nsleep 20\n"

ADOPT_SCENARIO = """\
sleep 70
kubectl label pod web-a app-
sleep 30
kubectl label pod web-a app=web
sleep 10
"""


def _count_at(t: float, selector: str | None = None):
    def truth(runs: list[Run]) -> int:
        pods = objects_at(runs[0], "Pod", t)
        if selector is None:
            return len(pods)
        return sum(1 for p in pods.values() if matches(selector, p["metadata"].get("labels")))
    return truth


def _deleted_after(t: float):
    """A (web-a), R (the replacement created after the unlabel) or other."""
    def truth(runs: list[Run]) -> str:
        run = runs[0]
        doomed = []
        for r in run.records:
            if r.kind == "Pod" and r.t >= t - 1e-9 and r.object["metadata"].get("deletionTimestamp") \
                    and r.name not in doomed:
                doomed.append(r.name)
        if len(doomed) != 1:
            raise GraderError(f"expected one pod deleted after t={t:g}, saw {doomed}")
        name = doomed[0]
        if name == "web-a":
            return "A"
        created = run.first(name, lambda p: True)
        return "R" if created is not None and 70 <= created < t else "other"
    return truth


LAB_03_3 = Lab(
    id="03.3", kind="predict", title="Release and adopt",
    task="Pod `web-a` (label `app=web`) was created first; then RS `web` (3 replicas, selector "
         "`app=web`) adopted it and created two more. All three are Ready. The script runs "
         "`kubectl label pod web-a app-` at t=70 and `kubectl label pod web-a app=web` at t=100.",
    starter="pods80: \nweb80: \ndeleted: \npods110: \n",
    answer="pods80: 4\nweb80: 3\ndeleted: R\npods110: 3\n",
    hint="Ownership follows labels. On adoption the RS has one pod too many, and its scale-down "
         "ranking prefers pods that have been Ready for a shorter time.",
    setup=WEB_A_AND_RS,
    images=("nginx:1.27",),
    scenario=ADOPT_SCENARIO,
    until=110,
    keys=[
        Key("pods80", "how many pods kubectl get pods lists at t=80", _count_at(80), kind="int"),
        Key("web80", "how many pods have app=web at t=80", _count_at(80, "app=web"), kind="int"),
        Key("deleted", "which pod is deleted after t=100: A, R or other", _deleted_after(100)),
        Key("pods110", "how many pods kubectl get pods lists at t=110", _count_at(110), kind="int"),
    ],
)

# -- 03.4 · predict · selectors ----------------------------------------------------------------------------

SELECTOR_PODS = [  # name, labels (the task prints this table)
    ("p1", {"type": "app", "version": "1.0.0"}),
    ("p2", {"version": "1.0.2"}),
    ("p3", {"type": "db", "version": "1.0.1"}),
    ("p4", {"type": "app"}),
    ("p5", {"type": "app", "version": "1.0.2"}),
]
SELECTORS = {
    "a": "version in (1.0.0,1.0.2)",
    "b": "version!=1.0.2",
    "c": "version!=1.0.2,type=app",
    "d": "!version",
}


SELECTOR_SETUP = "kubectl apply -f - <<'EOF'\n" + "---\n".join(_pod_doc(n, lab) for n, lab in SELECTOR_PODS) \
    + "EOF\nsleep 5\n"


def _selected(selector: str):
    def truth(runs: list[Run]) -> str:
        r = runs[0].kubectl(["get", "pods", "-l", selector, "-o", "name"])
        if r.exit_code != 0:
            raise GraderError(f"kubectl get pods -l '{selector}' failed: {r.output.strip()}")
        names = sorted(ln.split("/", 1)[1] for ln in r.stdout.splitlines() if ln.strip())
        return ",".join(names) or "none"
    return truth


LAB_03_4 = Lab(
    id="03.4", kind="predict", title="Selectors",
    task="Five pods carry these labels: p1 `type=app,version=1.0.0`; p2 `version=1.0.2`; p3 "
         "`type=db,version=1.0.1`; p4 `type=app`; p5 `type=app,version=1.0.2`. Which pods does "
         "`kubectl get pods -l '<selector>'` return for (a) `version in (1.0.0,1.0.2)`, (b) "
         "`version!=1.0.2`, (c) `version!=1.0.2,type=app`, (d) `!version`? Give comma-separated "
         "names (`none` if there are none).",
    starter="a: \nb: \nc: \nd: \n",
    answer="a: p1,p2,p5\nb: p1,p3,p4\nc: p1,p4\nd: p4\n",
    hint="`!=` and `notin` also match pods that don't have the key.",
    setup=SELECTOR_SETUP,
    images=("nginx:1.27",),
    scenario="kubectl get pods --show-labels\n",
    until=0,
    keys=[Key(k, f"get pods -l '{sel}'", _selected(sel)) for k, sel in SELECTORS.items()],
)

# -- 03.5 · command · a new selector, same pods -------------------------------------------------------------

GO_DEMO_RS_SETUP = "kubectl apply -f - <<'EOF'\n" + GO_DEMO_ANSWER + "EOF\nsleep 20\n"

NEW_SELECTOR_RS = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: go-demo-2
spec:
  replicas: 3
  selector:
    matchLabels:
      service: go-demo-2
  template:
    metadata:
      labels:
        type: backend
        service: go-demo-2
        db: mongo
        language: go
    spec:
""" + GO_DEMO_CONTAINERS

NEW_SELECTOR_STARTER = """\
# Lab 03.5: one kubectl command per line; `sleep N` passes time.
# The new ReplicaSet, for when you need it:
kubectl apply -f - <<'EOF'
""" + NEW_SELECTOR_RS + "EOF\n"

NEW_SELECTOR_ANSWER = """\
kubectl delete rs go-demo-2 --cascade=orphan
kubectl apply -f - <<'EOF'
""" + NEW_SELECTOR_RS + "EOF\n"


def _setup_pods(run: Run, owner: str = "go-demo-2") -> list[dict]:
    pods = [p for p in run.at(0.0).pods.values() if (controller_name(p) or "") == f"ReplicaSet/{owner}"]
    if not pods:
        raise GraderError(f"the setup left no pods owned by ReplicaSet {owner}")
    return sorted(pods, key=lambda p: p["metadata"]["name"])


def _rs_selector_and_replicas(name: str, selector: dict, replicas: int):
    def fn(run: Run) -> tuple[bool, str]:
        rs = current(run, "replicasets", name)
        if rs is None:
            return False, f'replicasets.apps "{name}" not found at t={fmt_t(run.end)}'
        sel = rs["spec"].get("selector") or {}
        n = rs["spec"].get("replicas")
        shown = ",".join(f"{k}={v}" for k, v in (sel.get("matchLabels") or {}).items())
        ok = sel.get("matchLabels") == selector and not sel.get("matchExpressions") and n == replicas
        return ok, f"replicaset.apps/{name}: selector {shown}, replicas {n}"
    return fn


def _setup_pods_adopted(name: str):
    def fn(run: Run) -> tuple[bool, str]:
        rs = current(run, "replicasets", name)
        if rs is None:
            return False, f'replicasets.apps "{name}" not found'
        uid = rs["metadata"]["uid"]
        problems, fine = [], []
        for p in _setup_pods(run, name):
            pname = p["metadata"]["name"]
            now = current(run, "pods", pname)
            if now is None or now["metadata"]["uid"] != p["metadata"]["uid"]:
                problems.append(f"{pname} is gone")
            elif controller_uid(now) != uid:
                problems.append(f"{pname} is controlled by {controller_name(now) or 'nobody'}"
                                + (" (the old ReplicaSet)" if controller_uid(now) == controller_uid(p) else ""))
            elif not is_ready(now):
                problems.append(f"{pname} is not Ready")
            else:
                fine.append(pname)
        if problems:
            return False, "; ".join(problems)
        if controller_uid(_setup_pods(run, name)[0]) == uid:
            return False, f"{', '.join(fine)} are still controlled by the setup's ReplicaSet/{name} (same uid)"
        return True, f"{', '.join(fine)} Ready, Controlled By the new ReplicaSet/{name}"
    return fn


def _setup_pods_never_deleted(name: str):
    def fn(run: Run) -> tuple[bool, str]:
        for p in _setup_pods(run, name):
            pname = p["metadata"]["name"]
            t = run.first(pname, lambda o: bool(o["metadata"].get("deletionTimestamp")))
            gone = run.gone_at(pname)
            if t is not None or gone is not None:
                return False, f"{pname} got a deletionTimestamp at t={fmt_t(t if t is not None else gone)}"
        return True, "no deletionTimestamp on either"
    return fn


LAB_03_5 = Lab(
    id="03.5", kind="command", title="A new selector, same pods",
    task="Make RS `go-demo-2` select only `service=go-demo-2`, with 3 replicas, without deleting "
         "either of its two running pods. The grader looks 20 s after your script's last line: the "
         "two pods must still be there, Ready and controlled by the new `go-demo-2`.",
    starter=NEW_SELECTOR_STARTER,
    answer=NEW_SELECTOR_ANSWER,
    hint="apps/v1 selectors are immutable, as the error says. What does `--cascade=orphan` leave "
         "behind, and who adopts orphans?",
    setup=GO_DEMO_RS_SETUP,
    images=GO_DEMO_IMAGES,
    checks=[
        Check("RS go-demo-2 selects service=go-demo-2 with 3 replicas",
              _rs_selector_and_replicas("go-demo-2", {"service": "go-demo-2"}, 3)),
        Check("both setup pods exist, Ready, controlled by the new RS", _setup_pods_adopted("go-demo-2")),
        Check("throughout: neither setup pod is ever deleted", _setup_pods_never_deleted("go-demo-2")),
    ],
)

# -- 03.6 · command · rolling by hand ----------------------------------------------------------------------

HAND_PODS = ["web-1", "web-2", "web-3"]
HAND_SETUP = "kubectl apply -f - <<'EOF'\n" + "---\n".join(_pod_doc(n, {"app": "web"}) for n in HAND_PODS) + \
    "EOF\nkubectl apply -f - <<'EOF'\n" + WEB_RS + "EOF\nsleep 20\n"

HAND_ANSWER = """\
kubectl set image rs/web nginx=nginx:1.28
kubectl delete pod web-1
sleep 10
kubectl delete pod web-2
sleep 10
kubectl delete pod web-3
sleep 10
"""


def _rs_image(name: str, image: str):
    def fn(run: Run) -> tuple[bool, str]:
        rs = current(run, "replicasets", name)
        if rs is None:
            return False, f'replicasets.apps "{name}" not found'
        have = image_of(rs, "nginx")
        return have == image, f"the template runs {have}"
    return fn


def _all_pods_run(name: str, image: str, count: int):
    def fn(run: Run) -> tuple[bool, str]:
        rs = current(run, "replicasets", name)
        if rs is None:
            return False, f'replicasets.apps "{name}" not found'
        pods = owned_pods(listed(run, "pods"), rs["metadata"]["uid"])
        ready = [p for p in pods if is_ready(p)]
        old = [f"{p['metadata']['name']} ({image_of(p, 'nginx')})" for p in pods if image_of(p, "nginx") != image]
        if old:
            return False, f"{', '.join(old)} still running at t={fmt_t(run.end)}"
        ok = len(pods) == count and len(ready) == count
        return ok, f"{len(ready)} Ready pods of {len(pods)} owned by {name}, all {image}"
    return fn


LAB_03_6 = Lab(
    id="03.6", kind="command", title="Rolling by hand",
    task="RS `web` runs 3 × nginx:1.27: pods `web-1`, `web-2` and `web-3`, which were made by hand "
         "and adopted. Make all three replicas run nginx:1.28 using only ReplicaSet and pod commands "
         "(no Deployment), never having fewer than 2 Ready pods with `app=web`. The grader looks 20 s "
         "after your last line.",
    starter="# Lab 03.6: one kubectl command per line; `sleep N` passes time.\n",
    answer=HAND_ANSWER,
    hint="Changing the template alone changes nothing that is running. Delete one pod, `sleep` until "
         "its replacement is Ready, repeat.",
    setup=HAND_SETUP,
    images=("nginx:1.27", "nginx:1.28"),
    checks=[
        Check("throughout: at least 2 serving pods (app=web)", at_least_serving("app=web", 2)),
        Check("the RS template runs nginx:1.28", _rs_image("web", "nginx:1.28")),
        Check("3 Ready pods owned by web run nginx:1.28", _all_pods_run("web", "nginx:1.28", 3)),
    ],
)

LABS = [LAB_03_1, LAB_03_2, LAB_03_3, LAB_03_4, LAB_03_5, LAB_03_6]
