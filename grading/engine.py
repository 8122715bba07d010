"""The grading engine: replays a learner's declared answer on a brand-new lab cluster and checks
what the simulator observed (course outline A.2, A.5, A.6).

A graded run is built in this order, and ``lab()`` in a notebook builds the very same cluster:

1. a fresh cluster of the lab's preset with the lab's seed (``NN*100+k``, or an extra seed);
2. the images the lab names are put on the nodes (A.4: setups run with pre-pulled images);
3. the lab's setup script runs (``kubectl`` lines and ``sleep``); the clock at its end is **t=0**;
4. an observer starts: it records every store write (``cluster.store.watch``) with its t, so that
   "throughout", "by t=X" and "at t=X" can all be evaluated afterwards;
5. the answer runs as the grader runs it:
   - fix/write: ``kubectl apply -f answers/NN.k.yaml`` in a temporary workspace holding only that
     file (error texts name the file as the learner saved it);
   - command: the script, through :class:`labsim.scenario.Runner` (same syntax as scenario files);
   - predict: the lab's scenario script (the answer only holds ``key: value`` lines);
6. grader actions run at their t and snapshots (every pod and its ``get pods`` cells) are taken at
   the checkpoints, a snapshot before an action due at the same t;
7. the checks read the run (observer records, snapshots, transcript) and say what they saw.

Grading never looks at the learner's live objects, only at the answer text (reliability C3). There
is no sandbox yet: the autograder's subprocess with rlimits comes with the nbgrader course; the
engine only needs the answer text, so it can run unchanged inside it.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable

from labsim.api.store import DELETED
from labsim.kubectl.printers.tables import pod_cells
from labsim.presets import make_cluster, preload_images
from labsim.scenario import Runner, ScriptError, format_transcript, parse_script

__all__ = ["Lab", "Check", "Key", "Run", "Verdict", "Line", "GraderError", "prepare_cluster",
           "run_lab", "evaluate", "answer_filename", "EXTRA_SEEDS", "fmt_t"]

#: fix, write and command labs are also replayed on 2 extra seeds (A.5 Grading 2): offsets from
#: the reference seed, far from any other lab's seed
EXTRA_SEED_OFFSETS = (10_000, 20_000)
EXTRA_SEEDS = EXTRA_SEED_OFFSETS  # public alias
POINTS = {"fix": 2, "write": 3, "command": 2}
EXTENSIONS = {"fix": "yaml", "write": "yaml", "command": "sh", "predict": "txt"}


class GraderError(Exception):
    """The lab itself is inconsistent with what the simulator did (a bug in a lab, never the
    learner's fault): the check says so instead of crashing the self-check."""


def fmt_t(t: float) -> str:
    """Simulated t as the feedback prints it: one decimal (``t=61.0``)."""
    return f"{t:.1f}"


# -- lab definitions ------------------------------------------------------------------------------

@dataclass
class Check:
    """One graded statement. ``fn(run) -> (ok, observed)``; ``observed`` says what the simulator
    showed and when, in kubectl's words. ``needs_answer``: not evaluated when nothing was applied."""

    text: str
    fn: Callable[["Run"], tuple[bool, str]]
    needs_answer: bool = True


@dataclass
class Key:
    """One predict sub-question: ``truth(runs)`` computes the value on the graded runs (runs[0] is
    the reference seed) at grading time; ``kind`` is ``int`` or ``word``."""

    name: str
    question: str
    truth: Callable[[list["Run"]], Any]
    kind: str = "word"


@dataclass
class Lab:
    id: str
    kind: str  # fix | write | command | predict
    title: str
    task: str
    starter: str
    answer: str  # the reference answer (full marks on every seed)
    hint: str
    checks: list[Check] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)  # predict labs
    setup: str = ""  # scenario script run before t=0
    scenario: str = ""  # predict labs: the script played from t=0
    images: tuple[str, ...] = ()
    actions: list[tuple[float, str]] = field(default_factory=list)  # grader actions (t, command)
    checkpoints: tuple[float, ...] = ()
    until: float = 0.0  # the run ends at this t (at least)
    settle_after_script: float = 20.0  # command labs: the end state is read this long after the script
    preset: str = "k3d-1"
    #: predict labs whose truth needs several seeds (02.3: kill delays at different probe phases)
    predict_seeds: int = 1
    points: int = 0

    def __post_init__(self):
        if not self.points:
            self.points = POINTS.get(self.kind, min(4, len(self.keys)))

    @property
    def chapter(self) -> str:
        return self.id.split(".")[0]

    @property
    def seed(self) -> int:
        nn, k = self.id.split(".")
        return int(nn) * 100 + int(k)

    @property
    def answer_ext(self) -> str:
        if self.kind == "fix" and _is_script(self.starter):  # a fix lab whose starter is a script
            return "sh"
        return EXTENSIONS[self.kind]

    @property
    def seeds(self) -> list[int]:
        if self.kind == "predict":
            return [self.seed + off for off in (0,) + EXTRA_SEED_OFFSETS][: self.predict_seeds]
        return [self.seed] + [self.seed + off for off in EXTRA_SEED_OFFSETS]


def _is_script(text: str) -> bool:
    for ln in text.splitlines():
        s = ln.strip()
        if s and not s.startswith("#"):
            return s.startswith("kubectl ") or s == "kubectl" or s.startswith("sleep ")
    return False


def answer_filename(lab: Lab) -> str:
    return f"answers/{lab.id}.{lab.answer_ext}"


# -- the run ------------------------------------------------------------------------------------------

@dataclass
class Record:
    """One store write seen by the observer."""

    t: float
    type: str  # ADDED | MODIFIED | DELETED
    kind: str
    namespace: str
    name: str
    object: dict


@dataclass
class Snapshot:
    t: float
    pods: dict[tuple[str, str], dict]
    cells: dict[tuple[str, str], list]

    def pod(self, name: str, namespace: str = "default") -> dict | None:
        return self.pods.get((namespace, name))

    def row(self, name: str, namespace: str = "default") -> dict | None:
        c = self.cells.get((namespace, name))
        if c is None:
            return None
        return {"NAME": c[0], "READY": c[1], "STATUS": c[2], "RESTARTS": c[3], "AGE": c[4]}


class Run:
    """One replay of a lab on one seed: the cluster, what the observer recorded, the snapshots,
    the answer's steps and the transcript (``check(id, show=True)`` prints it)."""

    def __init__(self, lab: Lab, seed: int, cluster, workdir: str):
        self.lab = lab
        self.seed = seed
        self.cluster = cluster
        self.workdir = workdir
        self.t0 = cluster.clock.now
        self.records: list[Record] = []
        self.snapshots: dict[float, Snapshot] = {}
        self.steps: list = []  # the answer's scenario steps
        self.actions: list[tuple[float, str, Any]] = []  # (t, command, step)
        self.transcript: list[str] = []
        self.applied = True  # False: the answer created/changed nothing (or did not parse)
        self.answer_error = ""  # the error the answer's replay printed
        self.answer_output = ""
        self.script_end: float | None = None
        self.end: float = 0.0
        self.end_snapshot: Snapshot | None = None
        self._stop = cluster.store.watch(self._record)

    # the observer: after every store write
    def _record(self, ev) -> None:
        md = ev.object.get("metadata") or {}
        self.records.append(Record(ev.time - self.t0, ev.type, ev.resource.kind, md.get("namespace") or "",
                                   md.get("name", ""), ev.object))

    def stop(self) -> None:
        self._stop()

    @property
    def t(self) -> float:
        return self.cluster.clock.now - self.t0

    def advance_to(self, t: float) -> None:
        if t > self.t:
            self.cluster.clock.run_until(self.t0 + t)

    def snapshot(self, t: float | None = None) -> Snapshot:
        t = self.t if t is None else t
        now = self.cluster.clock.now
        pods, cells = {}, {}
        for pod in self.cluster.api.list(self.cluster.registry.resolve("pods")):
            md = pod["metadata"]
            key = (md.get("namespace", ""), md["name"])
            pods[key] = pod
            cells[key] = pod_cells(pod, now)
        snap = Snapshot(t, pods, cells)
        self.snapshots[t] = snap
        return snap

    def at(self, t: float) -> Snapshot:
        snap = self.snapshots.get(t)
        if snap is None:
            raise GraderError(f"lab {self.lab.id} reads t={fmt_t(t)} but takes no snapshot then")
        return snap

    # observer queries
    def pod_records(self, name: str, namespace: str = "default") -> list[Record]:
        return [r for r in self.records if r.kind == "Pod" and r.name == name and r.namespace == namespace]

    def pod_at(self, name: str, t: float, namespace: str = "default") -> dict | None:
        """The pod as stored at t (the last write at or before t), None if absent then."""
        obj = None
        for r in self.pod_records(name, namespace):
            if r.t > t + 1e-9:
                break
            obj = None if r.type == DELETED else r.object
        return obj

    def gone_at(self, name: str, namespace: str = "default") -> float | None:
        for r in self.pod_records(name, namespace):
            if r.type == DELETED:
                return r.t
        return None

    def first(self, name: str, pred: Callable[[dict], bool], namespace: str = "default",
              after: float = -1e9) -> float | None:
        """The first t at which a write left the pod satisfying ``pred``."""
        for r in self.pod_records(name, namespace):
            if r.t >= after and r.type != DELETED and pred(r.object):
                return r.t
        return None

    def events(self, name: str, namespace: str = "default", reason: str | None = None,
               upto: float | None = None) -> list[dict]:
        """Core events about a pod, each in its latest version written up to ``upto``, oldest first."""
        latest: dict[str, tuple[float, dict]] = {}
        for r in self.records:
            if r.kind != "Event" or r.namespace != namespace or r.type == DELETED:
                continue
            if upto is not None and r.t > upto + 1e-9:
                break
            inv = r.object.get("involvedObject") or {}
            if inv.get("kind") != "Pod" or inv.get("name") != name:
                continue
            if reason is not None and r.object.get("reason") != reason:
                continue
            first_t = latest[r.name][0] if r.name in latest else r.t
            latest[r.name] = (first_t, r.object)
        return [obj for _, obj in sorted(latest.values(), key=lambda x: x[0])]

    def event_at(self, name: str, reason: str, namespace: str = "default") -> float | None:
        """t of the first write of an event with ``reason`` about the pod."""
        for r in self.records:
            if r.kind == "Event" and r.namespace == namespace and r.object.get("reason") == reason \
                    and (r.object.get("involvedObject") or {}).get("name") == name:
                return r.t
        return None

    def kubectl(self, command: str, stdin: str | None = None):
        from labsim.kubectl import run

        return run(self.cluster, command, stdin=stdin)

    def transcript_text(self) -> str:
        return "".join(self.transcript)


# -- building and running -----------------------------------------------------------------------------

def prepare_cluster(lab: Lab, seed: int | None = None, *, workdir: str | None = None):
    """The lab cluster before t=0: preset, seed, pre-pulled images, setup script. Returns
    ``(cluster, setup_steps)``. ``lab()`` in a notebook and every graded run use this."""
    seed = lab.seed if seed is None else seed
    cluster = make_cluster(lab.preset, seed, workdir=workdir)
    preload_images(cluster, lab.images)
    steps = []
    if lab.setup:
        runner = Runner(cluster, echo_commands=False, confine=True)
        runner.run(parse_script(lab.setup, filename=f"setup of lab {lab.id}"))
        runner.finish()
        steps = runner.steps
        for s in steps:
            for res in s.results:
                if res.exit_code != 0:
                    raise GraderError(f"the setup of lab {lab.id} failed at {s.command!r}: {res.output}")
    cluster.stop_watches()
    return cluster, steps


def run_lab(lab: Lab, answer: str, seed: int | None = None) -> Run:
    """Replay ``answer`` on a brand-new lab cluster with ``seed`` (the lab's reference seed by
    default) and return the :class:`Run`. Never raises for a bad answer."""
    seed = lab.seed if seed is None else seed
    with tempfile.TemporaryDirectory(prefix=f"kubelabs-{lab.id}-") as tmp:
        cluster, _ = prepare_cluster(lab, seed, workdir=tmp)
        run = Run(lab, seed, cluster, tmp)
        run.snapshot(0.0)  # the state the setup left (02.5 compares the pod's uid with it)
        try:
            _replay(lab, run, answer)
        finally:
            run.stop()
            cluster.stop_watches()
    return run


def _replay(lab: Lab, run: Run, answer: str) -> None:
    schedule = sorted([(t, 0, None) for t in lab.checkpoints] + [(t, 1, cmd) for t, cmd in lab.actions],
                      key=lambda x: (x[0], x[1]))
    if lab.kind == "predict":
        # the scenario's sleep lines pass time; checkpoints and actions fall inside them
        schedule = _play(run, parse_script(lab.scenario, filename=f"scenario of lab {lab.id}"), schedule)
    elif lab.answer_ext == "sh":
        rel = answer_filename(lab)
        _write(run.workdir, rel, answer)
        try:
            lines = parse_script(answer, filename=rel)
        except ScriptError as e:
            run.applied = False
            run.answer_error = f"{rel}:{e.lineno}: {e.message}"
            run.transcript.append(f"# the script was not run: {run.answer_error}\n")
            lines = None
        if lines is not None:
            runner = Runner(run.cluster, confine=True, emit=run.transcript.append)
            for line in lines:
                run.steps.append(runner.run_line(line))
            runner.finish()
            run.script_end = run.t
            errors = [r.output for s in run.steps for r in s.results if r.exit_code != 0]
            run.answer_error = errors[0].strip() if errors else ""
            run.answer_output = format_transcript(run.steps)
    else:
        rel = answer_filename(lab)
        _write(run.workdir, rel, answer)
        steps = _run_script(run, f"kubectl apply -f {rel}\n", "grader")
        res = steps[0].result
        run.answer_output = res.output
        if res.exit_code != 0:
            run.answer_error = res.output.strip()
        run.applied = bool(re.search(r"^\S+ (created|configured|unchanged)", res.stdout, re.M))
    # grader actions and checkpoints, in time order (a snapshot comes before an action at the same t)
    base = run.script_end or 0.0
    for item in schedule:
        _do(run, item, base)
    if run.script_end is not None:
        run.advance_to(run.script_end + lab.settle_after_script)
    else:
        run.advance_to(lab.until)
    run.end = run.t
    run.end_snapshot = run.snapshots.get(run.end) or run.snapshot(run.end)
    run.transcript.append(f"# t={fmt_t(run.t)}: end of the graded run\n")
    r = run.kubectl("get pods -A")
    run.transcript.append("$ kubectl get pods -A\n" + r.output)


def _do(run: Run, item, base: float = 0.0) -> None:
    t, what, cmd = item
    run.advance_to(base + t)
    if what == 0:
        run.snapshot(t)
    else:
        run.transcript.append(f"# t={fmt_t(run.t)}: the grader runs\n")
        step = _run_script(run, cmd + "\n", "grader action")[0]
        run.actions.append((t, cmd, step))


def _play(run: Run, lines, schedule: list) -> list:
    """Run script lines; schedule items due while a ``sleep`` line passes time are done at their t.
    Returns the items still to come after the script."""
    from labsim.kubectl.watch import collect_watch_output
    from labsim.scenario import sleep_seconds

    runner = Runner(run.cluster, confine=True, emit=run.transcript.append)
    pending = list(schedule)
    for line in lines:
        first = line.first
        pure_sleep = len(line.items) == 1 and len(line.items[0][1]) == 1 and first.argv[0] == "sleep" \
            and not first.redirects
        if not pure_sleep:
            runner.run_line(line)
            continue
        run.transcript.append(collect_watch_output(run.cluster))
        run.transcript.append(line.typed + "\n")
        target = run.t + sleep_seconds(first.argv)
        while pending and pending[0][0] <= target + 1e-9:
            _do(run, pending.pop(0))
        run.advance_to(target)
        run.transcript.append(collect_watch_output(run.cluster))
    runner.finish()
    return pending


def _run_script(run: Run, text: str, filename: str):
    runner = Runner(run.cluster, confine=True, emit=run.transcript.append)
    steps = runner.run(parse_script(text, filename=filename))
    runner.finish()
    return steps


def _write(root: str, rel: str, text: str) -> None:
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)


# -- verdicts -------------------------------------------------------------------------------------------

@dataclass
class Line:
    ok: bool
    text: str
    counted: bool = True

    def render(self) -> str:
        return f"  {'✔' if self.ok else '✘'} {self.text}"


@dataclass
class Verdict:
    """What ``check``/``grade`` return: points out of max_points and the self-check lines."""

    lab_id: str
    points: float
    max_points: int
    lines: list[Line]
    header: str = ""
    footer: str = ""
    runs: list[Run] = field(default_factory=list, repr=False)

    @property
    def passed(self) -> int:
        return sum(1 for ln in self.lines if ln.counted and ln.ok)

    @property
    def total(self) -> int:
        return sum(1 for ln in self.lines if ln.counted)

    @property
    def full_marks(self) -> bool:
        return self.points >= self.max_points

    def text(self) -> str:
        out = [self.header] + [ln.render() for ln in self.lines]
        if self.footer:
            out.append(self.footer)
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        return self.text()

    def _ipython_display_(self) -> None:
        """As a notebook cell's last value a verdict shows nothing: ``check`` already printed its
        lines (``print(v)`` shows them again), and a repr would differ between runs."""


def _safe(fn: Callable[[], tuple[bool, str]]) -> tuple[bool, str]:
    try:
        ok, observed = fn()
        return bool(ok), observed
    except GraderError as e:
        return False, f"grader error (not your answer's fault): {e}"


def evaluate(lab: Lab, answer: str) -> Verdict:
    """Replay ``answer`` on the lab's seeds and check it; a malformed answer gets 0 points with the
    error kubectl printed, never an exception."""
    if lab.kind == "predict":
        return _evaluate_predict(lab, answer)
    runs = [run_lab(lab, answer, s) for s in lab.seeds]
    ref = runs[0]
    lines: list[Line] = []
    # the answer itself
    if lab.answer_ext == "sh":
        if not ref.applied:
            lines.append(Line(False, f"script: {ref.answer_error}"))
        else:
            lines.append(Line(True, f"script ran ({len(ref.steps)} command line"
                                    f"{'s' if len(ref.steps) != 1 else ''}, ended at t={fmt_t(ref.script_end)})",
                              counted=False))
    else:
        out = ref.answer_output.strip().replace("\n", "; ")
        lines.append(Line(ref.answer_error == "" and ref.applied, f"applied: {out}" if out else "applied"))
    for t, cmd, step in ref.actions:
        res = step.result
        ok = res is None or res.exit_code == 0
        text = f"grader at t={fmt_t(t) if t != int(t) else int(t)}: {cmd}"
        if not ok:
            text += f" → {res.output.strip()}"
        lines.append(Line(ok, text, counted=False))
    for check in lab.checks:
        results = []
        for run in runs:
            if check.needs_answer and not run.applied:
                results.append((False, "not checked: the answer was not applied"
                                if lab.answer_ext != "sh" else "not checked: the script did not run"))
            else:
                results.append(_safe(lambda: check.fn(run)))
        ok = all(r[0] for r in results)
        observed = results[0][1]
        if results[0][0] and not ok:
            bad = next(i for i, r in enumerate(results) if not r[0])
            observed = f"{observed}; but on seed {runs[bad].seed}: {results[bad][1]}"
        lines.append(Line(ok, f"{check.text}: {observed}" if observed else check.text))
    counted = [ln for ln in lines if ln.counted]
    points = round(lab.points * sum(ln.ok for ln in counted) / len(counted), 2) if counted else 0.0
    header = f"Lab {lab.id} · self-check — replayed on a fresh cluster (seed {lab.seed}; " \
             f"also seeds {', '.join(str(r.seed) for r in runs[1:])})"
    v = Verdict(lab.id, points, lab.points, lines, header=header, runs=runs)
    v.footer = f"  {v.passed}/{v.total} visible checks pass · {points:g}/{lab.points} pts"
    return v


# -- predict labs -----------------------------------------------------------------------------------

def parse_prediction(text: str) -> tuple[dict[str, str], list[str]]:
    """``key: value`` lines (``#`` comments and blank lines ignored). Returns (values, problems)."""
    values: dict[str, str] = {}
    problems: list[str] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if ":" not in line:
            problems.append(f"line {n}: expected 'key: value', got {raw.strip()!r}")
            continue
        k, v = line.split(":", 1)
        k = k.strip().lower()
        if k in values:
            problems.append(f"line {n}: {k!r} is given twice (the last one counts)")
        values[k] = v.strip()
    return values, problems


def _normalise(value: Any, kind: str) -> str | None:
    s = str(value).strip().lower()
    if kind == "int":
        s = re.sub(r"\s*(s|sec|secs|seconds)$", "", s)  # "40s" means 40 here
        try:
            f = float(s)
        except ValueError:
            return None
        return str(int(f)) if f == int(f) else str(f)
    if "," in s:
        return ",".join(sorted(p.strip() for p in s.split(",")))
    return s


def _evaluate_predict(lab: Lab, answer: str) -> Verdict:
    values, problems = parse_prediction(answer)
    runs = [run_lab(lab, "", s) for s in lab.seeds]
    lines: list[Line] = []
    known = {k.name for k in lab.keys}
    for p in problems:
        lines.append(Line(False, p, counted=False))
    for extra in sorted(set(values) - known):
        lines.append(Line(False, f"unknown key {extra!r} (keys: {', '.join(k.name for k in lab.keys)})",
                          counted=False))
    for key in lab.keys:
        given = values.get(key.name, "")
        try:
            truth = key.truth(runs)
        except GraderError as e:
            lines.append(Line(False, f"{key.name} ({key.question}): grader error (not your answer's fault): {e}"))
            continue
        if not given:
            lines.append(Line(False, f"{key.name} ({key.question}): no value given"))
            continue
        mine = _normalise(given, key.kind)
        right = mine is not None and mine == _normalise(truth, key.kind)
        if mine is None:
            lines.append(Line(False, f"{key.name} ({key.question}): {given!r} is not a number"))
        else:
            lines.append(Line(right, f"{key.name} ({key.question}): {'right' if right else 'wrong'}"))
    counted = [ln for ln in lines if ln.counted]
    right = sum(ln.ok for ln in counted)
    points = round(lab.points * right / len(lab.keys), 2) if lab.keys else 0.0
    header = f"Lab {lab.id} · self-check — scenario replayed on a fresh cluster (seed {lab.seed})"
    v = Verdict(lab.id, points, lab.points, lines, header=header, runs=runs)
    v.footer = f"  {right}/{len(lab.keys)} answers right · {points:g}/{lab.points} pts"
    return v


# -- vocabulary for checks (A.6), in kubectl's words ------------------------------------------------

def container_status(pod: dict | None, container: str | None = None) -> dict:
    for cs in ((pod or {}).get("status") or {}).get("containerStatuses") or []:
        if container is None or cs.get("name") == container:
            return cs
    return {}


def restart_count(pod: dict | None) -> int:
    return sum(int(cs.get("restartCount") or 0)
               for cs in ((pod or {}).get("status") or {}).get("containerStatuses") or [])


def condition(pod: dict | None, ctype: str) -> str:
    for c in ((pod or {}).get("status") or {}).get("conditions") or []:
        if c.get("type") == ctype:
            return c.get("status", "")
    return ""


def is_ready(pod: dict | None) -> bool:
    """Condition Ready=True (A.6 serving, without the deletion test)."""
    return condition(pod, "Ready") == "True"


def phase(pod: dict | None) -> str:
    return ((pod or {}).get("status") or {}).get("phase", "")


def row_text(snap: Snapshot, name: str, namespace: str = "default") -> str:
    """``web is 0/1 CrashLoopBackOff, RESTARTS 3 (9s ago)`` as ``kubectl get pods`` shows it then."""
    row = snap.row(name, namespace)
    if row is None:
        where = "" if namespace == "default" else f" in namespace {namespace}"
        return f"pod {name} does not exist{where} at t={fmt_t(snap.t)}"
    return f"{name} is {row['READY']} {row['STATUS']}, RESTARTS {row['RESTARTS']} at t={fmt_t(snap.t)}"


def last_warning(run: Run, name: str, upto: float | None = None, namespace: str = "default") -> str:
    """The newest Warning event about the pod up to ``upto`` (``Readiness probe failed: HTTP probe
    failed with statuscode: 404``), or ""."""
    best: tuple[float, str] | None = None
    for r in run.records:
        if upto is not None and r.t > upto + 1e-9:
            break
        o = r.object
        if r.kind == "Event" and r.namespace == namespace and o.get("type") == "Warning" \
                and (o.get("involvedObject") or {}).get("name") == name and r.type != DELETED:
            best = (r.t, o.get("message", ""))
    return best[1] if best else ""


def why_not_running(run: Run, name: str, upto: float | None = None, namespace: str = "default") -> str:
    """What kubectl would show as the reason: the last Warning event, else the last termination."""
    msg = last_warning(run, name, upto, namespace)
    pod = run.pod_at(name, upto if upto is not None else run.end, namespace)
    term = (container_status(pod).get("lastState") or {}).get("terminated") \
        or (container_status(pod).get("state") or {}).get("terminated")
    parts = []
    if term:
        parts.append(f"last exit: {term.get('reason', '')} (exit code {term.get('exitCode', 0)})")
    if msg:
        parts.append(msg)
    return "; ".join(parts)
