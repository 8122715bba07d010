"""Go value formatting, as validation messages print bad values in Kubernetes v1.32.

``field.Error.ErrorBody`` (k8s.io/apimachinery/pkg/util/validation/field/errors.go, v0.32)
prints the bad value with ``%v`` for int/bool/float, ``%q`` for a plain ``string``, ``String()``
for Stringers, and ``%#v`` for everything else (pointers are dereferenced first; nil becomes the
string ``"null"``, printed quoted). The helpers here reproduce those renderings for the
wire-format values labsim keeps:

    go_quote("Web_1")                   -> "Web_1"
    go_string_map({"app": "web2"})      -> map[string]string{"app":"web2"}
    go_label_selector({...})            -> v1.LabelSelector{MatchLabels:..., MatchExpressions:...}
    go_int_or_string("25%")             -> intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}

(Releases after 1.32 print values as JSON; 1.32 prints Go syntax.)
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any


def go_string_map(m: dict[str, str] | None) -> str:
    """``%#v`` of a ``map[string]string`` (fmt prints map keys sorted)."""
    if m is None:
        return "map[string]string(nil)"
    return "map[string]string{" + ", ".join(f"{go_quote(k)}:{go_quote(str(v))}" for k, v in sorted(m.items())) + "}"


def go_string_slice(values: list[str] | None) -> str:
    if values is None:
        return "[]string(nil)"
    return "[]string{" + ", ".join(go_quote(str(v)) for v in values) + "}"


def go_label_selector(sel: dict | None) -> str:
    """``%#v`` of a ``metav1.LabelSelector`` (package name ``v1``)."""
    if sel is None:
        return '"null"'
    ml = sel.get("matchLabels")
    exprs = sel.get("matchExpressions")
    if exprs is None:
        ex = "[]v1.LabelSelectorRequirement(nil)"
    else:
        ex = "[]v1.LabelSelectorRequirement{" + ", ".join(
            f"v1.LabelSelectorRequirement{{Key:{go_quote(e.get('key', ''))}, "
            f"Operator:{go_quote(e.get('operator', ''))}, Values:{go_string_slice(e.get('values'))}}}"
            for e in exprs) + "}"
    return f"v1.LabelSelector{{MatchLabels:{go_string_map(ml)}, MatchExpressions:{ex}}}"


def go_int_or_string(v: Any) -> str:
    """``%#v`` of an ``intstr.IntOrString`` (Type 0 = Int, 1 = String)."""
    if v is None:
        return '"null"'
    if isinstance(v, str):
        return f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(v)}}}"
    return f"intstr.IntOrString{{Type:0, IntVal:{int(v)}, StrVal:\"\"}}"


def go_value(v: Any) -> str:
    """The ``ErrorBody`` rendering of a plain value: ints/bools ``%v``, strings ``%q``; a nil value
    is replaced by the string "null" and then printed with ``%q`` (``"null"``, quotes included)."""
    if v is None:
        return '"null"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, dict):
        return go_string_map(v)
    if isinstance(v, list):
        return go_string_slice(v)
    return str(v)


# -- fmt and encoding/json renderings of JSON data (strings, numbers, maps, lists) -------------

def _digits(v: float) -> tuple[str, str, int]:
    """Sign, shortest round-trip digits and decimal-point position of a finite non-zero float."""
    sign, digits, exp10 = Decimal(repr(v)).as_tuple()
    ds = "".join(map(str, digits))
    stripped = ds.rstrip("0") or "0"
    return ("-" if sign else ""), stripped, len(ds) + exp10


def go_json_number(v: int | float) -> str:
    """A number as Go's ``encoding/json`` writes it (the literal kubectl sends): ``1``, ``0.5``,
    ``1e+21``, ``1.5e-7``."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if v != v or v in (math.inf, -math.inf):
        return go_format_float(v)
    if v == 0:
        return "0" if math.copysign(1, v) > 0 else "-0"
    sign, ds, dp = _digits(v)
    a = abs(v)
    if a < 1e-6 or a >= 1e21:
        exp = dp - 1
        mant = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
        return f"{sign}{mant}e-{-exp}" if exp < 0 else f"{sign}{mant}e+{exp:02d}"
    return sign + _plain(ds, dp)


def _plain(ds: str, dp: int) -> str:
    if dp <= 0:
        return f"0.{'0' * -dp}{ds}"
    if dp >= len(ds):
        return ds + "0" * (dp - len(ds))
    return f"{ds[:dp]}.{ds[dp:]}"


def go_format_float(v: float) -> str:
    """``fmt``'s ``%v`` of a float64 (``strconv.FormatFloat(v, 'g', -1, 64)``: exponent form when
    the exponent is < -4 or >= 6 — ``1e+06``)."""
    if v != v:
        return "NaN"
    if v in (math.inf, -math.inf):
        return "+Inf" if v > 0 else "-Inf"
    if v == 0:
        return "0" if math.copysign(1, v) > 0 else "-0"
    sign, ds, dp = _digits(v)
    exp = dp - 1
    if exp < -4 or exp >= 6:
        mant = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
        return f"{sign}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return sign + _plain(ds, dp)


def go_quote(s: str) -> str:
    """Go's ``strconv.Quote`` (what ``%q`` prints)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\a":
            out.append("\\a")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\v":
            out.append("\\v")
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\ufffd")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif o < 0x7F or ch.isprintable():
            out.append(ch)
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def go_map_string(v: Any) -> str:
    """``fmt.Sprintf("%+v", v)`` of a value decoded from JSON into ``map[string]interface{}``:
    ``map[a:1 b:map[c:[x y]]]`` with sorted keys, ``<nil>`` for null."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return go_format_float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_map_string(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, (list, tuple)):
        return "[" + " ".join(go_map_string(x) for x in v) + "]"
    return str(v)


#: ``%v`` of JSON data: the same rendering under fmt's name
go_v = go_map_string
