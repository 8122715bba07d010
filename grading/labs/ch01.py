"""Chapter 01 Pods: labs 01.1-01.6 (course outline Part B, "01 Pods", Labs).

Each lab is data (task, starter, setup, reference answer, hint) plus small check functions that
read the graded run: the observer's records of every store write, snapshots at checkpoints, and
kubectl output. Expected values of predict labs are computed from the simulator at grading time.
"""
from __future__ import annotations

from grading.engine import (GraderError, Key, Lab, Check, Run, container_status, fmt_t, is_ready,
                            phase, restart_count, row_text, why_not_running)
from labsim.kubectl.printers.tables import pod_cells

# -- 01.1 · fix · the seed's db pod -------------------------------------------------------------

DB_STARTER = """\
# Lab 01.1: the db pod exactly as the tutorial printed it.
apiVersion: v1
kind: Pod
metadata:
name: db
labels:
type: db
vendor: MongoLabs
spec:
containers:
- name: db
image: mongo:3.3
command: ["mongod"]
args: ["--reset", "--httpinterface"]
"""

DB_ANSWER = """\
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels:
    type: db
    vendor: MongoLabs
spec:
  containers:
  - name: db
    image: mongo:3.3
    command: ["mongod"]
    args: ["--rest", "--httpinterface"]
"""


def _first_version(run: Run, name: str, namespace: str = "default") -> dict | None:
    for r in run.pod_records(name, namespace):
        return r.object
    return None


def _db_intent(run: Run) -> tuple[bool, str]:
    pod = _first_version(run, "db")
    if pod is None:
        return False, "no pod named db was created"
    labels = pod["metadata"].get("labels") or {}
    c = (pod["spec"].get("containers") or [{}])[0]
    problems = []
    for k, v in (("type", "db"), ("vendor", "MongoLabs")):
        if labels.get(k) != v:
            problems.append(f"label {k}={labels.get(k, '<none>')}")
    if c.get("image") != "mongo:3.3":
        problems.append(f"image {c.get('image')}")
    if c.get("command") != ["mongod"]:
        problems.append(f"command {c.get('command')}")
    if problems:
        return False, "changed: " + ", ".join(problems)
    return True, "labels type=db,vendor=MongoLabs, image mongo:3.3, command [mongod]"


def _running_at(name: str, t: float, namespace: str = "default"):
    def fn(run: Run) -> tuple[bool, str]:
        snap = run.at(t)
        pod = snap.pod(name, namespace)
        ok = pod is not None and phase(pod) == "Running" and is_ready(pod) and restart_count(pod) == 0
        text = row_text(snap, name, namespace)
        if pod is not None and not ok:
            why = why_not_running(run, name, t, namespace)
            if why:
                text += f" ({why})"
            prev = run.kubectl(f"logs {name} -n {namespace} --previous")
            first = prev.stdout.strip().splitlines()[:1] if prev.exit_code == 0 else []
            if first:
                text += f"; kubectl logs {name} --previous: {first[0]}"
        return ok, text
    return fn


def _db_no_reset(run: Run) -> tuple[bool, str]:
    pod = _first_version(run, "db")
    if pod is None:
        return False, "no pod named db was created"
    args = (pod["spec"].get("containers") or [{}])[0].get("args") or []
    if "--reset" in args:
        return False, f"args are {args}"
    return True, f"args are {args}" if args else "no args"


LAB_01_1 = Lab(
    id="01.1", kind="fix", title="The seed's db pod",
    task="Here is the `db` pod exactly as the tutorial printed it. Make it apply, and make it keep "
         "running (no restarts). Keep its name, labels, image and command.",
    starter=DB_STARTER,
    answer=DB_ANSWER,
    hint="Fix the first error kubectl prints, apply again, and repeat. Once it applies but keeps "
         "restarting, `kubectl logs db --previous` shows what mongod thinks of its arguments.",
    images=("mongo:3.3",),
    checkpoints=(60,),
    until=60,
    checks=[
        Check("Pod db keeps the tutorial's labels, image and command", _db_intent),
        Check("at t=60: Running, 1/1 READY, RESTARTS 0", _running_at("db", 60)),
        Check("args contain no --reset", _db_no_reset),
    ],
)

# -- 01.2 · fix · five seconds, not thirty --------------------------------------------------------

SLEEPER_STARTER = """\
# Lab 01.2: sleeper should be gone about 5 s after kubectl delete.
apiVersion: v1
kind: Pod
metadata:
  name: sleeper
spec:
  gracePeriodSeconds: 5
  containers:
  - name: sleeper
    image: busybox
    command: ["sleep", "3600"]
"""

SLEEPER_ANSWER = SLEEPER_STARTER.replace("gracePeriodSeconds", "terminationGracePeriodSeconds")


def _gone_between(name: str, delete_t: float, lo: float, hi: float):
    def fn(run: Run) -> tuple[bool, str]:
        gone = run.gone_at(name)
        if gone is None:
            pod = run.pod_at(name, run.end)
            if pod is None:
                return False, f"pod {name} was never created"
            return False, f"{name} still exists at t={fmt_t(run.end)} ({row_text(run.end_snapshot, name)})"
        took = gone - delete_t
        text = f"gone at t={fmt_t(gone)}, {took:.1f} s after the delete"
        if gone <= lo:
            return False, text + f" (before t={lo:g})"
        if gone > hi:
            return False, text + f", still Terminating at t={hi:g}"
        return True, text
    return fn


def _sleeper_command(run: Run) -> tuple[bool, str]:
    pod = _first_version(run, "sleeper")
    if pod is None:
        return False, "no pod named sleeper was created"
    c = (pod["spec"].get("containers") or [{}])[0]
    argv = (c.get("command") or []) + (c.get("args") or [])
    if argv != ["sleep", "3600"] or c.get("image") != "busybox":
        return False, f"the container now runs {c.get('image')} {argv}"
    return True, "busybox runs sleep 3600"


LAB_01_2 = Lab(
    id="01.2", kind="fix", title="Five seconds, not thirty",
    task="`sleeper` should disappear about 5 s after `kubectl delete`. This manifest tries to say so "
         "but is rejected. At t=20 the grader runs `kubectl delete pod sleeper --wait=false`; the pod "
         "object must be gone after t=24 and by t=27.",
    starter=SLEEPER_STARTER,
    answer=SLEEPER_ANSWER,
    hint="The strict decoding error names the field the API does not know. The pod field that "
         "sets the grace period has a longer name, starting with `termination`.",
    images=("busybox",),
    actions=[(20, "kubectl delete pod sleeper --wait=false")],
    until=40,
    checks=[
        Check("sleeper is gone after t=24 and by t=27", _gone_between("sleeper", 20, 24, 27)),
        Check("the container still runs sleep 3600", _sleeper_command),
    ],
)

# -- 01.3 · predict · phases -------------------------------------------------------------------------

PHASES_SCENARIO = """\
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: p1
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "exit 1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: p2
spec:
  restartPolicy: OnFailure
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "exit 1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: p3
spec:
  restartPolicy: Always
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "exit 1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: p4
spec:
  restartPolicy: OnFailure
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "exit 0"]
EOF
sleep 60
"""


def _phase_of(name: str, t: float):
    def truth(runs: list[Run]) -> str:
        pod = runs[0].at(t).pod(name)
        if pod is None:
            raise GraderError(f"pod {name} does not exist at t={t:g}")
        return phase(pod)
    return truth


LAB_01_3 = Lab(
    id="01.3", kind="predict", title="Phases",
    task="These four busybox pods are created at t=0: p1 (restartPolicy Never, `exit 1`), p2 "
         "(OnFailure, `exit 1`), p3 (Always, `exit 1`), p4 (OnFailure, `exit 0`). What is each "
         "one's phase at t=60? Values: Pending, Running, Succeeded, Failed or Unknown.",
    starter="p1: \np2: \np3: \np4: \n",
    answer="p1: Failed\np2: Running\np3: Running\np4: Succeeded\n",
    hint="The phase describes the pod, not one container. Ask: will the kubelet still restart "
         "something?",
    images=("busybox",),
    scenario=PHASES_SCENARIO,
    checkpoints=(60,),
    until=60,
    keys=[Key(f"p{i}", f"phase of p{i} at t=60", _phase_of(f"p{i}", 60)) for i in range(1, 5)],
)

# -- 01.4 · predict · back-off arithmetic -------------------------------------------------------------

BACKOFF_SCENARIO = """\
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels:
    type: db
    vendor: MongoLabs
spec:
  containers:
  - name: db
    image: mongo:3.3
    command: ["mongod"]
    args: ["--reset", "--httpinterface"]
EOF
sleep 90
"""


def _restarts_column(run: Run, name: str, t: float) -> int:
    row = run.at(t).row(name)
    if row is None:
        raise GraderError(f"pod {name} does not exist at t={t:g}")
    return int(row["RESTARTS"].split()[0])


def _restart_times(run: Run, name: str) -> dict[int, float]:
    """t at which RESTARTS first showed each count."""
    out: dict[int, float] = {}
    for r in run.pod_records(name):
        n = restart_count(r.object)
        out.setdefault(n, r.t)
    return out


def _wait_before(run: Run, name: str, k: int) -> tuple[float, float]:
    """(crash, restart): the crash that preceded restart ``k`` and the restart itself."""
    times = _restart_times(run, name)
    if k not in times or k - 1 not in times:
        raise GraderError(f"{name} did not restart {k} times by t={fmt_t(run.end)}")
    crash = None
    for r in run.pod_records(name):
        if r.t >= times[k]:
            break
        cs = container_status(r.object)
        if restart_count(r.object) == k - 1 and "terminated" in (cs.get("state") or {}):
            crash = r.t if crash is None else crash
    if crash is None:
        raise GraderError(f"no crash of {name} was recorded before restart {k}")
    return crash, times[k]


def _wait4(runs: list[Run]) -> int:
    crash, restart = _wait_before(runs[0], "db", 4)
    return round(restart - crash)


def _status_during_wait4(runs: list[Run]) -> str:
    run = runs[0]
    crash, restart = _wait_before(run, "db", 4)
    mid = (crash + restart) / 2
    pod = run.pod_at("db", mid)
    return pod_cells(pod, run.t0 + mid)[2]


LAB_01_4 = Lab(
    id="01.4", kind="predict", title="Back-off arithmetic",
    task="The tutorial's mongo pod with `--reset` is created at t=0 (the image is already on the "
         "node). Give its RESTARTS at t=50 (`restarts`), the wait in seconds before its 4th restart "
         "(`wait4`), and the STATUS `kubectl get pods` shows during that wait (`status`).",
    starter="restarts: \nwait4: \nstatus: \n",
    answer="restarts: 3\nwait4: 40\nstatus: CrashLoopBackOff\n",
    hint="The first restart comes at once; after that the kubelet waits 10 s and doubles the wait "
         "each time, up to 5 minutes.",
    images=("mongo:3.3",),
    scenario=BACKOFF_SCENARIO,
    checkpoints=(50,),
    until=90,
    keys=[
        Key("restarts", "RESTARTS at t=50", lambda runs: _restarts_column(runs[0], "db", 50), kind="int"),
        Key("wait4", "seconds waited before the 4th restart", _wait4, kind="int"),
        Key("status", "STATUS during that wait", _status_during_wait4),
    ],
)

# -- 01.5 · command · a namespace of your own ---------------------------------------------------------

NGINX_DEMO = """\
apiVersion: v1
kind: Pod
metadata:
  name: nginx-demo
  namespace: pod-example
  labels:
    type: app
    test-label-name: test-label-value
spec:
  containers:
  - name: nginx
    image: docker.io/library/nginx:latest
    imagePullPolicy: IfNotPresent
    command: ["nginx", "-g", "daemon off;"]
    workingDir: /usr/share/nginx/html
    ports:
    - name: http
      containerPort: 80
      protocol: TCP
    env:
    - name: JVM_OPTS
      value: test-value
    resources:
      requests:
        cpu: 100m
        memory: 128Mi
      limits:
        cpu: 1000m
        memory: 1024Mi
  restartPolicy: OnFailure
"""

NS_STARTER = f"""\
# Lab 01.5: one kubectl command per line; `sleep N` passes time.
# 1. create the namespace pod-example

# 2. run nginx-demo in it (the manifest is given)
kubectl apply -f - <<'EOF'
{NGINX_DEMO}EOF
# 3. make pod-example the default namespace of your kubeconfig context

"""

NS_ANSWER = f"""\
kubectl create namespace pod-example
kubectl apply -f - <<'EOF'
{NGINX_DEMO}EOF
kubectl config set-context --current --namespace=pod-example
"""


def _ns_active(run: Run) -> tuple[bool, str]:
    r = run.kubectl("get namespace pod-example --no-headers")
    if r.exit_code != 0:
        return False, r.output.strip()
    status = r.stdout.split()[1]
    return status == "Active", f"namespace pod-example is {status}"


def _end_running(name: str, namespace: str):
    def fn(run: Run) -> tuple[bool, str]:
        snap = run.end_snapshot
        pod = snap.pod(name, namespace)
        row = snap.row(name, namespace)
        ok = row is not None and row["READY"] == "1/1" and row["STATUS"] == "Running"
        text = row_text(snap, name, namespace)
        if pod is not None and not ok:
            why = why_not_running(run, name, run.end, namespace)
            text += f" ({why})" if why else ""
        return ok, text
    return fn


def _context_namespace(run: Run) -> tuple[bool, str]:
    r = run.kubectl(["config", "view", "--minify", "-o", "jsonpath={..namespace}"])
    got = r.stdout.strip()
    return got == "pod-example", (f"config view --minify -o jsonpath='{{..namespace}}' prints {got!r}"
                                  if got else "config view --minify shows no namespace in the context")


def _plain_get_lists(name: str):
    def fn(run: Run) -> tuple[bool, str]:
        r = run.kubectl("get pods")
        names = [ln.split()[0] for ln in r.stdout.splitlines()[1:] if ln.strip()]
        if name in names:
            return True, f"kubectl get pods lists {name}"
        out = r.output.strip().splitlines()
        return False, "kubectl get pods prints: " + (out[0] if len(out) == 1 else " / ".join(out[:3]))
    return fn


LAB_01_5 = Lab(
    id="01.5", kind="command", title="A namespace of your own",
    task="Create namespace `pod-example`, run the given `nginx-demo` manifest in it, and make "
         "`pod-example` your context's default namespace, so that a plain `kubectl get pods` lists "
         "nginx-demo. The grader looks 20 s after your script's last line.",
    starter=NS_STARTER,
    answer=NS_ANSWER,
    hint="Creating an object in a namespace that does not exist fails, so order matters. For the "
         "context: `kubectl config set-context --current --namespace=…`.",
    images=("docker.io/library/nginx:latest",),
    checks=[
        Check("namespace pod-example is Active", _ns_active),
        Check("nginx-demo is 1/1 Running in pod-example", _end_running("nginx-demo", "pod-example")),
        Check("the context's namespace is pod-example", _context_namespace),
        Check("kubectl get pods (no -n) lists nginx-demo", _plain_get_lists("nginx-demo")),
    ],
)

# -- 01.6 · command · delete it now ---------------------------------------------------------------------

SLEEPER_SETUP = """\
kubectl run sleeper --image=busybox -- sleep 3600
sleep 10
"""


def _deletion_started(run: Run, name: str) -> float | None:
    for r in run.pod_records(name):
        if r.type == "DELETED" or r.object["metadata"].get("deletionTimestamp"):
            return r.t
    return None


def _script_deletes(run: Run) -> tuple[bool, str]:
    t = _deletion_started(run, "sleeper")
    if t is None:
        return False, "sleeper was never deleted"
    cmd = next((s.command for s in run.steps if s.kind == "kubectl" and "delete" in s.argv), "")
    return True, f"deleted at t={fmt_t(t)}" + (f" by `{cmd}`" if cmd else "")


def _gone_within(deadline: float):
    def fn(run: Run) -> tuple[bool, str]:
        start = _deletion_started(run, "sleeper")
        gone = run.gone_at("sleeper")
        if start is None:
            return False, "sleeper was never deleted"
        if gone is None:
            return False, f"sleeper is still Terminating at t={fmt_t(run.end)} (deleted at t={fmt_t(start)})"
        took = gone - start
        return took <= deadline + 1e-9, f"kubectl get pod sleeper says NotFound {took:.1f} s after the delete " \
                                        f"(t={fmt_t(gone)})"
    return fn


def _none_left(run: Run) -> tuple[bool, str]:
    pods = [k for k in run.end_snapshot.pods if k[1] == "sleeper"]
    if pods:
        return False, f"pod sleeper exists at t={fmt_t(run.end)} ({row_text(run.end_snapshot, 'sleeper', pods[0][0])})"
    return True, f"no pod sleeper at t={fmt_t(run.end)}"


LAB_01_6 = Lab(
    id="01.6", kind="command", title="Delete it now",
    task="Pod `sleeper` ignores TERM and has the default 30 s grace period. Remove it so that it is "
         "gone from the API within 4 s of your delete command, without editing it.",
    starter="# Lab 01.6: one kubectl command per line\n",
    answer="kubectl delete pod sleeper --now\n",
    hint="`kubectl delete --help`: read what `--grace-period`, `--now` and `--force` do.",
    setup=SLEEPER_SETUP,
    images=("busybox",),
    checks=[
        Check("the script deletes sleeper", _script_deletes),
        Check("sleeper is NotFound at most 4 s after the delete", _gone_within(4)),
        Check("no pod named sleeper is left", _none_left),
    ],
)

LABS = [LAB_01_1, LAB_01_2, LAB_01_3, LAB_01_4, LAB_01_5, LAB_01_6]
