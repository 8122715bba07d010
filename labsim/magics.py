"""IPython magics: ``%load_ext labsim`` gives ``%kubectl``, ``%%kubectl`` and ``%sleep``.

    %kubectl get pods -o wide            # one command against the current cluster
    %%kubectl apply -f -                 # the cell body is stdin (as a heredoc)
    %%kubectl                            # a manifest: applied with ``apply -f -``
    %%kubectl                            # or commands, one a line (the first non-comment line
    kubectl get pods                     #   starts with ``kubectl ``): same syntax as scenario
    sleep 10                             #   scripts (heredocs, sleep, echo, cat, pipes)
    %sleep 40                            # passes simulated time; prints open watches' rows

Output is exactly what a terminal shows: stdout and stderr interleaved in the order kubectl wrote
them, both printed to the cell's stdout (no red stderr box), because learners compare it with
what real kubectl prints. ``kubectl get -w`` keeps printing rows while ``%sleep`` passes time in
the same cell; the watch ends at the end of the cell (a ``post_run_cell`` hook), like pressing
Ctrl-C before the next prompt. Relative paths (``-f web.yaml``, ``cat > f``) resolve in the
notebook's current directory, so ``%%writefile web.yaml`` then ``%kubectl apply -f web.yaml`` works.

The current cluster is module state: :func:`current_cluster` creates ``Cluster(seed=0)`` on first
use; the course helpers (``chapter()``, ``lab()``) call :func:`use_cluster`.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager

try:  # IPython would expand {...} and $name in magic lines: jsonpath needs them verbatim
    from IPython.core.magic import no_var_expand
except ImportError:  # labsim works without IPython; the magics need it
    def no_var_expand(fn):
        return fn

__all__ = ["current_cluster", "use_cluster", "last_result", "load_ipython_extension",
           "unload_ipython_extension", "kubectl_line", "kubectl_cell", "sleep_line"]

_cluster = None
_last_result = None
_registered: list = []  # (ipython, callback) registered for post_run_cell


def current_cluster():
    """The cluster the magics act on (a fresh ``Cluster(seed=0)`` on first use)."""
    global _cluster
    if _cluster is None:
        from labsim.cluster import Cluster

        _cluster = Cluster(seed=0)
    return _cluster


def use_cluster(cluster):
    """Make ``cluster`` the one ``%kubectl`` and ``%sleep`` act on; returns it. Watches still open
    on the previous cluster end."""
    global _cluster
    if _cluster is not None and _cluster is not cluster:
        _cluster.stop_watches()
    _cluster = cluster
    return cluster


def last_result():
    """The :class:`labsim.kubectl.Result` of the last kubectl command a magic ran (or None)."""
    return _last_result


def _print(text: str) -> None:
    if text:
        sys.stdout.write(text)
        sys.stdout.flush()


def _drain(cluster) -> str:
    from labsim.kubectl.watch import collect_watch_output

    return collect_watch_output(cluster)


@contextmanager
def _notebook_cwd(cluster):
    """Relative paths in a magic resolve in the notebook's current directory (where
    ``%%writefile`` writes), even for a cluster made with its own ``workdir``."""
    saved = cluster.workdir
    cluster.workdir = os.getcwd()
    try:
        yield
    finally:
        cluster.workdir = saved


def _remember(cluster, text: str) -> None:
    """On a lab cluster (``labsim.course.lab``), keep the line for ``%lab_history``."""
    history = getattr(cluster, "lab_history", None)
    if history is not None:
        history.append(text if text.endswith("\n") else text + "\n")


def _live():
    """``labsim.widgets.live`` once views or a live clock exist (they import it), else None. A playing
    clock is caught up before a command (the command applies at the current simulated time) and
    open views are rendered after it."""
    return sys.modules.get("labsim.widgets.live")


@contextmanager
def _command(cluster):
    live = _live()
    if live is not None:
        live.before_command(cluster)
    try:
        yield
    finally:
        if live is not None:
            live.after_command(cluster)


def viewing_time(cluster) -> float | None:
    """The simulated time a view's slider shows when it was moved into the past (None: live)."""
    return getattr(cluster, "viewing_time", None)


def _run_kubectl(command: str, stdin: str | None) -> None:
    from labsim.kubectl import run

    cluster = current_cluster()
    t = viewing_time(cluster)
    if t is not None and hasattr(cluster, "at"):
        # a slider shows the past: kubectl reads the cluster as it was then (cluster.at(t): read-only,
        # writes refused with a pointer to branch()); dragging the slider back to its right end
        # goes live again
        past = cluster.at(t)
        _run_kubectl_on(cluster, command, stdin, lambda _c, line, stdin, stop_watches: past.kubectl(line, stdin))
        return
    with _command(cluster):
        _run_kubectl_on(cluster, command, stdin, run)


def _run_kubectl_on(cluster, command: str, stdin: str | None, run) -> None:
    global _last_result
    typed = "kubectl " + command if command.strip() else "kubectl"
    if stdin is not None:
        body = stdin if stdin.endswith("\n") or not stdin else stdin + "\n"
        typed += " <<'EOF'\n" + body + "EOF"
    _remember(cluster, typed)
    _print(_drain(cluster))
    with _notebook_cwd(cluster):
        result = run(cluster, "kubectl " + command if command.strip() else "kubectl", stdin,
                     stop_watches=False)
    _last_result = result
    _print(result.output)
    _print(_drain(cluster))  # rows the command itself caused (a delete's Terminating row)


def kubectl_line(line: str) -> None:
    """``%kubectl ARGS``: one kubectl command (a leading ``kubectl`` word is accepted too)."""
    line = line.strip()
    if line == "kubectl" or line.startswith("kubectl "):
        line = line[len("kubectl"):].strip()
    _run_kubectl(line, None)


def _is_command_list(body: str) -> bool:
    for ln in body.splitlines():
        s = ln.strip()
        if not s or s.startswith("#"):
            continue
        return s == "kubectl" or s.startswith("kubectl ")
    return False


def kubectl_cell(line: str, cell: str) -> None:
    """``%%kubectl [ARGS]``: with ARGS the body is stdin; without, a manifest or a command list."""
    global _last_result
    line = line.strip()
    if line == "kubectl" or line.startswith("kubectl "):
        line = line[len("kubectl"):].strip()
    if line:
        _run_kubectl(line, cell)
        return
    if not _is_command_list(cell):
        _run_kubectl("apply -f -", cell)
        return
    from labsim.scenario import Runner, ScriptError, parse_script

    try:
        lines = parse_script(cell, filename="cell")
    except ScriptError as e:
        _print(f"error: {e.message} (cell line {e.lineno})\n")
        return
    cluster = current_cluster()
    _print(_drain(cluster))
    runner = Runner(cluster, echo_commands=False, stop_watches=False, emit=_print)
    with _command(cluster), _notebook_cwd(cluster):
        for cmdline in lines:
            _remember(cluster, cmdline.typed[2:].replace("\n> ", "\n"))
            step = runner.run_line(cmdline)
            if step.results:
                _last_result = step.results[-1]
    _print(_drain(cluster))


@no_var_expand
def sleep_line(line: str) -> None:
    """``%sleep DURATION...``: advance the simulated clock (``40``, ``2m``, ``1m30s``; several add up)."""
    from labsim.clock import parse_duration

    args = line.split()
    if not args:
        _print("sleep: missing operand\nTry 'sleep --help' for more information.\n")
        return
    total = 0.0
    for a in args:
        try:
            seconds = parse_duration(a)
        except ValueError:
            seconds = -1.0
        if seconds < 0:
            _print(f"sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information.\n")
            return
        total += seconds
    cluster = current_cluster()
    _remember(cluster, "sleep " + " ".join(args))
    _print(_drain(cluster))
    live = _live()
    if live is None:
        _print(cluster.advance(total))
    else:  # open views animate the interval in a live kernel; headless it passes at once
        live.sleep(cluster, total, _print)


def _end_of_cell(result=None) -> None:
    """``post_run_cell``: the cell is done, so open watches end (their last rows are printed)."""
    if _cluster is not None and _cluster.watches:
        _print(_cluster.stop_watches())


def load_ipython_extension(ipython) -> None:
    """Register the magics and the end-of-cell hook (idempotent: ``%reload_ext`` is safe)."""
    ipython.register_magic_function(kubectl_line_cell, magic_kind="line_cell", magic_name="kubectl")
    ipython.register_magic_function(sleep_line, magic_kind="line", magic_name="sleep")
    unload_ipython_extension(ipython)
    ipython.events.register("post_run_cell", _end_of_cell)
    _registered.append((ipython, _end_of_cell))


def unload_ipython_extension(ipython) -> None:
    for ip, cb in list(_registered):
        if ip is ipython:
            try:
                ip.events.unregister("post_run_cell", cb)
            except ValueError:
                pass
            _registered.remove((ip, cb))


@no_var_expand
def kubectl_line_cell(line: str, cell: str | None = None) -> None:
    """``%kubectl`` (line) and ``%%kubectl`` (cell)."""
    if cell is None:
        kubectl_line(line)
    else:
        kubectl_cell(line, cell)
