"""Shared controller helpers (kubernetes/kubernetes v1.32: pkg/controller/controller_utils.go).

Public API::

    BURST_REPLICAS = 500                      # ReplicaSet/ReplicationController --burst default
    SLOW_START_INITIAL_BATCH_SIZE = 1
    get_pods_prefix(controller_name) -> str   # "<name>-" (or the name when that is invalid)
    get_pod_from_template(template, parent, controller_ref) -> dict
    slow_start_batch(count, initial_batch_size, fn) -> (successes, first_error | None)
    PodControl(cluster, component)            # RealPodControl: events on the owner
        .create_pods(namespace, template, owner, controller_ref) -> dict   (raises StatusError)
        .delete_pod(namespace, name, owner) -> dict                        (raises StatusError)
        .patch_pod(namespace, name, patch) -> dict
    ReplicaSetControl(cluster)                # RealRSControl
        .patch_replica_set(namespace, name, patch) -> dict
    is_pod_active / filter_active_pods / is_pod_ready   (re-exported from replicaset_util)
    is_namespace_terminating_error(err) -> bool

Expectations (ControllerExpectations) are not modelled: the simulated store is read-your-writes
(a create returns after the watch events were delivered), which is the state expectations wait for.
"""
from __future__ import annotations

from typing import Callable

from labsim import errors
from labsim.api.meta import deep_copy
from labsim.api.utilvalidation import name_is_dns_subdomain
from labsim.controllers.replicaset_util import filter_active_pods, is_pod_active, is_pod_ready

__all__ = [
    "BURST_REPLICAS", "SLOW_START_INITIAL_BATCH_SIZE", "get_pods_prefix", "get_pod_from_template",
    "slow_start_batch", "PodControl", "ReplicaSetControl", "is_pod_active", "filter_active_pods",
    "is_pod_ready", "is_namespace_terminating_error",
    "FAILED_CREATE_POD_REASON", "SUCCESSFUL_CREATE_POD_REASON", "FAILED_DELETE_POD_REASON",
    "SUCCESSFUL_DELETE_POD_REASON",
]

#: pkg/controller/replicaset/replica_set.go BurstReplicas: at most this many creations or
#: deletions per sync (kube-controller-manager --concurrent-... default; the RS controller's burst)
BURST_REPLICAS = 500
#: controller_utils.go SlowStartInitialBatchSize
SLOW_START_INITIAL_BATCH_SIZE = 1

# controller_utils.go: reasons of RealPodControl's events
FAILED_CREATE_POD_REASON = "FailedCreate"
SUCCESSFUL_CREATE_POD_REASON = "SuccessfulCreate"
FAILED_DELETE_POD_REASON = "FailedDelete"
SUCCESSFUL_DELETE_POD_REASON = "SuccessfulDelete"


def get_pods_prefix(controller_name: str) -> str:
    """getPodsPrefix: ``<name>-`` to make generated names prettier, unless that is not a valid
    pod name prefix (the API server truncates the base to 58 characters: maxGeneratedNameLength)."""
    prefix = controller_name + "-"
    if name_is_dns_subdomain(prefix, True):
        prefix = controller_name
    return prefix


def get_pod_from_template(template: dict, parent: dict, controller_ref: dict | None) -> dict:
    """GetPodFromTemplate: a new pod (no name, ``generateName`` from the parent) with the
    template's labels, annotations and finalizers, the controller ref, and a copy of its spec."""
    tmd = (template or {}).get("metadata") or {}
    md: dict = {"generateName": get_pods_prefix(parent["metadata"]["name"])}
    if tmd.get("labels"):
        md["labels"] = dict(tmd["labels"])
    if tmd.get("annotations"):
        md["annotations"] = dict(tmd["annotations"])
    if tmd.get("finalizers"):
        md["finalizers"] = list(tmd["finalizers"])
    if controller_ref is not None:
        md["ownerReferences"] = [dict(controller_ref)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": deep_copy((template or {}).get("spec") or {})}


def slow_start_batch(count: int, initial_batch_size: int, fn: Callable[[], None]) -> tuple[int, Exception | None]:
    """slowStartBatch: call ``fn`` ``count`` times in batches of 1, 2, 4, ...; every call of a
    batch runs (upstream: goroutines), and after a batch with a failure nothing more is tried.
    Returns (successes, first error of the failing batch)."""
    remaining = count
    successes = 0
    batch = min(remaining, initial_batch_size)
    while batch > 0:
        errs: list[Exception] = []
        for _ in range(batch):
            try:
                fn()
            except (errors.StatusError, ValueError) as e:
                errs.append(e)
        successes += batch - len(errs)
        if errs:
            return successes, errs[0]
        remaining -= batch
        batch = min(2 * batch, remaining)
    return successes, None


def is_namespace_terminating_error(err: Exception) -> bool:
    """``apierrors.HasStatusCause(err, v1.NamespaceTerminatingCause)``: the NamespaceLifecycle
    rejection of a create in a namespace being deleted."""
    if not isinstance(err, errors.StatusError):
        return False
    if any(c.type == "NamespaceTerminating" for c in err.causes):
        return True
    return err.reason == "Forbidden" and "because it is being terminated" in err.message


class PodControl:
    """RealPodControl: creates and deletes pods for a controller, with events on the owner."""

    def __init__(self, cluster, component: str):
        self.api = cluster.api
        self.recorder = cluster.recorder(component)
        self.pod_rt = cluster.api.registry.for_kind("", "Pod")

    def create_pods(self, namespace: str, template: dict, owner: dict, controller_ref: dict | None) -> dict:
        """CreatePods: ``Normal SuccessfulCreate "Created pod: <name>"`` on success; on failure
        ``Warning FailedCreate "Error creating: <error>"`` (not when the namespace is being
        terminated) and the error is raised."""
        pod = get_pod_from_template(template, owner, controller_ref)
        if controller_ref is not None:
            # validateControllerRef
            if not controller_ref.get("apiVersion"):
                raise ValueError("controllerRef has empty APIVersion")
            if not controller_ref.get("kind"):
                raise ValueError("controllerRef has empty Kind")
            if not controller_ref.get("controller"):
                raise ValueError("controllerRef.Controller is not set to true")
            if not controller_ref.get("blockOwnerDeletion"):
                raise ValueError("controllerRef.BlockOwnerDeletion is not set")
        if not pod["metadata"].get("labels"):
            raise ValueError("unable to create pods, no labels")
        try:
            created = self.api.create(pod, namespace)
        except errors.StatusError as e:
            if not is_namespace_terminating_error(e):
                self.recorder.event(owner, "Warning", FAILED_CREATE_POD_REASON, f"Error creating: {e}")
            raise
        self.recorder.event(owner, "Normal", SUCCESSFUL_CREATE_POD_REASON, f"Created pod: {created['metadata']['name']}")
        return created

    def delete_pod(self, namespace: str, name: str, owner: dict) -> dict:
        """DeletePod: ``Normal SuccessfulDelete "Deleted pod: <name>"``; a failure other than
        NotFound records ``Warning FailedDelete "Error deleting: <error>"``; errors are raised."""
        try:
            resp = self.api.delete(self.pod_rt, namespace, name)
        except errors.StatusError as e:
            if e.reason != "NotFound":
                self.recorder.event(owner, "Warning", FAILED_DELETE_POD_REASON, f"Error deleting: {e}")
            raise
        self.recorder.event(owner, "Normal", SUCCESSFUL_DELETE_POD_REASON, f"Deleted pod: {name}")
        return resp

    def patch_pod(self, namespace: str, name: str, patch: dict) -> dict:
        return self.api.patch(self.pod_rt, namespace, name, patch, "strategic")


class ReplicaSetControl:
    """RealRSControl: PatchReplicaSet (strategic merge)."""

    def __init__(self, cluster):
        self.api = cluster.api
        self.rs_rt = cluster.api.registry.for_kind("apps", "ReplicaSet")

    def patch_replica_set(self, namespace: str, name: str, patch: dict) -> dict:
        return self.api.patch(self.rs_rt, namespace, name, patch, "strategic")
