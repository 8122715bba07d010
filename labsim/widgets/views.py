"""The views as ipywidgets: a VBox of [toolbar, time slider] (``controls=True``) and one ``HTML`` whose
value is the rendered model.

A view lists and watches only the resources it draws (an informer's list + watch: the handler
updates its cache and trackers and marks it dirty; it never renders). :mod:`labsim.widgets.live`
renders dirty views at most 10 times per wall second and at the end of every command, in one
``hold_sync`` block per widget, and a value is sent only when it changed. ``close()`` stops the
watches and observers it started.
"""
from __future__ import annotations

import bisect

import ipywidgets as widgets

from labsim.api.store import DELETED
from labsim.widgets import live, model, render
from labsim.widgets.toolbar import TimeSlider, Toolbar

#: wall seconds between two moves of the slider's right end while live (the slider is for the past)
SLIDER_INTERVAL = 1.0


class StoreHistory:
    """The slider's interface over the store's own history, for a cluster without
    ``labsim.timetravel``'s index: ``objects_at(t)`` (the objects as they were at simulated time t),
    ``times()`` (the instants something changed) and ``start``."""

    def __init__(self, store):
        self.store = store

    @property
    def start(self) -> float:
        return 0.0

    def times(self) -> list[float]:
        out: list[float] = []
        for ev in self.store.history:
            if not out or ev.time != out[-1]:
                out.append(ev.time)
        return out

    def objects_at(self, t: float, resources=None) -> dict:
        hist = self.store.history
        i = bisect.bisect_right(hist, t, key=lambda ev: ev.time)
        state = self.store.state_at(hist[i - 1].resource_version) if i else {}
        return state if resources is None else {gr: state.get(gr, {}) for gr in resources}


def history_for(cluster):
    """``cluster.history`` (:class:`labsim.timetravel.History`: checkpoints make ``objects_at`` cheap)
    when the cluster has it, else :class:`StoreHistory`."""
    h = getattr(cluster, "history", None)
    if h is not None and hasattr(h, "objects_at"):
        return h
    return StoreHistory(cluster.store)


class View(widgets.VBox):
    """Base of the views: subclasses set ``resources`` and implement ``draw(objects, now, past)``."""

    resources: tuple[str, ...] = ()

    def __init__(self, cluster, controls: bool = True):
        self.html = widgets.HTML(_dom_classes=("kl-html",))
        self.pace = live.Pace()
        self.dirty = True
        self.past: float | None = None
        self.drawn_time: float | None = None
        self._stops: list = []
        self._slider_wall = -1e9
        self._slider_timer = None  # a trailing move of the slider's right end, on the kernel's loop
        self.renders = 0
        self.cluster = None
        self._bind(cluster)
        self.driver = live.driver_for(cluster)
        self.toolbar = Toolbar(self.driver) if controls else None
        self.slider = TimeSlider(self._on_slider, self._start_time(), cluster.clock.now) if controls else None
        kids = [w for w in (self.toolbar, self.slider) if w is not None] + [self.html]
        super().__init__(children=kids, _dom_classes=("kl-view-box",))
        live.register(self)
        self.pace.last = live.monotonic()
        self.render()

    # -- watches ------------------------------------------------------------------------------
    def _bind(self, cluster) -> None:
        self.cluster = cluster
        self.cache = model.ObjectCache(self.resources)
        self.cache.fill(cluster.store, cluster.registry)
        self.history = history_for(cluster)
        self.setup()
        for gr in self.resources:
            rt = next(r for r in cluster.registry.resources if r.group_resource == gr)
            self._stops.append(cluster.store.watch(self._on_event, rt))

    def _unbind(self) -> None:
        for stop in self._stops:
            stop()
        self._stops.clear()

    def rebind(self, cluster) -> None:
        """Follow a new cluster (the toolbar's Reset)."""
        self._unbind()
        self.past = None
        self._bind(cluster)
        self.dirty = True

    def setup(self) -> None:
        """Subclasses: build trackers (fed the history so far)."""

    def feed(self, ev) -> bool:
        """Subclasses: take one change into trackers; True when it changes the drawing."""
        return True

    def _on_event(self, ev) -> None:
        self.cache.feed(ev)
        if self.feed(ev) and self.past is None:
            self.dirty = True

    def _start_time(self) -> float:
        return float(getattr(self.history, "start", 0.0))

    # -- rendering ----------------------------------------------------------------------------
    def render(self) -> None:
        """Draw now (live.flush calls this at most 10 times a second)."""
        self.dirty = False
        now = self.drawn_time = self.cluster.clock.now
        if self.past is None:
            html = self.draw(self.cache.objects, now, False)
        else:
            html = self.draw(self.history.objects_at(self.past, self.resources), self.past, True)
        if html != self.html.value:
            with self.html.hold_sync():
                self.html.value = html
            self.renders += 1
        if self.slider is not None:
            self._follow_clock()

    def _follow_clock(self) -> None:
        """Move the slider's right end to the clock at most once per SLIDER_INTERVAL; a move that
        comes too soon is made later on the kernel's loop (a trailing move), so after quick Steps the
        right end still reaches the clock and dragging to the end shows now, not the past."""
        now = self.cluster.clock.now
        if abs(self.slider.max - now) < 0.5 and self.slider.min == self._start_time():
            return
        wall = live.monotonic()
        wait = SLIDER_INTERVAL - (wall - self._slider_wall)
        if wait <= 0 or self.past is not None:
            self._slider_wall = wall
            self.slider.follow(now)
        elif self._slider_timer is None:
            loop = live.running_loop()
            if loop is not None:
                self._slider_timer = loop.call_later(wait, self._trailing_follow)

    def _trailing_follow(self) -> None:
        self._slider_timer = None
        if not getattr(self, "_closed", False) and self.slider is not None:
            self._follow_clock()

    def draw(self, objects: dict, now: float, past: bool) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _on_slider(self, t: float | None) -> None:
        self.past = t
        # the time the learner is looking at: `%kubectl` answers from there too (labsim.magics)
        self.cluster.viewing_time = t
        self.dirty = True
        live.flush(self.cluster, final=True)

    def show_past(self, t: float | None) -> None:
        """Show the cluster as it was at simulated time ``t`` (None: live again)."""
        if self.slider is not None:
            self.slider._syncing = True
            try:
                self.slider.value = self.slider.max if t is None else max(self.slider.min, min(t, self.slider.max))
            finally:
                self.slider._syncing = False
        self._on_slider(t)

    def close(self) -> None:
        if getattr(self, "_closed", False):
            return
        self._closed = True
        if self.past is not None and getattr(self.cluster, "viewing_time", None) == self.past:
            self.cluster.viewing_time = None  # a closed slider no longer holds kubectl in the past
        if self._slider_timer is not None:
            self._slider_timer.cancel()
            self._slider_timer = None
        live.unregister(self)
        self._unbind()
        for w in (self.toolbar, self.slider, self.html):
            if w is not None:
                w.close()
        super().close()


class ClusterView(View):
    """Nodes as columns, pods as chips coloured by status (see :mod:`labsim.widgets.model`)."""

    resources = (model.NODES, model.PODS, model.RS)

    def __init__(self, cluster, group: str = "owner", namespace: str | None = "default", controls: bool = True):
        if group not in ("owner", "node"):
            raise ValueError(f'group must be "owner" or "node", not {group!r}')
        self.group, self.namespace = group, namespace
        super().__init__(cluster, controls)

    def feed(self, ev) -> bool:
        return ev.resource.group_resource != model.RS or ev.type == DELETED or ev.old is None

    def model(self, objects=None, now=None) -> model.ClusterModel:
        objects = self.cache.objects if objects is None else objects
        now = self.cluster.clock.now if now is None else now
        return model.cluster_model(objects, now, self.group, self.namespace,
                                   [s.name for s in self.cluster.node_specs])

    def draw(self, objects, now, past) -> str:
        return render.render_cluster(self.model(objects, now), past)


class RolloutView(View):
    """Each ReplicaSet of a Deployment: desired/ready over time, bounds, ScalingReplicaSet events."""

    resources = (model.DEPLOY, model.RS, model.EVENTS)

    def __init__(self, cluster, namespace: str, name: str, controls: bool = True):
        self.namespace, self.name = namespace, name
        super().__init__(cluster, controls)

    def setup(self) -> None:
        self.tracker = model.RolloutTracker(self.namespace, self.name)
        for ev in self.cluster.store.history:
            self.tracker.feed(ev)

    def feed(self, ev) -> bool:
        return self.tracker.feed(ev)

    def model(self, now=None) -> model.RolloutModel:
        return self.tracker.model(self.cluster.clock.now if now is None else now)

    def draw(self, objects, now, past) -> str:
        return render.render_rollout(self.tracker.model(now), past)


class EventsView(View):
    """``kubectl get events`` rows, newest last, optionally about one object or one reason."""

    resources = (model.EVENTS,)

    def __init__(self, cluster, namespace: str | None, involved: tuple[str, str] | None = None,
                 reason: str | None = None, controls: bool = True):
        self.namespace, self.involved, self.reason = namespace, involved, reason
        super().__init__(cluster, controls)

    def feed(self, ev) -> bool:
        inv = ev.object.get("involvedObject") or {}
        return self.involved is None or (inv.get("kind"), inv.get("name")) == self.involved

    def model(self, objects=None, now=None) -> model.EventsModel:
        return model.events_model(self.cache.objects if objects is None else objects,
                                  self.cluster.clock.now if now is None else now, self.namespace,
                                  self.involved, self.reason)

    def draw(self, objects, now, past) -> str:
        return render.render_events(self.model(objects, now), past)


class ChartView(View):
    """Step series over simulated time: a Deployment's replicas/ready/available/updated, or a
    namespace's pods and ready pods."""

    resources = (model.DEPLOY, model.PODS)

    def __init__(self, cluster, namespace: str | None, deployment: str | None = None, metrics=None,
                 controls: bool = True):
        self.namespace, self.deployment, self.metrics = namespace, deployment, metrics
        self.title = f"deployment/{deployment}" if deployment else f"pods in {namespace or 'all namespaces'}"
        super().__init__(cluster, controls)

    def setup(self) -> None:
        self.tracker = model.ChartTracker(self.namespace, self.deployment, self.metrics)
        for ev in self.cluster.store.history:
            self.tracker.feed(ev)

    def feed(self, ev) -> bool:
        return self.tracker.feed(ev)

    def model(self, now=None) -> model.ChartModel:
        return self.tracker.model(self.cluster.clock.now if now is None else now, self.title)

    def draw(self, objects, now, past) -> str:
        return render.render_chart(self.tracker.model(now, self.title), past)


class ServiceView(View):
    """Service -> EndpointSlices -> pods (ready / not-ready / terminating), ports, Ingress rules."""

    resources = (model.SERVICES, model.SLICES, model.INGRESSES)

    def __init__(self, cluster, namespace: str, name: str, controls: bool = True):
        self.namespace, self.name = namespace, name
        super().__init__(cluster, controls)

    def model(self, objects=None, now=None) -> model.RoutingModel:
        return model.routing_model(self.cache.objects if objects is None else objects,
                                   self.cluster.clock.now if now is None else now, self.namespace, self.name)

    def draw(self, objects, now, past) -> str:
        return render.render_routing(self.model(objects, now), past)
