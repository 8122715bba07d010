"""Pure functions of the pod status: phase, conditions and their transition times.

Ports of ``pkg/kubelet/kubelet_pods.go`` (getPhase, the terminal-phase merge of
generateAPIPodStatus), ``pkg/kubelet/status/generate.go`` (the condition generators),
``pkg/kubelet/status/status_manager.go`` (updateLastTransitionTime, mergePodStatus) and
``pkg/kubelet/container/helpers.go`` (ShouldContainerBeRestarted, HasAnyRegularContainerStarted).
Statuses are API dicts (``status.containerStatuses[]`` entries); nothing here reads a clock.
"""
from __future__ import annotations

PENDING, RUNNING, SUCCEEDED, FAILED = "Pending", "Running", "Succeeded", "Failed"
TERMINAL_PHASES = (SUCCEEDED, FAILED)

#: pkg/kubelet/types: PodConditionsByKubelet (PodReadyToStartContainers: beta gate, on in v1.32)
KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")


def is_sidecar(container: dict) -> bool:
    """``IsRestartableInitContainer``: an init container with ``restartPolicy: Always``."""
    return container.get("restartPolicy") == "Always"


def _by_name(statuses: list[dict] | None) -> dict[str, dict]:
    return {s["name"]: s for s in statuses or ()}


def _state(s: dict) -> tuple[str, dict]:
    st = s.get("state") or {}
    for k in ("running", "terminated", "waiting"):
        if st.get(k) is not None:
            return k, st[k]
    return "", {}


def _last_terminated(s: dict) -> dict | None:
    return (s.get("lastState") or {}).get("terminated")


def has_any_regular_container_started(spec: dict, statuses: list[dict] | None) -> bool:
    names = {c["name"] for c in spec.get("containers") or ()}
    for s in statuses or ():
        if s["name"] in names and _state(s)[0] in ("running", "terminated"):
            return True
    return False


def get_phase(spec: dict, init_statuses: list[dict] | None, statuses: list[dict] | None,
              pod_is_terminal: bool = False) -> str:
    """``getPhase`` of a v1.32 kubelet (pods-and-kubelet.md §1.2)."""
    inits = _by_name(init_statuses)
    regular = _by_name(statuses)
    pending_sidecars = pending_init = failed_init = 0
    for c in spec.get("initContainers") or ():
        if is_sidecar(c):
            continue
        s = inits.get(c["name"])
        if s is None:
            pending_init += 1
            continue
        kind, st = _state(s)
        if kind == "running":
            pending_init += 1
        elif kind == "terminated":
            if st.get("exitCode", 0) != 0:
                failed_init += 1
        elif kind == "waiting":
            last = _last_terminated(s)
            if last is not None:
                if last.get("exitCode", 0) != 0:
                    failed_init += 1
            else:
                pending_init += 1
        else:
            pending_init += 1
    unknown = running = waiting = stopped = succeeded = 0
    for c in spec.get("initContainers") or ():
        if not is_sidecar(c):
            continue
        s = inits.get(c["name"])
        if s is None:
            unknown += 1
            continue
        kind, _ = _state(s)
        if kind == "running":
            if not s.get("started"):
                pending_sidecars += 1
            running += 1
        elif kind == "terminated":
            pass
        elif kind == "waiting":
            if _last_terminated(s) is None:
                pending_sidecars += 1
                waiting += 1
        else:
            pending_sidecars += 1
            unknown += 1
    for c in spec.get("containers") or ():
        s = regular.get(c["name"])
        if s is None:
            unknown += 1
            continue
        kind, st = _state(s)
        if kind == "running":
            running += 1
        elif kind == "terminated":
            stopped += 1
            if st.get("exitCode", 0) == 0:
                succeeded += 1
        elif kind == "waiting":
            if _last_terminated(s) is not None:
                stopped += 1
            else:
                waiting += 1
        else:
            unknown += 1
    policy = spec.get("restartPolicy") or "Always"
    if failed_init > 0 and policy == "Never":
        return FAILED
    all_statuses = list(init_statuses or ()) + list(statuses or ())
    if pending_init > 0 or (pending_sidecars > 0 and not has_any_regular_container_started(spec, all_statuses)) \
            or waiting > 0:
        return PENDING
    if running > 0 and unknown == 0:
        return RUNNING
    if running == 0 and stopped > 0 and unknown == 0:
        if pod_is_terminal:
            return SUCCEEDED if stopped == succeeded else FAILED
        if policy == "Always":
            return RUNNING
        if stopped == succeeded:
            return SUCCEEDED
        if policy == "Never":
            return FAILED
        return RUNNING
    return PENDING


def merge_terminal_phase(new_phase: str, *old_phases: str | None) -> str:
    """generateAPIPodStatus: once Succeeded or Failed (in the kubelet's cache or the API), a pod
    never leaves that phase."""
    if new_phase in TERMINAL_PHASES:
        return new_phase
    for old in old_phases:
        if old in TERMINAL_PHASES:
            return old
    return new_phase


def _go_slice(names: list[str]) -> str:
    return "[" + " ".join(names) + "]"


def _cond(type_: str, status: str, reason: str | None = None, message: str | None = None) -> dict:
    c: dict = {"type": type_, "status": status}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def containers_ready_condition(spec: dict, statuses: list[dict] | None, phase: str) -> dict:
    """``GenerateContainersReadyCondition``."""
    if statuses is None:
        return _cond("ContainersReady", "False", "UnknownContainerStatuses")
    by = _by_name(statuses)
    unknown: list[str] = []
    unready: list[str] = []
    for c in spec.get("initContainers") or ():
        if not is_sidecar(c):
            continue
        s = by.get(c["name"])
        if s is None:
            unknown.append(c["name"])
        elif not s.get("ready"):
            unready.append(c["name"])
    for c in spec.get("containers") or ():
        s = by.get(c["name"])
        if s is None:
            unknown.append(c["name"])
        elif not s.get("ready"):
            unready.append(c["name"])
    if phase == SUCCEEDED and not unknown:
        return _cond("ContainersReady", "False", "PodCompleted")
    if phase == FAILED:
        return _cond("ContainersReady", "False", "PodFailed")
    msgs = []
    if unknown:
        msgs.append("containers with unknown status: " + _go_slice(unknown))
    if unready:
        msgs.append("containers with unready status: " + _go_slice(unready))
    if msgs:
        return _cond("ContainersReady", "False", "ContainersNotReady", ", ".join(msgs))
    return _cond("ContainersReady", "True")


def pod_ready_condition(spec: dict, conditions: list[dict], statuses: list[dict] | None, phase: str) -> dict:
    """``GeneratePodReadyCondition``: ContainersReady plus the readiness gates."""
    cr = containers_ready_condition(spec, statuses, phase)
    if cr["status"] != "True":
        return _cond("Ready", cr["status"], cr.get("reason"), cr.get("message"))
    msgs = []
    by_type = {c.get("type"): c for c in conditions}
    for gate in spec.get("readinessGates") or ():
        t = gate.get("conditionType")
        c = by_type.get(t)
        if c is None:
            msgs.append(f'corresponding condition of pod readiness gate "{t}" does not exist.')
        elif c.get("status") != "True":
            msgs.append(f'the status of pod readiness gate "{t}" is not "True", but {c.get("status")}')
    if msgs:
        return _cond("Ready", "False", "ReadinessGatesNotReady", ", ".join(msgs))
    return _cond("Ready", "True")


def initialized_condition(spec: dict, statuses: list[dict] | None, phase: str) -> dict:
    """``GeneratePodInitializedCondition``."""
    inits = spec.get("initContainers") or []
    if statuses is None and inits:
        return _cond("Initialized", "False", "UnknownContainerStatuses")
    by = _by_name(statuses)
    unknown: list[str] = []
    incomplete: list[str] = []
    for c in inits:
        s = by.get(c["name"])
        if s is None:
            unknown.append(c["name"])
            continue
        if is_sidecar(c):
            if not s.get("started"):
                incomplete.append(c["name"])
            continue
        kind, st = _state(s)
        if kind != "terminated" or st.get("exitCode", 0) != 0:
            incomplete.append(c["name"])
    if phase == SUCCEEDED and not unknown:
        return _cond("Initialized", "True", "PodCompleted")
    if has_any_regular_container_started(spec, statuses):
        return _cond("Initialized", "True")
    msgs = []
    if unknown:
        msgs.append("containers with unknown status: " + _go_slice(unknown))
    if incomplete:
        msgs.append("containers with incomplete status: " + _go_slice(incomplete))
    if msgs:
        return _cond("Initialized", "False", "ContainersNotInitialized", ", ".join(msgs))
    return _cond("Initialized", "True")


def ready_to_start_containers_condition(sandbox_ready: bool) -> dict:
    """``GeneratePodReadyToStartContainersCondition``: True iff no new sandbox is needed."""
    return _cond("PodReadyToStartContainers", "True" if sandbox_ready else "False")


def kubelet_conditions(spec: dict, old_conditions: list[dict] | None, init_statuses: list[dict],
                       statuses: list[dict], phase: str, sandbox_ready: bool) -> list[dict]:
    """The conditions a kubelet writes, in mergePodStatus order: conditions owned by others
    first (kept as they are), then PodReadyToStartContainers, Initialized, Ready,
    ContainersReady, PodScheduled. No transition times yet (see :func:`set_transition_times`)."""
    others = [c for c in old_conditions or () if c.get("type") not in KUBELET_CONDITIONS]
    all_statuses = list(init_statuses) + list(statuses)
    conds = list(others)
    conds.append(ready_to_start_containers_condition(sandbox_ready))
    conds.append(initialized_condition(spec, all_statuses, phase))
    conds.append(pod_ready_condition(spec, conds, all_statuses, phase))
    conds.append(containers_ready_condition(spec, all_statuses, phase))
    conds.append(_cond("PodScheduled", "True"))
    return conds


def set_transition_times(conditions: list[dict], old_conditions: list[dict] | None, now_rfc3339: str) -> list[dict]:
    """``updateLastTransitionTime``: a kubelet-owned condition keeps its old
    ``lastTransitionTime`` while its status is unchanged; a flip (or a new condition) gets now.
    Every condition carries ``lastProbeTime: null``. Returns new dicts in Go field order."""
    old = {c.get("type"): c for c in old_conditions or ()}
    out = []
    for c in conditions:
        if c.get("type") not in KUBELET_CONDITIONS:
            out.append(c)
            continue
        prev = old.get(c["type"])
        if prev is not None and prev.get("status") == c["status"] and prev.get("lastTransitionTime"):
            ltt = prev["lastTransitionTime"]
        else:
            ltt = now_rfc3339
        d = {"type": c["type"], "status": c["status"], "lastProbeTime": None, "lastTransitionTime": ltt}
        if c.get("reason"):
            d["reason"] = c["reason"]
        if c.get("message"):
            d["message"] = c["message"]
        out.append(d)
    return out


def should_container_be_restarted(restart_policy: str, deleting: bool, latest: str | None,
                                  exit_code: int | None) -> bool:
    """``ShouldContainerBeRestarted``: ``latest`` is the newest instance's state (None: never
    created, ``running``, ``exited``)."""
    if deleting:
        return False
    if latest is None:
        return True
    if latest == "running":
        return False
    if restart_policy == "Never":
        return False
    if restart_policy == "OnFailure" and exit_code == 0:
        return False
    return True
