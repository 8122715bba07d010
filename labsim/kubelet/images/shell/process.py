"""Running shell programs on a clock: tasks, the container's main process, one-shot execs.

- :class:`Machine`: what the processes of one container instance share (files, PATH programs,
  the pid counter, the hostname, the main process).
- :class:`Task`: drives one interpreter generator. ``Sleep`` requests become
  ``clock.call_later`` timers; a task that runs :data:`~.interp.STEP_LIMIT` commands without
  simulated time passing is a *busy loop*: it reports a full CPU (``ctx.report_cpu(1000)``) and
  never finishes.
- :class:`ShellProcess`: the container's main process (PID 1), logging to ``ctx.log``.
- :func:`exec_command`: a one-shot command (exec probe, hook, ``kubectl exec``). It runs on a
  *private* clock that starts at the cluster's ``now``; ``sleep`` moves only that private clock,
  so the call returns at once with ``ExecResult.duration`` = the simulated seconds the command
  took. Side effects (files written after a ``sleep``) are therefore applied immediately rather
  than ``duration`` seconds later; this is the documented simplification. A command still running
  when ``timeout`` (or :data:`MAX_EXEC_SECONDS`) is reached is abandoned there: exit code 137, the
  output written so far, and ``duration`` = the private time at which it would next have run
  (greater than ``timeout``); a busy loop or ``sleep infinity`` gives ``duration = inf``.

Signals (containers run their command as PID 1 of a PID namespace):
- the kernel delivers to PID 1 only signals it has a handler for, so a shell or ``sleep`` as PID 1
  ignores SIGTERM/SIGINT/SIGQUIT unless the script ``trap``\\ s them (course chapter 01:
  ``kubectl delete pod`` of a busybox ``sleep 3600`` waits the whole grace period);
- SIGKILL from the kubelet always kills (exit 137); ``kill`` from inside the container cannot kill
  PID 1 with an unhandled signal, not even with ``-9`` (same kernel rule);
- a trapped signal interrupts a running ``sleep`` at once (busybox 1.36 ash runs ``sleep`` as a
  builtin and does not restart it after EINTR: ``libbb/duration.c`` sleep_for_duration), runs the
  trap action, then the script continues after that ``sleep``.

Start errors: a main command that is not on the image's PATH cannot be executed; containerd
(k3s) reports it as a failed start: ``ctx.exited(128, "StartError", <runc message>)`` with the
message ``failed to create containerd task: failed to create shim task: OCI runtime create
failed: runc create failed: unable to start container process: exec: "nosuch": executable file
not found in $PATH: unknown`` (the kubelet shows the Failed event / RunContainerError from it).
"""
from __future__ import annotations

import fnmatch
import math
import posixpath

from labsim.clock import SimClock

from .. import base
from . import parser as P
from .interp import (IO, BreakLoop, BusyLoop, ContinueLoop, FuncReturn, Shell, ShellError, ShellExit, Sleep,
                     WaitJobs)
from .io import BufferSink, LogSink, NullSink

#: Upper bound of a one-shot exec on its private timeline (a day of simulated time).
MAX_EXEC_SECONDS = 86400.0
BIN_DIRS = ("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")
SHELLS = {"sh", "ash"}


class StartError(Exception):
    """The main command could not be executed at all (runtime error, not a shell error)."""


def start_error_message(name: str) -> str:
    if "/" in name:
        detail = f'exec: "{name}": stat {name}: no such file or directory'
    else:
        detail = f'exec: "{name}": executable file not found in $PATH'
    return ("failed to create containerd task: failed to create shim task: OCI runtime create failed: "
            f"runc create failed: unable to start container process: {detail}: unknown")


def exec_error_message(name: str) -> str:
    if "/" in name:
        return f'exec: "{name}": stat {name}: no such file or directory'
    return f'exec: "{name}": executable file not found in $PATH'


class Machine:
    """The shared state of one container instance's processes."""

    def __init__(self, ctx, *, commands=None, shells=None, clock=None):
        from .applets import BUSYBOX_APPLETS
        self.ctx = ctx
        self.fs = ctx.fs
        self.hostname = getattr(ctx, "hostname", "localhost")
        self.rng = ctx.rng
        self.clock = clock or ctx.clock
        if commands is None:
            # an image without /bin/busybox is Debian-like (coreutils, bash, curl; no wget)
            try:
                busybox = self.fs.exists("/bin/busybox")
            except (OSError, ValueError, AttributeError):
                busybox = True
            from .applets import DEBIAN_PROGRAMS
            commands = BUSYBOX_APPLETS if busybox else DEBIAN_PROGRAMS
        self.commands = set(commands)
        self.shells = set(SHELLS if shells is None else shells)
        self.file_sizes: dict[str, int] = {}
        self._pid = [1]
        self.main: "ShellProcess | None" = None
        self.started = self.clock.now
        self.processes: list = []  # [(pid, args)] of running execs (ps)
        #: the image's own server, for wget/curl/nc to localhost: (port, path, headers) -> response
        self.local_http = None
        self.local_tcp_fn = None
        #: the container's PID 1 when it is not a ShellProcess (a server model): signal(sig)
        self.pid1_signal = None
        self.pid1_cmdline = None

    def local_tcp(self, port: int) -> None:
        if self.local_tcp_fn is None:
            raise base.ConnectionRefused()
        self.local_tcp_fn(port)

    def signal_pid(self, pid: int, sig: str, sh) -> bool:
        """``kill`` from inside the container. Returns False when no such process."""
        if pid == sh.pid and (self.main is None or sh is not self.main.shell):
            return True  # an exec shell signalling itself: not modelled beyond success
        if pid == 1:
            if self.main is not None:
                self.main.signal(sig, from_inside=True)
                return True
            if self.pid1_signal is not None:
                # PID 1 only receives signals it handles; a server model decides
                if sig != "SIGKILL":
                    self.pid1_signal(sig)
                return True
            return True
        return any(p == pid for p, _ in self.processes) or any(
            j.pid == pid for j in getattr(sh, "jobs", []) if hasattr(j, "pid"))

    def process_list(self, sh) -> list:
        procs = []
        if self.main is not None and self.main.running:
            procs.append((1, self.main.cmdline()))
        elif self.pid1_cmdline is not None:
            procs.append((1, self.pid1_cmdline))
        procs.extend(p for p in self.processes if p[0] != 1)
        # `kubectl exec POD -- ps ...` runs ps itself as the exec'd process: it is already listed
        if not any(cmd.split(" ", 1)[0] in ("ps", "/bin/ps") for _, cmd in self.processes):
            procs.append((sh.pid + 6, "ps"))
        return procs

    def view(self, clock) -> "Machine":
        """The same container seen from a private timeline (one-shot execs)."""
        m = Machine.__new__(Machine)
        m.__dict__.update(self.__dict__)
        m.clock = clock
        return m

    def now(self) -> float:
        return self.clock.now

    def next_pid(self) -> int:
        self._pid[0] += 6
        return self._pid[0]

    def pid1_shell_pid(self, sh) -> int:
        return sh.pid

    def pid1_out(self, stream: str, default):
        if self.main is not None and self.main.running:
            return self.main.out if stream == "stdout" else self.main.err
        return NullSink()

    def lookup(self, name: str, path_var: str) -> str | None:
        """The program ``name`` resolves to, or None (``sh: name: not found``)."""
        if "/" in name:
            d, b = posixpath.split(posixpath.normpath(name))
            if d in BIN_DIRS and b in self.commands:
                return b
            return None
        if name in self.commands:
            return name
        return None

    def glob(self, pattern: str, cwd: str) -> list[str]:
        absolute = pattern.startswith("/")
        comps = [c for c in pattern.split("/") if c]
        bases = ["/" if absolute else ""]
        fs = self.fs
        for i, comp in enumerate(comps):
            nxt = []
            magic = any(c in comp for c in "*?[")
            for b in bases:
                real = b if absolute or b else "."
                real_path = posixpath.normpath(posixpath.join(cwd, real)) if not absolute else (b or "/")
                if not magic:
                    cand = posixpath.join(b, comp) if b else comp
                    full = posixpath.normpath(posixpath.join(cwd, cand))
                    if fs.exists(full):
                        nxt.append(cand)
                    continue
                try:
                    if not fs.is_dir(real_path):
                        continue
                    names = fs.listdir(real_path)
                except (OSError, ValueError):
                    continue
                for n in names:
                    if n.startswith(".") and not comp.startswith("."):
                        continue
                    if fnmatch.fnmatchcase(n, comp):
                        nxt.append(posixpath.join(b, n) if b else n)
            bases = nxt
            if not bases:
                return []
        return sorted(bases)

    def spawn(self, sh: Shell, node, io: IO) -> "Task":
        def body():
            try:
                return (yield from sh.eval(node, io))
            except (ShellExit, FuncReturn) as e:
                return e.code
            except (BreakLoop, ContinueLoop):
                return 0
        t = Task(self, body(), self.clock)
        sh.task = t
        t.start()
        return t


class Task:
    """Drives one interpreter generator on a clock."""

    def __init__(self, machine: Machine, gen, clock, on_done=None):
        self.m = machine
        self.gen = gen
        self.clock = clock
        self.on_done = on_done
        self.steps = 0
        self.step_time = clock.now
        self.pending_signals: list[str] = []
        self.timer = None
        self.done = False
        self.result: int | None = None
        self.busy = False
        self.forever = False
        self.watchers: list["Task"] = []
        self.waiting: list["Task"] = []
        self.running_now = False

    def start(self) -> None:
        self._run(None)

    def _run(self, value) -> None:
        if self.done or self.busy:
            return
        self.timer = None
        self.forever = False
        if self.clock.now > self.step_time:
            self.steps = 0
            self.step_time = self.clock.now
        self.running_now = True
        try:
            while True:
                req = self.gen.send(value)
                value = None
                if isinstance(req, Sleep):
                    if math.isinf(req.seconds) or req.seconds > 1e12:
                        self.forever = True
                        return
                    self.timer = self.clock.call_later(req.seconds, self._run, "slept")
                    return
                if isinstance(req, WaitJobs):
                    pending = [j for j in req.jobs if not j.done]
                    if not pending:
                        continue
                    self.waiting = pending
                    for j in pending:
                        j.watchers.append(self)
                    return
        except StopIteration as e:
            self._finish(e.value if isinstance(e.value, int) else 0)
        except (ShellExit, FuncReturn) as e:
            self._finish(e.code)
        except (BreakLoop, ContinueLoop):
            self._finish(0)
        except ShellError as e:
            self._finish(e.status)
        except BusyLoop:
            self.busy = True
            self.m.ctx.report_cpu(1000)
        except RecursionError:
            self._finish(2)
        finally:
            self.running_now = False

    def _finish(self, code: int) -> None:
        if self.done:
            return
        self.done = True
        self.result = code & 0xFF
        for w in self.watchers:
            if self in w.waiting:
                w.waiting.remove(self)
                if not w.waiting:
                    w.clock.call_soon(w._run, "waited")
        self.watchers = []
        if self.on_done is not None:
            self.on_done(self.result)

    def interrupt(self) -> None:
        """A trapped signal arrived: cut a sleep/wait short so the trap runs now."""
        if self.done or self.busy or self.running_now:
            return
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        for j in self.waiting:
            if self in j.watchers:
                j.watchers.remove(self)
        self.waiting = []
        self.forever = False
        self.clock.call_soon(self._run, "interrupted")

    def kill(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if not self.done:
            self.done = True
            try:
                self.gen.close()
            except Exception:  # noqa: BLE001 - a finally clause of a killed script
                pass


# -- argv handling -------------------------------------------------------------------------------
def _shell_program(machine: Machine, sh_argv: list[str], io: IO, make_shell):
    """What ``sh [-c CMD [NAME [ARGS]]] [FILE]`` runs: returns a generator or raises ShellExit."""
    args = sh_argv[1:]
    cmd = None
    while args and args[0].startswith("-") and args[0] != "-":
        opt = args.pop(0)
        if opt == "--":
            break
        if "c" in opt[1:]:
            if not args:
                io.err.write(f"{posixpath.basename(sh_argv[0])}: -c requires an argument\n")
                raise ShellExit(2)
            cmd = args.pop(0)
    argv0 = posixpath.basename(sh_argv[0]) or "sh"
    if cmd is not None:
        name = args[0] if args else None
        shell = make_shell(argv0, name, args[1:] if args else [])
        return shell, cmd
    if args:
        script_path = args[0]
        shell = make_shell(argv0, script_path, args[1:])
        try:
            text = machine.fs.read(shell.path(script_path))
        except (OSError, ValueError):
            io.err.write(f"{argv0}: can't open '{script_path}': No such file or directory\n")
            raise ShellExit(2) from None
        return shell, text
    # `sh` alone reads commands from stdin; a container has none (no -i/-t): EOF, exit 0
    shell = make_shell(argv0, None, [])
    return shell, io.stdin or ""


def _program(machine: Machine, argv, io: IO, make_shell, pid: int):
    """A generator running ``argv`` (or a script string) as a process; returns the exit code."""
    if isinstance(argv, str):
        argv = ["sh", "-c", argv]
    name = argv[0]
    prog = machine.lookup(name, "")
    if prog is None:
        raise StartError(name)
    if prog in machine.shells:
        try:
            shell, text = _shell_program(machine, argv, io, make_shell)
        except ShellExit as e:
            return e.code
        return _run_script(shell, text, io)
    shell = make_shell("sh", None, [])
    return _run_argv(shell, argv, io)


def _run_script(shell: Shell, text: str, io: IO):
    status = 0
    try:
        try:
            tree = P.parse(text)
        except P.ShellSyntaxError as e:
            shell.errmsg(f"syntax error: {e}", io)
            return 2
        status = yield from shell.eval(tree, io)
    except ShellExit as e:
        status = e.code
    except FuncReturn as e:  # `return` outside a function ends the script (ash: like exit)
        status = e.code
    except (BreakLoop, ContinueLoop):
        status = 0
    except ShellError as e:
        shell.errmsg(str(e), io)
        status = e.status
    shell.status = status
    action = shell.traps.pop("EXIT", None)
    if action:
        try:
            yield from shell.eval_string(action, io)
        except ShellExit as e:
            status = e.code
        except ShellError:
            pass
    return status


def _run_argv(shell: Shell, argv: list[str], io: IO):
    try:
        return (yield from shell.run_command(list(argv), io))
    except ShellExit as e:
        return e.code
    except ShellError as e:
        shell.errmsg(str(e), io)
        return e.status


class ShellProcess:
    """The container's main process running a command line through the shell machinery."""

    def __init__(self, ctx, argv, *, as_pid1: bool = True, machine: Machine | None = None,
                 on_exit=None):
        self.ctx = ctx
        self.argv = argv
        self.as_pid1 = as_pid1
        self.m = machine or Machine(ctx)
        self.m.main = self
        self.on_exit = on_exit
        self.out = LogSink(ctx, "stdout")
        self.err = LogSink(ctx, "stderr")
        self.task: Task | None = None
        self.shell: Shell | None = None
        self.running = False
        self.exit_code: int | None = None

    @property
    def busy(self) -> bool:
        return bool(self.task and self.task.busy)

    def cmdline(self) -> str:
        return self.argv if isinstance(self.argv, str) else " ".join(self.argv)

    def start(self) -> None:
        self.running = True
        io = IO(None, self.out, self.err)
        spec = getattr(self.ctx, "spec", None)
        env = dict(getattr(spec, "env", None) or {})
        cwd = getattr(spec, "working_dir", None) or "/"

        def make_shell(argv0, name, args):
            self.shell = Shell(self.m, pid=1, argv0=argv0, name=name, args=args, env=env, cwd=cwd)
            return self.shell

        try:
            gen = _program(self.m, self.argv, io, make_shell, 1)
        except StartError as e:
            self.running = False
            self.exit_code = 128
            self._exited(128, "StartError", start_error_message(str(e)))
            return
        if not hasattr(gen, "send"):
            self._done(gen)
            return
        self.task = Task(self.m, gen, self.m.clock, on_done=self._done)
        if self.shell is not None:
            self.shell.task = self.task
        self.task.start()

    def _exited(self, code, reason=None, message=None) -> None:
        if self.on_exit is not None:
            self.on_exit(code, reason, message)
        else:
            self.ctx.exited(code, reason, message)

    def _done(self, code: int) -> None:
        if not self.running:
            return
        self.running = False
        self.exit_code = code
        self.out.flush()
        self.err.flush()
        if self.task is not None and self.shell is not None:
            for j in self.shell.jobs:
                j.kill()
        self._exited(code)

    def signal(self, sig: str, from_inside: bool = False) -> None:
        """Deliver ``SIGTERM``/``SIGKILL``/... (see the module docstring for PID 1 rules)."""
        if not self.running:
            return
        name = sig[3:] if sig.startswith("SIG") else sig
        if name == "KILL":
            if from_inside and self.as_pid1:
                return
            self._kill(137)
            return
        trap = self.shell.traps.get(name) if self.shell is not None else None
        if trap is not None:
            if trap == "":
                return  # trap '' TERM: ignored
            self.task.pending_signals.append(name)
            self.task.interrupt()
            return
        if self.as_pid1:
            return
        from .interp import SIGNALS
        self._kill(128 + SIGNALS.get(name, 15))

    def _kill(self, code: int) -> None:
        if self.task is not None:
            self.task.kill()
            if self.shell is not None:
                for j in self.shell.jobs:
                    j.kill()
        self.out.flush()
        self.err.flush()
        self.running = False
        self.exit_code = code
        self._exited(code, "Error")


def run_shell(ctx, argv_or_script, *, as_pid1: bool = True, machine: Machine | None = None,
              on_exit=None, start: bool = True) -> ShellProcess:
    """Run a command line (``["sleep", "3600"]``, ``["sh", "-c", "..."]``) or a script string
    as the container's main process; returns the started :class:`ShellProcess`."""
    p = ShellProcess(ctx, argv_or_script, as_pid1=as_pid1, machine=machine, on_exit=on_exit)
    if start:
        p.start()
    return p


def exec_command(ctx, argv, stdin: str | None = None, timeout: float | None = None, *,
                 machine: Machine | None = None) -> base.ExecResult:
    """Run a one-shot command in the container (see the module docstring for the timeline)."""
    if not argv:
        return base.ExecResult(126, error='exec: "": executable file not found in $PATH')
    m0 = machine or Machine(ctx)
    start = ctx.clock.now
    clock = SimClock(start)
    m = m0.view(clock)
    out, err = BufferSink(), BufferSink()
    io = IO(stdin, out, err)
    spec = getattr(ctx, "spec", None)
    env = dict(getattr(spec, "env", None) or {})
    cwd = getattr(spec, "working_dir", None) or "/"
    pid = m.next_pid()
    holder = {}

    def make_shell(argv0, name, args):
        holder["sh"] = Shell(m, pid=pid, argv0=argv0, name=name, args=args, env=env, cwd=cwd)
        return holder["sh"]

    try:
        gen = _program(m, list(argv) if not isinstance(argv, str) else argv, io, make_shell, pid)
    except StartError as e:
        return base.ExecResult(126, error=exec_error_message(str(e)))
    entry = (pid, " ".join(argv) if not isinstance(argv, str) else argv)
    m0.processes.append(entry)
    try:
        task = Task(m, gen, clock)
        if "sh" in holder:
            holder["sh"].task = task
        task.start()
        limit = MAX_EXEC_SECONDS if timeout is None else float(timeout)
        duration = None
        while not task.done:
            if task.busy or task.forever:
                duration = math.inf
                break
            nxt = clock.next_time()
            if nxt is None:
                duration = math.inf
                break
            if nxt - start > limit:
                duration = nxt - start
                break
            clock.step()
        if duration is None:
            duration = clock.now - start
            code = task.result or 0
        else:
            task.kill()
            code = 137
        sh = holder.get("sh")
        if sh is not None:
            for j in sh.jobs:
                j.kill()
        return base.ExecResult(code, out.getvalue(), err.getvalue(), duration)
    finally:
        m0.processes.remove(entry)
