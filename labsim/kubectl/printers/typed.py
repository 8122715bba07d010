"""Typed objects as kubectl prints them: ``encoding/json`` over the Go structs of ``k8s.io/api``.

kubectl's generators (``create deployment``, ``create service`` ...) build Go structs, and its
typed clients decode the server's answer into Go structs; the JSON printer (cli-runtime
``printers/json.go``, ``json.MarshalIndent``) then writes

* the fields in Go declaration order (``kind``, ``apiVersion`` from the inlined TypeMeta, then
  ``metadata``, ``spec``, ``status``; ``metadata`` starts ``name``, ``namespace``, ...);
* ``omitempty`` fields only when not empty (``""``, ``0``, ``false``, nil, empty map/slice), but a
  struct is never empty, so ``"strategy": {}``, ``"status": {}``, ``"resources": {}`` and
  ``"creationTimestamp": null`` (a zero ``metav1.Time`` marshals to ``null``) are printed;
* map keys sorted, ``<``, ``>``, ``&`` escaped.

``-o yaml`` goes through JSON to a generic map (``sigs.k8s.io/yaml``), so its keys are sorted:
``to_typed`` + :func:`labsim.kubectl.printers.output.to_yaml`.

The struct layouts come from ``data/gostructs.json`` (``tools/gen_gostructs.py``, k8s.io/api and
k8s.io/apimachinery v0.32.9).
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

from labsim.kubectl.printers.output import _go_json_escapes, _sort_key

_DATA = os.path.join(os.path.dirname(__file__), "..", "data", "gostructs.json")
_INTS = {"int", "int32", "int64", "uint", "uint32", "uint64", "byte"}
_FLOATS = {"float32", "float64"}

#: zero values of the types with their own MarshalJSON (apimachinery): Time/MicroTime print
#: ``null``, Quantity ``"0"``, IntOrString ``0``, Duration ``"0s"``, raw JSON ``null``
_OPAQUE_ZERO = {"meta/v1.Time": None, "meta/v1.MicroTime": None, "resource.Quantity": "0",
                "intstr.IntOrString": 0, "meta/v1.Duration": "0s", "meta/v1.FieldsV1": None,
                "runtime.RawExtension": None}

#: API group -> the k8s.io/api package name (``networking.k8s.io`` -> ``networking``)
def go_type_name(api_version: str, kind: str) -> str:
    group, _, version = api_version.rpartition("/")
    pkg = group.split(".")[0] if group else "core"
    return f"{pkg}/{version}.{kind}"


@lru_cache(maxsize=1)
def _types() -> dict[str, dict]:
    with open(_DATA, encoding="utf-8") as f:
        return json.load(f)


def known(api_version: str, kind: str) -> bool:
    return go_type_name(api_version, kind) in _types()


def _resolve(t: str) -> str:
    """Follow named non-struct types to their underlying type (``core/v1.Protocol`` -> ``string``)."""
    types = _types()
    seen = 0
    while t in types and "underlying" in types[t] and seen < 10:
        t = types[t]["underlying"]
        seen += 1
    return t


def _map_value_type(t: str) -> str:
    depth = 0
    for i in range(3, len(t)):
        depth += {"[": 1, "]": -1}.get(t[i], 0)
        if depth == 0:
            return t[i + 1:]
    return "string"


def _zero(t: str) -> Any:
    r = _resolve(t)
    if r.startswith(("*", "[]", "map[")):
        return None
    if r in _OPAQUE_ZERO:
        return _OPAQUE_ZERO[r]
    if r == "string":
        return ""
    if r == "bool":
        return False
    if r in _INTS or r in _FLOATS:
        return 0
    if r in _types() and "fields" in _types()[r]:
        return _struct({}, r)
    return None


def _is_empty(t: str, value: Any) -> bool:
    """``omitempty``: false, 0, "", nil pointer, empty map/slice. A struct is never empty."""
    r = _resolve(t)
    if r.startswith("*"):
        return value is None
    if r.startswith(("[]", "map[")):
        return not value
    if r in _OPAQUE_ZERO:
        return False
    if r in _types() and "fields" in _types()[r]:
        return False
    return value in (None, "", 0, False)


def _convert(value: Any, t: str) -> Any:
    if value is None:
        return _zero(t)
    r = _resolve(t)
    if r.startswith("*"):
        return _convert(value, r[1:])
    if r == "[]byte":
        return value
    if r.startswith("[]"):
        if not isinstance(value, list):
            return value
        return [_convert(v, r[2:]) for v in value]
    if r.startswith("map["):
        if not isinstance(value, dict):
            return value
        vt = _map_value_type(r)
        return {k: _convert(value[k], vt) for k in sorted(value, key=_sort_key)}
    if r in _OPAQUE_ZERO:
        return _sorted_generic(value)
    info = _types().get(r)
    if info is not None and "fields" in info:
        return _struct(value, r) if isinstance(value, dict) else value
    return value


def _sorted_generic(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_generic(value[k]) for k in sorted(value, key=_sort_key)}
    if isinstance(value, list):
        return [_sorted_generic(v) for v in value]
    return value


def _struct(obj: dict, t: str) -> dict:
    out: dict = {}
    for name, ftype, omitempty, inline in _types()[t]["fields"]:
        if inline:
            out.update(_struct(obj, _resolve(ftype)))
            continue
        value = _convert(obj.get(name), ftype)
        if omitempty and _is_empty(ftype, value):
            continue
        out[name] = value
    return out


def to_typed(obj: dict) -> dict:
    """The object as its Go struct marshals: declaration order, zero values, omitempty.
    Objects of kinds without a known struct are returned with sorted keys."""
    t = go_type_name(obj.get("apiVersion", ""), obj.get("kind", ""))
    if t not in _types():
        return _sorted_generic(obj)
    return _struct(obj, t)


def typed_json(obj: dict) -> str:
    """``json.MarshalIndent(obj, "", "    ")`` + newline, as cli-runtime's JSONPrinter writes it."""
    text = json.dumps(to_typed(obj), indent=4, ensure_ascii=False, separators=(",", ": "))
    return _go_json_escapes(text) + "\n"


def typed_compact_json(obj: dict) -> str:
    """``json.Marshal`` of the typed object (what ``runtime.Encode`` writes for the
    last-applied annotation), without the trailing newline."""
    return _go_json_escapes(json.dumps(to_typed(obj), ensure_ascii=False, separators=(",", ":")))
