"""View models: what each view would draw at simulated time t, as plain data (no ipywidgets).

Every function here is pure: it takes objects as ``{group_resource: {key: obj}}`` (the shape of
``ObjectStore.state_at`` and of time travel's ``objects_at(t)``, and of the live cache a view keeps
from its store watches) plus the simulated time ``now``, and returns frozen dataclasses that
:mod:`labsim.widgets.render` turns into HTML/SVG. Tests assert on these models without a browser.

Series over time (rollout bars, charts) are built by trackers fed one :class:`WatchEvent` at a time
(``feed``): a live view feeds them from its watch, and a model of the past feeds them the store's
history up to t. Either way the same code computes the same model.

Pod chip states (``PodChip.state``, the ``data-state`` DOM hook) come from kubectl's STATUS column
(:func:`labsim.kubectl.printers.tables.pod_cells`, the port of ``printPod``), mapped as follows:

==================  =====================================================================
state               kubectl STATUS
==================  =====================================================================
Terminating         ``Terminating`` (and ``Unknown``: a deleted pod on a lost node)
CrashLoopBackOff    ``CrashLoopBackOff`` (also ``Init:CrashLoopBackOff``)
Completed           ``Completed`` (phase Succeeded)
Failed              phase Failed, or a container terminated with an error reason
                    (``Error``, ``OOMKilled``, ``ExitCode:N``, ``Signal:N``, ``ContainerCannotRun``...)
ContainerCreating   ``ContainerCreating``, ``PodInitializing``, ``Init:N/M``
Ready               ``Running`` with every container ready (READY n/n)
Running             ``Running``/``NotReady`` with some container not ready
Pending             everything else: ``Pending`` (not scheduled), ``ErrImagePull``,
                    ``ImagePullBackOff``, ``CreateContainerConfigError``, ``SchedulingGated``...
==================  =====================================================================
"""
from __future__ import annotations

from dataclasses import dataclass, field

from labsim.api.store import DELETED, WatchEvent

#: every value ``PodChip.state`` (and the ``data-state`` attribute) can take, in legend order
CHIP_STATES = ("Pending", "ContainerCreating", "Running", "Ready", "Terminating", "CrashLoopBackOff",
               "Completed", "Failed")

PODS, NODES, RS, DEPLOY, EVENTS = "pods", "nodes", "replicasets.apps", "deployments.apps", "events"
SERVICES, SLICES, INGRESSES = "services", "endpointslices.discovery.k8s.io", "ingresses.networking.k8s.io"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"

_CREATING = ("ContainerCreating", "PodInitializing")
_FAILED_REASONS = ("Error", "OOMKilled", "ContainerCannotRun", "StartError", "DeadlineExceeded", "Evicted")

Objects = dict  # {group_resource: {key: obj}}


def _md(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _key(obj: dict) -> str:
    md = _md(obj)
    return f"{md['namespace']}/{md['name']}" if md.get("namespace") else md.get("name", "")


def controller_ref(obj: dict) -> dict | None:
    """The ownerReference with ``controller: true`` (metav1.GetControllerOf)."""
    for ref in _md(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def chip_state(status: str, phase: str, ready: str) -> str:
    """The chip colour class for a kubectl STATUS text (table in the module docstring)."""
    if status in ("Terminating", "Unknown"):
        return "Terminating"
    if status.endswith("CrashLoopBackOff"):
        return "CrashLoopBackOff"
    if status == "Completed" or phase == "Succeeded":
        return "Completed"
    if phase == "Failed" or status in _FAILED_REASONS or status.startswith(("ExitCode:", "Signal:")):
        return "Failed"
    if status in _CREATING or status.startswith("Init:") and status[5:6].isdigit():
        return "ContainerCreating"
    if status in ("Running", "NotReady"):
        n, _, total = ready.partition("/")
        return "Ready" if n == total and n not in ("", "0") or n == total == "0" else "Running"
    return "Pending"


def image_tag(image: str) -> str:
    """``nginx:1.27`` -> ``1.27``; ``nginx`` -> ``latest`` (the default tag); a digest -> its first 12 hex."""
    if "@" in image:
        return image.rpartition("@")[2].partition(":")[2][:12] or image
    name, _, tag = image.rpartition(":")
    if not name or "/" in tag:
        return "latest"
    return tag


@dataclass(frozen=True)
class PodChip:
    name: str
    namespace: str
    node: str  # "" when not scheduled
    state: str  # one of CHIP_STATES
    status: str  # kubectl get pods' STATUS text
    ready: str  # READY column, "1/1"
    restarts: int
    owner: str  # "ReplicaSet/web-7d4b9c8f6d", "" for a bare pod
    top_owner: str  # the Deployment above a ReplicaSet ("Deployment/web"), else ``owner``
    image_tag: str
    tooltip: str  # name, status, restarts, node, image and the pod's conditions, one a line

    @property
    def terminating(self) -> bool:
        return self.state == "Terminating"

    @property
    def short_name(self) -> str:
        """The generated suffix for a controller's pod (``web-7d4b9c8f6d-x2b4k`` -> ``x2b4k``)."""
        base = _md_generate_suffix(self.name) if self.owner else ""
        return base or self.name


def _md_generate_suffix(name: str) -> str:
    head, _, tail = name.rpartition("-")
    return tail if head and len(tail) == 5 else ""


def _owner_of(pod: dict, objects: Objects) -> tuple[str, str]:
    ref = controller_ref(pod)
    if ref is None:
        return "", ""
    owner = f"{ref.get('kind', '')}/{ref.get('name', '')}"
    top = owner
    if ref.get("kind") == "ReplicaSet":
        rs = (objects.get(RS) or {}).get(f"{_md(pod).get('namespace')}/{ref.get('name')}")
        if rs is not None:
            up = controller_ref(rs)
            if up is not None and up.get("kind") == "Deployment":
                top = f"Deployment/{up.get('name', '')}"
    return owner, top


def pod_chip(pod: dict, now: float, objects: Objects | None = None) -> PodChip:
    """One pod as a chip: the STATUS logic is kubectl's own (``pod_cells``)."""
    from labsim.kubectl.printers.tables import pod_cells

    cells = pod_cells(pod, now)
    name, ready, status, restarts_text = cells[0], cells[1], cells[2], cells[3]
    md, spec, st = _md(pod), pod.get("spec") or {}, pod.get("status") or {}
    restarts = int(str(restarts_text).split()[0] or 0)
    state = chip_state(status, st.get("phase") or "", ready)
    owner, top = _owner_of(pod, objects or {})
    containers = spec.get("containers") or []
    tag = image_tag(containers[0].get("image") or "") if containers else ""
    node = spec.get("nodeName") or ""
    lines = [f"{name}  {status}  READY {ready}  RESTARTS {restarts_text}",
             f"node: {node or '<none>'}" + (f"  owner: {owner}" if owner else ""),
             "image: " + ", ".join(c.get("image", "") for c in containers)]
    for c in st.get("conditions") or []:
        line = f"{c.get('type')}={c.get('status')}"
        if c.get("reason"):
            line += f" ({c['reason']})"
        lines.append(line)
    return PodChip(name, md.get("namespace", ""), node, state, status, ready, restarts, owner, top, tag,
                   "\n".join(lines))


# -- cluster view ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChipGroup:
    owner: str  # "Deployment/web", "" for bare pods or when grouping by node
    chips: tuple[PodChip, ...]


@dataclass(frozen=True)
class NodeColumn:
    node: str  # "" is the Pending column (pods not scheduled yet)
    title: str
    groups: tuple[ChipGroup, ...]
    ready_condition: str = ""  # the node's Ready condition status ("True", "False", "Unknown")
    unschedulable: bool = False

    @property
    def chips(self) -> list[PodChip]:
        return [c for g in self.groups for c in g.chips]


@dataclass(frozen=True)
class ClusterModel:
    time: float
    namespace: str | None  # None: all namespaces
    group: str  # "owner" | "node"
    columns: tuple[NodeColumn, ...]  # nodes in node order, then the Pending column

    @property
    def chips(self) -> list[PodChip]:
        return [c for col in self.columns for c in col.chips]

    def counts(self) -> dict[str, int]:
        """Chips per state, every state present (legend order)."""
        out = {s: 0 for s in CHIP_STATES}
        for c in self.chips:
            out[c.state] += 1
        return out


def cluster_model(objects: Objects, now: float, group: str = "owner", namespace: str | None = "default",
                  node_order: list[str] | None = None) -> ClusterModel:
    """Nodes as columns (``node_order`` first, then the other nodes by name), pods as chips, the
    unscheduled pods in a last "Pending" column. ``group="owner"`` sorts each column's chips into
    owner groups (the Deployment above a ReplicaSet); ``group="node"`` keeps one group per column."""
    if group not in ("owner", "node"):
        raise ValueError(f'group must be "owner" or "node", not {group!r}')
    nodes = objects.get(NODES) or {}
    order = [n for n in (node_order or []) if n in nodes]
    order += sorted(n for n in nodes if n not in order)
    by_node: dict[str, list[PodChip]] = {n: [] for n in order}
    by_node[""] = []
    for pod in (objects.get(PODS) or {}).values():
        if namespace is not None and _md(pod).get("namespace") != namespace:
            continue
        chip = pod_chip(pod, now, objects)
        by_node.setdefault(chip.node, []).append(chip)  # a pod bound to a node that is gone keeps its column
    columns = []
    for node in [n for n in by_node if n] + [""]:
        chips = sorted(by_node[node], key=lambda c: (c.namespace, c.name))
        if group == "owner":
            owners: dict[str, list[PodChip]] = {}
            for c in chips:
                owners.setdefault(c.top_owner, []).append(c)
            groups = tuple(ChipGroup(o, tuple(owners[o])) for o in sorted(owners, key=lambda o: (o == "", o)))
        else:
            groups = (ChipGroup("", tuple(chips)),) if chips else ()
        if node:
            n = nodes.get(node) or {}
            ready = next((c.get("status", "") for c in (n.get("status") or {}).get("conditions") or []
                          if c.get("type") == "Ready"), "")
            columns.append(NodeColumn(node, node, groups, ready, bool((n.get("spec") or {}).get("unschedulable"))))
        else:
            columns.append(NodeColumn("", "Pending", groups))
    return ClusterModel(now, namespace, group, tuple(columns))


# -- rollout view ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Point:
    t: float
    desired: int
    ready: int
    available: int


@dataclass(frozen=True)
class ReplicaSetRow:
    name: str
    revision: str
    points: tuple[Point, ...]  # one per change, oldest first
    deleted: bool

    @property
    def current(self) -> Point:
        return self.points[-1]


@dataclass(frozen=True)
class Bounds:
    t: float
    replicas: int
    ceiling: int  # replicas + maxSurge: the most pods the rollout may run
    floor: int  # replicas - maxUnavailable: the fewest available pods it may leave


@dataclass(frozen=True)
class ScalingEvent:
    t: float  # last seen, simulated seconds
    count: int
    message: str


@dataclass(frozen=True)
class RolloutModel:
    time: float
    namespace: str
    name: str
    exists: bool
    replica_sets: tuple[ReplicaSetRow, ...]  # newest revision first
    bounds: tuple[Bounds, ...]
    events: tuple[ScalingEvent, ...]  # ScalingReplicaSet events, oldest first
    progressing: tuple[tuple[float, str, str], ...]  # (t, status, reason) of the Progressing condition


class RolloutTracker:
    """Per-ReplicaSet desired/ready/available series of one Deployment, fed watch events."""

    def __init__(self, namespace: str, name: str):
        self.namespace, self.name = namespace, name
        self.uid: str | None = None
        self.exists = False
        self._rs: dict[str, dict] = {}  # name -> {"revision", "points": [Point], "deleted"}
        self._bounds: list[Bounds] = []
        self._events: dict[str, ScalingEvent] = {}
        self._progressing: list[tuple[float, str, str]] = []

    def feed(self, ev: WatchEvent) -> bool:
        """Take one change; returns whether it concerns this Deployment (the view is dirty)."""
        gr, obj = ev.resource.group_resource, ev.object
        md = _md(obj)
        if md.get("namespace") != self.namespace:
            return False
        if gr == DEPLOY and md.get("name") == self.name:
            return self._deployment(ev)
        if gr == RS:
            ref = controller_ref(obj)
            if ref is None or ref.get("kind") != "Deployment" or ref.get("name") != self.name:
                return False
            if self.uid is not None and ref.get("uid") != self.uid:
                return False
            return self._replicaset(ev)
        if gr == EVENTS:
            inv = obj.get("involvedObject") or {}
            if inv.get("kind") != "Deployment" or inv.get("name") != self.name or \
                    obj.get("reason") != "ScalingReplicaSet" or ev.type == DELETED:
                return False
            self._events[md.get("name", "")] = ScalingEvent(ev.time, int(obj.get("count") or 1),
                                                            obj.get("message", ""))
            return True
        return False

    def _deployment(self, ev: WatchEvent) -> bool:
        from labsim.controllers.deployment_util import max_surge, max_unavailable

        d = ev.object
        if ev.type == DELETED:
            self.exists = False
            return True
        if _md(d).get("uid") != self.uid:  # created (or re-created under the same name)
            self.uid, self._rs, self._bounds, self._events = _md(d).get("uid"), {}, [], {}
            self._progressing = []
        self.exists = True
        replicas = int((d.get("spec") or {}).get("replicas", 1) or 0)
        b = Bounds(ev.time, replicas, replicas + max_surge(d), replicas - max_unavailable(d))
        last = self._bounds[-1] if self._bounds else None
        if last is None or (last.replicas, last.ceiling, last.floor) != (b.replicas, b.ceiling, b.floor):
            self._bounds.append(b)
        cond = next((c for c in (d.get("status") or {}).get("conditions") or [] if c.get("type") == "Progressing"),
                    None)
        if cond is not None:
            entry = (ev.time, cond.get("status", ""), cond.get("reason", ""))
            if not self._progressing or self._progressing[-1][1:] != entry[1:]:
                self._progressing.append(entry)
        return True

    def _replicaset(self, ev: WatchEvent) -> bool:
        rs = ev.object
        name = _md(rs).get("name", "")
        row = self._rs.setdefault(name, {"revision": "", "points": [], "deleted": False})
        row["revision"] = (_md(rs).get("annotations") or {}).get(REVISION_ANNOTATION, row["revision"])
        if ev.type == DELETED:
            p = Point(ev.time, 0, 0, 0)
            row["deleted"] = True
        else:
            spec, st = rs.get("spec") or {}, rs.get("status") or {}
            p = Point(ev.time, int(spec.get("replicas", 1) or 0), int(st.get("readyReplicas") or 0),
                      int(st.get("availableReplicas") or 0))
            row["deleted"] = False
        pts = row["points"]
        if pts and (pts[-1].desired, pts[-1].ready, pts[-1].available) == (p.desired, p.ready, p.available):
            return False
        if pts and pts[-1].t == p.t:
            pts[-1] = p  # several writes in one instant: the last one is what a viewer sees
        else:
            pts.append(p)
        return True

    def model(self, now: float) -> RolloutModel:
        """The model at ``now`` (points after ``now`` are left out: the same tracker serves the past)."""
        rows = []
        for name, r in self._rs.items():
            pts = tuple(p for p in r["points"] if p.t <= now)
            if pts:
                rows.append(ReplicaSetRow(name, r["revision"], pts, r["deleted"] and pts[-1] == r["points"][-1]))
        rows.sort(key=lambda r: (-_int(r.revision), r.name))
        return RolloutModel(now, self.namespace, self.name, self.exists,
                            tuple(rows), tuple(b for b in self._bounds if b.t <= now),
                            tuple(sorted((e for e in self._events.values() if e.t <= now), key=lambda e: e.t)),
                            tuple(p for p in self._progressing if p[0] <= now))


def _int(s: str) -> int:
    try:
        return int(s)
    except (TypeError, ValueError):
        return 0


def rollout_model(history: list[WatchEvent], namespace: str, name: str, now: float) -> RolloutModel:
    """The rollout model at ``now`` from the store's history (oldest first)."""
    tr = RolloutTracker(namespace, name)
    for ev in history:
        if ev.time > now:
            break
        tr.feed(ev)
    return tr.model(now)


# -- events view -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class EventRow:
    last_seen: str
    type: str
    reason: str
    object: str  # "pod/web-1"
    message: str
    count: int
    t: float  # last seen in simulated seconds (the sort key)
    name: str


@dataclass(frozen=True)
class EventsModel:
    time: float
    namespace: str | None
    object: str | None  # the filter, "pod/web-1"
    rows: tuple[EventRow, ...]  # oldest first


def _event_time(ev: dict) -> float:
    from labsim.clock import parse_rfc3339

    series = ev.get("series") or {}
    ts = series.get("lastObservedTime") or ev.get("lastTimestamp") or ev.get("eventTime") or \
        ev.get("firstTimestamp") or ""
    try:
        return parse_rfc3339(ts)
    except (TypeError, ValueError):
        return 0.0


def events_model(objects: Objects, now: float, namespace: str | None = "default",
                 involved: tuple[str, str] | None = None, reason: str | None = None) -> EventsModel:
    """``kubectl get events`` rows (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; cells from kubectl's
    own printer), ordered by last seen then name as ``kubectl events`` orders them. ``involved`` is
    ``(kind, name)`` of the object the events are about (``("Pod", "web-1")``)."""
    from labsim.kubectl.printers.tables import event_cells

    rows = []
    for ev in (objects.get(EVENTS) or {}).values():
        if namespace is not None and _md(ev).get("namespace") != namespace:
            continue
        inv = ev.get("involvedObject") or {}
        if involved is not None and (inv.get("kind"), inv.get("name")) != involved:
            continue
        if reason is not None and ev.get("reason") != reason:
            continue
        c = event_cells(ev, now)
        rows.append(EventRow(c[0], c[1], c[2], c[3], c[6], int(c[8]), _event_time(ev), c[9]))
    rows.sort(key=lambda r: (r.t, r.name))
    return EventsModel(now, namespace, f"{involved[0].lower()}/{involved[1]}" if involved else None, tuple(rows))


# -- charts ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[float, float], ...]  # (t, value) steps, oldest first


@dataclass(frozen=True)
class ChartModel:
    time: float
    title: str
    series: tuple[Series, ...]
    gaps: tuple[str, ...]  # series asked for that the simulator does not record (said on the chart)


#: what a chart can plot; the last two are hooks the simulator does not feed yet
CHART_METRICS = ("replicas", "ready", "available", "updated", "pods", "cpu", "requests")

_GAPS = {
    "cpu": "cpu: labsim has no metrics pipeline yet (metrics-server comes with the HPA chapter); "
           "the chart plots it once pods report usage",
    "requests": "requests per endpoint: the simulated network does not count requests yet "
                "(%traffic and ServiceView counters come later)",
}


class ChartTracker:
    """Step series over simulated time, fed watch events. For a Deployment: spec replicas and the
    status counts; for a namespace: pods and ready pods."""

    def __init__(self, namespace: str | None, deployment: str | None = None, metrics=None):
        self.namespace, self.deployment = namespace, deployment
        default = ("replicas", "ready", "available", "updated") if deployment else ("pods", "ready")
        self.metrics = tuple(metrics or default)
        for m in self.metrics:
            if m not in CHART_METRICS:
                raise ValueError(f"unknown metric {m!r}: one of {', '.join(CHART_METRICS)}")
        self._points: dict[str, list[tuple[float, float]]] = {m: [] for m in self.metrics if m not in _GAPS}
        self._ready: set[str] = set()
        self._pods: set[str] = set()

    def _add(self, metric: str, t: float, v: float) -> bool:
        pts = self._points.get(metric)
        if pts is None or (pts and pts[-1][1] == v):
            return False
        if pts and pts[-1][0] == t:
            pts[-1] = (t, v)
        else:
            pts.append((t, v))
        return True

    def feed(self, ev: WatchEvent) -> bool:
        gr, obj = ev.resource.group_resource, ev.object
        md = _md(obj)
        if self.namespace is not None and md.get("namespace") != self.namespace:
            return False
        changed = False
        if self.deployment is not None:
            if gr != DEPLOY or md.get("name") != self.deployment:
                return False
            if ev.type == DELETED:
                values = {"replicas": 0, "ready": 0, "available": 0, "updated": 0}
            else:
                st = obj.get("status") or {}
                values = {"replicas": int((obj.get("spec") or {}).get("replicas", 1) or 0),
                          "ready": int(st.get("readyReplicas") or 0),
                          "available": int(st.get("availableReplicas") or 0),
                          "updated": int(st.get("updatedReplicas") or 0)}
            for m, v in values.items():
                changed |= self._add(m, ev.time, v)
            return changed
        if gr != PODS:
            return False
        key = _key(obj)
        if ev.type == DELETED:
            self._pods.discard(key)
            self._ready.discard(key)
        else:
            self._pods.add(key)
            ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                        for c in (obj.get("status") or {}).get("conditions") or [])
            (self._ready.add if ready else self._ready.discard)(key)
        changed |= self._add("pods", ev.time, len(self._pods))
        changed |= self._add("ready", ev.time, len(self._ready))
        return changed

    def model(self, now: float, title: str = "") -> ChartModel:
        series = tuple(Series(m, tuple(p for p in self._points[m] if p[0] <= now))
                       for m in self.metrics if m in self._points)
        gaps = tuple(_GAPS[m] for m in self.metrics if m in _GAPS)
        return ChartModel(now, title, series, gaps)


# -- routing view ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PortMapping:
    name: str
    protocol: str
    port: int
    target_port: str  # a number or a container port name
    node_port: int | None


@dataclass(frozen=True)
class Endpoint:
    address: str
    pod: str  # targetRef name ("" when the endpoint is not a pod)
    node: str
    state: str  # "ready" | "not-ready" | "terminating"
    slice: str
    ports: tuple[tuple[str, int], ...]  # (name, port) of the slice


@dataclass(frozen=True)
class IngressRoute:
    ingress: str
    host: str  # "*" when the rule has no host
    path: str
    path_type: str
    port: str  # the backend service port (number or name)


@dataclass(frozen=True)
class RoutingModel:
    time: float
    namespace: str
    name: str
    exists: bool
    type: str
    cluster_ip: str
    selector: dict
    ports: tuple[PortMapping, ...]
    endpoints: tuple[Endpoint, ...]
    routes: tuple[IngressRoute, ...]

    @property
    def reachable(self) -> list[Endpoint]:
        """The endpoints a request can reach now: kube-proxy sends new connections to ready ones."""
        return [e for e in self.endpoints if e.state == "ready"]


def _endpoint_state(cond: dict) -> str:
    # discovery/v1: a nil ready is "unknown" and consumers treat it as ready
    # (kubernetes/api: discovery/v1 types.go, EndpointConditions.Ready)
    if cond.get("terminating"):
        return "terminating"
    return "not-ready" if cond.get("ready") is False else "ready"


def routing_model(objects: Objects, now: float, namespace: str, name: str) -> RoutingModel:
    """Service -> EndpointSlices -> pods, with the port mapping and the Ingress rules that send to it."""
    svc = (objects.get(SERVICES) or {}).get(f"{namespace}/{name}")
    if svc is None:
        return RoutingModel(now, namespace, name, False, "", "", {}, (), (), ())
    spec = svc.get("spec") or {}
    ports = tuple(PortMapping(p.get("name", ""), p.get("protocol", "TCP"), int(p.get("port", 0)),
                              str(p.get("targetPort", p.get("port", ""))), p.get("nodePort"))
                  for p in spec.get("ports") or [])
    endpoints = []
    for sl in (objects.get(SLICES) or {}).values():
        md = _md(sl)
        if md.get("namespace") != namespace or (md.get("labels") or {}).get(SERVICE_NAME_LABEL) != name:
            continue
        sl_ports = tuple((p.get("name") or "", int(p.get("port") or 0)) for p in sl.get("ports") or [])
        for ep in sl.get("endpoints") or []:
            ref = ep.get("targetRef") or {}
            endpoints.append(Endpoint((ep.get("addresses") or [""])[0],
                                      ref.get("name", "") if ref.get("kind") == "Pod" else "",
                                      ep.get("nodeName", ""), _endpoint_state(ep.get("conditions") or {}),
                                      md.get("name", ""), sl_ports))
    endpoints.sort(key=lambda e: (e.pod, e.address))
    routes = []
    for ing in (objects.get(INGRESSES) or {}).values():
        if _md(ing).get("namespace") != namespace:
            continue
        ispec = ing.get("spec") or {}
        default = ((ispec.get("defaultBackend") or {}).get("service") or {})
        if default.get("name") == name:
            port = default.get("port") or {}
            routes.append(IngressRoute(_md(ing)["name"], "*", "(default backend)", "",
                                       str(port.get("number") or port.get("name") or "")))
        for rule in ispec.get("rules") or []:
            for p in (rule.get("http") or {}).get("paths") or []:
                backend = (p.get("backend") or {}).get("service") or {}
                if backend.get("name") != name:
                    continue
                port = backend.get("port") or {}
                routes.append(IngressRoute(_md(ing)["name"], rule.get("host") or "*", p.get("path") or "/",
                                           p.get("pathType", ""), str(port.get("number") or port.get("name") or "")))
    return RoutingModel(now, namespace, name, True, spec.get("type", "ClusterIP"), spec.get("clusterIP", ""),
                        dict(spec.get("selector") or {}), ports, tuple(endpoints), tuple(routes))


@dataclass
class ObjectCache:
    """The live objects a view draws, kept current by store watches (an informer's list + watch):
    ``{group_resource: {key: obj}}`` like ``state_at``. ``fill`` lists once when the view opens."""

    resources: tuple[str, ...]
    objects: dict = field(default_factory=dict)

    def fill(self, store, registry) -> None:
        for gr in self.resources:
            rt = next(r for r in registry.resources if r.group_resource == gr)
            self.objects[gr] = {_key(o): o for o in store.list(rt)}

    def feed(self, ev: WatchEvent) -> bool:
        bucket = self.objects.get(ev.resource.group_resource)
        if bucket is None:
            return False
        if ev.type == DELETED:
            bucket.pop(_key(ev.object), None)
        else:
            bucket[_key(ev.object)] = ev.object
        return True
