"""Matching rules shared by plugins: tolerations against taints, node selectors, pod label selectors.

kubernetes/kubernetes: staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint),
pkg/apis/core/v1/helper/helpers.go (FindMatchingUntoleratedTaint),
staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go.
"""
from __future__ import annotations

import json
from functools import lru_cache

from labsim.api import labels as labelsel


def tolerates(tol: dict, taint: dict) -> bool:
    """``Toleration.ToleratesTaint``."""
    eff = tol.get("effect") or ""
    if eff and eff != (taint.get("effect") or ""):
        return False
    key = tol.get("key") or ""
    if key and key != (taint.get("key") or ""):
        return False
    op = tol.get("operator") or ""
    if op in ("", "Equal"):
        return (tol.get("value") or "") == (taint.get("value") or "")
    return op == "Exists"


def tolerations_tolerate(tolerations: list[dict], taint: dict) -> bool:
    return any(tolerates(t, taint) for t in tolerations)


def find_untolerated_taint(taints: list[dict], tolerations: list[dict], effects: tuple[str, ...]):
    """The first taint with one of ``effects`` that no toleration tolerates, or None."""
    for taint in taints:
        if taint.get("effect") not in effects:
            continue
        if not tolerations_tolerate(tolerations, taint):
            return taint
    return None


def _parse_int(s: str) -> int | None:
    try:
        return int(s, 10)
    except (TypeError, ValueError):
        return None


def _requirement_matches(expr: dict, labels: dict) -> bool:
    key = expr.get("key", "")
    op = expr.get("operator", "")
    values = expr.get("values") or []
    has = key in labels
    if op == "In":
        return has and labels[key] in values
    if op == "NotIn":
        return not has or labels[key] not in values
    if op == "Exists":
        return has
    if op == "DoesNotExist":
        return not has
    if op in ("Gt", "Lt"):
        if not has or len(values) != 1:
            return False
        lv, rv = _parse_int(labels[key]), _parse_int(values[0])
        if lv is None or rv is None:
            return False
        return lv > rv if op == "Gt" else lv < rv
    return False


def _field_matches(expr: dict, node_name: str) -> bool:
    if expr.get("key") != "metadata.name":
        return False
    op = expr.get("operator", "")
    values = expr.get("values") or []
    if op == "In":
        return node_name in values
    if op == "NotIn":
        return node_name not in values
    return False


def term_matches(term: dict, labels: dict, node_name: str) -> bool:
    """A NodeSelectorTerm: expressions and fields ANDed; an empty term matches nothing."""
    exprs = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not exprs and not fields:
        return False
    return all(_requirement_matches(e, labels) for e in exprs) and all(_field_matches(f, node_name) for f in fields)


def node_selector_matches(terms: list[dict], labels: dict, node_name: str) -> bool:
    return any(term_matches(t, labels, node_name) for t in terms)


def required_node_affinity_matches(pod: dict, labels: dict, node_name: str) -> bool:
    """``RequiredNodeAffinity.Match``: the pod's nodeSelector AND its required node affinity."""
    spec = pod.get("spec") or {}
    for k, v in (spec.get("nodeSelector") or {}).items():
        if labels.get(k) != v:
            return False
    req = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
           .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if req is not None:
        return node_selector_matches(req.get("nodeSelectorTerms") or [], labels, node_name)
    return True


@lru_cache(maxsize=2048)
def _selector_cached(text: str) -> labelsel.Selector:
    try:
        return labelsel.selector_from_label_selector(json.loads(text))
    except labelsel.LabelSelectorError:
        return labelsel.Selector.nothing()


def label_selector(ls: dict | None) -> labelsel.Selector:
    """``metav1.LabelSelectorAsSelector`` (nil matches nothing, empty everything), cached."""
    if ls is None:
        return labelsel.Selector.nothing()
    if not ls.get("matchLabels") and not ls.get("matchExpressions"):
        return labelsel.Selector.everything()
    return _selector_cached(json.dumps(ls, sort_keys=True))
