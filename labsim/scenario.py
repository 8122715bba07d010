"""Scenario scripts: what a learner would type in a shell, played against a simulated cluster.

    $ python -m labsim run scenario.sh --seed 0 --nodes 1

A script is a small subset of POSIX shell (bash) in which the only program is kubectl::

    # comments and blank lines are ignored
    kubectl create deployment web --image=nginx:1.27 --replicas=2
    kubectl get pods -w                 # stays open until the next kubectl command
    sleep 40                            # passes 40 simulated seconds; prints the watch's rows
    kubectl apply -f - <<EOF            # heredoc: the body is kubectl's stdin
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings}
    EOF
    cat <<'EOF' > pod.yaml              # writes a file into the workspace
    ...
    EOF
    kubectl apply -f pod.yaml
    kubectl get deploy web -o yaml > web.yaml
    kubectl create deployment api --image=nginx --dry-run=client -o yaml | kubectl apply -f -
    echo "done"

Supported shell syntax: words with ``'...'``, ``"..."`` and backslash quoting; ``\\`` line
continuations; ``#`` comments; heredocs ``<<EOF``, ``<<'EOF'``, ``<<"EOF"`` and ``<<-EOF`` (leading
tabs stripped); redirections ``< file``, ``> file``, ``>> file``; pipelines ``a | b``; lists
``a && b``, ``a || b``, ``a ; b``. Commands: ``kubectl ...`` (a leading ``kubectl`` is required),
``sleep DURATION...`` (``40``, ``2m``, ``1m30s``, ``0.5``; several arguments add up, as GNU sleep),
``echo [-n] [-e] TEXT...`` and ``cat [FILE...]``.

Decisions (documented here because a shell could do otherwise):

* **Workspace.** Relative paths (``kubectl apply -f pod.yaml``, ``cat > pod.yaml``) resolve in the
  workspace: :func:`run_script` uses a fresh temporary directory unless ``workdir`` is given (so a
  grader's run never touches the disk around it); the command line ``labsim run FILE`` uses the
  script's own directory, as ``cd $(dirname FILE) && bash FILE`` would (``--tmp`` for a temporary one).
* **No expansion.** ``$NAME`` stays as written, in words and in heredocs (as if every heredoc were
  ``<<'EOF'``), because the learner's own shell variables have no meaning in the simulated cluster;
  backslash escapes (``\\$``) are still removed as bash does. Command substitution (``$(...)``,
  backquotes) is an error, as are background jobs (``&``) and file-descriptor redirections (``2>``).
* **Transcript.** Each command is shown as an interactive terminal shows it: ``$ `` before the first
  line, ``> `` before continuation lines and heredoc body lines (bash's PS2), then its output with
  stdout and stderr interleaved as written (``Result.output``). Comments and blank lines are not
  shown. ``sleep 40`` is shown as ``$ sleep 40`` followed by the rows open watches printed meanwhile.
* **Watches.** ``kubectl get -w`` keeps printing rows while time passes (``sleep``) and ends when the
  next kubectl command runs (rows it printed just before are shown first). ``echo``, ``cat`` and
  ``sleep`` do not end it.
* **Confinement.** ``cat``, ``echo`` and redirections read and write only inside the workspace
  (``cat > /etc/x`` prints ``bash: /etc/x: outside the scenario's workspace``), because graders run
  learners' scripts. (``kubectl -f`` reads files through kubectl's own file visitor.)
* **Exit status.** A kubectl command that fails prints its error and the script goes on (as a shell
  without ``set -e``). Only a malformed script (unknown command word, unterminated heredoc or quote,
  bad ``sleep`` argument, unsupported shell syntax) is an error: :class:`ScriptError` with the line
  number, raised before anything runs.

Determinism: the cluster's seed and its simulated clock fix everything, so the same script with the
same seed and node count gives a byte-identical transcript in any process.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Callable

from labsim.clock import parse_duration

__all__ = ["ScriptError", "Step", "parse_script", "run_steps", "run_script", "format_transcript", "Runner"]

#: the command words a script may use
COMMANDS = ("kubectl", "sleep", "echo", "cat")


class ScriptError(Exception):
    """A malformed scenario script; ``lineno`` is 1-based."""

    def __init__(self, lineno: int, message: str, filename: str = "<script>"):
        super().__init__(f"{filename}:{lineno}: {message}")
        self.lineno = lineno
        self.message = message
        self.filename = filename


# -- the syntax tree ---------------------------------------------------------------------------

@dataclass
class Redirect:
    op: str  # "<", ">", ">>", "<<", "<<-"
    target: str  # file name, or the heredoc delimiter
    body: str | None = None  # heredoc body, after tab stripping and unescaping


@dataclass
class SimpleCommand:
    argv: list[str]
    redirects: list[Redirect] = field(default_factory=list)

    @property
    def stdin_heredoc(self) -> str | None:
        body = None
        for r in self.redirects:
            if r.op in ("<<", "<<-"):
                body = r.body
        return body


@dataclass
class CommandLine:
    """One logical command line: pipelines joined by ``;``, ``&&``, ``||``."""

    lineno: int
    typed: str  # as typed: physical lines plus heredoc bodies and delimiter lines
    items: list[tuple[str, list[SimpleCommand]]]  # (operator before it: "" | ";" | "&&" | "||", pipeline)

    @property
    def first(self) -> SimpleCommand:
        return self.items[0][1][0]


class _NeedMore(Exception):
    """The logical line continues on the next physical line (open quote or trailing backslash)."""


# -- lexer ---------------------------------------------------------------------------------------

_OPERATORS = ("<<-", "<<", ">>", ">|", "&&", "||", "<", ">", "|", ";", "&")
_SPECIAL = set(" \t\n'\"\\<>|;&")


def _lex(text: str, lineno: int, filename: str) -> list[tuple[str, str, bool]]:
    """Split a logical line into ``(kind, value, quoted)`` tokens (kind ``word`` or ``op``)."""
    tokens: list[tuple[str, str, bool]] = []
    i, n = 0, len(text)

    def fail(msg: str):
        raise ScriptError(lineno, msg, filename)

    while i < n:
        c = text[i]
        if c in " \t\n":
            i += 1
            continue
        if c == "#":  # a comment starts at the beginning of a word and runs to the end of the line
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
        if op:
            if op == "&":
                fail("background jobs ('&') are not supported in scenario scripts")
            tokens.append(("op", ">" if op == ">|" else op, False))
            i += len(op)
            continue
        # a word
        buf: list[str] = []
        quoted = False
        while i < n:
            c = text[i]
            if c in " \t\n":
                break
            if c in "<>|;&":
                if c in "<>" and buf and not quoted and "".join(buf).isdigit():
                    fail(f"file-descriptor redirections ('{''.join(buf)}{c}') are not supported in scenario scripts")
                break
            if c == "\\":
                if i + 1 >= n:
                    raise _NeedMore
                if text[i + 1] == "\n":  # line continuation
                    i += 2
                    continue
                buf.append(text[i + 1])
                quoted = True
                i += 2
                continue
            if c == "'":
                j = text.find("'", i + 1)
                if j < 0:
                    raise _NeedMore
                buf.append(text[i + 1:j])
                quoted = True
                i = j + 1
                continue
            if c == '"':
                quoted = True
                i += 1
                while True:
                    if i >= n:
                        raise _NeedMore
                    c = text[i]
                    if c == '"':
                        i += 1
                        break
                    if c == "\\" and i + 1 < n and text[i + 1] in '$`"\\\n':
                        if text[i + 1] != "\n":
                            buf.append(text[i + 1])
                        i += 2
                        continue
                    if c == "\\" and i + 1 >= n:
                        raise _NeedMore
                    if c == "`" or text.startswith("$(", i):
                        fail("command substitution ('$(...)' or backquotes) is not supported in scenario scripts")
                    buf.append(c)
                    i += 1
                continue
            if c == "`" or text.startswith("$(", i):
                fail("command substitution ('$(...)' or backquotes) is not supported in scenario scripts")
            buf.append(c)
            i += 1
        if buf or quoted:  # a lone line continuation is no word
            tokens.append(("word", "".join(buf), quoted))
    return tokens


def _unescape_heredoc(body: str) -> str:
    """Backslash handling in an unquoted heredoc body (bash: ``\\$``, ``\\```, ``\\\\``, ``\\newline``)."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == "\\" and i + 1 < n and body[i + 1] in "$`\\\n":
            if body[i + 1] != "\n":
                out.append(body[i + 1])
            i += 2
            continue
        if c == "`" or body.startswith("$(", i):
            raise ValueError("command substitution")
        out.append(c)
        i += 1
    return "".join(out)


# -- parser ----------------------------------------------------------------------------------------

def parse_script(text: str, filename: str = "<script>") -> list[CommandLine]:
    """Parse a whole script; raises :class:`ScriptError` (with the line number) if it is malformed."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    out: list[CommandLine] = []
    i = 0
    while i < len(lines):
        start = i
        logical = lines[i]
        i += 1
        while True:
            try:
                tokens = _lex(logical, start + 1, filename)
                break
            except _NeedMore:
                if i >= len(lines):
                    what = "quote" if _open_quote(logical) else "line continuation ('\\' at the end of the script)"
                    raise ScriptError(start + 1, f"unterminated {what}", filename) from None
                logical += "\n" + lines[i]
                i += 1
        typed_lines = lines[start:i]
        if not tokens:
            continue
        items, heredocs = _parse_tokens(tokens, start + 1, filename)
        # heredoc bodies follow the command's last physical line, in order
        for redirect, quoted in heredocs:
            delim = redirect.target
            body_lines: list[str] = []
            while True:
                if i >= len(lines):
                    raise ScriptError(start + 1, f"unterminated heredoc: here-document at line {start + 1} "
                                                 f"delimited by end-of-file (wanted '{delim}')", filename)
                ln = lines[i]
                typed_lines.append(ln)
                i += 1
                cmp = ln.lstrip("\t") if redirect.op == "<<-" else ln
                if cmp == delim:
                    break
                body_lines.append(cmp)
            body = "".join(b + "\n" for b in body_lines)
            if not quoted:
                try:
                    body = _unescape_heredoc(body)
                except ValueError:
                    raise ScriptError(start + 1, "command substitution ('$(...)' or backquotes) is not supported "
                                                 "in scenario scripts (quote the delimiter: <<'EOF')",
                                      filename) from None
            redirect.body = body
        typed = "$ " + "\n> ".join(typed_lines)
        out.append(CommandLine(start + 1, typed, items))
    return out


def _open_quote(text: str) -> bool:
    q = None
    i = 0
    while i < len(text):
        c = text[i]
        if q is None and c == "\\":
            i += 2
            continue
        if q == '"' and c == "\\":
            i += 2
            continue
        if c in "'\"" and (q is None or q == c):
            q = None if q == c else c
        i += 1
    return q is not None


def _parse_tokens(tokens, lineno: int, filename: str):
    """Tokens -> list items of pipelines of simple commands; also returns the heredocs in order."""
    def fail(msg: str):
        raise ScriptError(lineno, msg, filename)

    items: list[tuple[str, list[SimpleCommand]]] = []
    heredocs: list[tuple[Redirect, bool]] = []
    pipeline: list[SimpleCommand] = []
    cmd = SimpleCommand([])
    sep = ""
    k = 0

    def end_command(op: str):
        if not cmd.argv:
            if cmd.redirects:
                fail("a redirection without a command is not supported in scenario scripts")
            fail(f"syntax error near unexpected token '{op}'")
        pipeline.append(cmd)

    while k < len(tokens):
        kind, value, quoted = tokens[k]
        if kind == "word":
            cmd.argv.append(value)
            k += 1
            continue
        if value in ("<", ">", ">>", "<<", "<<-"):
            if k + 1 >= len(tokens) or tokens[k + 1][0] != "word":
                fail("syntax error near unexpected token 'newline'" if k + 1 >= len(tokens)
                     else f"syntax error near unexpected token '{tokens[k + 1][1]}'")
            target, tquoted = tokens[k + 1][1], tokens[k + 1][2]
            r = Redirect(value, target)
            cmd.redirects.append(r)
            if value in ("<<", "<<-"):
                heredocs.append((r, tquoted))
            k += 2
            continue
        # | ; && ||
        end_command(value)
        if value == "|":
            cmd = SimpleCommand([])
            k += 1
            if k >= len(tokens):
                fail("syntax error: a pipeline cannot end with '|'")
            continue
        items.append((sep, pipeline))
        pipeline, cmd, sep = [], SimpleCommand([]), value
        k += 1
        if k >= len(tokens):
            if value == ";":
                return items, heredocs
            fail(f"syntax error: a list cannot end with '{value}'")
    end_command("newline")
    items.append((sep, pipeline))
    for _, pl in items:
        for c in pl:
            _check_command(c, lineno, filename)
    return items, heredocs


def _check_command(cmd: SimpleCommand, lineno: int, filename: str) -> None:
    word = cmd.argv[0]
    if word not in COMMANDS:
        raise ScriptError(lineno, f"unknown command '{word}': a scenario line runs kubectl, sleep, echo or cat",
                          filename)
    if word == "sleep":
        if len(cmd.argv) < 2:
            raise ScriptError(lineno, "sleep: missing operand", filename)
        for arg in cmd.argv[1:]:
            try:
                seconds = parse_duration(arg)
            except ValueError:
                seconds = -1.0
            if seconds < 0:
                raise ScriptError(lineno, f"sleep: invalid time interval '{arg}'", filename)


def sleep_seconds(argv: list[str]) -> float:
    """GNU sleep adds up its arguments: ``sleep 1m 30s`` sleeps 90 s."""
    return sum(parse_duration(a) for a in argv[1:])


# -- running ---------------------------------------------------------------------------------------

@dataclass
class Step:
    """One command line of a script, as it ran.

    ``time`` is the cluster's simulated time (seconds since boot) when it started and ``t`` the
    seconds since the script started; ``output`` is what the terminal showed after the typed command
    (including rows open watches printed until the next command); ``results`` the kubectl results in
    the order they ran; ``exit_code`` the shell status of the line."""

    lineno: int
    typed: str
    argv: list[str]
    stdin: str | None
    time: float
    t: float
    output: str = ""
    results: list = field(default_factory=list)
    exit_code: int = 0

    @property
    def command(self) -> str:
        """The command as typed, without the prompt and heredoc bodies (first physical line)."""
        return self.typed[2:].split("\n", 1)[0]

    @property
    def kind(self) -> str:
        return self.argv[0] if self.argv else ""

    @property
    def result(self):
        """The last kubectl :class:`~labsim.kubectl.Result` of the line (None if it ran none)."""
        return self.results[-1] if self.results else None


class Runner:
    """Runs parsed command lines against one cluster.

    ``echo_commands`` prints each typed command (the transcript) ; ``stop_watches`` ends open
    ``get -w`` streams when a kubectl command runs (scripts) rather than leaving that to the caller
    (notebook cells). ``emit`` receives text as the terminal would show it. ``confine`` keeps
    ``cat``/``echo`` file access and redirections inside ``cluster.workdir``."""

    def __init__(self, cluster, *, echo_commands: bool = True, stop_watches: bool = True,
                 emit: Callable[[str], None] | None = None, confine: bool = False):
        self.cluster = cluster
        self.confine = confine
        self.echo_commands = echo_commands
        self.stop_watches = stop_watches
        self.emit = emit or (lambda text: None)
        self.start = cluster.clock.now
        self.steps: list[Step] = []

    def _show(self, text: str, step: Step | None = None) -> None:
        if text:
            if step is not None:
                step.output += text
            self.emit(text)

    def run(self, lines: list[CommandLine]) -> list[Step]:
        for line in lines:
            self.run_line(line)
        return self.steps

    def finish(self) -> str:
        """End of the script: rows printed since the last command, then the watches end."""
        from labsim.kubectl.watch import collect_watch_output

        last = self.steps[-1] if self.steps else None
        text = collect_watch_output(self.cluster)
        if self.stop_watches:
            text += self.cluster.stop_watches()
        self._show(text, last)
        return text

    def run_line(self, line: CommandLine) -> Step:
        from labsim.kubectl.watch import collect_watch_output

        # rows open watches printed since the previous command belong before this prompt
        if self.steps:
            self._show(collect_watch_output(self.cluster), self.steps[-1])
        first = line.first
        step = Step(line.lineno, line.typed, list(first.argv), first.stdin_heredoc,
                    self.cluster.clock.now, self.cluster.clock.now - self.start)
        self.steps.append(step)
        if self.echo_commands:
            self.emit(line.typed + "\n")
        status = 0
        for op, pipeline in line.items:
            if (op == "&&" and status != 0) or (op == "||" and status == 0):
                continue
            status = self._run_pipeline(pipeline, step)
        step.exit_code = status
        return step

    def _path(self, name: str) -> str:
        path = self.cluster.resolve_path(name)
        root = self.cluster.workdir
        if self.confine and root:
            real, real_root = os.path.realpath(path), os.path.realpath(root)
            if real != real_root and not real.startswith(real_root + os.sep):
                raise OutsideWorkspace(name)
        return path

    def _run_pipeline(self, pipeline: list[SimpleCommand], step: Step) -> int:
        stdin: str | None = None
        status = 0
        for idx, cmd in enumerate(pipeline):
            last = idx == len(pipeline) - 1
            # redirections: the last '<' / heredoc wins for stdin, the last '>' for stdout (bash order)
            out_file: tuple[str, str] | None = None
            failed = False
            for r in cmd.redirects:
                if r.op in ("<<", "<<-"):
                    stdin = r.body
                elif r.op == "<":
                    try:
                        with open(self._path(r.target), encoding="utf-8", errors="surrogateescape") as f:
                            stdin = f.read()
                    except OSError as e:
                        self._show(f"bash: {r.target}: {_os_message(e)}\n", step)
                        failed = True
                        break
                else:
                    out_file = (r.op, r.target)
                    try:  # bash opens (and truncates) the file before the command runs
                        with open(self._path(r.target), "a" if r.op == ">>" else "w", encoding="utf-8"):
                            pass
                    except OSError as e:
                        self._show(f"bash: {r.target}: {_os_message(e)}\n", step)
                        failed = True
                        break
            if failed:
                status, stdin = 1, ""
                continue
            piped = out_file is not None or not last
            stdout, status = self._run_command(cmd, stdin, step, piped)
            if out_file is not None:
                with open(self._path(out_file[1]), "a", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(stdout)
                stdout = ""
            stdin = stdout if not last else None
        return status

    def _run_command(self, cmd: SimpleCommand, stdin: str | None, step: Step, piped: bool) -> tuple[str, int]:
        """Run one command. Returns (stdout not shown because it goes to a pipe or file, status)."""
        word, args = cmd.argv[0], cmd.argv[1:]
        if word == "kubectl":
            from labsim.kubectl import run

            result = run(self.cluster, cmd.argv, stdin=stdin, stop_watches=self.stop_watches)
            step.results.append(result)
            if piped:
                self._show("".join(t for s, t in result.chunks if s == "stderr"), step)
                return result.stdout, result.exit_code
            self._show(result.output, step)
            return "", result.exit_code
        if word == "sleep":
            rows = self.cluster.advance(sleep_seconds(cmd.argv))
            self._show(rows, step)
            return "", 0
        if word == "echo":
            text = _echo(args)
        else:  # cat
            text, status, errors = self._cat(args, stdin)
            self._show(errors, step)
            if piped:
                return text, status
            self._show(text, step)
            return "", status
        if piped:
            return text, 0
        self._show(text, step)
        return "", 0

    def _cat(self, args: list[str], stdin: str | None) -> tuple[str, int, str]:
        if not args:
            args = ["-"]
        out, errors, status = [], [], 0
        for name in args:
            if name == "-":
                out.append(stdin or "")
                continue
            try:
                with open(self._path(name), encoding="utf-8", errors="surrogateescape") as f:
                    out.append(f.read())
            except OSError as e:
                errors.append(f"cat: {name}: {_os_message(e)}\n")
                status = 1
        return "".join(out), status, "".join(errors)


class OutsideWorkspace(PermissionError):
    """``echo`` / ``cat`` / redirections in a script stay inside its workspace (graders run
    learners' scripts; ``cat > /etc/x`` or ``< ../../secret`` must not reach the disk around it)."""


def _os_message(e: OSError) -> str:
    if isinstance(e, OutsideWorkspace):
        return "outside the scenario's workspace"
    if isinstance(e, FileNotFoundError):
        return "No such file or directory"
    if isinstance(e, IsADirectoryError):
        return "Is a directory"
    if isinstance(e, PermissionError):
        return "Permission denied"
    return e.strerror or str(e)


def _echo(args: list[str]) -> str:
    """bash's builtin echo: ``-n`` (no newline), ``-e`` (escapes), ``-E``; other words are text."""
    newline, escapes = True, False
    while args and len(args[0]) > 1 and args[0][0] == "-" and set(args[0][1:]) <= set("neE"):
        for ch in args[0][1:]:
            if ch == "n":
                newline = False
            elif ch == "e":
                escapes = True
            else:
                escapes = False
        args = args[1:]
    text = " ".join(args)
    if escapes:
        for a, b in (("\\n", "\n"), ("\\t", "\t"), ("\\\\", "\\")):
            text = text.replace(a, b)
    return text + ("\n" if newline else "")


def run_steps(text: str, seed: int | str = 0, nodes: int = 1, workdir: str | None = None, *,
              cluster=None, filename: str = "<script>", emit: Callable[[str], None] | None = None) -> list[Step]:
    """Run a script on a fresh ``Cluster(seed, nodes, workdir=...)`` (or on ``cluster``) and return
    its steps. With ``workdir=None`` relative paths resolve in a temporary directory removed after."""
    lines = parse_script(text, filename)  # malformed scripts fail before anything runs
    if cluster is not None:
        return _run_on(cluster, lines, emit)
    from labsim.cluster import Cluster

    if workdir is not None:
        return _run_on(Cluster(seed=seed, nodes=nodes, workdir=os.path.abspath(workdir)), lines, emit)
    with tempfile.TemporaryDirectory(prefix="labsim-scenario-") as tmp:
        return _run_on(Cluster(seed=seed, nodes=nodes, workdir=tmp), lines, emit)


def _run_on(cluster, lines: list[CommandLine], emit) -> list[Step]:
    runner = Runner(cluster, emit=emit, confine=True)
    runner.run(lines)
    runner.finish()
    return runner.steps


def format_transcript(steps: list[Step]) -> str:
    """The transcript of steps: each typed command after ``$ `` and its output."""
    return "".join(s.typed + "\n" + s.output for s in steps)


def run_script(text: str, seed: int | str = 0, nodes: int = 1, workdir: str | None = None) -> str:
    """Run a scenario script on a fresh cluster and return its transcript."""
    return format_transcript(run_steps(text, seed=seed, nodes=nodes, workdir=workdir))

