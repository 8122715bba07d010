"""Strict decoding of request bodies against the v1.32 OpenAPI schemas (placeholder: the full walker
is being written; see issue 3)."""
from __future__ import annotations


def strict_decode(rt, obj, *, field_validation="Strict", operation="create", patch=None) -> list[str]:
    return []
