"""Live views of the simulated cluster for Jupyter (ipywidgets 8, HTML/SVG rendered in the kernel).

    from labsim.course import view
    view.cluster()                      # ClusterView: nodes as columns, pods as chips
    view.cluster(group="node")
    view.rollout("deploy/web")          # RolloutView: each ReplicaSet's desired/ready over time
    view.events("pod/web-1")            # EventLog: kubectl get events rows, filtered by object
    view.chart("deploy/web")            # replicas/ready/available/updated over simulated time
    view.chart()                        # pods and ready pods of the namespace
    view.service("svc/web")             # ServiceView: Service -> EndpointSlices -> pods, ports, Ingress
    view.clock()                        # the toolbar alone (play, pause, step, speed, reset)

Each call returns the widget (Jupyter shows it as the cell's last value), bound to the current
cluster (:func:`labsim.magics.current_cluster`). Views are read-only: learners act through
``%kubectl``. Layout: :mod:`model` (pure view models, tested without ipywidgets), :mod:`render`
(HTML/SVG), :mod:`views` and :mod:`toolbar` (widgets), :mod:`live` (the live clock and the 10 Hz
render pacing; the only module reading wall time).

DOM hooks (stable; the browser tests rely on them)
--------------------------------------------------
Views (inside each view's ``.widget-html-content``; attribute values in single quotes):

- ``.kl-cluster-view`` root: ``data-time`` (simulated seconds, e.g. ``90`` or ``90.5``),
  ``data-pods`` (chip count, including chips a summary left out), ``data-group`` (``owner``|``node``),
  ``data-namespace``, ``data-detail`` (``full`` | ``compact``: no labels/tooltips | ``summary``: first
  chips per column and ``.kl-more[data-count]``), ``data-past`` (``1`` when the slider shows the past).
- ``.kl-node[data-node=NAME]``: one column per node, in node order (``data-ready``: the node's Ready
  condition). Unscheduled pods are in ``.kl-pending-column[data-node='']`` (not a ``.kl-node``).
- ``.kl-pod-chip``: one per pod, ``data-pod`` (name), ``data-state`` (one of ``Pending``,
  ``ContainerCreating``, ``Running``, ``Ready``, ``Terminating``, ``CrashLoopBackOff``, ``Completed``,
  ``Failed``; mapping from kubectl's STATUS in :mod:`labsim.widgets.model`), ``data-node`` (``''`` when
  unscheduled), class ``kl-s-<state>``; in full detail also ``data-status`` (kubectl's STATUS text),
  ``data-restarts``, ``data-owner`` (``ReplicaSet/web-7d4b9c8f6d``) and ``title`` (conditions tooltip).
  Owner groups: ``.kl-owner[data-owner='Deployment/web']``.
- ``.kl-rollout-view[data-deployment][data-time]``; rows ``tr.kl-rs[data-rs][data-revision]
  [data-desired][data-ready][data-available]``; ``.kl-bounds[data-replicas][data-ceiling][data-floor]``;
  ``ol.kl-scaling-events > li``; ``.kl-progressing[data-status][data-reason]``; SVG polylines
  ``[data-rs][data-series=desired|ready]``.
- ``.kl-events-view[data-count][data-object]``; rows ``tr.kl-event[data-type][data-reason][data-object]``.
- ``.kl-chart``; series ``polyline[data-series]`` and ``.kl-series[data-series][data-last]``;
  ``.kl-gap`` says which series the simulator does not record yet.
- ``.kl-routing-view[data-service][data-reachable]``; ``li.kl-endpoint[data-pod][data-state=ready|
  not-ready|terminating][data-address][data-node]``; ``tr.kl-port[data-port][data-target-port]``;
  ``li.kl-route[data-ingress][data-host][data-path]``.

Controls (standard ipywidgets 8 DOM; ipywidgets sets no ``aria-label`` attribute, see
:mod:`labsim.widgets.toolbar`):

- toolbar ``.kl-toolbar``: ``button.kl-btn-play`` / ``kl-btn-pause`` / ``kl-btn-step`` /
  ``kl-btn-reset`` with text and ``title`` ``Play`` / ``Pause`` / ``Step`` / ``Reset`` (accessible
  names; ``page.get_by_role("button", name="Play")``); the disabled one of Play/Pause shows the state.
  Speed: ``.kl-speed select`` labelled ``Speed`` (options ``x1``, ``x10``, ``x60``).
  ``.kl-clock[data-running=0|1][data-speed]`` shows the driver's state.
- time slider ``.kl-time-slider``: label ``Simulated time``; ``[role=slider]`` handle with
  ``aria-valuenow`` (simulated seconds). At its right end the view is live.
"""
from __future__ import annotations

__all__ = ["view", "ViewHelpers"]


def _target(cluster, spec: str, default_kind: str) -> tuple[str, str]:
    """``"deploy/web"`` / ``"deployment.apps/web"`` / ``"web"`` -> ``(Kind, name)``."""
    from labsim.errors import StatusError

    kind_part, sep, name = spec.partition("/")
    if not sep:
        kind_part, name = default_kind, spec
    try:
        rt = cluster.registry.resolve(kind_part)
    except (KeyError, ValueError, StatusError) as e:
        raise ValueError(f"unknown resource type {kind_part!r} in {spec!r}") from e
    if rt is None:
        raise ValueError(f"unknown resource type {kind_part!r} in {spec!r}")
    if not name:
        raise ValueError(f"no name in {spec!r}: use TYPE/NAME, like {default_kind}/web")
    return rt.kind, name


class ViewHelpers:
    """The ``view`` namespace of the course toolkit (course outline A.3)."""

    @staticmethod
    def _cluster(cluster):
        if cluster is not None:
            return cluster
        from labsim import magics

        return magics.current_cluster()

    @staticmethod
    def _ns(cluster, namespace):
        return namespace if namespace is not None else cluster.kubeconfig.namespace

    def cluster(self, group: str = "owner", namespace: str | None = None, all_namespaces: bool = False,
                controls: bool = True, cluster=None):
        """ClusterView: nodes as columns, pod chips coloured by status, grouped by owner or node."""
        from labsim.widgets.views import ClusterView

        c = self._cluster(cluster)
        return ClusterView(c, group, None if all_namespaces else self._ns(c, namespace), controls)

    def rollout(self, target: str, namespace: str | None = None, controls: bool = True, cluster=None):
        """RolloutView of ``deploy/NAME``."""
        from labsim.widgets.views import RolloutView

        c = self._cluster(cluster)
        kind, name = _target(c, target, "deployment")
        if kind != "Deployment":
            raise ValueError(f"view.rollout shows a Deployment (deploy/NAME), not a {kind}")
        return RolloutView(c, self._ns(c, namespace), name, controls)

    def events(self, target: str | None = None, namespace: str | None = None, reason: str | None = None,
               all_namespaces: bool = False, controls: bool = True, cluster=None):
        """EventLog: ``kubectl get events`` rows, about ``target`` (``pod/x``) if given."""
        from labsim.widgets.views import EventsView

        c = self._cluster(cluster)
        involved = _target(c, target, "pod") if target else None
        return EventsView(c, None if all_namespaces else self._ns(c, namespace), involved, reason, controls)

    def chart(self, target: str | None = None, metrics=None, namespace: str | None = None,
              controls: bool = True, cluster=None):
        """Series over simulated time: ``deploy/NAME`` (replicas, ready, available, updated) or the
        namespace's pods and ready pods. ``metrics=("cpu",)`` / ``("requests",)`` are hooks the
        simulator does not feed yet (the chart says so)."""
        from labsim.widgets.views import ChartView

        c = self._cluster(cluster)
        deployment = None
        if target:
            kind, deployment = _target(c, target, "deployment")
            if kind != "Deployment":
                raise ValueError(f"view.chart plots a Deployment (deploy/NAME) or a namespace, not a {kind}")
        return ChartView(c, self._ns(c, namespace), deployment, metrics, controls)

    def service(self, target: str, namespace: str | None = None, controls: bool = True, cluster=None):
        """ServiceView: Service -> EndpointSlices -> pods, the port mapping, Ingress rules to it."""
        from labsim.widgets.views import ServiceView

        c = self._cluster(cluster)
        kind, name = _target(c, target, "service")
        if kind != "Service":
            raise ValueError(f"view.service shows a Service (svc/NAME), not a {kind}")
        return ServiceView(c, self._ns(c, namespace), name, controls)

    def clock(self, cluster=None):
        """The toolbar alone: play, pause, step, speed, reset of the current cluster's live clock."""
        from labsim.widgets import live
        from labsim.widgets.toolbar import Toolbar

        return Toolbar(live.driver_for(self._cluster(cluster)))

    def close_all(self) -> None:
        """Close every open view (their watches stop)."""
        from labsim.widgets import live

        for v in list(live.open_views()):
            v.close()


view = ViewHelpers()
