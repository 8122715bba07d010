"""Chapter 02 Probes: labs 02.1-02.6 (course outline Part B, "02 Probes", Labs)."""
from __future__ import annotations

import re

from grading.engine import (GraderError, Key, Lab, Check, Run, container_status, fmt_t, is_ready,
                            last_warning, phase, restart_count, row_text, why_not_running)
from labsim.kubectl.printers.tables import pod_cells

NGINX_IMAGES = ("nginx:1.27", "docker.io/library/nginx:latest")

# -- 02.1 · fix · the seed's liveness pod ---------------------------------------------------------

LIVENESS_STARTER = """\
# Lab 02.1: the liveness pod as the tutorial printed it. Its liveness probe should check every 5 s.
apiVersion: v1
  name: nginx-demo-liveness-probe
spec:
  containers:
  - name: nginx
    startupProbe:
      exec:
        command:
        - sh
        - -c
        - 'echo "<h1>hello</h1>" > wellcome.html;'
      failureThreshold: 3
      periodSeconds: 3
      successThreshold: 1
      timeoutSeconds: 5
    livenessProbe:
      httpGet:
        path: /wellcome.html
        port: 80
      initialDelaySeconds: 5
      periodSeconds: 5   # check every 5 s
      failureThreshold: 3
      periodSeconds: 3
      successThreshold: 1
      timeoutSeconds: 5
"""

LIVENESS_ANSWER = """\
apiVersion: v1
kind: Pod
metadata:
  name: nginx-demo-liveness-probe
spec:
  containers:
  - name: nginx
    image: docker.io/library/nginx:latest
    imagePullPolicy: IfNotPresent
    workingDir: /usr/share/nginx/html
    startupProbe:
      exec:
        command:
        - sh
        - -c
        - 'echo "<h1>hello</h1>" > wellcome.html;'
      failureThreshold: 3
      periodSeconds: 3
      successThreshold: 1
      timeoutSeconds: 5
    livenessProbe:
      httpGet:
        path: /wellcome.html
        port: 80
      initialDelaySeconds: 5
      periodSeconds: 5
      failureThreshold: 3
      successThreshold: 1
      timeoutSeconds: 5
"""

LIVE_POD = "nginx-demo-liveness-probe"


def _exists(name: str):
    def fn(run: Run) -> tuple[bool, str]:
        recs = run.pod_records(name)
        if not recs:
            return False, f"no pod named {name} was created"
        return True, f"pod/{name} created at t={fmt_t(recs[0].t)}"
    return fn


def _describe_line(run: Run, name: str, probe: str) -> str:
    r = run.kubectl(f"describe pod {name}")
    for ln in r.stdout.splitlines():
        if ln.strip().startswith(probe + ":"):
            return " ".join(ln.split())
    return ""


def _liveness_period(period: int):
    def fn(run: Run) -> tuple[bool, str]:
        if not run.pod_records(LIVE_POD):
            return False, f"no pod named {LIVE_POD}"
        line = _describe_line(run, LIVE_POD, "Liveness")
        if not line:
            return False, "describe shows no Liveness line"
        return f"period={period}s" in line.split(), f"describe shows `{line}`"
    return fn


def _ready_running_at(name: str, t: float):
    def fn(run: Run) -> tuple[bool, str]:
        snap = run.at(t)
        pod = snap.pod(name)
        ok = pod is not None and phase(pod) == "Running" and is_ready(pod) and restart_count(pod) == 0
        text = row_text(snap, name)
        if pod is not None and not ok:
            why = why_not_running(run, name, t)
            text += f" ({why})" if why else ""
        return ok, text
    return fn


def _restarted_once(name: str, quiet_until: float, by: float, still: float):
    def fn(run: Run) -> tuple[bool, str]:
        early = run.first(name, lambda p: restart_count(p) > 0)
        if early is not None and early <= quiet_until:
            return False, f"restarted at t={fmt_t(early)}, before t={quiet_until:g} " \
                          f"({why_not_running(run, name, early)})"
        at_by, at_still = run.at(by).pod(name), run.at(still).pod(name)
        if restart_count(at_by) != 1:
            text = row_text(run.at(by), name)
            if restart_count(at_by) == 0:
                text += " (the liveness probe had not failed enough yet)"
            return False, text
        if restart_count(at_still) != 1:
            return False, row_text(run.at(still), name) + f" ({why_not_running(run, name, still)})"
        return True, f"restarted at t={fmt_t(early)}; {row_text(run.at(still), name)}"
    return fn


LAB_02_1 = Lab(
    id="02.1", kind="fix", title="The seed's liveness pod",
    task="Make this pod start and stay healthy. Its liveness probe must check every 5 s, as the "
         "comment says. At t=40 the grader runs `kubectl exec nginx-demo-liveness-probe -- rm -f "
         "/usr/share/nginx/html/wellcome.html`: the pod must then be restarted once (not before "
         "t=49, by t=60) and stay at one restart until t=120.",
    starter=LIVENESS_STARTER,
    answer=LIVENESS_ANSWER,
    hint="Look at YAML line 2: what has to come before `name:`? Then the API tells you which "
         "required fields are missing (the base pod of this chapter has them). If the pod restarts "
         "every 15 s or so, ask in which directory a relative path in an exec probe lands.",
    images=NGINX_IMAGES,
    actions=[(40, f"kubectl exec {LIVE_POD} -- rm -f /usr/share/nginx/html/wellcome.html")],
    checkpoints=(30, 60, 120),
    until=120,
    checks=[
        Check(f"accepted as Pod {LIVE_POD}", _exists(LIVE_POD)),
        Check("describe shows Liveness … period=5s", _liveness_period(5)),
        Check("at t=30: 1/1 Running, RESTARTS 0", _ready_running_at(LIVE_POD, 30)),
        Check("RESTARTS 0 until t=49, 1 by t=60, still 1 at t=120", _restarted_once(LIVE_POD, 49, 60, 120)),
    ],
)

# -- 02.2 · write · ready only when told ---------------------------------------------------------

GATE_STARTER = """\
# Lab 02.2: pod gate, Ready only once /usr/share/nginx/html/ready.html exists.
apiVersion: v1
kind: Pod
metadata:
  name: gate
spec:
  containers:
  - name: nginx
    image: nginx:1.27
"""

GATE_ANSWER = """\
apiVersion: v1
kind: Pod
metadata:
  name: gate
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe:
      httpGet:
        path: /ready.html
        port: 80
      periodSeconds: 2
"""


def _running_not_ready_at(name: str, t: float):
    def fn(run: Run) -> tuple[bool, str]:
        snap = run.at(t)
        pod = snap.pod(name)
        ok = pod is not None and phase(pod) == "Running" and not is_ready(pod) and restart_count(pod) == 0
        text = row_text(snap, name)
        if pod is not None and is_ready(pod):
            text += " (nothing keeps it from being Ready before the file exists)"
        elif pod is not None and not ok:
            why = why_not_running(run, name, t)
            text += f" ({why})" if why else ""
        return ok, text
    return fn


def _ready_by(name: str, after: float, by: float):
    def fn(run: Run) -> tuple[bool, str]:
        if is_ready(run.pod_at(name, by)):
            since = None  # the last switch to Ready at or before ``by``
            was = False
            for r in run.pod_records(name):
                if r.t > by + 1e-9:
                    break
                now = r.type != "DELETED" and is_ready(r.object)
                if now and not was:
                    since = r.t
                was = now
            return True, f"Ready at t={fmt_t(since)}" if since is not None else "Ready"
        t = run.first(name, is_ready, after=after)
        snap = run.at(by)
        text = f"your pod stays {snap.row(name)['READY'] if snap.row(name) else '0/1'} READY at t={by:g}" \
            if snap.pod(name) is not None else row_text(snap, name)
        warn = last_warning(run, name, by)
        if warn:
            text += f": {warn}"
        if t is not None:
            text += f" (Ready only at t={fmt_t(t)})"
        return False, text
    return fn


def _restarts_zero_at(name: str, t: float):
    def fn(run: Run) -> tuple[bool, str]:
        snap = run.at(t)
        pod = snap.pod(name)
        ok = pod is not None and restart_count(pod) == 0
        text = row_text(snap, name)
        if pod is not None and not ok:
            text += f" ({why_not_running(run, name, t)})"
        return ok, text
    return fn


LAB_02_2 = Lab(
    id="02.2", kind="write", title="Ready only when told",
    task="Write pod `gate` (nginx:1.27). It is Running but not Ready until "
         "`/usr/share/nginx/html/ready.html` exists, it is never restarted because of that, and it "
         "becomes Ready at most 5 s after the file appears. At t=30 the grader creates the file with "
         "`kubectl exec`.",
    starter=GATE_STARTER,
    answer=GATE_ANSWER,
    hint="Only one probe type takes a pod out of traffic and does nothing else. The pod turns Ready "
         "after `successThreshold` passing checks, one period apart, so the period decides how soon.",
    images=NGINX_IMAGES,
    actions=[(30, "kubectl exec gate -- sh -c 'echo ready > /usr/share/nginx/html/ready.html'")],
    checkpoints=(30, 36, 90),
    until=90,
    checks=[
        Check("at t=30: Running, 0/1 READY, RESTARTS 0", _running_not_ready_at("gate", 30)),
        Check("Ready by t=36", _ready_by("gate", 30, 36)),
        Check("RESTARTS 0 at t=90", _restarts_zero_at("gate", 90)),
    ],
)

# -- 02.3 · predict · liveness timeline -------------------------------------------------------------

LIVE_SCENARIO = """\
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: live
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    livenessProbe:
      httpGet:
        path: /index.html
        port: 80
      periodSeconds: 10
      failureThreshold: 3
EOF
sleep 40
kubectl exec live -- rm /usr/share/nginx/html/index.html
sleep 110
"""
BREAK_T = 40.0


def _first_kill(run: Run) -> float:
    t = run.event_at("live", "Killing")
    if t is None:
        raise GraderError("live was never killed")
    return t


def _unhealthy_at_kill(runs: list[Run]) -> int:
    run = runs[0]
    kill = _first_kill(run)
    evs = [e for e in run.events("live", reason="Unhealthy", upto=kill)
           if e.get("message", "").startswith("Liveness probe failed")]
    if not evs:
        raise GraderError("no Unhealthy event before the first Killing")
    return int(evs[-1].get("count") or 1)


def _max_delay(runs: list[Run]) -> int:
    """period × failureThreshold, read from the pod; every seed's observed kill delay must lie in
    (period × (threshold-1), period × threshold]."""
    pod = runs[0].pod_records("live")[0].object
    probe = pod["spec"]["containers"][0]["livenessProbe"]
    period, threshold = int(probe["periodSeconds"]), int(probe["failureThreshold"])
    bound = period * threshold
    for run in runs:
        delay = _first_kill(run) - BREAK_T
        if not (period * (threshold - 1) - 1e-9 <= delay <= bound + 1e-9):
            raise GraderError(f"on seed {run.seed} the kill came {delay:.1f} s after the deletion, "
                              f"outside the bound {bound} s")
    return bound


def _restarts_at(name: str, t: float):
    def truth(runs: list[Run]) -> int:
        pod = runs[0].at(t).pod(name)
        if pod is None:
            raise GraderError(f"{name} does not exist at t={t:g}")
        return restart_count(pod)
    return truth


LAB_02_3 = Lab(
    id="02.3", kind="predict", title="Liveness timeline",
    task="Pod `live` (nginx:1.27) has a liveness probe `httpGet /index.html`, periodSeconds 10, "
         "failureThreshold 3. At t=40 index.html is deleted. Give `unhealthy`: the count in the "
         "Unhealthy event when the container is first killed; `maxdelay`: the latest possible kill "
         "time, in seconds after the deletion; `restarts`: RESTARTS at t=150.",
    starter="unhealthy: \nmaxdelay: \nrestarts: \n",
    answer="unhealthy: 3\nmaxdelay: 30\nrestarts: 1\n",
    hint="Failures only count at probe ticks, and the first tick after the deletion can come almost "
         "at once or a whole period later. A restarted container starts again from its image.",
    images=("nginx:1.27",),
    scenario=LIVE_SCENARIO,
    checkpoints=(150,),
    until=150,
    predict_seeds=3,
    keys=[
        Key("unhealthy", "Unhealthy count at the first kill", _unhealthy_at_kill, kind="int"),
        Key("maxdelay", "latest kill, seconds after the deletion", _max_delay, kind="int"),
        Key("restarts", "RESTARTS at t=150", _restarts_at("live", 150), kind="int"),
    ],
)

# -- 02.4 · predict · the probe that never passes ---------------------------------------------------

STARTUP_SCENARIO = """\
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: nginx-demo-startup-probe
spec:
  restartPolicy: OnFailure
  containers:
  - name: nginx
    image: docker.io/library/nginx:latest
    imagePullPolicy: IfNotPresent
    workingDir: /usr/share/nginx/html
    ports:
    - name: http
      containerPort: 80
    startupProbe:
      httpGet:
        path: /api/version
        port: 80
      failureThreshold: 3
      periodSeconds: 3
      successThreshold: 1
      timeoutSeconds: 5
EOF
sleep 120
"""
STARTUP_POD = "nginx-demo-startup-probe"


def _column(name: str, t: float, column: int):
    def truth(runs: list[Run]) -> str:
        run = runs[0]
        pod = run.at(t).pod(name)
        if pod is None:
            raise GraderError(f"{name} does not exist at t={t:g}")
        return pod_cells(pod, run.t0 + t)[column].split()[0]
    return truth


def _phase_at(name: str, t: float):
    def truth(runs: list[Run]) -> str:
        return phase(runs[0].at(t).pod(name))
    return truth


LAB_02_4 = Lab(
    id="02.4", kind="predict", title="The probe that never passes",
    task="The tutorial's startup-probe pod (404 on `/api/version`, periodSeconds 3, "
         "failureThreshold 3, restartPolicy OnFailure) is created at t=0 and runs for 2 minutes. "
         "Give its STATUS and RESTARTS as `kubectl get pods` shows them at t=120, and its phase.",
    starter="status: \nrestarts: \nphase: \n",
    answer="status: Completed\nrestarts: 2\nphase: Succeeded\n",
    hint="Which exit code does nginx leave when the kubelet stops it, and which exits does "
         "OnFailure restart? Look at the back-off window when the third kill comes.",
    images=("docker.io/library/nginx:latest",),
    scenario=STARTUP_SCENARIO,
    checkpoints=(120,),
    until=120,
    keys=[
        Key("status", "STATUS at t=120", _column(STARTUP_POD, 120, 2)),
        Key("restarts", "RESTARTS at t=120", _column(STARTUP_POD, 120, 3), kind="int"),
        Key("phase", "phase at t=120", _phase_at(STARTUP_POD, 120)),
    ],
)

# -- 02.5 · command · ready without a restart ------------------------------------------------------

SLOW_SETUP = """\
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: slow
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe:
      httpGet:
        path: /ready.html
        port: 80
      periodSeconds: 3
EOF
sleep 15
"""


def _same_uid(run: Run) -> tuple[bool, str]:
    before = run.at(0.0).pod("slow")
    after = run.end_snapshot.pod("slow")
    if before is None:
        raise GraderError("the setup left no pod slow")
    if after is None:
        return False, f"pod slow does not exist at t={fmt_t(run.end)}"
    if after["metadata"]["uid"] != before["metadata"]["uid"]:
        return False, "slow was replaced by a new pod (another uid): it was deleted and created again"
    return True, f"uid {after['metadata']['uid']} as after the setup"


def _end_restarts_zero(run: Run) -> tuple[bool, str]:
    pod = run.end_snapshot.pod("slow")
    return pod is not None and restart_count(pod) == 0, row_text(run.end_snapshot, "slow")


def _end_ready(run: Run) -> tuple[bool, str]:
    snap = run.end_snapshot
    pod = snap.pod("slow")
    if pod is not None and is_ready(pod):
        t = run.first("slow", is_ready)
        return True, f"Ready since t={fmt_t(t)}" if t is not None else row_text(snap, "slow")
    text = row_text(snap, "slow")
    warn = last_warning(run, "slow", run.end)
    return False, text + (f": {warn}" if warn and pod is not None else "")


LAB_02_5 = Lab(
    id="02.5", kind="command", title="Ready without a restart",
    task="Pod `slow` waits for `/usr/share/nginx/html/ready.html`. Make it Ready without deleting, "
         "replacing or restarting it. The grader looks 20 s after your script's last line.",
    starter="# Lab 02.5: one kubectl command per line\n",
    answer="kubectl exec slow -- sh -c 'echo ok > /usr/share/nginx/html/ready.html'\n",
    hint="Probes cannot be edited on a running pod. Put the file where the probe looks, with "
         "`kubectl exec slow -- sh -c '…'`.",
    setup=SLOW_SETUP,
    images=("nginx:1.27",),
    checks=[
        Check("the same pod as after the setup", _same_uid),
        Check("RESTARTS 0", _end_restarts_zero),
        Check("Ready", _end_ready),
    ],
)

# -- 02.6 · write · drain before stop -------------------------------------------------------------

DRAIN_STARTER = """\
# Lab 02.6: pod drain keeps serving at least 8 s after kubectl delete, and is gone within 15 s.
apiVersion: v1
kind: Pod
metadata:
  name: drain
spec:
  containers:
  - name: nginx
    image: nginx:1.27
"""

DRAIN_ANSWER = """\
apiVersion: v1
kind: Pod
metadata:
  name: drain
spec:
  terminationGracePeriodSeconds: 20
  containers:
  - name: nginx
    image: nginx:1.27
    lifecycle:
      preStop:
        exec:
          command: ["sh", "-c", "sleep 10"]
"""


def _ready_at(name: str, t: float):
    def fn(run: Run) -> tuple[bool, str]:
        snap = run.at(t)
        pod = snap.pod(name)
        text = row_text(snap, name)
        if pod is not None and not is_ready(pod):
            why = why_not_running(run, name, t)
            text += f" ({why})" if why else ""
        return pod is not None and is_ready(pod), text
    return fn


def _running_at_t(name: str, t: float):
    def fn(run: Run) -> tuple[bool, str]:
        pod = run.at(t).pod(name)
        if pod is None:
            gone = run.gone_at(name)
            return False, f"{name} was already gone at t={t:g}" + (f" (since t={fmt_t(gone)})" if gone else "")
        state = container_status(pod, "nginx").get("state") or container_status(pod).get("state") or {}
        which = next(iter(state), "unknown")
        if which == "running":
            return True, f"container nginx is running at t={t:g}"
        detail = state.get(which) or {}
        reason = detail.get("reason", "")
        return False, f"container nginx is {which}{' (' + reason + ')' if reason else ''} at t={t:g}"
    return fn


def _gone_by(name: str, t: float):
    def fn(run: Run) -> tuple[bool, str]:
        gone = run.gone_at(name)
        if gone is None:
            return False, f"{name} still exists at t={fmt_t(run.end)}"
        return gone <= t + 1e-9, f"gone at t={fmt_t(gone)}"
    return fn


def _stopping_event(name: str, container: str):
    pattern = re.compile(rf"^Stopping container {re.escape(container)}$")

    def fn(run: Run) -> tuple[bool, str]:
        for e in run.events(name, reason="Killing"):
            if pattern.match(e.get("message", "")):
                return True, f"Killing: {e['message']}"
        kills = [e.get("message", "") for e in run.events(name, reason="Killing")]
        return False, ("Killing events: " + "; ".join(kills)) if kills else "no Killing event"
    return fn


LAB_02_6 = Lab(
    id="02.6", kind="write", title="Drain before stop",
    task="Write pod `drain` (nginx:1.27). After `kubectl delete pod drain` its container must keep "
         "running at least 8 s, and the pod must be gone within 15 s. The pod must be Ready by t=20; "
         "at t=30 the grader runs `kubectl delete pod drain --wait=false`.",
    starter=DRAIN_STARTER,
    answer=DRAIN_ANSWER,
    hint="A preStop hook runs before the stop signal, and nginx quits as soon as it gets that "
         "signal. Make sure the grace period covers the hook.",
    images=("nginx:1.27",),
    actions=[(30, "kubectl delete pod drain --wait=false")],
    checkpoints=(20, 37),
    until=50,
    checks=[
        Check("Ready by t=20", _ready_at("drain", 20)),
        Check("container still running at t=37", _running_at_t("drain", 37)),
        Check("gone by t=45", _gone_by("drain", 45)),
        Check("a Killing event `Stopping container nginx`", _stopping_event("drain", "nginx")),
    ],
)

LABS = [LAB_02_1, LAB_02_2, LAB_02_3, LAB_02_4, LAB_02_5, LAB_02_6]
