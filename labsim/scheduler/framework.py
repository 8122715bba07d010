"""The scheduling framework: statuses, the per-node and per-pod views plugins work on, FitError.

kubernetes/kubernetes: pkg/scheduler/framework/interface.go (Code, Status), types.go (NodeInfo,
Resource, FitError, Diagnosis), k8s.io/component-helpers/resource/helpers.go (PodRequests),
pkg/scheduler/util/pod_resources.go (DefaultMilliCPURequest, DefaultMemoryRequest).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from labsim.api.quantity import QuantityError, parse_quantity

# -- status codes (framework/interface.go) ---------------------------------------------------------
SUCCESS = "Success"
ERROR = "Error"
UNSCHEDULABLE = "Unschedulable"
UNSCHEDULABLE_AND_UNRESOLVABLE = "UnschedulableAndUnresolvable"
SKIP = "Skip"

MAX_NODE_SCORE = 100

#: pkg/scheduler/util/pod_resources.go: what a container without requests counts as when scoring
DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

#: FitError (framework/types.go)
NO_NODE_AVAILABLE_MSG = "0/{} nodes are available"


class Status:
    """A plugin's verdict: a code and the reason strings (``framework.Status``)."""

    __slots__ = ("code", "reasons", "plugin")

    def __init__(self, code: str, *reasons: str, plugin: str = ""):
        self.code = code
        self.reasons = list(reasons)
        self.plugin = plugin

    def is_success(self) -> bool:
        return self.code == SUCCESS

    def is_rejected(self) -> bool:
        return self.code in (UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE)

    def message(self) -> str:
        return ", ".join(self.reasons)

    def __repr__(self) -> str:
        return f"Status({self.code!r}, {self.reasons!r}, plugin={self.plugin!r})"


# -- quantities ----------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def milli(s: Any) -> int:
    try:
        return parse_quantity(str(s)).milli_value()
    except (QuantityError, ValueError):
        return 0


@lru_cache(maxsize=4096)
def value(s: Any) -> int:
    try:
        return parse_quantity(str(s)).int_value()
    except (QuantityError, ValueError):
        return 0


def is_scalar_resource(name: str) -> bool:
    """``schedutil.IsScalarResourceName``: extended (``example.com/gpu``), hugepages, attachable."""
    return ("/" in name and not name.startswith("kubernetes.io/")) or name.startswith("hugepages-") \
        or name.startswith("attachable-volumes-")


class Resource:
    """``framework.Resource``: cpu in millicores, memory/ephemeral-storage in bytes, scalars, pods."""

    __slots__ = ("milli_cpu", "memory", "ephemeral_storage", "allowed_pods", "scalar")

    def __init__(self, milli_cpu: int = 0, memory: int = 0, ephemeral_storage: int = 0, allowed_pods: int = 0,
                 scalar: dict[str, int] | None = None):
        self.milli_cpu = milli_cpu
        self.memory = memory
        self.ephemeral_storage = ephemeral_storage
        self.allowed_pods = allowed_pods
        self.scalar = scalar or {}

    @classmethod
    def from_list(cls, rl: dict | None) -> "Resource":
        r = cls()
        r.add_list(rl)
        return r

    def add_list(self, rl: dict | None) -> None:
        for name, q in (rl or {}).items():
            if name == "cpu":
                self.milli_cpu += milli(q)
            elif name == "memory":
                self.memory += value(q)
            elif name == "ephemeral-storage":
                self.ephemeral_storage += value(q)
            elif name == "pods":
                self.allowed_pods += value(q)
            elif is_scalar_resource(name):
                self.scalar[name] = self.scalar.get(name, 0) + value(q)

    def add(self, other: "Resource", sign: int = 1) -> None:
        self.milli_cpu += sign * other.milli_cpu
        self.memory += sign * other.memory
        self.ephemeral_storage += sign * other.ephemeral_storage
        for k, v in other.scalar.items():
            self.scalar[k] = self.scalar.get(k, 0) + sign * v

    def is_zero(self) -> bool:
        return not (self.milli_cpu or self.memory or self.ephemeral_storage or any(self.scalar.values()))

    def clone(self) -> "Resource":
        return Resource(self.milli_cpu, self.memory, self.ephemeral_storage, self.allowed_pods, dict(self.scalar))

    def __repr__(self) -> str:
        return (f"Resource(cpu={self.milli_cpu}m, memory={self.memory}, ephemeral={self.ephemeral_storage}, "
                f"scalar={self.scalar})")


def _container_requests(c: dict, non_missing: bool) -> dict:
    reqs = dict(((c.get("resources") or {}).get("requests") or {}))
    if non_missing:
        # getNonMissingContainerRequests: only for the resource a container leaves unset
        if "cpu" not in reqs:
            reqs["cpu"] = f"{DEFAULT_MILLI_CPU_REQUEST}m"
        if "memory" not in reqs:
            reqs["memory"] = str(DEFAULT_MEMORY_REQUEST)
    return reqs


def _max_into(target: Resource, other: Resource) -> None:
    target.milli_cpu = max(target.milli_cpu, other.milli_cpu)
    target.memory = max(target.memory, other.memory)
    target.ephemeral_storage = max(target.ephemeral_storage, other.ephemeral_storage)
    for k, v in other.scalar.items():
        target.scalar[k] = max(target.scalar.get(k, 0), v)


def pod_requests(pod: dict, non_missing: bool = False) -> Resource:
    """``resourcehelper.PodRequests``: app containers and sidecars add up, each regular init
    container runs alone (with the sidecars started before it), the larger wins; plus overhead."""
    spec = pod.get("spec") or {}
    reqs = Resource()
    for c in spec.get("containers") or []:
        reqs.add_list(_container_requests(c, non_missing))
    restartable = Resource()
    init_max = Resource()
    for c in spec.get("initContainers") or []:
        cr = Resource.from_list(_container_requests(c, non_missing))
        if c.get("restartPolicy") == "Always":
            reqs.add(cr)
            restartable.add(cr)
            candidate = restartable.clone()
        else:
            candidate = cr
            candidate.add(restartable)
        _max_into(init_max, candidate)
    _max_into(reqs, init_max)
    if spec.get("overhead"):
        reqs.add_list(spec["overhead"])
    return reqs


def host_ports(pod: dict) -> list[tuple[str, str, int]]:
    """The (hostIP, protocol, hostPort) a pod wants (``schedutil.GetHostPorts`` of its containers)."""
    out = []
    for c in (pod.get("spec") or {}).get("containers") or []:
        for p in c.get("ports") or []:
            hp = p.get("hostPort") or 0
            if hp > 0:
                out.append((p.get("hostIP") or "0.0.0.0", p.get("protocol") or "TCP", int(hp)))
    return out


def is_terminal(pod: dict) -> bool:
    return ((pod.get("status") or {}).get("phase")) in ("Succeeded", "Failed")


class PodInfo:
    """What the scheduler derives once per pod version (``framework.PodInfo``)."""

    __slots__ = ("pod", "namespace", "name", "uid", "labels", "priority", "requests", "non_zero",
                 "ports", "tolerations", "node_name", "_extra")

    def __init__(self, pod: dict):
        md = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.pod = pod
        self.namespace = md.get("namespace") or ""
        self.name = md.get("name") or ""
        self.uid = md.get("uid") or ""
        self.labels = md.get("labels") or {}
        self.priority = int(spec.get("priority") or 0)
        self.requests = pod_requests(pod)
        nz = pod_requests(pod, non_missing=True)
        self.non_zero = (nz.milli_cpu, nz.memory)
        self.ports = host_ports(pod)
        self.tolerations = spec.get("tolerations") or []
        self.node_name = spec.get("nodeName") or ""
        self._extra: dict[str, Any] = {}

    @property
    def affinity(self) -> dict:
        return (self.pod.get("spec") or {}).get("affinity") or {}


class NodeInfo:
    """A node and the pods assigned to it, with running totals (``framework.NodeInfo``)."""

    def __init__(self, node: dict):
        self.pods: dict[str, PodInfo] = {}
        self.requested = Resource()
        self.non_zero_cpu = 0
        self.non_zero_memory = 0
        self.used_ports: list[tuple[str, str, int]] = []
        self.pods_with_affinity = 0
        self.pods_with_required_anti_affinity = 0
        #: (selector key, namespace) -> [selector, number of the node's pods of that namespace,
        #: not being deleted, that it matches]: PodTopologySpread's countPodsMatchSelector kept up
        #: to date by add_pod/remove_pod once a selector was counted on this node
        self.match_counts: dict[tuple, list] = {}
        self.set_node(node)

    def set_node(self, node: dict) -> None:
        md = node.get("metadata") or {}
        spec = node.get("spec") or {}
        st = node.get("status") or {}
        self.node = node
        self.name = md.get("name") or ""
        self.labels = md.get("labels") or {}
        self.taints = spec.get("taints") or []
        self.unschedulable = bool(spec.get("unschedulable"))
        self.allocatable = Resource.from_list(st.get("allocatable"))
        # image name -> size (node.status.images as the kubelet reports them)
        self.images: dict[str, int] = {}
        for img in st.get("images") or []:
            for n in img.get("names") or []:
                self.images[n] = int(img.get("sizeBytes") or 0)

    def _count_matches(self, pi: PodInfo, sign: int) -> None:
        if (pi.pod.get("metadata") or {}).get("deletionTimestamp"):
            return
        for (key, namespace), entry in self.match_counts.items():
            if pi.namespace != namespace:
                continue
            hit = pi._extra.get(key)
            if hit is None:
                hit = pi._extra[key] = entry[0].matches(pi.labels)
            if hit:
                entry[1] += sign

    def add_pod(self, pi: PodInfo) -> None:
        if self.match_counts:
            replaced = self.pods.get(pi.uid)
            if replaced is not None:
                self._count_matches(replaced, -1)
            self._count_matches(pi, 1)
        self.pods[pi.uid] = pi
        self.requested.add(pi.requests)
        self.non_zero_cpu += pi.non_zero[0]
        self.non_zero_memory += pi.non_zero[1]
        self.used_ports.extend(pi.ports)
        aff = pi.affinity
        if aff.get("podAffinity") or aff.get("podAntiAffinity"):
            self.pods_with_affinity += 1
        if ((aff.get("podAntiAffinity") or {}).get("requiredDuringSchedulingIgnoredDuringExecution")):
            self.pods_with_required_anti_affinity += 1

    def remove_pod(self, uid: str) -> PodInfo | None:
        pi = self.pods.pop(uid, None)
        if pi is None:
            return None
        if self.match_counts:
            self._count_matches(pi, -1)
        self.requested.add(pi.requests, -1)
        self.non_zero_cpu -= pi.non_zero[0]
        self.non_zero_memory -= pi.non_zero[1]
        for p in pi.ports:
            self.used_ports.remove(p)
        aff = pi.affinity
        if aff.get("podAffinity") or aff.get("podAntiAffinity"):
            self.pods_with_affinity -= 1
        if ((aff.get("podAntiAffinity") or {}).get("requiredDuringSchedulingIgnoredDuringExecution")):
            self.pods_with_required_anti_affinity -= 1
        return pi

    def clone_without(self, uids: set[str]) -> "NodeInfo":
        """A copy without some pods (preemption's dry run)."""
        ni = NodeInfo(self.node)
        for uid, pi in self.pods.items():
            if uid not in uids:
                ni.add_pod(pi)
        return ni


@dataclass
class PreFilterResult:
    """``framework.PreFilterResult``: ``node_names`` None means all nodes."""

    node_names: set[str] | None = None


@dataclass
class Diagnosis:
    """Why a pod fits nowhere: per-node statuses, plus what PreFilter/PostFilter said."""

    node_to_status: dict[str, Status] = field(default_factory=dict)
    absent_nodes_status: Status | None = None
    unschedulable_plugins: set[str] = field(default_factory=set)
    pre_filter_msg: str = ""
    post_filter_msg: str = ""


def histogram(num_all_nodes: int, node_to_status: dict[str, Status], absent: Status | None) -> list[str]:
    reasons: dict[str, int] = {}
    for st in node_to_status.values():
        for r in st.reasons:
            reasons[r] = reasons.get(r, 0) + 1
    if absent is not None and len(node_to_status) < num_all_nodes:
        for r in absent.reasons:
            reasons[r] = reasons.get(r, 0) + num_all_nodes - len(node_to_status)
    # Go's sort.Strings: plain byte order of "<count> <reason>"
    return sorted((f"{v} {k}" for k, v in reasons.items()), key=lambda s: s.encode())


def fit_error_message(num_all_nodes: int, d: Diagnosis) -> str:
    """``FitError.Error()`` as of v1.32: ``0/N nodes are available: <prefilter msg | histogram>.``
    then `` <postfilter msg>.`` (SeparatorFormat " %v."; the preemption message already ends with a
    period, hence the ``..`` learners see)."""
    msg = NO_NODE_AVAILABLE_MSG.format(num_all_nodes) + ":"
    if d.pre_filter_msg:
        msg += f" {d.pre_filter_msg}."
    else:
        h = histogram(num_all_nodes, d.node_to_status, d.absent_nodes_status)
        if h:
            msg += " " + ", ".join(h) + "."
    if d.post_filter_msg:
        msg += f" {d.post_filter_msg}."
    return msg


class FitError(Exception):
    def __init__(self, pod: dict, num_all_nodes: int, diagnosis: Diagnosis):
        super().__init__()
        self.pod = pod
        self.num_all_nodes = num_all_nodes
        self.diagnosis = diagnosis
        #: the cycle's state, which PostFilter (preemption) reuses
        self.state: dict = {}

    def with_state(self, state: dict) -> "FitError":
        self.state = state
        return self

    def __str__(self) -> str:
        return fit_error_message(self.num_all_nodes, self.diagnosis)


def default_normalize_score(max_priority: int, reverse: bool, scores: dict[str, int]) -> None:
    """``helper.DefaultNormalizeScore``."""
    max_count = max(scores.values(), default=0)
    if max_count == 0:
        if reverse:
            for k in scores:
                scores[k] = max_priority
        return
    for k, s in scores.items():
        s = max_priority * s // max_count
        if reverse:
            s = max_priority - s
        scores[k] = s


class CycleState(dict):
    """Per-cycle scratch space shared by a pod's plugins (``framework.CycleState``)."""


@dataclass
class ClusterEvent:
    """A change that may make an unschedulable pod schedulable (``framework.ClusterEvent``).

    ``kind``: ``NodeAdd``, ``NodeUpdate``, ``AssignedPodAdd``, ``AssignedPodUpdate``,
    ``AssignedPodDelete``, ``PersistentVolumeClaim``, ``PersistentVolume``, ``StorageClass``.
    ``obj``/``old`` are wire objects (``old`` None for adds)."""

    kind: str
    obj: dict | None = None
    old: dict | None = None
    node_info: "NodeInfo | None" = None


class Plugin:
    """Base of the scheduler plugins: each overrides the extension points it implements."""

    name = "Plugin"
    weight = 0
    #: ClusterEvent kinds this plugin can be helped by (EventsToRegister)
    events: tuple[str, ...] = ()

    def __init__(self, sched):
        self.sched = sched

    def pre_filter(self, state: CycleState, pi: PodInfo) -> tuple[PreFilterResult | None, Status | None]:
        return None, None

    def filter(self, state: CycleState, pi: PodInfo, ni: NodeInfo) -> Status | None:
        return None

    def pre_score(self, state: CycleState, pi: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        return None

    def score(self, state: CycleState, pi: PodInfo, ni: NodeInfo) -> int:
        return 0

    def normalize(self, state: CycleState, pi: PodInfo, scores: dict[str, int]) -> None:
        return None

    def hint(self, ev: ClusterEvent, pi: PodInfo) -> bool:
        """QueueingHint: True (Queue) when ``ev`` may make ``pi`` schedulable for this plugin."""
        return ev.kind in self.events
