"""Container behaviour models: the contract between the kubelet and an image.

A real node runs processes; labsim runs a *model* of what each image does. The kubelet never looks
inside a model: it creates a :class:`ContainerProcess` for a container instance, starts it, sends it
signals, and asks it the questions the kubelet, probes, ``kubectl exec`` and ``kubectl logs`` ask a
real container. Everything a model does over time is scheduled on the simulated clock through its
:class:`ContainerContext`; a model never blocks and never reads wall time.

Life of one container instance (one ``restartCount`` value)::

    kubelet                         model
    -------                         -----
    image pulled (catalogue)
    proc = model_for(ref)(ctx)
    proc.start()             --->   begins its main process; may call ctx.exited(code, reason)
                                    at once (bad command) or later (sleep 10; exit 1)
    probes: proc.exec / http_get / tcp_connect   (answered from the model's current state)
    kubectl exec: proc.exec          kubectl logs: ctx.logs (written by the model)
    stop: proc.signal("SIGTERM")  -> the model decides: exit now (nginx on SIGQUIT exits 0),
          ... grace ...               later, or never (sleep as PID 1 ignores SIGTERM)
          proc.signal("SIGKILL")  -> must call ctx.exited(137, "Error") synchronously
    memory over the limit: ctx.exited(137, "OOMKilled") (the kubelet's cgroup does it: see
                           ContainerContext.report_memory)

The filesystem (:class:`ContainerFS`) is the image's files plus a writable layer; a new instance
gets a fresh writable layer (the seed's "delete the page, the container restarts, the page is
back"). Volumes mounted into the container are shared :class:`ContainerFS` subtrees owned by the
pod, so they survive restarts.

Image models are registered by name in :mod:`labsim.kubelet.images.catalog` as data (size, digest,
pull duration, default entrypoint/cmd, exposed ports, stop signal) plus a small model class.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

#: Signals the kubelet sends (the image's STOPSIGNAL on stop; SIGKILL after the grace period).
SIGTERM, SIGKILL, SIGQUIT, SIGINT = "SIGTERM", "SIGKILL", "SIGQUIT", "SIGINT"
SIGNAL_NUMBERS = {"SIGINT": 2, "SIGQUIT": 3, "SIGKILL": 9, "SIGTERM": 15}


@dataclass
class ExecResult:
    """What a command run in the container returned (``kubectl exec``, exec probes, hooks)."""

    exit_code: int
    stdout: str = ""
    stderr: str = ""
    #: simulated seconds the command took (an exec probe fails when this exceeds timeoutSeconds)
    duration: float = 0.0
    #: the command could not be started at all (runtime error text, e.g. executable not found)
    error: str | None = None


@dataclass
class HTTPResponse:
    status: int
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class ConnectionRefused(Exception):
    """Nothing listens on that port (Go: ``connect: connection refused``)."""


class Timeout(Exception):
    """The peer accepted but did not answer in time (Go: ``context deadline exceeded``)."""


class ContainerFS(Protocol):
    """A container's view of files: image layers + writable layer + mounted volumes."""

    def read(self, path: str) -> str: ...          # raises FileNotFoundError / IsADirectoryError
    def write(self, path: str, data: str, append: bool = False) -> None: ...
    def exists(self, path: str) -> bool: ...
    def is_dir(self, path: str) -> bool: ...
    def listdir(self, path: str) -> list[str]: ...  # sorted names
    def remove(self, path: str, recursive: bool = False) -> None: ...
    def mkdir(self, path: str, parents: bool = False) -> None: ...


@dataclass
class ContainerSpecView:
    """The parts of the container spec a model needs, resolved by the kubelet."""

    name: str
    image: str  # as written in the pod spec
    command: list[str] | None  # spec.containers[].command (None: the image's ENTRYPOINT)
    args: list[str] | None  # spec.containers[].args (None: the image's CMD)
    env: dict[str, str]  # resolved environment, incl. service links and downward API values
    working_dir: str | None
    ports: list[dict]  # spec ports (informational: models listen where the image listens)
    limits: dict[str, str]  # resources.limits (cpu, memory as Quantity strings)
    requests: dict[str, str]
    stdin: bool = False
    tty: bool = False


class ContainerContext(Protocol):
    """What the kubelet gives a model: time, randomness, logs, exit, the network, its files."""

    clock: Any  # labsim.clock.SimClock: call_later(delay, fn, *args) -> Timer (cancel())
    rng: Any  # random.Random stream dedicated to this container instance
    spec: ContainerSpecView
    fs: ContainerFS
    pod: dict  # the pod object (read-only)
    pod_ip: str
    hostname: str  # the pod's hostname (pod name, or spec.hostname)
    network: "ClusterNetwork"

    def log(self, line: str, stream: str = "stdout") -> None:
        """Append one line to the container's log (``kubectl logs``), stamped with the clock."""

    def exited(self, exit_code: int, reason: str | None = None, message: str | None = None) -> None:
        """The main process ended. ``reason`` defaults from the code (0 Completed, else Error);
        models pass ``OOMKilled`` etc. when they know better. Calling it twice is ignored."""

    def report_memory(self, bytes_used: int) -> None:
        """Current memory use; over ``limits.memory`` the kubelet OOM-kills the container."""

    def report_cpu(self, millicores: float) -> None:
        """Current CPU use (metrics-server and the HPA read it later)."""


class ClusterNetwork(Protocol):
    """How a container reaches others: pod IPs now; Service IPs, DNS and Ingress when they exist."""

    def http_get(self, source_pod: dict, host: str, port: int, path: str,
                 headers: dict[str, str] | None = None, timeout: float = 1.0) -> HTTPResponse:
        """Raises ConnectionRefused, Timeout, or LookupError (``no such host``)."""

    def tcp_connect(self, source_pod: dict, host: str, port: int, timeout: float = 1.0) -> None:
        """Returns when a listener accepts; raises ConnectionRefused / Timeout / LookupError."""

    def resolve(self, source_pod: dict, name: str) -> list[str]:
        """DNS A records as the pod's resolver sees them (search path applied); [] if NXDOMAIN."""


class ContainerProcess:
    """Base class of image models: one running instance of a container.

    Subclasses override what the image does; the defaults describe a process that runs until
    signalled, listens nowhere, and cannot exec anything.
    """

    #: ports the process listens on (TCP), consulted by tcp_connect and the network
    listening: set[int]

    def __init__(self, ctx: ContainerContext):
        self.ctx = ctx
        self.listening = set()
        self.running = False

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the main process. Runs at the container's ``startedAt``."""
        self.running = True

    def signal(self, sig: str) -> None:
        """Deliver a signal. SIGKILL always ends the process at once with exit code 137."""
        if sig == SIGKILL:
            self._die(128 + SIGNAL_NUMBERS[SIGKILL], "Error")

    def _die(self, code: int, reason: str | None = None) -> None:
        if self.running:
            self.running = False
            self.listening.clear()
            self.ctx.exited(code, reason)

    # -- what the outside can ask ----------------------------------------------------------------
    def exec(self, argv: list[str], stdin: str | None = None, timeout: float | None = None) -> ExecResult:
        """Run a command inside the container (exec probe, hook, ``kubectl exec``)."""
        return ExecResult(126, error=f'exec: "{argv[0] if argv else ""}": executable file not found in $PATH')

    def http_get(self, port: int, path: str, headers: dict[str, str] | None = None,
                 client_ip: str | None = None) -> HTTPResponse:
        """Serve an HTTP GET on ``port`` (probes, wget/curl from other pods, Services, Ingress).

        ``client_ip`` is the peer address servers write in their access logs (the calling pod's
        IP; None for kubelet probes, which come from the node's bridge address ``10.42.x.1``)."""
        raise ConnectionRefused()

    def tcp_connect(self, port: int) -> None:
        """Accept a TCP connection on ``port`` or raise :class:`ConnectionRefused`."""
        if port not in self.listening:
            raise ConnectionRefused()


#: A model factory: the catalogue maps an image reference to one of these.
ModelFactory = Callable[[ContainerContext], ContainerProcess]
