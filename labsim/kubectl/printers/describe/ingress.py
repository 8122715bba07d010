"""``kubectl describe ingress`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeIngressV1``, ``describeBackendV1``, ``describeIngressTLSV1``, ``serviceBackendStringer``,
``ingressLoadBalancerStatusStringerV1``).

A service backend shows the ready endpoints of the service's EndpointSlices for the service port
the backend names (``formatEndpointSlices``, as in Service describe); a failed lookup is inlined
as ``(<error: services "api" not found>)``. Each rule line ends with an empty cell, so every rule
starts a new alignment block for the path column.
"""
from __future__ import annotations

from labsim.errors import StatusError
from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, LEVEL_2, print_annotations_multiline, print_labels_multiline, tabbed_string,
)
from labsim.kubectl.printers.describe.service import format_endpoint_slices

SERVICE_NAME_LABEL = "kubernetes.io/service-name"


def service_backend_string(backend: dict) -> str:
    """``serviceBackendStringer``: ``name:port-number`` or ``name:port-name``."""
    port = backend.get("port") or {}
    number = int(port.get("number") or 0)
    return f"{backend.get('name', '')}:{number if number != 0 else port.get('name', '')}"


def describe_backend(api, namespace: str, backend: dict) -> str:
    """``describeBackendV1``."""
    svc_backend = backend.get("service")
    if svc_backend is not None:
        sb = service_backend_string(svc_backend)
        name = svc_backend.get("name", "")
        slice_rt = api.registry.for_kind("discovery.k8s.io", "EndpointSlice")
        slices = [s for s in api.list(slice_rt, namespace)
                  if ((s.get("metadata") or {}).get("labels") or {}).get(SERVICE_NAME_LABEL) == name]
        try:
            svc = api.get(api.registry.for_kind("", "Service"), namespace, name)
        except StatusError as err:
            return f"{sb} (<error: {err.message}>)"
        port = svc_backend.get("port") or {}
        number, port_name = int(port.get("number") or 0), port.get("name") or ""
        sp_name = ""
        for sp in (svc.get("spec") or {}).get("ports") or []:
            if number != 0 and number == int(sp.get("port") or 0):
                sp_name = sp.get("name") or ""
            elif port_name and port_name == (sp.get("name") or ""):
                sp_name = sp.get("name") or ""
        return f"{sb} ({format_endpoint_slices(slices, {sp_name})})"
    resource = backend.get("resource")
    if resource is not None:
        group = resource.get("apiGroup")
        return "APIGroup: %s, Kind: %s, Name: %s" % ("<none>" if group is None else group,
                                                      resource.get("kind", ""), resource.get("name", ""))
    return ""


def load_balancer_address(status: dict | None) -> str:
    """``ingressLoadBalancerStatusStringerV1(s, wide=true)``: sorted unique IPs/hostnames."""
    found = set()
    for ing in ((status or {}).get("loadBalancer") or {}).get("ingress") or []:
        if ing.get("ip"):
            found.add(ing["ip"])
        elif ing.get("hostname"):
            found.add(ing["hostname"])
    return ",".join(sorted(found))


def describe(api, ing: dict, now: float, show_events: bool = True) -> str:
    md = ing.get("metadata") or {}
    ns = md.get("namespace", "")
    spec = ing.get("spec") or {}
    events = events_for(api, ing) if show_events else None
    default_backend = "<default>"
    if spec.get("defaultBackend") is not None:
        default_backend = describe_backend(api, ns, spec["defaultBackend"])
    rules = []
    for rule in spec.get("rules") or []:
        if rule.get("http") is None:
            continue
        paths = [(p.get("path", "") or "", describe_backend(api, ns, p.get("backend") or {}))
                 for p in rule["http"].get("paths") or []]
        rules.append((rule.get("host") or "*", paths))
    return describe_ingress(ing, default_backend, rules, events, now)


def describe_ingress(ing: dict, default_backend: str, rules: list[tuple[str, list[tuple[str, str]]]],
                     events: list[dict] | None, now: float) -> str:
    md = ing.get("metadata") or {}
    spec = ing.get("spec") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        w.write(LEVEL_0, "Address:\t%s\n", load_balancer_address(ing.get("status")))
        ingress_class = spec.get("ingressClassName")
        w.write(LEVEL_0, "Ingress Class:\t%s\n", "<none>" if ingress_class is None else ingress_class)
        w.write(LEVEL_0, "Default backend:\t%s\n", default_backend)
        if spec.get("tls"):
            w.write(LEVEL_0, "TLS:\n")
            for t in spec["tls"]:
                hosts = ",".join(t.get("hosts") or [])
                if not t.get("secretName"):
                    w.write(LEVEL_1, "SNI routes %s\n", hosts)
                else:
                    w.write(LEVEL_1, "%s terminates %s\n", t["secretName"], hosts)
        w.write(LEVEL_0, "Rules:\n  Host\tPath\tBackends\n")
        w.write(LEVEL_1, "----\t----\t--------\n")
        for host, paths in rules:
            w.write(LEVEL_1, "%s\t\n", host)
            for path, backend in paths:
                w.write(LEVEL_2, "\t%s \t%s\n", path, backend)
        if not rules:
            w.write(LEVEL_1, "%s\t%s\t%s\n", "*", "*", default_backend)
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
