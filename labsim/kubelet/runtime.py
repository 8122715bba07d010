"""The container runtime (containerd, as k3s runs it): container instances, their context, logs.

One :class:`ContainerInstance` is one container the runtime created for a pod (one
``restartCount`` value): its id (``containerd://<64 hex>``), the model process, state
(created/running/exited), times, exit code and reason, and the log it wrote. The kubelet keeps, per
container name, the current instance and the previous one (the container GC keeps one dead
container per container name: ``MaxPerPodContainer = 1``), which is what ``kubectl logs
--previous`` reads.

:class:`RuntimeContext` is the :class:`labsim.kubelet.images.base.ContainerContext` a model gets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from labsim.api.quantity import parse_quantity
from labsim.kubelet.images.base import SIGKILL, ContainerSpecView

CREATED, RUNNING, EXITED = "created", "running", "exited"


@dataclass(frozen=True, slots=True)
class LogLine:
    """One line of a container's log (``kubectl logs``; ``--timestamps`` prints ``time``).
    Slotted: a probed nginx writes one per probe, 64 bytes each instead of 105."""

    time: float
    stream: str  # stdout | stderr
    text: str


@dataclass
class ContainerInstance:
    name: str
    container_id: str  # 64 hex (the status shows containerd://<id>)
    spec: dict
    restart_count: int
    init: bool
    image: str  # as the runtime reports it (fully qualified reference)
    image_id: str
    state: str = CREATED
    created_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None
    exit_code: int | None = None
    reason: str | None = None
    message: str | None = None
    proc: Any = None
    ctx: "RuntimeContext | None" = None
    logs: list[LogLine] = field(default_factory=list)
    #: the kubelet is stopping it (Killing recorded); callbacks waiting for the exit
    stopping: bool = False
    exit_waiters: list[Callable[[], None]] = field(default_factory=list)
    memory_limit: int | None = None
    memory_bytes: int = 0
    cpu_millicores: float = 0.0
    oom: bool = False
    #: the image's STOPSIGNAL (what the kubelet's stop sends first)
    stop_signal: str = "SIGTERM"

    @property
    def uri(self) -> str:
        return "containerd://" + self.container_id

    @property
    def running(self) -> bool:
        return self.state == RUNNING


def memory_limit_bytes(spec: dict) -> int | None:
    lim = ((spec.get("resources") or {}).get("limits") or {}).get("memory")
    if lim is None:
        return None
    try:
        return int(parse_quantity(str(lim)).int_value())
    except Exception:  # a stored pod passed validation; be safe with odd spellings
        return None


def spec_view(spec: dict, env: dict[str, str]) -> ContainerSpecView:
    res = spec.get("resources") or {}
    return ContainerSpecView(
        name=spec["name"], image=spec.get("image", ""), command=spec.get("command"), args=spec.get("args"),
        env=env, working_dir=spec.get("workingDir"), ports=list(spec.get("ports") or []),
        limits=dict(res.get("limits") or {}), requests=dict(res.get("requests") or {}),
        stdin=bool(spec.get("stdin")), tty=bool(spec.get("tty")))


class RuntimeContext:
    """What a model sees of its container (ContainerContext)."""

    def __init__(self, *, clock, rng, spec: ContainerSpecView, fs, pod: dict, pod_ip: str, hostname: str,
                 network, instance: ContainerInstance, on_exit: Callable[[ContainerInstance], None]):
        self.clock = clock
        self.rng = rng
        self.spec = spec
        self.fs = fs
        self.pod = pod
        self.pod_ip = pod_ip
        self.hostname = hostname
        self.network = network
        self._inst = instance
        self._on_exit = on_exit

    def log(self, line: str, stream: str = "stdout") -> None:
        self._inst.logs.append(LogLine(self.clock.now, stream, line))

    def exited(self, exit_code: int, reason: str | None = None, message: str | None = None) -> None:
        inst = self._inst
        if inst.state == EXITED:
            return
        if inst.oom:
            reason = "OOMKilled"
            exit_code = 137
        if not reason:
            reason = "Completed" if exit_code == 0 else "Error"
        inst.state = EXITED
        inst.exit_code = int(exit_code)
        inst.reason = reason
        inst.message = message
        inst.finished_at = self.clock.now
        if inst.started_at is None:
            inst.started_at = self.clock.now
        if inst.proc is not None:
            inst.proc.running = False
            listening = getattr(inst.proc, "listening", None)
            if listening:
                listening.clear()
        waiters, inst.exit_waiters = inst.exit_waiters, []
        for w in waiters:
            w()
        self._on_exit(inst)

    def report_memory(self, bytes_used: int) -> None:
        inst = self._inst
        inst.memory_bytes = int(bytes_used)
        if inst.memory_limit is not None and bytes_used > inst.memory_limit and inst.state == RUNNING \
                and not inst.oom:
            # the container's memory cgroup hits memory.max: the kernel OOM killer ends it;
            # containerd reports reason OOMKilled, exit code 137 (128 + SIGKILL)
            inst.oom = True
            if inst.proc is not None:
                inst.proc.signal(SIGKILL)
            if inst.state != EXITED:
                self.exited(137, "OOMKilled")

    def report_cpu(self, millicores: float) -> None:
        self._inst.cpu_millicores = float(millicores)
