"""Admission plugins of the simulated API server.

Mutating plugins (run after defaulting, before the registry strategy and validation, as in
``k8s.io/apiserver`` admission chains) — ``mutate``:

* ``ServiceAccount`` (plugin/pkg/admission/serviceaccount): ``serviceAccountName: default``, the
  ``kube-api-access-xxxxx`` projected token volume and its read-only mount in every container;
  a named ServiceAccount that does not exist is refused. The ``default`` ServiceAccount of a brand
  new namespace may not be there yet (the controller creates it an instant later; real clusters
  race the same way, almost always winning), so its absence is tolerated.
* ``Priority`` (plugin/pkg/admission/priority): ``priority`` and ``preemptionPolicy`` from the
  PriorityClass (0 / PreemptLowerPriority without one).
* ``DefaultTolerationSeconds``: NoExecute tolerations for ``not-ready``/``unreachable``, 300 s.

Validating plugin — ``validate``: the course's own guard (not a Kubernetes plugin): a workload
asking for more than :data:`MAX_REPLICAS` pods is refused, so a typo such as
``replicas: 1000000`` cannot make the simulator create a million objects. A real cluster would
accept the object (and then fail to schedule almost all of the pods).
"""
from __future__ import annotations

from labsim import errors

#: the simulator's per-workload pod limit (the course never needs more than a few dozen)
MAX_REPLICAS = 1000

TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
#: kube-apiserver's --service-account-extend-token-expiration: 3607 s tokens for legacy clients
TOKEN_EXPIRATION_SECONDS = 3607
DEFAULT_TOLERATION_SECONDS = 300
#: the PriorityClasses every cluster has (pkg/apis/scheduling: SystemPriorityClasses)
SYSTEM_PRIORITY_CLASSES = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}


def mutate(api, operation: str, rt, obj: dict, old: dict | None) -> None:
    key = (rt.group, rt.kind)
    if key == ("", "Pod") and operation == "CREATE":
        _service_account(api, obj)
        _priority(api, obj)
        _default_toleration_seconds(obj)
    elif key == ("", "PersistentVolumeClaim") and operation == "CREATE":
        _default_storage_class(api, obj)
        _add_finalizer(obj, "kubernetes.io/pvc-protection")
    elif key == ("", "PersistentVolume") and operation == "CREATE":
        _add_finalizer(obj, "kubernetes.io/pv-protection")


def _add_finalizer(obj: dict, name: str) -> None:
    """StorageObjectInUseProtection (plugin/pkg/admission/storage/storageobjectinuseprotection):
    PVs and PVCs get a protection finalizer, removed by the protection controllers once unused."""
    md = obj.setdefault("metadata", {})
    fins = md.get("finalizers") or []
    if name not in fins:
        md["finalizers"] = list(fins) + [name]


def _default_storage_class(api, obj: dict) -> None:
    """DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a claim without
    ``storageClassName`` gets the default class (annotated ``is-default-class: "true"``; the newest
    one when several are marked)."""
    spec = obj.get("spec")
    if not isinstance(spec, dict) or spec.get("storageClassName") is not None:
        return
    rt = api.registry.for_kind("storage.k8s.io", "StorageClass")
    defaults = [sc for sc in api.list(rt)
                if (sc["metadata"].get("annotations") or {}).get("storageclass.kubernetes.io/is-default-class") == "true"
                or (sc["metadata"].get("annotations") or {}).get(
                    "storageclass.beta.kubernetes.io/is-default-class") == "true"]
    if defaults:
        defaults.sort(key=lambda sc: (sc["metadata"].get("creationTimestamp", ""), sc["metadata"]["name"]))
        spec["storageClassName"] = defaults[-1]["metadata"]["name"]


def validate(api, operation: str, rt, obj: dict, old: dict | None) -> None:
    """The course limit on replicas (raises Forbidden)."""
    key = (rt.group, rt.kind)
    spec = obj.get("spec") or {}
    field = None
    if key in (("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"),
               ("", "ReplicationController")):
        field = "replicas"
    elif key == ("batch", "Job"):
        field = "parallelism"
    elif key == ("autoscaling", "HorizontalPodAutoscaler"):
        field = "maxReplicas"
    if field is None:
        return
    value = spec.get(field)
    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_REPLICAS:
        old_value = ((old or {}).get("spec") or {}).get(field)
        if isinstance(old_value, int) and old_value >= value:
            return  # never block a write that does not raise the count (status updates, scale-down)
        md = obj.get("metadata") or {}
        raise errors.forbidden(
            rt.plural, rt.group, md.get("name", ""),
            f"spec.{field}: {value} exceeds the simulator's course limit of {MAX_REPLICAS} "
            f"(labsim admission; a real cluster would accept it and try to run {value} pods)")


# -- ServiceAccount ------------------------------------------------------------------------------

def _service_account(api, pod: dict) -> None:
    md = pod.get("metadata") or {}
    if "kubernetes.io/config.mirror" in (md.get("annotations") or {}):
        return
    spec = pod.setdefault("spec", {})
    name = spec.get("serviceAccountName") or "default"
    spec["serviceAccountName"] = name
    spec["serviceAccount"] = name
    ns = md.get("namespace", "default")
    sa_rt = api.registry.for_kind("", "ServiceAccount")
    sa = api.store.get(sa_rt, ns, name) if sa_rt is not None else None
    if sa is None and name != "default":
        raise errors.forbidden("pods", "", md.get("name", ""),
                               f'error looking up service account {ns}/{name}: serviceaccount "{name}" not found')
    automount = spec.get("automountServiceAccountToken")
    if automount is None and sa is not None:
        automount = sa.get("automountServiceAccountToken")
    if automount is False:
        return
    containers = list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
    if any(m.get("mountPath") == TOKEN_MOUNT_PATH for c in containers for m in (c or {}).get("volumeMounts") or []):
        return
    vol_name = "kube-api-access-" + api.rand.name_suffix("generate-name")
    spec.setdefault("volumes", []).append({
        "name": vol_name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                            "path": "namespace"}]}},
            ],
        },
    })
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict):
                c.setdefault("volumeMounts", []).append(
                    {"mountPath": TOKEN_MOUNT_PATH, "name": vol_name, "readOnly": True})


# -- Priority ------------------------------------------------------------------------------------

def _priority(api, pod: dict) -> None:
    spec = pod.setdefault("spec", {})
    md = pod.get("metadata") or {}
    pc_rt = api.registry.for_kind("scheduling.k8s.io", "PriorityClass")
    classes = {c["metadata"]["name"]: c for c in api.store.list(pc_rt)} if pc_rt is not None else {}
    name = spec.get("priorityClassName") or ""
    value = 0
    policy = "PreemptLowerPriority"
    if name:
        pc = classes.get(name)
        if pc is not None:
            value = int(pc.get("value", 0))
            policy = pc.get("preemptionPolicy") or policy
        elif name in SYSTEM_PRIORITY_CLASSES:
            value = SYSTEM_PRIORITY_CLASSES[name]
        else:
            raise errors.forbidden("pods", "", md.get("name", ""),
                                   f"no PriorityClass with name {name} was found")
    else:
        default = [c for c in classes.values() if c.get("globalDefault")]
        if default:
            best = min(default, key=lambda c: (int(c.get("value", 0)), c["metadata"]["name"]))
            spec["priorityClassName"] = best["metadata"]["name"]
            value = int(best.get("value", 0))
            policy = best.get("preemptionPolicy") or policy
    given = spec.get("priority")
    if given is not None and given != value:
        raise errors.forbidden(
            "pods", "", md.get("name", ""),
            f"the integer value of priority ({given}) must not be provided in pod spec; priority admission "
            f"controller computed {value} from the given PriorityClass name")
    spec["priority"] = value
    if not spec.get("preemptionPolicy"):
        spec["preemptionPolicy"] = policy


# -- DefaultTolerationSeconds --------------------------------------------------------------------

def _default_toleration_seconds(pod: dict) -> None:
    spec = pod.setdefault("spec", {})
    tolerations = spec.get("tolerations") or []
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if any(isinstance(t, dict) and t.get("key") == key and t.get("effect") in (None, "", "NoExecute")
               for t in tolerations):
            continue
        if any(isinstance(t, dict) and not t.get("key") and t.get("operator") == "Exists"
               and t.get("effect") in (None, "", "NoExecute") for t in tolerations):
            continue
        tolerations.append({"effect": "NoExecute", "key": key, "operator": "Exists",
                            "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
    if tolerations:
        spec["tolerations"] = tolerations
