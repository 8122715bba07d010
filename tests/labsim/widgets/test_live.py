"""Views as ipywidgets with a fake comm and a fake wall clock: <= 10 messages/s and <= 64 KB per
message over a 10-minute playback at x60, observer cleanup, and the same state at simulated time t
whatever the pace."""
import json

import pytest

ipywidgets = pytest.importorskip("ipywidgets")

import comm  # noqa: E402

from labsim import Cluster, magics  # noqa: E402
from labsim.widgets import live, view  # noqa: E402

LIMIT = 64 * 1024


class FakeWall:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Messages:
    """Every comm message a widget sends: (wall time, comm id, bytes of the JSON message)."""

    def __init__(self, wall):
        self.wall, self.sent = wall, []
        recorder = self

        class FakeComm(comm.DummyComm):
            def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
                if msg_type == "comm_msg":
                    recorder.sent.append((recorder.wall(), self.comm_id, len(json.dumps(data))))

        self.cls = FakeComm

    def per_second(self) -> int:
        """The most messages one comm sent within one wall second [k, k+1)."""
        counts = {}
        for t, cid, _ in self.sent:
            key = (int(t // 1), cid)
            counts[key] = counts.get(key, 0) + 1
        return max(counts.values(), default=0)


@pytest.fixture
def wall(monkeypatch):
    w = FakeWall()
    live.set_monotonic(w)
    # headless: no kernel loop (playwright's sync API, used by tests/browser in this process, can
    # leave an asyncio loop marked running in the main thread; trailing renders would wait for it)
    monkeypatch.setattr(live, "running_loop", lambda: None)
    yield w
    live.set_monotonic(None)
    for v in list(live.open_views()):
        v.close()


@pytest.fixture
def messages(wall, monkeypatch):
    m = Messages(wall)
    monkeypatch.setattr(comm, "create_comm", lambda *a, **k: m.cls(*a, **k))
    return m


def _watchers(cluster) -> int:
    return sum(len(v) for v in cluster.store._watchers.values())


def _preloaded(seed=0, nodes=1):
    c = Cluster(seed=seed, nodes=nodes)
    for k in c.kubelets.values():
        k.images.preload("nginx:1.27", "nginx:1.28")
    return c


def test_ten_minute_playback_at_x60_sends_at_most_10_messages_a_second(wall, messages):
    c = _preloaded()
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=40")
    views = [view.cluster(cluster=c), view.rollout("deploy/web", cluster=c), view.events(cluster=c),
             view.chart("deploy/web", cluster=c)]
    d = live.driver_for(c)
    d.set_speed(60)
    d.play()
    start = c.now
    ticks = 0
    while wall.now < 1010.0:  # 10 wall seconds at x60: 600 simulated seconds
        wall.now = round(wall.now + 0.02, 6)  # a tick every 20 ms: faster than the views may render
        d.tick()
        ticks += 1
        if ticks == 100:  # a rollout in the middle of the playback
            live.before_command(c)
            assert c.kubectl("set image deploy/web nginx=nginx:1.28").exit_code == 0
            live.after_command(c)
    d.pause()
    assert c.now == pytest.approx(start + 600, abs=0.2)
    assert messages.per_second() <= 10
    assert max(size for _, _, size in messages.sent) <= LIMIT
    html_msgs = [m for m in messages.sent if m[1] == views[0].html.comm.comm_id]
    assert 50 <= len(html_msgs) <= 100  # it kept up: several updates a second, never more than 10
    assert "data-state='Ready'" in views[0].html.value
    assert views[0].html.value.count("<span class='kl-pod-chip") == 40
    rs = views[1].model().replica_sets
    assert [(r.revision, r.current.desired, r.current.ready) for r in rs] == [("2", 40, 40), ("1", 0, 0)]


def test_close_detaches_every_watch_and_observer(wall, messages):
    c = _preloaded()
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    c.kubectl("expose deploy web --port=80")
    base = _watchers(c)
    d = live.driver_for(c)
    base_obs = d.observer_count
    vs = [view.cluster(cluster=c), view.cluster(group="node", cluster=c), view.rollout("deploy/web", cluster=c),
          view.events("deploy/web", cluster=c), view.chart(cluster=c), view.service("svc/web", cluster=c),
          view.clock(cluster=c)]
    assert _watchers(c) > base and d.observer_count == base_obs + 7
    for v in vs:
        v.close()
    assert _watchers(c) == base
    assert d.observer_count == base_obs
    assert live.open_views(c) == []
    vs[0].close()  # twice is harmless


def test_state_at_t_does_not_depend_on_the_pace(wall):
    """The same commands at the same simulated times: x1 with 0.1 s ticks, x10 with 0.3 s ticks,
    x60 with 0.05 s ticks and a plain stepped run give the same cluster (digest)."""
    script = [(40.0, "create deployment web --image=nginx:1.27 --replicas=4"),
              (75.0, "run crash --image=busybox -- false"),
              (90.5, "set image deploy/web nginx=nginx:1.28"),
              (100.0, "scale deploy web --replicas=6"),
              (160.0, None)]

    def driven(speed, dt):
        c = _preloaded(seed=7)
        d = live.driver_for(c)
        d.set_speed(speed)
        d.play()
        for t_sim, cmd in script:
            while d.target(wall.now + dt) < t_sim:
                wall.now += dt
                d.tick()
            wall.now = d._wall0 + (t_sim - d._sim0) / speed  # the instant the learner hits Enter
            live.before_command(c)
            assert c.now == t_sim
            if cmd:
                assert c.kubectl(cmd).exit_code == 0
            live.after_command(c)
        d.pause()
        return c.digest()

    def stepped():
        c = _preloaded(seed=7)
        for t_sim, cmd in script:
            c.advance(t_sim - c.now)
            if cmd:
                c.kubectl(cmd)
        return c.digest()

    want = stepped()
    assert driven(1, 0.1) == want
    assert driven(10, 0.3) == want
    assert driven(60, 0.05) == want


def test_headless_sleep_is_instant_and_views_show_its_end(wall, messages, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv("LABSIM_LIVE", raising=False)
    c = magics.use_cluster(_preloaded())
    try:
        v = view.cluster(cluster=c, controls=False)
        magics.kubectl_line("create deployment web --image=nginx:1.27 --replicas=3")
        assert "data-pods='3'" in v.html.value  # rendered at the end of the command
        slept = []
        monkeypatch.setattr(live.time, "sleep", slept.append)
        magics.sleep_line("60")
        assert slept == [] and c.now == 90.0
        assert "data-time='90'" in v.html.value and v.html.value.count("data-state='Ready'") == 3
    finally:
        magics.use_cluster(Cluster(seed=0))


def test_sleep_animates_open_views_in_a_live_kernel(wall, messages, monkeypatch):
    """``%sleep 60`` with a view open: frames at 10 Hz for at most 3 wall seconds; same end state."""
    monkeypatch.setenv("LABSIM_LIVE", "1")
    c = magics.use_cluster(_preloaded())
    ref = _preloaded()
    try:
        v = view.cluster(cluster=c, controls=False)
        magics.kubectl_line("create deployment web --image=nginx:1.27 --replicas=3")
        ref.kubectl("create deployment web --image=nginx:1.27 --replicas=3")
        slept = []

        def fake_sleep(s):
            slept.append(s)
            wall.now += s
        monkeypatch.setattr(live.time, "sleep", fake_sleep)
        before = len(messages.sent)
        magics.sleep_line("60")
        ref.advance(60)
        assert c.digest() == ref.digest()
        assert 0 < sum(slept) <= live.SLEEP_ANIMATION_MAX
        frames = [m for m in messages.sent[before:] if m[1] == v.html.comm.comm_id]
        assert 2 <= len(frames) <= 31 and messages.per_second() <= 10
    finally:
        magics.use_cluster(Cluster(seed=0))


def test_toolbar_controls_and_reset_to_a_fresh_cluster(wall, messages):
    c = _preloaded(seed=5)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    v = view.cluster(cluster=c)
    tb = v.toolbar
    assert [b.description for b in (tb.play, tb.pause, tb.step, tb.reset)] == ["Play", "Pause", "Step", "Reset"]
    assert [b.tooltip for b in (tb.play, tb.pause, tb.step, tb.reset)] == ["Play", "Pause", "Step", "Reset"]
    assert tb.speed.description == "Speed" and v.slider.description == "Simulated time"
    t0 = c.now
    wall.now += 1  # a person clicks at most a few times a second
    tb.step.click()
    assert c.now == t0 + 10 and "data-running='0'" in tb.status.value
    wall.now += 1
    tb.speed.value = 60
    wall.now += 1
    tb.play.click()
    assert tb.play.disabled and not tb.pause.disabled
    wall.now += 0.5
    v.driver.tick()
    assert c.now == t0 + 40
    wall.now += 0.2
    tb.pause.click()  # pausing catches up first: 0.2 s more at x60
    assert c.now == t0 + 52
    assert not v.driver.running and f"data-time='{t0 + 52:g}'" in v.html.value
    wall.now += 1
    tb.reset.click()
    fresh = v.cluster
    assert fresh is not c and fresh.now == 30.0 and "data-pods='0'" in v.html.value
    assert _watchers(c) == 0 or all(h.__self__ is not v for hs in c.store._watchers.values() for h in hs
                                    if hasattr(h, "__self__"))


def test_the_slider_shows_the_past(wall, messages):
    c = _preloaded()
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=3")
    c.advance(60)
    c.kubectl("delete deploy web")
    c.advance(60)
    v = view.cluster(cluster=c)
    assert "data-pods='0'" in v.html.value
    v.show_past(60)
    assert "data-past='1'" in v.html.value and v.html.value.count("data-state='Ready'") == 3
    v.show_past(None)
    assert "data-past='0'" in v.html.value and "data-pods='0'" in v.html.value



def test_end_of_a_command_renders_at_once_outside_a_browser_session_even_with_a_loop(wall, messages, monkeypatch):
    """nbclient's kernel runs an asyncio loop but serves no browser: a render deferred to that loop
    would come after the cell finished and the executed notebook would keep a stale picture."""
    class Loop:
        def __init__(self):
            self.later = []

        def call_later(self, delay, fn, *args):
            self.later.append((delay, fn, args))

    loop = Loop()
    monkeypatch.setattr(live, "running_loop", lambda: loop)
    monkeypatch.setenv("LABSIM_LIVE", "0")
    c = _preloaded()
    v = view.cluster(cluster=c)
    magics.use_cluster(c)
    c.kubectl("run web --image=nginx:1.27")
    live.flush(c, final=True)  # right after the view's first render: within the 10 Hz interval
    assert v.html.value.count("data-pod=") == 1 and not loop.later
    monkeypatch.setenv("LABSIM_LIVE", "1")  # a browser session: the render waits its turn on the loop
    c.kubectl("run db --image=nginx:1.27")
    v.dirty = True
    live.flush(c, final=True)
    assert v.html.value.count("data-pod=") == 1 and loop.later


def test_kubectl_answers_from_the_time_the_slider_shows(wall, messages, capsys):
    """Issue 6: moving the slider shows the cluster as it was then, in the views and in `%kubectl`
    (read-only: a write points to branch()); back at the right end, kubectl is live again."""
    c = _preloaded()
    magics.use_cluster(c)
    v = view.cluster(cluster=c)
    magics.kubectl_line("create deployment web --image=nginx:1.27 --replicas=2")
    c.advance(30)
    magics.kubectl_line("scale deployment web --replicas=3")
    c.advance(30)
    capsys.readouterr()
    v.show_past(45.0)
    magics.kubectl_line("get deploy web")
    past = capsys.readouterr().out
    assert past == c.at(45.0).kubectl("get deploy web").stdout
    assert past.splitlines()[1].split()[:2] == ["web", "2/2"]
    magics.kubectl_line("delete deploy web")
    err = capsys.readouterr()
    assert "read-only" in err.out + err.err and "branch(" in err.out + err.err
    assert c.store.get(c.registry.resolve("deployments"), "default", "web") is not None
    v.show_past(None)
    magics.kubectl_line("get deploy web")
    assert capsys.readouterr().out.splitlines()[1].split()[:2] == ["web", "3/3"]
    v.show_past(50.0)
    v.close()  # a closed view's slider no longer holds kubectl in the past
    magics.kubectl_line("get deploy web")
    assert capsys.readouterr().out.splitlines()[1].split()[:2] == ["web", "3/3"]


def test_branch_from_the_time_the_slider_shows(wall, messages, capsys):
    """"What if I had not deleted that pod?": slider to before the deletion, branch(), and the new
    timeline still has the pod; the original is kept as it was."""
    from labsim.course import branch

    c = _preloaded()
    magics.use_cluster(c)
    v = view.cluster(cluster=c)
    magics.kubectl_line("run db --image=nginx:1.27")
    c.advance(20)
    magics.kubectl_line("delete pod db --wait=false")
    c.advance(40)
    t = c.now - 45  # 5 s before the deletion
    v.show_past(t)
    capsys.readouterr()
    branch()
    assert "branched at t=" in capsys.readouterr().out
    b = magics.current_cluster()
    assert b is not c and b.now == t and v.cluster is b and v.past is None
    magics.kubectl_line("get pod db")
    assert capsys.readouterr().out.splitlines()[1].split()[:3] == ["db", "1/1", "Running"]
    assert c.store.get(c.registry.resolve("pods"), "default", "db") is None
    assert "data-pod='db'" in v.html.value
    with pytest.raises(ValueError):
        branch()  # the branch's slider is live: no time to branch from
