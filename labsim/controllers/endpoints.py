"""The Endpoints controller (kubernetes/kubernetes: pkg/controller/endpoint/endpoints_controller.go).

For every Service with a selector (and not of type ExternalName) it keeps an Endpoints object of
the same name listing the pods the selector matches:

* candidates are the namespace's pods whose labels contain the selector, that have a pod IP, that
  are not terminal (Succeeded/Failed), and that are not terminating unless the Service publishes
  not-ready addresses (``endpointsliceutil.ShouldPodBeInEndpoints``);
* a Ready pod goes to ``subsets[].addresses``, another to ``notReadyAddresses``
  (``addEndpointSubset``); ``publishNotReadyAddresses: true`` puts every candidate in ``addresses``;
* each Service port becomes an endpoint port with the target port resolved per pod
  (``podutil.FindPort``: a number as is, a name looked up among the pod's container ports of the
  same protocol; a pod without it is skipped for that port);
* subsets are repacked (``endpoints.RepackSubsets``): addresses that offer the same ports are
  grouped, addresses sorted by IP then UID;
* the object carries the Service's labels (plus ``service.kubernetes.io/headless`` for headless
  Services) and the ``endpoints.kubernetes.io/last-change-trigger-time`` annotation from the
  trigger time tracker (the Service's creation on first sight, later the earliest Ready-condition
  transition that changed since the previous sync);
* a Service's deletion deletes its Endpoints; a Service without a selector keeps whatever
  Endpoints a user created.

Timing: ``--endpoint-updates-batch-period`` defaults to 0, so a pod change is synced at once: the
controller reacts in the same simulated instant (its work queue runs the key with no delay).
The ``kubernetes`` Service has no selector; its Endpoints belong to the API server.
"""
from __future__ import annotations

import hashlib
import json

from labsim import errors
from labsim.api.meta import deep_copy
from labsim.clock import parse_rfc3339, rfc3339
from labsim.controllers.base import Controller

#: v1.EndpointsLastChangeTriggerTime
TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time"
#: v1.EndpointsOverCapacity
OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity"
#: v1.IsHeadlessService
HEADLESS_LABEL = "service.kubernetes.io/headless"
#: maxCapacity: addresses kept in one Endpoints object
MAX_CAPACITY = 1000


# -- pod helpers shared with the EndpointSlice controller --------------------------------------------

def pod_ready(pod: dict) -> bool:
    """``podutil.IsPodReady``: the Ready condition is True."""
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def pod_ip(pod: dict) -> str:
    status = pod.get("status") or {}
    ip = status.get("podIP") or ""
    if not ip:
        ips = status.get("podIPs") or []
        ip = (ips[0] or {}).get("ip", "") if ips else ""
    return ip


def should_pod_be_in_endpoints(pod: dict, include_terminating: bool) -> bool:
    """``endpointsliceutil.ShouldPodBeInEndpoints``."""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return False
    if not pod_ip(pod):
        return False
    if not include_terminating and (pod.get("metadata") or {}).get("deletionTimestamp"):
        return False
    return True


def should_set_hostname(pod: dict, service: dict) -> bool:
    """``endpointsliceutil.ShouldSetHostname``: the pod's subdomain names this Service."""
    spec = pod.get("spec") or {}
    return bool(spec.get("hostname")) and spec.get("subdomain") == service["metadata"]["name"] \
        and pod["metadata"].get("namespace") == service["metadata"].get("namespace")


def find_port(pod: dict, service_port: dict) -> int | None:
    """``podutil.FindPort``: the pod's port for a Service port's ``targetPort`` (None: no such port)."""
    target = service_port.get("targetPort")
    if target is None:
        target = service_port.get("port")
    if isinstance(target, int):
        return target
    protocol = service_port.get("protocol") or "TCP"
    spec = pod.get("spec") or {}
    for c in spec.get("containers") or []:
        for p in c.get("ports") or []:
            if p.get("name") == target and (p.get("protocol") or "TCP") == protocol:
                return p.get("containerPort")
    # sidecar containers (restartable init containers) count too
    for c in spec.get("initContainers") or []:
        if c.get("restartPolicy") != "Always":
            continue
        for p in c.get("ports") or []:
            if p.get("name") == target and (p.get("protocol") or "TCP") == protocol:
                return p.get("containerPort")
    return None


def selector_matches(selector: dict, labels: dict | None) -> bool:
    """``labels.Set(selector).AsSelectorPreValidated()``: every pair present (an empty map selects all)."""
    labels = labels or {}
    return all(labels.get(k) == v for k, v in selector.items())


def is_service_ip_set(service: dict) -> bool:
    ip = (service.get("spec") or {}).get("clusterIP") or ""
    return ip not in ("", "None")


def target_ref(pod: dict) -> dict:
    md = pod["metadata"]
    return {"kind": "Pod", "namespace": md.get("namespace", ""), "name": md["name"], "uid": md.get("uid", "")}


def services_for_pod_event(api, services_rt, ev) -> list[dict]:
    """The Services whose selector matches the pod before or after a change that matters to
    endpoints (``getPodServiceMemberships`` of the old and the new pod, as both the Endpoints and
    the EndpointSlice controllers' ``updatePod`` do)."""
    pod, old = ev.object, ev.old
    if ev.type == "MODIFIED" and old is not None and not _pod_changed_for_endpoints(old, pod):
        return []
    label_sets = [pod["metadata"].get("labels") or {}]
    if old is not None:
        label_sets.append(old["metadata"].get("labels") or {})
    out = []
    for svc in api.list(services_rt, pod["metadata"].get("namespace", "")):
        sel = (svc.get("spec") or {}).get("selector")
        if sel is not None and any(selector_matches(sel, ls) for ls in label_sets):
            out.append(svc)
    return out


class TriggerTimeTracker:
    """``endpointsliceutil.TriggerTimeTracker``: when did the change behind an update happen?"""

    def __init__(self) -> None:
        #: (namespace, service) -> (pod name -> last Ready transition seen, service trigger time)
        self._states: dict[tuple[str, str], tuple[dict[str, float], float]] = {}

    def compute(self, namespace: str, service: dict, pods: list[dict]) -> float | None:
        key = (namespace, service["metadata"]["name"])
        state = self._states.get(key)
        last_pods, last_svc = state if state is not None else ({}, float("-inf"))
        changed: float | None = None
        pod_times: dict[str, float] = {}
        for pod in pods:
            t = _pod_trigger_time(pod)
            if t is None:
                continue
            pod_times[pod["metadata"]["name"]] = t
            if t > last_pods.get(pod["metadata"]["name"], float("-inf")):
                changed = t if changed is None else min(changed, t)
        svc_time = _parse_time(service["metadata"].get("creationTimestamp"))
        if svc_time is not None and svc_time > last_svc:
            changed = svc_time if changed is None else min(changed, svc_time)
        self._states[key] = (pod_times, svc_time if svc_time is not None else float("-inf"))
        if state is None:
            # a new Service: its creation time
            return svc_time
        return changed

    def delete(self, namespace: str, name: str) -> None:
        self._states.pop((namespace, name), None)


def _parse_time(s: str | None) -> float | None:
    if not s:
        return None
    try:
        return parse_rfc3339(s)
    except ValueError:
        return None


def _pod_trigger_time(pod: dict) -> float | None:
    """``getPodTriggerTime``: the Ready condition's lastTransitionTime."""
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return _parse_time(c.get("lastTransitionTime"))
    return None


# -- subsets --------------------------------------------------------------------------------------

def _hash(obj) -> str:
    # upstream sorts ports and subsets by an MD5 of the object's dump (hashutil.DeepHashObject);
    # an MD5 of the canonical JSON gives the same kind of stable, content-derived order
    return hashlib.md5(json.dumps(obj, sort_keys=True).encode()).hexdigest()


def _addr_key(addr: dict) -> tuple:
    ref = addr.get("targetRef") or {}
    return (addr.get("ip", ""), ref.get("uid", ""))


def _ip_sort_key(addr: dict) -> tuple:
    # addrsByIPAndUID compares the IP strings (bytes.Compare of the string), then the UID
    return (addr.get("ip", ""), (addr.get("targetRef") or {}).get("uid", ""))


def repack_subsets(subsets: list[dict]) -> list[dict]:
    """``endpoints.RepackSubsets``: group addresses offering the same ports; sort."""
    all_addrs: dict[tuple, dict] = {}
    port_to_addrs: dict[str, tuple[dict | None, dict[tuple, bool]]] = {}
    sentinel = json.dumps({"port": -1})

    def map_by_port(port_key: str, port: dict | None, addr: dict, ready: bool) -> None:
        key = _addr_key(addr)
        if key not in all_addrs:
            all_addrs[key] = addr
        entry = port_to_addrs.setdefault(port_key, (port, {}))
        if not entry[1].get(key, False):
            entry[1][key] = ready

    for ss in subsets:
        ports = ss.get("ports") or []
        keys = [(json.dumps(p, sort_keys=True), p) for p in ports] or [(sentinel, None)]
        for pk, p in keys:
            for a in ss.get("addresses") or []:
                map_by_port(pk, p, a, True)
            for a in ss.get("notReadyAddresses") or []:
                map_by_port(pk, p, a, False)
    groups: dict[str, tuple[dict[tuple, bool], list[dict]]] = {}
    for pk, (port, addrs) in port_to_addrs.items():
        gkey = json.dumps(sorted([list(k) + [r] for k, r in addrs.items()]))
        g = groups.setdefault(gkey, (addrs, []))
        if port is not None:
            g[1].append(port)
    final = []
    for addrs, ports in groups.values():
        ready = sorted((all_addrs[k] for k, r in addrs.items() if r), key=_ip_sort_key)
        not_ready = sorted((all_addrs[k] for k, r in addrs.items() if not r), key=_ip_sort_key)
        ss: dict = {}
        if ready:
            ss["addresses"] = ready
        if not_ready:
            ss["notReadyAddresses"] = not_ready
        if ports:
            ss["ports"] = sorted(ports, key=_hash)
        final.append(ss)
    final.sort(key=_hash)
    return final


def _truncate(subsets: list[dict]) -> bool:
    """``truncateEndpoints``: keep at most MAX_CAPACITY addresses, ready ones first."""
    total_ready = sum(len(s.get("addresses") or []) for s in subsets)
    total_not_ready = sum(len(s.get("notReadyAddresses") or []) for s in subsets)
    if total_ready + total_not_ready <= MAX_CAPACITY:
        return False
    truncate_ready = total_ready > MAX_CAPACITY
    limit = MAX_CAPACITY if truncate_ready else MAX_CAPACITY - total_ready
    num_total = total_ready if truncate_ready else total_not_ready
    can_be_added = limit
    for s in subsets:
        field = "addresses" if truncate_ready else "notReadyAddresses"
        n = len(s.get(field) or [])
        to_add = min(-(-n * limit // num_total) if num_total else 0, can_be_added)
        s[field] = (s.get(field) or [])[:to_add]
        if truncate_ready:
            s.pop("notReadyAddresses", None)
        can_be_added -= len(s[field])
        if not s[field]:
            s.pop(field)
    return True


def _strip_rv(subsets: list[dict]) -> list[dict]:
    out = deep_copy(subsets)
    for s in out:
        for f in ("addresses", "notReadyAddresses"):
            for a in s.get(f) or []:
                (a.get("targetRef") or {}).pop("resourceVersion", None)
    return out


class EndpointsController(Controller):
    name = "endpoints-controller"

    def __init__(self, cluster):
        super().__init__(cluster)
        reg = self.api.registry
        self.services_rt = reg.for_kind("", "Service")
        self.pods_rt = reg.for_kind("", "Pod")
        self.endpoints_rt = reg.for_kind("", "Endpoints")
        self.triggers = TriggerTimeTracker()

    def start(self) -> None:
        self.watch("Service", self._on_service)
        self.watch("Pod", self._on_pod)
        self.watch("Endpoints", self._on_endpoints)
        for svc in self.api.list(self.services_rt):
            self.queue.add(_key(svc))

    # -- event handlers (endpoints_controller.go onServiceUpdate, addPod/updatePod/deletePod) ----------
    def _on_service(self, ev) -> None:
        self.queue.add(_key(ev.object))

    def _on_endpoints(self, ev) -> None:
        # onEndpointsDelete: a deleted Endpoints of a live Service is recreated
        if ev.type == "DELETED":
            self.queue.add(_key(ev.object))

    def _on_pod(self, ev) -> None:
        for svc in services_for_pod_event(self.api, self.services_rt, ev):
            self.queue.add(_key(svc))

    # -- syncService -----------------------------------------------------------------------------------
    def sync(self, key: str):
        namespace, name = key.split("/", 1)
        service = self.api.try_get(self.services_rt, namespace, name)
        if service is None:
            try:
                self.api.delete(self.endpoints_rt, namespace, name)
            except errors.StatusError as e:
                if e.reason != "NotFound":
                    raise
            self.triggers.delete(namespace, name)
            return None
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName":
            return None
        selector = spec.get("selector")
        if selector is None:
            return None
        pods = [p for p in self.api.list(self.pods_rt, namespace)
                if selector_matches(selector, p["metadata"].get("labels"))]
        trigger = self.triggers.compute(namespace, service, pods)
        publish_not_ready = bool(spec.get("publishNotReadyAddresses"))
        ports = spec.get("ports") or []
        subsets: list[dict] = []
        for pod in pods:
            if not should_pod_be_in_endpoints(pod, publish_not_ready):
                continue
            addr: dict = {"ip": pod_ip(pod)}
            if should_set_hostname(pod, service):
                addr["hostname"] = pod["spec"]["hostname"]
            node = (pod.get("spec") or {}).get("nodeName")
            if node:
                addr["nodeName"] = node
            addr["targetRef"] = target_ref(pod)
            ready = publish_not_ready or pod_ready(pod)
            field = "addresses" if ready else "notReadyAddresses"
            if not ports:
                if spec.get("clusterIP") == "None":
                    subsets.append({field: [addr]})
                continue
            for sp in ports:
                num = find_port(pod, sp)
                if num is None:
                    continue
                ep: dict = {}
                if sp.get("name"):
                    ep["name"] = sp["name"]
                ep["port"] = num
                ep["protocol"] = sp.get("protocol") or "TCP"
                if sp.get("appProtocol"):
                    ep["appProtocol"] = sp["appProtocol"]
                subsets.append({field: [deep_copy(addr)], "ports": [ep]})
        subsets = repack_subsets(subsets)

        current = self.api.try_get(self.endpoints_rt, namespace, name)
        svc_labels = service["metadata"].get("labels") or {}
        if current is not None:
            cur_labels = dict(current["metadata"].get("labels") or {})
            cur_labels.pop(HEADLESS_LABEL, None)
            cur_ann = current["metadata"].get("annotations") or {}
            n = sum(len(s.get("addresses") or []) + len(s.get("notReadyAddresses") or [])
                    for s in current.get("subsets") or [])
            capacity_ok = (n <= MAX_CAPACITY) and OVER_CAPACITY_ANNOTATION not in cur_ann
            if _strip_rv(current.get("subsets") or []) == subsets and cur_labels == svc_labels and capacity_ok:
                return None
            new = deep_copy(current)
        else:
            new = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": namespace}}
        md = new["metadata"]
        annotations = dict(md.get("annotations") or {})
        if trigger is not None:
            annotations[TRIGGER_TIME_ANNOTATION] = rfc3339(trigger)
        else:
            annotations.pop(TRIGGER_TIME_ANNOTATION, None)
        if _truncate(subsets):
            annotations[OVER_CAPACITY_ANNOTATION] = "truncated"
        else:
            annotations.pop(OVER_CAPACITY_ANNOTATION, None)
        labels = dict(svc_labels)
        if not is_service_ip_set(service):
            labels[HEADLESS_LABEL] = ""
        else:
            labels.pop(HEADLESS_LABEL, None)
        md["labels"] = labels
        if annotations:
            md["annotations"] = annotations
        else:
            md.pop("annotations", None)
        if subsets:
            new["subsets"] = subsets
        else:
            new.pop("subsets", None)
        if current is None:
            try:
                self.api.create(new, namespace)
            except errors.StatusError as e:
                if e.reason == "Forbidden":
                    # the namespace is terminating: creation keeps failing; drop the key
                    return None
                raise
        else:
            self.api.update(new)
        return None


def _key(obj: dict) -> str:
    return f"{obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}"


def _pod_changed_for_endpoints(old: dict, new: dict) -> bool:
    """``podEndpointsChanged`` / label changes: only what endpoints are built from."""
    om, nm = old["metadata"], new["metadata"]
    if om.get("labels") != nm.get("labels") or om.get("deletionTimestamp") != nm.get("deletionTimestamp"):
        return True
    if pod_ready(old) != pod_ready(new) or pod_ip(old) != pod_ip(new):
        return True
    if (old.get("status") or {}).get("phase") != (new.get("status") or {}).get("phase"):
        return True
    if _pod_trigger_time(old) != _pod_trigger_time(new):
        return True
    os_, ns_ = old.get("spec") or {}, new.get("spec") or {}
    return (os_.get("nodeName") != ns_.get("nodeName") or os_.get("hostname") != ns_.get("hostname")
            or os_.get("subdomain") != ns_.get("subdomain"))
