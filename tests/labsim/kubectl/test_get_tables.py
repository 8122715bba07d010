"""Server table cells per kind (pkg/printers/internalversion/printers.go, 1.32), as pure functions of (obj, now)."""
from __future__ import annotations

import pytest

from labsim.clock import rfc3339
from labsim.kubectl.printers import tables as t

NOW = 1000.0
TS = rfc3339(NOW - 150)  # 2m30s ago


def pod(spec=None, status=None, md=None):
    return {"metadata": {"name": "p", "creationTimestamp": TS, **(md or {})},
            "spec": spec or {"containers": [{"name": "a"}]}, "status": status or {}}


def cs(name="a", **state):
    return {"name": name, "ready": state.pop("ready", False), "restartCount": state.pop("restarts", 0),
            "state": state, **({"started": True} if state.get("running") is not None else {})}


@pytest.mark.parametrize("p,expected", [
    (pod(status={"phase": "Pending"}), ("0/1", "Pending", "0")),
    (pod(status={"phase": "Pending", "containerStatuses": [cs(waiting={"reason": "ContainerCreating"})]}),
     ("0/1", "ContainerCreating", "0")),
    (pod(status={"phase": "Running", "containerStatuses": [cs(running={}, ready=True)]}), ("1/1", "Running", "0")),
    (pod(status={"phase": "Running", "reason": "Evicted"}), ("0/1", "Evicted", "0")),
    (pod(status={"phase": "Pending", "conditions": [{"type": "PodScheduled", "reason": "SchedulingGated"}]}),
     ("0/1", "SchedulingGated", "0")),
    (pod(status={"phase": "Failed", "containerStatuses": [cs(terminated={"exitCode": 1})]}),
     ("0/1", "ExitCode:1", "0")),
    (pod(status={"phase": "Failed", "containerStatuses": [cs(terminated={"exitCode": 0, "signal": 9})]}),
     ("0/1", "Signal:9", "0")),
    (pod(status={"phase": "Succeeded", "containerStatuses": [cs(terminated={"exitCode": 0, "reason": "Completed"})]}),
     ("0/1", "Completed", "0")),
    # first container in spec order that is waiting wins (statuses walked last to first)
    (pod({"containers": [{"name": "a"}, {"name": "b"}]},
         {"phase": "Running", "containerStatuses": [cs("a", waiting={"reason": "CrashLoopBackOff"}, restarts=3),
                                                    cs("b", waiting={"reason": "ErrImagePull"})]}),
     ("0/2", "CrashLoopBackOff", "3")),
    # Completed but another container running and ready: Running / NotReady
    (pod({"containers": [{"name": "a"}, {"name": "b"}]},
         {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
          "containerStatuses": [cs("a", terminated={"exitCode": 0, "reason": "Completed"}),
                                cs("b", running={}, ready=True)]}), ("1/2", "Running", "0")),
    (pod({"containers": [{"name": "a"}, {"name": "b"}]},
         {"phase": "Running", "containerStatuses": [cs("a", terminated={"exitCode": 0, "reason": "Completed"}),
                                                    cs("b", running={}, ready=True)]}), ("1/2", "NotReady", "0")),
    # init containers
    (pod({"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "a"}]},
         {"phase": "Pending", "initContainerStatuses": [cs("i1", terminated={"exitCode": 0}),
                                                        cs("i2", running={})],
          "containerStatuses": [cs(waiting={"reason": "PodInitializing"})]}), ("0/1", "Init:1/2", "0")),
    (pod({"initContainers": [{"name": "i1"}], "containers": [{"name": "a"}]},
         {"phase": "Pending", "initContainerStatuses": [cs("i1", waiting={"reason": "CrashLoopBackOff"}, restarts=4)]}),
     ("0/1", "Init:CrashLoopBackOff", "4")),
    (pod({"initContainers": [{"name": "i1"}], "containers": [{"name": "a"}]},
         {"phase": "Pending", "initContainerStatuses": [cs("i1", terminated={"exitCode": 2})]}),
     ("0/1", "Init:ExitCode:2", "0")),
    (pod({"initContainers": [{"name": "i1"}], "containers": [{"name": "a"}]},
         {"phase": "Pending", "initContainerStatuses": [cs("i1", terminated={"exitCode": 1, "reason": "Error"})]}),
     ("0/1", "Init:Error", "0")),
    # a started sidecar counts in READY and does not block
    (pod({"initContainers": [{"name": "side", "restartPolicy": "Always"}], "containers": [{"name": "a"}]},
         {"phase": "Running", "initContainerStatuses": [{**cs("side", running={}, ready=True), "started": True}],
          "containerStatuses": [cs(running={}, ready=True)]}), ("2/2", "Running", "0")),
    # deletion
    (pod(status={"phase": "Running", "containerStatuses": [cs(running={}, ready=True)]},
         md={"deletionTimestamp": TS}), ("1/1", "Terminating", "0")),
    (pod(status={"phase": "Succeeded"}, md={"deletionTimestamp": TS}), ("0/1", "Succeeded", "0")),
    (pod(status={"phase": "Running", "reason": "NodeLost"}, md={"deletionTimestamp": TS}), ("0/1", "Unknown", "0")),
])
def test_pod_ready_status_restarts(p, expected):
    cells = t.pod_cells(p, NOW)
    assert tuple(cells[1:4]) == expected


def test_pod_restarts_ago_and_wide_cells():
    p = pod(spec={"containers": [{"name": "a"}], "readinessGates": [{"conditionType": "x"}, {"conditionType": "y"}]},
            status={"phase": "Running", "podIPs": [{"ip": "10.42.0.5"}], "nominatedNodeName": "n2",
                    "conditions": [{"type": "x", "status": "True"}, {"type": "y", "status": "False"}],
                    "containerStatuses": [{**cs(running={}, ready=True, restarts=2),
                                           "lastState": {"terminated": {"finishedAt": rfc3339(NOW - 131)}}}]})
    assert t.pod_cells(p, NOW) == ["p", "1/1", "Running", "2 (2m11s ago)", "2m30s", "10.42.0.5", "<none>", "n2", "1/2"]


def meta(name="x", **kw):
    return {"name": name, "creationTimestamp": TS, **kw}


def test_workloads():
    tmpl = {"spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "busybox"}]}}
    d = {"metadata": meta("web"), "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": tmpl},
         "status": {"readyReplicas": 1, "updatedReplicas": 2}}
    assert t.deployment_cells(d, NOW) == ["web", "1/3", 2, 0, "2m30s", "a,b", "nginx,busybox", "app=web"]
    rs = {"metadata": meta("web-1"), "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web", "h": "1"}},
                                             "template": tmpl}, "status": {"replicas": 2}}
    assert t.replicaset_cells(rs, NOW) == ["web-1", 2, 2, 0, "2m30s", "a,b", "nginx,busybox", "app=web,h=1"]
    sts = {"metadata": meta("db"), "spec": {"replicas": 2, "template": tmpl}, "status": {"readyReplicas": 2}}
    assert t.statefulset_cells(sts, NOW) == ["db", "2/2", "2m30s", "a,b", "nginx,busybox"]
    ds = {"metadata": meta("ds"), "spec": {"selector": {"matchLabels": {"a": "b"}},
                                           "template": {"spec": {**tmpl["spec"], "nodeSelector": {"kubernetes.io/os": "linux"}}}},
          "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2}}
    assert t.daemonset_cells(ds, NOW)[:8] == ["ds", 3, 3, 2, 0, 0, "kubernetes.io/os=linux", "2m30s"]


def test_jobs_and_cronjobs():
    job = {"metadata": meta("j"), "spec": {"completions": 3, "template": {"spec": {"containers": []}}},
           "status": {"succeeded": 1, "startTime": rfc3339(NOW - 70)}}
    assert t.job_cells(job, NOW)[:5] == ["j", "Running", "1/3", "70s", "2m30s"]
    job["status"].update(conditions=[{"type": "Complete", "status": "True"}], completionTime=rfc3339(NOW - 10))
    assert t.job_cells(job, NOW)[1:4] == ["Complete", "1/3", "60s"]
    job2 = {"metadata": meta("j2"), "spec": {"parallelism": 2, "template": {"spec": {}}}, "status": {}}
    assert t.job_cells(job2, NOW)[1:4] == ["Running", "0/1 of 2", ""]
    cj = {"metadata": meta("c"), "spec": {"schedule": "*/1 * * * *", "suspend": False,
                                          "jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}},
          "status": {"active": [{}], "lastScheduleTime": rfc3339(NOW - 30)}}
    assert t.cronjob_cells(cj, NOW)[:7] == ["c", "*/1 * * * *", "<none>", "False", 1, "30s", "2m30s"]


def test_services():
    svc = {"metadata": meta("lb"), "spec": {"type": "LoadBalancer", "clusterIPs": ["10.43.7.7"],
                                            "ports": [{"port": 80, "nodePort": 31234, "protocol": "TCP"},
                                                      {"port": 443, "nodePort": 31235, "protocol": "TCP"}]}}
    assert t.service_cells(svc, NOW) == ["lb", "LoadBalancer", "10.43.7.7", "<pending>", "80:31234/TCP,443:31235/TCP",
                                         "2m30s", "<none>"]
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "172.18.0.3"}, {"ip": "172.18.0.2"}]}}
    assert t.service_cells(svc, NOW)[3] == "172.18.0.2,17..."
    assert t.service_cells(svc, NOW, True)[3] == "172.18.0.2,172.18.0.3"
    ext = {"metadata": meta("e"), "spec": {"type": "ExternalName", "externalName": "example.com"}}
    assert t.service_cells(ext, NOW)[:5] == ["e", "ExternalName", "<none>", "example.com", "<none>"]


def test_endpoints_and_slices():
    ep = {"metadata": meta("web"), "subsets": [{"addresses": [{"ip": f"10.42.0.{i}"} for i in range(1, 5)],
                                                "ports": [{"port": 80}]}]}
    assert t.endpoints_cells(ep, NOW) == ["web", "10.42.0.1:80,10.42.0.2:80,10.42.0.3:80 + 1 more...", "2m30s"]
    assert t.endpoints_cells({"metadata": meta("web"), "subsets": [{"notReadyAddresses": [{"ip": "1.2.3.4"}],
                                                                    "ports": [{"port": 80}]}]}, NOW)[1] == ""
    assert t.endpoints_cells({"metadata": meta("web")}, NOW)[1] == "<none>"
    es = {"metadata": meta("web-abc"), "addressType": "IPv4", "ports": [{"port": 80}, {"name": "x"}],
          "endpoints": [{"addresses": ["10.42.0.1"]}]}
    assert t.endpointslice_cells(es, NOW) == ["web-abc", "IPv4", "80,x", "10.42.0.1", "2m30s"]
    assert t.endpointslice_cells({"metadata": meta("e"), "addressType": "IPv4"}, NOW)[2:4] == ["<unset>", "<unset>"]


def test_ingress_hpa_storage_misc():
    ing = {"metadata": meta("ing"), "spec": {"ingressClassName": "nginx", "rules": [{"host": "foo.bar.com"}, {}],
                                             "tls": [{}]}}
    assert t.ingress_cells(ing, NOW) == ["ing", "nginx", "foo.bar.com", "", "80, 443", "2m30s"]
    hpa = {"metadata": meta("web"), "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "php-apache"},
                                             "minReplicas": 1, "maxReplicas": 10,
                                             "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                                                 "type": "Utilization", "averageUtilization": 50}}}]},
           "status": {"currentReplicas": 1}}
    assert t.hpa_cells(hpa, NOW) == ["web", "Deployment/php-apache", "cpu: <unknown>/50%", "1", 10, 1, "2m30s"]
    hpa["status"]["currentMetrics"] = [{"type": "Resource", "resource": {"name": "cpu", "current": {
        "averageUtilization": 22}}}]
    assert t.hpa_cells(hpa, NOW)[2] == "cpu: 22%/50%"
    sc = {"metadata": meta("local-path", annotations={"storageclass.kubernetes.io/is-default-class": "true"}),
          "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"}
    assert t.storageclass_cells(sc, NOW) == ["local-path (default)", "rancher.io/local-path", "Delete",
                                             "WaitForFirstConsumer", False, "2m30s"]
    pvc = {"metadata": meta("data"), "spec": {"storageClassName": "local-path", "accessModes": ["ReadWriteOnce"]},
           "status": {"phase": "Pending"}}
    assert t.pvc_cells(pvc, NOW) == ["data", "Pending", "", "", "", "local-path", "<unset>", "2m30s", "<unset>"]
    pv = {"metadata": meta("pv1"), "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
                                           "persistentVolumeReclaimPolicy": "Retain",
                                           "claimRef": {"namespace": "default", "name": "data"}},
          "status": {"phase": "Bound"}}
    assert t.pv_cells(pv, NOW) == ["pv1", "1Gi", "RWO,RWX", "Retain", "Bound", "default/data", "", "<unset>", "",
                                   "2m30s", "<unset>"]
    assert t.cell_text(False) == "false" and t.cell_text(3) == "3" and t.cell_text("a\nb") == "a..."
    assert t.default_cells({"metadata": meta("admin")}, NOW) == ["admin", "2026-11-24T09:14:10Z"]
    cr = {"metadata": meta("web-5d", ownerReferences=[{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                                                       "controller": True}]), "revision": 1}
    assert t.controllerrevision_cells(cr, NOW) == ["web-5d", "statefulset.apps/web", 1, "2m30s"]
    rq = {"metadata": meta("q"), "status": {"hard": {"pods": "10", "limits.cpu": "2", "requests.cpu": "1"},
                                            "used": {"pods": "3"}}}
    assert t.resourcequota_cells(rq, NOW) == ["q", "pods: 3/10, requests.cpu: 0/1", "limits.cpu: 0/2", "2m30s"]


def test_events_wide():
    ev = {"metadata": meta("db.1"), "type": "Normal", "reason": "Pulling",
          "involvedObject": {"kind": "Pod", "name": "db", "fieldPath": "spec.containers{db}"},
          "source": {"component": "kubelet", "host": "kind-control-plane"}, "message": "Pulling image \"mongo\" ",
          "firstTimestamp": rfc3339(NOW - 161), "lastTimestamp": rfc3339(NOW - 138), "count": 3}
    assert t.event_cells(ev, NOW) == ["2m18s", "Normal", "Pulling", "pod/db", "spec.containers{db}",
                                      "kubelet, kind-control-plane", 'Pulling image "mongo"', "2m41s", 3, "db.1"]


def test_every_registry_kind_has_a_table():
    from labsim.api.registry import REGISTRY
    for rt in REGISTRY.resources:
        table = t.table_for(rt.group, rt.kind)
        cells = t.row_cells(table, {"metadata": meta("x")}, NOW, True)
        assert len(cells) == len(table.columns), rt.kind
