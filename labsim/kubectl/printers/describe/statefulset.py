"""``kubectl describe statefulset`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeStatefulSet``, ``describeVolumeClaimTemplates``; storage class as
pkg/util/storage ``GetPersistentVolumeClaimClass``).

Upstream HEAD (2026, "add missing fields to kubectl describe statefulset output") prints more
lines; v1.32 prints the ones below.
"""
from __future__ import annotations

from labsim.kubectl.printers.describe import qty as _qty
from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, go_list, print_annotations_multiline, print_labels_multiline, tabbed_string, time_rfc1123z,
)
from labsim.kubectl.printers.describe.pod import describe_pod_template
from labsim.kubectl.printers.describe.replicaset import pod_status_for_controller
from labsim.kubectl.printers.describe.selectors import selector_string

BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


def pvc_storage_class(pvc: dict) -> str:
    """``GetPersistentVolumeClaimClass``: the beta annotation first, then spec.storageClassName."""
    annotations = (pvc.get("metadata") or {}).get("annotations") or {}
    if BETA_STORAGE_CLASS_ANNOTATION in annotations:
        return annotations[BETA_STORAGE_CLASS_ANNOTATION]
    return (pvc.get("spec") or {}).get("storageClassName") or ""


def int_or_string(v) -> str:
    """``intstr.IntOrString.String()``."""
    return "<nil>" if v is None else str(v)


def describe(api, sts: dict, now: float, show_events: bool = True) -> str:
    md = sts.get("metadata") or {}
    spec = sts.get("spec") or {}
    counts = pod_status_for_controller(api, md.get("namespace", ""), spec.get("selector"), md.get("uid", ""))
    events = events_for(api, sts) if show_events else None
    return describe_stateful_set(sts, events, counts, now)


def describe_volume_claim_templates(templates: list | None, w) -> None:
    if not templates:
        w.write(LEVEL_0, "Volume Claims:\t<none>\n")
        return
    w.write(LEVEL_0, "Volume Claims:\n")
    for pvc in templates:
        md = pvc.get("metadata") or {}
        w.write(LEVEL_1, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_1, "StorageClass:\t%s\n", pvc_storage_class(pvc))
        # printLabelsMultilineWithIndent for both: annotations print as key=value here
        print_labels_multiline(w, "Labels", md.get("labels"), initial_indent="  ")
        print_labels_multiline(w, "Annotations", md.get("annotations"), initial_indent="  ")
        requests = ((pvc.get("spec") or {}).get("resources") or {}).get("requests") or {}
        if "storage" in requests:
            w.write(LEVEL_1, "Capacity:\t%s\n", _qty.canonical(requests["storage"]))
        else:
            w.write(LEVEL_1, "Capacity:\t%s\n", "<default>")
        w.write(LEVEL_1, "Access Modes:\t%s\n", go_list((pvc.get("spec") or {}).get("accessModes")))


def describe_stateful_set(sts: dict, events: list[dict] | None, counts: tuple[int, int, int, int], now: float) -> str:
    md = sts.get("metadata") or {}
    spec = sts.get("spec") or {}
    status = sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        w.write(LEVEL_0, "CreationTimestamp:\t%s\n", time_rfc1123z(md.get("creationTimestamp")))
        w.write(LEVEL_0, "Selector:\t%s\n", selector_string(spec.get("selector")))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        replicas = spec.get("replicas") if spec.get("replicas") is not None else 1
        w.write(LEVEL_0, "Replicas:\t%d desired | %d total\n", int(replicas), int(status.get("replicas") or 0))
        w.write(LEVEL_0, "Update Strategy:\t%s\n", strategy.get("type", "") or "")
        ru = strategy.get("rollingUpdate")
        if ru is not None and ru.get("partition") is not None:
            w.write(LEVEL_1, "Partition:\t%d\n", int(ru["partition"]))
            if ru.get("maxUnavailable") is not None:
                w.write(LEVEL_1, "MaxUnavailable:\t%s\n", int_or_string(ru["maxUnavailable"]))
        w.write(LEVEL_0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed\n", *counts)
        describe_pod_template(spec.get("template"), w)
        describe_volume_claim_templates(spec.get("volumeClaimTemplates"), w)
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
