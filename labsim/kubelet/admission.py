"""Pod admission on the node: may this kubelet run a pod bound to it?

The scheduler normally only binds pods that fit, but a pod can reach a node without it
(``spec.nodeName`` written by hand, a scheduler with a stale view, a node whose labels or
taints changed since). The kubelet checks every new pod again before it starts anything, with
the scheduler's own rules, and rejects a pod that does not fit: phase ``Failed``, a reason such as
``OutOfcpu`` that ``kubectl get pods`` prints as the STATUS, a ``Warning`` event, no containers.

kubernetes/kubernetes v1.32:
- pkg/kubelet/lifecycle/predicate.go: ``predicateAdmitHandler.Admit`` (OS checks first, then
  ``generalFilter`` over a NodeInfo of the pods already admitted; the first failure is the
  verdict), ``InsufficientResourceError.Error`` (``Node didn't have enough resource: %s,
  requested: %d, used: %d, capacity: %d``), ``PredicateFailureError.Error`` (``Predicate %s
  failed: %s``, the description added by PR #125498, in v1.31+), reasons ``OutOfcpu``,
  ``OutOfmemory``, ``OutOfephemeral-storage``, ``OutOfpods``, ``OutOf<extended resource>``;
- pkg/scheduler/schedule_one.go ``AdmissionCheck``: NodeResourcesFit's ``Fits``, then the
  required node affinity / nodeSelector, NodeName, NodePorts; ``generalFilter`` adds the
  untolerated ``NoExecute`` taints (``TaintToleration``) for non-static pods;
- pkg/kubelet/kubelet.go: ``HandlePodAdditions`` (pods sorted by creation time, each checked
  against the pods admitted before it), ``filterOutInactivePods``, ``canAdmitPod``, ``rejectPod``.

Not simulated: the critical-pod admission failure handler (it evicts pods to make room for a
system-critical pod), the eviction manager's pressure admission, sysctl/AppArmor admitters, static
pods (every pod here comes from the API server).
"""
from __future__ import annotations

from dataclasses import dataclass

from labsim.scheduler.framework import NodeInfo, PodInfo
from labsim.scheduler.plugins import nodeaffinity, nodename, nodeports, noderesources
from labsim.scheduler.plugins.helpers import find_untolerated_taint, required_node_affinity_matches

#: predicate.go: the OS every simulated node runs (``runtime.GOOS`` of the kubelet)
NODE_OS = "linux"
OS_LABEL = "kubernetes.io/os"

#: predicate.go reason constants
POD_OS_SELECTOR_NODE_LABEL_DOES_NOT_MATCH = "PodOSSelectorNodeLabelDoesNotMatch"
POD_OS_NOT_SUPPORTED = "PodOSNotSupported"
INSUFFICIENT_RESOURCE_PREFIX = "OutOf"

#: tainttoleration.Name / ErrReasonNotMatch (the kubelet's wording, not the scheduler's
#: per-taint ``node(s) had untolerated taint {key: value}``)
TAINT_TOLERATION = "TaintToleration"
TAINT_ERR_REASON_NOT_MATCH = "node(s) had taints that the pod didn't tolerate"

#: kubelet.go rejectPod: the status message is the admit message with this prefix
REJECTED_PREFIX = "Pod was rejected: "


@dataclass(frozen=True)
class AdmitResult:
    """``lifecycle.PodAdmitResult``."""

    admit: bool
    reason: str = ""
    message: str = ""


ADMITTED = AdmitResult(True)


def _os_selector_mismatch(pod: dict, node: dict) -> bool:
    """``rejectPodAdmissionBasedOnOSSelector``: the node's ``kubernetes.io/os`` label counts as
    the kubelet's own OS when it is missing or wrong; a pod without the label passes."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    node_os = labels.get(OS_LABEL)
    if node_os != NODE_OS:
        node_os = NODE_OS
    pod_labels = (pod.get("metadata") or {}).get("labels") or {}
    return OS_LABEL in pod_labels and pod_labels[OS_LABEL] != node_os


def _os_field_mismatch(pod: dict) -> bool:
    """``rejectPodAdmissionBasedOnOSField``: ``spec.os.name`` must be the node's OS."""
    os_ = (pod.get("spec") or {}).get("os")
    return os_ is not None and (os_.get("name") or "") != NODE_OS


def _without_missing_extended_resources(pod: dict, ni: NodeInfo) -> dict:
    """``removeMissingExtendedResources``: requests of extended resources the node does not know
    (cluster-level resources) are ignored; only the app containers' requests, as in v1.32."""
    spec = pod.get("spec") or {}
    containers = spec.get("containers") or []
    changed = False
    out_containers = []
    for c in containers:
        reqs = (c.get("resources") or {}).get("requests") or {}
        kept = {k: v for k, v in reqs.items()
                if not (_is_extended(k) and k not in ni.allocatable.scalar)}
        if len(kept) != len(reqs):
            changed = True
            c = {**c, "resources": {**(c.get("resources") or {}), "requests": kept}}
        out_containers.append(c)
    if not changed:
        return pod
    return {**pod, "spec": {**spec, "containers": out_containers}}


def _is_extended(name: str) -> bool:
    """``v1helper.IsExtendedResourceName``: a domain-prefixed name that is not a native
    (``kubernetes.io/``) resource nor a quota ``requests.`` name."""
    return "/" in name and "kubernetes.io/" not in name and not name.startswith("requests.")


def general_filter(pod: dict, ni: NodeInfo) -> list[tuple[str, str] | noderesources.InsufficientResource]:
    """``generalFilter``: every failure, in the order the kubelet considers them. A predicate
    failure is ``(predicate name, description)``."""
    pi = PodInfo(pod)
    reasons: list = list(noderesources.fits(pi, ni))
    if not required_node_affinity_matches(pod, ni.labels, ni.name):
        reasons.append((nodeaffinity.NodeAffinity.name, nodeaffinity.ERR_REASON_POD))
    if pi.node_name and pi.node_name != ni.name:
        reasons.append((nodename.NodeName.name, nodename.ERR_REASON))
    if pi.ports and ni.used_ports and nodeports.conflicts(pi.ports, ni.used_ports):
        reasons.append((nodeports.NodePorts.name, nodeports.ERR_REASON))
    # the kubelet only cares about NoExecute taints (NoSchedule ones are the scheduler's business)
    if find_untolerated_taint(ni.taints, pi.tolerations, ("NoExecute",)) is not None:
        reasons.append((TAINT_TOLERATION, TAINT_ERR_REASON_NOT_MATCH))
    return reasons


def admitted_node_info(node: dict, admitted_pods: list, ni: NodeInfo | None = None) -> NodeInfo:
    """The NodeInfo of ``node`` running ``admitted_pods`` (:class:`PodInfo`), as ``admit`` builds
    it; ``ni``, a NodeInfo this function returned before, is brought up to date instead (only
    the pods that came or went since are added or removed: the totals are sums, the same in any
    order)."""
    if ni is None:
        ni = NodeInfo(node)
    elif ni.node is not node:
        ni.set_node(node)
    want = {pi.uid: pi for pi in admitted_pods}
    for uid in [uid for uid, pi in ni.pods.items() if want.get(uid) is not pi]:
        ni.remove_pod(uid)
    for uid, pi in want.items():
        if uid not in ni.pods:
            ni.add_pod(pi)
    return ni


def admit(node: dict, pod: dict, admitted_pods: list, node_info: NodeInfo | None = None) -> AdmitResult:
    """``predicateAdmitHandler.Admit`` for ``pod`` on ``node``, which already runs
    ``admitted_pods`` (the active pods, without ``pod`` itself; pod dicts or their
    :class:`PodInfo`). ``node_info``: that NodeInfo already built (:func:`admitted_node_info`),
    then ``admitted_pods`` is not read."""
    if _os_selector_mismatch(pod, node):
        return AdmitResult(False, POD_OS_SELECTOR_NODE_LABEL_DOES_NOT_MATCH,
                           "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label")
    if _os_field_mismatch(pod):
        return AdmitResult(False, POD_OS_NOT_SUPPORTED, "Failed to admit pod as the OS field doesn't match node OS")
    ni = node_info
    if ni is None:
        ni = NodeInfo(node)
        for p in admitted_pods:
            ni.add_pod(p if isinstance(p, PodInfo) else PodInfo(p))
    reasons = general_filter(_without_missing_extended_resources(pod, ni), ni)
    if not reasons:
        return ADMITTED
    # "If there are failed predicates, we only return the first one as a reason."
    first = reasons[0]
    if isinstance(first, noderesources.InsufficientResource):
        return AdmitResult(False, INSUFFICIENT_RESOURCE_PREFIX + first.resource_name,
                           f"Node didn't have enough resource: {first.resource_name}, requested: {first.requested}, "
                           f"used: {first.used}, capacity: {first.capacity}")
    name, desc = first
    return AdmitResult(False, name, f"Predicate {name} failed: {desc}")


def rejected_status(pod: dict, result: AdmitResult, now_rfc3339: str) -> dict:
    """The status a rejected pod ends with: ``rejectPod``'s (phase, reason, message, the QoS
    class as it is), through the status manager: ``startTime`` set when the pod had none, and
    ``mergePodStatus`` drops the old kubelet-owned conditions (``PodScheduled`` included) since
    the new status has none, keeping only conditions other components own."""
    from labsim.kubelet import status as podstatus

    old = pod.get("status") or {}
    out: dict = {"phase": "Failed"}
    kept = [c for c in old.get("conditions") or () if c.get("type") not in podstatus.KUBELET_CONDITIONS]
    if kept:
        out["conditions"] = kept
    out["message"] = REJECTED_PREFIX + result.message
    out["reason"] = result.reason
    out["startTime"] = old.get("startTime") or now_rfc3339
    if old.get("qosClass"):
        out["qosClass"] = old["qosClass"]
    return out
