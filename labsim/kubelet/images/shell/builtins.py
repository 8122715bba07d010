"""ash builtins (``shell/ash.c`` builtintab): commands that act on the shell itself.

``echo``, ``printf``, ``test``/``[``, ``kill`` and ``sleep`` are builtins in busybox 1.36 ash
(ASH_ECHO, ASH_PRINTF, ASH_TEST, ASH_SLEEP, kill is always built in); they share their code with
the applets of the same name in :mod:`.applets`.
"""
from __future__ import annotations

from . import parser as P
from .interp import (SIGNALS, BreakLoop, ContinueLoop, FuncReturn, ShellExit, WaitJobs)


def _is_number(s: str) -> bool:
    return s.isdigit()


def b_colon(sh, argv, io):
    return 0


def b_exit(sh, argv, io):
    if len(argv) > 1:
        if not _is_number(argv[1]):
            sh.errmsg(f"Illegal number: {argv[1]}", io, builtin="exit")
            raise ShellExit(2)
        raise ShellExit(int(argv[1]) & 0xFF)
    raise ShellExit(sh.status)


def b_return(sh, argv, io):
    if len(argv) > 1:
        if not _is_number(argv[1]):
            sh.errmsg(f"Illegal number: {argv[1]}", io, builtin="return")
            raise ShellExit(2)
        raise FuncReturn(int(argv[1]) & 0xFF)
    raise FuncReturn(sh.status)


def _loop_count(sh, argv, io, name):
    if len(argv) > 1:
        if not argv[1].isdigit() or int(argv[1]) == 0:
            sh.errmsg(f"Illegal number: {argv[1]}", io, builtin=name)
            raise ShellExit(2)
        return int(argv[1])
    return 1


def b_break(sh, argv, io):
    if sh.loop_depth == 0:
        return 0  # ash: break outside a loop does nothing
    raise BreakLoop(_loop_count(sh, argv, io, "break"))


def b_continue(sh, argv, io):
    if sh.loop_depth == 0:
        return 0
    raise ContinueLoop(_loop_count(sh, argv, io, "continue"))


def b_export(sh, argv, io):
    args = [a for a in argv[1:] if a != "-p"]
    if not args:
        for k in sorted(sh.exported):
            if k in sh.vars:
                io.out.write(f"export {k}='{_sq(sh.vars[k])}'\n")
        return 0
    for a in args:
        name, eq, value = a.partition("=")
        if not P._is_name(name):
            sh.errmsg(f"{name}: bad variable name", io, builtin="export")
            raise ShellExit(2)
        if eq:
            sh.setvar(name, value)
        sh.exported.add(name)
    return 0


def b_readonly(sh, argv, io):
    for a in argv[1:]:
        if a == "-p":
            continue
        name, eq, value = a.partition("=")
        if eq:
            sh.setvar(name, value)
        sh.readonly.add(name)
    return 0


def b_unset(sh, argv, io):
    funcs = False
    for a in argv[1:]:
        if a == "-f":
            funcs = True
            continue
        if a == "-v":
            continue
        if funcs:
            sh.funcs.pop(a, None)
        else:
            if a in sh.readonly:
                sh.errmsg(f"{a}: is read only", io, builtin="unset")
                raise ShellExit(2)
            sh.vars.pop(a, None)
            sh.exported.discard(a)
    return 0


def b_set(sh, argv, io):
    args = argv[1:]
    if not args:
        for k in sorted(sh.vars):
            io.out.write(f"{k}='{_sq(sh.vars[k])}'\n")
        return 0
    while args and args[0][:1] in "-+" and args[0] not in ("-", "--"):
        args.pop(0)  # options (-e, -x, -u ...) are accepted and not modelled
    if args and args[0] in ("-", "--"):
        args.pop(0)
        sh.params = list(args)
    elif args:
        sh.params = list(args)
    return 0


def b_shift(sh, argv, io):
    n = 1
    if len(argv) > 1:
        if not argv[1].isdigit():
            sh.errmsg(f"Illegal number: {argv[1]}", io, builtin="shift")
            raise ShellExit(2)
        n = int(argv[1])
    if n > len(sh.params):
        sh.errmsg("can't shift that many", io, builtin="shift")
        raise ShellExit(2)
    sh.params = sh.params[n:]
    return 0


def _signame(s: str) -> str | None:
    u = s.upper()
    if u.startswith("SIG"):
        u = u[3:]
    if u in ("EXIT", "0"):
        return "EXIT"
    if u in SIGNALS:
        return u
    if u.isdigit() and int(u) in {v: k for k, v in SIGNALS.items()}:
        return {v: k for k, v in SIGNALS.items()}[int(u)]
    return None


def b_trap(sh, argv, io):
    args = argv[1:]
    if not args:
        for sig, action in sh.traps.items():
            io.out.write(f"trap -- '{_sq(action)}' {sig}\n")
        return 0
    if args[0] == "--":
        args = args[1:]
    if len(args) == 1:
        action, sigs = "-", args
    else:
        action, sigs = args[0], args[1:]
    if action.isdigit() and len(args) >= 1 and _signame(action) is not None and action == args[0] \
            and len(args) == len(sigs):
        action = "-"
    status = 0
    for s in sigs:
        name = _signame(s)
        if name is None:
            sh.errmsg(f"{s}: bad trap", io, builtin="trap")
            status = 1
            continue
        if action == "-":
            sh.traps.pop(name, None)
        else:
            sh.traps[name] = action
    return status


def b_eval(sh, argv, io):
    src = " ".join(argv[1:])
    if not src.strip():
        return 0
    if sh.depth >= 100:
        sh.errmsg("eval nesting too deep", io)
        raise ShellExit(2)
    sh.depth += 1
    try:
        try:
            tree = P.parse(src)
        except P.ShellSyntaxError as e:
            sh.errmsg(f"syntax error: {e}", io)
            raise ShellExit(2) from None
        return (yield from sh.eval(tree, io))
    finally:
        sh.depth -= 1


def b_dot(sh, argv, io):
    if len(argv) < 2:
        sh.errmsg(".: filename argument required", io)
        raise ShellExit(2)
    try:
        text = sh.m.fs.read(sh.path(argv[1]))
    except (OSError, ValueError):
        sh.errmsg(f"{argv[0]}: line {sh.line}: can't open '{argv[1]}': No such file or directory"
                  if False else f"can't open '{argv[1]}': No such file or directory", io)
        raise ShellExit(2) from None
    if sh.depth >= 100:
        raise ShellExit(2)
    sh.depth += 1
    try:
        try:
            tree = P.parse(text)
        except P.ShellSyntaxError as e:
            sh.errmsg(f"syntax error: {e}", io)
            raise ShellExit(2) from None
        return (yield from sh.eval(tree, io))
    finally:
        sh.depth -= 1


def b_exec(sh, argv, io):
    if len(argv) == 1:
        return 0
    status = yield from sh.run_command(argv[1:], io)
    raise ShellExit(status)


def b_cd(sh, argv, io):
    target = argv[1] if len(argv) > 1 else sh.vars.get("HOME", "/")
    if target == "-":
        target = sh.vars.get("OLDPWD", sh.cwd)
    path = sh.path(target)
    fs = sh.m.fs
    if not fs.exists(path):
        sh.errmsg(f"can't cd to {target}: No such file or directory", io, builtin="cd")
        return 2
    if not fs.is_dir(path):
        sh.errmsg(f"can't cd to {target}: Not a directory", io, builtin="cd")
        return 2
    sh.vars["OLDPWD"] = sh.cwd
    sh.cwd = path
    sh.vars["PWD"] = path
    return 0


def b_pwd(sh, argv, io):
    io.out.write(sh.cwd + "\n")
    return 0


def b_wait(sh, argv, io):
    jobs = [j for j in sh.jobs if not j.done]
    if jobs:
        r = yield WaitJobs(jobs)
        if r == "interrupted":
            return 128 + 15
    sh.jobs = [j for j in sh.jobs if not j.done]
    return 0


def b_local(sh, argv, io):
    for a in argv[1:]:
        name, eq, value = a.partition("=")
        if eq:
            sh.setvar(name, value)
    return 0


def b_type(sh, argv, io):
    status = 0
    for name in argv[1:]:
        if name in P.KEYWORDS:
            io.out.write(f"{name} is a shell keyword\n")
        elif name in sh.funcs:
            io.out.write(f"{name} is a function\n")
        elif name in SPECIAL_BUILTINS:
            io.out.write(f"{name} is a special shell builtin\n")
        elif name in BUILTINS:
            io.out.write(f"{name} is a shell builtin\n")
        else:
            prog = sh.m.lookup(name, sh.vars.get("PATH", ""))
            if prog is None:
                io.out.write(f"{name}: not found\n")
                status = 127
            else:
                io.out.write(f"{name} is {name if '/' in name else _which(sh, name)}\n")
    return status


def _which(sh, name: str) -> str:
    from .applets import applet_path
    return applet_path(sh, name)


def b_command(sh, argv, io):
    args = argv[1:]
    if args and args[0] == "-v":
        status = 0
        for name in args[1:]:
            if name in sh.funcs or name in BUILTINS or name in SPECIAL_BUILTINS:
                io.out.write(name + "\n")
            elif sh.m.lookup(name, "") is not None:
                io.out.write(_which(sh, name) + "\n")
            else:
                status = 127
        return status
    if not args:
        return 0
    if args[0] in SPECIAL_BUILTINS:
        return (yield from _gen(SPECIAL_BUILTINS[args[0]](sh, args, io)))
    if args[0] in BUILTINS:
        return (yield from _gen(BUILTINS[args[0]](sh, args, io)))
    return (yield from sh.run_external(args, io))


def _gen(r):
    if hasattr(r, "send"):
        r = yield from r
    return r


def b_read(sh, argv, io):
    args = [a for a in argv[1:] if not a.startswith("-")]
    data = io.stdin or ""
    if not data:
        for a in args:
            sh.vars[a] = ""
        return 1
    line, _, rest = data.partition("\n")
    io.stdin = rest
    names = args or ["REPLY"]
    fields = line.split(None, len(names) - 1) if names else []
    for i, n in enumerate(names):
        sh.vars[n] = fields[i] if i < len(fields) else ""
    return 0


def b_true(sh, argv, io):
    return 0


def b_false(sh, argv, io):
    return 1


def b_umask(sh, argv, io):
    if len(argv) == 1:
        io.out.write("0022\n")
    return 0


def b_ulimit(sh, argv, io):
    if len(argv) == 1 or argv[1:] in (["-f"], ["-a"]):
        io.out.write("unlimited\n")
    return 0


def b_hash(sh, argv, io):
    return 0


def _sq(s: str) -> str:
    return s.replace("'", "'\"'\"'")


def _applet(name):
    def run(sh, argv, io):
        from .applets import APPLETS
        from .interp import IO
        return APPLETS[name](sh, argv, IO(io.stdin, io.out, io.err, True))
    return run


SPECIAL_BUILTINS = {
    ":": b_colon, ".": b_dot, "source": b_dot, "break": b_break, "continue": b_continue,
    "eval": b_eval, "exec": b_exec, "exit": b_exit, "export": b_export, "readonly": b_readonly,
    "return": b_return, "set": b_set, "shift": b_shift, "trap": b_trap, "unset": b_unset,
}

BUILTINS = {
    "cd": b_cd, "pwd": b_pwd, "wait": b_wait, "local": b_local, "type": b_type,
    "command": b_command, "read": b_read, "true": b_true, "false": b_false, "umask": b_umask,
    "ulimit": b_ulimit, "hash": b_hash,
    "echo": _applet("echo"), "printf": _applet("printf"), "test": _applet("test"),
    "[": _applet("["), "kill": _applet("kill"), "sleep": _applet("sleep"),
}
