"""``kubectl describe hpa`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeHorizontalPodAutoscalerV2``, ``printDirectionBehavior``).

kubectl reads the autoscaling/v2 object (the stored version here), so v1-created HPAs show their
converted metrics. Current values are matched to the spec's metrics **by index**
(``status.currentMetrics[i]``), as kubectl does.
"""
from __future__ import annotations

from labsim.kubectl.printers.describe import qty as _qty
from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, print_annotations_multiline, print_labels_multiline, tabbed_string,
    time_rfc1123z,
)


def go_quote(s: str) -> str:
    """``%q`` of a Kubernetes name (printable ASCII): backslash and double quote escaped."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quantity_string(raw) -> str:
    """``(*resource.Quantity).String()``: canonical text, ``<nil>`` for a nil pointer."""
    if raw is None:
        return "<nil>"
    return _qty.canonical(raw)


def describe(api, hpa: dict, now: float, show_events: bool = True) -> str:
    events = events_for(api, hpa) if show_events else None
    return describe_hpa(hpa, events, now)


def _current(status: dict, i: int, source: str) -> dict | None:
    """``len(hpa.Status.CurrentMetrics) > i && hpa.Status.CurrentMetrics[i].<Source> != nil``."""
    current = status.get("currentMetrics") or []
    if len(current) > i and current[i].get(source) is not None:
        return current[i][source]
    return None


def _write_metric(w, i: int, metric: dict, status: dict) -> None:
    mtype = metric.get("type", "")
    if mtype == "External":
        ext = metric.get("external") or {}
        target = ext.get("target") or {}
        name = go_quote((ext.get("metric") or {}).get("name", ""))
        cur = _current(status, i, "external")
        if target.get("averageValue") is not None:
            current = "<unknown>"
            if cur is not None and (cur.get("current") or {}).get("averageValue") is not None:
                current = quantity_string(cur["current"]["averageValue"])
            w.write(LEVEL_1, "%s (target average value):\t%s / %s\n", name, current,
                    quantity_string(target["averageValue"]))
        else:
            current = "<unknown>"
            if cur is not None:
                current = quantity_string((cur.get("current") or {}).get("value"))
            w.write(LEVEL_1, "%s (target value):\t%s / %s\n", name, current, quantity_string(target.get("value")))
    elif mtype == "Pods":
        pods = metric.get("pods") or {}
        current = "<unknown>"
        cur = _current(status, i, "pods")
        if cur is not None:
            current = quantity_string((cur.get("current") or {}).get("averageValue"))
        w.write(LEVEL_1, "%s on pods:\t%s / %s\n", go_quote((pods.get("metric") or {}).get("name", "")), current,
                quantity_string((pods.get("target") or {}).get("averageValue")))
    elif mtype == "Object":
        obj = metric.get("object") or {}
        target = obj.get("target") or {}
        described = obj.get("describedObject") or {}
        w.write(LEVEL_1, '"%s" on %s/%s ', (obj.get("metric") or {}).get("name", ""), described.get("kind", ""),
                described.get("name", ""))
        cur = _current(status, i, "object")
        current = "<unknown>"
        if target.get("type") == "AverageValue":
            if cur is not None:
                current = quantity_string((cur.get("current") or {}).get("averageValue"))
            w.write(LEVEL_0, "(target average value):\t%s / %s\n", current, quantity_string(target.get("averageValue")))
        else:
            if cur is not None:
                current = quantity_string((cur.get("current") or {}).get("value"))
            w.write(LEVEL_0, "(target value):\t%s / %s\n", current, quantity_string(target.get("value")))
    elif mtype in ("Resource", "ContainerResource"):
        key = "resource" if mtype == "Resource" else "containerResource"
        res = metric.get(key) or {}
        target = res.get("target") or {}
        if mtype == "Resource":
            w.write(LEVEL_1, "resource %s on pods", res.get("name", ""))
        else:
            w.write(LEVEL_1, 'resource %s of container "%s" on pods', res.get("name", ""), res.get("container", ""))
        cur = _current(status, i, key)
        current = "<unknown>"
        if target.get("averageValue") is not None:
            if cur is not None:
                current = quantity_string((cur.get("current") or {}).get("averageValue"))
            w.write(LEVEL_0, ":\t%s / %s\n", current, quantity_string(target["averageValue"]))
        else:
            cur_values = (cur or {}).get("current") or {}
            if cur is not None and cur_values.get("averageUtilization") is not None:
                current = "%d%% (%s)" % (int(cur_values["averageUtilization"]),
                                         quantity_string(cur_values.get("averageValue")))
            pct = "<auto>"
            if target.get("averageUtilization") is not None:
                pct = "%d%%" % int(target["averageUtilization"])
            # the second write is at LEVEL_1 too: its two spaces are the "  (as a percentage" gap
            w.write(LEVEL_1, "(as a percentage of request):\t%s / %s\n", current, pct)
    else:
        w.write(LEVEL_1, "<unknown metric type %s>\n", go_quote(mtype))


def print_direction_behavior(w, direction: str, rules: dict | None) -> None:
    if rules is None:
        return
    w.write(LEVEL_1, "%s:\n", direction)
    if rules.get("stabilizationWindowSeconds") is not None:
        w.write(LEVEL_2, "Stabilization Window: %d seconds\n", int(rules["stabilizationWindowSeconds"]))
    if rules.get("policies"):
        # a nil selectPolicy prints MaxChangePolicySelect
        w.write(LEVEL_2, "Select Policy: %s\n", rules.get("selectPolicy") if rules.get("selectPolicy") is not None
                else "Max")
        w.write(LEVEL_2, "Policies:\n")
        for p in rules["policies"]:
            w.write(LEVEL_3, "- Type: %s\tValue: %d\tPeriod: %d seconds\n", p.get("type", ""),
                    int(p.get("value") or 0), int(p.get("periodSeconds") or 0))


def describe_hpa(hpa: dict, events: list[dict] | None, now: float) -> str:
    md = hpa.get("metadata") or {}
    spec = hpa.get("spec") or {}
    status = hpa.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "CreationTimestamp:\t%s\n", time_rfc1123z(md.get("creationTimestamp")))
        w.write(LEVEL_0, "Reference:\t%s/%s\n", ref.get("kind", ""), ref.get("name", ""))
        w.write(LEVEL_0, "Metrics:\t( current / target )\n")
        for i, metric in enumerate(spec.get("metrics") or []):
            _write_metric(w, i, metric, status)
        min_replicas = "<unset>" if spec.get("minReplicas") is None else "%d" % int(spec["minReplicas"])
        w.write(LEVEL_0, "Min replicas:\t%s\n", min_replicas)
        w.write(LEVEL_0, "Max replicas:\t%d\n", int(spec.get("maxReplicas") or 0))
        behavior = spec.get("behavior")
        if behavior is not None:
            w.write(LEVEL_0, "Behavior:\n")
            print_direction_behavior(w, "Scale Up", behavior.get("scaleUp"))
            print_direction_behavior(w, "Scale Down", behavior.get("scaleDown"))
        w.write(LEVEL_0, "%s pods:\t", ref.get("kind", ""))
        w.write(LEVEL_0, "%d current / %d desired\n", int(status.get("currentReplicas") or 0),
                int(status.get("desiredReplicas") or 0))
        if status.get("conditions"):
            w.write(LEVEL_0, "Conditions:\n")
            w.write(LEVEL_1, "Type\tStatus\tReason\tMessage\n")
            w.write(LEVEL_1, "----\t------\t------\t-------\n")
            for c in status["conditions"]:
                w.write(LEVEL_1, "%s\t%s\t%s\t%s\n", c.get("type", ""), c.get("status", ""), c.get("reason", ""),
                        c.get("message", ""))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
