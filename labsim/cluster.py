"""``Cluster``: a simulated Kubernetes v1.32 cluster, the public entry point of labsim.

    >>> from labsim import Cluster
    >>> c = Cluster(seed=0)                       # k3d-like: one server node
    >>> print(c.kubectl("get nodes"))
    NAME                    STATUS   ROLES                  AGE   VERSION
    k3d-kubelabs-server-0   Ready    control-plane,master   30s   v1.32.4+k3s1
    >>> c.advance("40s")

The default cluster is what ``k3d cluster create kubelabs`` gives (k3s v1.32: service CIDR
10.43.0.0/16, pod CIDR 10.42.0.0/16, cluster DNS at 10.43.0.10, kubeconfig context
``k3d-kubelabs``); ``Cluster(nodes=3)`` adds agent nodes ``k3d-kubelabs-agent-0`` and ``-1``.
Everything is driven by the simulated clock and one seed: the same seed and the same commands at
the same simulated times give byte-identical output.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

from labsim.api.events import EventRecorder
from labsim.api.registry import REGISTRY
from labsim.api.server import APIServer
from labsim.api.store import ObjectStore
from labsim.clock import SimClock, parse_duration, rfc3339
from labsim.controllers import ControllerManager
from labsim.controllers.namespace import NamespaceController
from labsim.controllers.serviceaccounts import RootCACertPublisher, ServiceAccountsController
from labsim.rand import RandomStreams

K3S_VERSION = "v1.32.4+k3s1"
CONTAINERD_VERSION = "containerd://2.0.4-k3s2"
KERNEL_VERSION = "6.8.0-1017-azure"
CLUSTER_NAME = "kubelabs"
#: seconds k3d takes from ``cluster create`` to a usable API (the clock starts at boot)
BOOT_SECONDS = 30.0

SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


@dataclass
class NodeSpec:
    """What a preset says about one node."""

    name: str
    role: str = "agent"  # server | agent
    cpu: str = "4"
    memory_gi: int = 8
    pods: int = 110
    labels: dict[str, str] = field(default_factory=dict)
    taints: list[dict] = field(default_factory=list)


@dataclass
class KubeConfig:
    """The learner's kubeconfig: contexts and the namespace kubectl uses by default."""

    contexts: dict[str, dict] = field(default_factory=dict)
    current_context: str = ""
    clusters: dict[str, dict] = field(default_factory=dict)
    users: dict[str, dict] = field(default_factory=dict)

    @property
    def namespace(self) -> str:
        ctx = self.contexts.get(self.current_context) or {}
        return ctx.get("namespace") or "default"


def default_node_specs(nodes: int = 1, cluster_name: str = CLUSTER_NAME, tainted_server: bool = False,
                       cpu: str = "4", memory_gi: int = 8) -> list[NodeSpec]:
    specs = [NodeSpec(f"k3d-{cluster_name}-server-0", role="server", cpu=cpu, memory_gi=memory_gi)]
    if tainted_server:
        specs[0].taints.append({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"})
    for i in range(max(0, nodes - 1)):
        specs.append(NodeSpec(f"k3d-{cluster_name}-agent-{i}", role="agent", cpu=cpu, memory_gi=memory_gi))
    return specs


def node_object(spec: NodeSpec, index: int, rand: RandomStreams) -> dict:
    """A Node as a k3s v1.32 kubelet registers it (labels, capacity, allocatable, conditions)."""
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/instance-type": "k3s",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": spec.name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": "k3s",
    }
    if spec.role == "server":
        labels["node-role.kubernetes.io/control-plane"] = "true"
        labels["node-role.kubernetes.io/master"] = "true"
    labels.update(spec.labels)
    ip = f"172.18.0.{index + 2}"
    mem_ki = spec.memory_gi * 1024 * 1024
    # allocatable = capacity - hard eviction threshold (memory.available<100Mi, nodefs.available<10%)
    capacity = {"cpu": spec.cpu, "ephemeral-storage": "102625208Ki", "hugepages-1Gi": "0",
                "hugepages-2Mi": "0", "memory": f"{mem_ki + 102400}Ki", "pods": str(spec.pods)}
    allocatable = {"cpu": spec.cpu, "ephemeral-storage": "99833802265", "hugepages-1Gi": "0",
                   "hugepages-2Mi": "0", "memory": f"{mem_ki}Ki", "pods": str(spec.pods)}
    boot = rfc3339(0)
    cond = lambda t, s, r, m: {"type": t, "status": s, "lastHeartbeatTime": boot, "lastTransitionTime": boot,
                               "reason": r, "message": m}
    node: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": spec.name,
            "labels": labels,
            "annotations": {
                "alpha.kubernetes.io/provided-node-ip": ip,
                "flannel.alpha.coreos.com/backend-data": "{\"VNI\":1,\"VtepMAC\":\"" + _mac(rand, spec.name) + "\"}",
                "flannel.alpha.coreos.com/backend-type": "vxlan",
                "flannel.alpha.coreos.com/kube-subnet-manager": "true",
                "flannel.alpha.coreos.com/public-ip": ip,
                "k3s.io/hostname": spec.name,
                "k3s.io/internal-ip": ip,
                "k3s.io/node-args": "[\"server\"]" if spec.role == "server" else "[\"agent\"]",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": {"podCIDR": f"10.42.{index}.0/24", "podCIDRs": [f"10.42.{index}.0/24"],
                 "providerID": f"k3s://{spec.name}"},
        "status": {
            "addresses": [{"address": ip, "type": "InternalIP"}, {"address": spec.name, "type": "Hostname"}],
            "allocatable": allocatable,
            "capacity": capacity,
            "conditions": [
                cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": rand.uid(),
                "containerRuntimeVersion": CONTAINERD_VERSION,
                "kernelVersion": KERNEL_VERSION,
                "kubeProxyVersion": K3S_VERSION,
                "kubeletVersion": K3S_VERSION,
                "machineID": rand.hex("machine-id", 32),
                "operatingSystem": "linux",
                "osImage": "K3s " + K3S_VERSION,
                "systemUUID": rand.uid(),
            },
        },
    }
    if spec.taints:
        node["spec"]["taints"] = [dict(t) for t in spec.taints]
    return node


def _mac(rand: RandomStreams, name: str) -> str:
    rng = rand.stream("mac/" + name)
    return ":".join(f"{rng.randrange(256):02x}" for _ in range(6))


def _ca_bundle(rand: RandomStreams) -> str:
    """A PEM block standing for the cluster CA (deterministic bytes; not a usable certificate)."""
    import base64

    rng = rand.stream("ca")
    body = base64.b64encode(bytes(rng.randrange(256) for _ in range(360))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


class Cluster:
    """A simulated cluster: API server, store, clock, controllers, and a kubectl front end."""

    def __init__(self, seed: int | str = 0, nodes: int | list[NodeSpec] = 1, *, name: str = CLUSTER_NAME,
                 tainted_server: bool = False, workdir: str | None = None):
        self.seed = seed
        self.name = name
        self.rand = RandomStreams(seed)
        self.clock = SimClock(0.0)
        self.store = ObjectStore(self.clock)
        self.registry = REGISTRY
        self.api = APIServer(self.store, self.clock, self.rand, self.registry)
        self.workdir = workdir
        self.kubeconfig = KubeConfig(
            contexts={f"k3d-{name}": {"cluster": f"k3d-{name}", "user": f"admin@k3d-{name}"}},
            current_context=f"k3d-{name}",
            clusters={f"k3d-{name}": {"server": "https://0.0.0.0:6550", "certificate-authority-data": "DATA+OMITTED"}},
            users={f"admin@k3d-{name}": {"client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED"}},
        )
        self._recorders: dict[tuple[str, str], EventRecorder] = {}
        #: open ``kubectl get -w`` streams (see labsim.kubectl.watch)
        self.watches: list[Any] = []
        self.controller_manager = ControllerManager(self)
        self.node_specs = nodes if isinstance(nodes, list) else default_node_specs(nodes, name, tainted_server)
        self._boot()

    # -- boot --------------------------------------------------------------------------------
    def _boot(self) -> None:
        create = self.api.create
        for ns in SYSTEM_NAMESPACES:
            create({"apiVersion": "v1", "kind": "Namespace",
                    "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns}}})
        for i, spec in enumerate(self.node_specs):
            create(node_object(spec, i, self.rand))
        self._start_controllers(_ca_bundle(self.rand), SYSTEM_NAMESPACES)
        # the apiserver's own objects: the kubernetes Service and its endpoints
        create({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "kubernetes", "namespace": "default",
                             "labels": {"component": "apiserver", "provider": "kubernetes"}},
                "spec": {"clusterIP": "10.43.0.1", "clusterIPs": ["10.43.0.1"],
                         "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                         "type": "ClusterIP", "sessionAffinity": "None"}})
        server_ip = "172.18.0.2"
        create({"apiVersion": "v1", "kind": "Endpoints",
                "metadata": {"name": "kubernetes", "namespace": "default",
                             "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
                "subsets": [{"addresses": [{"ip": server_ip}],
                             "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]})
        # k3s ships the local-path provisioner's StorageClass, marked default
        create({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                "metadata": {"name": "local-path",
                             "annotations": {"defaultVolumeType": "local",
                                             "storageclass.kubernetes.io/is-default-class": "true"}},
                "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
                "volumeBindingMode": "WaitForFirstConsumer"})
        for spec in self.node_specs:
            create({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                    "metadata": {"name": spec.name, "namespace": "kube-node-lease"},
                    "spec": {"holderIdentity": spec.name, "leaseDurationSeconds": 40,
                             "renewTime": "2026-11-24T09:00:00.000000Z"}})
        self._start_node_agents()
        self.clock.run_until(BOOT_SECONDS)

    def _start_controllers(self, ca_bundle: str, namespaces) -> None:
        """kube-controller-manager and the scheduler (at boot, and when a branch starts: each
        lists what the store holds, as informers do)."""
        cm = self.controller_manager
        cm.add(NamespaceController(self))
        cm.add(ServiceAccountsController(self))
        cm.add(RootCACertPublisher(self, ca_bundle))
        from labsim.controllers.endpoints import EndpointsController
        from labsim.controllers.endpointslice import EndpointSliceController, EndpointSliceMirroringController

        cm.add(EndpointsController(self))
        cm.add(EndpointSliceController(self))
        cm.add(EndpointSliceMirroringController(self))
        from labsim.scheduler import Scheduler
        from labsim.scheduler.nodelifecycle import NodeUnschedulableTaintController

        cm.add(NodeUnschedulableTaintController(self))
        from labsim.controllers.replicaset import ReplicaSetController

        cm.add(ReplicaSetController(self))
        from labsim.controllers.deployment import DeploymentController

        cm.add(DeploymentController(self))
        from labsim.controllers.garbagecollector import GarbageCollector

        cm.add(GarbageCollector(self))
        self.scheduler = Scheduler(self)
        self.scheduler.start()
        for ns in namespaces:
            for c in cm.controllers:
                if c.name in ("serviceaccount-controller", "root-ca-cert-publisher"):
                    c.queue.add(ns)

    def _start_node_agents(self) -> None:
        """The pod network and one kubelet per node (a kubelet admits the pods bound to its node)."""
        # the node agents and the pod network they hand pod IPs out of
        from labsim.kubelet import Kubelet
        from labsim.network.services import ServiceNetwork

        # the pod network with kube-proxy's Service routing and CoreDNS's records on top
        self.network = ServiceNetwork(self)
        self.kubelets = {spec.name: Kubelet(self, spec.name) for spec in self.node_specs}

    # -- public interface --------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Simulated seconds since the cluster booted."""
        return self.clock.now

    def kubelet_for(self, node_name: str):
        """The kubelet of a node (``kubectl logs`` / ``exec`` go through it); KeyError if no such node."""
        return self.kubelets[node_name]

    def recorder(self, component: str, host: str = "") -> EventRecorder:
        """The event recorder of a component (``kubelet`` on a host, ``deployment-controller``)."""
        key = (component, host)
        rec = self._recorders.get(key)
        if rec is None:
            rec = self._recorders[key] = EventRecorder(self.api, self.clock, component, host)
        return rec

    def kubectl(self, command: str | list[str], stdin: str | None = None):
        """Run one kubectl command; returns a :class:`labsim.kubectl.Result` (prints as kubectl would)."""
        from labsim.kubectl import run

        return run(self, command, stdin=stdin)

    def apply(self, manifest: str) -> str:
        """``kubectl apply -f -`` with ``manifest`` as stdin; returns what kubectl printed."""
        return str(self.kubectl("apply -f -", stdin=manifest))

    def advance(self, duration: str | int | float) -> str:
        """Run the simulated clock forward (``40``, ``"40s"``, ``"2m"``). Returns what open
        ``kubectl get -w`` streams printed meanwhile (empty when none are open)."""
        seconds = parse_duration(duration)
        if seconds < 0:
            raise ValueError("cannot advance the clock backwards")
        from labsim.kubectl.watch import collect_watch_output

        self.clock.run_until(self.clock.now + seconds)
        return collect_watch_output(self)

    def settle(self) -> None:
        """Run everything due at the current instant (zero-delay reactions of controllers)."""
        self.clock.run_until(self.clock.now)

    def stop_watches(self) -> str:
        """End open ``kubectl get -w`` streams (a new command was typed); returns their last output."""
        from labsim.kubectl.watch import collect_watch_output

        out = collect_watch_output(self)
        for w in self.watches:
            w.stop()
        self.watches.clear()
        return out

    def dump(self) -> dict[str, list[dict]]:
        """Every stored object, by resource, in list order (for tests and digests)."""
        out: dict[str, list[dict]] = {}
        for rt in self.registry.resources:
            objs = self.store.list(rt)
            if objs:
                out[rt.group_resource] = objs
        return out

    def digest(self) -> str:
        """SHA-256 of the whole store and the clock: equal digests mean identical clusters."""
        h = hashlib.sha256()
        h.update(json.dumps({"now": self.clock.now, "objects": self.dump()}, sort_keys=True).encode())
        return h.hexdigest()

    # -- time travel (labsim.timetravel) --------------------------------------------------------
    @property
    def history(self):
        """The store's history indexed by simulated time (:class:`labsim.timetravel.History`)."""
        h = self.__dict__.get("_history")
        if h is None:
            from labsim.timetravel import History

            h = self._history = History(self.store, self.clock)
        return h

    def at(self, t: float | str):
        """The cluster as it was at simulated time ``t`` (read-only): ``c.at(50).kubectl("get pods")``."""
        from labsim.timetravel import PastCluster

        return PastCluster(self, parse_duration(t))

    def branch(self, t: float | str) -> "Cluster":
        """A new cluster that starts from this one's state at simulated time ``t`` and runs on
        from there (``labsim.timetravel.branch``); this cluster is not changed."""
        from labsim.timetravel import branch

        return branch(self, parse_duration(t))

    def resolve_path(self, path: str) -> str:
        if os.path.isabs(path) or not self.workdir:
            return path
        return os.path.join(self.workdir, path)
