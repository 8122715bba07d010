"""Objects as the API server writes them: Go's ``encoding/json`` over the typed API structs.

A real API server decodes every request into its Go types and encodes the result, so what it
stores and returns follows Go's rules, whatever the client sent:

* a non-pointer struct field is always written (``omitempty`` has no effect on structs): an empty
  one reads ``{}`` (``resources: {}``, ``status: {}``), a zero ``metav1.Time`` reads ``null``
  (``creationTimestamp: null`` in pod templates, ``lastProbeTime: null`` in pod conditions);
* a field without ``omitempty`` is written even when zero (``ready: false``, ``restartCount: 0``);
* with ``omitempty``, empty strings, zero numbers, false, nil pointers and empty lists and maps are
  left out; without it, a nil pointer, list or map reads ``null``.

:func:`normalize` applies these rules to a wire-format object using the struct layouts of
k8s.io/api v0.32 (``labsim/kubectl/data/gostructs.json``, made by ``tools/gen_gostructs.py``).
Types it does not know (custom resources, free-form JSON) are left as they are.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

_DATA = os.path.join(os.path.dirname(__file__), "..", "kubectl", "data", "gostructs.json")

#: struct types whose zero value encodes as JSON null through their MarshalJSON
_NULL_ZERO = {"meta/v1.Time", "meta/v1.MicroTime"}
#: struct types with a custom encoding and the JSON of their zero value
_SPECIAL_ZERO = {"intstr.IntOrString": 0, "resource.Quantity": "0", "meta/v1.Duration": "0s",
                 "runtime.RawExtension": None}
_SCALAR_ZERO = {"string": "", "bool": False, "int": 0, "int32": 0, "int64": 0, "uint8": 0, "uint16": 0,
                "uint32": 0, "uint64": 0, "float32": 0, "float64": 0, "byte": 0}


@lru_cache(maxsize=1)
def _layouts() -> dict[str, dict]:
    with open(_DATA, encoding="utf-8") as f:
        return json.load(f)


def go_type_of(rt) -> str | None:
    """``apps/v1.Deployment`` for the resource type (None when no layout is known)."""
    group = rt.group.split(".", 1)[0] if rt.group else "core"
    name = f"{group}/{rt.version}.{rt.kind}"
    return name if name in _layouts() else None


def normalize(rt, obj: dict) -> dict:
    """``obj`` re-encoded as the API server would write it (in place where possible)."""
    t = go_type_of(rt)
    if t is None:
        return obj
    fn = _compiled(t)
    if VERIFY:
        from labsim.api.meta import deep_copy

        expected = json.dumps(_value(t, deep_copy(obj)))
        out = fn(obj) if fn is not None else obj
        if json.dumps(out) != expected:
            raise AssertionError(f"compiled normalize of {t} differs from the interpreted walk:\n"
                                 f"{json.dumps(out)}\n{expected}")
        return out
    return fn(obj) if fn is not None else obj


@lru_cache(maxsize=None)
def _resolve(t: str) -> tuple[str, dict | None]:
    """Follow named types to their underlying type: ``core/v1.Protocol`` -> ``string``."""
    layouts = _layouts()
    seen = 0
    while t in layouts and "underlying" in layouts[t] and seen < 10:
        t = layouts[t]["underlying"]
        seen += 1
    return t, layouts.get(t)


def _value(t: str, v: Any) -> Any:
    if v is None:
        return None
    if t.startswith("*"):
        return _value(t[1:], v)
    if t.startswith("[]"):
        if isinstance(v, list):
            elem = t[2:]
            return [_value(elem, x) for x in v]
        return v
    if t.startswith("map["):
        if isinstance(v, dict):
            elem = t[t.index("]") + 1:]
            return {k: _value(elem, x) for k, x in v.items()}
        return v
    base, layout = _resolve(t)
    if layout is None or "fields" not in layout or not isinstance(v, dict):
        return v
    _struct(layout, v)
    return v


def normalize_fields(rt, obj: dict, names: tuple[str, ...]) -> None:
    """:func:`normalize` restricted to the top-level fields ``names`` of ``obj`` (in place): what
    normalize does to those fields, leaving the others untouched (and unread). For writes that
    change only some fields of an already normalized object (status updates)."""
    t = go_type_of(rt)
    if t is None:
        return
    _, layout = _resolve(t)
    if layout is None or "fields" not in layout:
        return
    for name, ftype, omitempty, inline in layout["fields"]:
        if not inline and name in names:
            if VERIFY:
                from labsim.api.meta import deep_copy

                probe = {name: deep_copy(obj[name])} if name in obj else {}
                _field(probe, name, ftype, omitempty)
                _field_compiled(obj, name, ftype, omitempty)
                if json.dumps(obj.get(name, _ABSENT)) != json.dumps(probe.get(name, _ABSENT)) \
                        or (name in obj) != (name in probe):
                    raise AssertionError(f"compiled normalize of field {name} differs from the interpreted walk")
            else:
                _field_compiled(obj, name, ftype, omitempty)


_ABSENT = "<absent>"


def _field_compiled(v: dict, name: str, ftype: str, omitempty: bool) -> None:
    """:func:`_field` with the value normalized by the compiled function of its type."""
    if name in v and v[name] is not None:
        fn = _compiled(ftype)
        new = fn(v[name]) if fn is not None else v[name]
        if omitempty and _is_empty(ftype, new):
            del v[name]
        else:
            v[name] = new
        return
    _field(v, name, ftype, omitempty)


def _struct(layout: dict, v: dict) -> None:
    for name, ftype, omitempty, inline in layout["fields"]:
        if inline:
            _, inner = _resolve(ftype.lstrip("*"))
            if inner is not None and "fields" in inner:
                _struct(inner, v)
            continue
        _field(v, name, ftype, omitempty)


def _field(v: dict, name: str, ftype: str, omitempty: bool) -> None:
    if name in v and v[name] is not None:
        new = _value(ftype, v[name])
        if omitempty and _is_empty(ftype, new):
            del v[name]
        else:
            v[name] = new
        return
    zero = _zero(ftype)
    if zero is _OMIT:
        v.pop(name, None)
    elif zero is _NIL:
        if omitempty:
            v.pop(name, None)
        else:
            v[name] = None
    elif omitempty and not isinstance(zero, dict) and not _is_struct(ftype):
        v.pop(name, None)
    else:
        v[name] = zero


_OMIT = object()  # never written (unknown encodings)
_NIL = object()  # a nil pointer, slice, map or interface


@lru_cache(maxsize=None)
def _is_struct(t: str) -> bool:
    if t.startswith(("*", "[]", "map[")):
        return False
    base, layout = _resolve(t)
    return base in _NULL_ZERO or base in _SPECIAL_ZERO or (layout is not None and "fields" in layout)


def _zero(t: str) -> Any:
    """The JSON that Go writes for the zero value of ``t`` (a fresh copy for struct types)."""
    z = _zero_cached(t)
    if isinstance(z, dict):
        from labsim.api.meta import deep_copy

        return deep_copy(z)
    return z


@lru_cache(maxsize=None)
def _zero_cached(t: str) -> Any:
    if t.startswith(("*", "[]", "map[")) or t in ("interface {}", "any"):
        return _NIL
    base, layout = _resolve(t)
    if base in _NULL_ZERO:
        return None
    if base in _SPECIAL_ZERO:
        return _SPECIAL_ZERO[base]
    if layout is not None and "fields" in layout:
        out: dict = {}
        _struct(layout, out)
        return out
    if base in _SCALAR_ZERO:
        return _SCALAR_ZERO[base]
    if base.startswith(("*", "[]", "map[")):
        return _NIL
    return _OMIT


def _is_empty(t: str, v: Any) -> bool:
    """encoding/json's isEmptyValue for an ``omitempty`` field (structs are never empty)."""
    if v is None:
        return True
    if t.startswith("*"):
        return False
    if isinstance(v, (list, dict)) and (t.startswith(("[]", "map[")) or not _is_struct(t)):
        return len(v) == 0
    if _is_struct(t):
        return False
    if isinstance(v, bool):
        return v is False
    if isinstance(v, (int, float)):
        return v == 0
    if isinstance(v, str):
        return v == ""
    return False


# -- compiled normalizers ----------------------------------------------------------------------
#
# normalize() runs on every write, so the walk above (which re-reads type names and layouts per
# value) is compiled once per Go type into straight-line Python: one function per struct type,
# its fields unrolled with their omitempty/zero rules decided up front. The compiled code does
# the same dict operations in the same order as _value/_struct/_field (so key order, and thus
# the stored JSON, is identical); with LABSIM_CACHE_MUTATION_DETECTOR=1 (tests) every
# normalize() is also run through the interpreted walk and must give the same JSON.

#: test mode: check the compiled normalizers against the interpreted walk on every call
VERIFY = os.environ.get("LABSIM_CACHE_MUTATION_DETECTOR") == "1"

_NS: dict[str, Any] = {"_empty": None, "_deep_copy": None}
_FN_NAMES: dict[str, str | None] = {}
_PENDING: list[tuple[str, str]] = []


def _empty_value(v: Any) -> bool:
    """:func:`_is_empty` for a type that is not a struct (nor a pointer)."""
    if v is None:
        return True
    if isinstance(v, (list, dict)):
        return len(v) == 0
    if isinstance(v, bool):
        return v is False
    if isinstance(v, (int, float)):
        return v == 0
    if isinstance(v, str):
        return v == ""
    return False


def _fn_name(t: str) -> str | None:
    """The name in :data:`_NS` of the compiled ``_value(t, .)``, or None when it is the identity."""
    if t.startswith("*"):
        return _fn_name(t[1:])
    if t in _FN_NAMES:
        return _FN_NAMES[t]
    name: str | None
    if t.startswith(("[]", "map[")):
        name = f"_n{len(_FN_NAMES)}"
    else:
        _, layout = _resolve(t)
        name = f"_n{len(_FN_NAMES)}" if layout is not None and "fields" in layout else None
    _FN_NAMES[t] = name
    if name is not None:
        _PENDING.append((t, name))
    return name


def _flat_fields(layout: dict) -> list[tuple[str, str, bool]]:
    """The fields :func:`_struct` visits, inlined structs expanded in place."""
    out: list[tuple[str, str, bool]] = []
    for name, ftype, omitempty, inline in layout["fields"]:
        if inline:
            _, inner = _resolve(ftype.lstrip("*"))
            if inner is not None and "fields" in inner:
                out.extend(_flat_fields(inner))
            continue
        out.append((name, ftype, omitempty))
    return out


def _gen(t: str, fname: str) -> str:
    if t.startswith("[]"):
        elem = _fn_name(t[2:])
        body = f"[{elem}(x) for x in v]" if elem else "list(v)"
        return f"def {fname}(v):\n    if isinstance(v, list):\n        return {body}\n    return v\n"
    if t.startswith("map["):
        elem = _fn_name(t[t.index("]") + 1:])
        body = f"{{k: {elem}(x) for k, x in v.items()}}" if elem else "dict(v)"
        return f"def {fname}(v):\n    if isinstance(v, dict):\n        return {body}\n    return v\n"
    _, layout = _resolve(t)
    lines = [f"def {fname}(v):", "    if not isinstance(v, dict):", "        return v"]
    for i, (name, ftype, omitempty) in enumerate(_flat_fields(layout)):
        key = repr(name)
        fn = _fn_name(ftype)
        # most fields are absent and dropped when absent: a membership test is all they cost
        lines.append(f"    if {key} in v:")
        lines.append(f"        x = v[{key}]")
        lines.append("        if x is not None:")
        if fn:
            lines.append(f"            x = {fn}(x)")
        if omitempty and not (ftype.startswith("*") or _is_struct(ftype)):
            lines.append("            if _empty(x):")
            lines.append(f"                del v[{key}]")
            lines.append("            else:")
            lines.append(f"                v[{key}] = x")
        else:
            # no omitempty, or a pointer or a struct: empty only when nil (x is not None here)
            lines.append(f"            v[{key}] = x")
        zero = _zero_cached(ftype)
        if zero is _OMIT or (zero is _NIL and omitempty) or (
                zero is not _NIL and omitempty and not isinstance(zero, dict) and not _is_struct(ftype)):
            lines.append("        else:")
            lines.append(f"            del v[{key}]")
            continue
        if zero is _NIL:
            action = f"v[{key}] = None"
        elif isinstance(zero, dict):
            zname = f"_z{fname}_{i}"
            _NS[zname] = zero
            action = f"v[{key}] = _deep_copy({zname})"
        else:
            zname = f"_z{fname}_{i}"
            _NS[zname] = zero
            action = f"v[{key}] = {zname}"
        lines.append("        else:")
        lines.append(f"            {action}")
        lines.append("    else:")
        lines.append(f"        {action}")
    lines.append("    return v")
    return "\n".join(lines) + "\n"


def _compiled(t: str):
    """The compiled ``_value(t, .)`` (a function of the value), or None for the identity."""
    name = _fn_name(t)
    if _PENDING:
        from labsim.api.meta import deep_copy

        _NS["_empty"] = _empty_value
        _NS["_deep_copy"] = deep_copy
        while _PENDING:
            pt, pname = _PENDING.pop()
            exec(compile(_gen(pt, pname), f"<gojson {pt}>", "exec"), _NS)
    return _NS[name] if name is not None else None


def _normalize_interpreted(rt, obj: dict) -> dict:
    t = go_type_of(rt)
    if t is None:
        return obj
    return _value(t, obj)
