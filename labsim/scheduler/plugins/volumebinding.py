"""VolumeBinding (minimal): missing, terminating or unbound-immediate PVCs, and bound volumes
whose node affinity excludes the node.
kubernetes/kubernetes: pkg/scheduler/framework/plugins/volumebinding/{volume_binding.go,binder.go}"""
from __future__ import annotations

from labsim.scheduler.framework import SKIP, UNSCHEDULABLE_AND_UNRESOLVABLE, Plugin, Status
from labsim.scheduler.plugins.helpers import node_selector_matches

ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
ERR_REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict"
ERR_REASON_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"


class VolumeBinding(Plugin):
    name = "VolumeBinding"
    events = ("PersistentVolumeClaim", "PersistentVolume", "StorageClass", "NodeAdd", "NodeUpdate")

    def _claim_names(self, pi) -> list[str]:
        out = []
        for v in (pi.pod.get("spec") or {}).get("volumes") or []:
            if v.get("persistentVolumeClaim"):
                out.append(v["persistentVolumeClaim"].get("claimName", ""))
            elif v.get("ephemeral"):
                out.append(f"{pi.name}-{v.get('name', '')}")
        return out

    def pre_filter(self, state, pi):
        names = self._claim_names(pi)
        if not names:
            return None, Status(SKIP)
        sched = self.sched
        bound_pvs = []
        for name in names:
            pvc = sched.get_object("", "PersistentVolumeClaim", pi.namespace, name)
            if pvc is None:
                return None, Status(UNSCHEDULABLE_AND_UNRESOLVABLE, f'persistentvolumeclaim "{name}" not found')
            if (pvc.get("metadata") or {}).get("deletionTimestamp"):
                return None, Status(UNSCHEDULABLE_AND_UNRESOLVABLE, f'persistentvolumeclaim "{name}" is being deleted')
            vol = (pvc.get("spec") or {}).get("volumeName")
            if vol:
                pv = sched.get_object("", "PersistentVolume", None, vol)
                if pv is not None:
                    bound_pvs.append(pv)
                continue
            cls_name = (pvc.get("spec") or {}).get("storageClassName") or ""
            sc = sched.get_object("storage.k8s.io", "StorageClass", None, cls_name) if cls_name else None
            if sc is None or (sc.get("volumeBindingMode") or "Immediate") == "Immediate":
                return None, Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON_UNBOUND_IMMEDIATE)
        state["vb/pvs"] = bound_pvs
        return None, None

    def filter(self, state, pi, ni):
        for pv in state.get("vb/pvs", ()):
            req = ((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required")
            if req and not node_selector_matches(req.get("nodeSelectorTerms") or [], ni.labels, ni.name):
                return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON_NODE_CONFLICT)
        return None
