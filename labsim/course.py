"""The notebook toolkit of the course (course outline A.2, A.3, A.5): the helpers a chapter
notebook calls.

    chapter("01")            # the chapter's playground cluster (seed 1, preset k3d-1)
    lab("01.3")              # the lab's own cluster (seed 103) after its setup; prints get all
    %%answer 01.3            # saves the cell body to answers/01.3.txt (yaml|sh|txt by lab kind)
    check("01.3")            # replays the saved answer on a brand-new lab cluster; self-check lines
    hint("01.3")
    %lab_history             # kubectl lines run on the current lab cluster, ready to paste
    grade("01.3")            # the same computation for the autograder's hidden test

Graders read only the saved answer files, never what the learner did on the playground or lab
cluster (reliability C3). ``grade`` runs in-process for now: the sandboxed subprocess of the
autograder (rlimits, a temporary cwd holding only the submission) comes with the nbgrader course.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from labsim import magics
from labsim.presets import make_cluster
from labsim.widgets import view  # noqa: F401 - the course's ``view.<kind>(...)`` helpers (A.3)

__all__ = ["chapter", "lab", "check", "hint", "grade", "answer_path", "restart", "branch", "view", "CHAPTERS",
           "ANSWERS_DIR"]

#: chapter id -> (notebook folder, cluster preset) (A.2, A.4)
CHAPTERS: dict[str, tuple[str, str]] = {
    "01": ("01-pods", "k3d-1"),
    "02": ("02-probes", "k3d-1"),
    "03": ("03-replicasets", "k3d-1"),
    "04": ("04-services", "k3d-1"),
    "05": ("05-deployments", "k3d-1"),
    "06": ("06-statefulsets", "k3d-1"),
    "07": ("07-daemonsets", "kubeadm-3"),
    "08": ("08-hpa", "k3d-1"),
    "09": ("09-ingress", "ingress"),
}

#: where ``%%answer`` saves and ``check``/``grade`` read (relative to the notebook's directory)
ANSWERS_DIR = "answers"


@dataclass
class _LabSession:
    lab_id: str
    cluster: object


@dataclass
class _State:
    labs: dict[str, _LabSession] = field(default_factory=dict)
    tries: dict[str, int] = field(default_factory=dict)
    registered: set = field(default_factory=set)  # ids of IPython shells with the course magics


_state = _State()


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    sys.stdout.flush()


def _chapter_id(cid) -> str:
    s = str(cid).strip()
    try:
        s = f"{int(s):02d}"
    except ValueError:
        pass
    if s not in CHAPTERS:
        raise ValueError(f"no chapter {cid!r}: the chapters are {', '.join(CHAPTERS)}")
    return s


def _get_lab(lab_id):
    from grading.labs import get

    return get(lab_id)


# -- magics -----------------------------------------------------------------------------------------

def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:  # labsim works without IPython
        return None
    return get_ipython()


def _load_magics() -> None:
    """``%load_ext labsim`` plus the course's own ``%%answer`` and ``%lab_history``; harmless
    outside IPython."""
    ip = _ipython()
    if ip is None:
        return
    ip.extension_manager.load_extension("labsim")
    if id(ip) in _state.registered:
        return
    ip.register_magic_function(answer_magic, magic_kind="cell", magic_name="answer")
    ip.register_magic_function(lab_history_magic, magic_kind="line", magic_name="lab_history")
    _state.registered.add(id(ip))


def answer_path(lab_id: str) -> str:
    """``answers/NN.k.yaml|sh|txt`` in the current directory (the notebook's)."""
    from grading.engine import answer_filename

    rel = answer_filename(_get_lab(lab_id))
    return os.path.join(os.getcwd(), ANSWERS_DIR, os.path.basename(rel))


def answer_magic(line: str, cell: str) -> None:
    """``%%answer NN.k``: store the body verbatim as the lab's answer file."""
    lab_id = line.strip()
    if not lab_id:
        _out("%%answer needs a lab id: %%answer 01.3")
        return
    try:
        path = answer_path(lab_id)
    except KeyError as e:
        _out(f"%%answer: {e.args[0]}")
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(cell)
    rel = os.path.relpath(path)
    _out(f"answer saved to {rel} · check(\"{lab_id}\") replays it on a fresh cluster")


def lab_history_magic(line: str = "") -> None:
    """``%lab_history``: the kubectl (and sleep) lines run so far on the current lab cluster."""
    cluster = magics.current_cluster()
    history = getattr(cluster, "lab_history", None)
    if history is None:
        _out("%lab_history: the current cluster is not a lab cluster; start one with lab(\"NN.k\")")
        return
    if not history:
        _out(f"# no kubectl commands run on the cluster of lab {cluster.lab_id} yet")
        return
    _out("".join(h if h.endswith("\n") else h + "\n" for h in history))


# -- clusters ------------------------------------------------------------------------------------

def chapter(cid) -> None:
    """Start chapter ``cid``'s playground cluster (seed = the chapter number, the chapter's preset)
    and make it the one ``%kubectl`` acts on. Nothing carries over from other chapters.

    Returns nothing, like ``lab`` and ``check``: a notebook cell ending in ``chapter("01")`` shows
    only what it prints (a returned object's repr carries a memory address, which differs on every
    run). The cluster is ``labsim.magics.current_cluster()``."""
    cid = _chapter_id(cid)
    folder, preset = CHAPTERS[cid]
    _load_magics()
    cluster = make_cluster(preset, seed=int(cid))
    extra = ""
    if cid == "02":
        # ch02's first cell also creates the seed's namespace for the section demos
        r = cluster.kubectl("create namespace pod-example")
        if r.exit_code != 0:  # pragma: no cover - a fresh cluster has no such namespace
            raise RuntimeError(r.output)
        cluster.settle()
        extra = " · namespace pod-example created"
    cluster.chapter_id = cid  # restart() (the views' Reset button) makes the same chapter again
    magics.use_cluster(cluster)
    nodes = ", ".join(s.name for s in cluster.node_specs)
    _out(f"Chapter {cid} ({folder}) · playground cluster: preset {preset}, seed {int(cid)}, "
         f"node{'s' if len(cluster.node_specs) != 1 else ''} {nodes}, context "
         f"{cluster.kubeconfig.current_context}{extra}")


def lab(lab_id, reset: bool = False) -> None:
    """Start lab ``NN.k``'s own cluster (seed ``NN*100+k``), run its setup, make it current and print
    ``kubectl get all``. Called again without ``reset`` it goes back to the same cluster."""
    from grading.engine import prepare_cluster

    L = _get_lab(lab_id)
    _load_magics()
    session = _state.labs.get(L.id)
    if session is not None and not reset:
        magics.use_cluster(session.cluster)
        t = session.cluster.clock.now - session.cluster.lab_t0
        _out(f"Lab {L.id} · back on its cluster (seed {L.seed}, t={t:.0f}s); lab(\"{L.id}\", reset=True) "
             f"starts over")
        return
    cluster, _ = prepare_cluster(L)
    cluster.lab_history = []
    cluster.lab_id = L.id
    cluster.lab_t0 = cluster.clock.now
    _state.labs[L.id] = _LabSession(L.id, cluster)
    magics.use_cluster(cluster)
    _out(f"Lab {L.id} · {L.kind} · {L.points} pts — {L.title} · fresh cluster (seed {L.seed}), setup done, "
         f"t=0\n$ kubectl get all")
    _out(cluster.kubectl("get all").output)


def restart(cluster=None):
    """A brand-new cluster of the chapter or lab ``cluster`` (default: the current one) was made for,
    made current (what the views' Reset button does); None for a cluster the course did not make."""
    cluster = cluster if cluster is not None else magics.current_cluster()
    lab_id = getattr(cluster, "lab_id", None)
    if lab_id is not None:
        lab(lab_id, reset=True)
        return magics.current_cluster()
    cid = getattr(cluster, "chapter_id", None)
    if cid is not None:
        chapter(cid)
        return magics.current_cluster()
    return None


def branch(t: float | None = None) -> None:
    """Change the past: a new cluster starting from the state at simulated time ``t`` (default: the
    time a view's slider shows) becomes the current one; ``%kubectl`` and the open views follow it,
    and the original timeline is left as it was. ``chapter()`` or ``lab()`` start over.
    (``Cluster.branch`` in :mod:`labsim.timetravel` says what a branch restores exactly.)"""
    live = magics.current_cluster()
    if t is None:
        t = magics.viewing_time(live)
    if t is None:
        raise ValueError("move a view's time slider into the past first, or name the time: branch(73)")
    new = live.branch(t)
    for attr in ("chapter_id", "lab_id"):
        if getattr(live, attr, None) is not None:
            setattr(new, attr, getattr(live, attr))
    live.viewing_time = None
    magics.use_cluster(new)
    widgets_live = sys.modules.get("labsim.widgets.live")
    if widgets_live is not None:
        for v in widgets_live.open_views(live):
            v.rebind(new)
            if v.slider is not None:
                v.slider.follow(new.clock.now)
            v.show_past(None)  # the branch is live: its slider at the right end
        widgets_live.flush(new, final=True)
    _out(f"branched at t={t:g}s: %kubectl and the views now follow a new timeline from that moment; "
         "the old one is kept as it was")


# -- checking --------------------------------------------------------------------------------------

def _read_answer(L):
    path = answer_path(L.id)
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            return f.read(), path
    except FileNotFoundError:
        return None, path


def _missing(L, path: str):
    from grading.engine import Line, Verdict

    rel = os.path.relpath(path)
    return Verdict(L.id, 0.0, L.points,
                   [Line(False, f"no answer saved: {rel} does not exist (run the %%answer {L.id} cell)")],
                   header=f"Lab {L.id} · self-check", footer=f"  0/{L.points} pts")


def grade(lab_id):
    """The grade of the saved answer (the hidden test calls this). It recomputes what ``check``
    shows, from the answer file alone. No sandbox yet: it runs in this process."""
    from grading.engine import evaluate

    L = _get_lab(lab_id)
    answer, path = _read_answer(L)
    if answer is None:
        return _missing(L, path)
    return evaluate(L, answer)


def check(lab_id, show: bool = False):
    """Self-check: replay the saved answer on a brand-new lab cluster (the reference seed; fix,
    write and command labs also on 2 extra seeds), print what the simulator observed and return
    the :class:`grading.engine.Verdict` (which shows nothing more as a cell's last value)."""
    L = _get_lab(lab_id)
    answer, path = _read_answer(L)
    if answer is None:
        v = _missing(L, path)
        _out(v.text())
        return v
    from grading.engine import evaluate

    v = evaluate(L, answer)
    tries = _state.tries[L.id] = _state.tries.get(L.id, 0) + 1
    may_show = v.full_marks or tries >= 2
    if may_show:
        v.footer += f" · check(\"{L.id}\", show=True) prints this replayed run"
    _out(v.text())
    if show:
        if L.kind == "predict" and not may_show:
            _out(f"(check(\"{L.id}\", show=True) plays the scenario after a right answer or after two tries)")
        else:
            _out("Replayed run (views come in a later version; this is its transcript, "
                 f"seed {v.runs[0].seed}):")
            _out(v.runs[0].transcript_text())
    return v


def hint(lab_id) -> None:
    L = _get_lab(lab_id)
    _out(f"Hint for lab {L.id}: {L.hint}")

