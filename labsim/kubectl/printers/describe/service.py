"""``kubectl describe service`` (kubernetes/kubectl: pkg/describe/describe.go ``describeService``,
``formatEndpointSlices``): endpoints come from the EndpointSlices labelled
``kubernetes.io/service-name=<service>``; only ready endpoints are listed, at most 3."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, print_annotations_multiline, print_labels_multiline, tabbed_string,
)
from labsim.kubectl.printers.describe.selectors import format_labels


def describe(api, svc: dict, now: float, show_events: bool = True) -> str:
    md = svc.get("metadata") or {}
    rt = api.registry.for_kind("discovery.k8s.io", "EndpointSlice")
    slices = [s for s in api.list(rt, md.get("namespace", ""))
              if ((s.get("metadata") or {}).get("labels") or {}).get("kubernetes.io/service-name") == md.get("name")]
    events = events_for(api, svc) if show_events else None
    return describe_service(svc, slices, events, now)


def _join_host_port(host: str, port) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def format_endpoint_slices(slices: list[dict], port_names: set[str] | None) -> str:
    if not slices:
        return "<none>"
    out: list[str] = []
    limit, more, count = 3, False, 0
    for s in slices:
        endpoints = s.get("endpoints") or []
        if not s.get("ports"):
            for ep in endpoints:
                if len(out) == limit:
                    more = True
                ready = (ep.get("conditions") or {}).get("ready")
                if ready is not None and not ready:
                    continue
                if not more:
                    out.append((ep.get("addresses") or [""])[0])
                count += 1
            continue
        for port in s["ports"]:
            if port_names is None or (port.get("name") or "") in port_names:
                for ep in endpoints:
                    if len(out) == limit:
                        more = True
                    ready = (ep.get("conditions") or {}).get("ready")
                    if ready is not None and not ready:
                        continue
                    if not more:
                        out.append(_join_host_port((ep.get("addresses") or [""])[0], int(port.get("port") or 0)))
                    count += 1
    text = ",".join(out)
    if more:
        return f"{text} + {count - limit} more..."
    return text


def _lb_ingress(ingress: list[dict]) -> str:
    parts = []
    for i in ingress:
        if i.get("ip"):
            parts.append(i["ip"] + (f" ({i['ipMode']})" if i.get("ipMode") else ""))
        else:
            parts.append(i.get("hostname", ""))
    return ", ".join(parts)


def describe_service(svc: dict, slices: list[dict], events: list[dict] | None, now: float) -> str:
    md = svc.get("metadata") or {}
    spec = svc.get("spec") or {}
    status = svc.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Selector:\t%s\n", format_labels(spec.get("selector")))
        w.write(LEVEL_0, "Type:\t%s\n", spec.get("type", "") or "")
        if spec.get("ipFamilyPolicy") is not None:
            w.write(LEVEL_0, "IP Family Policy:\t%s\n", spec["ipFamilyPolicy"])
        families = spec.get("ipFamilies") or []
        w.write(LEVEL_0, "IP Families:\t%s\n", ",".join(families) if families else "<none>")
        w.write(LEVEL_0, "IP:\t%s\n", spec.get("clusterIP", "") or "")
        ips = spec.get("clusterIPs") or []
        w.write(LEVEL_0, "IPs:\t%s\n", ",".join(ips) if ips else "<none>")
        if spec.get("externalIPs"):
            w.write(LEVEL_0, "External IPs:\t%s\n", ",".join(spec["externalIPs"]))
        if spec.get("loadBalancerIP"):
            w.write(LEVEL_0, "Desired LoadBalancer IP:\t%s\n", spec["loadBalancerIP"])
        if spec.get("externalName"):
            w.write(LEVEL_0, "External Name:\t%s\n", spec["externalName"])
        ingress = (status.get("loadBalancer") or {}).get("ingress") or []
        if ingress:
            w.write(LEVEL_0, "LoadBalancer Ingress:\t%s\n", _lb_ingress(ingress))
        for sp in spec.get("ports") or []:
            name = sp.get("name") or "<unset>"
            proto = sp.get("protocol", "") or ""
            w.write(LEVEL_0, "Port:\t%s\t%d/%s\n", name, int(sp.get("port") or 0), proto)
            target = sp.get("targetPort")
            if isinstance(target, int) or target is None:
                w.write(LEVEL_0, "TargetPort:\t%d/%s\n", int(target or 0), proto)
            else:
                w.write(LEVEL_0, "TargetPort:\t%s/%s\n", target, proto)
            if sp.get("nodePort"):
                w.write(LEVEL_0, "NodePort:\t%s\t%d/%s\n", name, int(sp["nodePort"]), proto)
            w.write(LEVEL_0, "Endpoints:\t%s\n", format_endpoint_slices(slices, {sp.get("name") or ""}))
        w.write(LEVEL_0, "Session Affinity:\t%s\n", spec.get("sessionAffinity", "") or "")
        if spec.get("externalTrafficPolicy"):
            w.write(LEVEL_0, "External Traffic Policy:\t%s\n", spec["externalTrafficPolicy"])
        if spec.get("internalTrafficPolicy") is not None:
            w.write(LEVEL_0, "Internal Traffic Policy:\t%s\n", spec["internalTrafficPolicy"])
        if spec.get("healthCheckNodePort"):
            w.write(LEVEL_0, "HealthCheck NodePort:\t%d\n", int(spec["healthCheckNodePort"]))
        if spec.get("loadBalancerSourceRanges"):
            w.write(LEVEL_0, "LoadBalancer Source Ranges:\t%s\n", ",".join(spec["loadBalancerSourceRanges"]))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
