"""Service routing and cluster DNS on top of the pod network.

:class:`ServiceNetwork` is the cluster's :class:`~labsim.network.PodNetwork` with what kube-proxy
and CoreDNS add on a k3s node:

* **kube-proxy, iptables mode** (kubernetes/kubernetes: pkg/proxy/iptables/proxier.go): a
  connection to ``ClusterIP:port`` (or to any node's InternalIP on a ``nodePort``) is DNATed to one
  endpoint of the Service's EndpointSlices, chosen uniformly at random per connection (the
  ``-m statistic --mode random --probability 1/n`` chain; here a seeded stream ``kube-proxy``).
  Ready endpoints are used; when none is ready, serving terminating ones
  (ProxyTerminatingEndpoints); with none at all the connection is rejected at once
  (``-j REJECT``: ICMP port unreachable, so ``curl: (7) ... Couldn't connect to server`` and
  wget's ``Connection refused``, never a timeout). A port the Service does not have matches no
  rule: the packet goes nowhere and the client times out. ``sessionAffinity: ClientIP`` pins a
  client address to its endpoint for ``timeoutSeconds`` (default 10800) of simulated time.
  The server sees the client pod's IP; a pod reaching itself through its Service (hairpin) and
  NodePort traffic are masqueraded, so the server sees its node's bridge address.
* **CoreDNS** (k3s Corefile: ``kubernetes cluster.local ... { pods insecure }``, ``hosts
  /etc/coredns/NodeHosts``, ``loadbalance``) with the pod's resolver: ``search <ns>.svc.cluster.local
  svc.cluster.local cluster.local``, ``ndots:5``. ``<svc>.<ns>.svc.cluster.local`` is the ClusterIP,
  a headless Service's ready endpoint IPs (all with ``publishNotReadyAddresses``; shuffled by the
  ``loadbalance`` plugin), ``<hostname>.<svc>.<ns>.svc.cluster.local`` a headless endpoint with
  that hostname, an ExternalName Service a CNAME (followed only inside the cluster: the simulated
  cluster has no Internet), ``a-b-c-d.<ns>.pod.cluster.local`` the address ``a.b.c.d``, a node's
  name its InternalIP. A name ending in a dot is absolute (no search path). Names outside the
  cluster do not resolve (NXDOMAIN).
"""
from __future__ import annotations

import ipaddress
import re

from labsim.kubelet.images.base import ConnectionRefused, HTTPResponse, Timeout
from labsim.network import PodNetwork

CLUSTER_DOMAIN = "cluster.local"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
#: sessionAffinityConfig.clientIP.timeoutSeconds default (v1.DefaultClientIPServiceAffinitySeconds)
DEFAULT_AFFINITY_SECONDS = 10800
NDOTS = 5
_POD_NAME = re.compile(r"^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})$")


def _is_ip(s: str) -> bool:
    try:
        ipaddress.ip_address(s)
        return True
    except ValueError:
        return False


class ServiceNetwork(PodNetwork):
    """The pod network plus ClusterIP/NodePort routing (kube-proxy) and cluster DNS (CoreDNS)."""

    def __init__(self, cluster) -> None:
        super().__init__()
        self.cluster = cluster
        self.api = cluster.api
        reg = cluster.api.registry
        self._services_rt = reg.for_kind("", "Service")
        self._slices_rt = reg.for_kind("discovery.k8s.io", "EndpointSlice")
        self._pods_rt = reg.for_kind("", "Pod")
        self._nodes_rt = reg.for_kind("", "Node")
        self.rng = cluster.rand.stream("kube-proxy")
        self.dns_rng = cluster.rand.stream("coredns")
        #: (namespace, service, client IP) -> (endpoint IP, expiry) for sessionAffinity: ClientIP
        self._affinity: dict[tuple[str, str, str], tuple[str, float]] = {}
        self._by_ip: dict[str, tuple[str, str]] | None = None
        self._stop = cluster.store.watch(self._invalidate, self._services_rt)

    def _invalidate(self, ev) -> None:
        self._by_ip = None

    # -- lookups ------------------------------------------------------------------------------------
    def _service_ips(self) -> dict[str, tuple[str, str]]:
        if self._by_ip is None:
            index: dict[str, tuple[str, str]] = {}
            for svc in self.api.list(self._services_rt):
                spec = svc.get("spec") or {}
                for ip in spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else []):
                    if ip and ip != "None":
                        index[ip] = (svc["metadata"]["namespace"], svc["metadata"]["name"])
            self._by_ip = index
        return self._by_ip

    def _node_ips(self) -> dict[str, str]:
        out = {}
        for node in self.api.list(self._nodes_rt):
            for a in (node.get("status") or {}).get("addresses") or []:
                if a.get("type") == "InternalIP":
                    out[a["address"]] = node["metadata"]["name"]
        return out

    def _slices(self, namespace: str, name: str) -> list[dict]:
        return [s for s in self.api.list(self._slices_rt, namespace)
                if (s["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) == name]

    def _source_ip(self, source_pod: dict | None) -> str | None:
        if not source_pod:
            return None
        ip = (source_pod.get("status") or {}).get("podIP")
        if ip:
            return ip
        md = source_pod.get("metadata") or {}
        cur = self.api.try_get(self._pods_rt, md.get("namespace"), md.get("name", ""))
        return ((cur or {}).get("status") or {}).get("podIP") or None

    # -- kube-proxy ---------------------------------------------------------------------------------
    def _pick_endpoint(self, svc: dict, svc_port: dict, client_ip: str | None) -> tuple[str, int]:
        """An endpoint ``(ip, port)`` for a new connection to ``svc_port``; ConnectionRefused when
        the Service has no usable endpoint (kube-proxy's REJECT rule)."""
        ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
        port_name = svc_port.get("name") or ""
        protocol = svc_port.get("protocol") or "TCP"
        ready: list[tuple[str, int]] = []
        terminating: list[tuple[str, int]] = []
        for s in self._slices(ns, name):
            port = next((p.get("port") for p in s.get("ports") or []
                         if (p.get("name") or "") == port_name and (p.get("protocol") or "TCP") == protocol), None)
            if port is None:
                continue
            for ep in s.get("endpoints") or []:
                cond = ep.get("conditions") or {}
                addrs = ep.get("addresses") or []
                if not addrs:
                    continue
                # a nil condition counts as true for ready and serving (discovery/v1 semantics)
                if cond.get("ready") is not False:
                    ready.append((addrs[0], port))
                elif cond.get("serving") is not False and cond.get("terminating"):
                    terminating.append((addrs[0], port))
        candidates = sorted(set(ready or terminating))
        if not candidates:
            raise ConnectionRefused()
        spec = svc.get("spec") or {}
        if spec.get("sessionAffinity") == "ClientIP" and client_ip:
            timeout = (((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {})
                       .get("timeoutSeconds") or DEFAULT_AFFINITY_SECONDS)
            key = (ns, name, client_ip)
            pinned = self._affinity.get(key)
            now = self.cluster.clock.now
            if pinned is not None and pinned[1] > now:
                for c in candidates:
                    if c[0] == pinned[0]:
                        self._affinity[key] = (c[0], now + timeout)
                        return c
            choice = candidates[self.rng.randrange(len(candidates))]
            self._affinity[key] = (choice[0], now + timeout)
            return choice
        return candidates[self.rng.randrange(len(candidates))]

    def _route(self, source_pod: dict | None, host: str, port: int) -> tuple[str, int, str | None]:
        """Where a connection to ``host:port`` lands: ``(pod IP, port, client IP the server sees)``."""
        client = self._source_ip(source_pod)
        if host in self._endpoints:
            return host, port, client
        if ipaddress.ip_address(host).is_loopback:
            # the pod's own network namespace: its containers share the loopback interface
            # (how the seed's go-demo-2 api reaches mongo in the same pod with DB=localhost)
            if client is None:
                raise ConnectionRefused()
            return client, port, host
        target = self._service_ips().get(host)
        if target is not None:
            svc = self.api.try_get(self._services_rt, *target)
            if svc is None:
                raise Timeout()
            sp = next((p for p in (svc.get("spec") or {}).get("ports") or []
                       if p.get("port") == port and (p.get("protocol") or "TCP") == "TCP"), None)
            if sp is None:
                # no iptables rule for that port: the packet is routed nowhere
                raise Timeout()
            ip, eport = self._pick_endpoint(svc, sp, client)
            # hairpin traffic (a pod reaching itself through its Service) is masqueraded
            return ip, eport, (None if ip == client else client)
        if host in self._node_ips():
            for svc in self.api.list(self._services_rt):
                spec = svc.get("spec") or {}
                if spec.get("type") not in ("NodePort", "LoadBalancer"):
                    continue
                for sp in spec.get("ports") or []:
                    if sp.get("nodePort") == port and (sp.get("protocol") or "TCP") == "TCP":
                        ip, eport = self._pick_endpoint(svc, sp, client)
                        # externalTrafficPolicy: Cluster SNATs to the node
                        return ip, eport, None
            raise ConnectionRefused()
        # nobody holds the address: the SYN goes unanswered
        raise Timeout()

    def _address(self, source_pod: dict | None, host: str) -> str:
        if _is_ip(host):
            return host
        ips = self.resolve(source_pod, host)
        if not ips:
            raise LookupError(host)
        return ips[0]

    def http_get(self, source_pod: dict | None, host: str, port: int, path: str,
                 headers: dict[str, str] | None = None, timeout: float = 1.0) -> HTTPResponse:
        if source_pod is None and host in self._endpoints:
            # the kubelet's probes: straight to the pod (the hot path)
            return super().http_get(source_pod, host, port, path, headers, timeout)
        ip, eport, client = self._route(source_pod, self._address(source_pod, host), port)
        if ip not in self._endpoints:
            raise Timeout()
        return super().http_get(source_pod, ip, eport, path, headers, timeout, client_ip=client)

    def tcp_connect(self, source_pod: dict | None, host: str, port: int, timeout: float = 1.0) -> None:
        if source_pod is None and host in self._endpoints:
            return super().tcp_connect(source_pod, host, port, timeout)
        ip, eport, _client = self._route(source_pod, self._address(source_pod, host), port)
        if ip not in self._endpoints:
            raise Timeout()
        return super().tcp_connect(source_pod, ip, eport, timeout)

    # -- DNS ----------------------------------------------------------------------------------------
    def resolve(self, source_pod: dict | None, name: str) -> list[str]:
        if _is_ip(name):
            return [name]
        name = name.lower()
        absolute = name.endswith(".")
        name = name.rstrip(".")
        if not name:
            return []
        spec = (source_pod or {}).get("spec") or {}
        if source_pod is not None and not absolute:
            # the kubelet-managed /etc/hosts is read before DNS (pkg/kubelet/kubelet_pods.go,
            # managedHostsFileContent): localhost, and the pod's own hostname
            if name in ("localhost", "ip6-localhost", "ip6-loopback"):
                return ["127.0.0.1"] if name == "localhost" else ["::1"]
            own = spec.get("hostname") or ((source_pod.get("metadata") or {}).get("name") or "")
            if name == own and not spec.get("hostNetwork"):
                ip = self._source_ip(source_pod)
                if ip:
                    return [ip]
        policy = spec.get("dnsPolicy") or "ClusterFirst"
        if policy == "Default" or (policy == "ClusterFirst" and spec.get("hostNetwork")):
            # the node's resolver: no cluster domain
            return self._node_hosts(name)
        if absolute:
            candidates = [name]
        else:
            ns = ((source_pod or {}).get("metadata") or {}).get("namespace") or "default"
            search = [f"{ns}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]
            expanded = [f"{name}.{d}" for d in search]
            candidates = [name] + expanded if name.count(".") >= NDOTS else expanded + [name]
        for c in candidates:
            ips = self.lookup(c)
            if ips:
                return ips
        return []

    def lookup(self, fqdn: str, _depth: int = 0) -> list[str]:
        """The A records CoreDNS answers for an absolute name (without the trailing dot)."""
        fqdn = fqdn.lower().rstrip(".")
        suffix = "." + CLUSTER_DOMAIN
        if not fqdn.endswith(suffix):
            return self._node_hosts(fqdn)
        labels = fqdn[: -len(suffix)].split(".")
        if len(labels) == 3 and labels[2] == "pod":
            m = _POD_NAME.match(labels[0])
            if m and all(0 <= int(g) <= 255 for g in m.groups()):
                return [".".join(str(int(g)) for g in m.groups())]
            return []
        if len(labels) == 3 and labels[2] == "svc":
            return self._service_records(labels[1], labels[0], _depth)
        if len(labels) == 4 and labels[3] == "svc":
            return self._endpoint_hostname_records(labels[2], labels[1], labels[0])
        return []

    def _node_hosts(self, name: str) -> list[str]:
        """k3s's NodeHosts (the ``hosts`` plugin): node names to their InternalIP."""
        for ip, node in self._node_ips().items():
            if node == name:
                return [ip]
        return []

    def _service_records(self, namespace: str, name: str, depth: int) -> list[str]:
        svc = self.api.try_get(self._services_rt, namespace, name)
        if svc is None:
            return []
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            target = spec.get("externalName") or ""
            return self.lookup(target, depth + 1) if target and depth < 8 else []
        ip = spec.get("clusterIP") or ""
        if ip and ip != "None":
            return [ip]
        # headless: the endpoints' addresses
        publish = bool(spec.get("publishNotReadyAddresses"))
        ips = []
        for s in self._slices(namespace, name):
            for ep in s.get("endpoints") or []:
                if publish or (ep.get("conditions") or {}).get("ready") is not False:
                    for a in ep.get("addresses") or []:
                        if a not in ips:
                            ips.append(a)
        ips.sort()
        # CoreDNS's loadbalance plugin shuffles the A records of every answer
        self.dns_rng.shuffle(ips)
        return ips

    def _endpoint_hostname_records(self, namespace: str, service: str, hostname: str) -> list[str]:
        svc = self.api.try_get(self._services_rt, namespace, service)
        if svc is None or ((svc.get("spec") or {}).get("clusterIP") or "") != "None":
            return []
        publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
        for s in self._slices(namespace, service):
            for ep in s.get("endpoints") or []:
                if ep.get("hostname") == hostname and (publish or (ep.get("conditions") or {}).get("ready") is not False):
                    return list((ep.get("addresses") or [])[:1])
        return []
