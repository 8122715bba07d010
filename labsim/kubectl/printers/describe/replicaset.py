"""``kubectl describe replicaset`` (kubernetes/kubectl: pkg/describe/describe.go
``describeReplicaSet``, ``getPodStatusForController``)."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, controlled_by, print_annotations_multiline, print_labels_multiline, tabbed_string,
)
from labsim.kubectl.printers.describe.pod import describe_pod_template
from labsim.kubectl.printers.describe.selectors import format_label_selector, selector_matches


def pod_status_for_controller(api, namespace: str, selector: dict | None, uid: str) -> tuple[int, int, int, int]:
    """Pods matching the selector and controlled by ``uid``, counted by phase
    (Running / Pending / Succeeded / Failed)."""
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in api.list(api.registry.for_kind("", "Pod"), namespace):
        md = pod.get("metadata") or {}
        if not selector_matches(selector, md.get("labels")):
            continue
        ref = next((r for r in md.get("ownerReferences") or [] if r.get("controller")), None)
        if ref is None or ref.get("uid") != uid:
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def describe(api, rs: dict, now: float, show_events: bool = True) -> str:
    md = rs.get("metadata") or {}
    spec = rs.get("spec") or {}
    counts = pod_status_for_controller(api, md.get("namespace", ""), spec.get("selector"), md.get("uid", ""))
    events = events_for(api, rs) if show_events else None
    return describe_replica_set(rs, events, counts, now)


def describe_replica_set(rs: dict, events: list[dict] | None, counts: tuple[int, int, int, int], now: float) -> str:
    md = rs.get("metadata") or {}
    spec = rs.get("spec") or {}
    status = rs.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        w.write(LEVEL_0, "Selector:\t%s\n", format_label_selector(spec.get("selector")))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        owner = controlled_by(rs)
        if owner:
            w.write(LEVEL_0, "Controlled By:\t%s\n", owner)
        w.write(LEVEL_0, "Replicas:\t%d current / %d desired\n", int(status.get("replicas") or 0),
                int(spec.get("replicas") if spec.get("replicas") is not None else 1))
        w.write(LEVEL_0, "Pods Status:\t")
        w.write(LEVEL_0, "%d Running / %d Waiting / %d Succeeded / %d Failed\n", *counts)
        describe_pod_template(spec.get("template"), w)
        if status.get("conditions"):
            w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
            w.write(LEVEL_1, "----\t------\t------\n")
            for c in status["conditions"]:
                w.write(LEVEL_1, "%s \t%s\t%s\n", c.get("type", ""), c.get("status", ""), c.get("reason", ""))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
