"""``kubectl describe ingressclass`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeIngressClassV1``)."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, print_annotations_multiline, print_labels_multiline, tabbed_string,
)


def describe(api, ic: dict, now: float, show_events: bool = True) -> str:
    md = ic.get("metadata") or {}
    spec = ic.get("spec") or {}
    events = events_for(api, ic) if show_events else None

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Controller:\t%s\n", spec.get("controller", "") or "")
        params = spec.get("parameters")
        if params is not None:
            w.write(LEVEL_0, "Parameters:\n")
            if params.get("apiGroup") is not None:
                w.write(LEVEL_1, "APIGroup:\t%s\n", params["apiGroup"])
            w.write(LEVEL_1, "Kind:\t%s\n", params.get("kind", ""))
            w.write(LEVEL_1, "Name:\t%s\n", params.get("name", ""))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
