"""The kubelet: one node agent per node.

It watches the pods bound to its node (``spec.nodeName``), admits each one into a
:class:`labsim.kubelet.pod_worker.PodWorker`, renews the node's Lease in ``kube-node-lease``
every 10 s (``nodeLeaseDurationSeconds=40``, renew interval = 1/4 of it) and reports node status
every 5 min when nothing changed (``nodeStatusReportFrequency``). It also answers what the API
server proxies to a kubelet: container logs and exec (``kubectl logs`` / ``kubectl exec``).

The image catalogue is injectable (tests register small models); by default it is
``labsim.kubelet.images.catalog``.
"""
from __future__ import annotations

from labsim import errors
from labsim.api.store import DELETED
from labsim.clock import rfc3339, rfc3339_micro
from labsim.kubelet import admission
from labsim.kubelet.backoff import Backoff
from labsim.kubelet.image_manager import ImageManager
from labsim.kubelet.images.base import ExecResult
from labsim.kubelet.pod_worker import PodWorker
from labsim.kubelet.runtime import LogLine

#: pkg/kubelet/nodelease: renew every leaseDuration/4 (40 s / 4)
LEASE_RENEW_SECONDS = 10.0
#: KubeletConfiguration.nodeStatusReportFrequency default
NODE_STATUS_REPORT_SECONDS = 300.0


class Kubelet:
    def __init__(self, cluster, node_name: str, *, catalog=None, network=None):
        self.cluster = cluster
        self.api = cluster.api
        self.store = cluster.store
        self.clock = cluster.clock
        self.rand = cluster.rand
        self.node_name = node_name
        self.rng = self.rand.stream(f"kubelet/{node_name}")
        self.started_at = self.clock.now
        registry = self.api.registry
        self.pods_rt = registry.for_kind("", "Pod")
        self.nodes_rt = registry.for_kind("", "Node")
        self.lease_rt = registry.for_kind("coordination.k8s.io", "Lease")
        self.services_rt = registry.for_kind("", "Service")
        node = self.api.get(self.nodes_rt, None, node_name)
        addrs = (node.get("status") or {}).get("addresses") or []
        self.node_ip = next((a["address"] for a in addrs if a.get("type") == "InternalIP"), "")
        self.allocatable = dict((node.get("status") or {}).get("allocatable") or {})
        if network is None:
            network = getattr(cluster, "network", None)
        if network is None:
            from labsim.network import PodNetwork

            network = PodNetwork()
        self.network = network
        self.network.add_node(node_name, (node.get("spec") or {}).get("podCIDR") or "10.42.0.0/24")
        self.recorder = cluster.recorder("kubelet", node_name)
        self.backoff = Backoff(self.clock)
        self.images = ImageManager(self.clock, self.rand.stream(f"kubelet/{node_name}/images"), catalog)
        self.workers: dict[str, PodWorker] = {}
        #: pods this kubelet rejected at admission (uid -> reason): the pod manager still knows
        #: them, so later versions of the object are not admitted again
        self.rejected: dict[str, str] = {}
        self._host_paths: dict[str, object] = {}
        self._service_env_cache: dict[tuple, dict[str, str]] = {}
        self._pod_infos: dict[str, object] = {}
        #: the NodeInfo of the last admission, updated at the next one (HandlePodAdditions
        #: checks each pod against the pods admitted before it: O(changes), not O(pods))
        self._admission_ni = None
        self._claims: dict[str, object] = {}
        self._stop_watch = self.store.watch(self._on_pod, self.pods_rt)
        # HandlePodAdditions sorts a batch by creation time: older pods are admitted first
        mine = [p for p in self.api.list(self.pods_rt) if (p.get("spec") or {}).get("nodeName") == node_name]
        mine.sort(key=lambda p: p["metadata"].get("creationTimestamp") or "")
        for pod in mine:
            self._admit(pod)
        # the first renewal after boot (the cluster's boot already stamped the Leases)
        from labsim import cluster as cluster_module

        boot = getattr(cluster_module, "BOOT_SECONDS", 0.0)
        self._timers = [self.clock.call_at(max(self.clock.now, boot) + LEASE_RENEW_SECONDS, self._renew_lease),
                        self.clock.call_later(NODE_STATUS_REPORT_SECONDS, self._report_node_status)]
        self.stopped = False

    def stop(self) -> None:
        """Stop the agent: no more pods are run, no heartbeats (tests that hand-write pod statuses
        of bound pods stop the kubelets so nothing overwrites them)."""
        self.stopped = True
        self._stop_watch()
        for t in self._timers:
            t.cancel()
        for w in list(self.workers.values()):
            w.finished = True
            w.stop_probes()
            w._cancel_timers()
        self.workers.clear()

    def use_catalog(self, catalog) -> None:
        """Run images from ``catalog`` (an object with ``resolve``) instead of the default one."""
        self.images._catalog = catalog

    # -- pods ---------------------------------------------------------------------------------------
    def _on_pod(self, ev) -> None:
        pod = ev.object
        uid = pod["metadata"].get("uid", "")
        w = self.workers.get(uid)
        if ev.type == DELETED:
            self.rejected.pop(uid, None)
            if w is not None:
                w.removed = True
                w.pod = pod
                w.request_sync()
            return
        if w is not None:
            if pod is not w.pod:
                w.update_pod(pod)
            return
        if (pod.get("spec") or {}).get("nodeName") == self.node_name:
            self._admit(pod)

    def _admit(self, pod: dict) -> None:
        md = pod["metadata"]
        phase = (pod.get("status") or {}).get("phase")
        if phase in ("Succeeded", "Failed") and not md.get("deletionTimestamp"):
            return
        if md.get("uid", "") in self.rejected:
            return
        if not md.get("deletionTimestamp"):
            # kubelet.go HandlePodAdditions: canAdmitPod against the pods admitted so far
            node = self.api.try_get(self.nodes_rt, None, self.node_name)
            if node is not None:
                ni = self._admission_ni = admission.admitted_node_info(node, self._active_pod_infos(),
                                                                       self._admission_ni)
                result = admission.admit(node, pod, (), ni)
                if not result.admit:
                    self._reject(pod, result)
                    return
        w = PodWorker(self, pod)
        self.workers[w.uid] = w
        w.request_sync()

    def active_pods(self) -> list[dict]:
        """``filterOutInactivePods`` over the pod manager's pods: the admitted pods not finished
        (a pod in a terminal phase counts only while it is being torn down). A pod gone from
        the API server (force-deleted, or its grace period over) has left the pod manager
        (``HandlePodRemoves``) and no longer counts, even while its containers are being
        killed."""
        out = []
        for w in self.workers.values():
            if w.finished or w.removed:
                continue
            if w.status_phase in ("Succeeded", "Failed") and not w.deleting:
                continue
            out.append(w.pod)
        return out

    def _active_pod_infos(self) -> list:
        """The active pods as the scheduler framework sees them (requests, ports), computed once
        per version of each pod object."""
        from labsim.scheduler.framework import PodInfo

        cache = self._pod_infos
        out = []
        for pod in self.active_pods():
            uid = pod["metadata"].get("uid", "")
            hit = cache.get(uid)
            if hit is None or hit.pod is not pod:
                hit = cache[uid] = PodInfo(pod)
            out.append(hit)
        if len(cache) > 2 * len(out) + 16:  # forget pods that left
            live = {pi.uid for pi in out}
            for uid in [u for u in cache if u not in live]:
                del cache[uid]
        return out

    def _reject(self, pod: dict, result: admission.AdmitResult) -> None:
        """``rejectPod``: a Warning event with the admit reason and message, and the pod Failed.
        Both are written just after this watch callback (the status manager writes
        asynchronously), so every watcher sees the pod's ADDED before its MODIFIED."""
        uid = pod["metadata"].get("uid", "")
        self.rejected[uid] = result.reason
        self.clock.call_soon(self._write_rejection, pod["metadata"].get("namespace", "default"),
                             pod["metadata"]["name"], uid, result)

    def _write_rejection(self, namespace: str, name: str, uid: str, result: admission.AdmitResult) -> None:
        if self.stopped or uid not in self.rejected:
            return
        for _ in range(5):
            cur = self.api.try_get(self.pods_rt, namespace, name)
            if cur is None or cur["metadata"].get("uid") != uid:
                return
            if _ == 0:
                # the event names the pod as the kubelet saw it (involvedObject at that version)
                self.recorder.event(cur, "Warning", result.reason, result.message, "")
            status = admission.rejected_status(cur, result, rfc3339(self.clock.now))
            if cur.get("status") == status:
                return
            try:
                self.api.update_status({**cur, "status": status})
                return
            except errors.StatusError as exc:
                if exc.code != 409:
                    return

    def forget(self, w: PodWorker) -> None:
        if self.workers.get(w.uid) is w:
            del self.workers[w.uid]

    def worker_for(self, pod: dict | str, namespace: str = "default") -> PodWorker | None:
        if isinstance(pod, str):
            for w in self.workers.values():
                if w.name == pod and w.namespace == namespace:
                    return w
            return None
        return self.workers.get(pod["metadata"].get("uid", ""))

    def sandbox_seconds(self, rng) -> float:
        """How long RunPodSandbox takes (pause container, CNI): about a second."""
        return round(0.8 + 0.8 * rng.random(), 3)

    # -- what containers see of the cluster ------------------------------------------------------
    def service_env(self, namespace: str, service_links: bool = True) -> dict[str, str]:
        """``getServiceEnvVarMap`` + ``envvars.FromServices``: the master service ``kubernetes``
        always, and with service links every Service of the pod's namespace with a cluster IP.
        The dict returned is shared: read it, do not change it."""
        chosen: dict[str, dict] = {}
        for svc in self.api.list(self.services_rt):
            md = svc["metadata"]
            ip = (svc.get("spec") or {}).get("clusterIP")
            if not ip or ip == "None":
                continue
            if md.get("namespace") == "default" and md["name"] == "kubernetes":
                chosen.setdefault(md["name"], svc)
            elif md.get("namespace") == namespace and service_links:
                chosen[md["name"]] = svc
        # every container of the namespace gets the same variables: build them once per set of
        # Service versions, so pods share the strings instead of each holding its own copies
        key = (namespace, service_links,
               tuple((n, chosen[n]["metadata"].get("resourceVersion")) for n in sorted(chosen)))
        cached = self._service_env_cache.get(key)
        if cached is not None:
            return cached
        if len(self._service_env_cache) >= 64:
            self._service_env_cache.clear()
        env: dict[str, str] = {}
        self._service_env_cache[key] = env
        for name in sorted(chosen):
            svc = chosen[name]
            spec = svc["spec"]
            ports = spec.get("ports") or []
            if not ports:
                continue
            prefix = name.replace("-", "_").upper()
            ip = spec["clusterIP"]
            env[prefix + "_SERVICE_HOST"] = ip
            env[prefix + "_SERVICE_PORT"] = str(ports[0].get("port"))
            for p in ports:
                if p.get("name"):
                    env[prefix + "_SERVICE_PORT_" + p["name"].replace("-", "_").upper()] = str(p.get("port"))
            for i, p in enumerate(ports):
                proto = (p.get("protocol") or "TCP")
                hp = f"[{ip}]:{p.get('port')}" if ":" in ip else f"{ip}:{p.get('port')}"
                if i == 0:
                    env[prefix + "_PORT"] = f"{proto.lower()}://{hp}"
                pp = f"{prefix}_PORT_{p.get('port')}_{proto.upper()}"
                env[pp] = f"{proto.lower()}://{hp}"
                env[pp + "_PROTO"] = proto.lower()
                env[pp + "_PORT"] = str(p.get("port"))
                env[pp + "_ADDR"] = ip
        return env

    def host_path_volume(self, path: str):
        from labsim.kubelet.images.fs import VolumeDir

        vol = self._host_paths.get(path)
        if vol is None:
            vol = self._host_paths[path] = VolumeDir()
        return vol

    def claim_volume(self, namespace: str, claim: str):
        from labsim.kubelet.images.fs import VolumeDir

        key = f"{namespace}/{claim}"
        vol = self._claims.get(key)
        if vol is None:
            vol = self._claims[key] = VolumeDir()
        return vol

    # -- node heartbeats --------------------------------------------------------------------------
    def _renew_lease(self) -> None:
        lease = self.api.try_get(self.lease_rt, "kube-node-lease", self.node_name)
        if lease is not None:
            new = {**lease, "spec": {**lease.get("spec", {}), "renewTime": rfc3339_micro(self.clock.now)}}
            try:
                self.api.update(new)
            except errors.StatusError:
                pass
        if not self.stopped:
            self._timers[0] = self.clock.call_later(LEASE_RENEW_SECONDS, self._renew_lease)

    def _report_node_status(self) -> None:
        node = self.api.try_get(self.nodes_rt, None, self.node_name)
        if node is not None:
            now = rfc3339(self.clock.now)
            status = dict(node.get("status") or {})
            status["conditions"] = [{**c, "lastHeartbeatTime": now} for c in status.get("conditions") or ()]
            try:
                self.api.update_status({**node, "status": status})
            except errors.StatusError:
                pass
        if not self.stopped:
            self._timers[1] = self.clock.call_later(NODE_STATUS_REPORT_SECONDS, self._report_node_status)

    # -- the kubelet API the API server proxies (kubectl logs / exec) --------------------------------
    def _worker_or_error(self, pod: dict) -> PodWorker:
        w = self.worker_for(pod)
        if w is None:
            md = pod["metadata"]
            raise errors.bad_request(f'pod "{md["name"]}" is not available on node {self.node_name}')
        return w

    def container_logs(self, pod: dict, container: str, previous: bool = False) -> list[LogLine]:
        """The log of the container's current instance (or of the previous one with ``previous``).
        Raises the kubelet's errors (``validateContainerLogStatus``) as BadRequest StatusErrors,
        as the API server returns them."""
        md = pod["metadata"]
        pod_name = md["name"]
        names = [c["name"] for c in (pod.get("spec") or {}).get("containers") or []] + \
                [c["name"] for c in (pod.get("spec") or {}).get("initContainers") or []]
        if container not in names:
            raise errors.bad_request(f"container {container} is not valid for pod {pod_name}")
        w = self.worker_for(pod)
        status = (w.pod if w is not None else pod).get("status") or {}
        cs = None
        for s in (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or []):
            if s.get("name") == container:
                cs = s
                break
        if cs is None:
            raise errors.bad_request(f'container "{container}" in pod "{pod_name}" is not available')
        state = cs.get("state") or {}
        last = (cs.get("lastState") or {}).get("terminated")
        if previous:
            if last is None or not last.get("containerID"):
                raise errors.bad_request(f'previous terminated container "{container}" in pod "{pod_name}" not found')
            cid = last["containerID"]
        elif state.get("running") is not None:
            cid = cs.get("containerID", "")
        elif state.get("terminated") is not None:
            cid = state["terminated"].get("containerID") or (last or {}).get("containerID")
            if not cid:
                raise errors.bad_request(f'container "{container}" in pod "{pod_name}" is terminated')
        elif last is not None:
            cid = last.get("containerID")
            if not cid:
                raise errors.bad_request(f'container "{container}" in pod "{pod_name}" is terminated')
        elif state.get("waiting") is not None:
            reason = state["waiting"].get("reason", "")
            if reason == "ErrImagePull":
                reason = "image can't be pulled"
            elif reason == "ImagePullBackOff":
                reason = "trying and failing to pull image"
            raise errors.bad_request(f'container "{container}" in pod "{pod_name}" is waiting to start: {reason}')
        else:
            raise errors.bad_request(f'container "{container}" in pod "{pod_name}" is waiting to start - no logs yet')
        if w is not None:
            for inst in w.instances.get(container) or ():
                if inst.uri == cid:
                    return list(inst.logs)
        return []

    def running_process(self, pod: dict, container: str):
        w = self.worker_for(pod)
        if w is None:
            return None
        inst = w.current(container)
        return inst.proc if inst is not None else None

    def exec(self, pod: dict, container: str, argv: list[str], stdin: str | None = None,
             tty: bool = False) -> ExecResult:
        """Run a command in a running container (CRI Exec). A container that is not running
        gives the kubelet's ``container not found`` error, which kubectl prints as
        ``error: unable to upgrade connection: container not found ("nginx")``."""
        proc = self.running_process(pod, container)
        if proc is None:
            raise errors.KubectlError(f'unable to upgrade connection: container not found ("{container}")')
        return proc.exec(list(argv), stdin, None)
