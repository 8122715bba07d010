"""``kubectl describe pv`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describePersistentVolume``, ``printVolumeNodeAffinity``, ``printNodeSelectorTermsMultilineWithIndent``,
the ``print*VolumeSource`` helpers; pkg/util/storage ``GetPersistentVolumeClass``,
``GetAccessModesAsString``).

Sources printed: hostPath, nfs, iscsi, local, fc, csi. The other in-tree sources (cloud disks,
glusterfs, rbd, cephfs, ...) are not ported: such a PV prints kubectl's ``<unknown>`` fallback.
"""
from __future__ import annotations

from labsim.kubectl.printers.describe import qty as _qty
from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, LEVEL_2, go_bool, go_list, print_annotations_multiline, print_labels_multiline, tabbed_string,
    translate_timestamp_since,
)

BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
#: printCSIPersistentVolumeAttributesMultilineIndent cuts ``key=value`` at maxAnnotationLen
MAX_ANNOTATION_LEN = 140
_ACCESS_MODES = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                 ("ReadWriteOncePod", "RWOP"))


def access_modes_string(modes: list | None) -> str:
    """``GetAccessModesAsString``: always in the order RWO,ROX,RWX,RWOP, duplicates dropped."""
    have = set(modes or [])
    return ",".join(short for mode, short in _ACCESS_MODES if mode in have)


def pv_storage_class(pv: dict) -> str:
    """``GetPersistentVolumeClass``: the beta annotation first, then spec.storageClassName."""
    annotations = (pv.get("metadata") or {}).get("annotations") or {}
    if BETA_STORAGE_CLASS_ANNOTATION in annotations:
        return annotations[BETA_STORAGE_CLASS_ANNOTATION]
    return (pv.get("spec") or {}).get("storageClassName") or ""


def print_volume_node_affinity(w, affinity: dict | None) -> None:
    w.write(LEVEL_0, "Node Affinity:\t")
    if affinity is None or affinity.get("required") is None:
        w.write_line("<none>")
        return
    w.write_line("")
    w.write(LEVEL_1, "Required Terms:\t")
    terms = affinity["required"].get("nodeSelectorTerms") or []
    if not terms:
        w.write_line("<none>")
        return
    w.write_line("")
    for i, term in enumerate(terms):
        print_node_selector_terms(w, LEVEL_2, f"Term {i}", "\t", term.get("matchExpressions"))


def print_node_selector_terms(w, level: int, title: str, inner_indent: str, reqs: list | None) -> None:
    w.write(level, "%s:%s", title, inner_indent)
    if not reqs:
        w.write_line("<none>")
        return
    for i, req in enumerate(reqs):
        if i:
            w.write(level, "%s", inner_indent)
        expr = f"{req.get('key', '')} {(req.get('operator') or '').lower()}"
        if req.get("values"):
            expr = f"{expr} [{', '.join(req['values'])}]"
        w.write(LEVEL_0, "%s\n", expr)


def _csi_attributes(w, attributes: dict | None) -> None:
    w.write(LEVEL_2, "%s:%s", "VolumeAttributes", "\t")
    if not attributes:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(attributes)):
        if i:
            w.write(LEVEL_2, "")
            w.write(LEVEL_2, "\t")
        line = f"{key}={attributes[key]}"
        if len(line) > MAX_ANNOTATION_LEN:
            w.write(LEVEL_2, "%s...\n", line[:MAX_ANNOTATION_LEN])
        else:
            w.write(LEVEL_2, "%s\n", line)


def _secret_ref(ref: dict | None) -> str:
    """``%v`` of a ``*SecretReference``: ``&SecretReference{Name:n,Namespace:ns,}``, ``nil``."""
    if ref is None:
        return "nil"
    return f"&SecretReference{{Name:{ref.get('name', '')},Namespace:{ref.get('namespace', '')},}}"


def print_source(spec: dict, w) -> None:
    if spec.get("hostPath") is not None:
        hp = spec["hostPath"]
        w.write(LEVEL_2, "Type:\tHostPath (bare host directory volume)\n    Path:\t%s\n    HostPathType:\t%s\n",
                hp.get("path", ""), hp.get("type") if hp.get("type") is not None else "<none>")
    elif spec.get("nfs") is not None:
        n = spec["nfs"]
        w.write(LEVEL_2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t%s\n"
                         "    Path:\t%s\n    ReadOnly:\t%s\n", n.get("server", ""), n.get("path", ""),
                go_bool(n.get("readOnly")))
    elif spec.get("iscsi") is not None:
        s = spec["iscsi"]
        w.write(LEVEL_2, "Type:\tISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then "
                         "exposed to the pod)\n    TargetPortal:\t%s\n    IQN:\t%s\n    Lun:\t%d\n"
                         "    ISCSIInterface\t%s\n    FSType:\t%s\n    ReadOnly:\t%s\n    Portals:\t%s\n"
                         "    DiscoveryCHAPAuth:\t%s\n    SessionCHAPAuth:\t%s\n    SecretRef:\t%s\n"
                         "    InitiatorName:\t%s\n",
                s.get("targetPortal", ""), s.get("iqn", ""), int(s.get("lun") or 0), s.get("iscsiInterface", ""),
                s.get("fsType", ""), go_bool(s.get("readOnly")), go_list(s.get("portals")),
                go_bool(s.get("chapAuthDiscovery")), go_bool(s.get("chapAuthSession")),
                _secret_ref(s.get("secretRef")), s["initiatorName"] if s.get("initiatorName") is not None else "<none>")
    elif spec.get("local") is not None:
        w.write(LEVEL_2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t%s\n",
                spec["local"].get("path", ""))
    elif spec.get("fc") is not None:
        fc = spec["fc"]
        lun = "<none>" if fc.get("lun") is None else str(int(fc["lun"]))
        w.write(LEVEL_2, "Type:\tFC (a Fibre Channel disk)\n    TargetWWNs:\t%s\n    LUN:\t%s\n    FSType:\t%s\n"
                         "    ReadOnly:\t%s\n", ", ".join(fc.get("targetWWNs") or []), lun, fc.get("fsType", ""),
                go_bool(fc.get("readOnly")))
    elif spec.get("csi") is not None:
        csi = spec["csi"]
        w.write(LEVEL_2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t%s\n"
                         "    FSType:\t%s\n    VolumeHandle:\t%s\n    ReadOnly:\t%s\n",
                csi.get("driver", ""), csi.get("fsType", ""), csi.get("volumeHandle", ""), go_bool(csi.get("readOnly")))
        _csi_attributes(w, csi.get("volumeAttributes"))
    else:
        w.write(LEVEL_1, "<unknown>\n")


def describe(api, pv: dict, now: float, show_events: bool = True) -> str:
    events = events_for(api, pv) if show_events else None
    return describe_persistent_volume(pv, events, now)


def describe_persistent_volume(pv: dict, events: list[dict] | None, now: float) -> str:
    md = pv.get("metadata") or {}
    spec = pv.get("spec") or {}
    status = pv.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Finalizers:\t%s\n", go_list(md.get("finalizers")))
        w.write(LEVEL_0, "StorageClass:\t%s\n", pv_storage_class(pv))
        if md.get("deletionTimestamp"):
            w.write(LEVEL_0, "Status:\tTerminating (lasts %s)\n", translate_timestamp_since(md["deletionTimestamp"], now))
        else:
            w.write(LEVEL_0, "Status:\t%s\n", status.get("phase", "") or "")
        claim = spec.get("claimRef")
        if claim is not None:
            w.write(LEVEL_0, "Claim:\t%s\n", (claim.get("namespace") or "") + "/" + (claim.get("name") or ""))
        else:
            w.write(LEVEL_0, "Claim:\t%s\n", "")
        w.write(LEVEL_0, "Reclaim Policy:\t%s\n", spec.get("persistentVolumeReclaimPolicy", "") or "")
        w.write(LEVEL_0, "Access Modes:\t%s\n", access_modes_string(spec.get("accessModes")))
        if spec.get("volumeMode") is not None:
            w.write(LEVEL_0, "VolumeMode:\t%s\n", spec["volumeMode"])
        w.write(LEVEL_0, "Capacity:\t%s\n", _qty.canonical((spec.get("capacity") or {}).get("storage", "0")))
        print_volume_node_affinity(w, spec.get("nodeAffinity"))
        w.write(LEVEL_0, "Message:\t%s\n", status.get("message", "") or "")
        w.write(LEVEL_0, "Source:\n")
        print_source(spec, w)
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
