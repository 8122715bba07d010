"""The kubelet end to end through kubectl, with the test image catalogue (tests/labsim/kubelet/models.py).

Times: the pod is created at t=30 (boot), bound at once, its sandbox takes ~0.9 s (seeded), the
image is pre-pulled."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from models import pod_yaml, make_cluster  # noqa: E402

from labsim import errors  # noqa: E402

NODE = "k3d-kubelabs-server-0"


def watch(c, name_cmd, seconds, step=None):
    r = c.kubectl(name_cmd)
    out = r.stdout
    out += c.advance(seconds)
    c.stop_watches()
    return out


def pod(c, name):
    return c.api.get(c.api.registry.for_kind("", "Pod"), "default", name)


def test_crash_loop_watch_sequence():
    """§9.3: Error, immediate first restart, then CrashLoopBackOff with 10 s, 20 s, 40 s windows."""
    c = make_cluster()
    c.apply(pod_yaml("crash", ["exit", "1", "2"]))
    assert watch(c, "get pods -w", 100) == """\
NAME    READY   STATUS    RESTARTS   AGE
crash   0/1     Pending   0          0s
crash   0/1     Pending   0          0s
crash   0/1     ContainerCreating   0          0s
crash   1/1     Running             0          0s
crash   0/1     Error               0          2s
crash   1/1     Running             1 (0s ago)   2s
crash   0/1     Error               1 (2s ago)   4s
crash   0/1     CrashLoopBackOff    1 (0s ago)   4s
crash   1/1     Running             2 (10s ago)   14s
crash   0/1     Error               2 (12s ago)   16s
crash   0/1     CrashLoopBackOff    2 (0s ago)    16s
crash   1/1     Running             3 (20s ago)   36s
crash   0/1     Error               3 (22s ago)   38s
crash   0/1     CrashLoopBackOff    3 (0s ago)    38s
crash   1/1     Running             4 (40s ago)   78s
crash   0/1     Error               4 (42s ago)   80s
crash   0/1     CrashLoopBackOff    4 (0s ago)    80s
"""
    p = pod(c, "crash")
    assert p["status"]["phase"] == "Running"
    cs = p["status"]["containerStatuses"][0]
    uid = p["metadata"]["uid"]
    assert cs["state"] == {"waiting": {
        "reason": "CrashLoopBackOff",
        "message": f"back-off 1m20s restarting failed container=app pod=crash_default({uid})"}}
    assert cs["lastState"]["terminated"]["exitCode"] == 1 and cs["lastState"]["terminated"]["reason"] == "Error"
    events = c.kubectl("describe pod crash").stdout.split("Events:\n")[1]
    assert f"Warning  BackOff    " in events
    assert f"Back-off restarting failed container app in pod crash_default({uid})" in events
    assert "Normal   Created    22s (x5 over 100s)  kubelet            Created container: app" in events


def test_phase_per_restart_policy():
    """Lab 01.3: Never/exit 1 -> Failed, OnFailure/exit 1 -> Running, Always -> Running, OnFailure/exit 0 -> Succeeded."""
    c = make_cluster()
    for name, policy, code in (("p1", "Never", 1), ("p2", "OnFailure", 1), ("p3", "Always", 1), ("p4", "OnFailure", 0)):
        c.apply(pod_yaml(name, ["exit", str(code), "0"], policy=policy))
    c.advance(60)
    phases = {n: pod(c, n)["status"]["phase"] for n in ("p1", "p2", "p3", "p4")}
    assert phases == {"p1": "Failed", "p2": "Running", "p3": "Running", "p4": "Succeeded"}
    out = c.kubectl("get pods").stdout
    rows = {l.split()[0]: l.split()[1:4] for l in out.splitlines()[1:]}
    assert rows["p1"] == ["0/1", "Error", "0"] and rows["p4"] == ["0/1", "Completed", "0"]
    assert rows["p2"][:2] == ["0/1", "CrashLoopBackOff"] and rows["p3"][:2] == ["0/1", "CrashLoopBackOff"]
    p4 = pod(c, "p4")["status"]
    assert [(x["type"], x["status"], x.get("reason")) for x in p4["conditions"]] == [
        ("PodReadyToStartContainers", "False", None), ("Initialized", "True", "PodCompleted"),
        ("Ready", "False", "PodCompleted"), ("ContainersReady", "False", "PodCompleted"), ("PodScheduled", "True", None)]


def test_first_sync_and_running_status():
    c = make_cluster()
    c.apply(pod_yaml("web", ["serve"]))
    c.advance(0.1)
    st = pod(c, "web")["status"]
    assert st["containerStatuses"][0]["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert [(x["type"], x["status"]) for x in st["conditions"]] == [
        ("PodReadyToStartContainers", "False"), ("Initialized", "True"), ("Ready", "False"),
        ("ContainersReady", "False"), ("PodScheduled", "True")]
    assert "podIP" not in st and st["hostIP"] == "172.18.0.2" and st["startTime"] == "2026-11-24T09:00:30Z"
    c.advance(5)
    st = pod(c, "web")["status"]
    cs = st["containerStatuses"][0]
    assert st["phase"] == "Running" and st["podIP"] == "10.42.0.2" and st["podIPs"] == [{"ip": "10.42.0.2"}]
    assert cs["ready"] is True and cs["started"] is True and cs["restartCount"] == 0
    assert cs["containerID"].startswith("containerd://") and len(cs["containerID"]) == len("containerd://") + 64
    assert cs["image"] == "docker.io/test/app:1" and cs["imageID"].startswith("docker.io/test/app@sha256:")
    assert all(x["status"] == "True" for x in st["conditions"])


def test_readiness_keeps_pod_not_ready_until_file_exists():
    c = make_cluster()
    c.apply(pod_yaml("gate", ["serve"], extra_container="""readinessProbe:
  httpGet: {path: /ready.html, port: 80}
  periodSeconds: 5"""))
    c.advance(30)
    assert c.kubectl("get pod gate").stdout.splitlines()[1].split()[1:4] == ["0/1", "Running", "0"]
    k = c.kubelet_for(NODE)
    assert k.exec(pod(c, "gate"), "app", ["touch", "/www/ready.html"]).exit_code == 0
    c.advance(10)
    assert c.kubectl("get pod gate").stdout.splitlines()[1].split()[1:4] == ["1/1", "Running", "0"]
    events = c.kubectl("describe pod gate").stdout.split("Events:\n")[1]
    # 6 ticks of the 5 s ticker plus the immediate runs that status syncs trigger while the
    # container is not ready (prober_manager.UpdatePodStatus)
    assert "Warning  Unhealthy  15s (x8 over 40s)  kubelet            Readiness probe failed: HTTP probe failed with statuscode: 404" in events
    assert "Killing" not in events
    logs = [l.text for l in k.container_logs(pod(c, "gate"), "app")]
    assert logs[1] == "GET /ready.html kube-probe/1.32"


def test_liveness_kill_and_restart():
    """§5.10: failures at three ticks, Killing, restart in the same sync, the file is back."""
    c = make_cluster()
    c.apply(pod_yaml("live", ["serve"], extra_container="""livenessProbe:
  httpGet: {path: /index.html, port: 80}
  periodSeconds: 10"""))
    c.advance(40)
    k = c.kubelet_for(NODE)
    k.exec(pod(c, "live"), "app", ["rm", "/www/index.html"])
    c.advance(19)
    assert pod(c, "live")["status"]["containerStatuses"][0]["restartCount"] == 0
    c.advance(2)
    cs = pod(c, "live")["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 1 and "running" in cs["state"]
    assert cs["lastState"]["terminated"]["reason"] == "Completed"  # the model exits 0 on SIGTERM
    events = c.kubectl("describe pod live").stdout.split("Events:\n")[1]
    assert "Warning  Unhealthy  1s (x3 over 21s)  kubelet            Liveness probe failed: HTTP probe failed with statuscode: 404" in events
    assert "Normal   Killing    1s                kubelet            Container app failed liveness probe, will be restarted" in events
    c.advance(60)
    assert pod(c, "live")["status"]["containerStatuses"][0]["restartCount"] == 1
    assert k.exec(pod(c, "live"), "app", ["cat", "/www/index.html"]).stdout == "hello\n"
    assert [l.text for l in k.container_logs(pod(c, "live"), "app", previous=True)][-1] == "got SIGTERM"


def test_oom_killed():
    c = make_cluster()
    c.apply(pod_yaml("oom", ["oom", "300000000", "3"], policy="Never", extra_container="""resources:
  limits: {memory: 128Mi}"""))
    c.advance(10)
    assert c.kubectl("get pods").stdout == "NAME   READY   STATUS      RESTARTS   AGE\noom    0/1     OOMKilled   0          10s\n"
    t = pod(c, "oom")["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (t["exitCode"], t["reason"]) == (137, "OOMKilled")
    assert pod(c, "oom")["status"]["phase"] == "Failed"


def test_image_pull_backoff():
    c = make_cluster()
    c.apply(pod_yaml("pull", image="test/missing:1"))
    out = watch(c, "get pods -w", 80)
    statuses = [l.split()[2] for l in out.splitlines()[1:]]
    assert statuses == ["Pending", "Pending", "ContainerCreating", "ErrImagePull", "ImagePullBackOff", "ErrImagePull",
                        "ImagePullBackOff", "ErrImagePull", "ImagePullBackOff", "ErrImagePull"]
    st = pod(c, "pull")["status"]
    assert st["phase"] == "Pending"
    assert st["containerStatuses"][0]["state"]["waiting"]["message"].startswith(
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/test/missing:1"')
    events = c.kubectl("describe pod pull").stdout.split("Events:\n")[1]
    assert 'Normal   BackOff    11s (x5 over 78s)  kubelet            Back-off pulling image "test/missing:1"' in events
    assert "Warning  Failed     6s (x4 over 79s)   kubelet            Error: ErrImagePull" in events
    with pytest.raises(errors.StatusError) as e:
        c.kubelet_for(NODE).container_logs(pod(c, "pull"), "app")
    assert str(e.value.message) == 'container "app" in pod "pull" is waiting to start: image can\'t be pulled'


def test_pull_always_reports_size_and_duration():
    c = make_cluster(preload=())
    c.apply(pod_yaml("web", ["serve"], image="test/app:latest"))
    c.advance(10)
    events = c.kubectl("get events --field-selector reason=Pulled").stdout
    assert 'Successfully pulled image "test/app:latest" in 2.5s (2.5s including waiting). Image size: 1000000 bytes.' in events


def test_init_containers():
    c = make_cluster()
    c.apply(pod_yaml("init", ["serve"], pod_extra="""initContainers:
- name: setup
  image: test/app:1
  args: ["exit", "0", "5"]"""))
    c.advance(0.1)
    assert c.kubectl("get pods").stdout.splitlines()[1].split()[2] == "Init:0/1"
    st = pod(c, "init")["status"]
    assert st["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}
    assert {k: v for k, v in st["conditions"][1].items() if k != "lastProbeTime"} == {
                                   "type": "Initialized", "status": "False", "lastTransitionTime": "2026-11-24T09:00:30Z", "reason": "ContainersNotInitialized",
                                   "message": "containers with incomplete status: [setup]"}
    c.advance(10)
    st = pod(c, "init")["status"]
    assert st["phase"] == "Running"
    assert st["initContainerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"
    assert st["initContainerStatuses"][0]["ready"] is True


def test_init_container_failure_never():
    c = make_cluster()
    c.apply(pod_yaml("init", ["serve"], policy="Never", pod_extra="""initContainers:
- name: setup
  image: test/app:1
  args: ["exit", "3", "1"]"""))
    c.advance(10)
    assert c.kubectl("get pods").stdout.splitlines()[1].split()[1:3] == ["0/1", "Init:Error"]
    assert pod(c, "init")["status"]["phase"] == "Failed"


@pytest.mark.parametrize("cmd,args,gone", [
    ("delete pod p", ["ignore-term"], 30.0),
    ("delete pod p --grace-period=5", ["ignore-term"], 5.0),
    ("delete pod p --now", ["ignore-term"], 2.0),
    ("delete pod p", ["serve"], 0.0),
])
def test_graceful_termination_timing(cmd, args, gone):
    c = make_cluster()
    c.apply(pod_yaml("p", args))
    c.advance(10)
    t0 = c.now
    c.kubectl(cmd + " --wait=false")
    rt = c.api.registry.for_kind("", "Pod")
    while c.api.try_get(rt, "default", "p") is not None and c.now < t0 + 100:
        c.advance(0.5)
    assert c.now - t0 == gone
    killing = [e for e in c.api.list(c.api.registry.for_kind("", "Event")) if e["reason"] == "Killing"]
    assert [e["message"] for e in killing] == ["Stopping container app"]


def test_prestop_uses_grace_then_two_second_minimum():
    c = make_cluster()
    c.apply(pod_yaml("p", ["ignore-term"], pod_extra="terminationGracePeriodSeconds: 5", extra_container="""lifecycle:
  preStop:
    exec: {command: ["sleep", "5"]}"""))
    c.advance(10)
    t0 = c.now
    out = c.kubectl("get pods -w").stdout
    c.api.delete(c.api.registry.for_kind("", "Pod"), "default", "p")  # as kubectl delete does
    out += c.advance(10)
    c.stop_watches()
    assert out == """\
NAME   READY   STATUS    RESTARTS   AGE
p      1/1     Running   0          10s
p      1/1     Terminating   0          10s
p      0/1     Terminating   0          17s
p      0/1     Error         0          17s
p      0/1     Error         0          17s
"""
    assert c.now - t0 == 10


def test_force_delete_still_stops_the_container():
    c = make_cluster()
    c.apply(pod_yaml("p", ["ignore-term"]))
    c.advance(10)
    k = c.kubelet_for(NODE)
    proc = k.running_process(pod(c, "p"), "app")
    r = c.kubectl("delete pod p --force --grace-period=0")
    assert r.stdout == 'pod "p" force deleted\n'
    assert proc.running
    # the object is gone, but the kubelet still gives the container its full grace period
    # (pod_workers.go calculateEffectiveGracePeriod: 0 falls back to terminationGracePeriodSeconds)
    c.advance(29)
    assert proc.running
    c.advance(1)
    assert not proc.running
    assert k.workers == {}


def test_logs_and_exec_errors():
    c = make_cluster()
    c.apply(pod_yaml("web", ["serve"]))
    k = c.kubelet_for(NODE)
    c.advance(0.1)
    with pytest.raises(errors.StatusError) as e:
        k.container_logs(pod(c, "web"), "app")
    assert e.value.message == 'container "app" in pod "web" is waiting to start: ContainerCreating'
    with pytest.raises(errors.KubectlError) as e2:
        k.exec(pod(c, "web"), "app", ["cat", "/x"])
    assert str(e2.value) == 'unable to upgrade connection: container not found ("app")'
    c.advance(5)
    assert [l.text for l in k.container_logs(pod(c, "web"), "app")] == ["start serve"]
    with pytest.raises(errors.StatusError) as e:
        k.container_logs(pod(c, "web"), "app", previous=True)
    assert e.value.message == 'previous terminated container "app" in pod "web" not found'
    with pytest.raises(errors.StatusError) as e:
        k.container_logs(pod(c, "web"), "nope")
    assert e.value.message == "container nope is not valid for pod web"
    assert k.exec(pod(c, "web"), "app", ["false"]).exit_code == 1


def test_pod_ips_and_network_routing():
    c = make_cluster(nodes=2)
    agent = "k3d-kubelabs-agent-0"
    c.apply(pod_yaml("a", ["serve"], node=NODE))
    c.apply(pod_yaml("b", ["serve"], node=agent))
    c.apply(pod_yaml("d", ["serve"], node=agent))
    c.advance(5)
    ips = {n: pod(c, n)["status"]["podIP"] for n in "abd"}
    assert ips["a"] == "10.42.0.2" and sorted([ips["b"], ips["d"]]) == ["10.42.1.2", "10.42.1.3"]
    assert c.network.http_get(None, "10.42.1.3", 80, "/index.html").body == "hello\n"


def test_env_service_links_and_config_error():
    c = make_cluster()
    c.apply(pod_yaml("env", ["serve"], extra_container="""env:
- name: FROM_CM
  valueFrom:
    configMapKeyRef: {name: app-config, key: mode}
- name: POD_IP
  valueFrom:
    fieldRef: {fieldPath: status.podIP}"""))
    c.advance(5)
    st = pod(c, "env")["status"]["containerStatuses"][0]["state"]
    assert st == {"waiting": {"reason": "CreateContainerConfigError", "message": 'configmap "app-config" not found'}}
    c.kubectl("create configmap app-config --from-literal=mode=fast")
    c.advance(16)
    k = c.kubelet_for(NODE)
    proc = k.running_process(pod(c, "env"), "app")
    env = proc.ctx.spec.env
    assert env["FROM_CM"] == "fast" and env["POD_IP"] == "10.42.0.2"
    assert env["KUBERNETES_SERVICE_HOST"] == "10.43.0.1" and env["KUBERNETES_PORT_443_TCP"] == "tcp://10.43.0.1:443"


def test_node_lease_renewed_every_ten_seconds():
    c = make_cluster()
    lease_rt = c.api.registry.for_kind("coordination.k8s.io", "Lease")
    c.advance(25)
    assert c.api.get(lease_rt, "kube-node-lease", NODE)["spec"]["renewTime"] == "2026-11-24T09:00:50.000000Z"


def test_deterministic():
    def run():
        c = make_cluster(seed=7)
        c.apply(pod_yaml("crash", ["exit", "1", "1"]))
        c.apply(pod_yaml("pull", image="test/missing:1"))
        c.advance(120)
        return c.digest()
    assert run() == run()
