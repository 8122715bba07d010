"""``kubectl describe`` printers: one module per kind kubectl has a describer for, and the generic
describer for the rest (kubernetes/kubectl: pkg/describe/describe.go ``describerMap``).

Every describer is ``describe(api, obj, now, show_events) -> str``: a pure function of the stored
objects (the object, the related objects it reads, its events) and the simulated time.
"""
from __future__ import annotations

from typing import Callable

from labsim.kubectl.printers.describe import (
    configmap, deployment, endpoints, generic, namespace, node, pod, replicaset, secret, service,
    serviceaccount,
)

Describer = Callable[..., str]

DESCRIBERS: dict[tuple[str, str], Describer] = {
    ("", "Pod"): pod.describe,
    ("", "Node"): node.describe,
    ("", "Namespace"): namespace.describe,
    ("", "Service"): service.describe,
    ("", "ConfigMap"): configmap.describe,
    ("", "Secret"): secret.describe,
    ("", "ServiceAccount"): serviceaccount.describe,
    ("", "Endpoints"): endpoints.describe,
    ("apps", "Deployment"): deployment.describe,
    ("apps", "ReplicaSet"): replicaset.describe,
}


def describer_for(group: str, kind: str) -> Describer:
    """The kind's describer, else the generic one (``Describer``/``GenericDescriberFor``)."""
    return DESCRIBERS.get((group, kind), generic.describe)


def describe_object(api, rt, obj: dict, now: float, show_events: bool = True) -> str:
    return describer_for(rt.group, rt.kind)(api, obj, now, show_events)
