"""``kubectl describe daemonset`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeDaemonSet``). The five ``Number of Nodes`` lines carry no tab, so they break the
alignment block: ``Pods Status:`` aligns with the pod template below it."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, print_annotations_multiline, print_labels_multiline, tabbed_string,
)
from labsim.kubectl.printers.describe.pod import describe_pod_template
from labsim.kubectl.printers.describe.replicaset import pod_status_for_controller
from labsim.kubectl.printers.describe.selectors import format_labels, selector_string


def describe(api, ds: dict, now: float, show_events: bool = True) -> str:
    md = ds.get("metadata") or {}
    spec = ds.get("spec") or {}
    counts = pod_status_for_controller(api, md.get("namespace", ""), spec.get("selector"), md.get("uid", ""))
    events = events_for(api, ds) if show_events else None
    return describe_daemon_set(ds, events, counts, now)


def describe_daemon_set(ds: dict, events: list[dict] | None, counts: tuple[int, int, int, int], now: float) -> str:
    md = ds.get("metadata") or {}
    spec = ds.get("spec") or {}
    status = ds.get("status") or {}
    template_spec = (spec.get("template") or {}).get("spec") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Selector:\t%s\n", selector_string(spec.get("selector")))
        w.write(LEVEL_0, "Node-Selector:\t%s\n", format_labels(template_spec.get("nodeSelector")))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Desired Number of Nodes Scheduled: %d\n", int(status.get("desiredNumberScheduled") or 0))
        w.write(LEVEL_0, "Current Number of Nodes Scheduled: %d\n", int(status.get("currentNumberScheduled") or 0))
        w.write(LEVEL_0, "Number of Nodes Scheduled with Up-to-date Pods: %d\n",
                int(status.get("updatedNumberScheduled") or 0))
        w.write(LEVEL_0, "Number of Nodes Scheduled with Available Pods: %d\n", int(status.get("numberAvailable") or 0))
        w.write(LEVEL_0, "Number of Nodes Misscheduled: %d\n", int(status.get("numberMisscheduled") or 0))
        w.write(LEVEL_0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed\n", *counts)
        describe_pod_template(spec.get("template"), w)
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
