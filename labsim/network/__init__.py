"""The pod network: pod IPs per node and routing of connections to the pod holding an IP.

k3s runs flannel with the ``host-local`` IPAM plugin: every node owns a /24 of the cluster pod
CIDR (``spec.podCIDR``, ``10.42.N.0/24``), ``.1`` is the node's ``cni0`` bridge, and pod IPs are
handed out in order from ``.2``, continuing after the last one reserved and wrapping round, never
reusing an address still held (containernetworking/plugins: ``plugins/ipam/host-local/backend/
allocator``: the range iterator starts after ``lastReservedIP``). That makes pod IPs a pure function
of the order pods get sandboxes on a node.

Service IPs and cluster DNS are layered on top in :mod:`labsim.network.services` (the
cluster's network is a ``ServiceNetwork``); Ingress comes later; this is what probes, ``wget``/``curl``
between pods and the kubelet need now: ``http_get`` and ``tcp_connect`` to a pod IP reach the
container process listening on that port in that pod.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Callable, Iterable

from labsim.kubelet.images.base import ConnectionRefused, HTTPResponse, Timeout


class NodeIPAM:
    """host-local allocation in one node's pod CIDR."""

    def __init__(self, cidr: str):
        net = ipaddress.ip_network(cidr, strict=False)
        self.network = net
        # usable range: .2 .. broadcast-1 (.1 is the bridge gateway)
        self.first = int(net.network_address) + 2
        self.last = int(net.broadcast_address) - 1
        self.in_use: set[int] = set()
        self.last_reserved: int | None = None

    def allocate(self) -> str:
        size = self.last - self.first + 1
        start = self.first if self.last_reserved is None else self.last_reserved + 1
        for i in range(size):
            cand = start + i
            if cand > self.last:
                cand = self.first + (cand - self.last - 1)
            if cand not in self.in_use:
                self.in_use.add(cand)
                self.last_reserved = cand
                return str(ipaddress.ip_address(cand))
        raise RuntimeError(f"failed to allocate for range 0: no IP addresses available in range set: "
                           f"{self.network[self.first - int(self.network.network_address)]}-"
                           f"{self.network[self.last - int(self.network.network_address)]}")

    def release(self, ip: str) -> None:
        self.in_use.discard(int(ipaddress.ip_address(ip)))


class PodNetwork:
    """``ClusterNetwork`` over pod IPs (labsim.kubelet.images.base)."""

    def __init__(self) -> None:
        self._ipam: dict[str, NodeIPAM] = {}
        #: pod IP -> a callable returning the pod's running container processes
        self._endpoints: dict[str, Callable[[], Iterable[Any]]] = {}

    # -- address management (the kubelet's sandbox creation) --------------------------------
    def add_node(self, node_name: str, pod_cidr: str) -> None:
        if node_name not in self._ipam:
            self._ipam[node_name] = NodeIPAM(pod_cidr)

    def allocate(self, node_name: str, processes: Callable[[], Iterable[Any]]) -> str:
        ip = self._ipam[node_name].allocate()
        self._endpoints[ip] = processes
        return ip

    def release(self, node_name: str, ip: str) -> None:
        self._endpoints.pop(ip, None)
        ipam = self._ipam.get(node_name)
        if ipam is not None:
            ipam.release(ip)

    # -- routing ------------------------------------------------------------------------------
    def _processes(self, host: str) -> list[Any]:
        procs = self._endpoints.get(host)
        if procs is None:
            # nobody holds the address: the SYN goes unanswered
            raise Timeout()
        return list(procs())

    def http_get(self, source_pod: dict | None, host: str, port: int, path: str,
                 headers: dict[str, str] | None = None, timeout: float = 1.0,
                 client_ip: str | None = None) -> HTTPResponse:
        """``client_ip``: the peer address the server logs (None: the node's bridge address, as
        for the kubelet's probes); Service routing (labsim.network.services) passes it."""
        procs = self._processes(host)
        # models written before client_ip existed take three arguments
        args = (port, path, headers) if client_ip is None else (port, path, headers, client_ip)
        for p in procs:
            if port in p.listening:
                return p.http_get(*args)
        for p in procs:
            try:
                return p.http_get(*args)
            except ConnectionRefused:
                continue
        raise ConnectionRefused()

    def tcp_connect(self, source_pod: dict | None, host: str, port: int, timeout: float = 1.0) -> None:
        procs = self._processes(host)
        for p in procs:
            try:
                p.tcp_connect(port)
                return
            except ConnectionRefused:
                continue
        raise ConnectionRefused()

    def resolve(self, source_pod: dict | None, name: str) -> list[str]:
        try:
            ipaddress.ip_address(name)
            return [name]
        except ValueError:
            return []
