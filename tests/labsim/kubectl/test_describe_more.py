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


# -- StatefulSet -------------------------------------------------------------------------------

def test_describe_statefulset(c):
    sts = c.api.create({"apiVersion": "apps/v1", "kind": "StatefulSet",
                        "metadata": {"name": "web-sts", "labels": {"app": "nginx-sts"}},
                        "spec": {"replicas": 2, "serviceName": "nginx-sts",
                                 "selector": {"matchLabels": {"app": "nginx-sts"}},
                                 "template": {"metadata": {"labels": {"app": "nginx-sts"}}, "spec": {"containers": [{
                                     "name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                                     "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]}]}},
                                 "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {
                                     "storageClassName": "local-storage", "accessModes": ["ReadWriteOnce"],
                                     "resources": {"requests": {"storage": "1Gi"}}}}]}})
    sts = _status(c, sts, {"replicas": 2})
    for i in range(2):
        _owned_pod(c, f"web-sts-{i}", {"app": "nginx-sts"}, sts, "Running")
    # matches the selector but is not controlled by the StatefulSet: not counted
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "stray", "labels": {"app": "nginx-sts"}},
                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
    rec = c.recorder("statefulset-controller")
    rec.event(sts, "Normal", "SuccessfulCreate", "create Claim www-web-sts-0 Pod web-sts-0 in StatefulSet web-sts success")
    rec.event(sts, "Normal", "SuccessfulCreate", "create Pod web-sts-0 in StatefulSet web-sts successful")
    c.advance("33m")
    assert c.kubectl("describe sts web-sts").stdout == """\
Name:               web-sts
Namespace:          default
CreationTimestamp:  Tue, 24 Nov 2026 09:00:30 +0000
Selector:           app=nginx-sts
Labels:             app=nginx-sts
Annotations:        <none>
Replicas:           2 desired | 2 total
Update Strategy:    RollingUpdate
  Partition:        0
Pods Status:        2 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx-sts
  Containers:
   nginx:
    Image:        nginx:1.27
    Port:         80/TCP
    Host Port:    0/TCP
    Environment:  <none>
    Mounts:
      /usr/share/nginx/html from www (rw)
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:
  Name:          www
  StorageClass:  local-storage
  Labels:        <none>
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
Events:
  Type    Reason            Age   From                    Message
  ----    ------            ----  ----                    -------
  Normal  SuccessfulCreate  33m   statefulset-controller  create Claim www-web-sts-0 Pod web-sts-0 in StatefulSet web-sts success
  Normal  SuccessfulCreate  33m   statefulset-controller  create Pod web-sts-0 in StatefulSet web-sts successful
"""


def test_describe_statefulset_on_delete_without_claims(c):
    c.api.create({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
                  "spec": {"selector": {"matchLabels": {"app": "db"}}, "serviceName": "db",
                           "updateStrategy": {"type": "OnDelete"},
                           "template": {"metadata": {"labels": {"app": "db"}},
                                        "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}}}})
    assert c.kubectl("describe sts db").stdout == """\
Name:               db
Namespace:          default
CreationTimestamp:  Tue, 24 Nov 2026 09:00:30 +0000
Selector:           app=db
Labels:             <none>
Annotations:        <none>
Replicas:           1 desired | 0 total
Update Strategy:    OnDelete
Pods Status:        0 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=db
  Containers:
   db:
    Image:         postgres:16
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:     <none>
Events:            <none>
"""


# -- Ingress, IngressClass, EndpointSlice ------------------------------------------------------

def test_describe_ingress_rules_resolve_endpoint_slices(c):
    _web_service_and_slice(c)
    ing = c.api.create({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {
        "name": "web-ingress", "annotations": {"nginx.ingress.kubernetes.io/rewrite-target": "/"}},
        "spec": {"ingressClassName": "nginx", "rules": [
            {"host": "foo.bar.com", "http": {"paths": [
                {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
                {"path": "/api", "pathType": "Prefix",
                 "backend": {"service": {"name": "api", "port": {"number": 8080}}}}]}},
            {"http": {"paths": [{"path": "/other", "pathType": "Prefix",
                                 "backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}}]}})
    _status(c, ing, {"loadBalancer": {"ingress": [{"ip": "172.18.0.2"}]}})
    assert c.kubectl("describe ingress web-ingress").stdout == """\
Name:             web-ingress
Labels:           <none>
Namespace:        default
Address:          172.18.0.2
Ingress Class:    nginx
Default backend:  <default>
Rules:
  Host         Path  Backends
  ----         ----  --------
  foo.bar.com  
               /      web:80 (10.244.0.11:80,10.244.0.12:80)
               /api   api:8080 (<error: services "api" not found>)
  *            
               /other   web:http (10.244.0.11:80,10.244.0.12:80)
Annotations:   nginx.ingress.kubernetes.io/rewrite-target: /
Events:        <none>
"""
    c.api.create({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "tls-ingress"},
                  "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}},
                           "tls": [{"hosts": ["secure.example.com"], "secretName": "tls-secret"}],
                           "rules": [{"host": "secure.example.com", "http": {"paths": [{
                               "path": "/", "pathType": "Prefix",
                               "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}})
    assert c.kubectl("describe ingress tls-ingress").stdout == """\
Name:             tls-ingress
Labels:           <none>
Namespace:        default
Address:          
Ingress Class:    <none>
Default backend:  web:80 (10.244.0.11:80,10.244.0.12:80)
TLS:
  tls-secret terminates secure.example.com
Rules:
  Host                Path  Backends
  ----                ----  --------
  secure.example.com  
                      /   web:80 (10.244.0.11:80,10.244.0.12:80)
Annotations:          <none>
Events:               <none>
"""


_UPSTREAM_HEAD = """\
Name:             bar
Labels:           <none>
Namespace:        foo
Address:          
"""
_SVC_BACKEND = {"service": {"name": "default-backend", "port": {"number": 80}}}
_RES_BACKEND = {"resource": {"apiGroup": "example.com", "kind": "foo", "name": "bar"}}
_SVC_ERR = 'default-backend:80 (<error: services "default-backend" not found>)'


def _rule(backend):
    return [{"host": "foo.bar.com", "http": {"paths": [{"path": "/foo", "backend": backend}]}}]


@pytest.mark.parametrize("spec, text", [
    ({"ingressClassName": "test", "rules": _rule(_SVC_BACKEND)}, f"""\
Ingress Class:    test
Default backend:  <default>
Rules:
  Host         Path  Backends
  ----         ----  --------
  foo.bar.com  
               /foo   {_SVC_ERR}
Annotations:   <none>
Events:        <none>
"""),
    ({"ingressClassName": "test", "rules": _rule(_RES_BACKEND)}, """\
Ingress Class:    test
Default backend:  <default>
Rules:
  Host         Path  Backends
  ----         ----  --------
  foo.bar.com  
               /foo   APIGroup: example.com, Kind: foo, Name: bar
Annotations:   <none>
Events:        <none>
"""),
    ({"ingressClassName": "test", "rules": _rule({"resource": {"kind": "foo", "name": "bar"}})}, """\
Ingress Class:    test
Default backend:  <default>
Rules:
  Host         Path  Backends
  ----         ----  --------
  foo.bar.com  
               /foo   APIGroup: <none>, Kind: foo, Name: bar
Annotations:   <none>
Events:        <none>
"""),
    ({"ingressClassName": "test", "defaultBackend": _SVC_BACKEND, "rules": _rule(_SVC_BACKEND)}, f"""\
Ingress Class:    test
Default backend:  {_SVC_ERR}
Rules:
  Host         Path  Backends
  ----         ----  --------
  foo.bar.com  
               /foo   {_SVC_ERR}
Annotations:   <none>
Events:        <none>
"""),
    ({"ingressClassName": "test", "defaultBackend": _RES_BACKEND, "rules": _rule(_SVC_BACKEND)}, f"""\
Ingress Class:    test
Default backend:  APIGroup: example.com, Kind: foo, Name: bar
Rules:
  Host         Path  Backends
  ----         ----  --------
  foo.bar.com  
               /foo   {_SVC_ERR}
Annotations:   <none>
Events:        <none>
"""),
    ({"ingressClassName": "test", "defaultBackend": _SVC_BACKEND}, f"""\
Ingress Class:    test
Default backend:  {_SVC_ERR}
Rules:
  Host        Path  Backends
  ----        ----  --------
  *           *     {_SVC_ERR}
Annotations:  <none>
Events:       <none>
"""),
    ({"ingressClassName": "test"}, """\
Ingress Class:    test
Default backend:  <default>
Rules:
  Host        Path  Backends
  ----        ----  --------
  *           *     <default>
Annotations:  <none>
Events:       <none>
"""),
    ({"defaultBackend": _SVC_BACKEND}, f"""\
Ingress Class:    <none>
Default backend:  {_SVC_ERR}
Rules:
  Host        Path  Backends
  ----        ----  --------
  *           *     {_SVC_ERR}
Annotations:  <none>
Events:       <none>
"""),
])
def test_describe_ingress_upstream_cases(c, spec, text):
    """kubectl ``TestDescribeIngress`` (v1 cases); the describer is called on the object directly
    because a server rejects the rule-less, backend-less one."""
    obj = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": "bar", "namespace": "foo", "uid": "u-1"}, "spec": spec}
    assert ingress_describer.describe(c.api, obj, c.now) == _UPSTREAM_HEAD + text


def test_describe_ingressclass_and_endpointslice(c):
    c.api.create({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {
        "name": "nginx", "labels": {"app.kubernetes.io/component": "controller"},
        "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}},
        "spec": {"controller": "k8s.io/ingress-nginx"}})
    assert c.kubectl("describe ingressclass nginx").stdout == """\
Name:         nginx
Labels:       app.kubernetes.io/component=controller
Annotations:  ingressclass.kubernetes.io/is-default-class: true
Controller:   k8s.io/ingress-nginx
Events:       <none>
"""
    c.api.create({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "alb"},
                  "spec": {"controller": "ingress.k8s.aws/alb", "parameters": {
                      "apiGroup": "elbv2.k8s.aws", "kind": "IngressClassParams", "name": "alb-params"}}})
    assert c.kubectl("describe ingressclass alb").stdout == """\
Name:         alb
Labels:       <none>
Annotations:  <none>
Controller:   ingress.k8s.aws/alb
Parameters:
  APIGroup:  elbv2.k8s.aws
  Kind:      IngressClassParams
  Name:      alb-params
Events:      <none>
"""
    _web_service_and_slice(c)
    assert c.kubectl("describe endpointslice web-abc12").stdout == f"""\
Name:         web-abc12
Namespace:    default
Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
              kubernetes.io/service-name=web
Annotations:  <none>
AddressType:  IPv4
Ports:
  Name  Port  Protocol
  ----  ----  --------
  http  80    TCP
Endpoints:
  - Addresses:  10.244.0.11
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-6d8f9c7b5d-7xk2p
    NodeName:   {NODE}
    Zone:       <unset>
  - Addresses:  10.244.0.12
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-6d8f9c7b5d-9bq4m
    NodeName:   {NODE}
    Zone:       <unset>
  - Addresses:  10.244.0.13
    Conditions:
      Ready:    false
    Hostname:   <unset>
    TargetRef:  Pod/web-6d8f9c7b5d-tz5wd
    NodeName:   {NODE}
    Zone:       <unset>
Events:         <none>
"""
    c.api.create({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "empty"},
                  "addressType": "IPv4", "endpoints": []})
    assert c.kubectl("describe endpointslice empty").stdout == """\
Name:         empty
Namespace:    default
Labels:       <none>
Annotations:  <none>
AddressType:  IPv4
Ports: <unset>
Endpoints: <none>
Events:  <none>
"""


# -- DaemonSet, Job, CronJob, ReplicationController --------------------------------------------

def test_describe_daemonset(c):
    ds = c.api.create({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {
        "name": "fluentd", "namespace": "kube-system", "labels": {"k8s-app": "fluentd"},
        # apps/v1 carries the template generation in this annotation (set on create by a real server)
        "annotations": {"deprecated.daemonset.template.generation": "1"}},
        "spec": {"selector": {"matchLabels": {"name": "fluentd"}}, "template": {
            "metadata": {"labels": {"name": "fluentd"}},
            "spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                     "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists",
                                      "effect": "NoSchedule"}],
                     "containers": [{"name": "fluentd", "image": "fluentd:v1.16", "resources": {
                         "limits": {"memory": "200Mi"}, "requests": {"cpu": "100m", "memory": "200Mi"}}}]}}}})
    ds = _status(c, ds, {"desiredNumberScheduled": 1, "currentNumberScheduled": 1, "updatedNumberScheduled": 1,
                         "numberAvailable": 1, "numberReady": 1, "numberMisscheduled": 0})
    _owned_pod(c, "fluentd-x7k2p", {"name": "fluentd"}, ds, "Running", namespace="kube-system")
    c.recorder("daemonset-controller").event(ds, "Normal", "SuccessfulCreate", "Created pod: fluentd-x7k2p")
    c.advance(20)
    assert c.kubectl("describe ds fluentd -n kube-system").stdout == """\
Name:           fluentd
Selector:       name=fluentd
Node-Selector:  kubernetes.io/os=linux
Labels:         k8s-app=fluentd
Annotations:    deprecated.daemonset.template.generation: 1
Desired Number of Nodes Scheduled: 1
Current Number of Nodes Scheduled: 1
Number of Nodes Scheduled with Up-to-date Pods: 1
Number of Nodes Scheduled with Available Pods: 1
Number of Nodes Misscheduled: 0
Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  name=fluentd
  Containers:
   fluentd:
    Image:      fluentd:v1.16
    Port:       <none>
    Host Port:  <none>
    Limits:
      memory:  200Mi
    Requests:
      cpu:         100m
      memory:      200Mi
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  kubernetes.io/os=linux
  Tolerations:     node-role.kubernetes.io/control-plane:NoSchedule op=Exists
Events:
  Type    Reason            Age   From                  Message
  ----    ------            ----  ----                  -------
  Normal  SuccessfulCreate  20s   daemonset-controller  Created pod: fluentd-x7k2p
"""


_HELLO_TEMPLATE = """\
Pod Template:
  Labels:  {labels}
  Containers:
   hello:
    Image:      busybox:1.28
    Port:       <none>
    Host Port:  <none>
    Command:
      /bin/sh
      -c
      date; echo Hello
{pad}"""


def test_describe_cronjob_and_its_job(c):
    container = {"name": "hello", "image": "busybox:1.28", "command": ["/bin/sh", "-c", "date; echo Hello"]}
    cj = c.api.create({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello"},
                       "spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                           "restartPolicy": "OnFailure", "containers": [container]}}}}}})
    cron_tail = """\
    Environment:     <none>
    Mounts:          <none>
  Volumes:           <none>
  Node-Selectors:    <none>
  Tolerations:       <none>
"""
    assert c.kubectl("describe cj hello").stdout == """\
Name:                          hello
Namespace:                     default
Labels:                        <none>
Annotations:                   <none>
Schedule:                      */1 * * * *
Concurrency Policy:            Allow
Suspend:                       False
Successful Job History Limit:  3
Failed Job History Limit:      1
Starting Deadline Seconds:     <unset>
Selector:                      <unset>
Parallelism:                   <unset>
Completions:                   <unset>
""" + _HELLO_TEMPLATE.format(labels="<none>", pad="") + cron_tail + """\
Last Schedule Time:  <unset>
Active Jobs:         <none>
Events:              <none>
"""
    job = c.api.create({"apiVersion": "batch/v1", "kind": "Job", "metadata": {
        "name": "hello-29000000", "ownerReferences": _owner(cj)},
        "spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [container]}}}})
    uid = job["metadata"]["uid"]
    _status(c, job, {"startTime": rfc3339(30), "completionTime": rfc3339(38), "succeeded": 1, "ready": 0,
                     "conditions": [{"type": "Complete", "status": "True"}]})
    _status(c, cj, {"lastScheduleTime": rfc3339(30), "active": [
        {"kind": "Job", "name": "hello-29000000", "namespace": "default", "apiVersion": "batch/v1"},
        {"kind": "Job", "name": "hello-29000001", "namespace": "default", "apiVersion": "batch/v1"}]})
    rec = c.recorder("job-controller")
    rec.event(job, "Normal", "SuccessfulCreate", "Created pod: hello-29000000-abcde")
    c.advance(8)
    rec.event(job, "Normal", "Completed", "Job completed")
    c.advance(12)
    labels = (f"batch.kubernetes.io/controller-uid={uid}\n           batch.kubernetes.io/job-name=hello-29000000\n"
              f"           controller-uid={uid}\n           job-name=hello-29000000")
    assert c.kubectl("describe job hello-29000000").stdout == f"""\
Name:             hello-29000000
Namespace:        default
Selector:         batch.kubernetes.io/controller-uid={uid}
Labels:           {labels.replace("           ", "                  ")}
Annotations:      <none>
Controlled By:    CronJob/hello
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    6
Start Time:       Tue, 24 Nov 2026 09:00:30 +0000
Completed At:     Tue, 24 Nov 2026 09:00:38 +0000
Duration:         8s
Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed
""" + _HELLO_TEMPLATE.format(labels=labels, pad="") + """\
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:
  Type    Reason            Age   From            Message
  ----    ------            ----  ----            -------
  Normal  SuccessfulCreate  20s   job-controller  Created pod: hello-29000000-abcde
  Normal  Completed         12s   job-controller  Job completed
"""
    out = c.kubectl("describe cj hello --show-events=false").stdout
    assert out.endswith(cron_tail + """\
Last Schedule Time:  Tue, 24 Nov 2026 09:00:30 +0000
Active Jobs:         hello-29000000, hello-29000001
""")


def test_describe_indexed_job_without_ready_count(c):
    c.api.create({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "idx"},
                  "spec": {"completions": 30, "parallelism": 3, "completionMode": "Indexed",
                           "activeDeadlineSeconds": 600, "ttlSecondsAfterFinished": 100,
                           "template": {"spec": {"restartPolicy": "Never",
                                                 "containers": [{"name": "w", "image": "busybox"}]}}}})
    out = c.kubectl("describe job idx --show-events=false").stdout
    assert "\nParallelism:                 3\nCompletions:                 30\nCompletion Mode:             Indexed\n" in out
    assert "\nTTL Seconds After Finished:  100\nActive Deadline Seconds:     600s\n" \
           "Pods Statuses:               0 Active / 0 Succeeded / 0 Failed\n" \
           "Completed Indexes:           <none>\nPod Template:\n" in out


@pytest.mark.parametrize("indexes, text", [
    # kubectl TestDescribeJob's completed-indexes cases
    ("", "<none>"),
    ("0-5,7,9,10,12,13,15,16,18,20,21,23,24,26,27,29,30,32", "0-5,7,9,10,12,13,15,16,18,20,21,23,24,26,27,29,30,32"),
    ("0-5,7,9,10,12,13,15,16,18,20,21,23,24,26,27,29,30,32-34,36,37",
     "0-5,7,9,10,12,13,15,16,18,20,21,23,24,26,27,29,30,32-34,..."),
])
def test_cap_indexes_list(indexes, text):
    assert cap_indexes_list_or_none(indexes, 50) == text


def test_describe_replication_controller(c):
    rc = c.api.create({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {
        "name": "nginx", "labels": {"app": "nginx"}},
        "spec": {"replicas": 3, "selector": {"app": "nginx"}, "template": {
            "metadata": {"labels": {"app": "nginx"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}]}}}})
    rc = _status(c, rc, {"replicas": 2, "conditions": [{"type": "ReplicaFailure", "status": "True",
                                                        "reason": "FailedCreate", "message": "exceeded quota"}]})
    for i, phase in enumerate(["Running", "Pending"]):
        _owned_pod(c, f"nginx-{i}", {"app": "nginx"}, rc, phase)
    c.recorder("replication-controller").event(rc, "Warning", "FailedCreate", "exceeded quota")
    c.advance(5)
    assert c.kubectl("describe rc nginx").stdout == """\
Name:         nginx
Namespace:    default
Selector:     app=nginx
Labels:       app=nginx
Annotations:  <none>
Replicas:     2 current / 3 desired
Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:         nginx
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type             Status  Reason
  ----             ------  ------
  ReplicaFailure   True    FailedCreate
Events:
  Type     Reason        Age   From                    Message
  ----     ------        ----  ----                    -------
  Warning  FailedCreate  5s    replication-controller  exceeded quota
"""


# -- storage -----------------------------------------------------------------------------------

def test_describe_storageclass(c):
    c.api.create({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {
        "name": "fast", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer",
        "allowVolumeExpansion": True, "mountOptions": ["debug"], "parameters": {"nodePath": "/data"},
        "allowedTopologies": [{"matchLabelExpressions": [
            {"key": "topology.kubernetes.io/zone", "values": ["us-east-1a", "us-east-1b"]},
            {"key": "kubernetes.io/os", "values": ["linux"]}]}]})
    assert c.kubectl("describe sc fast").stdout == """\
Name:                  fast
IsDefaultClass:        Yes
Annotations:           storageclass.kubernetes.io/is-default-class=true
Provisioner:           rancher.io/local-path
Parameters:            nodePath=/data
AllowVolumeExpansion:  True
MountOptions:
  debug
ReclaimPolicy:      Delete
VolumeBindingMode:  WaitForFirstConsumer
AllowedTopologies:  
  Term 0:           topology.kubernetes.io/zone in [us-east-1a, us-east-1b]
                    kubernetes.io/os in [linux]
Events:             <none>
"""
    c.api.create({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "plain"},
                  "provisioner": "example.com/nfs", "reclaimPolicy": "Retain", "volumeBindingMode": "Immediate"})
    assert c.kubectl("describe sc plain").stdout == """\
Name:                  plain
IsDefaultClass:        No
Annotations:           <none>
Provisioner:           example.com/nfs
Parameters:            <none>
AllowVolumeExpansion:  <unset>
MountOptions:          <none>
ReclaimPolicy:         Retain
VolumeBindingMode:     Immediate
Events:                <none>
"""


def test_describe_bound_pv_and_pvc(c):
    pv = c.api.create({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {
        "name": "pv-local", "labels": {"type": "local"}, "finalizers": ["kubernetes.io/pv-protection"]},
        "spec": {"storageClassName": "manual", "capacity": {"storage": "1Gi"},
                 "accessModes": ["ReadWriteMany", "ReadWriteOnce"], "hostPath": {"path": "/mnt/data"},
                 "claimRef": {"kind": "PersistentVolumeClaim", "namespace": "default", "name": "task-pv-claim",
                              "apiVersion": "v1"},
                 "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                     {"key": "kubernetes.io/hostname", "operator": "In", "values": [NODE]}]}]}}}})
    _status(c, pv, {"phase": "Bound"})
    pvc = c.api.create({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {
        "name": "task-pv-claim", "finalizers": ["kubernetes.io/pvc-protection"]},
        "spec": {"storageClassName": "manual", "accessModes": ["ReadWriteOnce"],
                 "resources": {"requests": {"storage": "500Mi"}}, "volumeName": "pv-local"}})
    _status(c, pvc, {"phase": "Bound", "accessModes": ["ReadWriteMany", "ReadWriteOnce"], "capacity": {"storage": "1Gi"}})
    for name in ("task-pv-pod", "another"):
        c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {
            "volumes": [{"name": "s", "persistentVolumeClaim": {"claimName": "task-pv-claim"}}],
            "containers": [{"name": "c", "image": "nginx"}]}})
    c.recorder("persistentvolume-controller").event(pvc, "Normal", "ProvisioningSucceeded", "bound")
    c.advance(10)
    assert c.kubectl("describe pv pv-local").stdout == f"""\
Name:              pv-local
Labels:            type=local
Annotations:       <none>
Finalizers:        [kubernetes.io/pv-protection]
StorageClass:      manual
Status:            Bound
Claim:             default/task-pv-claim
Reclaim Policy:    Retain
Access Modes:      RWO,RWX
VolumeMode:        Filesystem
Capacity:          1Gi
Node Affinity:     
  Required Terms:  
    Term 0:        kubernetes.io/hostname in [{NODE}]
Message:           
Source:
    Type:          HostPath (bare host directory volume)
    Path:          /mnt/data
    HostPathType:  
Events:            <none>
"""
    assert c.kubectl("describe pvc task-pv-claim").stdout == """\
Name:          task-pv-claim
Namespace:     default
StorageClass:  manual
Status:        Bound
Volume:        pv-local
Labels:        <none>
Annotations:   <none>
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      1Gi
Access Modes:  RWO,RWX
VolumeMode:    Filesystem
Used By:       another
               task-pv-pod
Events:
  Type    Reason                 Age   From                         Message
  ----    ------                 ----  ----                         -------
  Normal  ProvisioningSucceeded  10s   persistentvolume-controller  bound
"""


def test_describe_pending_pvc_and_csi_pv(c):
    pvc = c.api.create({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {
        "name": "pending", "annotations": {"volume.beta.kubernetes.io/storage-class": "legacy"}},
        "spec": {"storageClassName": "ignored", "accessModes": ["ReadWriteOnce"],
                 "resources": {"requests": {"storage": "1Gi"}},
                 "dataSource": {"kind": "PersistentVolumeClaim", "name": "src"}}})
    _status(c, pvc, {"phase": "Pending", "conditions": [{"type": "Resizing", "status": "True",
                                                         "lastTransitionTime": rfc3339(30)}]})
    assert c.kubectl("describe pvc pending --show-events=false").stdout == """\
Name:          pending
Namespace:     default
StorageClass:  legacy
Status:        Pending
Volume:        
Labels:        <none>
Annotations:   volume.beta.kubernetes.io/storage-class: legacy
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      
Access Modes:  
VolumeMode:    Filesystem
DataSource:
  Kind:   PersistentVolumeClaim
  Name:   src
Used By:  <none>
Conditions:
  Type       Status  LastProbeTime                     LastTransitionTime                Reason  Message
  ----       ------  -----------------                 ------------------                ------  -------
  Resizing   True    Mon, 01 Jan 0001 00:00:00 +0000   Tue, 24 Nov 2026 09:00:30 +0000           
"""
    c.api.create({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv-csi"},
                  "spec": {"capacity": {"storage": "5Gi"}, "accessModes": ["ReadWriteOncePod"],
                           "csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "vol-123", "fsType": "ext4",
                                   "volumeAttributes": {"b": "2", "a": "1"}}}})
    assert c.kubectl("describe pv pv-csi").stdout == """\
Name:            pv-csi
Labels:          <none>
Annotations:     <none>
Finalizers:      [kubernetes.io/pv-protection]
StorageClass:    
Status:          Pending
Claim:           
Reclaim Policy:  Retain
Access Modes:    RWOP
VolumeMode:      Filesystem
Capacity:        5Gi
Node Affinity:   <none>
Message:         
Source:
    Type:              CSI (a Container Storage Interface (CSI) volume source)
    Driver:            ebs.csi.aws.com
    FSType:            ext4
    VolumeHandle:      vol-123
    ReadOnly:          false
    VolumeAttributes:      a=1
                           b=2
Events:                <none>
"""


@pytest.mark.parametrize("modes, text", [
    ([], ""),
    (["ReadWriteMany", "ReadOnlyMany", "ReadWriteOnce", "ReadWriteOnce"], "RWO,ROX,RWX"),
    (["ReadWriteOncePod"], "RWOP"),
])
def test_access_modes_string(modes, text):
    assert access_modes_string(modes) == text


# -- quota, limits, policy, scheduling, network ------------------------------------------------

def test_describe_limitrange_and_quota(c):
    c.api.create({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "limits"}, "spec": {"limits": [
        {"type": "Container", "default": {"cpu": "500m", "memory": "512Mi"},
         "defaultRequest": {"cpu": "250m", "memory": "256Mi"}, "max": {"cpu": "1"}, "maxLimitRequestRatio": {"cpu": "4"}},
        {"type": "PersistentVolumeClaim", "min": {"storage": "1Gi"}, "max": {"storage": "10Gi"}}]}})
    assert c.kubectl("describe limits limits").stdout == """\
Name:                  limits
Namespace:             default
Type                   Resource  Min  Max   Default Request  Default Limit  Max Limit/Request Ratio
----                   --------  ---  ---   ---------------  -------------  -----------------------
Container              cpu       -    1     250m             500m           4
Container              memory    -    -     256Mi            512Mi          -
PersistentVolumeClaim  storage   1Gi  10Gi  -                -              -
"""
    hard = {"pods": "10", "requests.cpu": "1", "requests.memory": "1Gi", "limits.memory": "2Gi"}
    q = c.api.create({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "quota"},
                      "spec": {"hard": hard, "scopes": ["NotTerminating", "BestEffort"]}})
    _status(c, q, {"hard": hard, "used": {"pods": "2", "requests.cpu": "250m", "requests.memory": "300M",
                                          "limits.memory": "0"}})
    assert c.kubectl("describe quota quota").stdout == """\
Name:       quota
Namespace:  default
Scopes:     BestEffort, NotTerminating
 * Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.
 * Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.
Resource         Used       Hard
--------         ----       ----
limits.memory    0          2Gi
pods             2          10
requests.cpu     250m       1
requests.memory  300000000  1Gi
"""


@pytest.mark.parametrize("used, hard, text", [
    ("250m", "1", "250m"),          # same format: printed as stored
    ("1536Mi", "2G", "1610612736"),  # BinarySI used under a DecimalSI hard: Value() in DecimalSI
    ("1500m", "2Gi", "2"),           # rounded up to an integer
    (None, "2Gi", "0"),
])
def test_quota_used_string(used, hard, text):
    assert used_string(used, hard) == text


def test_describe_pdb_and_priorityclass(c):
    pdb = c.api.create({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web-pdb"},
                        "spec": {"maxUnavailable": "25%", "selector": {"matchLabels": {"app": "web"}}}})
    _status(c, pdb, {"disruptionsAllowed": 0, "currentHealthy": 2, "desiredHealthy": 2, "expectedPods": 3,
                     "observedGeneration": 1})
    assert c.kubectl("describe pdb web-pdb").stdout == """\
Name:             web-pdb
Namespace:        default
Max unavailable:  25%
Selector:         app=web
Status:
    Allowed disruptions:  0
    Current:              2
    Desired:              2
    Total:                3
Events:                   <none>
"""
    c.api.create({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "all"},
                  "spec": {"minAvailable": 1, "selector": {}}})
    assert c.kubectl("describe pdb all --show-events=false").stdout == """\
Name:           all
Namespace:      default
Min available:  1
Selector:       <none>
Status:
    Allowed disruptions:  0
    Current:              0
    Desired:              0
    Total:                0
"""
    c.api.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {
        "name": "high-priority", "annotations": {"team": "a", "owner": "b"}}, "value": 1000000,
        "globalDefault": False, "preemptionPolicy": "PreemptLowerPriority",
        "description": "This priority class should be used for XYZ service pods only."})
    assert c.kubectl("describe pc high-priority").stdout == """\
Name:              high-priority
Value:             1000000
GlobalDefault:     false
PreemptionPolicy:  PreemptLowerPriority
Description:       This priority class should be used for XYZ service pods only.
Annotations:       owner=b,team=a
Events:            <none>
"""


def test_describe_network_policy_upstream_case(c):
    """kubectl ``TestDescribeNetworkPolicies`` (creation time in UTC)."""
    sel = {"matchLabels": {"id": "app2", "id2": "app3"}}
    peers = [
        {"podSelector": {"matchLabels": {"id": "pod1", "id2": "pod2"}},
         "namespaceSelector": {"matchLabels": {"id": "ns1", "id2": "ns2"}}},
        {"podSelector": sel},
        {"namespaceSelector": sel},
        {"namespaceSelector": {**sel, "matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar1", "bar2"]}]}},
        {"ipBlock": {"cidr": "192.168.0.0/16", "except": ["192.168.3.0/24", "192.168.4.0/24"]}},
    ]
    ports = [{"port": 80}, {"port": 82, "protocol": "TCP"}]
    c.api.create({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "network-policy-1"},
                  "spec": {"podSelector": {"matchLabels": {"id1": "app1", "id2": "app2"}, "matchExpressions": [
                      {"key": "foo", "operator": "In", "values": ["bar1", "bar2"]},
                      {"key": "foo2", "operator": "NotIn", "values": ["bar1", "bar2"]}]},
                      "ingress": [{"ports": ports, "from": peers}, {}],
                      "egress": [{"ports": ports, "to": peers}, {}],
                      "policyTypes": ["Ingress", "Egress"]}})
    assert c.kubectl("describe netpol network-policy-1").stdout == """\
Name:         network-policy-1
Namespace:    default
Created on:   2026-11-24 09:00:30 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     foo in (bar1,bar2),foo2 notin (bar1,bar2),id1=app1,id2=app2
  Allowing ingress traffic:
    To Port: 80/TCP
    To Port: 82/TCP
    From:
      NamespaceSelector: id=ns1,id2=ns2
      PodSelector: id=pod1,id2=pod2
    From:
      PodSelector: id=app2,id2=app3
    From:
      NamespaceSelector: id=app2,id2=app3
    From:
      NamespaceSelector: foo in (bar1,bar2),id=app2,id2=app3
    From:
      IPBlock:
        CIDR: 192.168.0.0/16
        Except: 192.168.3.0/24, 192.168.4.0/24
    ----------
    To Port: <any> (traffic allowed to all ports)
    From: <any> (traffic not restricted by source)
  Allowing egress traffic:
    To Port: 80/TCP
    To Port: 82/TCP
    To:
      NamespaceSelector: id=ns1,id2=ns2
      PodSelector: id=pod1,id2=pod2
    To:
      PodSelector: id=app2,id2=app3
    To:
      NamespaceSelector: id=app2,id2=app3
    To:
      NamespaceSelector: foo in (bar1,bar2),id=app2,id2=app3
    To:
      IPBlock:
        CIDR: 192.168.0.0/16
        Except: 192.168.3.0/24, 192.168.4.0/24
    ----------
    To Port: <any> (traffic allowed to all ports)
    To: <any> (traffic not restricted by destination)
  Policy Types: Ingress, Egress
"""


def test_describe_isolating_network_policy(c):
    c.advance(3600)
    c.api.create({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "deny"},
                  "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
                           "ingress": [{"ports": [{"port": 32000, "endPort": 32768, "protocol": "UDP"}]}]}})
    assert c.kubectl("describe netpol deny").stdout == """\
Name:         deny
Namespace:    default
Created on:   2026-11-24 10:00:30 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    To Port Range: 32000-32768/UDP
    From: <any> (traffic not restricted by source)
  Allowing egress traffic:
    <none> (Selected pods are isolated for egress connectivity)
  Policy Types: Ingress, Egress
"""
    assert go_time_string(None) == "0001-01-01 00:00:00 +0000 UTC"


def test_lease_and_event_use_the_generic_describer(c):
    out = c.kubectl(f"describe lease {NODE} -n kube-node-lease").stdout
    assert out.startswith(f"Name:         {NODE}\nNamespace:    kube-node-lease\n")
    assert "\nSpec:\n  Holder Identity:" in out
