"""``kubectl describe`` printers: one module per kind kubectl has a describer for, and the generic
describer for the rest (kubernetes/kubectl: pkg/describe/describe.go ``describerMap``).

Every describer is ``describe(api, obj, now, show_events) -> str``: a pure function of the stored
objects (the object, the related objects it reads, its events) and the simulated time.
"""
from __future__ import annotations

from typing import Callable

from labsim.kubectl.printers.describe import (
    configmap, cronjob, daemonset, deployment, endpoints, endpointslice, generic, hpa, ingress, ingressclass, job,
    limitrange, namespace, networkpolicy, node, persistentvolume, persistentvolumeclaim, pod, poddisruptionbudget,
    priorityclass, replicaset, replicationcontroller, resourcequota, secret, service, serviceaccount, statefulset,
    storageclass,
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
    ("", "ReplicationController"): replicationcontroller.describe,
    ("", "LimitRange"): limitrange.describe,
    ("", "ResourceQuota"): resourcequota.describe,
    ("", "PersistentVolume"): persistentvolume.describe,
    ("", "PersistentVolumeClaim"): persistentvolumeclaim.describe,
    ("apps", "Deployment"): deployment.describe,
    ("apps", "ReplicaSet"): replicaset.describe,
    ("apps", "StatefulSet"): statefulset.describe,
    ("apps", "DaemonSet"): daemonset.describe,
    ("batch", "Job"): job.describe,
    ("batch", "CronJob"): cronjob.describe,
    ("discovery.k8s.io", "EndpointSlice"): endpointslice.describe,
    ("autoscaling", "HorizontalPodAutoscaler"): hpa.describe,
    ("networking.k8s.io", "Ingress"): ingress.describe,
    ("networking.k8s.io", "IngressClass"): ingressclass.describe,
    ("networking.k8s.io", "NetworkPolicy"): networkpolicy.describe,
    ("policy", "PodDisruptionBudget"): poddisruptionbudget.describe,
    ("scheduling.k8s.io", "PriorityClass"): priorityclass.describe,
    ("storage.k8s.io", "StorageClass"): storageclass.describe,
}


def describer_for(group: str, kind: str) -> Describer:
    """The kind's describer, else the generic one (``Describer``/``GenericDescriberFor``)."""
    return DESCRIBERS.get((group, kind), generic.describe)


def describe_object(api, rt, obj: dict, now: float, show_events: bool = True) -> str:
    return describer_for(rt.group, rt.kind)(api, obj, now, show_events)
