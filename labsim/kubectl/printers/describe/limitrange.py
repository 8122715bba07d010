"""``kubectl describe limitrange`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeLimitRange``, ``describeLimitRangeSpec`` shared with the namespace describer). No
labels, annotations or events."""
from __future__ import annotations

from labsim.kubectl.printers.describe.layout import LEVEL_0, tabbed_string
from labsim.kubectl.printers.describe.namespace import describe_limit_range_spec


def describe(api, lr: dict, now: float, show_events: bool = True) -> str:
    md = lr.get("metadata") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        w.write(LEVEL_0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
        w.write(LEVEL_0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
        describe_limit_range_spec(lr.get("spec") or {}, "", w)

    return tabbed_string(body)
