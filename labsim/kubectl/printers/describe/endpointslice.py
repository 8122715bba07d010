"""``kubectl describe endpointslice`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeEndpointSliceV1``)."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, go_bool, print_annotations_multiline, print_labels_multiline, tabbed_string,
)


def describe(api, eps: dict, now: float, show_events: bool = True) -> str:
    md = eps.get("metadata") or {}
    events = events_for(api, eps) if show_events else None

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "AddressType:\t%s\n", eps.get("addressType", ""))
        ports = eps.get("ports") or []
        if not ports:
            w.write(LEVEL_0, "Ports: <unset>\n")
        else:
            w.write(LEVEL_0, "Ports:\n")
            w.write(LEVEL_1, "Name\tPort\tProtocol\n")
            w.write(LEVEL_1, "----\t----\t--------\n")
            for p in ports:
                name = p.get("name") or "<unset>"
                port = "<unset>" if p.get("port") is None else str(int(p["port"]))
                w.write(LEVEL_1, "%s\t%s\t%s\n", name, port, p.get("protocol", "") or "")
        endpoints = eps.get("endpoints") or []
        if not endpoints:
            w.write(LEVEL_0, "Endpoints: <none>\n")
        else:
            w.write(LEVEL_0, "Endpoints:\n")
            for ep in endpoints:
                w.write(LEVEL_1, "- Addresses:\t%s\n", ", ".join(ep.get("addresses") or []) or "<none>")
                w.write(LEVEL_2, "Conditions:\n")
                ready = (ep.get("conditions") or {}).get("ready")
                w.write(LEVEL_3, "Ready:\t%s\n", "<unset>" if ready is None else go_bool(ready))
                w.write(LEVEL_2, "Hostname:\t%s\n", "<unset>" if ep.get("hostname") is None else ep["hostname"])
                ref = ep.get("targetRef")
                if ref is not None:
                    w.write(LEVEL_2, "TargetRef:\t%s/%s\n", ref.get("kind", ""), ref.get("name", ""))
                w.write(LEVEL_2, "NodeName:\t%s\n", "<unset>" if ep.get("nodeName") is None else ep["nodeName"])
                w.write(LEVEL_2, "Zone:\t%s\n", "<unset>" if ep.get("zone") is None else ep["zone"])
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
