"""``kubectl describe priorityclass`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describePriorityClass``). Annotations print with ``labels.FormatLabels``."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import LEVEL_0, go_bool, tabbed_string
from labsim.kubectl.printers.describe.selectors import format_labels


def describe(api, pc: dict, now: float, show_events: bool = True) -> str:
    md = pc.get("metadata") or {}
    events = events_for(api, pc) if show_events else None

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Value:\t%d\n", int(pc.get("value") or 0))
        w.write(LEVEL_0, "GlobalDefault:\t%s\n", go_bool(pc.get("globalDefault")))
        # the server always stores preemptionPolicy (SetDefaults_PriorityClass); kubectl
        # dereferences it without a nil check
        w.write(LEVEL_0, "PreemptionPolicy:\t%s\n", pc.get("preemptionPolicy", "") or "")
        w.write(LEVEL_0, "Description:\t%s\n", pc.get("description", "") or "")
        w.write(LEVEL_0, "Annotations:\t%s\n", format_labels(md.get("annotations")))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
