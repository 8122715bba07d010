"""The pod worker: one pod's life on a node, as a v1.32 kubelet runs it.

Shaped like ``pkg/kubelet/pod_workers.go`` + ``kubelet.go`` (SyncPod, SyncTerminatingPod,
SyncTerminatedPod) + ``kuberuntime/kuberuntime_manager.go`` (computePodActions, SyncPod,
doBackOff) + ``kuberuntime_container.go`` (startContainer, killContainer): a worker runs one
sync at a time; a sync asked for while another runs is run once more afterwards. A sync:

1. first sync: writes the initial status (conditions, ``ContainerCreating``), creates the sandbox
   (about 1 s, seeded), which gets the pod IP;
2. computes actions from the containers' current instances: probe-failed containers to kill (and
   restart unless ``restartPolicy: Never``), init containers one at a time, containers to
   (re)start per ``ShouldContainerBeRestarted``; nothing running and nothing to start -> the pod is
   done (sandbox stopped);
3. kills (preStop, stop signal, SIGKILL at the deadline), then starts: doBackOff (CrashLoopBackOff),
   EnsureImageExists (pulls, ImagePullBackOff), env resolution (CreateContainerConfigError),
   Created, Started, postStart;
4. writes the status generated from what the runtime now has (only when it changed).

Simplifications (documented in pods-and-kubelet.md §4.3): a container that dies is noticed at
once (no 1 s PLEG relist), and a refused restart happens exactly when its back-off window closes;
a sync that failed (back-off, pull error, config error) is retried 10-15 s later
(``workerBackOffPeriod`` with jitter 0.5) as the real pod worker does, which is what makes the
``BackOff`` events repeat.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass

from labsim import errors
from labsim.clock import rfc3339
from labsim.kubelet import status as podstatus
from labsim.kubelet.backoff import go_duration
from labsim.kubelet.image_manager import ERR_IMAGE_PULL, ERR_IMAGE_PULL_BACKOFF
from labsim.kubelet.images.base import SIGKILL, SIGTERM
from labsim.kubelet.lifecycle import pod_ref, run_hook
from labsim.kubelet.prober import LIVENESS, PROBE_FIELDS, READINESS, STARTUP, SUCCESS, FAILURE, ProbeWorker
from labsim.kubelet.runtime import EXITED, RUNNING, ContainerInstance, RuntimeContext, memory_limit_bytes, spec_view
from labsim.kubelet.tasks import Event, Task, all_of, wait_with_timeout

#: kuberuntime_container.go: ``minimumGracePeriodInSeconds``
MINIMUM_GRACE_PERIOD = 2
#: pod_workers.go: ``workerBackOffPeriod`` and its jitter factor
WORKER_BACKOFF_PERIOD = 10.0
WORKER_BACKOFF_JITTER = 0.5


class _PodRandom:
    """The pod's own random stream (sandbox time, sync retry jitter), without keeping 2.5 KB of
    Mersenne Twister state per pod: each draw re-seeds the pod's named stream and skips the draws
    already taken. The values are exactly those of ``RandomStreams.stream(name)``, which seeded
    scenarios and transcripts were written with (a light SplitMix stream would move every
    sandbox time); a pod draws once when it starts and once per failed sync, so replaying costs
    microseconds."""

    __slots__ = ("_streams", "_name", "_taken")

    def __init__(self, streams, name: str):
        self._streams = streams
        self._name = name
        self._taken = 0

    def random(self) -> float:
        rng = self._streams.detached(self._name)
        for _ in range(self._taken):
            rng.random()
        self._taken += 1
        return rng.random()


@dataclass
class ContainerView:
    """One container as the last generated status shows it (what probe workers read)."""

    container_id: str | None
    state: str  # running | terminated | waiting
    started_at: float
    started: bool


class PodWorker:
    # a kubelet keeps one per pod for the pod's whole life: slots instead of a per-instance
    # __dict__ (about 1.2 KB less per pod with ~30 attributes)
    __slots__ = ("kl", "clock", "pod", "uid", "namespace", "name", "restart_policy", "init_specs",
                 "regular_specs", "instances", "reasons", "results", "probe_workers", "status_view",
                 "status_phase", "pod_ip", "sandbox_ready", "start_time", "initialized", "init_failed",
                 "deleting", "removed", "terminal", "finished", "volumes", "_task", "_pending", "_scheduled",
                 "_requeue_timer", "_wake_timers", "_rng", "_image_list")

    def __init__(self, kubelet, pod: dict):
        self.kl = kubelet
        self.clock = kubelet.clock
        self.pod = pod
        md = pod["metadata"]
        self.uid = md.get("uid", "")
        self.namespace = md.get("namespace", "default")
        self.name = md["name"]
        spec = pod.get("spec") or {}
        self.restart_policy = spec.get("restartPolicy") or "Always"
        self.init_specs: list[dict] = list(spec.get("initContainers") or [])
        self.regular_specs: list[dict] = list(spec.get("containers") or [])
        self.instances: dict[str, list[ContainerInstance]] = {}
        #: the reason cache: container name -> (waiting reason, message) of the last failed start
        self.reasons: dict[str, tuple[str, str]] = {}
        #: probe results by (probe type, container name) -> (container id, result)
        self.results: dict[tuple[str, str], tuple[str, str]] = {}
        self.probe_workers: dict[tuple[str, str], ProbeWorker] = {}
        self.status_view: dict[str, ContainerView] = {}
        self.status_phase: str | None = None
        self.pod_ip: str | None = None
        self.sandbox_ready = False
        self.start_time: float | None = None
        self.initialized = False
        self.init_failed = False
        self.deleting = bool(md.get("deletionTimestamp"))
        self.removed = False
        self.terminal = False
        self.finished = False
        self.volumes: dict[str, object] = {}
        self._task: Task | None = None
        self._pending = False
        self._scheduled = False
        self._requeue_timer = None
        self._wake_timers: dict[float, object] = {}
        self._rng = _PodRandom(kubelet.rand, f"kubelet/{kubelet.node_name}/pod/{self.uid}")
        self._image_list = self._images(pod)

    # -- bookkeeping ----------------------------------------------------------------------------
    @staticmethod
    def _images(pod: dict) -> list:
        spec = pod.get("spec") or {}
        return [c.get("image") for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])]

    def update_pod(self, pod: dict) -> None:
        """A newer version of the API object (the kubelet's pod informer)."""
        self.pod = pod
        changed = False
        if pod["metadata"].get("deletionTimestamp") and not self.deleting:
            self.deleting = True
            changed = True
        images = self._images(pod)
        if images != self._image_list:
            self._image_list = images
            spec = pod.get("spec") or {}
            self.init_specs = list(spec.get("initContainers") or [])
            self.regular_specs = list(spec.get("containers") or [])
            changed = True
        if changed:
            self.request_sync()

    def spec_of(self, name: str) -> dict | None:
        for c in self.regular_specs:
            if c["name"] == name:
                return c
        for c in self.init_specs:
            if c["name"] == name:
                return c
        return None

    def is_init(self, name: str) -> bool:
        return any(c["name"] == name for c in self.init_specs)

    def latest(self, name: str) -> ContainerInstance | None:
        lst = self.instances.get(name)
        return lst[-1] if lst else None

    def current(self, name: str) -> ContainerInstance | None:
        inst = self.latest(name)
        return inst if inst is not None and inst.state == RUNNING else None

    def running_processes(self) -> list:
        out = []
        for lst in self.instances.values():
            if lst and lst[-1].state == RUNNING and lst[-1].proc is not None:
                out.append(lst[-1].proc)
        return out

    def container_event(self, c: dict, type_: str, reason: str, message: str) -> None:
        field = "spec.initContainers" if self.is_init(c["name"]) else "spec.containers"
        self.kl.recorder.event(self.pod, type_, reason, message, f"{field}{{{c['name']}}}")

    # -- probe results (prober_manager / results_manager) ---------------------------------------
    def start_probes(self) -> None:
        for c in self.init_specs + self.regular_specs:
            if self.is_init(c["name"]) and not podstatus.is_sidecar(c):
                continue  # regular init containers are never probed
            for ptype, field in PROBE_FIELDS:
                probe = c.get(field)
                if probe:
                    self.probe_workers[(ptype, c["name"])] = ProbeWorker(self, c, ptype, probe)

    def stop_probes(self) -> None:
        for w in self.probe_workers.values():
            w.stop()

    def probe_worker_stopped(self, w: ProbeWorker) -> None:
        pass  # the worker stays registered: "has a probe" still decides started/ready

    def set_probe_result(self, ptype: str, name: str, cid: str, result: str) -> None:
        key = (ptype, name)
        prev = self.results.get(key)
        if prev is not None and prev == (cid, result):
            return
        self.results[key] = (cid, result)
        if ptype == READINESS or (ptype == STARTUP and result == SUCCESS):
            self.request_sync()  # status update (SetContainerReadiness / SetContainerStartup)
        elif ptype in (LIVENESS, STARTUP) and result == FAILURE:
            self.request_sync()  # handleProbeSync: the pod worker kills the container

    def remove_probe_result(self, ptype: str, name: str) -> None:
        self.results.pop((ptype, name), None)

    def _result(self, ptype: str, name: str, cid: str) -> str | None:
        r = self.results.get((ptype, name))
        return r[1] if r is not None and r[0] == cid else None

    # -- scheduling of syncs ----------------------------------------------------------------------
    def request_sync(self) -> None:
        if self.finished or self._scheduled:
            return
        self._scheduled = True
        self.clock.call_soon(self._begin_sync)

    def _begin_sync(self) -> None:
        self._scheduled = False
        if self.finished:
            return
        if self._task is not None and not self._task.done:
            self._pending = True
            return
        task = Task(self.clock, self._sync(), start=False)
        self._task = task
        task.finished.add_callback(self._after_sync)
        task._run(None)

    def _after_sync(self, _v=None) -> None:
        if self._pending and not self.finished:
            self._pending = False
            self.request_sync()

    def _wake_at(self, when: float) -> None:
        if when in self._wake_timers or self.finished:
            return
        self._wake_timers[when] = self.clock.call_at(when, self._woken, when)

    def _woken(self, when: float) -> None:
        self._wake_timers.pop(when, None)
        self.request_sync()

    def _requeue(self) -> None:
        if self._requeue_timer is not None:
            self._requeue_timer.cancel()
        delay = WORKER_BACKOFF_PERIOD * (1 + WORKER_BACKOFF_JITTER * self._rng.random())
        self._requeue_timer = self.clock.call_later(delay, self._requeued)

    def _requeued(self) -> None:
        self._requeue_timer = None
        self.request_sync()

    def _cancel_timers(self) -> None:
        for t in self._wake_timers.values():
            t.cancel()
        self._wake_timers.clear()
        if self._requeue_timer is not None:
            self._requeue_timer.cancel()
            self._requeue_timer = None

    def on_container_exit(self, inst: ContainerInstance) -> None:
        """The runtime reports a dead container (PLEG ContainerDied)."""
        if inst.stopping:
            return  # the sync that is stopping it carries on from there
        self.request_sync()

    # -- the sync --------------------------------------------------------------------------------
    def _sync(self):
        if self.removed or self.deleting:
            yield from self._terminate()
            return
        if self.terminal:
            self.write_status()
            return
        created_sandbox = False
        if self.sandbox_ready:
            # SyncPod begins by writing the status of what the runtime reports now (a container
            # that just died shows Error/Completed before this sync restarts it)
            self.write_status()
        if not self.sandbox_ready:
            if self.start_time is None:
                self.start_time = self.clock.now
                self.start_probes()
            self.write_status()
            yield self.kl.sandbox_seconds(self._rng)
            if self.removed or self.deleting:
                yield from self._terminate()
                return
            self.pod_ip = self.kl.network.allocate(self.kl.node_name, self.running_processes)
            self.sandbox_ready = True
            created_sandbox = True
            self._setup_volumes()
        # the instance each container would be restarted from (doBackOff's newest exited one),
        # taken before this sync kills anything
        snapshot = {name: self._newest_exited(name) for name in self.instances}
        kills: list[tuple[ContainerInstance, str, str | None]] = []
        starts: list[dict] = []
        kill_pod = self._compute_actions(kills, starts)
        failed = False
        if kills:
            tasks = [Task(self.clock, self._kill(inst, msg, reason)) for inst, msg, reason in kills]
            yield all_of(tasks)
            # the next PLEG relist (1 s) reports the killed containers and syncs the pod again
            self._wake_at(self.clock.now + 1.0)
        if kill_pod:
            running = [lst[-1] for lst in self.instances.values() if lst and lst[-1].state == RUNNING]
            if running:
                tasks = [Task(self.clock, self._kill(inst, "", None)) for inst in running]
                yield all_of(tasks)
            self._stop_sandbox()
            self.terminal = True
            self.write_status()
            self.stop_probes()
            self._cancel_timers()
            return
        for c in starts:
            if self.removed or self.deleting:
                break
            ok = yield from self._start_container(c, snapshot.get(c["name"]))
            if not ok:
                failed = True
        if self.removed or self.deleting:
            yield from self._terminate()
            return
        self.write_status()
        if created_sandbox:
            # the PLEG relist that reports the new sandbox asks for one more sync a second later
            self._wake_at(self.clock.now + 1.0)
        if failed:
            self._requeue()

    def _newest_exited(self, name: str) -> ContainerInstance | None:
        for inst in reversed(self.instances.get(name) or ()):
            if inst.state == EXITED:
                return inst
        return None

    def _probe_failure(self, inst: ContainerInstance) -> str | None:
        name = inst.name
        if self._result(LIVENESS, name, inst.uri) == FAILURE:
            return LIVENESS
        if self._result(STARTUP, name, inst.uri) == FAILURE:
            return STARTUP
        return None

    def _started(self, inst: ContainerInstance) -> bool:
        if inst.state != RUNNING:
            return False
        if (STARTUP, inst.name) in self.probe_workers:
            return self._result(STARTUP, inst.name, inst.uri) == SUCCESS
        return True

    def _running_action(self, c: dict, inst: ContainerInstance, kills: list, starts: list) -> bool:
        """A running container: kill it for a failed probe or a changed spec. True if it is kept."""
        failure = self._probe_failure(inst)
        restart = self.restart_policy != "Never" or podstatus.is_sidecar(c)
        if failure is not None:
            msg = f"Container {c['name']} failed {failure} probe"
            if restart:
                msg += ", will be restarted"
                starts.append(c)
            kills.append((inst, msg, failure))
            return False
        if inst.spec.get("image") != c.get("image"):
            kills.append((inst, f"Container {c['name']} definition changed, will be restarted", None))
            starts.append(c)
            return False
        return True

    def _compute_actions(self, kills: list, starts: list) -> bool:
        """computePodActions; returns True when the whole pod is to be stopped (KillPod)."""
        policy = self.restart_policy
        if not self.initialized:
            for c in self.init_specs:
                inst = self.latest(c["name"])
                if podstatus.is_sidecar(c):
                    if inst is None or inst.state == EXITED:
                        starts.append(c)
                        return False
                    if not self._running_action(c, inst, kills, starts):
                        return False
                    if not self._started(inst):
                        return False
                    continue
                if inst is None:
                    starts.append(c)
                    return False
                if inst.state == RUNNING:
                    return False
                if inst.exit_code == 0:
                    continue
                if policy == "Never":
                    self.init_failed = True
                    return True
                starts.append(c)
                return False
            self.initialized = True
        keep = 0
        for c in self.init_specs:
            if not podstatus.is_sidecar(c):
                continue
            inst = self.latest(c["name"])
            if inst is None or inst.state == EXITED:
                if not self.deleting:
                    starts.append(c)
            elif self._running_action(c, inst, kills, starts):
                pass  # sidecars do not keep a pod alive on their own
        for c in self.regular_specs:
            inst = self.latest(c["name"])
            if inst is None:
                starts.append(c)
                continue
            if inst.state == RUNNING:
                if self._running_action(c, inst, kills, starts):
                    keep += 1
                continue
            if podstatus.should_container_be_restarted(policy, self.deleting, "exited", inst.exit_code):
                starts.append(c)
        regular_starts = [c for c in starts if not self.is_init(c["name"])]
        return keep == 0 and not regular_starts

    # -- starting a container (startContainer) ------------------------------------------------------
    def _backoff_key(self, c: dict) -> str:
        # getStableKey: pod name, namespace, uid, container name and the container's hash
        return f"{self.name}_{self.namespace}_{self.uid}_{c['name']}_{c.get('image', '')}"

    def _start_container(self, c: dict, prev: ContainerInstance | None):
        name = c["name"]
        if prev is not None:
            key = self._backoff_key(c)
            bo = self.kl.backoff
            if bo.is_in_backoff_since(key, prev.finished_at):
                self.container_event(c, "Warning", "BackOff",
                                     f"Back-off restarting failed container {name} in pod {pod_ref(self.pod)}")
                self.reasons[name] = ("CrashLoopBackOff", f"back-off {go_duration(bo.get(key))} restarting failed "
                                                          f"container={name} pod={pod_ref(self.pod)}")
                self._wake_at(prev.finished_at + bo.get(key))
                return False
            bo.next(key, prev.finished_at)
        images = self.kl.images
        info, reason, message = yield from images.ensure_image_exists(
            self.pod, c, lambda t, r, m: self.container_event(c, t, r, m))
        if info is None:
            self.container_event(c, "Warning", "Failed", f"Error: {reason}")
            self.reasons[name] = (reason, message)
            if reason in (ERR_IMAGE_PULL, ERR_IMAGE_PULL_BACKOFF):
                end = images.pull_window_end(self.pod, c.get("image", ""))
                if end is not None and end > self.clock.now:
                    self._wake_at(end)
            return False
        if self.removed or self.deleting:
            return False
        env, err = self._resolve_env(c)
        if err is not None:
            self.container_event(c, "Warning", "Failed", f"Error: {err}")
            self.reasons[name] = ("CreateContainerConfigError", err)
            return False
        latest = self.latest(name)
        restart_count = latest.restart_count + 1 if latest is not None else 0
        inst = ContainerInstance(
            name=name, container_id=self.kl.rand.hex(f"kubelet/{self.kl.node_name}/container-ids", 64), spec=c,
            restart_count=restart_count, init=self.is_init(name),
            image=getattr(info, "ref", c.get("image", "")), image_id=getattr(info, "image_id", ""),
            created_at=self.clock.now, memory_limit=memory_limit_bytes(c))
        lst = self.instances.setdefault(name, [])
        lst.append(inst)
        if len(lst) > 2:
            del lst[0]  # the container GC keeps one dead instance per container (MaxPerPodContainer)
        self.container_event(c, "Normal", "Created", f"Created container: {name}")
        ctx = RuntimeContext(
            clock=self.clock,
            # one light stream per container instance, freed with it (a crash loop makes many)
            rng=self.kl.rand.derive(f"kubelet/{self.kl.node_name}/{self.uid}/{name}/{restart_count}"),
            spec=spec_view(c, env), fs=self._filesystem(c, info), pod=self.pod, pod_ip=self.pod_ip or "",
            hostname=(self.pod.get("spec") or {}).get("hostname") or self.name, network=self.kl.network,
            instance=inst, on_exit=self.on_container_exit)
        inst.ctx = ctx
        inst.stop_signal = getattr(info, "stop_signal", None) or SIGTERM
        inst.proc = info.factory(ctx)
        inst.state = RUNNING
        inst.started_at = self.clock.now
        inst.proc.start()
        if inst.state == EXITED and inst.reason == "StartError":
            self.container_event(c, "Warning", "Failed", f"Error: {inst.message or ''}")
            self.reasons[name] = ("RunContainerError", inst.message or "")
            return False
        self.container_event(c, "Normal", "Started", f"Started container {name}")
        post = (c.get("lifecycle") or {}).get("postStart")
        if post and inst.state == RUNNING:
            ok, msg = yield from run_hook(self, inst, c, post)
            if not ok:
                self.container_event(c, "Warning", "FailedPostStartHook", "PostStartHook failed")
                yield from self._kill(inst, "FailedPostStartHook", None)
                self.reasons[name] = ("PostStartHookError", msg)
                return False
        self.reasons.pop(name, None)
        return True

    # -- stopping a container (killContainer) -------------------------------------------------------
    def _grace(self, c: dict, reason: str | None) -> int:
        md = self.pod["metadata"]
        spec = self.pod.get("spec") or {}
        if md.get("deletionGracePeriodSeconds") is not None:
            return int(md["deletionGracePeriodSeconds"])
        if spec.get("terminationGracePeriodSeconds") is not None:
            if reason in (LIVENESS, STARTUP):
                probe = c.get(f"{reason}Probe") or {}
                if probe.get("terminationGracePeriodSeconds") is not None:
                    return int(probe["terminationGracePeriodSeconds"])
            return int(spec["terminationGracePeriodSeconds"])
        return MINIMUM_GRACE_PERIOD

    def _kill(self, inst: ContainerInstance, message: str, reason: str | None, grace_override: int | None = None):
        c = inst.spec
        grace = self._grace(c, reason)
        self.container_event(c, "Normal", "Killing", message or f"Stopping container {c['name']}")
        if grace_override is not None:
            grace = grace_override
        inst.stopping = True
        pre = (c.get("lifecycle") or {}).get("preStop")
        if pre and grace > 0 and inst.state == RUNNING:
            start = self.clock.now
            hook = Task(self.clock, run_hook(self, inst, c, pre, None))
            done = yield wait_with_timeout(self.clock, hook.finished, grace)
            if done and hook.result is not None and not hook.result[0]:
                self.container_event(c, "Warning", "FailedPreStopHook", "PreStopHook failed")
            grace -= int(self.clock.now - start)
        if grace < MINIMUM_GRACE_PERIOD:
            grace = MINIMUM_GRACE_PERIOD
        if inst.state == RUNNING:
            inst.proc.signal(getattr(inst, "stop_signal", SIGTERM))
        if inst.state == RUNNING:
            exited = Event()
            inst.exit_waiters.append(lambda: exited.set(True))
            ok = yield wait_with_timeout(self.clock, exited, grace)
            if not ok and inst.state == RUNNING:
                inst.proc.signal(SIGKILL)
                if inst.state == RUNNING:  # SIGKILL cannot be ignored
                    inst.ctx.exited(137, "Error")
        return True

    def _stop_sandbox(self) -> None:
        if self.sandbox_ready:
            self.sandbox_ready = False
            if self.pod_ip:
                self.kl.network.release(self.kl.node_name, self.pod_ip)

    def _terminate(self):
        """SyncTerminatingPod + SyncTerminatedPod, then the status manager deletes the object."""
        self._cancel_timers()
        if not self.removed:
            self.write_status()
        md = self.pod["metadata"]
        grace = md.get("deletionGracePeriodSeconds")
        running = [lst[-1] for lst in self.instances.values() if lst and lst[-1].state == RUNNING]
        if running:
            tasks = [Task(self.clock, self._kill(inst, "", None, None if grace is None else int(grace)))
                     for inst in running]
            yield all_of(tasks)
            if not self.removed:
                self.write_status()
        self._stop_sandbox()
        self.stop_probes()
        if not self.removed:
            self.write_status(pod_is_terminal=True)
            cur = self.kl.api.try_get(self.kl.pods_rt, self.namespace, self.name)
            if cur is not None and cur["metadata"].get("uid") == self.uid:
                try:
                    self.kl.api.delete(self.kl.pods_rt, self.namespace, self.name, grace_period=0,
                                       preconditions={"uid": self.uid})
                except errors.StatusError:
                    pass
        self.finished = True
        self.kl.forget(self)

    # -- environment, volumes, files -------------------------------------------------------------
    def _lookup(self, kind: str, name: str) -> dict | None:
        rt = self.kl.api.registry.for_kind("", kind)
        return self.kl.api.try_get(rt, self.namespace, name)

    def _field_ref(self, path: str) -> str:
        pod = self.pod
        md = pod["metadata"]
        if path.startswith("metadata.labels["):
            return (md.get("labels") or {}).get(path[len("metadata.labels["):-1].strip("'\""), "")
        if path.startswith("metadata.annotations["):
            return (md.get("annotations") or {}).get(path[len("metadata.annotations["):-1].strip("'\""), "")
        values = {
            "metadata.name": md.get("name", ""), "metadata.namespace": md.get("namespace", ""),
            "metadata.uid": md.get("uid", ""), "spec.nodeName": (pod.get("spec") or {}).get("nodeName", ""),
            "spec.serviceAccountName": (pod.get("spec") or {}).get("serviceAccountName", ""),
            "status.hostIP": self.kl.node_ip, "status.hostIPs": self.kl.node_ip,
            "status.podIP": self.pod_ip or "", "status.podIPs": self.pod_ip or "",
        }
        return values.get(path, "")

    def _resolve_env(self, c: dict) -> tuple[dict[str, str], str | None]:
        """makeEnvironmentVariables: service links, envFrom, env (later entries win)."""
        env: dict[str, str] = {}
        links = (self.pod.get("spec") or {}).get("enableServiceLinks", True) is not False
        env.update(self.kl.service_env(self.namespace, links))
        for src in c.get("envFrom") or ():
            prefix = src.get("prefix") or ""
            if src.get("configMapRef") is not None:
                ref = src["configMapRef"]
                cm = self._lookup("ConfigMap", ref.get("name", ""))
                if cm is None:
                    if ref.get("optional"):
                        continue
                    return env, f'configmap "{ref.get("name", "")}" not found'
                for k, v in sorted((cm.get("data") or {}).items()):
                    env[prefix + k] = v
            elif src.get("secretRef") is not None:
                ref = src["secretRef"]
                sec = self._lookup("Secret", ref.get("name", ""))
                if sec is None:
                    if ref.get("optional"):
                        continue
                    return env, f'secret "{ref.get("name", "")}" not found'
                for k, v in sorted((sec.get("data") or {}).items()):
                    env[prefix + k] = _b64(v)
        for e in c.get("env") or ():
            name = e.get("name", "")
            vf = e.get("valueFrom")
            if vf is None:
                env[name] = _expand(e.get("value") or "", env)
                continue
            if vf.get("configMapKeyRef") is not None:
                ref = vf["configMapKeyRef"]
                cm = self._lookup("ConfigMap", ref.get("name", ""))
                if cm is None:
                    if ref.get("optional"):
                        continue
                    return env, f'configmap "{ref.get("name", "")}" not found'
                data = cm.get("data") or {}
                if ref.get("key") not in data:
                    if ref.get("optional"):
                        continue
                    return env, f"couldn't find key {ref.get('key')} in ConfigMap {self.namespace}/{ref.get('name')}"
                env[name] = data[ref["key"]]
            elif vf.get("secretKeyRef") is not None:
                ref = vf["secretKeyRef"]
                sec = self._lookup("Secret", ref.get("name", ""))
                if sec is None:
                    if ref.get("optional"):
                        continue
                    return env, f'secret "{ref.get("name", "")}" not found'
                data = sec.get("data") or {}
                if ref.get("key") not in data:
                    if ref.get("optional"):
                        continue
                    return env, f"couldn't find key {ref.get('key')} in Secret {self.namespace}/{ref.get('name')}"
                env[name] = _b64(data[ref["key"]])
            elif vf.get("fieldRef") is not None:
                env[name] = self._field_ref(vf["fieldRef"].get("fieldPath", ""))
            elif vf.get("resourceFieldRef") is not None:
                env[name] = self._resource_field(c, vf["resourceFieldRef"])
        return env, None

    def _resource_field(self, c: dict, ref: dict) -> str:
        from labsim.api.quantity import parse_quantity

        res = ref.get("resource", "")
        kind, _, what = res.partition(".")
        value = ((c.get("resources") or {}).get(kind) or {}).get(what)
        if value is None:
            value = self.kl.allocatable.get(what, "0")
        q = parse_quantity(str(value))
        divisor = parse_quantity(str(ref.get("divisor") or "1"))
        import math

        return str(math.ceil(q.value / divisor.value)) if divisor.value else "0"

    def _setup_volumes(self) -> None:
        from labsim.kubelet.images.fs import VolumeDir

        for v in (self.pod.get("spec") or {}).get("volumes") or ():
            name = v.get("name", "")
            files: dict[str, str] = {}
            if v.get("configMap") is not None:
                cm = self._lookup("ConfigMap", v["configMap"].get("name", "")) or {}
                files = _items(cm.get("data") or {}, v["configMap"].get("items"))
            elif v.get("secret") is not None:
                sec = self._lookup("Secret", v["secret"].get("secretName", "")) or {}
                files = _items({k: _b64(x) for k, x in (sec.get("data") or {}).items()}, v["secret"].get("items"))
            elif v.get("projected") is not None:
                files = self._projected(v["projected"])
            elif v.get("persistentVolumeClaim") is not None:
                self.volumes[name] = self.kl.claim_volume(self.namespace, v["persistentVolumeClaim"].get("claimName", ""))
                continue
            elif v.get("hostPath") is not None:
                self.volumes[name] = self.kl.host_path_volume(v["hostPath"].get("path", "/"))
                continue
            read_only = any(k in v for k in ("configMap", "secret", "projected"))
            self.volumes[name] = VolumeDir(files, read_only=read_only)

    def _projected(self, projected: dict) -> dict[str, str]:
        files: dict[str, str] = {}
        for src in projected.get("sources") or ():
            if src.get("serviceAccountToken") is not None:
                files[src["serviceAccountToken"].get("path") or "token"] = "eyJhbGciOiJSUzI1NiJ9." + self.uid
            if src.get("configMap") is not None:
                cm = self._lookup("ConfigMap", src["configMap"].get("name", "")) or {}
                files.update(_items(cm.get("data") or {}, src["configMap"].get("items")))
            if src.get("secret") is not None:
                sec = self._lookup("Secret", src["secret"].get("name", "")) or {}
                files.update(_items({k: _b64(x) for k, x in (sec.get("data") or {}).items()},
                                    src["secret"].get("items")))
            if src.get("downwardAPI") is not None:
                for item in src["downwardAPI"].get("items") or ():
                    if item.get("fieldRef") is not None:
                        files[item.get("path", "")] = self._field_ref(item["fieldRef"].get("fieldPath", ""))
        return files

    def _filesystem(self, c: dict, info):
        from labsim.kubelet.images.fs import LayeredFS

        mounts = {}
        for m in c.get("volumeMounts") or ():
            vol = self.volumes.get(m.get("name", ""))
            if vol is not None:
                mounts[m.get("mountPath", "/")] = vol
        layer = getattr(info, "layer", None)
        if layer is None:
            layer = getattr(info, "files", None)
            if callable(layer):
                layer = layer()
        return LayeredFS(layer or {}, mounts)

    # -- status (generateAPIPodStatus) ----------------------------------------------------------
    def _container_status(self, c: dict, has_inits: bool, is_init: bool) -> dict:
        name = c["name"]
        lst = self.instances.get(name) or []
        latest = lst[-1] if lst else None
        st: dict = {"name": name}
        if latest is None:
            reason = self.reasons.get(name)
            if reason is not None:
                waiting = {"reason": reason[0]}
                if reason[1]:
                    waiting["message"] = reason[1]
            else:
                waiting = {"reason": "PodInitializing" if has_inits else "ContainerCreating"}
            st["state"] = {"waiting": waiting}
            st["lastState"] = {}
            st["ready"] = False
            st["restartCount"] = 0
            st["image"] = c.get("image", "")
            st["imageID"] = ""
            st["started"] = False
            return st
        state = _instance_state(latest)
        last: dict = {}
        if len(lst) > 1 and lst[-2].state == EXITED:
            last = {"terminated": _terminated(lst[-2])}
        # the reason cache: a container the next sync will restart shows why it is waiting
        reason = self.reasons.get(name)
        if latest.state == EXITED and reason is not None and not (is_init and latest.exit_code == 0) \
                and podstatus.should_container_be_restarted(self.restart_policy, self.deleting, "exited",
                                                            latest.exit_code):
            last = state
            waiting = {"reason": reason[0]}
            if reason[1]:
                waiting["message"] = reason[1]
            state = {"waiting": waiting}
        st["state"] = state
        st["lastState"] = last
        st["ready"] = False
        st["restartCount"] = latest.restart_count
        st["image"] = latest.image
        st["imageID"] = latest.image_id
        st["containerID"] = latest.uri
        st["started"] = False
        mounts = []
        for m in c.get("volumeMounts") or ():
            ms = {"name": m.get("name", ""), "mountPath": m.get("mountPath", "")}
            if m.get("readOnly"):
                ms["readOnly"] = True
                ms["recursiveReadOnly"] = "Disabled"
            mounts.append(ms)
        if mounts:
            st["volumeMounts"] = mounts
        return st

    def _probe_status(self, st: dict, c: dict, sidecar_or_regular: bool) -> None:
        """prober_manager UpdatePodStatus: ``started`` and ``ready``."""
        name = c["name"]
        running = "running" in st["state"]
        cid = st.get("containerID", "")
        if not running:
            started = False
        elif (STARTUP, name) in self.probe_workers:
            started = self._result(STARTUP, name, cid) == SUCCESS
        else:
            started = True
        st["started"] = started
        if not sidecar_or_regular:
            term = st["state"].get("terminated")
            if term is not None and term.get("exitCode") == 0:
                st["ready"] = True
            return
        if not started:
            return
        if self._result(READINESS, name, cid) == SUCCESS:
            st["ready"] = True
        else:
            w = self.probe_workers.get((READINESS, name))
            st["ready"] = w is None
            if w is not None:
                # prober_manager.UpdatePodStatus: a started container without a readiness success
                # gets an immediate readiness run (e.g. right when its startup probe succeeds)
                w.trigger()

    def generate_status(self, pod_is_terminal: bool = False) -> dict:
        pod = self.pod
        spec = pod.get("spec") or {}
        old = pod.get("status") or {}
        has_inits = bool(self.init_specs)
        init_statuses = []
        for c in self.init_specs:
            st = self._container_status(c, has_inits, True)
            self._probe_status(st, c, podstatus.is_sidecar(c))
            init_statuses.append(st)
        statuses = []
        for c in self.regular_specs:
            st = self._container_status(c, has_inits, False)
            self._probe_status(st, c, True)
            statuses.append(st)
        phase = podstatus.get_phase(spec, init_statuses, statuses, pod_is_terminal)
        phase = podstatus.merge_terminal_phase(phase, self.status_phase, old.get("phase"))
        if phase in podstatus.TERMINAL_PHASES:
            for st in init_statuses + statuses:
                if "running" not in st["state"]:
                    st["ready"] = False
        conds = podstatus.kubelet_conditions(spec, old.get("conditions"), init_statuses, statuses, phase,
                                             self.sandbox_ready)
        conds = podstatus.set_transition_times(conds, old.get("conditions"), rfc3339(self.clock.now))
        out: dict = {"phase": phase, "conditions": conds}
        for k in ("message", "reason", "nominatedNodeName"):
            if old.get(k) and phase == old.get("phase"):
                out[k] = old[k]
        out["hostIP"] = self.kl.node_ip
        out["hostIPs"] = [{"ip": self.kl.node_ip}]
        ip = self.pod_ip or old.get("podIP")
        if ip:
            out["podIP"] = ip
            out["podIPs"] = [{"ip": ip}]
        start = old.get("startTime") or (rfc3339(self.start_time) if self.start_time is not None else None)
        if start:
            out["startTime"] = start
        if init_statuses:
            out["initContainerStatuses"] = init_statuses
        out["containerStatuses"] = statuses
        if old.get("qosClass"):
            out["qosClass"] = old["qosClass"]
        # what probe workers read (the status manager's cache)
        view = {}
        for st in init_statuses + statuses:
            state = st["state"]
            kind = "running" if "running" in state else "terminated" if "terminated" in state else "waiting"
            inst = self.latest(st["name"])
            started_at = inst.started_at if inst is not None and inst.started_at is not None else 0.0
            view[st["name"]] = ContainerView(st.get("containerID"), kind, started_at, bool(st.get("started")))
        self.status_view = view
        self.status_phase = phase
        return out

    def write_status(self, pod_is_terminal: bool = False) -> None:
        """Generate the status and write it when it differs from the API's (retrying conflicts)."""
        status = self.generate_status(pod_is_terminal)
        if self.removed:
            return
        api = self.kl.api
        for _ in range(5):
            cur = api.try_get(self.kl.pods_rt, self.namespace, self.name)
            if cur is None or cur["metadata"].get("uid") != self.uid:
                return
            if cur.get("status") == status:
                self.pod = cur
                return
            try:
                self.pod = api.update_status({**cur, "status": status})
                return
            except errors.StatusError as exc:
                if exc.code != 409:
                    return
                status = self.generate_status(pod_is_terminal)


def _instance_state(inst: ContainerInstance) -> dict:
    if inst.state == EXITED:
        return {"terminated": _terminated(inst)}
    return {"running": {"startedAt": rfc3339(inst.started_at or inst.created_at)}}


def _terminated(inst: ContainerInstance) -> dict:
    t: dict = {"exitCode": inst.exit_code if inst.exit_code is not None else 0, "reason": inst.reason or "Error"}
    if inst.message:
        t["message"] = inst.message
    t["startedAt"] = rfc3339(inst.started_at if inst.started_at is not None else inst.created_at)
    t["finishedAt"] = rfc3339(inst.finished_at if inst.finished_at is not None else inst.created_at)
    t["containerID"] = inst.uri
    return t


def _b64(v: str) -> str:
    try:
        return base64.b64decode(v).decode("utf-8", "replace")
    except Exception:
        return v


def _items(data: dict[str, str], items: list | None) -> dict[str, str]:
    if not items:
        return dict(data)
    return {it.get("path", it.get("key", "")): data[it["key"]] for it in items if it.get("key") in data}


def _expand(value: str, env: dict[str, str]) -> str:
    """``$(VAR)`` references to earlier variables (third_party/forked/golang/expansion); ``$$`` escapes."""
    if "$" not in value:
        return value
    out = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "$" and i + 1 < len(value):
            nxt = value[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
                continue
            if nxt == "(":
                end = value.find(")", i + 2)
                if end != -1:
                    name = value[i + 2:end]
                    out.append(env[name] if name in env else value[i:end + 1])
                    i = end + 1
                    continue
        out.append(ch)
        i += 1
    return "".join(out)
