"""kubectl describe: whole outputs for objects built directly in the store, reproducing the
objects of transcripts/describe-pod.txt, describe-all.txt and describe-extra.txt (the real
kubectl v1.32.4's output), with labsim's simulated times instead of the transcript's."""
from __future__ import annotations

import pytest

from labsim import Cluster
from labsim.api.meta import deep_copy
from labsim.clock import rfc3339
from labsim.kubectl.printers.describe.events import event_age
from labsim.kubectl.printers.describe.layout import PrefixWriter, print_annotations_multiline
from labsim.kubectl.printers.describe.pod import compute_pod_qos, describe_probe

NODE = "k3d-kubelabs-server-0"


@pytest.fixture
def c():
    """A cluster whose node agent is stopped, so the hand-made pod statuses stay as written."""
    cluster = Cluster(seed=0)
    cluster.kubelet_for(NODE).stop()
    return cluster


def _pod(c, name, spec, labels=None, **meta):
    md = {"name": name, **meta}
    if labels:
        md["labels"] = labels
    return c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec})


def _status(c, pod, status):
    obj = deep_copy(pod)
    obj["status"] = status
    return c.api.update_status(obj)


def _cond(*pairs):
    return [{"type": t, "status": s, "lastProbeTime": None, "lastTransitionTime": rfc3339(31)} for t, s in pairs]


def _api_volume(pod):
    return pod["spec"]["volumes"][0]["name"]


def test_describe_pod_db_with_counted_events(c):
    pod = _pod(c, "db", {
        "nodeName": NODE,
        "containers": [{
            "name": "db", "image": "mongo", "ports": [{"containerPort": 27017}], "env": [{"name": "FOO", "value": "bar"}],
            "livenessProbe": {"httpGet": {"path": "/", "port": 80}},
            "readinessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5, "periodSeconds": 5},
            "startupProbe": {"tcpSocket": {"port": 27017}, "failureThreshold": 30},
        }]}, labels={"run": "db"})
    pod = _status(c, pod, {
        "phase": "Running", "hostIP": "172.18.0.2", "hostIPs": [{"ip": "172.18.0.2"}], "podIP": "10.42.0.5",
        "podIPs": [{"ip": "10.42.0.5"}], "startTime": rfc3339(30), "qosClass": "BestEffort",
        "conditions": _cond(("PodReadyToStartContainers", "True"), ("Initialized", "True"), ("Ready", "True"),
                            ("ContainersReady", "True"), ("PodScheduled", "True")),
        "containerStatuses": [{
            "name": "db", "image": "docker.io/library/mongo:latest", "containerID": "containerd://4f1e2d",
            "imageID": "docker.io/library/mongo@sha256:0123456789abcdef", "ready": True, "restartCount": 2,
            "started": True, "state": {"running": {"startedAt": rfc3339(55)}},
            "lastState": {"terminated": {"exitCode": 137, "reason": "Error", "startedAt": rfc3339(40),
                                         "finishedAt": rfc3339(50)}},
        }],
    })
    sched = c.recorder("default-scheduler")
    kubelet = c.recorder("kubelet", NODE)
    sched.event(pod, "Normal", "Scheduled", f"Successfully assigned default/db to {NODE}")
    c.advance(1)                                                          # t=31
    kubelet.event(pod, "Normal", "Pulling", 'Pulling image "mongo"', "spec.containers{db}")
    unhealthy_times = [35, 40, 50, 65, 80, 100, 120, 150, 170]
    pulling_times = [40, 54]
    for t in sorted(set(unhealthy_times + pulling_times)):
        c.advance(t - c.now)
        if t in pulling_times:
            kubelet.event(pod, "Normal", "Pulling", 'Pulling image "mongo"', "spec.containers{db}")
        if t in unhealthy_times:
            kubelet.event(pod, "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 404",
                          "spec.containers{db}")
    c.advance(190 - c.now)
    vol = _api_volume(pod)
    r = c.kubectl("describe pod db")
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout == f"""\
Name:             db
Namespace:        default
Priority:         0
Service Account:  default
Node:             {NODE}/172.18.0.2
Start Time:       Tue, 24 Nov 2026 09:00:30 +0000
Labels:           run=db
Annotations:      <none>
Status:           Running
IP:               10.42.0.5
IPs:
  IP:  10.42.0.5
Containers:
  db:
    Container ID:   containerd://4f1e2d
    Image:          mongo
    Image ID:       docker.io/library/mongo@sha256:0123456789abcdef
    Port:           27017/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Tue, 24 Nov 2026 09:00:55 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      Tue, 24 Nov 2026 09:00:40 +0000
      Finished:     Tue, 24 Nov 2026 09:00:50 +0000
    Ready:          True
    Restart Count:  2
    Liveness:       http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3
    Readiness:      exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3
    Startup:        tcp-socket :27017 delay=0s timeout=1s period=10s #success=1 #failure=30
    Environment:
      FOO:  bar
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from {vol} (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  {vol}:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                    From               Message
  ----     ------     ----                   ----               -------
  Normal   Scheduled  2m40s                  default-scheduler  Successfully assigned default/db to {NODE}
  Normal   Pulling    2m16s (x3 over 2m39s)  kubelet            Pulling image "mongo"
  Warning  Unhealthy  20s (x9 over 2m35s)    kubelet            Liveness probe failed: HTTP probe failed with statuscode: 404
"""
    # --show-events=false drops the section entirely
    r = c.kubectl("describe pod db --show-events=false")
    assert r.stdout.endswith("                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n")
    assert "Events" not in r.stdout


def _bare_pod(c, name, containers, labels=None, node=None, init=None):
    spec = {"containers": containers, "automountServiceAccountToken": False}
    if node:
        spec["nodeName"] = node
    if init:
        spec["initContainers"] = init
    pod = _pod(c, name, spec, labels=labels)
    return pod


def test_describe_pending_pod_and_crasher(c):
    pod = _bare_pod(c, "pending-pod", [{"name": "app", "image": "nginx"}])
    _status(c, pod, {"phase": "Pending", "qosClass": "BestEffort", "conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "lastProbeTime": None,
         "lastTransitionTime": rfc3339(30)}]})
    r = c.kubectl("describe pod pending-pod")
    out = r.stdout
    # the real server's defaults add Priority, Service Account and the default tolerations the
    # stub's object lacked; everything else is the transcript's text
    assert out == """\
Name:             pending-pod
Namespace:        default
Priority:         0
Service Account:  default
Node:             <none>
Labels:           <none>
Annotations:      <none>
Status:           Pending
IP:               
IPs:              <none>
Containers:
  app:
    Image:        nginx
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:          <none>
"""
    pod = _bare_pod(c, "crasher", [{"name": "app", "image": "busybox", "command": ["sh", "-c", "exit 1"]}],
                    node=NODE)
    _status(c, pod, {"phase": "Running", "hostIP": "172.18.0.2", "podIP": "10.42.0.9", "podIPs": [{"ip": "10.42.0.9"}],
                     "containerStatuses": [{
                         "name": "app", "image": "busybox", "imageID": "", "containerID": "", "ready": False,
                         "restartCount": 12, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                         "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": rfc3339(20),
                                                      "finishedAt": rfc3339(30)}}}]})
    out = c.kubectl("describe pod crasher --show-events=false").stdout
    assert out.split("Containers:\n", 1)[1] == """\
  app:
    Container ID:  
    Image:         busybox
    Image ID:      
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      exit 1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Tue, 24 Nov 2026 09:00:20 +0000
      Finished:     Tue, 24 Nov 2026 09:00:30 +0000
    Ready:          False
    Restart Count:  12
    Environment:    <none>
    Mounts:         <none>
Volumes:            <none>
QoS Class:          BestEffort
Node-Selectors:     <none>
Tolerations:        node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                    node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
"""


def test_describe_terminating_pod_and_init_containers(c):
    pod = _bare_pod(c, "deleting", [{"name": "c", "image": "nginx:1.27"}], labels={"app": "x"}, node=NODE)
    _status(c, pod, {"phase": "Running", "hostIP": "172.18.0.2", "podIP": "10.42.0.30",
                     "podIPs": [{"ip": "10.42.0.30"}], "startTime": rfc3339(30)})
    c.api.delete(c.registry.resolve("pods"), "default", "deleting")
    out = c.kubectl("describe pod deleting").stdout
    assert "Status:                    Terminating (lasts <invalid>)\nTermination Grace Period:  30s\n" in out
    assert out.startswith("Name:                      deleting\n")

    pod = _bare_pod(c, "init-demo", [{"name": "myapp", "image": "busybox:1.28"}],
                    init=[{"name": "init-myservice", "image": "busybox:1.28"}], node=NODE)
    _status(c, pod, {"phase": "Pending", "initContainerStatuses": [
        {"name": "init-myservice", "ready": False, "restartCount": 0, "image": "busybox:1.28", "imageID": "",
         "state": {"running": {"startedAt": rfc3339(33)}}}],
        "containerStatuses": [{"name": "myapp", "ready": False, "restartCount": 0, "image": "busybox:1.28",
                               "imageID": "", "state": {"waiting": {"reason": "PodInitializing"}}}]})
    out = c.kubectl("describe pod init-demo").stdout
    body = out.split("IPs:", 1)[1]
    assert body.startswith("""              <none>
Init Containers:
  init-myservice:
    Container ID:   
    Image:          busybox:1.28
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Tue, 24 Nov 2026 09:00:33 +0000
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Containers:
  myapp:
    Container ID:   
    Image:          busybox:1.28
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Waiting
      Reason:       PodInitializing
    Ready:          False
""")


def _web_deployment(c):
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{
        "name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
        "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m", "memory": "64Mi"}},
        "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5},
        "env": [{"name": "MODE", "value": "prod"},
                {"name": "DB_HOST", "valueFrom": {"configMapKeyRef": {"name": "web-config", "key": "db_host"}}}],
    }]}}
    d = c.api.create({"apiVersion": "apps/v1", "kind": "Deployment",
                      "metadata": {"name": "web", "labels": {"app": "web"}, "annotations": {
                          "deployment.kubernetes.io/revision": "2",
                          "kubectl.kubernetes.io/last-applied-configuration": '{"kind":"Deployment"}',
                          "kubernetes.io/change-cause": "kubectl set image deployment/web nginx=nginx:1.27 --record=true"}},
                      "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": template}})
    return d


def _owner(obj):
    return [{"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": obj["metadata"]["name"],
             "uid": obj["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]


def test_describe_deployment_and_replicaset(c):
    for name in ("deployment-controller", "replicaset-controller"):  # the objects below are hand-made
        if c.controller_manager.get(name) is not None:
            c.controller_manager.get(name).stop()
    d = _web_deployment(c)
    d = deep_copy(d)
    d["status"] = {"replicas": 3, "updatedReplicas": 3, "availableReplicas": 3, "readyReplicas": 3,
                   "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                                  {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}
    d = c.api.update_status(d)
    old_t = deep_copy(d["spec"]["template"])
    old_t["metadata"]["labels"]["pod-template-hash"] = "5f7d8c9b4c"
    old_t["spec"]["containers"][0]["image"] = "nginx:1.26"
    c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {
        "name": "web-5f7d8c9b4c", "labels": {"app": "web", "pod-template-hash": "5f7d8c9b4c"}, "ownerReferences": _owner(d)},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "5f7d8c9b4c"}},
                 "template": old_t}})
    c.advance(10)
    new_t = deep_copy(d["spec"]["template"])
    new_t["metadata"]["labels"]["pod-template-hash"] = "6d8f9c7b5d"
    rs = c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {
        "name": "web-6d8f9c7b5d", "labels": {"app": "web", "pod-template-hash": "6d8f9c7b5d"},
        "annotations": {"deployment.kubernetes.io/desired-replicas": "3", "deployment.kubernetes.io/max-replicas": "4",
                        "deployment.kubernetes.io/revision": "2"},
        "ownerReferences": _owner(d)},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "6d8f9c7b5d"}},
                 "template": new_t}})
    rs = deep_copy(rs)
    rs["status"] = {"replicas": 3}
    rs = c.api.update_status(rs)
    for i, phase in enumerate(["Running", "Running", "Pending"]):
        p = c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {
            "name": f"web-6d8f9c7b5d-{i}", "labels": {"app": "web", "pod-template-hash": "6d8f9c7b5d"},
            "ownerReferences": _owner(rs)}, "spec": deep_copy(new_t["spec"])})
        _status(c, p, {"phase": phase})
    # a pod matching the selector but not owned by the RS is not counted
    p = c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": "stray", "labels": {"app": "web", "pod-template-hash": "6d8f9c7b5d"}}, "spec": deep_copy(new_t["spec"])})
    _status(c, p, {"phase": "Running"})
    rec = c.recorder("deployment-controller")
    rec.event(d, "Normal", "ScalingReplicaSet", "Scaled up replica set web-6d8f9c7b5d from 0 to 1")
    c.advance(10)
    rec.event(d, "Normal", "ScalingReplicaSet", "Scaled down replica set web-5f7d8c9b4c from 3 to 2")
    c.advance(5)
    r = c.kubectl("describe deployment web")
    assert r.stdout == """\
Name:                   web
Namespace:              default
CreationTimestamp:      Tue, 24 Nov 2026 09:00:30 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 2
                        kubernetes.io/change-cause: kubectl set image deployment/web nginx=nginx:1.27 --record=true
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:      nginx:1.27
    Port:       80/TCP
    Host Port:  0/TCP
    Limits:
      cpu:     500m
      memory:  128Mi
    Requests:
      cpu:      250m
      memory:   64Mi
    Readiness:  http-get http://:80/ delay=5s timeout=1s period=10s #success=1 #failure=3
    Environment:
      MODE:        prod
      DB_HOST:     <set to the key 'db_host' of config map 'web-config'>  Optional: false
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  web-5f7d8c9b4c (0/0 replicas created)
NewReplicaSet:   web-6d8f9c7b5d (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  15s   deployment-controller  Scaled up replica set web-6d8f9c7b5d from 0 to 1
  Normal  ScalingReplicaSet  5s    deployment-controller  Scaled down replica set web-5f7d8c9b4c from 3 to 2
"""
    r = c.kubectl("describe rs web-6d8f9c7b5d")
    assert r.stdout == """\
Name:           web-6d8f9c7b5d
Namespace:      default
Selector:       app=web,pod-template-hash=6d8f9c7b5d
Labels:         app=web
                pod-template-hash=6d8f9c7b5d
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/max-replicas: 4
                deployment.kubernetes.io/revision: 2
Controlled By:  Deployment/web
Replicas:       3 current / 3 desired
Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=web
           pod-template-hash=6d8f9c7b5d
  Containers:
   nginx:
    Image:      nginx:1.27
    Port:       80/TCP
    Host Port:  0/TCP
    Limits:
      cpu:     500m
      memory:  128Mi
    Requests:
      cpu:      250m
      memory:   64Mi
    Readiness:  http-get http://:80/ delay=5s timeout=1s period=10s #success=1 #failure=3
    Environment:
      MODE:        prod
      DB_HOST:     <set to the key 'db_host' of config map 'web-config'>  Optional: false
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
"""


def test_describe_services_with_endpointslices(c):
    c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "labels": {"app": "web"}},
                  "spec": {"type": "NodePort", "selector": {"app": "web"},
                           "ports": [{"name": "http", "port": 80, "targetPort": 80, "nodePort": 30080}]}})
    c.api.create({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {
        "name": "web-abc12", "labels": {"kubernetes.io/service-name": "web",
                                         "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
        "addressType": "IPv4", "ports": [{"name": "http", "port": 80, "protocol": "TCP"}],
        "endpoints": [{"addresses": [ip], "conditions": {"ready": ready}}
                      for ip, ready in (("10.42.0.11", True), ("10.42.0.12", True), ("10.42.0.13", False))]})
    svc = c.api.get(c.registry.resolve("svc"), "default", "web")
    ip = svc["spec"]["clusterIP"]
    r = c.kubectl("describe svc web")
    assert r.stdout == f"""\
Name:                     web
Namespace:                default
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       {ip}
IPs:                      {ip}
Port:                     http  80/TCP
TargetPort:               80/TCP
NodePort:                 http  30080/TCP
Endpoints:                10.42.0.11:80,10.42.0.12:80
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
"""
    c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext"},
                  "spec": {"type": "ExternalName", "externalName": "www.example.com"}})
    assert c.kubectl("describe svc ext").stdout == """\
Name:              ext
Namespace:         default
Labels:            <none>
Annotations:       <none>
Selector:          <none>
Type:              ExternalName
IP Families:       <none>
IP:                
IPs:               <none>
External Name:     www.example.com
Session Affinity:  None
Events:            <none>
"""


def test_describe_node_allocated_resources_and_lease(c):
    spec = {"nodeName": NODE, "automountServiceAccountToken": False, "containers": [{
        "name": "nginx", "image": "nginx", "resources": {"limits": {"cpu": "500m", "memory": "128Mi"},
                                                        "requests": {"cpu": "250m", "memory": "64Mi"}}}]}
    for name in ("web-1", "web-2", "web-3"):
        _status(c, _pod(c, name, deep_copy(spec)), {"phase": "Running"})
        c.advance(10)
    done = _pod(c, "done", deep_copy(spec))
    _status(c, done, {"phase": "Succeeded"})
    c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "pod-example"}})
    other = deep_copy(spec)
    other["containers"][0]["resources"] = {"limits": {"cpu": "200m", "memory": "256Mi"},
                                           "requests": {"cpu": "100m", "memory": "128Mi"}}
    _status(c, _pod(c, "nginx-demo", other, namespace="pod-example"), {"phase": "Running"})
    c.advance(41)
    out = c.kubectl(f"describe node {NODE}").stdout
    tail = out.split("Non-terminated Pods:", 1)[1]
    assert tail == """\
          (4 in total)
  Namespace                   Name          CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----          ------------  ----------  ---------------  -------------  ---
  default                     web-1         250m (6%)     500m (12%)  64Mi (0%)        128Mi (1%)     71s
  default                     web-2         250m (6%)     500m (12%)  64Mi (0%)        128Mi (1%)     61s
  default                     web-3         250m (6%)     500m (12%)  64Mi (0%)        128Mi (1%)     51s
  pod-example                 nginx-demo    100m (2%)     200m (5%)   128Mi (1%)       256Mi (3%)     41s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                850m (21%)  1700m (42%)
  memory             320Mi (3%)  640Mi (7%)
  ephemeral-storage  0 (0%)      0 (0%)
  hugepages-1Gi      0 (0%)      0 (0%)
  hugepages-2Mi      0 (0%)      0 (0%)
Events:              <none>
"""
    assert "Lease:\n  HolderIdentity:  k3d-kubelabs-server-0\n  AcquireTime:     <unset>\n" in out
    # node events are found by uid and by name (the kubelet's uid is the node name); kubectl
    # appends the second search's results, and equal timestamps keep that order
    node = c.api.get(c.registry.resolve("nodes"), None, NODE)
    ref_by_name = deep_copy(node)
    ref_by_name["metadata"]["uid"] = NODE
    c.recorder("kubelet", NODE).event(ref_by_name, "Normal", "NodeReady", f"Node {NODE} status is now: NodeReady")
    c.recorder("node-controller").event(node, "Normal", "RegisteredNode",
                                        f"Node {NODE} event: Registered Node {NODE} in Controller")
    out = c.kubectl(f"describe node {NODE}").stdout
    assert out.endswith(f"""\
Events:
  Type    Reason          Age   From             Message
  ----    ------          ----  ----             -------
  Normal  RegisteredNode  0s    node-controller  Node {NODE} event: Registered Node {NODE} in Controller
  Normal  NodeReady       0s    kubelet          Node {NODE} status is now: NodeReady
""")


def test_describe_namespace_endpoints_and_generic(c):
    assert c.kubectl("describe ns default").stdout == """\
Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
"""
    c.api.create({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "web", "labels": {"app": "web"}},
                  "subsets": [{"addresses": [{"ip": "10.42.0.11"}, {"ip": "10.42.0.12"}],
                               "notReadyAddresses": [{"ip": "10.42.0.13"}],
                               "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}]})
    assert c.kubectl("describe ep web").stdout == """\
Name:         web
Namespace:    default
Labels:       app=web
Annotations:  <none>
Subsets:
  Addresses:          10.42.0.11,10.42.0.12
  NotReadyAddresses:  10.42.0.13
  Ports:
    Name  Port  Protocol
    ----  ----  --------
    http  80    TCP

Events:  <none>
"""
    lease = c.api.get(c.registry.resolve("leases"), "kube-node-lease", NODE)
    assert c.kubectl(f"describe lease {NODE} -n kube-node-lease").stdout == f"""\
Name:         {NODE}
Namespace:    kube-node-lease
Labels:       <none>
Annotations:  <none>
API Version:  coordination.k8s.io/v1
Kind:         Lease
Metadata:
  Creation Timestamp:  2026-11-24T09:00:00Z
  Resource Version:    {lease['metadata']['resourceVersion']}
  UID:                 {lease['metadata']['uid']}
Spec:
  Holder Identity:         {NODE}
  Lease Duration Seconds:  40
  Renew Time:              2026-11-24T09:00:00.000000Z
Events:                    <none>
"""


def test_describe_configmap_secret_serviceaccount(c):
    c.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-config"},
                  "data": {"db_host": "mongo", "mode": "prod"}})
    assert c.kubectl("describe cm web-config").stdout == """\
Name:         web-config
Namespace:    default
Labels:       <none>
Annotations:  <none>

Data
====
db_host:
----
mongo

mode:
----
prod


BinaryData
====

Events:  <none>
"""
    c.api.create({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "type": "Opaque",
                  "data": {"password": "czNjcjN0", "user": "YWRtaW4="}})
    assert c.kubectl("describe secret db").stdout == """\
Name:         db
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:  6 bytes
user:      5 bytes
"""
    c.api.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "bot"},
                  "imagePullSecrets": [{"name": "regcred"}], "secrets": [{"name": "db"}]})
    assert c.kubectl("describe sa bot").stdout == """\
Name:                bot
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  regcred (not found)
Mountable secrets:   db
Tokens:              <none>
Events:              <none>
"""


def test_describe_selection_rules(c):
    for name, app in (("web-a", "web"), ("web-b", "web"), ("db", "db")):
        _bare_pod(c, name, [{"name": "c", "image": "nginx"}], labels={"app": app})
    one = c.kubectl("describe pod web-a --show-events=false").stdout
    two = c.kubectl("describe pod web-b --show-events=false").stdout
    db = c.kubectl("describe pod db --show-events=false").stdout
    # describe TYPE: every object in list order, separated by two newlines
    assert c.kubectl("describe pods --show-events=false").stdout == db + "\n\n" + one + "\n\n" + two
    assert c.kubectl("describe pods -l app=web --show-events=false").stdout == one + "\n\n" + two
    # describe TYPE PREFIX: every object whose name starts with the prefix, each + "\n"
    assert c.kubectl("describe pods web --show-events=false").stdout == one + "\n" + two + "\n"
    r = c.kubectl("describe pods nope")
    assert (r.stdout, r.stderr, r.exit_code) == ("", 'Error from server (NotFound): pods "nope" not found\n', 1)
    r = c.kubectl("describe pods web-a nope --show-events=false")
    assert r.stdout == one and r.stderr == 'Error from server (NotFound): pods "nope" not found\n'
    r = c.kubectl("describe pod/db --show-events=false")
    assert r.stdout == db
    r = c.kubectl("describe")
    assert r.stderr == ('error: You must specify the type of resource to describe. Use "kubectl api-resources" for '
                        'a complete list of supported resources.\n') and r.exit_code == 1
    r = c.kubectl("describe deploy")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "No resources found in default namespace.\n", 0)
    r = c.kubectl("describe deploy -A")
    assert r.stderr == "No resources found\n"
    r = c.kubectl("describe pods -l 'app in (web'")
    assert r.stderr == ('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label '
                        'selector "app in (web", field selector "": unable to parse requirement: found \'\', '
                        "expected: ',' or ')'\n")
    r = c.kubectl("describe foo")
    assert r.stderr == 'error: the server doesn\'t have a resource type "foo"\n'


def test_describe_file(c, tmp_path):
    pytest.importorskip("labsim.api.decode")  # the manifest decoder is another engineer's module
    _bare_pod(c, "db", [{"name": "c", "image": "nginx"}])
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\n---\n"
                                       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: gone\n")
    c.workdir = str(tmp_path)
    r = c.kubectl("describe -f pod.yaml --show-events=false")
    assert r.stdout == c.kubectl("describe pod db --show-events=false").stdout
    assert r.stderr == 'Error from server (NotFound): pods "gone" not found\n'


def test_annotations_multiline_rules():
    w = PrefixWriter()
    long_value = "x" * 150
    print_annotations_multiline(w, "Annotations", {
        "b": "two\nlines\n", "a": "short", "c": long_value,
        "kubectl.kubernetes.io/last-applied-configuration": "{}"})
    assert w.text() == ("Annotations:  a: short\n"
                        "              b:\n"
                        "                two\n"
                        "                lines\n"
                        "              c:\n"
                        "                " + "x" * 138 + "...\n")


@pytest.mark.parametrize("probe,text", [
    ({"httpGet": {"path": "/healthz", "port": 8443, "scheme": "HTTPS"}, "timeoutSeconds": 1, "periodSeconds": 10,
      "successThreshold": 1, "failureThreshold": 3},
     "http-get https://:8443/healthz delay=0s timeout=1s period=10s #success=1 #failure=3"),
    ({"httpGet": {"path": "/", "port": "http", "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10,
      "successThreshold": 1, "failureThreshold": 3},
     "http-get http://:http/ delay=0s timeout=1s period=10s #success=1 #failure=3"),
    ({"tcpSocket": {"port": 8080}, "initialDelaySeconds": 15, "timeoutSeconds": 1, "periodSeconds": 20,
      "successThreshold": 1, "failureThreshold": 3},
     "tcp-socket :8080 delay=15s timeout=1s period=20s #success=1 #failure=3"),
    ({"grpc": {"port": 2379, "service": ""}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
      "failureThreshold": 3},
     "grpc <pod>:2379  delay=0s timeout=1s period=10s #success=1 #failure=3"),
])
def test_describe_probe(probe, text):
    assert describe_probe(probe) == text


@pytest.mark.parametrize("containers,qos", [
    ([{"resources": {}}], "BestEffort"),
    ([{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}}],
     "Guaranteed"),
    ([{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}}],
     "Burstable"),
    ([{"resources": {"requests": {"cpu": "100m"}}}], "Burstable"),
    ([{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1024Mi"}}},
      {"resources": {}}], "Burstable"),
    ([{"resources": {"requests": {"ephemeral-storage": "1Gi"}}}], "BestEffort"),
])
def test_compute_qos(containers, qos):
    assert compute_pod_qos({"spec": {"containers": containers}}) == qos


@pytest.mark.parametrize("ev,age", [
    ({"firstTimestamp": rfc3339(50), "lastTimestamp": rfc3339(50), "count": 1}, "40s"),
    ({"firstTimestamp": rfc3339(50), "lastTimestamp": rfc3339(80), "count": 3}, "10s (x3 over 40s)"),
    ({"eventTime": "2026-11-24T09:00:10.000000Z", "series": {"count": 4, "lastObservedTime":
                                                              "2026-11-24T09:01:20.000000Z"}}, "10s (x4 over 80s)"),
    ({"eventTime": "2026-11-24T09:00:10.500000Z"}, "79s"),
    ({}, "<unknown>"),
])
def test_event_age(ev, age):
    assert event_age(ev, 90) == age
