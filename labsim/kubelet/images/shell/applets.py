"""The programs a shell can run: busybox 1.36 applets (and curl as Debian ships it).

Texts are busybox's (``bb_error_msg`` prefixes the applet name; run as an ash builtin the prefix
is the shell's name): ``cat: can't open 'x': No such file or directory``,
``wget: can't connect to remote host (10.43.0.5): Connection refused``,
``wget: server returned error: HTTP/1.1 404 Not Found``, ``wget: bad address 'nosuch'``.

curl follows curl 7.88.1 (Debian bookworm, the base of the nginx/httpd images):
``curl: (7) Failed to connect to 10.43.0.5 port 80 after 0 ms: Couldn't connect to server``,
``curl: (6) Could not resolve host: nosuch``, ``curl: (28) Connection timed out after 1001 ms``
(simplified), ``curl: (22) The requested URL returned error: 404``. The progress meter curl
prints to stderr when not ``-s`` is reduced to its header and final line (speeds are wall-time
figures a simulation cannot know; they print as 0).

``ping``: ICMP is not simulated; ping prints ``ping: ICMP is not simulated by labsim (use wget, curl
or nc to test connectivity)`` and exits 2 (documented choice).

``ls -l``: the container filesystem keeps no owners, modes or times; ``-l`` shows ``root``,
``drwxr-xr-x``/``-rw-r--r--``, the size and the container's start time.
"""
from __future__ import annotations

import math
import posixpath
import re
from datetime import timedelta

from labsim.clock import EPOCH

from .. import base
from .interp import SIGNAL_NAMES, SIGNALS, Sleep

# -- helpers -------------------------------------------------------------------------------------


def _name(sh, argv, io) -> str:
    return sh.arg0 if io.builtin else argv[0]


def _err(sh, argv, io, msg: str) -> None:
    io.err.write(f"{_name(sh, argv, io)}: {msg}\n")


def _oserr(e: Exception) -> str:
    if isinstance(e, IsADirectoryError):
        return "Is a directory"
    if isinstance(e, NotADirectoryError):
        return "Not a directory"
    if isinstance(e, FileExistsError):
        return "File exists"
    if isinstance(e, FileNotFoundError):
        return "No such file or directory"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return "No such file or directory"


def _split_opts(argv: list[str], known: str):
    """busybox getopt32 for simple flag sets: returns (flags, operands, bad_option)."""
    flags: dict[str, bool] = {}
    ops: list[str] = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            ops.extend(argv[i + 1:])
            break
        if a.startswith("-") and len(a) > 1 and not ops:
            for c in a[1:]:
                if c not in known:
                    return flags, ops, c
                flags[c] = True
        else:
            ops.append(a)
        i += 1
    return flags, ops, None


def _read_inputs(sh, argv, io, files: list[str]):
    """Contents of the operands (``-`` or none: stdin). Yields (name, text|None)."""
    if not files:
        yield "-", io.stdin or ""
        return
    for f in files:
        if f == "-":
            yield f, io.stdin or ""
            continue
        try:
            yield f, sh.m.fs.read(sh.path(f))
        except (OSError, ValueError) as e:
            _err(sh, argv, io, f"{f}: {_oserr(e)}")
            yield f, None


def applet_path(sh, name: str) -> str:
    for d in ("/bin", "/usr/bin", "/sbin", "/usr/sbin"):
        if sh.m.fs.exists(f"{d}/{name}"):
            return f"{d}/{name}"
    return f"/bin/{name}"


# -- echo / printf / test ------------------------------------------------------------------------
_ESC = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "r": "\r",
        "e": "\x1b"}


def _unescape(s: str, stop_at_c: bool = True) -> tuple[str, bool]:
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n in _ESC:
                out.append(_ESC[n])
                i += 2
                continue
            if n == "c" and stop_at_c:
                return "".join(out), True
            if n == "0" or n.isdigit() and n < "8":
                j = i + 2 if n == "0" else i + 1
                k = j
                while k < len(s) and k < j + 3 and s[k] in "01234567":
                    k += 1
                out.append(chr(int(s[j:k] or "0", 8) & 0xFF))
                i = k
                continue
            if n == "x":
                m = re.match(r"[0-9a-fA-F]{1,2}", s[i + 2:])
                if m:
                    out.append(chr(int(m.group(), 16)))
                    i += 2 + m.end()
                    continue
        out.append(c)
        i += 1
    return "".join(out), False


def a_echo(sh, argv, io):
    args = argv[1:]
    newline, escapes = True, False
    while args and re.fullmatch(r"-[neE]+", args[0]):
        for c in args[0][1:]:
            if c == "n":
                newline = False
            elif c == "e":
                escapes = True
            else:
                escapes = False
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop = _unescape(text)
        if stop:
            io.out.write(text)
            return 0
    io.out.write(text + ("\n" if newline else ""))
    return 0


_FMT = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXcsbfeEgG%])")


def a_printf(sh, argv, io):
    if len(argv) < 2:
        io.err.write(f"{_name(sh, argv, io)}: usage: printf FORMAT [ARGUMENT...]\n" if False else
                     "Usage: printf FORMAT [ARG]...\n")
        return 1
    fmt, args = argv[1], argv[2:]
    status = 0
    out = []
    first = True
    guard = 0
    while first or args:
        guard += 1
        if guard > 10000:
            break
        consumed = False
        pos = 0
        for m in _FMT.finditer(fmt):
            out.append(_unescape(fmt[pos:m.start()], False)[0])
            pos = m.end()
            flags, width, prec, conv = m.groups()
            if conv == "%":
                out.append("%")
                continue
            if width == "*":
                width = args.pop(0) if args else "0"
                consumed = True
            if prec == "*":
                prec = args.pop(0) if args else "0"
                consumed = True
            arg = args.pop(0) if args else None
            consumed = consumed or arg is not None
            spec = "%" + flags + (width or "") + ("." + prec if prec is not None else "")
            if conv in "sb":
                val = arg or ""
                if conv == "b":
                    val, stop = _unescape(val)
                out.append((spec + "s") % val)
            elif conv == "c":
                out.append((spec + "s") % ((arg or "")[:1]))
            elif conv in "diouxX":
                val = 0
                if arg:
                    a = arg.strip()
                    try:
                        val = int(a, 0) if not (a.startswith("'") or a.startswith('"')) else ord(a[1:2] or "\0")
                    except ValueError:
                        try:
                            val = int(a)
                        except ValueError:
                            _err(sh, argv, io, f"invalid number '{arg}'")
                            status = 1
                out.append((spec + ("d" if conv in "iu" else conv)) % val)
            else:
                try:
                    val = float(arg) if arg else 0.0
                except ValueError:
                    _err(sh, argv, io, f"invalid number '{arg}'")
                    status = 1
                    val = 0.0
                out.append((spec + conv) % val)
        tail, stop = _unescape(fmt[pos:], False)
        out.append(tail)
        first = False
        if not consumed:
            break
    io.out.write("".join(out))
    return status


class _TestError(Exception):
    pass


def a_test(sh, argv, io):
    args = argv[1:]
    if argv[0] == "[":
        if not args or args[-1] != "]":
            _err(sh, argv, io, "missing ]")
            return 2
        args = args[:-1]
    try:
        return 0 if _test_expr(sh, args) else 1
    except _TestError as e:
        _err(sh, argv, io, str(e))
        return 2


def _num(s: str) -> int:
    t = s.strip()
    if not re.fullmatch(r"[-+]?\d+", t):
        raise _TestError(f"{s}: bad number" if t else "bad number")
    return int(t)


def _test_expr(sh, a: list[str]) -> bool:
    fs = sh.m.fs
    if not a:
        return False
    if a[0] == "!":
        return not _test_expr(sh, a[1:])
    for i, tok in enumerate(a):
        if tok in ("-o",) and 0 < i < len(a) - 1:
            return _test_expr(sh, a[:i]) or _test_expr(sh, a[i + 1:])
    for i, tok in enumerate(a):
        if tok in ("-a",) and 0 < i < len(a) - 1:
            return _test_expr(sh, a[:i]) and _test_expr(sh, a[i + 1:])
    if a[0] == "(" and a[-1] == ")" and len(a) > 2:
        return _test_expr(sh, a[1:-1])
    if len(a) == 1:
        return a[0] != ""
    if len(a) == 2:
        op, x = a
        p = sh.path(x) if x else ""
        if op == "-z":
            return x == ""
        if op == "-n":
            return x != ""
        if op in ("-e", "-a"):
            return bool(x) and fs.exists(p)
        if op == "-f":
            return bool(x) and fs.exists(p) and not fs.is_dir(p)
        if op == "-d":
            return bool(x) and fs.is_dir(p)
        if op == "-s":
            try:
                return bool(x) and not fs.is_dir(p) and len(fs.read(p)) > 0
            except (OSError, ValueError):
                return False
        if op in ("-r", "-w", "-x", "-h", "-L"):
            return bool(x) and fs.exists(p) and op not in ("-h", "-L")
        if op == "-t":
            return False
        raise _TestError(f"{op}: unknown operand")
    if len(a) == 3:
        x, op, y = a
        if op in ("=", "=="):
            return x == y
        if op == "!=":
            return x != y
        if op == "<":
            return x < y
        if op == ">":
            return x > y
        ops = {"-eq": lambda m, n: m == n, "-ne": lambda m, n: m != n, "-lt": lambda m, n: m < n,
               "-le": lambda m, n: m <= n, "-gt": lambda m, n: m > n, "-ge": lambda m, n: m >= n}
        if op in ops:
            return ops[op](_num(x), _num(y))
        raise _TestError(f"{op}: unknown operand")
    raise _TestError("syntax error")


# -- files ---------------------------------------------------------------------------------------
def a_cat(sh, argv, io):
    _, files, _bad = _split_opts(argv, "nbvteAu")
    status = 0
    fs = sh.m.fs
    if not files:
        io.out.write(io.stdin or "")
        return 0
    for f in files:
        if f == "-":
            io.out.write(io.stdin or "")
            continue
        p = sh.path(f)
        if fs.exists(p) and fs.is_dir(p):
            _err(sh, argv, io, "read error: Is a directory")
            status = 1
            continue
        try:
            io.out.write(fs.read(p))
        except (OSError, ValueError) as e:
            _err(sh, argv, io, f"can't open '{f}': {_oserr(e)}")
            status = 1
    return status


def a_touch(sh, argv, io):
    flags, files, bad = _split_opts(argv, "cam")
    if bad or not files:
        return _usage(sh, argv, io, bad)
    status = 0
    fs = sh.m.fs
    for f in files:
        p = sh.path(f)
        if fs.exists(p):
            continue
        if flags.get("c"):
            continue
        try:
            fs.write(p, "", append=True)
        except (OSError, ValueError) as e:
            _err(sh, argv, io, f"{f}: {_oserr(e)}")
            status = 1
    return status


def a_rm(sh, argv, io):
    flags, files, bad = _split_opts(argv, "fRrvid")
    if bad:
        return _usage(sh, argv, io, bad)
    force = flags.get("f", False)
    recursive = flags.get("r") or flags.get("R")
    if not files and not force:
        return _usage(sh, argv, io, None)
    fs = sh.m.fs
    status = 0
    for f in files:
        p = sh.path(f)
        if not fs.exists(p):
            if not force:
                _err(sh, argv, io, f"can't remove '{f}': No such file or directory")
                status = 1
            continue
        if fs.is_dir(p) and not recursive:
            _err(sh, argv, io, f"'{f}' is a directory")
            status = 1
            continue
        try:
            fs.remove(p, recursive=bool(recursive))
            sh.m.file_sizes.pop(p, None)
        except (OSError, ValueError) as e:
            _err(sh, argv, io, f"can't remove '{f}': {_oserr(e)}")
            status = 1
    return status


def a_rmdir(sh, argv, io):
    _, files, _ = _split_opts(argv, "p")
    fs = sh.m.fs
    status = 0
    for f in files:
        p = sh.path(f)
        try:
            if not fs.is_dir(p):
                raise NotADirectoryError(20, "Not a directory") if fs.exists(p) else FileNotFoundError(2, "x")
            if fs.listdir(p):
                _err(sh, argv, io, f"'{f}': Directory not empty")
                status = 1
                continue
            fs.remove(p)
        except (OSError, ValueError) as e:
            _err(sh, argv, io, f"'{f}': {_oserr(e)}")
            status = 1
    return status


def a_mkdir(sh, argv, io):
    flags, dirs, bad = _split_opts(argv, "pm")
    if bad or not dirs:
        return _usage(sh, argv, io, bad)
    fs = sh.m.fs
    status = 0
    for d in dirs:
        p = sh.path(d)
        if fs.exists(p):
            if flags.get("p") and fs.is_dir(p):
                continue
            _err(sh, argv, io, f"can't create directory '{d}': File exists")
            status = 1
            continue
        try:
            fs.mkdir(p, parents=bool(flags.get("p")))
        except (OSError, ValueError) as e:
            _err(sh, argv, io, f"can't create directory '{d}': {_oserr(e)}")
            status = 1
    return status


def a_ls(sh, argv, io):
    flags, ops, bad = _split_opts(argv, "lahA1dFRrtS")
    if bad:
        return _usage(sh, argv, io, bad)
    fs = sh.m.fs
    targets = ops or ["."]
    status = 0
    files, dirs = [], []
    for t in targets:
        p = sh.path(t)
        if not fs.exists(p):
            _err(sh, argv, io, f"{t}: No such file or directory")
            status = 1
        elif fs.is_dir(p) and not flags.get("d"):
            dirs.append((t, p))
        else:
            files.append((t, p))
    long_ = flags.get("l")

    def line(name: str, path: str) -> str:
        if not long_:
            return name + ("/" if flags.get("F") and fs.is_dir(path) else "")
        is_dir = fs.is_dir(path)
        size = 4096 if is_dir else _size(fs, path)
        when = (EPOCH + timedelta(seconds=int(sh.m.started))).strftime("%b %e %H:%M")
        mode = "drwxr-xr-x" if is_dir else "-rw-r--r--"
        return f"{mode}    {2 if is_dir else 1} root     root     {size:>9} {when} {name}"

    for name, path in sorted(files):
        io.out.write(line(name, path) + "\n")
    for k, (name, path) in enumerate(sorted(dirs)):
        if len(targets) > 1:
            io.out.write(("\n" if k or files else "") + f"{name}:\n")
        try:
            entries = fs.listdir(path)
        except (OSError, ValueError):
            entries = []
        if not (flags.get("a") or flags.get("A")):
            entries = [e for e in entries if not e.startswith(".")]
        if flags.get("a"):
            entries = [".", ".."] + list(entries)
        if long_:
            io.out.write(f"total {0}\n")
        for e in entries:
            io.out.write(line(e, posixpath.join(path, e)) + "\n")
    return status


def _size(fs, path: str) -> int:
    try:
        return len(fs.read(path).encode())
    except (OSError, ValueError):
        return 0


def a_cp(sh, argv, io):
    flags, ops, bad = _split_opts(argv, "rRapfv")
    if bad or len(ops) < 2:
        return _usage(sh, argv, io, bad)
    fs = sh.m.fs
    *srcs, dst = ops
    dstp = sh.path(dst)
    status = 0
    for s in srcs:
        sp = sh.path(s)
        if not fs.exists(sp):
            _err(sh, argv, io, f"can't stat '{s}': No such file or directory")
            status = 1
            continue
        target = posixpath.join(dstp, posixpath.basename(sp)) if fs.is_dir(dstp) else dstp
        if fs.is_dir(sp):
            if not (flags.get("r") or flags.get("R") or flags.get("a")):
                _err(sh, argv, io, f"omitting directory '{s}'")
                status = 1
                continue
            status |= _copy_tree(sh, argv, io, sp, target)
            continue
        try:
            fs.write(target, fs.read(sp))
        except (OSError, ValueError) as e:
            _err(sh, argv, io, f"can't create '{dst}': {_oserr(e)}")
            status = 1
    return status


def _copy_tree(sh, argv, io, src: str, dst: str) -> int:
    fs = sh.m.fs
    try:
        if not fs.exists(dst):
            fs.mkdir(dst)
        for n in fs.listdir(src):
            s, d = posixpath.join(src, n), posixpath.join(dst, n)
            if fs.is_dir(s):
                _copy_tree(sh, argv, io, s, d)
            else:
                fs.write(d, fs.read(s))
    except (OSError, ValueError) as e:
        _err(sh, argv, io, f"can't create '{dst}': {_oserr(e)}")
        return 1
    return 0


def a_mv(sh, argv, io):
    flags, ops, bad = _split_opts(argv, "fin")
    if bad or len(ops) < 2:
        return _usage(sh, argv, io, bad)
    fs = sh.m.fs
    *srcs, dst = ops
    dstp = sh.path(dst)
    status = 0
    for s in srcs:
        sp = sh.path(s)
        if not fs.exists(sp):
            _err(sh, argv, io, f"can't rename '{s}': No such file or directory")
            status = 1
            continue
        target = posixpath.join(dstp, posixpath.basename(sp)) if fs.is_dir(dstp) else dstp
        try:
            if hasattr(fs, "rename"):
                fs.rename(sp, target)
            elif fs.is_dir(sp):
                _copy_tree(sh, argv, io, sp, target)
                fs.remove(sp, recursive=True)
            else:
                fs.write(target, fs.read(sp))
                fs.remove(sp)
            sh.m.file_sizes.pop(sp, None)
            sh.m.file_sizes.pop(target, None)
        except (OSError, ValueError) as e:
            _err(sh, argv, io, f"can't rename '{s}': {_oserr(e)}")
            status = 1
    return status


def _usage(sh, argv, io, bad):
    name = _name(sh, argv, io)
    if bad:
        io.err.write(f"{name}: invalid option -- '{bad}'\n")
    io.err.write(f"BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                 f"Usage: {argv[0]} ...\n")
    return 1


# -- text ----------------------------------------------------------------------------------------
def a_wc(sh, argv, io):
    flags, files, bad = _split_opts(argv, "lwcmL")
    if bad:
        return _usage(sh, argv, io, bad)
    sel = [c for c in "lwc" if flags.get(c)] or ["l", "w", "c"]
    status = 0
    totals = [0, 0, 0]
    rows = []
    for name, text in _read_inputs(sh, argv, io, files):
        if text is None:
            status = 1
            continue
        counts = [text.count("\n"), len(text.split()), len(text.encode())]
        totals = [a + b for a, b in zip(totals, counts)]
        rows.append((counts, "" if name == "-" and not files else name))
    if len(rows) > 1:
        rows.append((totals, "total"))
    for counts, name in rows:
        vals = [counts["lwc".index(c)] for c in sel]
        if len(sel) == 1 and not name:
            io.out.write(f"{vals[0]}\n")
        else:
            io.out.write(" ".join(f"{v:>7}" if len(sel) > 1 or name else str(v) for v in vals)
                         + (f" {name}" if name else "") + "\n")
    return status


def _count_arg(argv, default=10):
    args = list(argv[1:])
    n = default
    files = []
    from_start = False
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-n" and i + 1 < len(args):
            v = args[i + 1]
            from_start = v.startswith("+")
            n = int(v.lstrip("+-")) if v.lstrip("+-").isdigit() else None
            i += 2
            continue
        if a.startswith("-n") and len(a) > 2:
            v = a[2:]
            from_start = v.startswith("+")
            n = int(v.lstrip("+")) if v.lstrip("+").isdigit() else None
        elif re.fullmatch(r"-\d+", a):
            n = int(a[1:])
        elif a in ("-f", "-F", "-q", "-v"):
            pass
        else:
            files.append(a)
        i += 1
    return n, files, from_start


def a_head(sh, argv, io):
    n, files, _ = _count_arg(argv)
    if n is None:
        _err(sh, argv, io, "invalid number")
        return 1
    status = 0
    for name, text in _read_inputs(sh, argv, io, files):
        if text is None:
            status = 1
            continue
        lines = text.splitlines(keepends=True)
        io.out.write("".join(lines[:n]))
    return status


def a_tail(sh, argv, io):
    n, files, from_start = _count_arg(argv)
    if n is None:
        _err(sh, argv, io, "invalid number")
        return 1
    status = 0
    for name, text in _read_inputs(sh, argv, io, files):
        if text is None:
            status = 1
            continue
        lines = text.splitlines(keepends=True)
        io.out.write("".join(lines[max(n - 1, 0):] if from_start else (lines[-n:] if n else [])))
    return status


def _bre_to_re(p: str, extended: bool) -> str:
    if extended:
        return p
    out = []
    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            n = p[i + 1]
            out.append(n if n in "(){}|+?" else "\\" + n)
            i += 2
            continue
        if c in "(){}|+?":
            out.append("\\" + c)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def a_grep(sh, argv, io):
    flags, ops, bad = _split_opts(argv, "ivcqlnEFwsoxhH")
    if bad:
        return _usage(sh, argv, io, bad)
    if not ops:
        return _usage(sh, argv, io, None)
    pat, files = ops[0], ops[1:]
    if flags.get("F"):
        rx = re.escape(pat)
    else:
        rx = _bre_to_re(pat, bool(flags.get("E")))
    if flags.get("w"):
        rx = rf"\b(?:{rx})\b"
    if flags.get("x"):
        rx = rf"^(?:{rx})$"
    try:
        cre = re.compile(rx, re.I if flags.get("i") else 0)
    except re.error:
        _err(sh, argv, io, f"bad regex '{pat}'")
        return 2
    status, found = 0, False
    multi = len(files) > 1 and not flags.get("h")
    for name, text in _read_inputs(sh, argv, io, files):
        if text is None:
            status = 2
            continue
        count = 0
        for k, line in enumerate(text.splitlines(), 1):
            hit = bool(cre.search(line)) != bool(flags.get("v"))
            if not hit:
                continue
            count += 1
            found = True
            if flags.get("q"):
                return 0
            if flags.get("l"):
                break
            if flags.get("c"):
                continue
            prefix = (f"{name}:" if multi else "") + (f"{k}:" if flags.get("n") else "")
            if flags.get("o") and not flags.get("v"):
                for m in cre.finditer(line):
                    io.out.write(prefix + m.group() + "\n")
            else:
                io.out.write(prefix + line + "\n")
        if flags.get("l") and count:
            io.out.write(("(standard input)" if name == "-" else name) + "\n")
        if flags.get("c"):
            io.out.write((f"{name}:" if multi else "") + f"{count}\n")
    if status == 2 and not found:
        return 2
    return 0 if found else 1


def a_sed(sh, argv, io):
    args = argv[1:]
    scripts, files, inplace, quiet = [], [], False, False
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-e" and i + 1 < len(args):
            scripts.append(args[i + 1])
            i += 2
            continue
        if a == "-i":
            inplace = True
        elif a == "-n":
            quiet = True
        elif a in ("-E", "-r"):
            pass
        elif not scripts and not a.startswith("-"):
            scripts.append(a)
        else:
            files.append(a)
        i += 1
    cmds = []
    for s in scripts:
        for part in [x for x in s.split(";") if x.strip()]:
            m = re.fullmatch(r"\s*s(.)(.*?)(?<!\\)\1(.*?)(?<!\\)\1([gip0-9]*)\s*", part)
            if not m:
                _err(sh, argv, io, f"unsupported command {part.strip()[:1]}" if part.strip()[:1] != "s"
                     else "unmatched 's'")
                return 1
            _, pat, rep, fl = m.groups()
            try:
                cre = re.compile(_bre_to_re(pat, False), re.I if "i" in fl else 0)
            except re.error:
                _err(sh, argv, io, f"bad regex '{pat}'")
                return 1
            rep = re.sub(r"\\(\d)", r"\\g<\1>", rep.replace("&", r"\g<0>").replace("\\\\g<0>", "&"))
            cmds.append((cre, rep, "g" in fl, "p" in fl))

    def apply(text: str) -> str:
        out = []
        for line in text.splitlines():
            printed = False
            for cre, rep, glob, p in cmds:
                new, n = cre.subn(rep, line, count=0 if glob else 1)
                line = new
                if n and p:
                    out.append(line)
                    printed = True
            if not quiet:
                out.append(line)
        return "".join(x + "\n" for x in out)

    status = 0
    for name, text in _read_inputs(sh, argv, io, files):
        if text is None:
            status = 1
            continue
        res = apply(text)
        if inplace and name != "-":
            sh.m.fs.write(sh.path(name), res)
            sh.m.file_sizes.pop(sh.path(name), None)
        else:
            io.out.write(res)
    return status


def a_tr(sh, argv, io):
    args = argv[1:]
    delete = False
    if args and args[0] == "-d":
        delete, args = True, args[1:]

    def expand(s: str) -> str:
        s = _unescape(s, False)[0]
        for cls, chars in (("[:upper:]", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), ("[:lower:]", "abcdefghijklmnopqrstuvwxyz"),
                           ("[:digit:]", "0123456789"), ("[:space:]", " \t\n\r\f\v")):
            s = s.replace(cls, chars)
        return re.sub(r"(.)-(.)", lambda m: "".join(chr(c) for c in range(ord(m.group(1)), ord(m.group(2)) + 1)), s)

    data = io.stdin or ""
    if delete and args:
        io.out.write("".join(c for c in data if c not in expand(args[0])))
        return 0
    if len(args) < 2:
        return _usage(sh, argv, io, None)
    a, b = expand(args[0]), expand(args[1])
    b = b + b[-1:] * (len(a) - len(b)) if b else b
    io.out.write(data.translate({ord(x): y for x, y in zip(a, b)}))
    return 0


def a_cut(sh, argv, io):
    args = argv[1:]
    delim, fields, chars, files = "\t", None, None, []
    i = 0
    while i < len(args):
        a = args[i]
        for opt in ("-d", "-f", "-c"):
            if a.startswith(opt):
                v = a[2:] if len(a) > 2 else (args[i + 1] if i + 1 < len(args) else "")
                if len(a) == 2:
                    i += 1
                if opt == "-d":
                    delim = v[:1]
                elif opt == "-f":
                    fields = v
                else:
                    chars = v
                break
        else:
            files.append(a)
        i += 1

    def sel(spec: str, n: int) -> list[int]:
        idx = []
        for part in spec.split(","):
            if "-" in part:
                lo, hi = part.split("-", 1)
                idx.extend(range(int(lo or 1), (int(hi) if hi else n) + 1))
            elif part.isdigit():
                idx.append(int(part))
        return [k for k in idx if 1 <= k <= n]

    for name, text in _read_inputs(sh, argv, io, files):
        if text is None:
            continue
        for line in text.splitlines():
            if chars:
                io.out.write("".join(line[k - 1] for k in sel(chars, len(line))) + "\n")
            elif fields:
                parts = line.split(delim)
                if len(parts) == 1:
                    io.out.write(line + "\n")
                else:
                    io.out.write(delim.join(parts[k - 1] for k in sel(fields, len(parts))) + "\n")
    return 0


def a_sort(sh, argv, io):
    flags, files, _ = _split_opts(argv, "nrub")
    lines = []
    for _, text in _read_inputs(sh, argv, io, files):
        if text is not None:
            lines.extend(text.splitlines())
    if flags.get("n"):
        def key(s):
            m = re.match(r"\s*-?\d+(\.\d+)?", s)
            return (float(m.group()) if m else 0.0, s)
        lines.sort(key=key)
    else:
        lines.sort()
    if flags.get("r"):
        lines.reverse()
    if flags.get("u"):
        lines = list(dict.fromkeys(lines))
    io.out.write("".join(x + "\n" for x in lines))
    return 0


def a_uniq(sh, argv, io):
    flags, files, _ = _split_opts(argv, "cdu")
    out, prev, n = [], None, 0
    text = next(iter(_read_inputs(sh, argv, io, files[:1])))[1] or ""
    for line in text.splitlines() + [None]:
        if line == prev:
            n += 1
            continue
        if prev is not None:
            if (not flags.get("d") or n > 1) and (not flags.get("u") or n == 1):
                out.append(f"{n:>7} {prev}" if flags.get("c") else prev)
        prev, n = line, 1
    io.out.write("".join(x + "\n" for x in out))
    return 0


def a_tee(sh, argv, io):
    flags, files, _ = _split_opts(argv, "a")
    data = io.stdin or ""
    for f in files:
        sink = sh.open_write(sh.path(f), f, bool(flags.get("a")), io)
        if sink is not None:
            sink.write(data)
    io.out.write(data)
    return 0


def a_seq(sh, argv, io):
    args = [a for a in argv[1:]]
    sep = "\n"
    if len(args) >= 2 and args[0] == "-s":
        sep, args = args[1], args[2:]
    try:
        nums = [float(a) for a in args]
    except ValueError:
        bad = next(a for a in args if not _isfloat(a))
        _err(sh, argv, io, f"invalid number '{bad}'")
        return 1
    if not 1 <= len(nums) <= 3:
        return _usage(sh, argv, io, None)
    first, inc, last = (1.0, 1.0, nums[0]) if len(nums) == 1 else (
        (nums[0], 1.0, nums[1]) if len(nums) == 2 else tuple(nums))
    if inc == 0:
        return 0
    prec = max((len(a.split(".")[1]) if "." in a else 0) for a in args)
    vals = []
    v, k = first, 0
    while (inc > 0 and v <= last + 1e-9) or (inc < 0 and v >= last - 1e-9):
        vals.append(f"{v:.{prec}f}")
        k += 1
        if k > 100000:
            sh.step()
            k = 0
        v = first + inc * (len(vals))
        if len(vals) > 1_000_000:
            break
    if vals:
        io.out.write(sep.join(vals) + "\n")
    return 0


def _isfloat(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def a_expr(sh, argv, io):
    toks = argv[1:]
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take():
        pos[0] += 1
        return toks[pos[0] - 1]

    def isint(v):
        return isinstance(v, int) or re.fullmatch(r"-?\d+", str(v)) is not None

    def prim():
        t = take() if peek() is not None else None
        if t is None:
            raise _TestError("syntax error")
        if t == "(":
            v = orx()
            if peek() != ")":
                raise _TestError("syntax error")
            take()
            return v
        if t == "length" and peek() is not None:
            return len(str(prim()))
        return t

    def mul():
        v = prim()
        while peek() in ("*", "/", "%"):
            op = take()
            r = prim()
            if not (isint(v) and isint(r)):
                raise _TestError("non-integer argument")
            a, b = int(v), int(r)
            if op != "*" and b == 0:
                raise _TestError("division by zero")
            v = a * b if op == "*" else (int(a / b) if op == "/" else a - b * int(a / b))
        return v

    def add():
        v = mul()
        while peek() in ("+", "-"):
            op = take()
            r = mul()
            if not (isint(v) and isint(r)):
                raise _TestError("non-integer argument")
            v = int(v) + int(r) if op == "+" else int(v) - int(r)
        return v

    def cmp():
        v = add()
        while peek() in ("=", "!=", "<", ">", "<=", ">="):
            op = take()
            r = add()
            a, b = (int(v), int(r)) if isint(v) and isint(r) else (str(v), str(r))
            v = int({"=": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op])
        return v

    def andx():
        v = cmp()
        while peek() == "&":
            take()
            r = cmp()
            v = v if _truthy(v) and _truthy(r) else 0
        return v

    def orx():
        v = andx()
        while peek() == "|":
            take()
            r = andx()
            v = v if _truthy(v) else (r if _truthy(r) else 0)
        return v

    try:
        v = orx()
        if peek() is not None:
            raise _TestError("syntax error")
    except _TestError as e:
        _err(sh, argv, io, str(e))
        return 2
    io.out.write(f"{v}\n")
    return 0 if _truthy(v) else 1


def _truthy(v) -> bool:
    return not (v == "" or v == 0 or v == "0")


# -- processes and system ------------------------------------------------------------------------
def a_sleep(sh, argv, io):
    args = argv[1:]
    if not args:
        if io.builtin:
            _err(sh, argv, io, "sleep: missing operand")
            return 1
        return _usage(sh, argv, io, None)
    total = 0.0
    for a in args:
        if a.lower().startswith("inf"):
            total = math.inf
            break
        m = re.fullmatch(r"(\d*\.?\d*)([smhd]?)", a)
        if not m or m.group(1) in ("", "."):
            _err(sh, argv, io, f"invalid number '{a}'")
            return 1
        total += float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    r = yield Sleep(total)
    return 0


def a_true(sh, argv, io):
    return 0


def a_false(sh, argv, io):
    return 1


def a_env(sh, argv, io):
    args = argv[1:]
    env = sh.environ()
    while args and (args[0] in ("-i", "-") or "=" in args[0]):
        a = args.pop(0)
        if a in ("-i", "-"):
            env = {}
        else:
            k, _, v = a.partition("=")
            env[k] = v
    if args:
        sub = sh.subshell()
        sub.task = sh.task
        sub.vars = dict(env)
        sub.exported = set(env)
        return (yield from sub.run_external(args, io))
    io.out.write("".join(f"{k}={v}\n" for k, v in env.items()))
    return 0


def a_printenv(sh, argv, io):
    env = sh.environ()
    if len(argv) == 1:
        io.out.write("".join(f"{k}={v}\n" for k, v in env.items()))
        return 0
    status = 0
    for n in argv[1:]:
        if n in env:
            io.out.write(env[n] + "\n")
        else:
            status = 1
    return status


def a_hostname(sh, argv, io):
    if len(argv) > 1 and argv[1] == "-i":
        io.out.write(getattr(sh.m.ctx, "pod_ip", "") + "\n")
        return 0
    io.out.write(sh.m.hostname + "\n")
    return 0


def a_date(sh, argv, io):
    now = sh.m.now()
    dt = EPOCH + timedelta(seconds=int(now))
    args = [a for a in argv[1:] if a not in ("-u", "--utc")]
    if args and args[0].startswith("+"):
        fmt = args[0][1:].replace("%N", f"{int((now % 1) * 1e9):09d}").replace("%Z", "UTC").replace(
            "%s", str(int(dt.timestamp())))
        io.out.write(dt.strftime(fmt) + "\n")
        return 0
    if args and args[0] == "-I":
        io.out.write(dt.strftime("%Y-%m-%d") + "\n")
        return 0
    if args and args[0] == "-R":
        io.out.write(dt.strftime("%a, %d %b %Y %H:%M:%S +0000") + "\n")
        return 0
    # busybox default "%a %b %e %H:%M:%S %Z %Y" (coreutils/date.c)
    io.out.write(dt.strftime("%a %b ") + f"{dt.day:>2}" + dt.strftime(" %H:%M:%S UTC %Y") + "\n")
    return 0


def a_id(sh, argv, io):
    if "-u" in argv:
        io.out.write("0\n")
    elif "-un" in argv or "-nu" in argv:
        io.out.write("root\n")
    else:
        io.out.write("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n")
    return 0


def a_whoami(sh, argv, io):
    io.out.write("root\n")
    return 0


def a_uname(sh, argv, io):
    if "-a" in argv:
        io.out.write(f"Linux {sh.m.hostname} 6.8.0-1015-azure #17-Ubuntu SMP x86_64 GNU/Linux\n")
    elif "-r" in argv:
        io.out.write("6.8.0-1015-azure\n")
    elif "-m" in argv:
        io.out.write("x86_64\n")
    else:
        io.out.write("Linux\n")
    return 0


def a_basename(sh, argv, io):
    if len(argv) < 2:
        return _usage(sh, argv, io, None)
    b = posixpath.basename(argv[1].rstrip("/")) or "/"
    if len(argv) > 2 and b.endswith(argv[2]) and b != argv[2]:
        b = b[: -len(argv[2])]
    io.out.write(b + "\n")
    return 0


def a_dirname(sh, argv, io):
    if len(argv) < 2:
        return _usage(sh, argv, io, None)
    p = argv[1].rstrip("/") or "/"
    d = posixpath.dirname(p) or "."
    io.out.write((d.rstrip("/") or "/") + "\n")
    return 0


def a_which(sh, argv, io):
    status = 0
    for n in argv[1:]:
        if sh.m.lookup(n, "") is not None:
            io.out.write(applet_path(sh, n) + "\n")
        else:
            status = 1
    return status


def a_yes(sh, argv, io):
    word = " ".join(argv[1:]) or "y"
    # `yes` never ends: into a buffer (a pipe) it fills the buffer and stops, elsewhere it is a
    # busy loop (the task's step limit turns it into a CPU-bound process)
    from .io import BufferSink
    if isinstance(io.out, BufferSink):
        while io.out.size < io.out.cap:
            io.out.write((word + "\n") * 4096)
        return 141  # killed by SIGPIPE when the reader goes away
    while True:
        io.out.write(word + "\n")
        sh.step()


def a_kill(sh, argv, io):
    args = argv[1:]
    sig = "TERM"
    if args and args[0] == "-l":
        io.out.write(" ".join(SIGNAL_NAMES[n] for n in sorted(SIGNAL_NAMES)) + "\n")
        return 0
    if args and args[0].startswith("-") and len(args[0]) > 1:
        s = args.pop(0)[1:]
        if s == "s" and args:
            s = args.pop(0)
        s = s.upper()
        s = s[3:] if s.startswith("SIG") else s
        if s.isdigit():
            s = SIGNAL_NAMES.get(int(s), s)
        if s not in SIGNALS:
            _err(sh, argv, io, f"bad signal name '{s}'")
            return 1
        sig = s
    if not args:
        return _usage(sh, argv, io, None)
    status = 0
    for a in args:
        if not a.lstrip("-").isdigit():
            _err(sh, argv, io, f"invalid number '{a}'")
            status = 1
            continue
        pid = int(a)
        if not sh.m.signal_pid(pid, "SIG" + sig, sh):
            _err(sh, argv, io, f"can't kill pid {pid}: No such process")
            status = 1
    return status


def a_ps(sh, argv, io):
    procs = sh.m.process_list(sh)
    if "ps" not in sh.m.commands or "wget" in sh.m.commands:
        # busybox ps: one format whatever the options
        lines = ["PID   USER     TIME  COMMAND"]
        for pid, cmd in procs:
            lines.append(f"{pid:>5} root      0:00 {cmd}")
        io.out.write("\n".join(lines) + "\n")
        return 0
    return _procps_ps(sh, argv[1:], io, procs)


def _procps_ps(sh, args, io, procs) -> int:
    """procps-ng ``ps`` of Debian-based images (nginx, mongo, httpd, ...): ``ps`` alone lists the
    processes of the current terminal (none in a non-interactive exec but ps itself), ``ps aux``
    the BSD user format, ``ps -ef`` the System V full format. CPU and memory figures are the
    simulator's idle estimates."""
    start = _hhmm(sh.m.started)
    opts = "".join(args).lstrip("-")
    if "a" in opts and "u" in opts and "x" in opts or opts in ("aux", "axu"):
        lines = ["USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"]
        for pid, cmd in procs:
            stat = "Ss" if pid == 1 else "Rs"
            lines.append(f"{'root':<8} {pid:>7}  0.0  0.0   {2500 + pid * 7:>4} {1200 + pid * 3:>5} ?        "
                         f"{stat:<4} {start}   0:00 {cmd}")
        io.out.write("\n".join(lines) + "\n")
        return 0
    if "e" in opts or "A" in opts:
        full = "f" in opts
        lines = ["UID          PID    PPID  C STIME TTY          TIME CMD" if full else
                 "    PID TTY          TIME CMD"]
        for pid, cmd in procs:
            if full:
                lines.append(f"{'root':<8} {pid:>7} {0 if pid == 1 else 0:>7}  0 {start} ?        00:00:00 {cmd}")
            else:
                lines.append(f"{pid:>7} ?        00:00:00 {cmd.split(' ', 1)[0].rsplit('/', 1)[-1]}")
        io.out.write("\n".join(lines) + "\n")
        return 0
    me = [p for p in procs if p[1].split(" ", 1)[0].endswith("ps")][-1:]
    lines = ["    PID TTY          TIME CMD"] + [f"{pid:>7} ?        00:00:00 ps" for pid, _ in me]
    io.out.write("\n".join(lines) + "\n")
    return 0


def _hhmm(t: float) -> str:
    from labsim.clock import EPOCH
    from datetime import timedelta

    return (EPOCH + timedelta(seconds=t)).strftime("%H:%M")


# -- network -------------------------------------------------------------------------------------
_URL = re.compile(r"^(?:(https?)://)?([^/:]+)(?::(\d+))?(/.*)?$")
_REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
            304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
            404: "Not Found", 405: "Not Allowed", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}


def _is_ip(h: str) -> bool:
    return re.fullmatch(r"\d+\.\d+\.\d+\.\d+", h) is not None


def _resolve(sh, host: str) -> str | None:
    if _is_ip(host):
        return host
    if host == "localhost":
        return "127.0.0.1"
    net = getattr(sh.m.ctx, "network", None)
    if net is None:
        return None
    try:
        ips = net.resolve(sh.m.ctx.pod, host)
    except LookupError:
        return None
    return ips[0] if ips else None


def _http(sh, host: str, ip: str, port: int, path: str, timeout: float, headers=None):
    """GET through the cluster network (or this container for localhost)."""
    hdrs = {"Host": host if port == 80 else f"{host}:{port}"}
    hdrs.update(headers or {})
    if ip.startswith("127."):
        local = sh.m.local_http
        if local is None:
            raise base.ConnectionRefused()
        return local(port, path, hdrs)
    return sh.m.ctx.network.http_get(sh.m.ctx.pod, ip, port, path, headers=hdrs, timeout=timeout)


def a_wget(sh, argv, io):
    args = argv[1:]
    quiet, spider, out_name, timeout, url, headers = False, False, None, 900.0, None, {}
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-q", "--quiet"):
            quiet = True
        elif a == "-qO-" or a == "-qO" and i + 1 < len(args) and args[i + 1] == "-":
            quiet = True
            out_name = "-"
            if a == "-qO":
                i += 1
        elif a in ("-O", "--output-document") and i + 1 < len(args):
            out_name = args[i + 1]
            i += 1
        elif a.startswith("-O"):
            out_name = a[2:]
        elif a.startswith("--output-document="):
            out_name = a.split("=", 1)[1]
        elif a == "--spider":
            spider = True
        elif a in ("-T", "--timeout") and i + 1 < len(args):
            try:
                timeout = float(args[i + 1])
            except ValueError:
                _err(sh, argv, io, f"invalid number '{args[i + 1]}'")
                return 1
            i += 1
        elif a.startswith("-T") and len(a) > 2:
            timeout = float(a[2:]) if _isfloat(a[2:]) else timeout
        elif a.startswith("--timeout="):
            timeout = float(a.split("=", 1)[1])
        elif a == "--header" and i + 1 < len(args):
            k, _, v = args[i + 1].partition(":")
            headers[k.strip()] = v.strip()
            i += 1
        elif a.startswith("-") and a != "-":
            pass
        else:
            url = a
        i += 1
    if url is None:
        return _usage(sh, argv, io, None)
    m = _URL.match(url)
    if not m or (m.group(1) or "http") != "http":
        if m and m.group(1) == "https":
            _err(sh, argv, io, "note: TLS certificate validation not implemented")
            _err(sh, argv, io, "error getting response: Connection reset by peer")
            return 1
        _err(sh, argv, io, f"not an http or ftp url: {url}")
        return 1
    host, port, path = m.group(2), int(m.group(3) or 80), m.group(4) or "/"
    ip = _resolve(sh, host)
    if ip is None:
        _err(sh, argv, io, f"bad address '{host}'")
        return 1
    if not quiet:
        io.err.write(f"Connecting to {host} ({ip}:{port})\n")
    try:
        resp = _http(sh, host, ip, port, path, timeout, headers)
    except base.ConnectionRefused:
        _err(sh, argv, io, f"can't connect to remote host ({ip}): Connection refused")
        return 1
    except base.Timeout:
        r = yield Sleep(timeout)
        _err(sh, argv, io, "download timed out")
        return 1
    except LookupError:
        _err(sh, argv, io, f"bad address '{host}'")
        return 1
    if not (200 <= resp.status < 300 or resp.status in (300, 301, 302, 303, 307, 308)) or resp.status == 206:
        _err(sh, argv, io, f"server returned error: HTTP/1.1 {resp.status} {_REASONS.get(resp.status, '')}".rstrip())
        return 1
    if spider:
        if not quiet:
            io.err.write("remote file exists\n")
        return 0
    if out_name is None:
        out_name = posixpath.basename(path) or "index.html"
    body = resp.body
    if out_name == "-":
        if not quiet:
            io.err.write("writing to stdout\n")
        io.out.write(body)
        shown = "-"
    else:
        sink = sh.open_write(sh.path(out_name), out_name, False, io)
        if sink is None:
            return 1
        if not quiet:
            io.err.write(f"saving to '{out_name}'\n")
        sink.write(body)
        shown = posixpath.basename(out_name)
    if not quiet:
        size = len(body.encode())
        io.err.write(f"{shown[:20]:<20} 100% |{'*' * 32}| {_ulltoa5(size)}  0:00:00 ETA\n")
        io.err.write("written to stdout\n" if out_name == "-" else f"'{out_name}' saved\n")
    return 0


def _ulltoa5(n: int) -> str:
    """libbb smart_ulltoa5: 5 columns, scaled with k/M/G past 99999."""
    if n <= 99999:
        return f"{n:>5}"
    for unit in "kMGTPE":
        n2 = n / 1024
        if n2 < 1000:
            return (f"{n2:4.1f}{unit}" if n2 < 10 else f"{int(n2):>4}{unit}")
        n = n2
    return f"{int(n):>4}E"


def a_curl(sh, argv, io):
    args = argv[1:]
    silent = show_err = head = fail = False
    out_name, write_out, timeout, url, headers = None, None, 0.0, None, {}
    i = 0
    while i < len(args):
        a = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else None
        if a.startswith("-") and not a.startswith("--") and len(a) > 2 and a[1] not in "owHm":
            # combined short flags (-sS, -sI, -fsSL)
            rest = list(a[1:])
            args[i:i + 1] = ["-" + c for c in rest]
            continue
        if a in ("-s", "--silent"):
            silent = True
        elif a in ("-S", "--show-error"):
            show_err = True
        elif a in ("-I", "--head"):
            head = True
        elif a in ("-f", "--fail"):
            fail = True
        elif a in ("-L", "--location", "-v", "-k", "--insecure"):
            pass
        elif a in ("-o", "--output") and nxt is not None:
            out_name = nxt
            i += 1
        elif a in ("-w", "--write-out") and nxt is not None:
            write_out = nxt
            i += 1
        elif a in ("-m", "--max-time", "--connect-timeout") and nxt is not None:
            timeout = float(nxt) if _isfloat(nxt) else 0.0
            i += 1
        elif a in ("-H", "--header") and nxt is not None:
            k, _, v = nxt.partition(":")
            headers[k.strip()] = v.strip()
            i += 1
        elif a.startswith("-"):
            pass
        else:
            url = a
        i += 1

    def fail_with(code: int, msg: str) -> int:
        if not silent or show_err:
            io.err.write(f"curl: ({code}) {msg}\n")
        if write_out is not None:
            io.out.write(_curl_write_out(write_out, 0))
        return code

    if url is None:
        io.err.write("curl: try 'curl --help' or 'curl --manual' for more information\n")
        return 2
    m = _URL.match(url)
    if not m:
        return fail_with(3, "URL rejected: Malformed input to a URL function")
    if m.group(1) == "https":
        return fail_with(7, f"Failed to connect to {m.group(2)} port {m.group(3) or 443} after 0 ms: "
                            "Couldn't connect to server")
    host, port, path = m.group(2), int(m.group(3) or 80), m.group(4) or "/"
    ip = _resolve(sh, host)
    if ip is None:
        return fail_with(6, f"Could not resolve host: {host}")
    try:
        resp = _http(sh, host, ip, port, path, timeout or 300.0, headers)
    except base.ConnectionRefused:
        return fail_with(7, f"Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server")
    except base.Timeout:
        t = timeout or 300.0
        yield Sleep(t)
        return fail_with(28, f"Operation timed out after {int(t * 1000)} milliseconds with 0 bytes received"
                         if timeout else f"Failed to connect to {host} port {port} after {int(t * 1000)} ms: "
                         "Couldn't connect to server")
    except LookupError:
        return fail_with(6, f"Could not resolve host: {host}")
    if fail and resp.status >= 400:
        return fail_with(22, f"The requested URL returned error: {resp.status}")
    if head:
        lines = [f"HTTP/1.1 {resp.status} {_REASONS.get(resp.status, '')}".rstrip()]
        lines += [f"{k}: {v}" for k, v in resp.headers.items()]
        body = "\r\n".join(lines) + "\r\n\r\n"
    else:
        body = resp.body
    if out_name is not None and out_name != "-":
        sink = sh.open_write(sh.path(out_name), out_name, False, io)
        if sink is None:
            return fail_with(23, "Failure writing output to destination")
        sink.write(body)
    else:
        io.out.write(body)
    if not silent:
        size = len(body.encode())
        io.err.write("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
                     "                                 Dload  Upload   Total   Spent    Left  Speed\n"
                     f"\r100 {size:>5}  100 {size:>5}    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n")
    if write_out is not None:
        io.out.write(_curl_write_out(write_out, resp.status))
    return 0


def _curl_write_out(fmt: str, status: int) -> str:
    fmt = fmt.replace("\\n", "\n")
    return fmt.replace("%{http_code}", f"{status:03d}").replace("%{response_code}", f"{status:03d}")


def a_nslookup(sh, argv, io):
    args = [a for a in argv[1:] if not a.startswith("-")]
    if not args:
        return _usage(sh, argv, io, None)
    name = args[0]
    try:
        resolv = sh.m.fs.read("/etc/resolv.conf")
    except (OSError, ValueError):
        resolv = ""
    server, search = None, None
    for line in resolv.splitlines():
        parts = line.split(None, 1)
        if len(parts) < 2:
            continue
        if parts[0] == "nameserver" and server is None:
            server = parts[1].strip()
        elif parts[0] == "search":
            search = parts[1].split()
        elif parts[0] == "domain" and search is None:
            search = parts[1].split()
    if len(args) > 1:
        server = args[1]
    server = server or "127.0.0.1"
    net = getattr(sh.m.ctx, "network", None)
    # networking/nslookup.c (busybox 1.36): A then AAAA queries; a name without a dot is tried
    # with each search domain (add_query_with_search), a dotted name only as given. Replies are
    # printed in query order here (the real order is the arrival order).
    if "." in name or not search:
        names = [name]
    else:
        names = [f"{name}.{d}" for d in search]
    out = [f"Server:\t\t{server}", f"Address:\t{server}:53", ""]
    status = 0
    answers = {}
    for n in names:
        ips = []
        if net is not None:
            try:
                ips = net.resolve(sh.m.ctx.pod, n + ".")
            except LookupError:
                ips = []
        answers[n] = ips
    for n in names:  # A
        if answers[n]:
            for ip in answers[n]:
                out.append(f"Name:\t{n}")
                out.append(f"Address: {ip}")
            out.append("")
        else:
            out.append(f"** server can't find {n}: NXDOMAIN")
            out.append("")
            status = 1
    for n in names:  # AAAA: the cluster has no IPv6 records (NODATA prints an empty line)
        if answers[n]:
            out.append("")
        else:
            out.append(f"** server can't find {n}: NXDOMAIN")
            out.append("")
    io.out.write("\n".join(out) + "\n")
    return status


def a_nc(sh, argv, io):
    args = argv[1:]
    zero, verbose, timeout, ops = False, False, 0.0, []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and len(a) > 1:
            if "w" in a and i + 1 < len(args) and a.endswith("w"):
                timeout = float(args[i + 1]) if _isfloat(args[i + 1]) else 0.0
                i += 1
            zero = zero or "z" in a
            verbose = verbose or "v" in a
        else:
            ops.append(a)
        i += 1
    if len(ops) < 2 or not ops[1].isdigit():
        return _usage(sh, argv, io, None)
    host, port = ops[0], int(ops[1])
    ip = _resolve(sh, host)
    if ip is None:
        _err(sh, argv, io, f"bad address '{host}'")
        return 1
    try:
        if ip.startswith("127."):
            sh.m.local_tcp(port)
        else:
            sh.m.ctx.network.tcp_connect(sh.m.ctx.pod, ip, port, timeout=timeout or 1.0)
    except (base.ConnectionRefused, base.Timeout, LookupError, AttributeError, TypeError):
        if verbose:
            _err(sh, argv, io, f"{host} ({ip}:{port}): Connection refused")
        return 1
    if verbose:
        io.err.write(f"{host} ({ip}:{port}) open\n")
    return 0


def a_ping(sh, argv, io):
    _err(sh, argv, io, "ICMP is not simulated by labsim (use wget, curl or nc to test connectivity)")
    return 2


APPLETS = {
    "echo": a_echo, "printf": a_printf, "test": a_test, "[": a_test, "cat": a_cat, "touch": a_touch,
    "rm": a_rm, "rmdir": a_rmdir, "mkdir": a_mkdir, "ls": a_ls, "cp": a_cp, "mv": a_mv, "wc": a_wc,
    "head": a_head, "tail": a_tail, "grep": a_grep, "egrep": a_grep, "sed": a_sed, "tr": a_tr,
    "cut": a_cut, "sort": a_sort, "uniq": a_uniq, "tee": a_tee, "seq": a_seq, "expr": a_expr,
    "sleep": a_sleep, "true": a_true, "false": a_false, "env": a_env, "printenv": a_printenv,
    "hostname": a_hostname, "date": a_date, "id": a_id, "whoami": a_whoami, "uname": a_uname,
    "basename": a_basename, "dirname": a_dirname, "which": a_which, "yes": a_yes, "kill": a_kill,
    "ps": a_ps, "wget": a_wget, "curl": a_curl, "nslookup": a_nslookup, "nc": a_nc, "ping": a_ping,
    "pwd": lambda sh, argv, io: (io.out.write(sh.cwd + "\n"), 0)[1],
    "sh": None, "ash": None, "bash": None,
}

#: The applets of the busybox image (``busybox --list``, restricted to what labsim models).
BUSYBOX_APPLETS = frozenset(k for k in APPLETS if k not in ("curl", "bash"))
#: Programs of a Debian-based image (coreutils, grep, sed, procps, curl, bash).
DEBIAN_PROGRAMS = frozenset(k for k in APPLETS if k not in ("wget", "nslookup", "nc", "ping", "ash"))
