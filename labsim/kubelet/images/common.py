"""What every server image model shares: the command line the runtime builds, the environment,
``exec`` through the shell, and "not my program" fallbacks.

The runtime builds a container's argv as Docker/containerd do (kubernetes docs "Define a Command
and Arguments for a Container"): ``command`` replaces the image ENTRYPOINT and, when given, also
drops the image CMD; ``args`` replaces CMD.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from labsim.kubelet.images.base import SIGKILL, SIGNAL_NUMBERS, ContainerProcess, ExecResult

if TYPE_CHECKING:  # pragma: no cover
    from labsim.kubelet.images.catalog import ImageInfo

#: extra signal numbers the image stop signals use (Linux x86-64)
SIGNALS = dict(SIGNAL_NUMBERS, SIGHUP=1, SIGUSR1=10, SIGUSR2=12, SIGCHLD=17, SIGWINCH=28, SIGPWR=30)


def container_argv(info: "ImageInfo", command: list[str] | None, args: list[str] | None) -> list[str]:
    if command:
        return list(command) + list(args or [])
    return list(info.entrypoint) + (list(args) if args is not None else list(info.cmd))


def container_env(info: "ImageInfo", spec_env: dict[str, str], hostname: str) -> dict[str, str]:
    """The process environment: PATH/HOSTNAME/HOME as the runtime sets them, the image's ENV,
    then the container's ``env`` (which wins)."""
    env: dict[str, str] = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
    env["HOSTNAME"] = hostname
    env.update(info.env)
    env.update(spec_env or {})
    env.setdefault("HOME", "/root")
    return env


def shell_module():
    """Engineer 3's shell (``labsim.kubelet.images.shell``), or None while it does not exist."""
    try:
        from labsim.kubelet.images import shell  # noqa: PLC0415 - optional, lands separately
    except ImportError:
        return None
    return shell


def not_found_result(argv: list[str]) -> ExecResult:
    # containerd/runc: the text `kubectl exec` prints after "OCI runtime exec failed: ..."
    name = argv[0] if argv else ""
    return ExecResult(126, error=f'exec: "{name}": executable file not found in $PATH')


class ImageProcess(ContainerProcess):
    """Base of the server models: knows its image, its argv and how to hand over to the shell."""

    #: resident memory (bytes) the process reports once started
    baseline_memory = 4 * 1024 * 1024

    def __init__(self, ctx, info: "ImageInfo"):
        super().__init__(ctx)
        self.info = info
        spec = ctx.spec
        self.argv = container_argv(info, spec.command, spec.args)
        self.env = container_env(info, spec.env, ctx.hostname)
        self.workdir = spec.working_dir or info.working_dir or "/"
        self.delegate = None  # a shell process running as PID 1 instead of the server
        self._timers: list = []

    # -- time helpers ----------------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.ctx.clock.now

    def later(self, delay: float, fn, *args):
        t = self.ctx.clock.call_later(delay, fn, *args)
        self._timers.append(t)
        return t

    def _cancel_timers(self) -> None:
        for t in self._timers:
            t.cancel()
        self._timers.clear()

    def _die(self, code: int, reason: str | None = None) -> None:
        self._cancel_timers()
        super()._die(code, reason)

    def fail_start(self, message: str, code: int = 128) -> None:
        """The runtime could not start the process (``RunContainerError``/``StartError``)."""
        self.running = False
        self.ctx.exited(code, "StartError", message)

    # -- the shell engine (engineer 3's labsim.kubelet.images.shell) ------------------------------
    #: which programs the image has for ``kubectl exec``: Debian-based images have bash, curl
    #: and coreutils ("debian"); alpine-based ones busybox applets ("busybox")
    shell_programs = "debian"

    def shell_context(self):
        """The context the shell sees: the process environment (image ENV + container env) and
        working directory of this container, the rest delegated to the kubelet's context."""
        spec = dataclasses.replace(self.ctx.spec, env=dict(self.env), working_dir=self.workdir)
        return _ShellContext(self.ctx, spec)

    @property
    def machine(self):
        """The shell engine's per-instance state, hooked to this server: ``curl localhost``
        reaches it, ``kill 1`` signals it, ``ps`` lists it."""
        m = getattr(self, "_machine", None)
        if m is None:
            shell = shell_module()
            if shell is None or not hasattr(shell, "Machine"):
                return None
            if self.shell_programs == "busybox":
                commands, shells = set(shell.BUSYBOX_APPLETS), {"sh", "ash"}
            else:  # Debian: /bin/sh is dash, bash is installed
                commands, shells = set(shell.DEBIAN_PROGRAMS), {"sh", "bash", "dash"}
            m = shell.Machine(self.shell_context(), commands=commands | shells, shells=shells)
            m.local_http = lambda port, path, headers=None: self.http_get(port, path, headers, client_ip="127.0.0.1")
            m.local_tcp_fn = self.tcp_connect
            m.pid1_signal = self.signal
            m.pid1_cmdline = self.pid1_cmdline()
            self._machine = m
        return m

    def pid1_cmdline(self) -> str:
        """PID 1's command line as ``ps`` shows it (after the entrypoint's ``exec "$@"``)."""
        argv = list(self.argv)
        if len(argv) > 1 and argv[0].split("/")[-1] in ("docker-entrypoint.sh", "entrypoint.sh"):
            argv = argv[1:]
        return " ".join(argv)

    # -- PID 1 that is not the server ------------------------------------------------------------
    def run_other(self, argv: list[str]) -> None:
        """The container's command is not this image's server (``sh -c ...``, ``sleep 3600``,
        ``env``): run it with the shell engine as PID 1."""
        shell = shell_module()
        if shell is None or not hasattr(shell, "run_shell"):
            self.fail_start(
                "failed to create containerd task: failed to create shim task: OCI runtime create "
                "failed: runc create failed: unable to start container process: error during "
                f'container init: exec: "{argv[0]}": executable file not found in $PATH: unknown')
            return
        self.running = True
        machine = self.machine
        machine.pid1_signal = None
        machine.pid1_cmdline = None
        self.delegate = shell.run_shell(self.shell_context(), argv, as_pid1=True, machine=machine,
                                        on_exit=self._delegate_exited)

    def _delegate_exited(self, code: int, reason: str | None = None, message: str | None = None) -> None:
        self.running = False
        self.listening = set()
        self.ctx.exited(code, reason, message)

    # -- ContainerProcess ----------------------------------------------------------------------
    def signal(self, sig: str) -> None:
        if self.delegate is not None:
            self.delegate.signal(sig)
            return
        if sig == SIGKILL:
            self._die(128 + SIGNAL_NUMBERS[SIGKILL], "Error")
            return
        self.on_signal(sig)

    def on_signal(self, sig: str) -> None:
        """Default: the signal's default action terminates the process (128 + n)."""
        self._die(128 + SIGNALS.get(sig, 15))

    def exec(self, argv: list[str], stdin: str | None = None, timeout: float | None = None) -> ExecResult:
        shell = shell_module()
        if shell is not None and hasattr(shell, "exec_command"):
            return shell.exec_command(self.shell_context(), argv, stdin=stdin, timeout=timeout,
                                      machine=self.machine)
        return not_found_result(argv)

    def http_get(self, port, path, headers=None, client_ip=None):
        return super().http_get(port, path, headers)

    def log_lines(self, text: str, stream: str = "stdout") -> None:
        for line in text.split("\n"):
            self.ctx.log(line, stream)


class ShellOnlyProcess(ImageProcess):
    """An image with no server of its own (busybox/alpine until their model lands): PID 1 is
    whatever command the container runs, interpreted by the shell engine."""

    def start(self) -> None:
        self.run_other(self.argv)


class _ShellContext:
    """A view of the kubelet's context with the process's own spec (env, working dir)."""

    def __init__(self, ctx, spec):
        self._ctx = ctx
        self.spec = spec

    def __getattr__(self, name):
        return getattr(self._ctx, name)
