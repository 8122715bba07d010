"""``kubectl describe endpoints`` (kubernetes/kubectl: pkg/describe/describe.go
``describeEndpoints``): one block per subset, each followed by an empty line."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, LEVEL_2, print_annotations_multiline, print_labels_multiline, tabbed_string,
)


def describe(api, ep: dict, now: float, show_events: bool = True) -> str:
    md = ep.get("metadata") or {}
    events = events_for(api, ep) if show_events else None

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Subsets:\n")
        for subset in ep.get("subsets") or []:
            ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or [])
            w.write(LEVEL_1, "Addresses:\t%s\n", ready or "<none>")
            not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or [])
            w.write(LEVEL_1, "NotReadyAddresses:\t%s\n", not_ready or "<none>")
            if subset.get("ports"):
                w.write(LEVEL_1, "Ports:\n")
                w.write(LEVEL_2, "Name\tPort\tProtocol\n")
                w.write(LEVEL_2, "----\t----\t--------\n")
                for p in subset["ports"]:
                    w.write(LEVEL_2, "%s\t%d\t%s\n", p.get("name") or "<unset>", int(p.get("port") or 0),
                            p.get("protocol", "") or "")
            w.write(LEVEL_0, "\n")
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
