"""HTML/SVG for the view models, rendered in the kernel and shown by ``ipywidgets.HTML`` (no custom
JavaScript: JupyterLab shows it without any extension). DOM hooks are listed in
:mod:`labsim.widgets`.

Attributes use single quotes: the value travels as a JSON string, where ``"`` would cost two bytes.
Every renderer keeps its output under a byte budget (:data:`BUDGET`, below the 64 KB per message
of style rule 10): the cluster view drops tooltips and labels first (``data-detail='compact'``),
then shows the first chips of each column and a ``+N more`` count (``data-detail='summary'``).
"""
from __future__ import annotations

from html import escape

from labsim.widgets.model import (CHIP_STATES, ChartModel, ClusterModel, EventsModel, PodChip, RolloutModel,
                                  RoutingModel)

#: bytes of HTML per message (the comm message adds its JSON envelope, well under 2 KB)
BUDGET = 60_000

_COLORS = {"Pending": "#d9d9d9", "ContainerCreating": "#bcd7ff", "Running": "#ffe58a", "Ready": "#7fd48a",
           "Terminating": "repeating-linear-gradient(135deg,#c9c9c9 0 3px,#f4f4f4 3px 6px)",
           "CrashLoopBackOff": "#f28b82", "Completed": "#a9b8c2", "Failed": "#d93025"}

CSS = ("<style>"
       ".kl-view{font:12px/1.35 var(--jp-code-font-family,monospace);color:var(--jp-ui-font-color1,#222)}"
       ".kl-head{margin:2px 0 4px}.kl-past{background:#fff4d6;color:#5a4500;padding:1px 4px;border-radius:3px}"
       ".kl-cols{display:flex;gap:6px;align-items:flex-start;flex-wrap:wrap}"
       ".kl-node,.kl-pending-column{border:1px solid #aab;border-radius:4px;padding:3px;min-width:110px;"
       "max-width:460px}.kl-pending-column{border-style:dashed}.kl-col-title{font-weight:bold;display:block}"
       ".kl-owner-title{font-size:10px;opacity:.8;display:block}"
       ".kl-pod-chip{display:inline-block;min-width:12px;height:15px;margin:1px;padding:0 3px;"
       "border-radius:3px;font-size:10px;line-height:15px;color:#111;vertical-align:top}"
       ".kl-pod-chip b{color:#a00;font-weight:bold}"
       + "".join(f".kl-s-{s}{{background:{c}}}" for s, c in _COLORS.items()) +
       ".kl-s-Failed{color:#fff}.kl-legend{font-size:10px}.kl-legend i{display:inline-block;width:10px;"
       "height:10px;margin:0 2px 0 8px;vertical-align:middle}"
       ".kl-view table{border-collapse:collapse}.kl-view td,.kl-view th{padding:0 8px 0 0;text-align:left;"
       "white-space:pre}.kl-ep-ready{color:#137333}.kl-ep-not-ready{color:#b06000}"
       ".kl-ep-terminating{color:#777;text-decoration:line-through}"
       "</style>")


def fmt_time(t: float) -> str:
    """Simulated seconds as the ``data-time`` attribute: no float noise (``90``, ``90.5``)."""
    s = f"{t:.3f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def _a(s) -> str:
    return escape(str(s), quote=True)


def _head(now: float, past: bool, text: str) -> str:
    badge = f" <span class='kl-past'>the past: t={fmt_time(now)}s</span>" if past else ""
    return f"<div class='kl-head'>t={fmt_time(now)}s · {text}{badge}</div>"


# -- cluster view ----------------------------------------------------------------------------------

def _chip(c: PodChip, detail: str) -> str:
    attrs = (f"class='kl-pod-chip kl-s-{c.state}' data-pod='{_a(c.name)}' data-state='{c.state}' "
             f"data-node='{_a(c.node)}'")
    if detail == "full":
        badge = f" <b>↻{c.restarts}</b>" if c.restarts else ""
        return (f"<span {attrs} data-status='{_a(c.status)}' data-restarts='{c.restarts}' "
                f"data-owner='{_a(c.owner)}' title='{_a(c.tooltip)}'>{_a(c.short_name)} {_a(c.ready)} "
                f"{_a(c.image_tag)}{badge}</span>")
    return f"<span {attrs}></span>"


def _legend(counts: dict) -> str:
    return "<div class='kl-legend'>" + "".join(
        f"<i class='kl-s-{s}'></i>{s} {counts[s]}" for s in CHIP_STATES if counts[s]) + "</div>"


def render_cluster(m: ClusterModel, past: bool = False, budget: int = BUDGET) -> str:
    counts = m.counts()
    total = sum(counts.values())
    ns = "all namespaces" if m.namespace is None else f"namespace {m.namespace}"
    for detail in ("full", "compact"):
        html = _cluster_html(m, past, detail, None, counts, total, ns)
        if len(html) <= budget:
            return html
    limit = max(1, (budget - 4000) // 140 // max(1, len(m.columns)))
    while True:
        html = _cluster_html(m, past, "summary", limit, counts, total, ns)
        if len(html) <= budget or limit == 1:
            return html
        limit = max(1, limit * 3 // 4)


def _cluster_html(m, past, detail, limit, counts, total, ns) -> str:
    out = [CSS, f"<div class='kl-view kl-cluster-view' data-time='{fmt_time(m.time)}' data-group='{m.group}' "
                f"data-namespace='{_a(m.namespace or '')}' data-pods='{total}' data-detail='{detail}' "
                f"data-past='{int(past)}'>",
           _head(m.time, past, f"{ns} · {total} pod{'s' if total != 1 else ''}"), _legend(counts),
           "<div class='kl-cols'>"]
    for col in m.columns:
        if col.node:
            flags = "" if col.ready_condition in ("True", "") else f" (Ready={col.ready_condition})"
            flags += " SchedulingDisabled" if col.unschedulable else ""
            out.append(f"<div class='kl-node' data-node='{_a(col.node)}' data-ready='{_a(col.ready_condition)}'>"
                       f"<span class='kl-col-title'>{_a(col.title)}{_a(flags)}</span>")
        else:
            out.append("<div class='kl-pending-column' data-node=''><span class='kl-col-title'>Pending</span>")
        shown = 0
        hidden = 0
        for g in col.groups:
            chips = g.chips
            if limit is not None:
                room = max(0, limit - shown)
                hidden += max(0, len(chips) - room)
                chips = chips[:room]
                shown += len(chips)
                if not chips:
                    continue
            out.append(f"<div class='kl-owner' data-owner='{_a(g.owner)}'>")
            if m.group == "owner":
                out.append(f"<span class='kl-owner-title'>{_a(g.owner or 'no controller')}</span>")
            out.extend(_chip(c, detail) for c in chips)
            out.append("</div>")
        if hidden:
            out.append(f"<span class='kl-more' data-count='{hidden}'>+{hidden} more</span>")
        out.append("</div>")
    out.append("</div></div>")
    return "".join(out)


# -- SVG helpers -----------------------------------------------------------------------------------

_PALETTE = ("#1a73e8", "#e8710a", "#188038", "#9334e6", "#d01884", "#12b5cb", "#7f6000", "#5f6368")
W, H, PAD = 640, 170, 28


def _scale(t0: float, t1: float, vmax: float):
    span = max(t1 - t0, 1e-9)

    def xy(t: float, v: float) -> str:
        x = PAD + (W - 2 * PAD) * (t - t0) / span
        y = H - PAD - (H - 2 * PAD) * v / max(vmax, 1)
        return f"{x:.1f},{y:.1f}"
    return xy


def _steps(points, now: float, xy, limit: int = 400) -> str:
    """A step line through (t, v) points up to ``now``; at most ``limit`` points (the last per bucket)."""
    pts = list(points)
    if len(pts) > limit:
        step = len(pts) / limit
        pts = [pts[min(len(pts) - 1, int((i + 1) * step) - 1)] for i in range(limit)]
    out = []
    prev = None
    for t, v in pts:
        if prev is not None:
            out.append(xy(t, prev))
        out.append(xy(t, v))
        prev = v
    if prev is not None:
        out.append(xy(now, prev))
    return " ".join(out)


def _axes(t0: float, t1: float, vmax: float) -> str:
    return (f"<line x1='{PAD}' y1='{H - PAD}' x2='{W - PAD}' y2='{H - PAD}' stroke='#888'/>"
            f"<line x1='{PAD}' y1='{PAD}' x2='{PAD}' y2='{H - PAD}' stroke='#888'/>"
            f"<text x='{PAD}' y='{H - 8}' font-size='10'>{fmt_time(t0)}s</text>"
            f"<text x='{W - PAD}' y='{H - 8}' font-size='10' text-anchor='end'>{fmt_time(t1)}s</text>"
            f"<text x='4' y='{PAD + 4}' font-size='10'>{vmax:g}</text>")


# -- rollout view ----------------------------------------------------------------------------------

def render_rollout(m: RolloutModel, past: bool = False) -> str:
    head = f"deployment/{m.name}" + ("" if m.exists else " (not found)")
    out = [CSS, f"<div class='kl-view kl-rollout-view' data-time='{fmt_time(m.time)}' data-deployment='{_a(m.name)}' "
                f"data-past='{int(past)}'>", _head(m.time, past, _a(head))]
    if m.bounds:
        b = m.bounds[-1]
        out.append(f"<div class='kl-bounds' data-replicas='{b.replicas}' data-ceiling='{b.ceiling}' "
                   f"data-floor='{b.floor}'>replicas {b.replicas} · ceiling (replicas+maxSurge) {b.ceiling} · "
                   f"floor (replicas-maxUnavailable) {b.floor}</div>")
    times = [p.t for r in m.replica_sets for p in r.points] + [b.t for b in m.bounds]
    if times:
        t0, t1 = min(times), max(m.time, min(times) + 1)
        vmax = max([p.desired for r in m.replica_sets for p in r.points] +
                   [p.ready for r in m.replica_sets for p in r.points] + [b.ceiling for b in m.bounds] + [1])
        xy = _scale(t0, t1, vmax)
        svg = [f"<svg class='kl-rollout-chart' width='{W}' height='{H}' role='img' "
               f"aria-label='ReplicaSet replicas over simulated time'>", _axes(t0, t1, vmax)]
        if m.bounds:
            svg.append(f"<polyline class='kl-ceiling' fill='none' stroke='#999' stroke-dasharray='2 2' "
                       f"points='{_steps([(b.t, b.ceiling) for b in m.bounds], t1, xy)}'/>")
            svg.append(f"<polyline class='kl-floor' fill='none' stroke='#999' stroke-dasharray='2 2' "
                       f"points='{_steps([(b.t, b.floor) for b in m.bounds], t1, xy)}'/>")
        for i, r in enumerate(reversed(m.replica_sets)):
            color = _PALETTE[i % len(_PALETTE)]
            end = r.points[-1].t if r.deleted else t1
            svg.append(f"<polyline data-rs='{_a(r.name)}' data-series='desired' fill='none' stroke='{color}' "
                       f"stroke-dasharray='5 3' points='{_steps([(p.t, p.desired) for p in r.points], end, xy)}'/>")
            svg.append(f"<polyline data-rs='{_a(r.name)}' data-series='ready' fill='none' stroke='{color}' "
                       f"stroke-width='2' points='{_steps([(p.t, p.ready) for p in r.points], end, xy)}'/>")
        svg.append("</svg>")
        out.extend(svg)
    out.append("<table><tr><th>REPLICASET</th><th>REVISION</th><th>DESIRED</th><th>READY</th>"
               "<th>AVAILABLE</th></tr>")
    for i, r in enumerate(m.replica_sets):
        p = r.current
        color = _PALETTE[(len(m.replica_sets) - 1 - i) % len(_PALETTE)]
        out.append(f"<tr class='kl-rs' data-rs='{_a(r.name)}' data-revision='{_a(r.revision)}' "
                   f"data-desired='{p.desired}' data-ready='{p.ready}' data-available='{p.available}'>"
                   f"<td style='color:{color}'>{_a(r.name)}{' (deleted)' if r.deleted else ''}</td>"
                   f"<td>{_a(r.revision)}</td><td>{p.desired}</td><td>{p.ready}</td><td>{p.available}</td></tr>")
    out.append("</table>")
    if m.progressing:
        t, status, reason = m.progressing[-1]
        out.append(f"<div class='kl-progressing' data-status='{_a(status)}' data-reason='{_a(reason)}'>"
                   f"Progressing={_a(status)} ({_a(reason)})</div>")
    events = m.events[-40:]
    out.append(f"<ol class='kl-scaling-events' data-count='{len(m.events)}'>")
    out.extend(f"<li data-t='{fmt_time(e.t)}'>t={fmt_time(e.t)}s ScalingReplicaSet {_a(e.message)}"
               f"{f' (x{e.count})' if e.count > 1 else ''}</li>" for e in events)
    out.append("</ol></div>")
    return "".join(out)


# -- events view -----------------------------------------------------------------------------------

def render_events(m: EventsModel, past: bool = False, max_rows: int = 150) -> str:
    rows = m.rows[-max_rows:]
    what = f"events of {m.object}" if m.object else "events"
    out = [CSS, f"<div class='kl-view kl-events-view' data-time='{fmt_time(m.time)}' data-object='{_a(m.object or '')}' "
                f"data-count='{len(m.rows)}' data-past='{int(past)}'>",
           _head(m.time, past, f"{_a(what)} · {len(m.rows)}")]
    if len(m.rows) > len(rows):
        out.append(f"<div class='kl-more' data-count='{len(m.rows) - len(rows)}'>"
                   f"{len(m.rows) - len(rows)} earlier events not shown</div>")
    out.append("<table><tr><th>LAST SEEN</th><th>TYPE</th><th>REASON</th><th>OBJECT</th><th>MESSAGE</th></tr>")
    for r in rows:
        count = f" (x{r.count})" if r.count > 1 else ""
        out.append(f"<tr class='kl-event' data-type='{_a(r.type)}' data-reason='{_a(r.reason)}' "
                   f"data-object='{_a(r.object)}'><td>{_a(r.last_seen)}</td><td>{_a(r.type)}</td>"
                   f"<td>{_a(r.reason)}</td><td>{_a(r.object)}</td><td>{_a(r.message)}{count}</td></tr>")
    out.append("</table></div>")
    return "".join(out)


# -- charts ----------------------------------------------------------------------------------------

def render_chart(m: ChartModel, past: bool = False) -> str:
    out = [CSS, f"<div class='kl-view kl-chart' data-time='{fmt_time(m.time)}' data-past='{int(past)}'>",
           _head(m.time, past, _a(m.title))]
    times = [p[0] for s in m.series for p in s.points]
    if times:
        t0, t1 = min(times), max(m.time, min(times) + 1)
        vmax = max([p[1] for s in m.series for p in s.points] + [1])
        xy = _scale(t0, t1, vmax)
        out.append(f"<svg width='{W}' height='{H}' role='img' aria-label='{_a(m.title)} over simulated time'>")
        out.append(_axes(t0, t1, vmax))
        for i, s in enumerate(m.series):
            out.append(f"<polyline data-series='{_a(s.name)}' fill='none' stroke='{_PALETTE[i % len(_PALETTE)]}' "
                       f"stroke-width='2' points='{_steps(s.points, t1, xy)}'/>")
        out.append("</svg>")
    out.append("<div class='kl-legend'>")
    for i, s in enumerate(m.series):
        last = s.points[-1][1] if s.points else 0
        out.append(f"<span class='kl-series' data-series='{_a(s.name)}' data-last='{last:g}'>"
                   f"<i style='background:{_PALETTE[i % len(_PALETTE)]}'></i>{_a(s.name)} {last:g}</span>")
    out.append("</div>")
    for g in m.gaps:
        out.append(f"<div class='kl-gap'>{_a(g)}</div>")
    out.append("</div>")
    return "".join(out)


# -- routing view ----------------------------------------------------------------------------------

def render_routing(m: RoutingModel, past: bool = False) -> str:
    out = [CSS, f"<div class='kl-view kl-routing-view' data-time='{fmt_time(m.time)}' data-service='{_a(m.name)}' "
                f"data-reachable='{len(m.reachable)}' data-past='{int(past)}'>"]
    if not m.exists:
        out.append(_head(m.time, past, f"service/{_a(m.name)} (not found)") + "</div>")
        return "".join(out)
    sel = ",".join(f"{k}={v}" for k, v in m.selector.items()) or "<none>"
    out.append(_head(m.time, past, f"service/{_a(m.name)} · {_a(m.type)} {_a(m.cluster_ip)} · selector "
                                   f"{_a(sel)} · {len(m.reachable)} of {len(m.endpoints)} endpoints reachable"))
    out.append("<table class='kl-ports'><tr><th>PORT</th><th>TARGET PORT</th><th>NODE PORT</th></tr>")
    for p in m.ports:
        name = f"{p.name} " if p.name else ""
        out.append(f"<tr class='kl-port' data-port='{p.port}' data-target-port='{_a(p.target_port)}'>"
                   f"<td>{_a(name)}{p.port}/{_a(p.protocol)}</td><td>→ {_a(p.target_port)}</td>"
                   f"<td>{p.node_port if p.node_port else ''}</td></tr>")
    out.append("</table><ul class='kl-endpoints'>")
    for e in m.endpoints[:300]:
        ports = ",".join(f"{n + ':' if n else ''}{p}" for n, p in e.ports)
        out.append(f"<li class='kl-endpoint kl-ep-{e.state}' data-pod='{_a(e.pod)}' data-state='{e.state}' "
                   f"data-address='{_a(e.address)}' data-node='{_a(e.node)}'>{_a(e.address)}:{_a(ports)} → "
                   f"pod/{_a(e.pod or '-')} on {_a(e.node or '-')} · {e.state} · slice {_a(e.slice)}</li>")
    if len(m.endpoints) > 300:
        out.append(f"<li class='kl-more' data-count='{len(m.endpoints) - 300}'>+{len(m.endpoints) - 300} more</li>")
    out.append("</ul>")
    if m.routes:
        out.append("<ul class='kl-routes'>")
        out.extend(f"<li class='kl-route' data-ingress='{_a(r.ingress)}' data-host='{_a(r.host)}' "
                   f"data-path='{_a(r.path)}'>ingress/{_a(r.ingress)}: {_a(r.host)}{_a(r.path)} "
                   f"({_a(r.path_type)}) → :{_a(r.port)}</li>" for r in m.routes)
        out.append("</ul>")
    out.append("</div>")
    return "".join(out)
