"""Selector text and matching for describe, over :mod:`labsim.api.labels`
(``labels.FormatLabels``, ``metav1.FormatLabelSelector``, ``LabelSelectorAsSelector``)."""
from __future__ import annotations

from labsim.api import labels as _labels

format_labels = _labels.format_labels
format_label_selector = _labels.format_label_selector


def selector_string(selector: dict | None) -> str:
    """``LabelSelectorAsSelector(sel).String()`` (empty for an empty or nil selector)."""
    try:
        return str(_labels.selector_from_label_selector(selector))
    except _labels.LabelSelectorError:
        return ""


def selector_matches(selector: dict | None, labels: dict | None) -> bool:
    try:
        return _labels.selector_from_label_selector(selector).matches(labels or {})
    except _labels.LabelSelectorError:
        return False
