"""``kubectl describe pdb`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describePodDisruptionBudgetV1``)."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import LEVEL_0, LEVEL_2, tabbed_string
from labsim.kubectl.printers.describe.selectors import format_label_selector


def describe(api, pdb: dict, now: float, show_events: bool = True) -> str:
    md = pdb.get("metadata") or {}
    spec = pdb.get("spec") or {}
    status = pdb.get("status") or {}
    events = events_for(api, pdb) if show_events else None

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        if spec.get("minAvailable") is not None:
            w.write(LEVEL_0, "Min available:\t%s\n", str(spec["minAvailable"]))
        elif spec.get("maxUnavailable") is not None:
            w.write(LEVEL_0, "Max unavailable:\t%s\n", str(spec["maxUnavailable"]))
        if spec.get("selector") is not None:
            w.write(LEVEL_0, "Selector:\t%s\n", format_label_selector(spec["selector"]))
        else:
            w.write(LEVEL_0, "Selector:\t<unset>\n")
        w.write(LEVEL_0, "Status:\n")
        w.write(LEVEL_2, "Allowed disruptions:\t%d\n", int(status.get("disruptionsAllowed") or 0))
        w.write(LEVEL_2, "Current:\t%d\n", int(status.get("currentHealthy") or 0))
        w.write(LEVEL_2, "Desired:\t%d\n", int(status.get("desiredHealthy") or 0))
        w.write(LEVEL_2, "Total:\t%d\n", int(status.get("expectedPods") or 0))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
