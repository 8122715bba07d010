"""Semantic validation (placeholder while the full rule set is written)."""
from __future__ import annotations


def validate(rt, obj, old) -> list:
    return []
