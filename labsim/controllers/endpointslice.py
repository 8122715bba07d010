"""The EndpointSlice controller (kubernetes/kubernetes: pkg/controller/endpointslice, reconciler in
staging/src/k8s.io/endpointslice/reconciler.go and utils.go).

For every Service with a selector (not ExternalName) it keeps EndpointSlices of address type IPv4:

* named by the API server from ``generateName: <service>-`` (five characters of the seeded name
  stream), owned by the Service (controller reference), labelled with the Service's labels plus
  ``kubernetes.io/service-name=<service>``,
  ``endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io`` and, for a headless
  Service, ``service.kubernetes.io/headless``;
* one endpoint per candidate pod (``ShouldPodBeInEndpoints`` with terminating pods included):
  ``addresses: [podIP]``, ``conditions {ready, serving, terminating}`` with serving = pod Ready,
  terminating = deletionTimestamp set, ready = serving and not terminating (always true with
  ``publishNotReadyAddresses``); ``hostname`` when the pod's subdomain names the Service,
  ``nodeName``, ``targetRef``, ``zone`` from the node's ``topology.kubernetes.io/zone`` label;
* endpoints are grouped by their resolved port list (pods resolving a named target port
  differently land in different slices), at most 100 per slice (``--max-endpoints-per-slice``);
  an existing slice is updated in place (endpoints keep their position, new ones are appended);
* with no endpoint at all, one placeholder slice without ports or endpoints stays (kubectl shows
  ``<unset>``);
* the ``endpoints.kubernetes.io/last-change-trigger-time`` annotation as the Endpoints controller.

Services without a selector get their slices from the EndpointSlice mirroring controller
(:class:`EndpointSliceMirroringController`, pkg/controller/endpointslicemirroring), which copies a
user's Endpoints into slices managed by ``endpointslicemirroring-controller.k8s.io`` unless the
Endpoints carry ``endpointslice.kubernetes.io/skip-mirror: "true"`` (the ``kubernetes`` Service's
do).
"""
from __future__ import annotations

import json

from labsim import errors
from labsim.api.meta import deep_copy
from labsim.clock import rfc3339
from labsim.controllers.base import Controller
from labsim.controllers.endpoints import (HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION, TriggerTimeTracker, _key,
                                          find_port, is_service_ip_set, pod_ip,
                                          pod_ready, selector_matches, services_for_pod_event,
                                          should_pod_be_in_endpoints,
                                          should_set_hostname, target_ref)

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
MIRRORING_CONTROLLER_NAME = "endpointslicemirroring-controller.k8s.io"
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"
ZONE_LABEL = "topology.kubernetes.io/zone"
MAX_ENDPOINTS_PER_SLICE = 100
RESERVED_LABELS = (SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL)


def _ports_key(ports: list[dict] | None) -> str:
    return json.dumps(ports or [], sort_keys=True)


def _slice_labels(service: dict, controller_name: str) -> dict[str, str]:
    """``setEndpointSliceLabels``: the Service's labels, reserved keys overridden."""
    labels = {k: v for k, v in (service["metadata"].get("labels") or {}).items() if k not in RESERVED_LABELS}
    if not is_service_ip_set(service):
        labels[HEADLESS_LABEL] = ""
    labels[SERVICE_NAME_LABEL] = service["metadata"]["name"]
    labels[MANAGED_BY_LABEL] = controller_name
    return labels


def _owner_ref(service: dict) -> dict:
    md = service["metadata"]
    return {"apiVersion": "v1", "kind": "Service", "name": md["name"], "uid": md.get("uid", ""),
            "controller": True, "blockOwnerDeletion": True}


def _ep_key(ep: dict) -> tuple:
    """Identity of an endpoint across syncs (the pod behind it, or its first address)."""
    ref = ep.get("targetRef") or {}
    return (ref.get("uid") or "", (ep.get("addresses") or [""])[0])


class EndpointSliceController(Controller):
    name = "endpointslice-controller"

    def __init__(self, cluster):
        super().__init__(cluster)
        reg = self.api.registry
        self.services_rt = reg.for_kind("", "Service")
        self.pods_rt = reg.for_kind("", "Pod")
        self.nodes_rt = reg.for_kind("", "Node")
        self.slices_rt = reg.for_kind("discovery.k8s.io", "EndpointSlice")
        self.triggers = TriggerTimeTracker()

    def start(self) -> None:
        self.watch("Service", lambda ev: self.queue.add(_key(ev.object)))
        self.watch("Pod", self._on_pod)
        self.watch("EndpointSlice", self._on_slice, group="discovery.k8s.io")
        for svc in self.api.list(self.services_rt):
            self.queue.add(_key(svc))

    def _on_pod(self, ev) -> None:
        for svc in services_for_pod_event(self.api, self.services_rt, ev):
            self.queue.add(_key(svc))

    def _on_slice(self, ev) -> None:
        # a slice of ours changed or vanished behind our back: resync its Service
        labels = ev.object["metadata"].get("labels") or {}
        if labels.get(MANAGED_BY_LABEL) == CONTROLLER_NAME and labels.get(SERVICE_NAME_LABEL):
            if ev.type == "DELETED" or (ev.old is not None and ev.old.get("endpoints") != ev.object.get("endpoints")):
                self.queue.add(f"{ev.object['metadata'].get('namespace', '')}/{labels[SERVICE_NAME_LABEL]}")

    def _owned_slices(self, namespace: str, service: dict | None, name: str) -> list[dict]:
        out = []
        for s in self.api.list(self.slices_rt, namespace):
            labels = s["metadata"].get("labels") or {}
            if labels.get(SERVICE_NAME_LABEL) != name or labels.get(MANAGED_BY_LABEL) != CONTROLLER_NAME:
                continue
            if service is not None and not any(o.get("uid") == service["metadata"].get("uid") and
                                               o.get("kind") == "Service"
                                               for o in s["metadata"].get("ownerReferences") or []):
                continue
            out.append(s)
        return out

    def _pod_to_endpoint(self, pod: dict, service: dict, zones: dict[str, str]) -> dict:
        """``podToEndpoint``."""
        serving = pod_ready(pod)
        terminating = bool(pod["metadata"].get("deletionTimestamp"))
        ready = bool((service.get("spec") or {}).get("publishNotReadyAddresses")) or (serving and not terminating)
        ep: dict = {"addresses": [pod_ip(pod)],
                    "conditions": {"ready": ready, "serving": serving, "terminating": terminating}}
        if should_set_hostname(pod, service):
            ep["hostname"] = pod["spec"]["hostname"]
        ep["targetRef"] = target_ref(pod)
        node = (pod.get("spec") or {}).get("nodeName")
        if node:
            ep["nodeName"] = node
            if zones.get(node):
                ep["zone"] = zones[node]
        return ep

    def sync(self, key: str):
        namespace, name = key.split("/", 1)
        service = self.api.try_get(self.services_rt, namespace, name)
        if service is None:
            # the garbage collector deletes owned slices; do it here (there is no GC controller yet)
            for s in self._owned_slices(namespace, None, name):
                self._delete(s)
            self.triggers.delete(namespace, name)
            return None
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName" or spec.get("selector") is None:
            # no slices of ours for these (a selector removed: drop what we made)
            for s in self._owned_slices(namespace, service, name):
                self._delete(s)
            return None
        selector = spec["selector"]
        pods = [p for p in self.api.list(self.pods_rt, namespace)
                if selector_matches(selector, p["metadata"].get("labels"))]
        trigger = self.triggers.compute(namespace, service, pods)
        zones = {n["metadata"]["name"]: (n["metadata"].get("labels") or {}).get(ZONE_LABEL, "")
                 for n in self.api.list(self.nodes_rt)}
        headless_no_ports = not (spec.get("ports") or []) and spec.get("clusterIP") == "None"
        desired: dict[str, tuple[list[dict], list[dict]]] = {}
        for pod in pods:
            if not should_pod_be_in_endpoints(pod, True):
                continue
            ports = []
            if not headless_no_ports:
                for sp in spec.get("ports") or []:
                    num = find_port(pod, sp)
                    if num is None:
                        continue
                    p: dict = {"name": sp.get("name") or "", "protocol": sp.get("protocol") or "TCP", "port": num}
                    if sp.get("appProtocol"):
                        p["appProtocol"] = sp["appProtocol"]
                    ports.append(p)
            k = _ports_key(ports)
            desired.setdefault(k, (ports, []))[1].append(self._pod_to_endpoint(pod, service, zones))
        self._reconcile(service, namespace, name, desired, trigger)
        return None

    def _reconcile(self, service: dict, namespace: str, name: str,
                   desired: dict[str, tuple[list[dict], list[dict]]], trigger: float | None) -> None:
        """``reconcileByAddressType`` and ``finalize`` for one address type (IPv4)."""
        existing = self._owned_slices(namespace, service, name)
        labels = _slice_labels(service, CONTROLLER_NAME)
        by_ports: dict[str, list[dict]] = {}
        for s in existing:
            by_ports.setdefault(_ports_key(s.get("ports")), []).append(s)
        to_create: list[dict] = []
        to_update: list[dict] = []
        to_delete: list[dict] = []
        for pk, (ports, eps) in desired.items():
            want = {_ep_key(e): e for e in eps}
            placed: set = set()
            kept: list[tuple[dict, bool]] = []
            for s in by_ports.pop(pk, []):
                new_eps = []
                changed = (s["metadata"].get("labels") or {}) != labels
                for e in s.get("endpoints") or []:
                    k = _ep_key(e)
                    if k in want and k not in placed:
                        changed = changed or want[k] != e
                        new_eps.append(want[k])
                        placed.add(k)
                    else:
                        changed = True
                if not new_eps:
                    to_delete.append(s)
                    continue
                ns_ = deep_copy(s)
                ns_["endpoints"] = new_eps
                kept.append((ns_, changed))
            remaining = [e for e in eps if _ep_key(e) not in placed]
            # new endpoints go to slices of this port mapping with room left, then to new slices
            for i, (s, changed) in enumerate(kept):
                room = MAX_ENDPOINTS_PER_SLICE - len(s["endpoints"])
                if room > 0 and remaining:
                    s["endpoints"] = s["endpoints"] + remaining[:room]
                    remaining = remaining[room:]
                    kept[i] = (s, True)
            to_update.extend(s for s, changed in kept if changed)
            while remaining:
                chunk, remaining = remaining[:MAX_ENDPOINTS_PER_SLICE], remaining[MAX_ENDPOINTS_PER_SLICE:]
                to_create.append(self._new_slice(service, namespace, ports, chunk, labels))
        for slices in by_ports.values():
            to_delete.extend(slices)
        # when no slice would exist, a placeholder without ports or endpoints stands in
        if len(existing) == len(to_delete) and not to_create:
            if len(to_delete) == 1 and not to_delete[0].get("ports") and not to_delete[0].get("endpoints") \
                    and (to_delete[0]["metadata"].get("labels") or {}) == labels:
                to_delete = []
            else:
                to_create.append(self._new_slice(service, namespace, None, [], labels))
        # finalize: a slice about to be deleted is reused (same name) for one about to be created
        while to_delete and to_create:
            old, new = to_delete.pop(0), to_create.pop()
            reused = deep_copy(old)
            reused["endpoints"] = new["endpoints"]
            if new.get("ports"):
                reused["ports"] = new["ports"]
            else:
                reused.pop("ports", None)
            to_update.append(reused)
        for s in to_update:
            s["metadata"]["labels"] = dict(labels)
            self._annotate(s, trigger)
            self.api.update(s)
        for s in to_create:
            self._annotate(s, trigger)
            self.api.create(s, namespace)
        for s in to_delete:
            self._delete(s)

    @staticmethod
    def _annotate(s: dict, trigger: float | None) -> None:
        """``addTriggerTimeAnnotation``."""
        ann = dict(s["metadata"].get("annotations") or {})
        if trigger is not None:
            ann[TRIGGER_TIME_ANNOTATION] = rfc3339(trigger)
        else:
            ann.pop(TRIGGER_TIME_ANNOTATION, None)
        if ann:
            s["metadata"]["annotations"] = ann
        else:
            s["metadata"].pop("annotations", None)

    @staticmethod
    def _new_slice(service: dict, namespace: str, ports: list[dict] | None, eps: list[dict],
                   labels: dict[str, str]) -> dict:
        """``newEndpointSlice``: generateName ``<service>-`` (the bare name when that is no valid
        prefix, ``getEndpointSlicePrefix``)."""
        from labsim.api.utilvalidation import name_is_dns_subdomain

        sname = service["metadata"]["name"]
        prefix = sname if name_is_dns_subdomain(f"{sname}-", prefix=True) else f"{sname}-"
        obj = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
               "metadata": {"generateName": prefix, "namespace": namespace, "labels": dict(labels),
                            "ownerReferences": [_owner_ref(service)]},
               "addressType": "IPv4", "endpoints": eps}
        if ports:
            obj["ports"] = ports
        return obj

    def _delete(self, s: dict) -> None:
        try:
            self.api.delete(self.slices_rt, s["metadata"].get("namespace"), s["metadata"]["name"])
        except errors.StatusError as e:
            if e.reason != "NotFound":
                raise


class EndpointSliceMirroringController(Controller):
    """pkg/controller/endpointslicemirroring: slices for Services without a selector, copied from
    the Endpoints a user wrote (ready addresses ``ready: true``, not-ready ones ``ready: false``)."""

    name = "endpointslicemirroring-controller"

    def __init__(self, cluster):
        super().__init__(cluster)
        reg = self.api.registry
        self.services_rt = reg.for_kind("", "Service")
        self.endpoints_rt = reg.for_kind("", "Endpoints")
        self.slices_rt = reg.for_kind("discovery.k8s.io", "EndpointSlice")

    def start(self) -> None:
        self.watch("Service", lambda ev: self.queue.add(_key(ev.object)))
        self.watch("Endpoints", lambda ev: self.queue.add(_key(ev.object)))
        for ep in self.api.list(self.endpoints_rt):
            self.queue.add(_key(ep))

    def _owned(self, namespace: str, name: str) -> list[dict]:
        return [s for s in self.api.list(self.slices_rt, namespace)
                if (s["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) == name
                and (s["metadata"].get("labels") or {}).get(MANAGED_BY_LABEL) == MIRRORING_CONTROLLER_NAME]

    def sync(self, key: str):
        namespace, name = key.split("/", 1)
        service = self.api.try_get(self.services_rt, namespace, name)
        endpoints = self.api.try_get(self.endpoints_rt, namespace, name)
        existing = self._owned(namespace, name)
        mirror = (service is not None and (service.get("spec") or {}).get("selector") is None
                  and endpoints is not None
                  and (endpoints["metadata"].get("labels") or {}).get(SKIP_MIRROR_LABEL) != "true")
        desired: list[tuple[list[dict], list[dict]]] = []
        if mirror:
            for ss in endpoints.get("subsets") or []:
                ports = [{"name": p.get("name") or "", "protocol": p.get("protocol") or "TCP", "port": p.get("port")}
                         for p in ss.get("ports") or []]
                eps = []
                for field, ready in (("addresses", True), ("notReadyAddresses", False)):
                    for a in ss.get(field) or []:
                        ep: dict = {"addresses": [a.get("ip", "")],
                                    "conditions": {"ready": ready}}
                        if a.get("hostname"):
                            ep["hostname"] = a["hostname"]
                        if a.get("targetRef"):
                            ep["targetRef"] = a["targetRef"]
                        if a.get("nodeName"):
                            ep["nodeName"] = a["nodeName"]
                        eps.append(ep)
                if eps:
                    desired.append((ports, eps))
        labels: dict[str, str] = {}
        if mirror:
            labels = {k: v for k, v in (endpoints["metadata"].get("labels") or {}).items()
                      if k not in RESERVED_LABELS}
            labels[SERVICE_NAME_LABEL] = name
            labels[MANAGED_BY_LABEL] = MIRRORING_CONTROLLER_NAME
        kept: list[dict] = []
        for i, (ports, eps) in enumerate(desired):
            cur = existing[i] if i < len(existing) else None
            if cur is not None:
                kept.append(cur)
                if cur.get("endpoints") != eps or (cur.get("ports") or []) != ports or \
                        (cur["metadata"].get("labels") or {}) != labels:
                    new = deep_copy(cur)
                    new["endpoints"], new["metadata"]["labels"] = eps, labels
                    if ports:
                        new["ports"] = ports
                    else:
                        new.pop("ports", None)
                    self.api.update(new)
                continue
            obj = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                   "metadata": {"generateName": f"{name}-", "namespace": namespace, "labels": labels,
                                "ownerReferences": [{"apiVersion": "v1", "kind": "Endpoints", "name": name,
                                                     "uid": endpoints["metadata"].get("uid", ""),
                                                     "controller": True, "blockOwnerDeletion": True}]},
                   "addressType": "IPv4", "endpoints": eps}
            if ports:
                obj["ports"] = ports
            self.api.create(obj, namespace)
        for s in existing:
            if s not in kept:
                try:
                    self.api.delete(self.slices_rt, namespace, s["metadata"]["name"])
                except errors.StatusError as e:
                    if e.reason != "NotFound":
                        raise
        return None
