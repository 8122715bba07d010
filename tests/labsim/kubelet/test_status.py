"""getPhase, the condition generators and transition times (pods-and-kubelet.md §1.2, §2), with
cases ported from pkg/kubelet/kubelet_pods_test.go (TestPodPhaseWithRestart*) and
pkg/kubelet/status/generate_test.go."""
import pytest

from labsim.kubelet import status as s


def running(name, started=True, ready=False):
    return {"name": name, "state": {"running": {"startedAt": "x"}}, "started": started, "ready": ready}


def terminated(name, code=0):
    return {"name": name, "state": {"terminated": {"exitCode": code, "reason": "Completed" if code == 0 else "Error"}}}


def waiting(name, reason="ContainerCreating", last_code=None):
    st = {"name": name, "state": {"waiting": {"reason": reason}}}
    if last_code is not None:
        st["lastState"] = {"terminated": {"exitCode": last_code}}
    return st


def spec(policy="Always", containers=("a", "b"), inits=(), sidecars=()):
    return {"restartPolicy": policy, "containers": [{"name": n} for n in containers],
            "initContainers": [{"name": n} for n in inits] + [{"name": n, "restartPolicy": "Always"} for n in sidecars]}


@pytest.mark.parametrize("policy,statuses,expected", [
    # TestPodPhaseWithRestartAlways
    ("Always", [running("a"), running("b")], "Running"),
    ("Always", [terminated("a"), terminated("b")], "Running"),
    ("Always", [terminated("a", 1), terminated("b", 2)], "Running"),
    ("Always", [running("a"), terminated("b")], "Running"),
    ("Always", [running("a")], "Pending"),
    ("Always", [running("a"), waiting("b")], "Pending"),
    ("Always", [running("a"), waiting("b", "CrashLoopBackOff", 1)], "Running"),
    # TestPodPhaseWithRestartNever
    ("Never", [running("a"), running("b")], "Running"),
    ("Never", [terminated("a"), terminated("b")], "Succeeded"),
    ("Never", [terminated("a", 1), terminated("b")], "Failed"),
    ("Never", [running("a"), terminated("b")], "Running"),
    ("Never", [running("a"), waiting("b")], "Pending"),
    # TestPodPhaseWithRestartOnFailure
    ("OnFailure", [terminated("a"), terminated("b")], "Succeeded"),
    ("OnFailure", [terminated("a", 1), terminated("b")], "Running"),
    ("OnFailure", [running("a"), waiting("b", "CrashLoopBackOff", 1)], "Running"),
    ("OnFailure", [waiting("a", "CrashLoopBackOff", 1), waiting("b", "CrashLoopBackOff", 1)], "Running"),
    ("OnFailure", [waiting("a", "ErrImagePull"), running("b")], "Pending"),
    ("OnFailure", [], "Pending"),
])
def test_get_phase_regular(policy, statuses, expected):
    assert s.get_phase(spec(policy), [], statuses) == expected


@pytest.mark.parametrize("policy,inits,statuses,expected", [
    ("Always", [running("i")], [waiting("a", "PodInitializing"), waiting("b", "PodInitializing")], "Pending"),
    ("Always", [terminated("i")], [running("a"), running("b")], "Running"),
    ("Always", [terminated("i", 1)], [waiting("a", "PodInitializing"), waiting("b", "PodInitializing")], "Pending"),
    ("Never", [terminated("i", 1)], [waiting("a", "PodInitializing"), waiting("b", "PodInitializing")], "Failed"),
    ("Never", [waiting("i", "CrashLoopBackOff", 1)], [], "Failed"),
    ("OnFailure", [waiting("i", "CrashLoopBackOff", 1)], [waiting("a", "PodInitializing"), waiting("b", "PodInitializing")], "Pending"),
])
def test_get_phase_init_containers(policy, inits, statuses, expected):
    assert s.get_phase(spec(policy, inits=("i",)), inits, statuses) == expected


def test_get_phase_sidecars():
    sp = spec("Always", containers=("a",), sidecars=("side",))
    # a sidecar not yet started keeps the pod pending while no regular container has started
    assert s.get_phase(sp, [running("side", started=False)], [waiting("a", "PodInitializing")]) == "Pending"
    assert s.get_phase(sp, [running("side")], [running("a")]) == "Running"
    # a terminated sidecar is ignored
    assert s.get_phase(spec("Never", containers=("a",), sidecars=("side",)), [terminated("side", 1)],
                       [terminated("a")]) == "Succeeded"


def test_get_phase_terminal_pod():
    sp = spec("Always")
    assert s.get_phase(sp, [], [terminated("a"), terminated("b")], pod_is_terminal=True) == "Succeeded"
    assert s.get_phase(sp, [], [terminated("a", 143), terminated("b")], pod_is_terminal=True) == "Failed"


def test_terminal_phase_sticks():
    assert s.merge_terminal_phase("Running", "Succeeded") == "Succeeded"
    assert s.merge_terminal_phase("Pending", None, "Failed") == "Failed"
    assert s.merge_terminal_phase("Failed", "Succeeded") == "Failed"
    assert s.merge_terminal_phase("Running", "Pending") == "Running"


def test_conditions_order_and_messages():
    sp = spec("Always", containers=("nginx", "side2"), inits=("init-a", "init-b"))
    conds = s.kubelet_conditions(sp, [{"type": "PodScheduled", "status": "True"}, {"type": "example.com/gate", "status": "True"}],
                                 [running("init-a"), waiting("init-b", "PodInitializing")],
                                 [waiting("nginx", "PodInitializing"), waiting("side2", "PodInitializing")],
                                 "Pending", sandbox_ready=True)
    assert conds == [
        {"type": "example.com/gate", "status": "True"},
        {"type": "PodReadyToStartContainers", "status": "True"},
        {"type": "Initialized", "status": "False", "reason": "ContainersNotInitialized",
         "message": "containers with incomplete status: [init-a init-b]"},
        {"type": "Ready", "status": "False", "reason": "ContainersNotReady",
         "message": "containers with unready status: [nginx side2]"},
        {"type": "ContainersReady", "status": "False", "reason": "ContainersNotReady",
         "message": "containers with unready status: [nginx side2]"},
        {"type": "PodScheduled", "status": "True"},
    ]


def test_conditions_unknown_and_completed():
    sp = spec("Never", containers=("a", "b"))
    c = s.containers_ready_condition(sp, [running("a", ready=True)], "Running")
    assert c["message"] == "containers with unknown status: [b]"
    assert s.containers_ready_condition(sp, [terminated("a"), terminated("b")], "Succeeded")["reason"] == "PodCompleted"
    assert s.containers_ready_condition(sp, [terminated("a", 1), terminated("b")], "Failed")["reason"] == "PodFailed"
    assert s.initialized_condition(sp, [terminated("a"), terminated("b")], "Succeeded") == \
        {"type": "Initialized", "status": "True", "reason": "PodCompleted"}
    ready = s.pod_ready_condition({"containers": [{"name": "a"}], "readinessGates": [{"conditionType": "x/y"}]},
                                  [], [running("a", ready=True)], "Running")
    assert ready == {"type": "Ready", "status": "False", "reason": "ReadinessGatesNotReady",
                     "message": 'corresponding condition of pod readiness gate "x/y" does not exist.'}


def test_transition_times_change_only_on_flip():
    old = [{"type": "Ready", "status": "False", "lastProbeTime": None, "lastTransitionTime": "T0"},
           {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": "T-1"}]
    new = s.set_transition_times([{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}], old, "T1")
    assert new == [{"type": "Ready", "status": "True", "lastProbeTime": None, "lastTransitionTime": "T1"},
                   {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": "T-1"}]


@pytest.mark.parametrize("policy,latest,code,expected", [
    ("Always", None, None, True), ("Always", "running", None, False), ("Always", "exited", 0, True),
    ("OnFailure", "exited", 0, False), ("OnFailure", "exited", 1, True), ("Never", "exited", 1, False),
])
def test_should_container_be_restarted(policy, latest, code, expected):
    assert s.should_container_be_restarted(policy, False, latest, code) is expected
    assert s.should_container_be_restarted(policy, True, latest, code) is False
