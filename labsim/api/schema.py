"""The API server's strict decoding of request bodies, against the v1.32 OpenAPI definitions.

A real API server decodes a JSON body into the Go struct of the kind with ``sigs.k8s.io/json``
(``UnmarshalStrict``: case-sensitive, unknown fields collected as "strict errors") and, for a
PATCH, converts the patched map with ``runtime.DefaultUnstructuredConverter``. This module
walks a wire-format object over the kind's schema and produces the same outcomes and texts::

    strict_decode(rt, obj)            # create/update (POST/PUT)
      type error     -> 400 BadRequest  'Deployment in version "v1" cannot be handled as a Deployment:
                                         json: cannot unmarshal string into Go struct field
                                         DeploymentSpec.spec.replicas of type int32'
      unknown fields -> 400 BadRequest  '... strict decoding error: unknown field "spec.template.sepc"'
                        (Warn: returned as warnings and dropped; Ignore: dropped)
    strict_decode(rt, obj, operation="patch", patch=p)
      -> 422 Invalid, empty kind/name, one cause on field "patch" whose value is the patch printed
         as a Go map: 'The request is invalid: patch: Invalid value: "map[...]": strict decoding ...'

Sources: ``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go`` (``transformDecodeError``),
``handlers/patch.go`` (``applyPatchToObject``), ``apimachinery/pkg/runtime/serializer/json/json.go``
(a type error wins over strict errors), ``sigs.k8s.io/json`` ``internal/golang/encoding/json``
(``decode.go``: the first type error is saved and decoding goes on; errors of a type's own
``UnmarshalJSON`` — IntOrString, Quantity, Time — abort at once and win; ``kubernetes_patch.go``:
strict paths ``a.b[0].c``, at most 100, de-duplicated).

The schema data is the ``kubernetes_validate`` package's v1.32 strict ``_definitions.json``; Go
type names that the OpenAPI does not carry (``v1.Protocol``, ``v1.ResourceList``, pointers) come
from ``data/gotypes.json``, extracted from the Go structs of k8s.io/api v0.32.9.

Semantics kept from Go's decoder besides the errors: ``null`` leaves a field at its zero value
(so a null struct field disappears, a null ``map[string]string`` value becomes ``""``), and an
integral float (``replicas: 3.0``) decodes into an integer field. Several unknown fields on the
patch path come out in Go map order upstream (not stable); they are sorted here.

``explain_node(rt, path)`` exposes the schema for ``kubectl explain``.
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from labsim import errors
from labsim.api.gofmt import go_format_float, go_json_number, go_map_string, go_quote  # noqa: F401

__all__ = ["strict_decode", "explain_node", "ExplainNode", "ExplainField", "go_map_string", "go_quote", "go_format_float",
           "go_json_number", "parse_quantity_error", "type_for", "check_types", "DecodeError"]

#: At most this many strict errors are kept (sigs.k8s.io/json ``saveStrictError``).
MAX_STRICT_ERRORS = 100

_SCHEMA_DIR = "v1.32.0-local-strict"
_DATA_DIR = os.path.join(os.path.dirname(__file__), "data")

# -- schema data -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def kubernetes_validate_dir() -> str:
    """The installed ``kubernetes_validate`` package's folder, found without importing it: its import
    pulls in jsonschema, which compiles its format grammars (3-5 s on 2 cores) for nothing we use."""
    import importlib.util

    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("kubernetes-validate is not installed (pip install -e .)")
    return list(spec.submodule_search_locations)[0]


@lru_cache(maxsize=1)
def _definitions() -> dict[str, dict]:
    base = os.path.join(kubernetes_validate_dir(), "kubernetes-json-schema", _SCHEMA_DIR)
    with open(os.path.join(base, "_definitions.json"), encoding="utf-8") as f:
        data = json.load(f)
    return data.get("$defs") or data.get("definitions") or {}


@lru_cache(maxsize=1)
def _go_field_types() -> dict[str, dict[str, Any]]:
    with open(os.path.join(_DATA_DIR, "gotypes.json"), encoding="utf-8") as f:
        return json.load(f)


# -- compiled types ----------------------------------------------------------------------------

STRUCT, MAP, SLICE, STRING, INT, FLOAT, BOOL, INTSTR, QUANTITY, TIME, BYTES, ANY = (
    "struct", "map", "slice", "string", "int", "float", "bool", "intstr", "quantity", "time", "bytes", "any")

_INT_RANGES = {"int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1), "int": (-2**63, 2**63 - 1),
               "uint8": (0, 255)}

_SPECIAL_DEFS = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": INTSTR,
    "io.k8s.apimachinery.pkg.api.resource.Quantity": QUANTITY,
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": TIME,
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": TIME,
    "io.k8s.apimachinery.pkg.runtime.RawExtension": ANY,
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": ANY,
}


class GoType:
    """One Go type as the JSON decoder sees it (compiled lazily from the OpenAPI schema)."""

    __slots__ = ("kind", "go", "struct_name", "definition", "schema", "_fields", "_elem", "int_range",
                 "time_layout")

    def __init__(self, kind: str, go: str, schema: dict, definition: str = ""):
        self.kind = kind
        self.go = go  # Go's reflect.Type.String() of the (dereferenced) type: int32, []v1.Container
        self.definition = definition
        self.schema = schema
        self.struct_name = definition.rsplit(".", 1)[-1] if kind == STRUCT else ""
        self._fields: dict[str, GoType] | None = None
        self._elem: GoType | None = None
        self.int_range = _INT_RANGES.get(go, _INT_RANGES["int64"])
        self.time_layout = _RFC3339MICRO if definition.endswith("MicroTime") else _RFC3339

    @property
    def fields(self) -> dict[str, "GoType"]:
        if self._fields is None:
            gofields = _go_field_types().get(self.definition, {})
            props = self.schema.get("properties") or {}
            self._fields = {name: _compile(sub, gofields.get(name)) for name, sub in props.items()}
        return self._fields

    @property
    def elem(self) -> "GoType":
        if self._elem is None:
            if self.kind == SLICE:
                sub, go = self.schema.get("items") or {}, _strip_ptr(self.go[2:])
            else:
                sub = self.schema.get("additionalProperties")
                sub = sub if isinstance(sub, dict) else {}
                go = _strip_ptr(self.go[self.go.index("]") + 1:]) if self.go.startswith("map[") else ""
            self._elem = _compile(sub, go or None)
        return self._elem

    def __repr__(self) -> str:
        return f"GoType({self.kind}, {self.go!r})"


def _strip_ptr(go: str) -> str:
    return go.lstrip("*")


def _ref_name(node: dict) -> str:
    ref = node.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else ""


def _go_name_of_definition(name: str) -> str:
    parts = name.split(".")
    return f"{parts[-2]}.{parts[-1]}" if len(parts) >= 2 else name


_COMPILED: dict[tuple[int, str | None], GoType] = {}


def _compile(node: dict, go: str | None) -> GoType:
    key = (id(node), go)
    t = _COMPILED.get(key)
    if t is None:
        t = _COMPILED[key] = _compile_uncached(node, go)
    return t


def _compile_uncached(node: dict, go: str | None) -> GoType:
    go = _strip_ptr(go) if go else None
    ref = _ref_name(node)
    if ref:
        target = _definitions().get(ref, {})
        special = _SPECIAL_DEFS.get(ref)
        if special:
            default_go = {INTSTR: "intstr.IntOrString", QUANTITY: "resource.Quantity", TIME: "v1.Time"}.get(
                special, _go_name_of_definition(ref))
            return GoType(special, go or default_go, target, ref)
        if target.get("properties") is not None or target.get("additionalProperties") is False:
            return GoType(STRUCT, go or _go_name_of_definition(ref), target, ref)
        return _compile_uncached({**target, "description": node.get("description", target.get("description"))},
                                 go or _go_name_of_definition(ref))
    types = node.get("type") or []
    if isinstance(types, str):
        types = [types]
    fmt = node.get("format", "")
    if "array" in types:
        items = node.get("items") or {}
        if go is None:
            go = "[]" + _compile(items, None).go
        return GoType(SLICE, go, node)
    if "object" in types:
        if node.get("properties") is not None:
            return GoType(STRUCT, go or "struct", node, "")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            if go is None:
                go = "map[string]" + _compile(extra, None).go
            return GoType(MAP, go, node)
        return GoType(ANY, go or "interface {}", node)
    if "string" in types:
        if fmt == "byte":
            return GoType(BYTES, go or "[]uint8", node)
        if fmt == "int-or-string":
            return GoType(INTSTR, go or "intstr.IntOrString", node)
        if fmt == "date-time":
            return GoType(TIME, go or "v1.Time", node)
        return GoType(STRING, go or "string", node)
    if "integer" in types:
        return GoType(INT, go or ("int32" if fmt == "int32" else "int64"), node)
    if "number" in types:
        return GoType(FLOAT, go or "float64", node)
    if "boolean" in types:
        return GoType(BOOL, go or "bool", node)
    if "oneOf" in node:  # IntOrString / Quantity inlined
        kinds = {t for alt in node["oneOf"] for t in (alt.get("type") or [])}
        if "integer" in kinds:
            return GoType(INTSTR, go or "intstr.IntOrString", node)
        return GoType(QUANTITY, go or "resource.Quantity", node)
    return GoType(ANY, go or "interface {}", node)


@lru_cache(maxsize=None)
def _type_for_definition(definition: str) -> GoType | None:
    node = _definitions().get(definition)
    if node is None:
        return None
    return GoType(STRUCT, _go_name_of_definition(definition), node, definition)


def type_for(rt) -> GoType | None:
    """The compiled Go type of ``rt``'s kind (``io.k8s.api.apps.v1.Deployment``), or None."""
    if not getattr(rt, "schema_package", ""):
        return None
    return _type_for_definition(f"{rt.schema_package}.{rt.kind}")


# -- Go formatting helpers ---------------------------------------------------------------------


def _json_kind(v: Any) -> str:
    if isinstance(v, dict):
        return "object"
    if isinstance(v, list):
        return "array"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    return "number"


# -- Quantity, base64, time: errors of the types' own UnmarshalJSON ----------------------------

_QTY_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
_QTY_SUFFIX = "unable to parse quantity's suffix"
_QTY_SUFFIXES = {"", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}
_DIGITS = "0123456789"


def parse_quantity_error(s: str) -> str | None:
    """The error ``resource.ParseQuantity`` returns for ``s``, or None when it parses
    (``apimachinery/pkg/api/resource/quantity.go`` ``parseQuantityString`` and the suffixer)."""
    if s == "":
        return _QTY_FORMAT_WRONG
    if s == "0":
        return None
    pos, end = 0, len(s)
    if s[0] in "+-":
        pos += 1
    while pos < end and s[pos] == "0":
        pos += 1
    if pos >= end:
        return None
    while pos < end and s[pos] in _DIGITS:
        pos += 1
    if pos >= end:
        return None
    if s[pos] == ".":
        pos += 1
        while pos < end and s[pos] in _DIGITS:
            pos += 1
        if pos >= end:
            return None
    suffix_start = pos
    while pos < end and s[pos] in "eEinumkKMGTP":
        pos += 1
    if pos < end:
        if s[pos] in "+-":
            pos += 1
        while pos < end:
            if s[pos] not in _DIGITS:
                return _QTY_FORMAT_WRONG
            pos += 1
    suffix = s[suffix_start:]
    if suffix in _QTY_SUFFIXES:
        return None
    if len(suffix) > 1 and suffix[0] in "eE":
        try:
            int(suffix[1:])
            return None
        except ValueError:
            return _QTY_SUFFIX
    return _QTY_SUFFIX


_B64 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def base64_error(s: str) -> str | None:
    """Go's ``base64.StdEncoding.Decode`` error (``illegal base64 data at input byte N``)."""
    src = s.encode("utf-8", "surrogatepass")
    si, n = 0, len(src)
    while True:
        j = 0
        while j < 4:
            if si == n:
                if j == 0:
                    return None
                return f"illegal base64 data at input byte {si - j}"
            c = src[si]
            si += 1
            if chr(c) in _B64:
                j += 1
                continue
            if c in (10, 13):
                continue
            if c != ord("="):
                return f"illegal base64 data at input byte {si - 1}"
            if j in (0, 1):
                return f"illegal base64 data at input byte {si - 1}"
            if j == 2:
                while si < n and src[si] in (10, 13):
                    si += 1
                if si == n:
                    return f"illegal base64 data at input byte {n}"
                if src[si] != ord("="):
                    return f"illegal base64 data at input byte {si - 1}"
                si += 1
            while si < n and src[si] in (10, 13):
                si += 1
            if si < n:
                return f"illegal base64 data at input byte {si}"
            return None


_RFC3339 = "2006-01-02T15:04:05Z07:00"
_RFC3339MICRO = "2006-01-02T15:04:05.000000Z07:00"
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


#: what every timestamp labsim itself writes looks like; days up to 28 are valid in every month
_PLAIN_TIME_RE = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"
                            r"(?:\.\d{1,9})?Z")


def parse_time_error(value: str, layout: str = _RFC3339) -> str | None:
    """The error of Go's ``time.Parse(time.RFC3339, value)`` (element by element), or None."""
    m = _PLAIN_TIME_RE.fullmatch(value)
    if m and (layout == _RFC3339 or (layout == _RFC3339MICRO and len(value) == 27)):
        return None  # the common, certainly valid form: skip the element-by-element parse
    return _parse_time_error(value, layout)


def _parse_time_error(value: str, layout: str) -> str | None:
    def bad(rest: str, elem: str) -> str:
        return f"parsing time {go_quote(value)} as {go_quote(layout)}: cannot parse {go_quote(rest)} as {go_quote(elem)}"

    v = value
    nums: dict[str, int] = {}
    elems = [("2006", 4, True), ("-", 0, False), ("01", 2, True), ("-", 0, False), ("02", 2, True),
             ("T", 0, False), ("15", 2, False), (":", 0, False), ("04", 2, True), (":", 0, False),
             ("05", 2, True)]
    for elem, width, fixed in elems:
        if width == 0:
            if not v.startswith(elem):
                return bad(v, elem)
            v = v[len(elem):]
            continue
        if elem == "2006":
            if len(v) < 4 or not v[:4].isdigit() or not v[:4].isascii():
                return bad(v, elem)
            nums[elem], v = int(v[:4]), v[4:]
            continue
        if not v[:1].isdigit() or not v[:1].isascii():
            return bad(v, elem)
        if not v[1:2].isdigit() or not v[1:2].isascii():
            if fixed:
                return bad(v, elem)
            nums[elem], v = int(v[0]), v[1:]
        else:
            nums[elem], v = int(v[:2]), v[2:]
        if elem == "01" and not 1 <= nums[elem] <= 12:
            return f"parsing time {go_quote(value)}: month out of range"
        if elem == "15" and nums[elem] > 23:
            return f"parsing time {go_quote(value)}: hour out of range"
        if elem == "04" and nums[elem] > 59:
            return f"parsing time {go_quote(value)}: minute out of range"
        if elem == "05" and nums[elem] > 59:
            return f"parsing time {go_quote(value)}: second out of range"
        if elem == "05" and len(v) >= 2 and v[0] in ".," and v[1].isdigit():
            i = 1
            while i < len(v) and v[i].isdigit():
                i += 1
            v = v[i:]
    if v.startswith("Z"):
        v = v[1:]
    else:
        if len(v) < 6 or v[0] not in "+-" or v[3] != ":" or not (v[1:3] + v[4:6]).isdigit():
            return bad(v, "Z07:00")
        v = v[6:]
    if v:
        return f"parsing time {go_quote(value)}: extra text: {go_quote(v)}"
    day, month, year = nums["02"], nums["01"], nums["2006"]
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day < 1 or day > _DAYS[month - 1] or (month == 2 and day == 29 and not leap):
        return f"parsing time {go_quote(value)}: day out of range"
    return None


# -- the decoder walk --------------------------------------------------------------------------


class DecodeError(Exception):
    """An error of a type's own ``UnmarshalJSON`` (aborts decoding at once)."""


class _State:
    __slots__ = ("type_error", "unknown", "seen", "drops", "fields", "struct", "converter")

    def __init__(self, converter: bool = False):
        self.type_error: str | None = None
        self.unknown: list[str] = []
        self.seen: set[str] = set()
        self.drops: list[tuple[dict, str]] = []
        self.fields: list[str] = []  # errorContext.FieldStack (struct fields only)
        self.struct = ""  # errorContext.Struct
        self.converter = converter  # patch path: runtime.DefaultUnstructuredConverter texts

    def type_err(self, value: Any, go: str, literal: bool = False) -> str:
        what = _json_kind(value)
        if literal and what == "number":
            what = "number " + go_json_number(value)
        if self.struct or self.fields:
            return (f"json: cannot unmarshal {what} into Go struct field "
                    f"{self.struct}.{'.'.join(self.fields)} of type {go}")
        return f"json: cannot unmarshal {what} into Go value of type {go}"

    def save(self, msg: str) -> None:
        if self.type_error is None:
            self.type_error = msg

    def strict(self, path: str) -> None:
        if path not in self.seen and len(self.unknown) < MAX_STRICT_ERRORS:
            self.seen.add(path)
            self.unknown.append(path)


def _converter_error(value: Any, t: GoType) -> str:
    """``runtime.DefaultUnstructuredConverter.FromUnstructured`` texts (converter.go)."""
    src = {dict: "map", list: "slice", str: "string", bool: "bool"}.get(type(value))
    if src is None:
        src = "int64" if isinstance(value, int) else "float64"
    if t.kind == STRUCT:
        return f"cannot restore struct from: {src}"
    if t.kind == MAP:
        return f"cannot restore map from {src}"
    if t.kind == SLICE:
        return f"cannot restore slice from {src}"
    go = t.go
    # int64 -> string is a Go conversion (st.ConvertibleTo(dt)) that JSON forbids
    if src == "int64" and t.kind == STRING:
        return f"cannot convert int64 to {go}"
    if src == "float64" and t.kind == STRING:
        return f"unrecognized type: {go.split('.')[-1] if '.' not in go else 'string'}"
    base = {INT: go, STRING: "string", BOOL: "bool", FLOAT: "float64"}.get(t.kind, go)
    return f"unrecognized type: {base}"


def _walk(value: Any, t: GoType, st: _State, path: str, holder: Any, hkey: Any) -> None:
    """Decode ``value`` into ``t`` (``holder[hkey]`` is where it lives, for in-place fixes)."""
    kind = t.kind
    if value is None:
        return
    if kind == STRUCT:
        if not isinstance(value, dict):
            if st.converter:
                raise DecodeError(_converter_error(value, t))
            st.save(st.type_err(value, t.go))
            return
        fields = t.fields
        saved_struct, depth = st.struct, len(st.fields)
        for key in sorted(value):
            sub = fields.get(key)
            if sub is None:
                st.strict(f"{path}.{key}" if path else key)
                st.drops.append((value, key))
                continue
            v = value[key]
            if v is None:
                st.drops.append((value, key))  # null leaves the zero value; omitted when re-encoded
                continue
            st.fields.append(key)
            st.struct = t.struct_name
            _walk(v, sub, st, f"{path}.{key}" if path else key, value, key)
            del st.fields[depth:]
            st.struct = saved_struct
        return
    if kind == MAP:
        if not isinstance(value, dict):
            if st.converter:
                raise DecodeError(_converter_error(value, t))
            st.save(st.type_err(value, t.go))
            return
        elem = t.elem
        for key in sorted(value):
            v = value[key]
            if v is None:
                if elem.kind == STRING:
                    value[key] = ""
                continue
            _walk(v, elem, st, f"{path}.{key}" if path else key, value, key)
        return
    if kind == SLICE:
        if not isinstance(value, list):
            if st.converter:
                raise DecodeError(_converter_error(value, t))
            st.save(st.type_err(value, t.go))
            return
        elem = t.elem
        for i, v in enumerate(value):
            if v is None:
                if elem.kind == STRUCT:
                    value[i] = {}
                elif elem.kind == STRING:
                    value[i] = ""
                continue
            _walk(v, elem, st, f"{path}[{i}]", value, i)
        return
    if kind == STRING:
        if not isinstance(value, str):
            if st.converter:
                raise DecodeError(_converter_error(value, t))
            st.save(st.type_err(value, t.go))
        return
    if kind == INT:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if st.converter:
                raise DecodeError(_converter_error(value, t))
            st.save(st.type_err(value, t.go))
            return
        lo, hi = t.int_range
        if isinstance(value, float):
            if value != value or value in (math.inf, -math.inf) or value != int(value) or not lo <= value <= hi:
                if st.converter:
                    raise DecodeError(_converter_error(value, t) if value != int(value) else
                                      f"unrecognized type: {t.go}")
                st.save(st.type_err(value, t.go, literal=True))
                return
            holder[hkey] = int(value)
            return
        if not lo <= value <= hi:
            st.save(st.type_err(value, t.go, literal=True))
        return
    if kind == FLOAT:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if st.converter:
                raise DecodeError(_converter_error(value, t))
            st.save(st.type_err(value, t.go))
        return
    if kind == BOOL:
        if not isinstance(value, bool):
            if st.converter:
                raise DecodeError(_converter_error(value, t))
            st.save(st.type_err(value, t.go))
        return
    if kind == INTSTR:
        # intstr.IntOrString.UnmarshalJSON: a JSON string, else json.Unmarshal into int32;
        # its error is returned (aborting) and gets the outer field context.
        if isinstance(value, str):
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DecodeError(st.type_err(value, "int32") if not st.converter else
                              f"json: cannot unmarshal {_json_kind(value)} into Go value of type int32")
        if isinstance(value, float) and value == int(value) and abs(value) < 2**31:
            holder[hkey] = int(value)
            return
        if isinstance(value, float) or not -2**31 <= value < 2**31:
            raise DecodeError(st.type_err(value, "int32", literal=True) if not st.converter else
                              f"json: cannot unmarshal number {go_json_number(value)} into Go value of type int32")
        return
    if kind == QUANTITY:
        # resource.Quantity.UnmarshalJSON: strip quotes, TrimSpace, ParseQuantity; errors abort.
        if isinstance(value, str):
            text = value.strip(" \t\n\r\v\f")
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (int, float)):
            text = go_json_number(value)
        else:
            text = json.dumps(value)
        err = parse_quantity_error(text)
        if err:
            raise DecodeError(err)
        return
    if kind == TIME:
        if not isinstance(value, str):
            raise DecodeError(st.type_err(value, "string") if not st.converter else
                              f"json: cannot unmarshal {_json_kind(value)} into Go value of type string")
        err = parse_time_error(value, t.time_layout)
        if err:
            raise DecodeError(err)
        return
    if kind == BYTES:
        if isinstance(value, str):
            err = base64_error(value)
            if err:
                if st.converter:
                    raise DecodeError(err)
                st.save(err)
            return
        if isinstance(value, list):
            return
        if st.converter:
            raise DecodeError(_converter_error(value, t))
        st.save(st.type_err(value, t.go))
        return
    # ANY: RawExtension, FieldsV1, free-form JSON
    return


def check_types(t: GoType, obj: Any, *, root_struct: str = "") -> str | None:
    """Non-strict decode of ``obj`` into ``t``: the error message or None (no unknown-field check).
    kubectl uses this for ``metadataOnlyObject`` (see ``labsim.api.decode``)."""
    st = _State()
    try:
        if root_struct and isinstance(obj, dict):
            for key in sorted(obj):
                sub = t.fields.get(key)
                if sub is None or obj[key] is None:
                    continue
                st.fields, st.struct = [key], root_struct
                _walk(obj[key], sub, st, key, obj, key)
        else:
            _walk(obj, t, st, "", None, None)
    except DecodeError as e:
        return str(e)
    return st.type_error


# -- the entry point used by the API server ----------------------------------------------------


def strict_decode(rt, obj, *, field_validation: str = "Strict", operation: str = "create", patch=None) -> list[str]:
    """Decode ``obj`` (a private copy: unknown fields and nulls are removed in place) as the API
    server decodes a request body for ``rt``. Returns the warnings to send (``--validate=warn``);
    raises :class:`labsim.errors.StatusError` when the server would reject the body."""
    t = type_for(rt)
    if t is None or not isinstance(obj, dict):
        return []
    mode = (field_validation or "Strict").capitalize()
    if mode not in ("Strict", "Warn", "Ignore"):
        raise errors.bad_request(f'fieldValidation parameter unsupported: {field_validation}')
    is_patch = operation == "patch"
    drops: list[tuple[dict, str]] = []
    if _clean(t)(obj, drops):
        # nothing to report or convert: the walk below would only drop the nulls
        expected = _walked(rt, obj, t, is_patch) if VERIFY else None
        for holder, key in drops:
            holder.pop(key, None)
        if expected is not None and json.dumps(obj) != expected:
            raise AssertionError(f"clean-body check of {rt.kind} differs from the decoder walk:\n"
                                 f"{json.dumps(obj)}\n{expected}")
        return []
    st = _State(converter=is_patch)
    fatal: str | None = None
    try:
        _walk(obj, t, st, "", None, None)
    except DecodeError as e:
        fatal = str(e)
    type_error = fatal or st.type_error
    unknown = sorted(st.unknown) if is_patch else st.unknown
    strict_msg = "strict decoding error: " + ", ".join(f"unknown field {go_quote(p)}" for p in unknown)
    if is_patch:
        shown = go_map_string(patch if patch is not None else obj)
        if type_error:
            raise _patch_invalid(shown, type_error)
        if unknown and mode == "Strict":
            raise _patch_invalid(shown, strict_msg)
    else:
        version = rt.version
        prefix = f'{rt.kind} in version "{version}" cannot be handled as a {rt.kind}: '
        if type_error:
            raise errors.bad_request(prefix + type_error)
        if unknown and mode == "Strict":
            raise errors.bad_request(prefix + strict_msg)
    for holder, key in st.drops:
        holder.pop(key, None)
    if mode == "Warn":
        return [f"unknown field {go_quote(p)}" for p in unknown]
    return []


# -- the clean-body check ---------------------------------------------------------------------
#
# Almost every body is well-formed (controllers, kubelets and event recorders write what the
# server stored, or objects built from it): for those the walk above finds no type error and no
# unknown field, converts nothing and only drops nulls. _clean(t)(value, drops) answers "is this
# such a body?" in one pass without the walk's bookkeeping (paths, field stacks, sorting),
# collecting the nulls to drop; anything else (a wrong type, an unknown field, a float for an
# integer, a null inside a list or a string map, an odd Quantity or time) returns False and the
# body takes the walk. With LABSIM_CACHE_MUTATION_DETECTOR=1 (tests) every clean answer is
# checked against the walk.

#: test mode: every clean-body answer is checked against the full walk
VERIFY = os.environ.get("LABSIM_CACHE_MUTATION_DETECTOR") == "1"

_CLEAN: dict[int, Any] = {}
_CLEAN_QUANTITIES: dict[str, bool] = {}


def _clean_str(v: Any, drops: list) -> bool:
    return type(v) is str


def _clean_bool(v: Any, drops: list) -> bool:
    return type(v) is bool


def _clean_float(v: Any, drops: list) -> bool:
    return type(v) is float or type(v) is int


def _clean_any(v: Any, drops: list) -> bool:
    return True


def _clean_intstr(v: Any, drops: list) -> bool:
    return type(v) is str or (type(v) is int and -2**31 <= v < 2**31)


def _clean_quantity(v: Any, drops: list) -> bool:
    if type(v) is int:
        return True  # go_json_number of an integer always parses
    if type(v) is not str:
        return False
    ok = _CLEAN_QUANTITIES.get(v)
    if ok is None:
        ok = parse_quantity_error(v.strip(" \t\n\r\v\f")) is None
        if len(_CLEAN_QUANTITIES) < 4096:
            _CLEAN_QUANTITIES[v] = ok
    return ok


def _clean_bytes(v: Any, drops: list) -> bool:
    return (type(v) is str and base64_error(v) is None) or type(v) is list


def _clean(t: GoType):
    """The clean-body check of ``t`` (built once per type)."""
    fn = _CLEAN.get(id(t))
    if fn is not None:
        return fn
    kind = t.kind
    if kind == STRUCT:
        table: dict[str, Any] = {}

        def fn(v: Any, drops: list) -> bool:
            if type(v) is not dict:
                return False
            if not table:
                table.update((name, _clean(sub)) for name, sub in t.fields.items())
                if not table:
                    return not v
            get = table.get
            for k, x in v.items():
                f = get(k)
                if f is None:
                    return False
                if x is None:
                    drops.append((v, k))
                elif not f(x, drops):
                    return False
            return True
    elif kind == MAP:
        elem_t = t.elem
        elem = _clean(elem_t)
        if elem is _clean_str:
            def fn(v: Any, drops: list) -> bool:
                if type(v) is not dict:
                    return False
                for x in v.values():
                    if type(x) is not str:
                        return False
                return True
        else:
            def fn(v: Any, drops: list) -> bool:
                if type(v) is not dict:
                    return False
                for x in v.values():
                    if x is not None and not elem(x, drops):
                        return False
                return True
    elif kind == SLICE:
        elem = _clean(t.elem)

        def fn(v: Any, drops: list) -> bool:
            if type(v) is not list:
                return False
            for x in v:
                if x is None or not elem(x, drops):
                    return False
            return True
    elif kind == INT:
        lo, hi = t.int_range

        def fn(v: Any, drops: list) -> bool:
            return type(v) is int and lo <= v <= hi
    elif kind == TIME:
        layout = t.time_layout

        def fn(v: Any, drops: list) -> bool:
            return type(v) is str and parse_time_error(v, layout) is None
    else:
        fn = {STRING: _clean_str, BOOL: _clean_bool, FLOAT: _clean_float, INTSTR: _clean_intstr,
              QUANTITY: _clean_quantity, BYTES: _clean_bytes}.get(kind, _clean_any)
    _CLEAN[id(t)] = fn
    return fn


def _walked(rt, obj: dict, t: GoType, is_patch: bool) -> str:
    """Test mode: the JSON of what the full walk makes of a copy of ``obj`` (which it must accept)."""
    from labsim.api.meta import deep_copy

    probe = deep_copy(obj)
    st = _State(converter=is_patch)
    try:
        _walk(probe, t, st, "", None, None)
    except DecodeError as e:
        raise AssertionError(f"clean-body check passed a {rt.kind} the decoder rejects: {e}") from e
    if st.type_error or st.unknown:
        raise AssertionError(f"clean-body check passed a {rt.kind} with errors: {st.type_error} {st.unknown}")
    for holder, key in st.drops:
        holder.pop(key, None)
    return json.dumps(probe)


def _patch_invalid(shown: str, detail: str) -> errors.StatusError:
    cause = errors.FieldError("patch", "FieldValueInvalid", f"Invalid value: {go_quote(shown)}: {detail}")
    return errors.invalid("", "", "", [cause])


# -- kubectl explain ---------------------------------------------------------------------------


@dataclass
class ExplainField:
    name: str
    type: str  #: as ``kubectl explain`` shows it: string, integer, boolean, Object, []Object, map[string]string
    go_type: str
    required: bool
    description: str
    enum: list[str] = field(default_factory=list)


@dataclass
class ExplainNode:
    """What ``kubectl explain <kind>.<path>`` needs about one schema node."""

    group: str
    kind: str
    version: str
    path: list[str]
    type: str  #: explain's type name (see :class:`ExplainField`)
    go_type: str
    description: str
    fields: list[ExplainField]  #: sorted by name; empty for scalars
    enum: list[str] = field(default_factory=list)


def _explain_type(t: GoType) -> str:
    if t.kind == STRUCT:
        return "Object"
    if t.kind == SLICE:
        e = t.elem
        return "[]" + _explain_type(e)
    if t.kind == MAP:
        return "map[string]" + _explain_type(t.elem)
    return {STRING: "string", INT: "integer", FLOAT: "number", BOOL: "boolean", INTSTR: "IntOrString",
            QUANTITY: "Quantity", TIME: "string", BYTES: "string", ANY: "Object"}[t.kind]


def _describe(t: GoType, parent_schema: dict | None = None, name: str = "") -> str:
    if parent_schema is not None:
        prop = (parent_schema.get("properties") or {}).get(name) or {}
        if prop.get("description"):
            return prop["description"]
    return t.schema.get("description", "") or ""


def explain_node(rt, path: list[str]) -> ExplainNode | None:
    """The schema node of ``rt``'s kind at ``path`` (``["spec", "containers"]``), or None when a
    field does not exist. Lists are stepped through (``containers`` then its element's fields)."""
    t = type_for(rt)
    if t is None:
        return None
    desc = t.schema.get("description", "")
    enum: list[str] = []
    for name in path:
        while t.kind in (SLICE, MAP):
            t = t.elem
        if t.kind != STRUCT or name not in t.fields:
            return None
        parent = t.schema
        t = t.fields[name]
        prop = (parent.get("properties") or {}).get(name) or {}
        desc = prop.get("description") or t.schema.get("description", "")
        enum = [str(x) for x in prop.get("enum") or [] if x is not None]
    inner = t
    while inner.kind in (SLICE, MAP):
        inner = inner.elem
    fields: list[ExplainField] = []
    if inner.kind == STRUCT:
        required = set(inner.schema.get("required") or [])
        for name in sorted(inner.fields):
            ft = inner.fields[name]
            prop = (inner.schema.get("properties") or {}).get(name) or {}
            fields.append(ExplainField(name, _explain_type(ft), ft.go, name in required,
                                       prop.get("description") or ft.schema.get("description", "") or "",
                                       [str(x) for x in prop.get("enum") or [] if x is not None]))
    return ExplainNode(rt.group, rt.kind, rt.version, list(path), _explain_type(t), t.go, desc or "", fields, enum)
