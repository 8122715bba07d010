"""A fake :class:`~labsim.kubelet.images.base.ContainerContext` for driving image models in tests
without a kubelet (shared with the shell and kubelet engineers' tests).

    net = FakeNetwork()
    c = run_container("nginx:1.27", network=net, pod_ip="10.42.0.9")
    c.clock.advance(1)
    assert c.proc.http_get(80, "/").status == 200
    c.proc.signal("SIGQUIT"); c.clock.advance(1)
    assert c.exit_code == 0
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from labsim.clock import SimClock
from labsim.kubelet.images.base import (
    ConnectionRefused, ContainerSpecView, HTTPResponse)
from labsim.kubelet.images.fs import LayeredFS, VolumeDir


@dataclass
class LogLine:
    time: float
    stream: str
    text: str


class FakeNetwork:
    """Pod IPs -> containers. ``localhost`` reaches the caller's own pod. DNS: ``names``."""

    def __init__(self):
        self.pods: dict[str, list] = {}  # ip -> [process, ...]
        self.names: dict[str, str] = {}  # name -> ip

    def attach(self, ip: str, proc) -> None:
        self.pods.setdefault(ip, []).append(proc)

    def _ip(self, source_pod: dict, host: str) -> str:
        if host in ("localhost", "127.0.0.1"):
            return (source_pod.get("status") or {}).get("podIP", "")
        if host in self.pods:
            return host
        if host in self.names:
            return self.names[host]
        raise LookupError(host)

    def _listener(self, ip: str, port: int):
        for p in self.pods.get(ip, []):
            if getattr(p, "running", False) and port in p.listening:
                return p
            delegate = getattr(p, "delegate", None)
            if delegate is not None and port in getattr(delegate, "listening", ()):
                return p
        raise ConnectionRefused()

    def http_get(self, source_pod, host, port, path, headers=None, timeout=1.0) -> HTTPResponse:
        ip = self._ip(source_pod, host)
        src_ip = (source_pod.get("status") or {}).get("podIP")
        if host in ("localhost", "127.0.0.1"):
            src_ip = "127.0.0.1"
        return self._listener(ip, port).http_get(port, path, headers, client_ip=src_ip)

    def tcp_connect(self, source_pod, host, port, timeout=1.0) -> None:
        ip = self._ip(source_pod, host)
        self._listener(ip, port).tcp_connect(port)

    def resolve(self, source_pod, name) -> list[str]:
        if name in self.names:
            return [self.names[name]]
        return [name] if name in self.pods else []


@dataclass
class FakeContext:
    clock: SimClock
    spec: ContainerSpecView
    fs: LayeredFS
    pod: dict
    pod_ip: str
    hostname: str
    network: FakeNetwork
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    logs: list[LogLine] = field(default_factory=list)
    exits: list[tuple[int, str | None, str | None]] = field(default_factory=list)
    memory: list[int] = field(default_factory=list)
    cpu: list[tuple[float, float]] = field(default_factory=list)
    proc: object = None

    def log(self, line: str, stream: str = "stdout") -> None:
        self.logs.append(LogLine(self.clock.now, stream, line))

    def exited(self, exit_code: int, reason: str | None = None, message: str | None = None) -> None:
        if self.exits:
            return
        if reason is None:
            reason = "Completed" if exit_code == 0 else "Error"
        self.exits.append((exit_code, reason, message))

    def report_memory(self, bytes_used: int) -> None:
        self.memory.append(bytes_used)

    def report_cpu(self, millicores: float) -> None:
        self.cpu.append((self.clock.now, millicores))

    # -- test conveniences ----------------------------------------------------------------------
    @property
    def exit_code(self) -> int | None:
        return self.exits[0][0] if self.exits else None

    @property
    def exit_reason(self) -> str | None:
        return self.exits[0][1] if self.exits else None

    def lines(self, stream: str | None = None) -> list[str]:
        return [ln.text for ln in self.logs if stream is None or ln.stream == stream]

    def output(self, stream: str | None = None) -> str:
        return "".join(t + "\n" for t in self.lines(stream))


def make_context(image: str, *, command=None, args=None, env=None, working_dir=None,
                 pod_name: str = "web", namespace: str = "default", container: str = "app",
                 pod_ip: str = "10.42.0.9", clock: SimClock | None = None,
                 network: FakeNetwork | None = None, volumes: dict[str, VolumeDir] | None = None,
                 limits=None, fs: LayeredFS | None = None):
    """A context for one container instance of ``image`` (resolved through the catalogue)."""
    from labsim.kubelet.images.catalog import resolve

    info = resolve(image)
    clock = clock or SimClock(30.0)
    network = network or FakeNetwork()
    spec = ContainerSpecView(name=container, image=image, command=command, args=args,
                             env=dict(env or {}), working_dir=working_dir, ports=[],
                             limits=dict(limits or {}), requests={})
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": pod_name, "namespace": namespace},
           "spec": {"containers": [{"name": container, "image": image}]},
           "status": {"podIP": pod_ip}}
    ctx = FakeContext(clock=clock, spec=spec, fs=fs or LayeredFS(info.layer, volumes),
                      pod=pod, pod_ip=pod_ip, hostname=pod_name, network=network)
    return ctx, info


def run_container(image: str, **kw) -> FakeContext:
    """Create, attach to the network and start one container; returns its context (``.proc``)."""
    ctx, info = make_context(image, **kw)
    proc = info.factory(ctx)
    ctx.proc = proc
    ctx.network.attach(ctx.pod_ip, proc)
    proc.start()
    return ctx


def restart(ctx: FakeContext) -> FakeContext:
    """The next instance of the same container: fresh writable layer, same volumes, same pod."""
    from labsim.kubelet.images.catalog import resolve

    info = resolve(ctx.spec.image)
    new = FakeContext(clock=ctx.clock, spec=ctx.spec, fs=ctx.fs.fresh_instance(), pod=ctx.pod,
                      pod_ip=ctx.pod_ip, hostname=ctx.hostname, network=ctx.network)
    proc = info.factory(new)
    new.proc = proc
    procs = ctx.network.pods.get(ctx.pod_ip, [])
    if ctx.proc in procs:
        procs.remove(ctx.proc)
    ctx.network.attach(ctx.pod_ip, proc)
    proc.start()
    return new
