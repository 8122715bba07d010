"""``kubectl logs`` (``kubernetes/kubectl: pkg/cmd/logs/logs.go``, ``pkg/polymorphichelpers/
logsforobject.go``, v1.32), reading container logs through the node's kubelet
(``cluster.kubelet_for(node).container_logs(pod, container, previous)``).

Who says what, as on a real cluster:

* kubectl: argument and flag errors; the pod lookup (``error: error from server (NotFound): pods
  "nope" not found in namespace "default"``); the container choice: ``-c``, the
  ``kubectl.kubernetes.io/default-container`` annotation, else the first container with
  ``Defaulted container "web" out of: web, sidecar (init)`` on stderr when there are several;
  ``container nosuch is not valid for pod two`` for an unknown name (checked client-side);
  ``deploy/web``, ``rs/x``, ``job/x``, ``sts/x``, ``ds/x``, ``svc/x``, ``rc/x`` pick one pod
  (``podutils.ByLogging``; ``Found 3 pods, using pod/web-...`` on stderr); ``-l`` takes every
  matching pod (10 lines each unless ``--tail``); ``--prefix`` adds ``[pod/NAME/CONTAINER] ``.
* the API server: a pod not yet bound to a node has no log location, so nothing is printed.
* the kubelet: ``container "x" in pod "y" is waiting to start: ContainerCreating``, ``previous
  terminated container "x" in pod "y" not found`` ... (``validateContainerLogStatus``), which
  reach kubectl as ``Error from server (BadRequest): ...``; ``--since``, ``--since-time``,
  ``--tail``, ``--timestamps`` (RFC3339Nano), ``--limit-bytes`` are applied to the lines.

``-f`` prints what exists, then keeps streaming while simulated time passes (an open stream in
``cluster.watches``, like ``get -w``) and ends when the followed container instance ends; the
next command ends it too (a script moving on). Several streams with ``-f`` are limited by
``--max-log-requests``. Upstream iterates a Go map over several pods/containers (random order);
the simulator uses pod order, then init, regular and ephemeral containers.
"""
from __future__ import annotations

from datetime import timedelta

from labsim.api.registry import REGISTRY
from labsim.clock import EPOCH, parse_rfc3339
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command

POD = REGISTRY.for_api_version("v1", "Pod")
DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"
USAGE = ("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
         "POD or TYPE/NAME is a required argument for the logs command")
SELECTOR_TAIL = 10


def _usage(message: str) -> KubectlError:
    return KubectlError(f"{message}\nSee 'kubectl logs -h' for help and examples")


def rfc3339_nano(t: float) -> str:
    """Go ``time.RFC3339Nano``: nanoseconds with trailing zeros trimmed (none when whole)."""
    ns = int(round(t * 1_000_000_000))
    sec, frac = divmod(ns, 1_000_000_000)
    text = (EPOCH + timedelta(seconds=sec)).strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        text += "." + f"{frac:09d}".rstrip("0")
    return text + "Z"


# -- containers ----------------------------------------------------------------------------------

def find_container(pod: dict, name: str) -> tuple[dict | None, str]:
    """``podcmd.FindContainerByName``: (container, field path)."""
    spec = pod.get("spec") or {}
    for key in ("containers", "initContainers", "ephemeralContainers"):
        for c in spec.get(key) or []:
            if c.get("name") == name:
                return c, f"spec.{key}{{{name}}}"
    return None, ""


def all_container_names(pod: dict) -> str:
    """``podcmd.AllContainerNames``: regular, ephemeral ``(ephem)``, init ``(init)``."""
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    names += [f"{c['name']} (ephem)" for c in spec.get("ephemeralContainers") or []]
    names += [f"{c['name']} (init)" for c in spec.get("initContainers") or []]
    return ", ".join(names)


def has_several_containers(pod: dict) -> bool:
    spec = pod.get("spec") or {}
    return (len(spec.get("containers") or []) > 1 or bool(spec.get("initContainers"))
            or bool(spec.get("ephemeralContainers")))


# -- the kubelet side ------------------------------------------------------------------------------

def kubelet_for(inv, pod: dict):
    node = (pod.get("spec") or {}).get("nodeName") or ""
    getter = getattr(inv.cluster, "kubelet_for", None)
    kubelet = getter(node) if getter is not None else None
    if kubelet is None:
        # no kubelet serves this node: the API server cannot reach it
        raise StatusError("InternalError", 500, f'no kubelet serves node "{node}"')
    return kubelet


def _as_bad_request(err: Exception) -> StatusError:
    """The kubelet's plain error, as the API server relays it (``Error from server (BadRequest)``)."""
    if isinstance(err, StatusError):
        return err
    message = getattr(err, "message", None) or str(err)
    if message.startswith("error: "):
        message = message[len("error: "):]
    return StatusError("BadRequest", 400, message)


def container_lines(inv, pod: dict, container: str, previous: bool = False) -> list:
    """GET pods/NAME/log: the log lines of one container instance (unbound pod: none)."""
    if not (pod.get("spec") or {}).get("nodeName"):
        return []
    kubelet = kubelet_for(inv, pod)
    try:
        return list(kubelet.container_logs(pod, container, previous=previous))
    except (StatusError, KubectlError, LookupError, ValueError) as e:
        raise _as_bad_request(e) from None


class LogOptions:
    """``PodLogOptions`` applied to lines: since, tail, timestamps, limit-bytes."""

    def __init__(self, since_time: float | None = None, tail: int | None = None, timestamps: bool = False,
                 limit_bytes: int | None = None, previous: bool = False, prefix: str = ""):
        self.since_time = since_time
        self.tail = tail
        self.timestamps = timestamps
        self.limit_bytes = limit_bytes
        self.previous = previous
        self.prefix = prefix

    def render(self, lines: list) -> str:
        if self.since_time is not None:
            lines = [ln for ln in lines if ln.time >= self.since_time]
        if self.tail is not None and self.tail >= 0:
            lines = lines[-self.tail:] if self.tail else []
        text = "".join(self.line(ln) for ln in lines)
        if self.limit_bytes is not None:
            text = text.encode("utf-8", "surrogateescape")[: self.limit_bytes].decode("utf-8", "surrogateescape")
        return text

    def line(self, ln) -> str:
        body = ln.text if ln.text.endswith("\n") else ln.text + "\n"
        if self.timestamps:
            body = f"{rfc3339_nano(ln.time)} {body}"
        return self.prefix + body


def print_container_log(inv, pod: dict, container: str) -> None:
    """``logOpts`` of ``kubectl run``: the whole log of one container."""
    inv.out(LogOptions().render(container_lines(inv, pod, container)))


def _instance_id(pod: dict, container: str) -> tuple[str, bool]:
    """(container ID of the current instance, still running?) from the pod status."""
    status = pod.get("status") or {}
    for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        for cs in status.get(key) or []:
            if cs.get("name") == container:
                state = cs.get("state") or {}
                return cs.get("containerID") or "", "running" in state
    return "", False


def follow_until_exit(inv, pod: dict, container: str, since: float, limit: float) -> bool:
    """Attach-like: advance the clock until the container instance running now ends (at most
    ``limit`` seconds) and print its lines written from ``since`` on. Returns True when it ended;
    otherwise the session goes on as an open stream (``cluster.watches``) while time passes."""
    clock = inv.cluster.clock
    md = pod["metadata"]
    cid, _ = _instance_id(pod, container)
    deadline = clock.now + limit
    ended: dict = {}

    def on_event(ev) -> None:
        o = ev.object or {}
        omd = o.get("metadata") or {}
        if ended or omd.get("namespace") != md.get("namespace") or omd.get("name") != md["name"]:
            return
        if ev.type == "DELETED":
            ended["pod"] = o
            return
        now_id, running = _instance_id(o, container)
        if now_id != cid or not running:
            ended["pod"] = o
            try:
                ended["lines"] = container_lines(inv, o, container, previous=False)
            except StatusError:
                ended["lines"] = []

    stop = inv.cluster.store.watch(on_event, POD)
    try:
        while not ended:
            nxt = clock.next_time()
            if nxt is None or nxt > deadline:
                clock.run_until(deadline)
                break
            clock.step()
        clock.run_until(clock.now)
    finally:
        stop()
    current = inv.api.try_get(POD, md.get("namespace"), md["name"]) or pod
    if "lines" in ended:
        lines = ended["lines"]
    else:
        try:
            lines = container_lines(inv, current, container)
        except StatusError:
            lines = []
    inv.out(LogOptions(since_time=since).render(lines))
    if ended:
        return True
    stream = LogStream(inv, current, container, LogOptions(), printed=len(lines))
    if not stream.stopped:
        inv.cluster.watches.append(stream)
    return False


class LogStream:
    """An open ``kubectl logs -f``: new lines of one container instance while time passes."""

    def __init__(self, inv, pod: dict, container: str, options: LogOptions, printed: int):
        self.inv = inv
        self.cluster = inv.cluster
        self.namespace = pod["metadata"].get("namespace")
        self.name = pod["metadata"]["name"]
        self.container = container
        self.options = LogOptions(timestamps=options.timestamps, prefix=options.prefix)
        self.printed = printed
        self.container_id, running = _instance_id(pod, container)
        self.stopped = not running
        self._final: list | None = None
        self._stop = self.cluster.store.watch(self._on_event, POD)
        if self.stopped:
            self._stop()

    def _on_event(self, ev) -> None:
        if self.stopped or self._final is not None:
            return
        o = ev.object or {}
        omd = o.get("metadata") or {}
        if omd.get("namespace") != self.namespace or omd.get("name") != self.name:
            return
        if ev.type == "DELETED":
            self._final = self._lines(o)
            return
        now_id, running = _instance_id(o, self.container)
        if now_id != self.container_id or not running:
            self._final = self._lines(o)

    def _lines(self, pod: dict) -> list:
        try:
            now_id, _ = _instance_id(pod, self.container)
            previous = bool(self.container_id) and now_id != self.container_id
            return container_lines(self.inv, pod, self.container, previous=previous)
        except StatusError:
            return []

    def drain(self) -> str:
        if self.stopped:
            return ""
        if self._final is not None:
            lines = self._final
            self.stop()
        else:
            pod = self.cluster.api.try_get(POD, self.namespace, self.name)
            if pod is None:
                self.stop()
                return ""
            lines = self._lines(pod)
        new = lines[self.printed:]
        self.printed = max(self.printed, len(lines))
        return "".join(self.options.line(ln) for ln in new)

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self._stop()


# -- which pods ------------------------------------------------------------------------------------

def _ready_time(pod: dict) -> str | None:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready" and c.get("status") == "True":
            return c.get("lastTransitionTime")
    return None


def _max_restarts(pod: dict) -> int:
    status = pod.get("status") or {}
    counts = [cs.get("restartCount") or 0
              for key in ("initContainerStatuses", "containerStatuses")
              for cs in status.get(key) or []]
    return max(counts, default=0)


def by_logging_key(pod: dict):
    """``podutils.ByLogging`` as a sort key (assigned, Running < Unknown < Pending, ready, ready
    longer, more restarts, older)."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    phase_rank = {"Running": 0, "Unknown": 1, "Pending": 2}.get(status.get("phase") or "", 0)
    ready_at = _ready_time(pod)
    created = (pod.get("metadata") or {}).get("creationTimestamp") or "~"
    return (0 if spec.get("nodeName") else 1, phase_rank, 0 if ready_at else 1, ready_at or "~",
            -_max_restarts(pod), created)


def selector_for(obj: dict):
    """``SelectorsForObject``: the pods a workload or Service selects."""
    from labsim.api import labels as labelsel

    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind in ("ReplicaSet", "StatefulSet", "DaemonSet", "Deployment", "Job"):
        return labelsel.selector_from_label_selector(spec.get("selector") or {})
    if kind == "ReplicationController":
        return labelsel.selector_from_set(spec.get("selector") or {})
    if kind == "Service":
        if not spec.get("selector"):
            raise KubectlError(f"cannot get the logs from *v1.Service: invalid service "
                               f"'{obj['metadata']['name']}': Service is defined without a selector")
        return labelsel.selector_from_set(spec["selector"])
    go = f"*v1.{kind}"
    raise KubectlError(f"cannot get the logs from {go}: selector for {go} not implemented")


def first_pod(inv, obj: dict, timeout: float) -> tuple[dict, int]:
    """``GetFirstPod``: the best pod for logs (waiting up to the timeout for one to exist)."""
    selector = selector_for(obj)
    namespace = obj["metadata"].get("namespace")
    clock = inv.cluster.clock
    deadline = clock.now + timeout
    while True:
        pods = [p for p in inv.api.list(POD, namespace)
                if selector.matches((p.get("metadata") or {}).get("labels"))]
        if pods:
            pods.sort(key=by_logging_key)
            return pods[0], len(pods)
        nxt = clock.next_time()
        if nxt is None or nxt > deadline:
            clock.run_until(deadline)
            raise KubectlError("timed out waiting for the condition")
        clock.step()


# -- the command -----------------------------------------------------------------------------------

@command("logs")
def logs(inv) -> None:
    from labsim.kubectl import resource
    from labsim.kubectl.commands.get import list_objects

    opts = inv.opts
    selector = opts.get("selector") or ""
    args = list(inv.args)
    container = opts.get("container") or ""
    if len(args) == 0:
        if not selector:
            raise _usage(USAGE)
    elif len(args) == 1:
        if selector:
            raise _usage("only a selector (-l) or a POD name is allowed")
    elif len(args) == 2:
        container = args[1]
    else:
        raise _usage(USAGE)
    all_pods = bool(opts.get("all-pods"))
    prefix = bool(opts.get("prefix")) or all_pods
    timeout = opts.get("pod-running-timeout")
    if timeout <= 0:
        raise KubectlError("--pod-running-timeout must be higher than zero")
    # ToLogOptions
    since_time_text = opts.get("since-time") or ""
    since_time = None
    if since_time_text:
        try:
            since_time = parse_rfc3339(since_time_text)
        except ValueError:
            raise KubectlError(f'parsing time "{since_time_text}" as "2006-01-02T15:04:05Z07:00": cannot parse '
                               f'"{since_time_text}" as "2006"') from None
    since = opts.get("since") or 0.0
    since_seconds = None
    if since:
        since_seconds = int(since + 0.5) if since > 0 else -int(-since + 0.5)
    tail = opts.get("tail")
    if selector and tail == -1 and not opts.changed("tail"):
        tail_lines = SELECTOR_TAIL
    else:
        tail_lines = tail if tail != -1 else None
    # the builder: one pod, TYPE/NAME, or pods by selector
    namespace = inv.namespace
    target = None
    pods: list[dict] | None = None
    if selector:
        pods = list_objects(inv, POD, namespace, selector, "")
        if not pods:
            inv.eprintln(f"No resources found in {namespace} namespace.")
    else:
        arg = args[0]
        if "/" in arg:
            sel = resource.parse_resource_args([arg]).selections
            rt, names = sel[0]
        else:
            rt, names = POD, [arg]
        try:
            target = inv.api.get(rt, namespace if rt.namespaced else None, names[0])
        except StatusError as e:
            if e.reason == "NotFound":
                raise KubectlError(f'error from server (NotFound): {e.message} in namespace "{namespace}"') from None
            raise
    # Validate
    if since_time_text and since:
        raise KubectlError("at most one of `sinceTime` or `sinceSeconds` may be specified")
    if opts.get("all-containers") and container:
        raise KubectlError(f"--all-containers=true should not be specified with container name {container}")
    if opts.changed("container") and len(args) == 2:
        raise KubectlError("only one of -c or an inline [CONTAINER] arg is allowed")
    limit_bytes = opts.get("limit-bytes")
    if limit_bytes < 0:
        raise KubectlError("--limit-bytes must be greater than 0")
    if since_seconds is not None and since_seconds < 0:
        raise KubectlError("--since must be greater than 0")
    if tail_lines is not None and tail_lines < -1:
        raise KubectlError("--tail must be greater than or equal to -1")
    # LogsForObject
    if target is not None and target.get("kind") != "Pod":
        pod, count = first_pod(inv, target, timeout)
        if count > 1:
            if all_pods:
                pods = sorted([p for p in inv.api.list(POD, pod["metadata"].get("namespace"))
                               if selector_for(target).matches((p.get("metadata") or {}).get("labels"))],
                              key=by_logging_key)
            else:
                inv.eprintln(f"Found {count} pods, using pod/{pod['metadata']['name']}")
        if pods is None:
            target = pod
    requests: list[tuple[dict, str]] = []
    for pod in (pods if pods is not None else [target]):
        requests.extend(_requests_for_pod(inv, pod, container, bool(opts.get("all-containers")), all_pods))
    follow = bool(opts.get("follow"))
    max_requests = opts.get("max-log-requests")
    if follow and len(requests) > 1 and len(requests) > max_requests:
        raise KubectlError(f"you are attempting to follow {len(requests)} log streams, but maximum allowed "
                           f"concurrency is {max_requests}, use --max-log-requests to increase the limit")
    now = inv.now
    if since_seconds is not None:
        since_from = now - since_seconds
    else:
        since_from = since_time
    previous = bool(opts.get("previous"))
    ignore = bool(opts.get("ignore-errors"))
    for pod, name in requests:
        options = LogOptions(since_time=since_from, tail=tail_lines, timestamps=bool(opts.get("timestamps")),
                             limit_bytes=limit_bytes or None, previous=previous,
                             prefix=f"[pod/{pod['metadata']['name']}/{name}] " if prefix else "")
        try:
            lines = container_lines(inv, pod, name, previous=previous)
        except StatusError as e:
            if not ignore:
                raise
            from labsim.kubectl.errors import format_error
            inv.out("error: " + format_error(e))
            continue
        inv.out(options.render(lines))
        if follow and not previous:
            stream = LogStream(inv, pod, name, options, printed=len(lines))
            if not stream.stopped:
                inv.cluster.watches.append(stream)


def _requests_for_pod(inv, pod: dict, container: str, all_containers: bool, all_pods: bool) -> list[tuple[dict, str]]:
    """The (pod, container) log requests of one pod (``logsForObjectWithClient``)."""
    spec = pod.get("spec") or {}
    if all_containers:
        names = [c["name"] for key in ("initContainers", "containers", "ephemeralContainers")
                 for c in spec.get(key) or []]
        return [(pod, n) for n in names]
    name = container
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    if not name and annotations.get(DEFAULT_CONTAINER_ANNOTATION):
        default = annotations[DEFAULT_CONTAINER_ANNOTATION]
        if find_container(pod, default)[0] is None:
            inv.eprintln(f'Default container name "{default}" not found in pod {pod["metadata"]["name"]}')
        else:
            name = default
    if not name:
        name = spec["containers"][0]["name"]
        if has_several_containers(pod) and not all_pods:
            inv.eprintln(f'Defaulted container "{name}" out of: {all_container_names(pod)}')
    if find_container(pod, name)[0] is None:
        raise KubectlError(f"container {name} is not valid for pod {pod['metadata']['name']}")
    return [(pod, name)]
