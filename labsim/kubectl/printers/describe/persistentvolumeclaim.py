"""``kubectl describe pvc`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describePersistentVolumeClaim``, ``printPersistentVolumeClaim``, ``getPodsForPVC``,
``printPodsMultiline``).

``Used By`` lists the namespace's pods with a volume naming the claim (a pod once per such volume,
as kubectl appends it per volume) and the pods owning the claim (generic ephemeral volumes),
sorted by name. Capacity and access modes come from the status, and only once the claim is bound
to a volume.
"""
from __future__ import annotations

from labsim.kubectl.printers.describe import qty as _qty
from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, go_list, print_annotations_multiline, print_labels_multiline, tabbed_string, time_rfc1123z,
    translate_timestamp_since,
)
from labsim.kubectl.printers.describe.persistentvolume import access_modes_string
from labsim.kubectl.printers.describe.statefulset import pvc_storage_class


def pods_for_pvc(api, pvc: dict) -> list[dict]:
    md = pvc.get("metadata") or {}
    ns_pods = api.list(api.registry.for_kind("", "Pod"), md.get("namespace", ""))
    pods = []
    for pod in ns_pods:
        for v in (pod.get("spec") or {}).get("volumes") or []:
            if v.get("persistentVolumeClaim") is not None and v["persistentVolumeClaim"].get("claimName") == md.get("name"):
                pods.append(pod)
    for ref in md.get("ownerReferences") or []:
        if ref.get("kind") != "Pod":
            continue
        owner = next((p for p in ns_pods if p["metadata"].get("uid") == ref.get("uid")), None)
        if owner is None or any(p["metadata"].get("uid") == owner["metadata"].get("uid") for p in pods):
            continue
        pods.append(owner)
    return pods


def describe(api, pvc: dict, now: float, show_events: bool = True) -> str:
    pods = pods_for_pvc(api, pvc)
    events = events_for(api, pvc) if show_events else None
    return describe_persistent_volume_claim(pvc, events, pods, now)


def print_pods_multiline(w, title: str, pods: list[dict]) -> None:
    w.write(LEVEL_0, "%s:%s", title, "\t")
    if not pods:
        w.write_line("<none>")
        return
    for i, pod in enumerate(sorted(pods, key=lambda p: p["metadata"]["name"])):
        if i:
            w.write(LEVEL_0, "%s", "")
            w.write(LEVEL_0, "%s", "\t")
        w.write(LEVEL_0, "%s\n", pod["metadata"]["name"])


def describe_persistent_volume_claim(pvc: dict, events: list[dict] | None, pods: list[dict], now: float) -> str:
    md = pvc.get("metadata") or {}
    spec = pvc.get("spec") or {}
    status = pvc.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        w.write(LEVEL_0, "StorageClass:\t%s\n", pvc_storage_class(pvc))
        if md.get("deletionTimestamp"):
            w.write(LEVEL_0, "Status:\tTerminating (lasts %s)\n", translate_timestamp_since(md["deletionTimestamp"], now))
        else:
            w.write(LEVEL_0, "Status:\t%s\n", status.get("phase", "") or "")
        w.write(LEVEL_0, "Volume:\t%s\n", spec.get("volumeName", "") or "")
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Finalizers:\t%s\n", go_list(md.get("finalizers")))
        capacity = access_modes = ""
        if spec.get("volumeName"):
            access_modes = access_modes_string(status.get("accessModes"))
            capacity = _qty.canonical((status.get("capacity") or {}).get("storage", "0"))
        w.write(LEVEL_0, "Capacity:\t%s\n", capacity)
        w.write(LEVEL_0, "Access Modes:\t%s\n", access_modes)
        if spec.get("volumeMode") is not None:
            w.write(LEVEL_0, "VolumeMode:\t%s\n", spec["volumeMode"])
        source = spec.get("dataSource")
        if source is not None:
            w.write(LEVEL_0, "DataSource:\n")
            if source.get("apiGroup") is not None:
                w.write(LEVEL_1, "APIGroup:\t%s\n", source["apiGroup"])
            w.write(LEVEL_1, "Kind:\t%s\n", source.get("kind", ""))
            w.write(LEVEL_1, "Name:\t%s\n", source.get("name", ""))
        print_pods_multiline(w, "Used By", pods)
        if status.get("conditions"):
            w.write(LEVEL_0, "Conditions:\n")
            w.write(LEVEL_1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
            w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
            for c in status["conditions"]:
                w.write(LEVEL_1, "%s \t%s \t%s \t%s \t%s \t%s\n", c.get("type", ""), c.get("status", ""),
                        time_rfc1123z(c.get("lastProbeTime")), time_rfc1123z(c.get("lastTransitionTime")),
                        c.get("reason", ""), c.get("message", ""))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
