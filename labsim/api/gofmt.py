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

from typing import Any

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
            "\\": "\\\\", '"': '\\"'}


def go_quote(s: str) -> str:
    """``strconv.Quote``: Go's ``%q`` of a string (printable Unicode kept, controls escaped)."""
    out = ['"']
    for ch in s:
        esc = _ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
            continue
        o = ord(ch)
        if o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif 0x80 <= o < 0xA0:
            out.append(f"\\u{o:04x}")
        elif not ch.isprintable() and o != 0x20:
            out.append(f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


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
