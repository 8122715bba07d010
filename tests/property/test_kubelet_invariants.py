"""Random pods (restart policies, exit behaviours, probes) advanced in random steps: the kubelet
never breaks the invariants of pods-and-kubelet.md (restart counts only grow, restarts never come
sooner than the back-off allows, phases move only along legal edges, READY <= total)."""
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parents[1] / "labsim" / "kubelet"))
from models import make_cluster, pod_yaml  # noqa: E402


LEGAL = {("Pending", "Pending"), ("Pending", "Running"), ("Pending", "Succeeded"), ("Pending", "Failed"),
         ("Running", "Running"), ("Running", "Succeeded"), ("Running", "Failed"),
         ("Succeeded", "Succeeded"), ("Failed", "Failed")}

behaviour = st.one_of(
    st.tuples(st.just("exit"), st.integers(0, 3), st.integers(0, 40)),
    st.just(("serve",)), st.just(("ignore-term",)))
probe = st.one_of(st.none(), st.tuples(
    st.sampled_from(["livenessProbe", "readinessProbe", "startupProbe"]),
    st.sampled_from(["/index.html", "/missing"]), st.integers(1, 10), st.integers(1, 3)))
pod_spec = st.tuples(st.sampled_from(["Always", "OnFailure", "Never"]), behaviour, probe)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pods=st.lists(pod_spec, min_size=1, max_size=4),
       steps=st.lists(st.floats(0.1, 90), min_size=1, max_size=8), delete_at=st.integers(-1, 7))
def test_kubelet_invariants(pods, steps, delete_at):
    c = make_cluster()
    pods_rt = c.api.registry.for_kind("", "Pod")
    for i, (policy, beh, pr) in enumerate(pods):
        extra = ""
        if pr is not None:
            kind, path, period, threshold = pr
            extra = (f"{kind}:\n  httpGet: {{path: {path}, port: 80}}\n  periodSeconds: {period}\n"
                     f"  failureThreshold: {threshold}")
        c.apply(pod_yaml(f"p{i}", [str(a) for a in beh], policy=policy, extra_container=extra))
    last_phase: dict[str, str] = {}
    last_restarts: dict[str, int] = {}
    for n, dt in enumerate(steps):
        if n == delete_at:
            c.kubectl("delete pod p0 --wait=false")
        c.advance(dt)
        for p in c.api.list(pods_rt):
            name = p["metadata"]["name"]
            status = p.get("status") or {}
            phase = status.get("phase", "Pending")
            if name in last_phase:
                assert (last_phase[name], phase) in LEGAL, (name, last_phase[name], phase)
            last_phase[name] = phase
            for cs in status.get("containerStatuses") or []:
                rc = cs.get("restartCount", 0)
                assert rc >= last_restarts.get(name, 0), (name, rc)
                last_restarts[name] = rc
                assert not (cs.get("ready") and "running" not in cs["state"])
            ready = sum(1 for cs in status.get("containerStatuses") or [] if cs.get("ready"))
            assert ready <= len(p["spec"]["containers"])
    # back-off: every refused restart waited at least the back-off it announced
    for k in c.kubelets.values():
        for w in k.workers.values():
            for insts in w.instances.values():
                if len(insts) == 2 and insts[0].finished_at is not None and insts[1].restart_count >= 2:
                    gap = insts[1].created_at - insts[0].finished_at
                    # the instance after the second restart is never started sooner than 10 s
                    # after the previous one ended, unless that one was killed by a probe (same sync)
                    if not insts[0].stopping:
                        assert gap >= 10 - 1e-6, gap
