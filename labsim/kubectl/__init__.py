"""The kubectl front end: ``run(cluster, "get pods -o wide")`` prints what kubectl v1.32 prints.

kubectl is a client: it parses the command line (``cli``), reads and decodes files, talks to the
API server (``cluster.api``) and formats what comes back (``printers``). Errors are formatted as
``cmd/util/helpers.go`` ``checkErr`` does (``errors``). Each verb lives in ``commands/<verb>.py``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from labsim import errors as api_errors
from labsim.kubectl import cli
from labsim.kubectl.errors import format_error

__all__ = ["Result", "Invocation", "run"]


@dataclass
class Result:
    """What one kubectl command printed: stdout, stderr, exit code, and both streams interleaved
    in the order they were written (as a terminal shows them)."""

    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0
    chunks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(text for _, text in self.chunks)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def __str__(self) -> str:
        out = self.output
        return out[:-1] if out.endswith("\n") else out

    def __repr__(self) -> str:
        return f"Result(exit_code={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"

    def _repr_pretty_(self, p, cycle) -> None:  # IPython display: the terminal view
        p.text(str(self))


class Invocation:
    """One running kubectl command: its parsed flags, arguments, streams and cluster."""

    def __init__(self, cluster, parsed: cli.ParsedCommand, stdin: str | None):
        self.cluster = cluster
        self.api = cluster.api
        self.path = parsed.path
        self.args = parsed.args
        self.opts = parsed.opts
        self.args_len_at_dash = parsed.args_len_at_dash
        self.argv = parsed.argv
        self.stdin = stdin
        self.result = Result()

    # -- output ------------------------------------------------------------------------------
    def out(self, text: str) -> None:
        if text:
            self.result.stdout += text
            self.result.chunks.append(("stdout", text))

    def err(self, text: str) -> None:
        if text:
            self.result.stderr += text
            self.result.chunks.append(("stderr", text))

    def println(self, line: str = "") -> None:
        self.out(line + "\n")

    def eprintln(self, line: str = "") -> None:
        self.err(line + "\n")

    def warn(self, message: str) -> None:
        """A server warning, as kubectl prints them (``Warning: ...`` on stderr)."""
        self.eprintln(f"Warning: {message}")

    # -- context -----------------------------------------------------------------------------
    @property
    def namespace(self) -> str:
        return self.opts.get("namespace") or self.cluster.kubeconfig.namespace

    @property
    def namespace_explicit(self) -> bool:
        return bool(self.opts.get("namespace"))

    @property
    def now(self) -> float:
        return self.cluster.clock.now

    def read_file(self, path: str) -> str:
        """Read a ``-f`` argument (``-`` is stdin) as kubectl's file visitor does."""
        if path == "-":
            return self.stdin or ""
        real = self.cluster.resolve_path(path)
        if not os.path.exists(real):
            raise api_errors.KubectlError(f'the path "{path}" does not exist')
        with open(real, "rb") as f:
            data = f.read()
        return data.decode("utf-8", errors="surrogateescape")

    def change_cause(self) -> str:
        """``kubectl`` + positional words + every given flag as ``--long=value`` (record_flags.go)."""
        words = ["kubectl", *self.path.split(), *[a for a in self.args]]
        for long, raw in self.opts.given:
            spec = cli.flag_specs(self.path)[long]
            value = "true" if spec.type == "bool" and raw == "" else raw
            words.append(f"--{long}={value}")
        return " ".join(w for w in words if w)

    def fail(self, message: str) -> None:
        raise api_errors.KubectlError(message)


def run(cluster, command: str | list[str], stdin: str | None = None, *, stop_watches: bool = True) -> Result:
    """Run one kubectl command line against ``cluster``.

    Open ``get -w`` streams end when a new command is typed (``stop_watches``), as in a script; the
    notebook magics keep them open until the end of the cell instead."""
    from labsim.kubectl.watch import stop_watches_for_new_command

    argv = cli.split_command_line(command) if isinstance(command, str) else list(command)
    if argv and argv[0] == "kubectl":
        argv = argv[1:]
    if stop_watches:
        stop_watches_for_new_command(cluster)
    result = _dispatch(cluster, argv, stdin)
    cluster.settle()
    return result


def _usage_error(result: Result, message: str, path: str) -> Result:
    text = f"Error: {message}\nSee 'kubectl{(' ' + path) if path else ''} --help' for usage.\n"
    result.stderr += text
    result.chunks.append(("stderr", text))
    result.exit_code = 1
    return result


def _dispatch(cluster, argv: list[str], stdin: str | None) -> Result:
    data = cli.cli_data()
    result = Result()
    path, rest = cli.find_command(argv)
    node = data.get(path, {})
    handlers = cli.handlers()
    # kubectl (or a group) followed by a word that is no command
    positional = [a for a in rest if not a.startswith("-")]
    if path == "" and positional:
        flags_before = [a for a in argv[: argv.index(positional[0])] if a.startswith("-")] \
            if positional[0] in argv else []
        if flags_before and flags_before[0] not in ("-n", "--namespace", "--context", "--kubeconfig") \
                and not any(flags_before[0].startswith(p) for p in ("-n", "--namespace=", "--context=")):
            text = f"Error: flags cannot be placed before plugin name: {flags_before[0]}\n"
            result.stderr, result.exit_code = text, 1
            result.chunks.append(("stderr", text))
            return result
        word = positional[0]
        text = f'Error: unknown command "{word}" for "kubectl"\n'
        sugg = cli.suggestions(word, node.get("subcommands", []))
        if sugg:
            text += "\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in sugg) + "\n"
        result.stderr, result.exit_code = text, 1
        result.chunks.append(("stderr", text))
        return result
    try:
        parsed = cli.parse_flags(path, rest)
    except cli.UsageError as e:
        return _usage_error(result, str(e), path)
    if parsed.opts.get("help"):
        result.stdout = node.get("help", "")
        result.chunks.append(("stdout", result.stdout))
        return result
    handler = handlers.get(path)
    if handler is None:
        if path == "":
            result.stdout = node.get("help", "")
            result.chunks.append(("stdout", result.stdout))
            return result
        if path == "options":
            result.stdout = node.get("help", "")
            result.chunks.append(("stdout", result.stdout))
            return result
        if node.get("subcommands"):
            if parsed.args:
                text = f'error: unknown command "{parsed.args[0]}"\nSee \'kubectl {path} -h\' for help and examples\n'
                result.stderr = text
                result.chunks.append(("stderr", text))
            else:
                # a command group without its sub-command prints its help and fails
                result.stdout = node.get("help", "")
                result.chunks.append(("stdout", result.stdout))
            result.exit_code = 1
            return result
        text = f'error: "kubectl {path}" is not available in this simulated cluster\n'
        result.stderr, result.exit_code = text, 1
        result.chunks.append(("stderr", text))
        return result
    inv = Invocation(cluster, parsed, stdin)
    for long, _raw in parsed.opts.given:
        if long in cli.DEPRECATED_FLAGS:
            inv.eprintln(f"Flag --{long} has been deprecated, {cli.DEPRECATED_FLAGS[long]}")
            break
    try:
        handler(inv)
    except cli.UsageError as e:
        inv.err(f"Error: {e}\nSee 'kubectl {path} --help' for usage.\n")
        inv.result.exit_code = 1
    except (api_errors.StatusError, api_errors.KubectlError) as e:
        inv.err(format_error(e))
        inv.result.exit_code = getattr(e, "exit_code", 1) or 1
    return inv.result
