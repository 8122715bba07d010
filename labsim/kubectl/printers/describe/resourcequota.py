"""``kubectl describe quota`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeQuota``, ``helpTextForResourceQuotaScope``). Rows are ``status.hard`` sorted by name; a
used quantity whose format differs from the hard one is re-expressed as
``NewQuantity(used.Value(), hard.Format)`` (its value rounded up to an integer). No events."""
from __future__ import annotations

from labsim.kubectl.printers.describe import qty as _qty
from labsim.kubectl.printers.describe.layout import LEVEL_0, tabbed_string
from labsim.kubectl.printers.describe.namespace import _SCOPE_HELP


def used_string(used_raw, hard_raw) -> str:
    hard = _qty.parse_qty(hard_raw)
    used = _qty.parse_qty(used_raw)
    if used.format != hard.format:
        used = _qty.Quantity(used.int_value(), hard.format)
    return used.canonical()


def describe(api, quota: dict, now: float, show_events: bool = True) -> str:
    md = quota.get("metadata") or {}
    spec = quota.get("spec") or {}
    status = quota.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        scopes = sorted(spec.get("scopes") or [])
        if scopes:
            w.write(LEVEL_0, "Scopes:\t%s\n", ", ".join(scopes))
            for s in scopes:
                if _SCOPE_HELP.get(s):
                    w.write(LEVEL_0, " * %s\n", _SCOPE_HELP[s])
        w.write(LEVEL_0, "Resource\tUsed\tHard\n")
        w.write(LEVEL_0, "--------\t----\t----\n")
        hard = status.get("hard") or {}
        used = status.get("used") or {}
        for name in sorted(hard):
            w.write(LEVEL_0, "%s\t%s\t%s\n", name, used_string(used.get(name), hard[name]), _qty.canonical(hard[name]))

    return tabbed_string(body)
