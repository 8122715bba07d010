"""The objects of the get transcripts (get1.txt, get2.txt, watch.txt), built directly in the store.

Pods sit on node ``kind-control-plane``, which has no kubelet in the simulated cluster, so the
statuses written here are not overwritten; the unscheduled one names a scheduler that does not exist.
Ages are reproduced by creating each object at the right simulated time: observation time
``T`` is 7310 s after boot, so ``crasher`` (created at 30 s) is 121m old, ``db`` 2m40s, etc.
"""
from __future__ import annotations

from labsim import Cluster
from labsim.clock import rfc3339

T = 7310.0
NODE = "kind-control-plane"


def _running_status(ip: str, restarts: int = 0, finished_at: float | None = None, ready: bool = True,
                    start: float = 0.0, image: str = "nginx", name: str = "app") -> dict:
    cs = {"name": name, "image": image, "imageID": "", "containerID": "containerd://1", "ready": ready,
          "restartCount": restarts, "started": True,
          "state": {"running": {"startedAt": rfc3339(start)}}, "lastState": {}}
    if finished_at is not None:
        cs["lastState"] = {"terminated": {"exitCode": 137, "reason": "Error", "startedAt": rfc3339(finished_at - 10),
                                          "finishedAt": rfc3339(finished_at)}}
    return {"phase": "Running", "hostIP": "172.18.0.2", "podIP": ip, "podIPs": [{"ip": ip}], "startTime": rfc3339(start),
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}], "containerStatuses": [cs]}


def _pod(name: str, image: str, labels: dict | None = None, namespace: str = "default", node: str | None = NODE,
         container: str = "app") -> dict:
    md = {"name": name, "namespace": namespace}
    if labels:
        md["labels"] = labels
    spec = {"containers": [{"name": container, "image": image}]}
    if node:
        # a node with no kubelet in this cluster: the hand-made statuses stay as written
        spec["nodeName"] = node
    else:
        # no scheduler serves this name, so the pod stays Pending as in the transcript
        spec["schedulerName"] = "transcript-scheduler"
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec}


def _create_with_status(c: Cluster, obj: dict, status: dict) -> None:
    created = c.api.create(obj)
    c.api.update_status({**created, "status": status})


def transcript_cluster() -> Cluster:
    """A cluster at time T holding the pods of get1.txt."""
    c = Cluster(seed=0)
    c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "pod-example"}})
    # crasher: created at 30 s -> 121m at T; 12 restarts, last one finished 3m20s before T
    crasher = _pod("crasher", "busybox")
    st = _running_status("10.244.0.9", 12, T - 200, ready=False, image="busybox")
    cs = st["containerStatuses"][0]
    cs["state"] = {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}}
    _create_with_status(c, crasher, st)
    c.advance(7150 - 30)
    _create_with_status(c, _pod("db", "mongo", {"run": "db"}, container="db"),
                        _running_status("10.244.0.5", 2, T - 140, start=7150, image="mongo", name="db"))
    c.advance(7268 - 7150)
    _create_with_status(c, _pod("nginx-demo", "nginx", {"type": "app"}, namespace="pod-example"),
                        _running_status("10.244.1.3", start=7268))
    c.advance(7272 - 7268)
    _create_with_status(c, _pod("nginx-demo-readiness-probe", "nginx:1.27", {"app": "nginx"}),
                        _running_status("10.244.0.6", ready=False, start=7272))
    c.advance(7295 - 7272)
    created = c.api.create(_pod("pending-pod", "nginx", node=None))
    c.api.update_status({**created, "status": {
        "phase": "Pending",
        "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                        "message": "0/1 nodes are available: 1 Insufficient cpu.",
                        "lastTransitionTime": rfc3339(7295)}]}})
    c.advance(T - 7295)
    return c
