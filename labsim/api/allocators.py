"""ClusterIP and NodePort allocation for Services (pkg/registry/core/service/storage/alloc.go,
pkg/registry/core/service/ipallocator, portallocator, v1.32).

The real allocators keep bitmaps in etcd; here the allocated set is read from the stored Services
every time, so a rejected or dry-run request can never leak an allocation and nothing has to be
released. Choice of a free value follows the bitmap allocator's ``randomScanStrategyWithOffset``:
a random start in the upper ("dynamic") band, scanning forward, then the lower band; the random
draws come from the cluster's seeded streams ``service-ip`` and ``node-port``.

k3s defaults: service CIDR 10.43.0.0/16 (10.43.0.1 is the ``kubernetes`` Service, 10.43.0.10 is
kept for kube-dns), NodePort range 30000-32767.
"""
from __future__ import annotations

import ipaddress

from labsim.errors import FieldError

SERVICE_CIDR = ipaddress.ip_network("10.43.0.0/16")
NODE_PORT_MIN = 30000
NODE_PORT_MAX = 32767
#: addresses never handed out dynamically (the apiserver's own Service and cluster DNS)
RESERVED_IPS = frozenset({"10.43.0.1", "10.43.0.10"})


def _ip_offset(size: int) -> int:
    """``calculateRangeOffset`` of the bitmap IP allocator: min(max(16, size/16), 256)."""
    return min(max(16, size // 16), 256)


def _port_offset(size: int) -> int:
    """``calculateRangeOffset`` of the port allocator: min(max(16, size/32), 128)."""
    return min(max(16, size // 32), 128)


class Allocators:
    """Service IP and NodePort allocation over the store (reached as ``api.allocators``)."""

    def __init__(self, api, cidr: str | None = None, node_port_range: tuple[int, int] | None = None):
        self.api = api
        self.cidr = ipaddress.ip_network(cidr) if cidr else SERVICE_CIDR
        self.port_min, self.port_max = node_port_range or (NODE_PORT_MIN, NODE_PORT_MAX)

    # -- what is taken -----------------------------------------------------------------------
    def _services(self, exclude: dict | None):
        rt = self.api.registry.for_kind("", "Service")
        skip = None
        if exclude is not None:
            md = exclude.get("metadata") or {}
            skip = (md.get("namespace"), md.get("name"))
        for svc in self.api.store.list(rt):
            md = svc["metadata"]
            if skip and (md.get("namespace"), md.get("name")) == skip:
                continue
            yield svc

    def allocated_ips(self, exclude: dict | None = None) -> set[str]:
        out: set[str] = set()
        for svc in self._services(exclude):
            spec = svc.get("spec") or {}
            for ip in spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else []):
                if ip and ip != "None":
                    out.add(ip)
        return out

    def allocated_node_ports(self, exclude: dict | None = None) -> set[int]:
        out: set[int] = set()
        for svc in self._services(exclude):
            for p in (svc.get("spec") or {}).get("ports") or []:
                if p.get("nodePort"):
                    out.add(int(p["nodePort"]))
        return out

    # -- picking -----------------------------------------------------------------------------
    def next_ip(self, taken: set[str]) -> str | None:
        net = self.cidr
        # network and broadcast addresses are not allocatable (ipallocator: base+1 .. max-1)
        size = net.num_addresses - 2
        offset = _ip_offset(size)
        base = int(net.network_address) + 1
        rng = self.api.rand.stream("service-ip")

        def scan(lo: int, hi: int) -> str | None:
            if hi <= lo:
                return None
            start = rng.randrange(lo, hi)
            for k in range(hi - lo):
                i = lo + (start - lo + k) % (hi - lo)
                ip = str(ipaddress.ip_address(base + i))
                if ip not in taken and ip not in RESERVED_IPS:
                    return ip
            return None

        return scan(offset, size) or scan(0, offset)

    def next_node_port(self, taken: set[int]) -> int | None:
        size = self.port_max - self.port_min + 1
        offset = _port_offset(size)
        rng = self.api.rand.stream("node-port")

        def scan(lo: int, hi: int) -> int | None:
            if hi <= lo:
                return None
            start = rng.randrange(lo, hi)
            for k in range(hi - lo):
                port = self.port_min + lo + (start - lo + k) % (hi - lo)
                if port not in taken:
                    return port
            return None

        return scan(offset, size) or scan(0, offset)

    # -- the REST hooks ----------------------------------------------------------------------
    def begin_create(self, rt, obj: dict) -> list[FieldError]:
        """Allocate what a new Service needs; returns field errors (``provided port is already
        allocated``, ``provided IP is already allocated``, range errors)."""
        if rt.kind != "Service" or rt.group != "":
            return []
        return self._allocate(obj, None)

    def begin_update(self, rt, obj: dict, old: dict) -> list[FieldError]:
        """``PatchAllocatedValues`` (keep the old clusterIPs and nodePorts a PUT left out) then
        allocate what a type change needs."""
        if rt.kind != "Service" or rt.group != "":
            return []
        spec = obj.setdefault("spec", {})
        old_spec = old.get("spec") or {}
        if spec.get("type") != "ExternalName" and old_spec.get("type") != "ExternalName":
            if not spec.get("clusterIP") and old_spec.get("clusterIP"):
                spec["clusterIP"] = old_spec["clusterIP"]
            if not spec.get("clusterIPs") and old_spec.get("clusterIPs") and spec.get("clusterIP") == old_spec.get(
                    "clusterIP"):
                spec["clusterIPs"] = list(old_spec["clusterIPs"])
            # normalizeClusterIPs (service strategy): a changed clusterIP with untouched clusterIPs
            # moves into clusterIPs[0], so validation reports "may not change once set" there
            if spec.get("clusterIP") and spec.get("clusterIP") != old_spec.get("clusterIP") \
                    and spec.get("clusterIPs") and spec.get("clusterIPs") == old_spec.get("clusterIPs"):
                spec["clusterIPs"] = [spec["clusterIP"]] + list(spec["clusterIPs"][1:])
        if spec.get("type") in ("NodePort", "LoadBalancer") and old_spec.get("type") in ("NodePort", "LoadBalancer"):
            old_ports = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort")
                         for p in old_spec.get("ports") or []}
            for p in spec.get("ports") or []:
                if not p.get("nodePort"):
                    np = old_ports.get((p.get("port"), p.get("protocol", "TCP")))
                    if np:
                        p["nodePort"] = np
        _drop_type_dependent_fields(spec, old_spec)
        return self._allocate(obj, old)

    def _allocate(self, obj: dict, old: dict | None) -> list[FieldError]:
        from labsim.api.gofmt import go_string_slice

        spec = obj.setdefault("spec", {})
        svc_type = spec.get("type", "ClusterIP")
        causes: list[FieldError] = []
        old_spec = (old or {}).get("spec") or {}
        # initIPFamilyFields: a single-stack IPv4 cluster
        if svc_type != "ExternalName":
            headless = spec.get("clusterIP") == "None" or (spec.get("clusterIPs") or [""])[0] == "None"
            if spec.get("ipFamilyPolicy") is None:
                spec["ipFamilyPolicy"] = "RequireDualStack" if headless and not spec.get("selector") else "SingleStack"
            if not spec.get("ipFamilies"):
                spec["ipFamilies"] = ["IPv4"]
        # cluster IPs
        if svc_type != "ExternalName":
            ip = spec.get("clusterIP")
            ips = spec.get("clusterIPs")
            if ip == "None" or (ips and ips[0] == "None"):
                spec["clusterIP"] = "None"
                spec["clusterIPs"] = ["None"]
            elif not ip and not ips:
                ip = self.next_ip(self.allocated_ips(obj))
                if ip is None:
                    causes.append(FieldError("spec.clusterIPs", "FieldValueInternal",
                                             "Internal error: range is full"))
                else:
                    spec["clusterIP"] = ip
                    spec["clusterIPs"] = [ip]
            else:
                ip = ip or ips[0]
                if not ips:
                    spec["clusterIPs"] = [ip]
                if not spec.get("clusterIP"):
                    spec["clusterIP"] = ip
                # on update the allocator only acts when the Service leaves ExternalName
                # (handleClusterIPsForUpdatedService); a changed IP is validation's business
                # ("may not change once set"), so it is not checked against the range here.
                changing_from_external = old is not None and old_spec.get("type") == "ExternalName"
                if ip != old_spec.get("clusterIP") and (old is None or changing_from_external):
                    try:
                        addr = ipaddress.ip_address(ip)
                    except ValueError:
                        addr = None
                    if addr is not None:
                        if addr not in self.cidr or addr in (self.cidr.network_address, self.cidr.broadcast_address):
                            causes.append(FieldError(
                                "spec.clusterIPs", "FieldValueInvalid",
                                f"Invalid value: {go_string_slice(spec['clusterIPs'])}: failed to allocate IP "
                                f"{ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs "
                                f"is {self.cidr}"))
                        elif ip in self.allocated_ips(obj):
                            causes.append(FieldError(
                                "spec.clusterIPs", "FieldValueInvalid",
                                f"Invalid value: {go_string_slice(spec['clusterIPs'])}: failed to allocate IP "
                                f"{ip}: provided IP is already allocated"))
        # node ports
        if svc_type in ("NodePort", "LoadBalancer") and not (
                svc_type == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is False):
            taken = self.allocated_node_ports(obj)
            old_ports = {int(p["nodePort"]) for p in old_spec.get("ports") or [] if p.get("nodePort")}
            mine: set[int] = set()
            for i, p in enumerate(spec.get("ports") or []):
                np = p.get("nodePort")
                if np:
                    np = int(np)
                    if np in old_ports:
                        mine.add(np)
                        continue
                    if not (self.port_min <= np <= self.port_max):
                        causes.append(FieldError(
                            f"spec.ports[{i}].nodePort", "FieldValueInvalid",
                            f"Invalid value: {np}: provided port is not in the valid range. The range of valid "
                            f"ports is {self.port_min}-{self.port_max}"))
                    elif np in taken or np in mine:
                        # the same port for TCP and UDP of one service is allowed (portallocator keys by port)
                        same_svc = any(q.get("nodePort") == np and q.get("port") == p.get("port")
                                       for q in (spec.get("ports") or [])[:i])
                        if not same_svc:
                            causes.append(FieldError(
                                f"spec.ports[{i}].nodePort", "FieldValueInvalid",
                                f"Invalid value: {np}: provided port is already allocated"))
                    mine.add(np)
            for i, p in enumerate(spec.get("ports") or []):
                if not p.get("nodePort"):
                    # a port number used twice (TCP+UDP) shares one node port
                    twin = next((q.get("nodePort") for q in (spec.get("ports") or [])[:i]
                                 if q.get("port") == p.get("port") and q.get("nodePort")), None)
                    np = twin or self.next_node_port(taken | mine)
                    if np is None:
                        causes.append(FieldError(f"spec.ports[{i}].nodePort", "FieldValueInternal",
                                                 "Internal error: range is full"))
                        continue
                    p["nodePort"] = np
                    mine.add(np)
        return causes


def _needs_cluster_ip(spec: dict) -> bool:
    return spec.get("type", "ClusterIP") != "ExternalName"


def _needs_node_port(spec: dict) -> bool:
    return spec.get("type") in ("NodePort", "LoadBalancer")


def _drop_type_dependent_fields(spec: dict, old_spec: dict) -> None:
    """``dropTypeDependentFields`` (pkg/registry/core/service/strategy.go): when the type changes
    to one that does not need a field and the user left that field as it was, it is cleared (so
    NodePort -> ClusterIP releases the node ports and drops externalTrafficPolicy)."""
    def same(f):
        return spec.get(f) == old_spec.get(f)

    if _needs_cluster_ip(old_spec) and not _needs_cluster_ip(spec):
        if same("clusterIP") and same("clusterIPs"):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        if same("ipFamilies"):
            spec.pop("ipFamilies", None)
        if same("ipFamilyPolicy"):
            spec.pop("ipFamilyPolicy", None)
        if same("internalTrafficPolicy"):
            spec.pop("internalTrafficPolicy", None)
    if _needs_node_port(old_spec) and not _needs_node_port(spec):
        old_ports = [(p or {}).get("nodePort") for p in old_spec.get("ports") or []]
        new_ports = [(p or {}).get("nodePort") for p in spec.get("ports") or []]
        if all(n in (None, 0) or n in old_ports for n in new_ports):
            for p in spec.get("ports") or []:
                if isinstance(p, dict):
                    p.pop("nodePort", None)
        if same("externalTrafficPolicy"):
            spec.pop("externalTrafficPolicy", None)
    if old_spec.get("type") == "LoadBalancer" and spec.get("type") != "LoadBalancer":
        for f in ("allocateLoadBalancerNodePorts", "loadBalancerClass", "healthCheckNodePort"):
            if same(f):
                spec.pop(f, None)
