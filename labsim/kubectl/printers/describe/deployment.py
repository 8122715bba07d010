"""``kubectl describe deployment`` (kubernetes/kubectl: pkg/describe/describe.go
``DeploymentDescriber`` / ``describeDeployment``).

The ReplicaSets come from ``deploymentutil.GetAllReplicaSetsInChunks`` (see
:func:`labsim.kubectl.polymorphic.get_all_replica_sets`): the owned ReplicaSets matching the
selector, in creation order; the new one is the first whose template equals the Deployment's,
ignoring ``pod-template-hash``; ``OldReplicaSets`` lists **all** the others (the describer takes
``allOldRSs``, so ReplicaSets scaled to 0 are shown as ``(0/0 replicas created)``).
"""
from __future__ import annotations

from labsim.kubectl.polymorphic import get_all_replica_sets
from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, print_annotations_multiline, print_labels_multiline, tabbed_string, time_rfc1123z,
)
from labsim.kubectl.printers.describe.pod import describe_pod_template
from labsim.kubectl.printers.describe.selectors import selector_string


def replica_sets_for(api, d: dict) -> tuple[list[dict], list[dict]]:
    """(all old, [new]) ReplicaSets of the deployment."""
    _, old, new = get_all_replica_sets(api, d)
    return old, ([new] if new is not None else [])


def describe(api, d: dict, now: float, show_events: bool = True) -> str:
    events = events_for(api, d) if show_events else None
    old, new = replica_sets_for(api, d)
    return describe_deployment(d, old, new, events, now)


def _rs_list(rss: list[dict]) -> str:
    parts = [f"{rs['metadata']['name']} ({int((rs.get('status') or {}).get('replicas') or 0)}/"
             f"{int((rs.get('spec') or {}).get('replicas') or 0)} replicas created)" for rs in rss]
    return ", ".join(parts) or "<none>"


def describe_deployment(d: dict, old: list[dict], new: list[dict], events: list[dict] | None, now: float) -> str:
    md = d.get("metadata") or {}
    spec = d.get("spec") or {}
    status = d.get("status") or {}
    strategy = spec.get("strategy") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        w.write(LEVEL_0, "CreationTimestamp:\t%s\n", time_rfc1123z(md.get("creationTimestamp")))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Selector:\t%s\n", selector_string(spec.get("selector")))
        replicas = spec.get("replicas") if spec.get("replicas") is not None else 1
        w.write(LEVEL_0, "Replicas:\t%d desired | %d updated | %d total | %d available | %d unavailable\n",
                int(replicas), int(status.get("updatedReplicas") or 0), int(status.get("replicas") or 0),
                int(status.get("availableReplicas") or 0), int(status.get("unavailableReplicas") or 0))
        w.write(LEVEL_0, "StrategyType:\t%s\n", strategy.get("type", "") or "")
        w.write(LEVEL_0, "MinReadySeconds:\t%d\n", int(spec.get("minReadySeconds") or 0))
        ru = strategy.get("rollingUpdate")
        if ru is not None:
            w.write(LEVEL_0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n",
                    _int_or_string(ru.get("maxUnavailable")), _int_or_string(ru.get("maxSurge")))
        describe_pod_template(spec.get("template"), w)
        if status.get("conditions"):
            w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
            w.write(LEVEL_1, "----\t------\t------\n")
            for c in status["conditions"]:
                w.write(LEVEL_1, "%s \t%s\t%s\n", c.get("type", ""), c.get("status", ""), c.get("reason", ""))
        if old or new:
            w.write(LEVEL_0, "OldReplicaSets:\t%s\n", _rs_list(old))
            w.write(LEVEL_0, "NewReplicaSet:\t%s\n", _rs_list(new))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)


def _int_or_string(v) -> str:
    """``intstr.IntOrString.String()``; a nil pointer would panic in kubectl, print ``<nil>``."""
    return "<nil>" if v is None else str(v)
