"""Defaulting as the API server applies it (placeholder while the full set is written)."""
from __future__ import annotations


def set_defaults(rt, obj) -> None:
    pass


def prepare_for_create(rt, obj) -> None:
    pass


def prepare_for_update(rt, obj, old) -> None:
    pass


def default_propagation(rt) -> str:
    return "Background"


def deletion_grace_period(rt, obj, requested):
    if rt.kind == "Pod":
        spec = obj.get("spec") or {}
        phase = (obj.get("status") or {}).get("phase")
        if not spec.get("nodeName") or phase in ("Succeeded", "Failed"):
            return 0
        if requested is not None:
            return requested
        return spec.get("terminationGracePeriodSeconds", 30)
    return None
