"""The shell interpreter: busybox ``ash`` semantics, run as generators on a clock.

Every evaluation method is a generator. A command that has to wait (``sleep``, ``wait``) yields a
request (:class:`Sleep`, :class:`WaitJobs`); the :class:`~labsim.kubelet.images.shell.process.Task`
driving the generator schedules the resume on the clock. Commands that do not wait never yield, so
a script without ``sleep`` runs to completion inside one call.

Runaway scripts: each task counts the commands it runs without simulated time passing; past
:data:`STEP_LIMIT` it raises :class:`BusyLoop`, and the task is then treated as a process that
burns a CPU forever (``while true; do :; done``): it never finishes and makes no more visible
changes.

Error texts follow ``shell/ash.c`` (``ash_vmsg``): ``sh: nosuch: not found`` (exit 127),
``sh: can't create /x/y: nonexistent directory``, ``sh: can't open f: no such file``,
``sh: syntax error: unexpected "fi"``; with ``sh -c CMD NAME`` the prefix is
``NAME: line N: ``.

Limitations: pipelines run stage by stage (each stage's whole output feeds the next; ``yes |
head`` is therefore a busy loop); background jobs (``&``) run as separate tasks of the same
process with a copy of the shell state; no job control, no here-documents, no ``read`` from a
terminal; ``exec CMD`` runs CMD and then exits with its status.
"""
from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass

from . import parser as P
from .arith import ArithError, evaluate
from .io import BufferSink, FileSink, NullSink, Sink, normpath

#: Commands run at one simulated instant before a task counts as a busy loop.
STEP_LIMIT = 20000
#: Function/subshell/eval nesting beyond which ash would run out of stack.
MAX_DEPTH = 100

SIGNALS = {"HUP": 1, "INT": 2, "QUIT": 3, "KILL": 9, "USR1": 10, "USR2": 12, "PIPE": 13,
           "ALRM": 14, "TERM": 15, "CHLD": 17, "CONT": 18, "STOP": 19}
SIGNAL_NAMES = {v: k for k, v in SIGNALS.items()}


# -- requests a generator yields to its task -----------------------------------------------------
@dataclass
class Sleep:
    seconds: float


@dataclass
class WaitJobs:
    jobs: list


# -- control flow --------------------------------------------------------------------------------
class ShellExit(Exception):
    def __init__(self, code: int):
        self.code = code


class BreakLoop(Exception):
    def __init__(self, n: int):
        self.n = n


class ContinueLoop(Exception):
    def __init__(self, n: int):
        self.n = n


class FuncReturn(Exception):
    def __init__(self, code: int):
        self.code = code


class BusyLoop(Exception):
    """The task ran :data:`STEP_LIMIT` commands without simulated time passing."""


class ShellError(Exception):
    """An error that aborts a non-interactive shell (redirection failure of a special builtin,
    syntax error in eval, bad substitution): message printed, exit status 2."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


@dataclass
class IO:
    stdin: str | None
    out: Sink
    err: Sink
    builtin: bool = False  # the applet runs as an ash builtin (errors prefixed with the shell's name)


class Shell:
    """One shell's state: variables, functions, traps, positional parameters, cwd."""

    def __init__(self, machine, *, pid: int, argv0: str = "sh", args: list[str] | None = None,
                 name: str | None = None, env: dict[str, str] | None = None, cwd: str = "/"):
        self.m = machine
        self.pid = pid
        self.arg0 = argv0
        self.commandname = name  # set by `sh -c CMD NAME` (ash: commandname = arg0)
        self.params = list(args or [])
        self.vars: dict[str, str] = {}
        self.exported: set[str] = set()
        self.readonly: set[str] = set()
        self.funcs: dict = {}
        self.traps: dict[str, str] = {}
        self.status = 0
        self.last_bg = None
        self.cwd = cwd
        self.depth = 0
        self.loop_depth = 0
        self.line = 1
        self.task = None  # set by the Task running this shell
        self.jobs: list = []
        for k, v in (env or {}).items():
            self.vars[k] = v
            self.exported.add(k)
        self.vars.setdefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        self.exported.add("PATH")
        self.vars.setdefault("HOSTNAME", machine.hostname)
        self.exported.add("HOSTNAME")
        self.vars.setdefault("HOME", "/root")
        self.exported.add("HOME")
        self.vars["PWD"] = cwd
        self.exported.add("PWD")
        self.vars.setdefault("IFS", " \t\n")
        self.vars.setdefault("PS1", "\\w \\$ ")
        self.vars["PPID"] = "0" if pid == 1 else "1"

    # -- helpers --------------------------------------------------------------------------------
    def subshell(self, pid: int | None = None) -> "Shell":
        s = Shell.__new__(Shell)
        s.__dict__.update(self.__dict__)
        s.vars = dict(self.vars)
        s.exported = set(self.exported)
        s.readonly = set(self.readonly)
        s.funcs = dict(self.funcs)
        s.traps = {}  # traps are reset in a subshell (except ignored ones)
        s.params = list(self.params)
        s.jobs = []
        if pid is not None:
            s.pid = pid
        return s

    def environ(self) -> dict[str, str]:
        return {k: self.vars[k] for k in self.vars if k in self.exported}

    def errmsg(self, msg: str, io: IO, builtin: str | None = None) -> None:
        """ash_vmsg: ``arg0: [commandname: ][line N: ]msg``."""
        prefix = f"{self.arg0}: "
        cname = builtin or self.commandname
        if cname:
            if cname != self.arg0:
                prefix += f"{cname}: "
            prefix += f"line {self.line}: "
        io.err.write(prefix + msg + "\n")

    def path(self, p: str) -> str:
        return normpath(self.cwd, p)

    def step(self) -> None:
        task = self.task
        if task is not None:
            task.steps += 1
            if task.steps > STEP_LIMIT:
                raise BusyLoop()

    def getvar(self, name: str) -> str | None:
        if name == "?":
            return str(self.status)
        if name == "$":
            return str(self.m.pid1_shell_pid(self))
        if name == "#":
            return str(len(self.params))
        if name == "!":
            return "" if self.last_bg is None else str(self.last_bg)
        if name == "-":
            return ""
        if name == "0":
            return self.commandname or self.arg0
        if name in ("@", "*"):
            return " ".join(self.params)
        if name.isdigit():
            i = int(name)
            return self.params[i - 1] if 0 < i <= len(self.params) else None
        if name == "RANDOM":
            return str(self.m.rng.randrange(32768))
        if name == "SECONDS":
            return str(int(self.m.now() - self.m.started))
        if name == "LINENO":
            return str(self.line)
        return self.vars.get(name)

    def setvar(self, name: str, value: str, io: IO | None = None) -> None:
        if name in self.readonly:
            raise ShellError(f"{name}: is read only")
        self.vars[name] = value

    # -- traps ----------------------------------------------------------------------------------
    def run_pending_traps(self, io: IO):
        task = self.task
        if task is None:
            return
        while task.pending_signals:
            sig = task.pending_signals.pop(0)
            action = self.traps.get(sig)
            if action:
                saved = self.status
                yield from self.eval_string(action, io)
                self.status = saved

    # -- evaluation -----------------------------------------------------------------------------
    def eval_string(self, src: str, io: IO):
        try:
            tree = P.parse(src)
        except P.ShellSyntaxError as e:
            self.errmsg(f"syntax error: {e}", io)
            self.status = 2
            raise ShellExit(2) from None
        return (yield from self.eval(tree, io))

    def eval(self, node, io: IO):
        """Evaluate a node; returns (and stores in ``self.status``) its exit status."""
        if isinstance(node, P.Seq):
            status = 0
            for item, bg in node.items:
                if bg:
                    status = self.spawn_background(item, io)
                else:
                    status = yield from self.eval(item, io)
                self.status = status
            return status
        if isinstance(node, P.Simple):
            status = yield from self.eval_simple(node, io)
        elif isinstance(node, P.AndOr):
            status = yield from self.eval(node.first, io)
            for op, nxt in node.rest:
                if (op == "&&") == (status == 0):
                    status = yield from self.eval(nxt, io)
            self.status = status
        elif isinstance(node, P.Pipeline):
            status = yield from self.eval_pipeline(node, io)
        elif isinstance(node, P.FuncDef):
            self.funcs[node.name] = node.body
            status = 0
        else:
            status = yield from self.with_redirs(node.redirs, io, self.eval_compound, node)
        self.status = status
        yield from self.run_pending_traps(io)
        return status

    def eval_compound(self, node, io: IO):
        self.step()
        if isinstance(node, P.If):
            for cond, body in node.branches:
                c = yield from self.eval(cond, io)
                if c == 0:
                    return (yield from self.eval(body, io))
            if node.orelse is not None:
                return (yield from self.eval(node.orelse, io))
            return 0
        if isinstance(node, (P.Loop, P.For)):
            self.loop_depth += 1
            try:
                return (yield from self.eval_loop(node, io))
            finally:
                self.loop_depth -= 1
        if isinstance(node, P.Case):
            word = yield from self.expand_str(node.word, io)
            for pats, body in node.arms:
                for pw in pats:
                    pat = yield from self.expand_pattern(pw, io)
                    if fnmatch.fnmatchcase(word, pat):
                        return (yield from self.eval(body, io)) if body is not None else 0
            return 0
        if isinstance(node, P.Group):
            if node.subshell:
                sub = self.subshell()
                sub.task = self.task
                try:
                    return (yield from sub.eval(node.body, io))
                except (ShellExit, FuncReturn) as e:
                    return e.code
                except (BreakLoop, ContinueLoop):
                    return 0
            return (yield from self.eval(node.body, io))
        raise AssertionError(f"unknown node {node!r}")


    def eval_loop(self, node, io: IO):
        if isinstance(node, P.Loop):
            status = 0
            while True:
                self.step()
                c = yield from self.eval(node.cond, io)
                if (c == 0) == node.until:
                    break
                try:
                    status = yield from self.eval(node.body, io)
                except BreakLoop as b:
                    if b.n > 1:
                        raise BreakLoop(b.n - 1) from None
                    break
                except ContinueLoop as c_:
                    if c_.n > 1:
                        raise ContinueLoop(c_.n - 1) from None
                    continue
            return status
        if isinstance(node, P.For):
            if node.items is None:
                items = list(self.params)
            else:
                items = []
                for w in node.items:
                    items.extend((yield from self.expand(w, io)))
            status = 0
            for it in items:
                self.step()
                self.setvar(node.var, it)
                try:
                    status = yield from self.eval(node.body, io)
                except BreakLoop as b:
                    if b.n > 1:
                        raise BreakLoop(b.n - 1) from None
                    break
                except ContinueLoop as c_:
                    if c_.n > 1:
                        raise ContinueLoop(c_.n - 1) from None
                    continue
            return status
        raise AssertionError(node)

    def eval_pipeline(self, node: P.Pipeline, io: IO):
        data = io.stdin
        status = 0
        n = len(node.cmds)
        for i, cmd in enumerate(node.cmds):
            last = i == n - 1
            out = io.out if last else BufferSink()
            stage_io = IO(data, out, io.err)
            if n > 1:
                # every stage of a multi-command pipeline runs in a subshell
                sub = self.subshell()
                sub.task = self.task
                try:
                    status = yield from sub.eval(cmd, stage_io)
                except (ShellExit, FuncReturn) as e:
                    status = e.code
                except (BreakLoop, ContinueLoop):
                    status = 0
            else:
                status = yield from self.eval(cmd, stage_io)
            if not last:
                data = out.getvalue()
        if node.negate:
            status = 0 if status != 0 else 1
        return status

    def spawn_background(self, node, io: IO) -> int:
        sub = self.subshell(pid=self.m.next_pid())
        job = self.m.spawn(sub, node, IO(None, io.out, io.err))
        self.jobs.append(job)
        self.last_bg = sub.pid
        return 0

    # -- redirections ---------------------------------------------------------------------------
    def open_redirs(self, redirs: list, io: IO):
        """Apply redirections; returns the new IO or None (message already printed)."""
        new = IO(io.stdin, io.out, io.err)
        for r in redirs:
            target = yield from self.expand_str(r.target, io)
            if r.op in (">&", "<&"):
                if target == "-":
                    if r.fd == 1:
                        new.out = NullSink()
                    elif r.fd == 2:
                        new.err = NullSink()
                    continue
                if not target.isdigit():
                    if r.op == ">&" and r.fd == 1:  # `>&file` (bash style) — ash treats as file
                        pass
                    self.errmsg(f"{target}: bad file descriptor" if target.isdigit() else
                                f"Syntax error: Bad fd number", new)
                    return None
                src = int(target)
                sink = {1: new.out, 2: new.err}.get(src)
                if src == 0 and r.op == "<&":
                    continue
                if sink is None:
                    self.errmsg(f"{src}: Bad file descriptor", new)
                    return None
                if r.fd == 1:
                    new.out = sink
                elif r.fd == 2:
                    new.err = sink
                continue
            path = self.path(target)
            if r.op == "<":
                if path in ("/dev/null",):
                    data = ""
                elif path == "/dev/stdin":
                    data = io.stdin
                else:
                    try:
                        data = self.m.fs.read(path)
                    except IsADirectoryError:
                        data = ""
                    except (FileNotFoundError, NotADirectoryError, OSError):
                        self.errmsg(f"can't open {target}: no such file", new)
                        return None
                if r.fd == 0:
                    new.stdin = data
                continue
            # > >> <>
            sink = self.open_write(path, target, r.op == ">>", new)
            if sink is None:
                return None
            if r.fd == 1:
                new.out = sink
            elif r.fd == 2:
                new.err = sink
        return new

    def open_write(self, path: str, shown: str, append: bool, io: IO) -> Sink | None:
        if path == "/dev/null":
            return NullSink()
        if path in ("/dev/stdout", "/proc/self/fd/1", "/proc/1/fd/1"):
            return io.out if path != "/proc/1/fd/1" else self.m.pid1_out("stdout", io.out)
        if path in ("/dev/stderr", "/proc/self/fd/2", "/proc/1/fd/2"):
            return io.err if path != "/proc/1/fd/2" else self.m.pid1_out("stderr", io.err)
        fs = self.m.fs
        parent = posixpath.dirname(path) or "/"
        if fs.exists(path) and fs.is_dir(path):
            self.errmsg(f"can't create {shown}: Is a directory", io)
            return None
        if not fs.exists(parent) or not fs.is_dir(parent):
            self.errmsg(f"can't create {shown}: nonexistent directory", io)
            return None
        try:
            if not append or not fs.exists(path):
                fs.write(path, "", append=False)
                self.m.file_sizes[path] = 0
        except (OSError, ValueError) as e:
            self.errmsg(f"can't create {shown}: {_strerror(e)}", io)
            return None
        return FileSink(fs, path, self.m.file_sizes)

    def with_redirs(self, redirs, io: IO, fn, *args):
        if not redirs:
            return (yield from fn(*args, io))
        new = yield from self.open_redirs(redirs, io)
        if new is None:
            return 1
        try:
            return (yield from fn(*args, new))
        finally:
            new.out.flush() if new.out is not io.out else None

    # -- simple commands ------------------------------------------------------------------------
    def eval_simple(self, node: P.Simple, io: IO):
        self.step()
        self.line = node.line
        words: list[str] = []
        for w in node.words:
            words.extend((yield from self.expand(w, io)))
        assigns = []
        for name, w in node.assigns:
            assigns.append((name, (yield from self.expand_str(w, io))))
        if not words:
            for name, value in assigns:
                try:
                    self.setvar(name, value)
                except ShellError as e:
                    self.errmsg(str(e), io)
                    raise ShellExit(2) from None
            if node.redirs:
                new = yield from self.open_redirs(node.redirs, io)
                return 1 if new is None else 0
            return self.status if any(isinstance(p, P.CmdSub) for _, w in node.assigns
                                      for p in w.parts) else 0
        new = yield from self.open_redirs(node.redirs, io) if node.redirs else _noop(io)
        if new is None:
            return 1
        return (yield from self.run_command(words, new, assigns))

    def run_command(self, argv: list[str], io: IO, assigns=()):
        from .builtins import BUILTINS, SPECIAL_BUILTINS
        name = argv[0]
        saved = None
        if assigns:
            if name in SPECIAL_BUILTINS or name in self.funcs:
                for k, v in assigns:
                    self.setvar(k, v)
            else:
                saved = {k: self.vars.get(k) for k, _ in assigns}
                saved_exp = set(self.exported)
                for k, v in assigns:
                    self.vars[k] = v
                    self.exported.add(k)
        try:
            if name in SPECIAL_BUILTINS:
                return (yield from _call(SPECIAL_BUILTINS[name], self, argv, io))
            if name in self.funcs:
                return (yield from self.call_function(name, argv, io))
            if name in BUILTINS:
                return (yield from _call(BUILTINS[name], self, argv, io))
            return (yield from self.run_external(argv, io))
        finally:
            if saved is not None:
                for k, v in saved.items():
                    if v is None:
                        self.vars.pop(k, None)
                    else:
                        self.vars[k] = v
                self.exported = saved_exp

    def call_function(self, name: str, argv: list[str], io: IO):
        if self.depth >= MAX_DEPTH:
            self.errmsg("function nesting too deep", io)
            raise ShellExit(2)
        saved = self.params
        saved_loops = self.loop_depth
        self.loop_depth = 0
        self.params = list(argv[1:])
        self.depth += 1
        try:
            return (yield from self.eval(self.funcs[name], io))
        except FuncReturn as r:
            return r.code
        finally:
            self.depth -= 1
            self.loop_depth = saved_loops
            self.params = saved

    def run_external(self, argv: list[str], io: IO):
        """A command found on PATH: one of the image's applets/programs."""
        from .applets import APPLETS
        name = argv[0]
        prog = self.m.lookup(name, self.vars.get("PATH", ""))
        if prog is None:
            if "/" in name:
                self.errmsg(f"{name}: not found", io)
            else:
                self.errmsg(f"{name}: not found", io)
            return 127
        if prog in self.m.shells:
            return (yield from self.run_nested_shell(argv, io))
        fn = APPLETS.get(prog)
        if fn is None:
            # a program the image has but this simulator does not model
            io.err.write(f"{name}: this program is not simulated by labsim\n")
            return 126
        return (yield from _call(fn, self, [posixpath.basename(name)] + argv[1:], io))

    def run_nested_shell(self, argv: list[str], io: IO):
        """``sh -c '...'`` run from a shell: a child shell with the exported environment."""
        from .process import _run_script, _shell_program
        if self.depth >= MAX_DEPTH:
            self.errmsg("nesting too deep", io)
            return 2
        pid = self.m.next_pid()

        def make_shell(argv0, name, args):
            child = Shell(self.m, pid=pid, argv0=argv0, name=name, args=args, env=self.environ(),
                          cwd=self.cwd)
            child.task = self.task
            child.depth = self.depth + 1
            return child

        try:
            child, text = _shell_program(self.m, argv, io, make_shell)
        except ShellExit as e:
            return e.code
        return (yield from _run_script(child, text, io))

    # -- expansion ------------------------------------------------------------------------------
    def expand_str(self, word: P.Word, io: IO):
        """Expand without field splitting or globbing (assignments, redirection targets, case)."""
        out = []
        for part in word.parts:
            if isinstance(part, P.Lit):
                out.append(part.text)
            else:
                v = yield from self.expand_part(part, io)
                out.append(v if isinstance(v, str) else " ".join(v))
        lit = "".join(out)
        return _tilde(lit, self.vars.get("HOME", "/")) if word.parts and isinstance(word.parts[0], P.Lit) \
            and not word.parts[0].quoted else lit

    def expand_pattern(self, word: P.Word, io: IO):
        out = []
        for part in word.parts:
            if isinstance(part, P.Lit):
                out.append(_glob_escape(part.text) if part.quoted else part.text)
            else:
                v = yield from self.expand_part(part, io)
                v = v if isinstance(v, str) else " ".join(v)
                out.append(_glob_escape(v) if part.quoted else v)
        return "".join(out)

    def expand_part(self, part, io: IO):
        if isinstance(part, P.Param):
            return (yield from self.expand_param(part, io))
        if isinstance(part, P.CmdSub):
            return (yield from self.command_substitution(part.body, io))
        if isinstance(part, P.Arith):
            expr = yield from self.expand_str(part.expr, io)
            try:
                return str(evaluate(expr, lambda n: self.getvar(n) or "", lambda n, v: self.setvar(n, v)))
            except ArithError as e:
                self.errmsg(f"arithmetic syntax error" if str(e) == "arithmetic syntax error"
                            else str(e), io)
                raise ShellExit(2) from None
        raise AssertionError(part)

    def expand_param(self, p: P.Param, io: IO):
        if p.name == "@" and p.quoted and p.op is None:
            return list(self.params)  # "$@": one field per parameter
        val = self.getvar(p.name)
        op = p.op
        if op is None:
            if val is None and p.name not in ("@", "*"):
                return ""
            return val or ""
        if op == "len":
            return str(len(val or ""))
        unset_or_null = val is None or (val == "" and op.startswith(":"))
        base = op.lstrip(":")
        if base == "-":
            return (yield from self.expand_str(p.arg, io)) if unset_or_null else val
        if base == "=":
            if unset_or_null:
                v = yield from self.expand_str(p.arg, io)
                self.setvar(p.name, v)
                return v
            return val
        if base == "+":
            return "" if unset_or_null else (yield from self.expand_str(p.arg, io))
        if base == "?":
            if unset_or_null:
                msg = yield from self.expand_str(p.arg, io)
                self.errmsg(f"{p.name}: {msg or 'parameter not set' if val is None else msg or 'parameter null or not set'}", io)
                raise ShellExit(1 if self.commandname else 2)
            return val
        # pattern removal
        pat = yield from self.expand_pattern(p.arg, io)
        s = val or ""
        if op in ("#", "##"):
            rng = range(0, len(s) + 1) if op == "#" else range(len(s), -1, -1)
            for i in rng:
                if fnmatch.fnmatchcase(s[:i], pat):
                    return s[i:]
            return s
        rng = range(len(s), -1, -1) if op == "%" else range(0, len(s) + 1)
        for i in rng:
            if fnmatch.fnmatchcase(s[i:], pat):
                return s[:i]
        return s

    def command_substitution(self, body, io: IO):
        out = BufferSink()
        sub = self.subshell()
        sub.task = self.task
        try:
            status = yield from sub.eval(body, IO(None, out, io.err))
        except (ShellExit, FuncReturn) as e:
            status = e.code
        except (BreakLoop, ContinueLoop):
            status = 0
        self.status = status
        return out.getvalue().rstrip("\n")

    def expand(self, word: P.Word, io: IO):
        """Full expansion: parameters, substitutions, field splitting, globbing."""
        ifs = self.vars.get("IFS", " \t\n")
        fields: list[list] = []  # each field: list of (text, globbable)
        cur: list | None = None
        first = True
        for part in word.parts:
            if isinstance(part, P.Lit):
                text = part.text
                if first and not part.quoted:
                    text = _tilde(text, self.vars.get("HOME", "/"))
                if cur is None:
                    cur = []
                cur.append((text, not part.quoted))
                first = False
                continue
            first = False
            v = yield from self.expand_part(part, io)
            if isinstance(v, list):  # "$@"
                if not v:
                    continue
                if cur is None:
                    cur = []
                cur.append((v[0], False))
                for extra in v[1:]:
                    fields.append(cur)
                    cur = [(extra, False)]
                continue
            if part.quoted:
                if cur is None:
                    cur = []
                cur.append((v, False))
                continue
            # unquoted expansion: split on IFS
            pieces = _ifs_split(v, ifs)
            if not pieces:
                continue
            lead = v[:1] in ifs and v[:1] != ""
            if lead and cur:
                fields.append(cur)
                cur = None
            for k, piece in enumerate(pieces):
                if k > 0:
                    if cur is not None:
                        fields.append(cur)
                    cur = None
                if cur is None:
                    cur = []
                cur.append((piece, True))
            if v[-1:] and v[-1] in ifs:
                fields.append(cur)
                cur = None
        if cur is not None:
            fields.append(cur)
        result: list[str] = []
        for f in fields:
            text = "".join(t for t, _ in f)
            if any(g and any(c in t for c in "*?[") for t, g in f):
                pattern = "".join(t if g else _glob_escape(t) for t, g in f)
                matches = self.m.glob(pattern, self.cwd)
                if matches:
                    result.extend(matches)
                    continue
            if text == "" and not any(not g for _, g in f):
                continue  # an unquoted empty expansion vanishes
            result.append(text)
        return result


def _noop(io):
    return io
    yield  # pragma: no cover


def _call(fn, sh: Shell, argv: list[str], io: IO):
    r = fn(sh, argv, io)
    if hasattr(r, "send"):
        r = yield from r
    return int(r) & 0xFF if isinstance(r, int) else 0


def _ifs_split(v: str, ifs: str) -> list[str]:
    if not ifs:
        return [v] if v else []
    ws = "".join(c for c in ifs if c in " \t\n")
    other = "".join(c for c in ifs if c not in " \t\n")
    if not other:
        return v.split() if ws == " \t\n" else [x for x in re.split("[" + re.escape(ws) + "]+", v) if x]
    pat = "[" + re.escape(ws) + "]*[" + re.escape(other) + "][" + re.escape(ws) + "]*" + (
        "|[" + re.escape(ws) + "]+" if ws else "")
    v = v.strip(ws) if ws else v
    if not v:
        return []
    return re.split(pat, v)


def _glob_escape(s: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", s)


def _tilde(text: str, home: str) -> str:
    if text == "~":
        return home
    if text.startswith("~/"):
        return home.rstrip("/") + text[1:]
    return text


def _strerror(e: Exception) -> str:
    if isinstance(e, IsADirectoryError):
        return "Is a directory"
    if isinstance(e, NotADirectoryError):
        return "Not a directory"
    if isinstance(e, FileNotFoundError):
        return "No such file or directory"
    if isinstance(e, PermissionError):
        return "Permission denied"
    return "Read-only file system"
