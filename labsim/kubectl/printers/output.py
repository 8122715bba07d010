"""``-o yaml``, ``-o json`` and ``-o name``, as kubectl v1.32 prints objects (cli-runtime ``printers``).

* YAML is what ``sigs.k8s.io/yaml`` (go-yaml v2) emits for the object as a generic map: keys
  sorted at every level (byte order: ``N`` before ``a``), 2-space indentation, sequences not
  indented under their key, lines folded at 80 columns, and go-yaml's quoting: a string that would
  read back as another type (``"true"``, ``"500"``, ``"2026-11-24"``, ``"y"``, ``""``) is
  double-quoted, a string that plain style cannot carry (``'0/1 nodes: ...'``, ``'- x'``) is
  single-quoted, a string with a line break is a literal block (``|``, ``|-``, ``|+``).
  PyYAML's emitter is a port of the same libyaml emitter as go-yaml's, so it is used with go-yaml's
  resolution rules (``resolve.go``) plugged in.
* JSON is ``json.MarshalIndent(obj, "", "    ")`` plus a newline: Go escapes ``<``, ``>``, ``&``,
  U+2028 and U+2029.
* ``metadata.managedFields`` is stripped unless ``--show-managed-fields``
  (cli-runtime ``printers/managedfields.go``).
* Several objects are wrapped in a ``List`` (``apiVersion: v1``, ``kind: List``,
  ``metadata: {resourceVersion: ""}``).
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

try:  # the pure-Python emitter is needed: its style choice is overridden below
    from yaml.emitter import Emitter
    from yaml.representer import SafeRepresenter
    from yaml.resolver import BaseResolver
    from yaml.serializer import Serializer
except ImportError:  # pragma: no cover
    raise

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

# -- go-yaml v2 resolve.go ------------------------------------------------------------------------
_RESOLVE_MAP: dict[str, str] = {}
for _tag, _words in ((BOOL_TAG, "y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF"),
                     (NULL_TAG, "~ null Null NULL"),
                     (FLOAT_TAG, ".nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF")):
    for _w in _words.split():
        _RESOLVE_MAP[_w] = _tag
_RESOLVE_MAP[""] = NULL_TAG
_HINTS = {c: "S" for c in "+-"}
_HINTS.update({c: "D" for c in "0123456789"})
_HINTS.update({c: "M" for c in "yYnNtTfFoO~"})
_HINTS["."] = "."
_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60_FLOAT = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP_RES = (
    re.compile(r"^\d{4}-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$"),
    re.compile(r"^\d{4}-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d{1,9})?$"),
    re.compile(r"^\d{4}-(\d{1,2})-(\d{1,2})$"),
)
_GO_FLOAT = re.compile(r"^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$", re.IGNORECASE)


def _go_parse_int(s: str, unsigned: bool = False) -> bool:
    """Does ``strconv.ParseInt(s, 0, 64)`` (or ParseUint) accept ``s``?"""
    body = s
    neg = False
    if body[:1] in "+-" and body:
        if unsigned:
            return False
        neg = body[0] == "-"
        body = body[1:]
    if not body:
        return False
    low = body.lower()
    if low.startswith("0x"):
        digits, base = body[2:], 16
    elif low.startswith("0o"):
        digits, base = body[2:], 8
    elif low.startswith("0b"):
        digits, base = body[2:], 2
    elif body.startswith("0") and len(body) > 1:
        digits, base = body[1:], 8
    else:
        digits, base = body, 10
    if not digits:
        return False
    try:
        v = int(digits, base)
    except ValueError:
        return False
    if not all(c.isascii() for c in digits):
        return False
    if unsigned:
        return v < (1 << 64)
    return (v <= (1 << 63)) if neg else (v < (1 << 63))


def _is_timestamp(s: str) -> bool:
    if len(s) < 5 or not s[:4].isdigit() or s[4] != "-":
        return False
    for rx in _TIMESTAMP_RES:
        m = rx.match(s)
        if m:
            g = m.groups()
            month, day = int(g[0]), int(g[1])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                return False
            if len(g) >= 5 and g[2] is not None:
                if int(g[2]) > 23 or int(g[3]) > 59 or int(g[4]) > 59:
                    return False
            return True
    return False


def go_yaml_resolve(s: str) -> str:
    """The tag go-yaml v2 gives the plain scalar ``s``."""
    hint = _HINTS.get(s[0]) if s else "N"
    if not hint:
        return STR_TAG
    tag = _RESOLVE_MAP.get(s)
    if tag is not None:
        return tag
    if hint == ".":
        if _GO_FLOAT.match(s):
            return FLOAT_TAG
    elif hint in ("D", "S"):
        if _is_timestamp(s):
            return TIMESTAMP_TAG
        plain = s.replace("_", "")
        if plain and (_go_parse_int(plain) or _go_parse_int(plain, unsigned=True)):
            return INT_TAG
        if _YAML_STYLE_FLOAT.match(plain):
            return FLOAT_TAG
    return STR_TAG


def needs_quotes(s: str) -> bool:
    """go-yaml's ``stringv``: a plain scalar that would not read back as this string."""
    return go_yaml_resolve(s) != STR_TAG or bool(_BASE60_FLOAT.match(s))


# -- the dumper -------------------------------------------------------------------------------------
class _GoResolver(BaseResolver):
    """Implicit resolution as go-yaml v2 does it (decides whether a plain scalar is unambiguous)."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            return go_yaml_resolve(value)
        return super().resolve(kind, value, implicit)


class _GoRepresenter(SafeRepresenter):
    def represent_str(self, data: str):
        if "\n" in data:
            style = "|"
        elif needs_quotes(data):
            style = '"'
        else:
            style = None
        return self.represent_scalar(STR_TAG, data, style=style)

    def represent_float(self, data: float):
        # strconv.FormatFloat(f, 'g', -1, 64) as go-yaml prints floats
        if math.isnan(data):
            value = ".NaN"
        elif math.isinf(data):
            value = ".Inf" if data > 0 else "-.Inf"
        else:
            value = _go_float(data)
        return self.represent_scalar(FLOAT_TAG, value)

    def represent_bool(self, data: bool):
        return self.represent_scalar(BOOL_TAG, "true" if data else "false")

    def represent_none(self, data):
        return self.represent_scalar(NULL_TAG, "null")


_GoRepresenter.add_representer(str, _GoRepresenter.represent_str)
_GoRepresenter.add_representer(float, _GoRepresenter.represent_float)
_GoRepresenter.add_representer(bool, _GoRepresenter.represent_bool)
_GoRepresenter.add_representer(type(None), _GoRepresenter.represent_none)


class _GoEmitter(Emitter):
    def choose_scalar_style(self):
        # go-yaml's emitter (yaml_emitter_select_scalar_style): a double-quoted request stays
        # double-quoted; a plain request falls back to single quotes, then double quotes.
        if self.analysis is None:
            self.analysis = self.analyze_scalar(self.event.value)
        if self.event.style == '"':
            return '"'
        return super().choose_scalar_style()


class GoYAMLDumper(_GoEmitter, Serializer, _GoRepresenter, _GoResolver):
    def __init__(self, stream, default_style=None, default_flow_style=False, canonical=None, indent=None,
                 width=None, allow_unicode=None, line_break=None, encoding=None, explicit_start=None,
                 explicit_end=None, version=None, tags=None, sort_keys=True):
        _GoEmitter.__init__(self, stream, canonical=canonical, indent=indent, width=width,
                            allow_unicode=allow_unicode, line_break=line_break)
        Serializer.__init__(self, encoding=encoding, explicit_start=explicit_start, explicit_end=explicit_end,
                            version=version, tags=tags)
        _GoRepresenter.__init__(self, default_style=default_style, default_flow_style=default_flow_style,
                                sort_keys=sort_keys)
        _GoResolver.__init__(self)


def _go_float(f: float) -> str:
    if f == int(f) and abs(f) < 1e21:
        return str(int(f))
    r = repr(f)
    if "e" in r:
        mant, exp = r.split("e")
        sign = exp[0] if exp[0] in "+-" else "+"
        digits = exp.lstrip("+-").lstrip("0") or "0"
        return f"{mant}e{sign}{digits.zfill(2)}"
    return r


def _sort_key(k: Any) -> Any:
    # Go sorts map keys as strings, byte-wise
    return str(k).encode("utf-8")


def _sorted(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _sorted(obj[k]) for k in sorted(obj, key=_sort_key)}
    if isinstance(obj, list):
        return [_sorted(v) for v in obj]
    return obj


def to_yaml(obj: Any) -> str:
    """``sigs.k8s.io/yaml.Marshal`` of a generic object."""
    return yaml.dump(_sorted(obj), Dumper=GoYAMLDumper, default_flow_style=False, sort_keys=False,
                     allow_unicode=True, width=80, indent=2)


def to_json(obj: Any, sort: bool = True) -> str:
    """``json.MarshalIndent(obj, "", "    ")`` + newline (keys sorted: kubectl prints generic maps)."""
    text = json.dumps(_sorted(obj) if sort else obj, indent=4, ensure_ascii=False, separators=(",", ": "))
    return _go_json_escapes(text) + "\n"


def to_compact_json(obj: Any) -> str:
    """``json.Marshal`` (no spaces), keys sorted, Go's HTML escaping."""
    return _go_json_escapes(json.dumps(_sorted(obj), ensure_ascii=False, separators=(",", ":")))


def _go_json_escapes(text: str) -> str:
    if "<" in text or ">" in text or "&" in text or "\u2028" in text or "\u2029" in text:
        text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return text


# -- object preparation ---------------------------------------------------------------------------
def strip_managed_fields(obj: dict) -> dict:
    """A shallow copy of ``obj`` without ``metadata.managedFields`` (the stored object is shared)."""
    md = obj.get("metadata")
    if isinstance(md, dict) and "managedFields" in md:
        md = {k: v for k, v in md.items() if k != "managedFields"}
        return {**obj, "metadata": md}
    return obj


def as_list(items: list[dict]) -> dict:
    """The ``List`` kubectl prints for several objects (``get.go``: ``kind: List``)."""
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def name_line(rt, obj: dict) -> str:
    """``-o name``: ``pod/db``, ``deployment.apps/web``."""
    return f"{rt.kind_group}/{(obj.get('metadata') or {}).get('name', '')}"
