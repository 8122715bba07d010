"""kubectl describe for HPA, StatefulSet, Ingress, IngressClass, DaemonSet, Job, CronJob, PV, PVC,
StorageClass, EndpointSlice, ReplicationController, LimitRange, ResourceQuota, PDB, PriorityClass
and NetworkPolicy: whole outputs for objects built directly in the store.

Objects of transcripts/describe-all.txt and describe-extra.txt (the real kubectl v1.32.4) are
reproduced with labsim's simulated times; the Ingress table cases and the NetworkPolicy case are
ported from kubernetes/kubectl@v0.32.4 pkg/describe/describe_test.go (``TestDescribeIngress``,
``TestDescribeNetworkPolicies``); the other expected texts follow describe.go line by line.
"""
from __future__ import annotations

import pytest

from labsim import Cluster
from labsim.api.meta import deep_copy
from labsim.clock import rfc3339
from labsim.kubectl.printers.describe import ingress as ingress_describer
from labsim.kubectl.printers.describe.job import cap_indexes_list_or_none
from labsim.kubectl.printers.describe.networkpolicy import go_time_string
from labsim.kubectl.printers.describe.persistentvolume import access_modes_string
from labsim.kubectl.printers.describe.resourcequota import used_string

NODE = "k3d-kubelabs-server-0"
CPU_MSG = ("failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from "
           "resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)")


@pytest.fixture
def c():
    return Cluster(seed=0)


def _status(c, obj, status):
    obj = deep_copy(obj)
    obj["status"] = status
    return c.api.update(obj, subresource="status")


def _owner(obj):
    return [{"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": obj["metadata"]["name"],
             "uid": obj["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]


def _owned_pod(c, name, labels, owner, phase, namespace="default"):
    p = c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": name, "namespace": namespace, "labels": labels, "ownerReferences": _owner(owner)},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
    return _status(c, p, {"phase": phase})


def _web_service_and_slice(c):
    c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                  "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": 80}]}})
    c.api.create({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {
        "name": "web-abc12", "labels": {"kubernetes.io/service-name": "web",
                                         "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
        "addressType": "IPv4", "ports": [{"name": "http", "port": 80, "protocol": "TCP"}],
        "endpoints": [{"addresses": [ip], "conditions": {"ready": ready}, "nodeName": NODE,
                       "targetRef": {"kind": "Pod", "name": pod, "namespace": "default"}}
                      for ip, ready, pod in (("10.244.0.11", True, "web-6d8f9c7b5d-7xk2p"),
                                             ("10.244.0.12", True, "web-6d8f9c7b5d-9bq4m"),
                                             ("10.244.0.13", False, "web-6d8f9c7b5d-tz5wd"))]})


# -- HorizontalPodAutoscaler -------------------------------------------------------------------

def test_describe_hpa_with_current_metrics(c):
    hpa = c.api.create({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
                        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                                 "minReplicas": 2, "maxReplicas": 10,
                                 "metrics": [{"type": "Resource", "resource": {
                                     "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}})
    _status(c, hpa, {
        "currentReplicas": 3, "desiredReplicas": 3,
        "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
            "averageUtilization": 22, "averageValue": "55m"}}}],
        "conditions": [
            {"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale",
             "message": "recommended size matches current size", "lastTransitionTime": rfc3339(30)},
            {"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound",
             "message": "the HPA was able to successfully calculate a replica count from cpu resource utilization "
                        "(percentage of request)", "lastTransitionTime": rfc3339(30)},
            {"type": "ScalingLimited", "status": "False", "reason": "DesiredWithinRange",
             "message": "the desired count is within the acceptable range", "lastTransitionTime": rfc3339(30)}]})
    c.recorder("horizontal-pod-autoscaler").event(
        hpa, "Normal", "SuccessfulRescale",
        "New size: 3; reason: cpu resource utilization (percentage of request) above target")
    c.advance("10m")
    assert c.kubectl("describe hpa web").stdout == """\
Name:                                                  web
Namespace:                                             default
Labels:                                                <none>
Annotations:                                           <none>
CreationTimestamp:                                     Tue, 24 Nov 2026 09:00:30 +0000
Reference:                                             Deployment/web
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  22% (55m) / 50%
Min replicas:                                          2
Max replicas:                                          10
Deployment pods:                                       3 current / 3 desired
Conditions:
  Type            Status  Reason              Message
  ----            ------  ------              -------
  AbleToScale     True    ReadyForNewScale    recommended size matches current size
  ScalingActive   True    ValidMetricFound    the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)
  ScalingLimited  False   DesiredWithinRange  the desired count is within the acceptable range
Events:
  Type    Reason             Age   From                       Message
  ----    ------             ----  ----                       -------
  Normal  SuccessfulRescale  10m   horizontal-pod-autoscaler  New size: 3; reason: cpu resource utilization (percentage of request) above target
"""


def test_describe_hpa_unknown_metrics_and_behavior(c):
    """describe-extra.txt's php-apache, with the behavior a real server stores for ``behavior: {}``:
    the scale-down stabilization window stays unset (autoscaling/v2 ``GenerateHPAScaleDownRules``
    leaves it nil), so no ``Stabilization Window`` line under ``Scale Down`` (the transcript's stub
    object had one written by hand)."""
    hpa = c.api.create({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                        "metadata": {"name": "php-apache"},
                        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                                 "minReplicas": 1, "maxReplicas": 10, "behavior": {},
                                 "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                                                 "type": "Utilization", "averageUtilization": 50}}},
                                             {"type": "Resource", "resource": {"name": "memory", "target": {
                                                 "type": "AverageValue", "averageValue": "200Mi"}}}]}})
    _status(c, hpa, {"currentReplicas": 1, "desiredReplicas": 0, "conditions": [
        {"type": "AbleToScale", "status": "True", "reason": "SucceededGetScale",
         "message": "the HPA controller was able to get the target's current scale"},
        {"type": "ScalingActive", "status": "False", "reason": "FailedGetResourceMetric",
         "message": "the HPA was unable to compute the replica count: " + CPU_MSG}]})
    rec = c.recorder("horizontal-pod-autoscaler")
    c.advance(15)
    rec.event(hpa, "Warning", "FailedGetResourceMetric", CPU_MSG)
    c.advance(15)
    rec.event(hpa, "Warning", "FailedGetResourceMetric", CPU_MSG)
    c.advance(11)
    assert c.kubectl("describe hpa php-apache").stdout == f"""\
Name:                                                  php-apache
Namespace:                                             default
Labels:                                                <none>
Annotations:                                           <none>
CreationTimestamp:                                     Tue, 24 Nov 2026 09:00:30 +0000
Reference:                                             Deployment/php-apache
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  <unknown> / 50%
  resource memory on pods:                             <unknown> / 200Mi
Min replicas:                                          1
Max replicas:                                          10
Behavior:
  Scale Up:
    Stabilization Window: 0 seconds
    Select Policy: Max
    Policies:
      - Type: Pods     Value: 4    Period: 15 seconds
      - Type: Percent  Value: 100  Period: 15 seconds
  Scale Down:
    Select Policy: Max
    Policies:
      - Type: Percent  Value: 100  Period: 15 seconds
Deployment pods:       1 current / 0 desired
Conditions:
  Type           Status  Reason                   Message
  ----           ------  ------                   -------
  AbleToScale    True    SucceededGetScale        the HPA controller was able to get the target's current scale
  ScalingActive  False   FailedGetResourceMetric  the HPA was unable to compute the replica count: {CPU_MSG}
Events:
  Type     Reason                   Age                From                       Message
  ----     ------                   ----               ----                       -------
  Warning  FailedGetResourceMetric  11s (x2 over 26s)  horizontal-pod-autoscaler  {CPU_MSG}
"""


def test_describe_hpa_other_metric_sources(c):
    hpa = c.api.create({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "q"},
                        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "q"},
                                 "maxReplicas": 5, "metrics": [
            {"type": "Pods", "pods": {"metric": {"name": "packets-per-second"},
                                      "target": {"type": "AverageValue", "averageValue": "1k"}}},
            {"type": "Object", "object": {"metric": {"name": "requests-per-second"},
                                          "describedObject": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                                                              "name": "main-route"},
                                          "target": {"type": "Value", "value": "10k"}}},
            {"type": "External", "external": {"metric": {"name": "queue_messages_ready"},
                                              "target": {"type": "AverageValue", "averageValue": "30"}}},
            {"type": "ContainerResource", "containerResource": {"name": "cpu", "container": "app", "target": {
                "type": "Utilization", "averageUtilization": 60}}}]}})
    _status(c, hpa, {"currentReplicas": 2, "desiredReplicas": 2, "currentMetrics": [
        {"type": "Pods", "pods": {"metric": {"name": "packets-per-second"}, "current": {"averageValue": "866m"}}}]})
    assert c.kubectl("describe hpa q --show-events=false").stdout == """\
Name:                                                                     q
Namespace:                                                                default
Labels:                                                                   <none>
Annotations:                                                              <none>
CreationTimestamp:                                                        Tue, 24 Nov 2026 09:00:30 +0000
Reference:                                                                StatefulSet/q
Metrics:                                                                  ( current / target )
  "packets-per-second" on pods:                                           866m / 1k
  "requests-per-second" on Ingress/main-route (target value):             <unknown> / 10k
  "queue_messages_ready" (target average value):                          <unknown> / 30
  resource cpu of container "app" on pods  (as a percentage of request):  <unknown> / 60%
Min replicas:                                                             1
Max replicas:                                                             5
StatefulSet pods:                                                         2 current / 2 desired
"""
