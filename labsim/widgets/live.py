"""The live clock: simulated time that follows wall time (x1, x10, x60), and the render pacing of views.

This is the ONE module of labsim allowed to read wall time (``time.monotonic``; ``tests/test_lint.py``
exempts it). Everything else gets wall time from :func:`monotonic` here, which tests replace with a
fake clock (:func:`set_monotonic`).

Determinism (architecture principle 3): the driver only moves the simulated clock forward, in
chunks, to targets on a 0.1 s grid measured from its anchor: ``target = base + floor((wall -
wall0) * speed * 10) / 10``. ``SimClock.run_until`` runs every event up to a target in (time,
sequence) order, so the state at simulated time t is the same whatever the pace or the chunking,
and a command typed at t (the magics catch the driver up first: :func:`before_command`) meets the
same state as a script that slept to t. The driver never advances on its own outside a running
asyncio loop (ipykernel runs one; nbclient's headless kernel runs it too but nobody presses Play),
and ``%sleep`` animates only in a kernel a Jupyter server started for a browser
(:func:`live_kernel`); headless it returns at once.

Render pacing: a view's watch handler only marks it dirty. :func:`flush` renders the dirty views of a
cluster, each at most once per :data:`MIN_INTERVAL` wall seconds (10 Hz); a render that is due
later is scheduled on the asyncio loop, or done at once at the end of a command when no loop runs
(headless), so a view always shows the end state of a cell.
"""
from __future__ import annotations

import asyncio
import math
import os
import time
import weakref
from typing import Callable

#: wall seconds between two renders of one view (at most 10 per second, style rule 10)
MIN_INTERVAL = 0.1
#: the driver's paces (simulated seconds per wall second)
SPEEDS = (1, 10, 60)
#: wall seconds between two ticks of a playing driver
TICK = 0.1
#: ``%sleep N`` with open views animates the interval in at most this many wall seconds
SLEEP_ANIMATION_MAX = 3.0
#: the simulated-time grid the driver's targets fall on (seconds)
GRID = 0.1

_monotonic: Callable[[], float] = time.monotonic


def monotonic() -> float:
    """Wall seconds for pacing (never for simulated state)."""
    return _monotonic()


def set_monotonic(fn: Callable[[], float] | None) -> None:
    """Replace the wall clock (tests pass a fake); ``None`` restores ``time.monotonic``."""
    global _monotonic
    _monotonic = fn or time.monotonic


def running_loop():
    """The kernel's asyncio loop when one is running in this thread (ipykernel), else None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    try:  # ipykernel executes cells inside its loop; outside a coroutine ask the kernel for it
        from ipykernel.kernelbase import Kernel

        if Kernel.initialized():
            loop = asyncio.get_event_loop_policy().get_event_loop()
            return loop if loop.is_running() else None
    except Exception:  # noqa: BLE001 - no kernel, no loop
        return None
    return None


def live_kernel() -> bool:
    """True in a kernel a Jupyter server started for a browser session: ``%sleep`` animates there.
    jupyter_server sets ``JPY_SESSION_NAME`` for the kernels of its sessions; nbclient does not.
    ``LABSIM_LIVE=0|1`` overrides."""
    forced = os.environ.get("LABSIM_LIVE")
    if forced in ("0", "1"):
        return forced == "1"
    if not os.environ.get("JPY_SESSION_NAME"):
        return False
    try:
        from ipykernel.kernelbase import Kernel
    except ImportError:
        return False
    return Kernel.initialized()


# -- open views ------------------------------------------------------------------------------------

_views: list = []  # open views (anything with .cluster, .dirty, .render())


def register(view) -> None:
    if view not in _views:
        _views.append(view)


def unregister(view) -> None:
    if view in _views:
        _views.remove(view)


def open_views(cluster=None) -> list:
    return [v for v in _views if cluster is None or v.cluster is cluster]


class Pace:
    """Per-view render limiter: ``due()`` at most once per :data:`MIN_INTERVAL` wall seconds."""

    __slots__ = ("last", "scheduled")

    def __init__(self):
        self.last = -math.inf
        self.scheduled = None

    def wait(self) -> float:
        return max(0.0, self.last + MIN_INTERVAL - monotonic())


def flush(cluster=None, final: bool = False) -> int:
    """Render the dirty open views (of ``cluster``) that may render now; returns how many did.
    A view rendered less than MIN_INTERVAL ago gets a trailing render on the loop, or, with
    ``final`` outside a live browser session (nbclient, nbconvert, a script: no browser to flood),
    renders now: the end of a command must be what the saved widget state shows (a trailing render
    would arrive after the cell finished, and nbclient would not record it)."""
    n = 0
    for v in open_views(cluster):
        # a live view is stale when something it draws changed or simulated time moved (its header
        # and the ages in tooltips); a view of the past only when something it draws changed
        if not v.dirty and (v.past is not None or v.drawn_time == v.cluster.clock.now):
            continue
        pace = v.pace
        wait = pace.wait()
        if wait <= 0 or (final and not live_kernel()):
            pace.last = monotonic()
            v.render()
            n += 1
        elif pace.scheduled is None:
            loop = running_loop()
            if loop is not None:
                pace.scheduled = loop.call_later(wait, _trailing, weakref.ref(v))
    return n


def _trailing(ref) -> None:
    v = ref()
    if v is None:
        return
    v.pace.scheduled = None
    if v in _views:
        v.pace.last = monotonic()
        v.render()


# -- the driver ------------------------------------------------------------------------------------

def advance_to(cluster, target: float) -> str:
    """Run the cluster's clock to ``target`` exactly (``Cluster.advance`` adds a duration to now, which
    in floating point may miss the grid by an ulp); returns what open ``kubectl get -w`` printed."""
    from labsim.kubectl.watch import collect_watch_output

    if target > cluster.clock.now:
        cluster.clock.run_until(target)
    return collect_watch_output(cluster)


class LiveClock:
    """Drives one cluster's simulated clock from wall time: ``play``/``pause``/``step``/``speed``/``reset``.

    ``on_output`` receives what open ``kubectl get -w`` streams print while time passes (the magics
    end those at the end of each cell, so between cells there are none)."""

    def __init__(self, cluster, speed: int = 1):
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {SPEEDS}, not {speed!r}")
        self.cluster = cluster
        self.speed = speed
        self.running = False
        self._wall0 = 0.0
        self._sim0 = cluster.clock.now
        self._last_target = cluster.clock.now
        self._handle = None
        self._observers: list[Callable[[LiveClock], None]] = []
        self.on_output: Callable[[str], None] | None = None

    # -- observers (the toolbar) -------------------------------------------------------------
    def observe(self, fn: Callable[["LiveClock"], None]) -> Callable[[], None]:
        self._observers.append(fn)
        return lambda: self._observers.remove(fn) if fn in self._observers else None

    @property
    def observer_count(self) -> int:
        return len(self._observers)

    def _changed(self) -> None:
        for fn in list(self._observers):
            fn(self)

    # -- time ---------------------------------------------------------------------------------
    def anchor(self) -> None:
        """Measure from now on: the simulated clock's present is the base of the next targets."""
        self._wall0 = monotonic()
        self._sim0 = self._last_target = self.cluster.clock.now

    def target(self, wall: float | None = None) -> float:
        wall = monotonic() if wall is None else wall
        k = math.floor((wall - self._wall0) * self.speed / GRID + 1e-6)
        return self._sim0 + k * GRID if k > 0 else self._sim0

    def catch_up(self) -> bool:
        """Advance the clock to where wall time says it is (playing only); True if it moved."""
        if not self.running:
            return False
        if self.cluster.clock.now != self._last_target:  # a command or %sleep moved it meanwhile
            self.anchor()
            return False
        target = self.target()
        if target <= self.cluster.clock.now:
            return False
        out = advance_to(self.cluster, target)
        self._last_target = self.cluster.clock.now
        if out and self.on_output is not None:
            self.on_output(out)
        return True

    def external_change(self) -> None:
        """A command or ``%sleep`` ran: simulated time continues from the clock's present."""
        if self.running:
            self.anchor()

    # -- controls -----------------------------------------------------------------------------
    def play(self) -> None:
        if self.running:
            return
        self.running = True
        self.anchor()
        self._schedule()
        self._changed()

    def pause(self) -> None:
        if not self.running:
            return
        self.catch_up()
        self.running = False
        self._cancel()
        flush(self.cluster, final=True)
        self._changed()

    def step(self, seconds: float = 10.0) -> None:
        """Advance ``seconds`` of simulated time at once (paused or playing)."""
        self.catch_up()
        out = advance_to(self.cluster, self.cluster.clock.now + float(seconds))
        if out and self.on_output is not None:
            self.on_output(out)
        if self.running:
            self.anchor()
        flush(self.cluster, final=True)
        self._changed()

    def set_speed(self, speed: int) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {SPEEDS}, not {speed!r}")
        self.catch_up()
        self.speed = speed
        if self.running:
            self.anchor()
        self._changed()

    def reset(self) -> None:
        """Pause and go back to a fresh cluster of the same chapter or lab (``labsim.course``), or a
        new cluster with the same seed and nodes; the open views follow."""
        was = self.cluster
        self.running = False
        self._cancel()
        new = _fresh_cluster(was)
        _drivers.pop(id(was), None)
        _drivers[id(new)] = self
        self.cluster = new
        self.anchor()
        for v in open_views(was):
            v.rebind(new)
        flush(new, final=True)
        self._changed()

    # -- the tick -----------------------------------------------------------------------------
    def tick(self) -> None:
        """One beat of a playing driver: catch up, render what changed (each view <= 10 Hz)."""
        self._handle = None
        if not self.running:
            return
        self.catch_up()
        flush(self.cluster)
        self._changed()
        self._schedule()

    def _schedule(self) -> None:
        loop = running_loop()
        if loop is not None and self._handle is None:
            self._handle = loop.call_later(TICK, self.tick)

    def _cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


def _fresh_cluster(cluster):
    try:
        from labsim import course

        fresh = course.restart(cluster)
    except (ImportError, AttributeError):
        fresh = None
    if fresh is not None:
        return fresh
    from labsim.cluster import Cluster

    return Cluster(seed=cluster.seed, nodes=list(cluster.node_specs), name=cluster.name)


_drivers: dict[int, LiveClock] = {}


def driver_for(cluster, create: bool = True) -> LiveClock | None:
    """The one live clock of ``cluster`` (created on first use)."""
    d = _drivers.get(id(cluster))
    if d is not None and d.cluster is cluster:
        return d
    if not create:
        return None
    d = _drivers[id(cluster)] = LiveClock(cluster)
    return d


# -- hooks for the magics --------------------------------------------------------------------------

def before_command(cluster) -> None:
    """A command is about to run: apply it at the current simulated time of a playing clock."""
    d = driver_for(cluster, create=False)
    if d is not None:
        d.catch_up()


def after_command(cluster) -> None:
    """A command ran: the driver continues from the clock's present; views show the result."""
    d = driver_for(cluster, create=False)
    if d is not None:
        d.external_change()
    flush(cluster, final=True)


def sleep(cluster, seconds: float, emit: Callable[[str], None]) -> None:
    """``%sleep``: pass ``seconds`` of simulated time. With open views in a live kernel the views
    animate it in at most :data:`SLEEP_ANIMATION_MAX` wall seconds (frames at <= 10 Hz, each view
    rendering at most 10 times a second); otherwise at once. The end state is the same either way."""
    before_command(cluster)
    start = cluster.clock.now
    end = start + seconds
    views = open_views(cluster)
    if views and seconds > 0 and live_kernel():
        wall = min(SLEEP_ANIMATION_MAX, max(0.3, seconds / 20))
        frames = max(1, int(wall / MIN_INTERVAL))
        for i in range(1, frames + 1):
            t0 = monotonic()
            emit(advance_to(cluster, end if i == frames else start + seconds * i / frames))
            flush(cluster)
            rest = MIN_INTERVAL - (monotonic() - t0)
            if rest > 0 and i < frames:
                time.sleep(rest)
    else:
        emit(advance_to(cluster, end))
    after_command(cluster)
