"""``kubectl describe namespace`` (kubernetes/kubectl: pkg/describe/describe.go
``describeNamespace``, ``DescribeResourceQuotas``, ``DescribeLimitRanges``).

A real server serves ResourceQuotas and LimitRanges, so the two sections are always present
(``No resource quota.`` / ``No LimitRange resource.`` when the namespace has none); the observed
stub transcript lacks them only because the stub did not serve those resources.
"""
from __future__ import annotations

from labsim.kubectl.printers.describe import qty as _qty
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, print_annotations_multiline, print_labels_multiline, tabbed_string, time_rfc1123z,
)

_SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited lifespan on a node "
                   "before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long "
                      "running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have a best effort "
                  "quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These pods have a burstable "
                     "or guaranteed quality of service.",
}


def describe(api, ns: dict, now: float, show_events: bool = True) -> str:
    name = (ns.get("metadata") or {}).get("name", "")
    quotas = api.list(api.registry.for_kind("", "ResourceQuota"), name)
    limit_ranges = api.list(api.registry.for_kind("", "LimitRange"), name)
    return describe_namespace(ns, quotas, limit_ranges)


def describe_namespace(ns: dict, quotas: list[dict] | None, limit_ranges: list[dict] | None) -> str:
    md = ns.get("metadata") or {}
    status = ns.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Status:\t%s\n", status.get("phase", "") or "")
        if status.get("conditions"):
            w.write(LEVEL_0, "Conditions:\n")
            w.write(LEVEL_1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
            w.write(LEVEL_1, "----\t------\t------------------\t------\t-------\n")
            for c in status["conditions"]:
                w.write(LEVEL_1, "%s\t%s\t%s\t%s\t%s\n", c.get("type", ""), c.get("status", ""),
                        time_rfc1123z(c.get("lastTransitionTime")), c.get("reason", ""), c.get("message", ""))
        if quotas is not None:
            w.write(LEVEL_0, "\n")
            describe_resource_quotas(quotas, w)
        if limit_ranges is not None:
            w.write(LEVEL_0, "\n")
            describe_limit_ranges(limit_ranges, w)

    return tabbed_string(body)


def describe_resource_quotas(quotas: list[dict], w) -> None:
    if not quotas:
        w.write(LEVEL_0, "No resource quota.\n")
        return
    w.write(LEVEL_0, "Resource Quotas\n")
    for q in sorted(quotas, key=lambda q: q["metadata"]["name"]):
        w.write(LEVEL_1, "Name:\t%s\n", q["metadata"]["name"])
        scopes = sorted((q.get("spec") or {}).get("scopes") or [])
        if scopes:
            w.write(LEVEL_1, "Scopes:\t%s\n", ", ".join(scopes))
            for s in scopes:
                if _SCOPE_HELP.get(s):
                    w.write(LEVEL_1, "* %s\n", _SCOPE_HELP[s])
        w.write(LEVEL_1, "Resource\tUsed\tHard\n")
        w.write(LEVEL_1, "--------\t---\t---\n")
        hard = (q.get("status") or {}).get("hard") or {}
        used = (q.get("status") or {}).get("used") or {}
        for r in sorted(hard):
            w.write(LEVEL_1, "%s\t%s\t%s\n", r, _qty.canonical(used.get(r, "0")), _qty.canonical(hard[r]))


def describe_limit_ranges(limit_ranges: list[dict], w) -> None:
    if not limit_ranges:
        w.write(LEVEL_0, "No LimitRange resource.\n")
        return
    w.write(LEVEL_0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(LEVEL_0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    for lr in limit_ranges:
        describe_limit_range_spec(lr.get("spec") or {}, " ", w)


def describe_limit_range_spec(spec: dict, prefix: str, w) -> None:
    for item in spec.get("limits") or []:
        sections = [item.get(k) or {} for k in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")]
        # kubectl iterates a Go map here (random order); sorted keeps the output deterministic
        names = sorted(set().union(*[set(s) for s in sections]))
        for n in names:
            vals = [_qty.canonical(s[n]) if n in s else "-" for s in sections]
            w.write(LEVEL_0, "%s%s\t%s\t%s\t%s\t%s\t%s\t%s\n", prefix, item.get("type", ""), n, *vals)
