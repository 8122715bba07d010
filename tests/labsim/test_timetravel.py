"""Time travel: History (objects_at by simulated time), the read-only past cluster, branches."""
from __future__ import annotations

import time

import pytest

from labsim import Cluster
from labsim.timetravel import History, read_only_message

POD = "web-65d846d465"


def _session():
    """A scripted session: a Deployment of 3 nginx pods, one pod deleted at t=60, run to t=90.
    Returns the cluster and what kubectl printed live at several instants."""
    c = Cluster(seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=3")
    cmds = ("get pods", "get pods -o wide", "get deploy", "get rs", "get pods --show-labels -l app=web",
            "get events", "describe deploy web")
    live: dict[tuple[float, str], str] = {}
    for t in (31, 34, 36, 40, 47, 55, 59, 61, 62, 65, 75, 89):
        c.clock.run_until(t)
        for cmd in cmds:
            live[(t, cmd)] = c.kubectl(cmd).output
        if t == 59:
            c.clock.run_until(60)
            assert c.kubectl(f"delete pod {POD}-k7k2h --wait=false").ok
    c.clock.run_until(90)
    return c, live


@pytest.fixture(scope="module")
def session():
    return _session()


def test_past_kubectl_prints_what_live_kubectl_printed(session):
    c, live = session
    for (t, cmd), out in live.items():
        assert c.at(t).kubectl(cmd).output == out, (t, cmd)


def test_past_get_pods_at_50_and_75(session):
    c, _ = session
    assert c.at(50).kubectl("get pods").output == (
        "NAME                   READY   STATUS    RESTARTS   AGE\n"
        f"{POD}-k7k2h   1/1     Running   0          20s\n"
        f"{POD}-mszhq   1/1     Running   0          20s\n"
        f"{POD}-nqw69   1/1     Running   0          20s\n")
    assert c.at(75).kubectl("get pods").output == (
        "NAME                   READY   STATUS    RESTARTS   AGE\n"
        f"{POD}-mszhq   1/1     Running   0          45s\n"
        f"{POD}-nqw69   1/1     Running   0          45s\n"
        f"{POD}-rpgwg   1/1     Running   0          15s\n")


def test_past_logs_up_to_t(session):
    c, _ = session
    past = c.at(50).kubectl(f"logs {POD}-nqw69").output
    now = c.kubectl(f"logs {POD}-nqw69").output
    assert past and now.startswith(past)
    before = c.at(33).kubectl(f"logs {POD}-mszhq")
    assert before.exit_code == 1
    assert before.stderr == (f'Error from server (BadRequest): container "nginx" in pod "{POD}-mszhq" is waiting '
                             f"to start: ContainerCreating\n")
    gone = c.at(50).kubectl(f"logs {POD}-k7k2h")
    assert gone.exit_code == 1 and "is no longer kept" in gone.stderr


def test_past_refuses_writes_and_waits(session):
    c, _ = session
    before = c.digest()
    past = c.at(73)
    for cmd, verb in (("delete pod " + POD + "-mszhq", "delete"), ("scale deploy web --replicas=5", "scale"),
                      ("apply -f -", "apply"), ("label pod x a=b", "label"), ("rollout undo deploy/web", "rollout undo"),
                      ("exec " + POD + "-mszhq -- ls", "exec"), ("run x --image=nginx", "run")):
        r = past.kubectl(cmd, stdin="apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n")
        assert (r.exit_code, r.stdout) == (1, "")
        assert r.stderr == (f'error: the cluster is shown as it was at t=73s (read-only): "kubectl {verb}" cannot '
                            f"change it; call branch(73) to change the past\n")
    r = c.at(33).kubectl("rollout status deploy/web")
    assert r.exit_code == 1
    assert r.stdout == 'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...\n'
    assert r.stderr == f"error: {read_only_message(33, waits=True)}\n"
    assert c.at(50).kubectl("rollout status deploy/web").output == 'deployment "web" successfully rolled out\n'
    assert c.at(50).kubectl("delete --help").ok
    assert c.digest() == before


def test_history_index_matches_replay(session):
    c, _ = session
    h = History(c.store, c.clock, checkpoint_events=7)  # small checkpoints: replay across many
    times = h.times()
    assert times == sorted(set(ev.time for ev in c.store.history))
    assert h.start == 0.0 and h.end == 90.0
    for t in [0.0, 29.99] + times + [90.0]:
        rv = h.rv_at(t)
        assert rv == max([ev.resource_version for ev in c.store.history if ev.time <= t], default=0)
        assert h.objects_at(t) == {gr: b for gr, b in c.store.state_at(rv).items() if b}
        assert h.objects_at(t, ["pods"]) == {k: v for k, v in h.objects_at(t).items() if k == "pods"}
    evs = h.events_between(50, 61)
    assert evs and all(50 < ev.time <= 61 for ev in evs)
    assert [e for e in evs if e.resource.group_resource == "pods" and e.object["metadata"].get("deletionTimestamp")]
    # the cluster's own index catches up with new writes lazily
    assert c.history.rv_at(90) == c.store.resource_version
    assert c.history.objects_at(90)["pods"] == {f"default/{p['metadata']['name']}": p
                                                for p in c.store.list(c.registry.resolve("pods"))}


def test_at_outside_the_session(session):
    c, _ = session
    with pytest.raises(ValueError, match=r"t=91s is outside the session \(0s \.\. 90s\)"):
        c.at(91)


# -- branches -------------------------------------------------------------------------------------
def _events_about(cluster, name: str) -> list[tuple[str, str, int]]:
    ev_rt = cluster.registry.resolve("events")
    return sorted((e["reason"], e["message"], e.get("count", 1)) for e in cluster.store.list(ev_rt)
                  if e["involvedObject"]["name"] == name)


def test_branch_adopts_running_pods_and_runs_forward():
    c, live = _session()
    origin_digest = c.digest()
    b = c.branch(50)
    assert b.clock.now == 50.0 and b.seed == c.seed
    assert b.store.resource_version == c.history.rv_at(50)
    assert b.kubectl("get pods").output == live[(47, "get pods")].replace("17s", "20s")
    events_before = {p: _events_about(b, f"{POD}-{p}") for p in ("k7k2h", "mszhq", "nqw69")}
    b.advance(60)
    # the adopted pods stay Running and Ready; nothing new is recorded about them and they are not rewritten
    assert b.kubectl("get pods").output == (
        "NAME                   READY   STATUS    RESTARTS   AGE\n"
        f"{POD}-k7k2h   1/1     Running   0          80s\n"
        f"{POD}-mszhq   1/1     Running   0          80s\n"
        f"{POD}-nqw69   1/1     Running   0          80s\n")
    for p, evs in events_before.items():
        assert _events_about(b, f"{POD}-{p}") == evs
    first = len(c.store.history[:c.history.index_at(50)])
    written = sorted({ev.resource.group_resource for ev in b.store.history[first:]})
    assert written == ["leases.coordination.k8s.io"]  # only the node's heartbeats
    assert b.store.history[first].resource_version == b.history.rv_at(50) + 1
    # deleting another pod in the branch gets a replacement
    assert str(b.kubectl(f"delete pod {POD}-mszhq --wait=false")) == f'pod "{POD}-mszhq" deleted'
    b.advance(30)
    out = b.kubectl("get pods -o wide").output.splitlines()
    assert [ln.split()[:3] for ln in out[1:]] == [
        [f"{POD}-99ddc", "1/1", "Running"], [f"{POD}-k7k2h", "1/1", "Running"], [f"{POD}-nqw69", "1/1", "Running"]]
    ips = [ln.split()[5] for ln in out[1:]]
    assert ips == ["10.42.0.5", "10.42.0.4", "10.42.0.2"]  # the next address after the origin's .4
    assert _events_about(b, f"{POD}-99ddc")[:1] == [("Created", "Created container: nginx", 1)]
    assert b.kubectl(f"logs {POD}-nqw69").output == c.at(50).kubectl(f"logs {POD}-nqw69").output
    # the branch's history reaches back before the branch point
    assert b.at(40).kubectl("get pods").output == live[(40, "get pods")]
    # the origin is not affected
    assert c.digest() == origin_digest
    assert c.kubectl("get pods").output.count("Running") == 3
    b.store.check_mutations()
    c.store.check_mutations()


def test_branch_is_deterministic():
    c, _ = _session()
    digests = []
    for _ in range(2):
        b = c.branch(50)
        b.advance(10)
        b.kubectl(f"delete pod {POD}-mszhq --wait=false")
        b.kubectl("scale deploy web --replicas=4")
        b.advance(40)
        digests.append(b.digest())
    assert digests[0] == digests[1]
    other = c.branch(51)
    other.advance(9)
    other.kubectl(f"delete pod {POD}-mszhq --wait=false")
    other.kubectl("scale deploy web --replicas=4")
    other.advance(40)
    assert other.digest() != digests[0]
    names = {p["metadata"]["name"] for p in b.store.list(b.registry.resolve("pods"))}
    used = {ev.object["metadata"]["name"] for ev in c.store.history if ev.resource.group_resource == "pods"}
    assert len(names - used) == 2  # the new pods' names are not names the origin used


def test_branch_mid_rollout_and_terminating():
    """Pods mid-way at t: still creating (no IP yet) and Terminating with a grace period."""
    c, _ = _session()
    b = c.branch(34)  # two pods still ContainerCreating at 34
    b.advance(30)
    assert b.kubectl("get deploy web").output.splitlines()[1].split()[:4] == ["web", "3/3", "3", "3"]
    b2 = c.branch(60)  # k7k2h Terminating (nginx stops on SIGQUIT at once)
    assert "Terminating" in b2.kubectl("get pods").output
    b2.advance(30)
    assert f"{POD}-k7k2h" not in b2.kubectl("get pods").output
    assert b2.kubectl("get pods").output.count("1/1     Running") == 3


def test_objects_at_is_fast_over_a_long_session(capsys):
    """~20k history events over one simulated hour: objects_at answers from a checkpoint plus a
    short replay (the figure is printed, not asserted: no timing assertions in unit tests)."""
    c = Cluster(seed=1)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.advance(30)
    step = 0
    while len(c.store.history) < 20000:
        step += 1
        c.kubectl(f"scale deploy web --replicas={2 + (step % 2) * 8}")
        c.advance(60 if c.clock.now < 3600 else 20)
    h = c.history
    n = len(h)
    ts = [i * c.clock.now / 200 for i in range(201)]
    h.objects_at(0)  # index once
    t0 = time.perf_counter()
    for t in ts:
        h.objects_at(t)
    per = (time.perf_counter() - t0) / len(ts)
    for t in ts[::50]:
        assert h.objects_at(t) == {gr: b for gr, b in c.store.state_at(h.rv_at(t)).items() if b}
    with capsys.disabled():
        print(f"\nobjects_at over {n} history events, {c.clock.now:.0f} simulated s, "
              f"{h.checkpoints()} checkpoints: {per * 1000:.2f} ms per call")


def test_branch_adopts_a_crash_loop_with_its_restart_count_and_back_off():
    c = Cluster(seed=0)
    c.kubectl("run crash --image=busybox -- sh -c 'echo hi; sleep 2; exit 1'")
    c.advance(120)
    b = c.branch(100)
    assert b.kubectl("get pods").output == c.at(100).kubectl("get pods").output == (
        "NAME    READY   STATUS             RESTARTS      AGE\n"
        "crash   0/1     CrashLoopBackOff   3 (30s ago)   70s\n")
    b.advance(20)
    # the back-off implied by 3 restarts (40 s after the last exit) ends as it did in the origin
    assert b.kubectl("get pods").output == c.at(120).kubectl("get pods").output == (
        "NAME    READY   STATUS             RESTARTS     AGE\n"
        "crash   0/1     CrashLoopBackOff   4 (8s ago)   90s\n")
    assert b.kubectl("logs crash --previous").output == "hi\n"
