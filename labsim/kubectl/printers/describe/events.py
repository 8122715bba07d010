"""The Events block of ``kubectl describe`` (kubernetes/kubectl: pkg/describe/describe.go
``DescribeEvents``, ``searchEvents``; k8s.io/kubectl/pkg/util/event ``SortableEvents``).

Events belong to an object when their ``involvedObject`` has its name and namespace, and its kind
and uid when those are part of the reference (client-go ``EventExpansion.GetFieldSelector``: the
pod describer clears the kind, so a pod's events match on name, namespace and uid only).
"""
from __future__ import annotations

from labsim.clock import parse_rfc3339
from labsim.kubectl.printers.age import human_duration
from labsim.kubectl.printers.describe.layout import LEVEL_0, LEVEL_1

_ZERO_SORT = float("-inf")


def search_events(api, *, name: str, namespace: str, kind: str | None = None,
                  uid: str | None = None) -> list[dict]:
    """List core/v1 Events with the field selector ``involvedObject.name=…,involvedObject.namespace=…
    [,involvedObject.kind=…][,involvedObject.uid=…]`` (namespace ``""`` lists every namespace's
    events whose involvedObject has no namespace, as for nodes)."""
    ev_rt = api.registry.for_kind("", "Event")
    out = []
    for ev in api.list(ev_rt, namespace or None):
        ref = ev.get("involvedObject") or {}
        if ref.get("name", "") != name or (ref.get("namespace") or "") != (namespace or ""):
            continue
        if kind and ref.get("kind", "") != kind:
            continue
        if uid and ref.get("uid", "") != uid:
            continue
        out.append(ev)
    return out


def events_for(api, obj: dict, *, with_kind: bool = True) -> list[dict]:
    """``searchEvents(client, obj)``: the events of a stored object."""
    md = obj.get("metadata") or {}
    return search_events(api, name=md.get("name", ""), namespace=md.get("namespace", "") or "",
                         kind=obj.get("kind") if with_kind else None, uid=md.get("uid") or None)


def _time(ts) -> float:
    if not ts:
        return _ZERO_SORT
    return parse_rfc3339(ts)


def _since(ts, now: float) -> str:
    """``translateTimestampSince`` / ``translateMicroTimestampSince``."""
    if not ts:
        return "<unknown>"
    return human_duration(now - parse_rfc3339(ts))


def event_age(ev: dict, now: float) -> str:
    """``10s (x3 over 40s)`` rules: series first, then count > 1, else the first-seen age."""
    first = _since(ev.get("eventTime"), now) if ev.get("eventTime") else _since(ev.get("firstTimestamp"), now)
    series = ev.get("series")
    if series:
        return f"{_since(series.get('lastObservedTime'), now)} (x{int(series.get('count') or 0)} over {first})"
    count = int(ev.get("count") or 0)
    if count > 1:
        return f"{_since(ev.get('lastTimestamp'), now)} (x{count} over {first})"
    return first


def describe_events(events: list[dict], w, now: float) -> None:
    """``DescribeEvents``: ``Events:\\t<none>`` or a flushed table sorted by lastTimestamp."""
    if not events:
        w.write(LEVEL_0, "Events:\t<none>\n")
        return
    w.flush()
    # SortableEvents orders by LastTimestamp; Go's sort.Sort is an insertion sort (stable) for
    # the short lists describe shows, so a stable sort reproduces it.
    ordered = sorted(events, key=lambda e: _time(e.get("lastTimestamp")))
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n")
    for e in ordered:
        source = (e.get("source") or {}).get("component") or e.get("reportingComponent") or ""
        w.write(LEVEL_1, "%s\t%s\t%s\t%s\t%s\n", e.get("type", ""), e.get("reason", ""), event_age(e, now),
                source, (e.get("message") or "").strip())
