"""``kubectl describe rc`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeReplicationController``): a ReplicaSet's layout with a map selector."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, print_annotations_multiline, print_labels_multiline, tabbed_string,
)
from labsim.kubectl.printers.describe.pod import describe_pod_template
from labsim.kubectl.printers.describe.replicaset import pod_status_for_controller
from labsim.kubectl.printers.describe.selectors import format_labels


def describe(api, rc: dict, now: float, show_events: bool = True) -> str:
    md = rc.get("metadata") or {}
    spec = rc.get("spec") or {}
    # labels.SelectorFromSet(spec.selector): an empty set selects every pod
    counts = pod_status_for_controller(api, md.get("namespace", ""), {"matchLabels": spec.get("selector") or {}},
                                       md.get("uid", ""))
    events = events_for(api, rc) if show_events else None
    status = rc.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        w.write(LEVEL_0, "Selector:\t%s\n", format_labels(spec.get("selector")))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Replicas:\t%d current / %d desired\n", int(status.get("replicas") or 0),
                int(spec.get("replicas") if spec.get("replicas") is not None else 1))
        w.write(LEVEL_0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed\n", *counts)
        describe_pod_template(spec.get("template"), w)
        if status.get("conditions"):
            w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
            w.write(LEVEL_1, "----\t------\t------\n")
            for c in status["conditions"]:
                w.write(LEVEL_1, "%s \t%s\t%s\n", c.get("type", ""), c.get("status", ""), c.get("reason", ""))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
