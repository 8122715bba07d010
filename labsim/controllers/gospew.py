"""The pod-template hash exactly as kube-controller-manager v1.32 computes it.

``controller.ComputeHash`` (kubernetes/kubernetes: pkg/controller/controller_utils.go) hashes the
Go value ``v1.PodTemplateSpec`` printed by go-spew 1.1.1 (``hashutil.DeepHashObject``:
``spew.ConfigState{Indent: " ", SortKeys: true, DisableMethods: true, SpewKeys: true}`` and
``Fprintf("%#v")``) with FNV-32a. Reproducing that from a wire-format dict takes three parts:

* the Go types: every type reachable from ``core/v1.PodTemplateSpec`` at k8s.io/api v0.32, with
  Go field names and type strings as reflect reports them (``data/gospew_types.json``, made by
  ``tools/gen_gospew_types.py`` from the compiled types);
* the Go value the controller holds: the template as the API server stored it, decoded the way
  encoding/json fills those structs (absent -> zero value, ``null`` -> nil), then passed through
  protobuf (etcd storage and the controller-manager's default
  ``--kube-api-content-type=application/vnd.kubernetes.protobuf``): empty lists and maps arrive
  as nil, a ``resource.Quantity`` travels as its canonical string and is re-parsed
  (k8s.io/apimachinery: pkg/api/resource/quantity_proto.go), a ``metav1.Time`` keeps whole
  seconds and is decoded ``.Local()`` (pkg/apis/meta/v1/time_proto.go);
* go-spew's formatter (github.com/davecgh/go-spew v1.1.1 spew/format.go): with ``%#v`` every
  value not inside a slice, map or pointer is prefixed by its type, ``(v1.Probe)``; struct fields
  print as ``Name:value`` separated by spaces inside ``{}``; strings print raw (not quoted); nil
  pointers, slices and maps print ``<nil>``; a non-nil pointer prints its type ``(*v1.Probe)``
  then the pointee without a type, or ``<*>`` where types are suppressed; slices ``[a b]``; maps
  ``map[k:v]`` with sorted keys; unexported fields (``resource.Quantity``'s ``i``, ``d``, ``s``,
  ``time.Time``'s ``wall``, ``ext``, ``loc``) print like any other, methods are never called.

Verified against the Go oracle in tools/spew_oracle (tests/labsim/controllers/test_pod_template_hash.py).
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache

# the scanner (parseQuantityString) and its error are shared with the API server's quantities; what
# this module adds is Go's internal representation (int64Amount / inf.Dec and the cached string)
from labsim.api.quantity import QuantityError, _parse_quantity_string

_DATA = os.path.join(os.path.dirname(__file__), "data", "gospew_types.json")


@lru_cache(maxsize=1)
def _types() -> dict:
    with open(_DATA, encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------------------------------------
# resource.Quantity (k8s.io/apimachinery: pkg/api/resource/quantity.go, amount.go, suffix.go)

_MAX_INT64 = (1 << 63) - 1
_MIN_INT64 = -(1 << 63)
_NANO = -9
_DEC_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC_BY_EXP = {v: k for k, v in _DEC_SUFFIXES.items()}
_BIN_BY_EXP = {v: k for k, v in _BIN_SUFFIXES.items()}


class Quantity:
    """The fields of a Go resource.Quantity: ``i`` (value, scale) when ``dec`` is None, else
    ``dec`` = (unscaled, scale) of the inf.Dec (value = unscaled * 10**-scale); ``s`` the cached
    string; ``format`` the Format."""

    __slots__ = ("value", "scale", "dec", "s", "format")

    def __init__(self, value=0, scale=0, dec=None, s="", format=""):
        self.value, self.scale, self.dec, self.s, self.format = value, scale, dec, s, format

    def __repr__(self):
        return f"Quantity(i=({self.value},{self.scale}), dec={self.dec}, s={self.s!r}, format={self.format!r})"


def _go_parse_int64(text: str):
    # strconv.ParseInt(text, 10, 64) for the forms used here: optional sign, digits
    if not text or not re.fullmatch(r"[+-]?[0-9]+", text):
        return None
    v = int(text)
    return v if _MIN_INT64 <= v <= _MAX_INT64 else None


def _interpret_suffix(suf: str):
    """suffixer.interpret: (base, exponent, format)."""
    if suf in _DEC_SUFFIXES:
        return 10, _DEC_SUFFIXES[suf], "DecimalSI"
    if suf in _BIN_SUFFIXES:
        return 2, _BIN_SUFFIXES[suf], "BinarySI"
    if len(suf) > 1 and suf[0] in "eE":
        e = _go_parse_int64(suf[1:])
        if e is None:
            raise QuantityError("unable to parse quantity's suffix")
        return 10, (e + (1 << 31)) % (1 << 32) - (1 << 31), "DecimalExponent"  # int32(parsed)
    raise QuantityError("unable to parse quantity's suffix")


def _round_up_to_scale(unscaled: int, scale: int, new_scale: int) -> int:
    """inf.Dec.Round(x, new_scale, inf.RoundUp): the unscaled value at new_scale, away from 0."""
    shift = new_scale - scale
    if shift >= 0:
        return unscaled * 10 ** shift
    d = 10 ** -shift
    q, r = divmod(abs(unscaled), d)
    if r:
        q += 1
    return q if unscaled >= 0 else -q


def parse_quantity(s: str) -> Quantity:
    """resource.ParseQuantity."""
    if not s:
        raise QuantityError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    if s == "0":
        return Quantity(format="DecimalSI", s=s)
    positive, value, num, denom, suf = _parse_quantity_string(s)
    base, exponent, fmt = _interpret_suffix(suf)
    precision = 0
    scale = 0
    mantissa = 1
    if fmt in ("DecimalExponent", "DecimalSI"):
        scale = exponent
        precision = 18 - (len(num) + len(denom))
    else:  # BinarySI
        if exponent >= 0 and not denom:
            mantissa = 1 << exponent
            # precision = 15 - int32(len(num)) - int32(float32(exponent)*3/10) - 1
            precision = 15 - len(num) - int(exponent * 3 / 10) - 1
        else:
            precision = -1
    if precision >= 0:
        scale -= len(denom)
        if scale >= _NANO:
            shifted = num + denom
            v = _go_parse_int64(shifted)
            if v is None:
                raise QuantityError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
            result = v * mantissa
            if _MIN_INT64 <= result <= _MAX_INT64:  # int64Multiply
                if not positive:
                    result = -result
                if fmt == "BinarySI":
                    if exponent % 10 == 0 and (v & 0x07) != 0:
                        return Quantity(result, scale, None, s, fmt)
                elif scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                    return Quantity(result, scale, None, s, fmt)
                return Quantity(result, scale, None, "", fmt)
    # the inf.Dec path
    m = re.fullmatch(r"([+-]?)([0-9]*)(?:\.([0-9]*))?", value)
    if not m or not (m.group(2) or m.group(3)):
        raise QuantityError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    frac = m.group(3) or ""
    unscaled = int((m.group(2) or "0") + frac)
    if m.group(1) == "-":
        unscaled = -unscaled
    dscale = len(frac)
    if base == 10:
        dscale -= exponent
    else:
        unscaled *= 1 << exponent
    negative = unscaled < 0
    unscaled = abs(unscaled)
    if unscaled != 0:
        unscaled = _round_up_to_scale(unscaled, dscale, 9)
        dscale = 9
    # unscaled >= 0 here; dscale is 9 unless the amount is zero
    if fmt == "BinarySI" and unscaled > _MAX_INT64 * 10 ** dscale:
        unscaled, dscale = _MAX_INT64, 0  # amount.Set(maxAllowed.Dec): inf.NewDec(MaxInt64, 0)
    if fmt == "BinarySI" and 0 < unscaled < 10 ** dscale:
        fmt = "DecimalSI"
    if negative:
        unscaled = -unscaled
    return Quantity(0, 0, (unscaled, dscale), "", fmt)


def _remove_factors(value: int, base: int):
    times = 0
    neg = value < 0
    v = -value if neg else value
    while v >= base and v % base == 0:
        times += 1
        v //= base
    return (-v if neg else v), times


def _dec_canonical(unscaled: int, scale: int):
    """infDecAmount.AsCanonicalBytes: (digits, exponent multiple of 3)."""
    amount, times = _remove_factors(unscaled, 10)
    exponent = -scale + times
    while exponent % 3 != 0:  # Go's % truncates; any non-zero remainder moves the same way
        amount *= 10
        exponent -= 1
    return str(amount), exponent


def _int_canonical(value: int, scale: int):
    """int64Amount.AsCanonicalBytes."""
    amount, times = _remove_factors(value, 10)
    exponent = scale + times
    rem = exponent - int(exponent / 3) * 3  # Go's truncated %
    if rem in (1, -2):
        amount *= 10
        if not _MIN_INT64 <= amount <= _MAX_INT64:
            return _dec_canonical(value, -scale)
        exponent -= 1
    elif rem in (2, -1):
        amount *= 100
        if not _MIN_INT64 <= amount <= _MAX_INT64:
            return _dec_canonical(value, -scale)
        exponent -= 2
    return str(amount), exponent


def quantity_string(q: Quantity) -> str:
    """Quantity.String(): the cached string, else CanonicalizeBytes."""
    if q.s:
        return q.s
    if q.dec is not None:
        unscaled, dscale = q.dec
        is_zero = unscaled == 0
    else:
        is_zero = q.value == 0
    if is_zero:
        return "0"
    fmt = q.format
    rounded = None
    if fmt == "BinarySI":
        # value as an exact fraction num/den
        if q.dec is not None:
            num, den = (q.dec[0], 10 ** q.dec[1]) if q.dec[1] >= 0 else (q.dec[0] * 10 ** -q.dec[1], 1)
        else:
            num, den = (q.value * 10 ** q.scale, 1) if q.scale >= 0 else (q.value, 10 ** -q.scale)
        if -1024 * den < num < 1024 * den:
            fmt = "DecimalSI"
        elif q.dec is not None:
            r = _round_up_to_scale(q.dec[0], q.dec[1], 0)
            if r * den != num:
                fmt = "DecimalSI"
            else:
                rounded = r
        else:
            if q.scale >= 0:
                rounded = q.value * 10 ** q.scale
                # int64Amount.AsScaledInt64(0) overflow falls back to the inf.Dec form: same number
            else:
                d = 10 ** -q.scale
                if q.value % d != 0 if q.value >= 0 else (-q.value) % d != 0:
                    fmt = "DecimalSI"
                else:
                    rounded = q.value // d if q.value >= 0 else -((-q.value) // d)
    elif fmt not in ("DecimalExponent", "DecimalSI"):
        fmt = "DecimalExponent"
    if fmt in ("DecimalExponent", "DecimalSI"):
        if q.dec is not None:
            number, exponent = _dec_canonical(*q.dec)
        else:
            number, exponent = _int_canonical(q.value, q.scale)
        if fmt == "DecimalSI":
            suffix = _DEC_BY_EXP.get(exponent, "")
        else:
            suffix = "" if exponent == 0 else f"e{exponent}"
        return number + suffix
    amount, exponent = _remove_factors(rounded, 1024)
    return str(amount) + _BIN_BY_EXP.get(exponent * 10, "")


def _quantity_from_json(v) -> Quantity:
    """Quantity.UnmarshalJSON (strings and bare numbers), then the protobuf round trip."""
    if v is None:
        q = Quantity()
    else:
        if isinstance(v, bool):
            raise QuantityError(f"invalid quantity {v!r}")
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        q = parse_quantity(str(v).strip())
    return parse_quantity(quantity_string(q))


def _quantity_go(q: Quantity) -> dict:
    if q.dec is None:
        dec = None
    else:
        unscaled, dscale = q.dec
        mag = abs(unscaled)
        limbs = []
        while mag:
            limbs.append(mag & 0xFFFFFFFFFFFFFFFF)
            mag >>= 64
        dec = {"unscaled": {"neg": unscaled < 0, "abs": limbs or None}, "scale": dscale}
    return {"i": {"value": q.value, "scale": q.scale}, "d": {"Dec": dec}, "s": q.s, "Format": q.format}


# ---------------------------------------------------------------------------------------------
# metav1.Time, intstr.IntOrString, metav1.FieldsV1

_UNIX_TO_INTERNAL = 62135596800  # time.unixToInternal: seconds from year 1 to 1970
# time.Local in a controller-manager with no TZ and no /etc/localtime (the distroless image):
# initLocal falls back to UTC with the name "UTC" and no zone data. Assumption, unverified.
_LOCAL_LOC = {"name": "UTC", "zone": None, "tx": None, "extend": "", "cacheStart": 0, "cacheEnd": 0,
              "cacheZone": None}
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")


def _time_from_json(v) -> dict:
    if v is None or v == "":
        return {"Time": {"wall": 0, "ext": 0, "loc": None}}
    import calendar
    m = _RFC3339.match(str(v))
    if not m:
        raise ValueError(f"parsing time {json.dumps(v)} as RFC 3339")
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    sec = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
    tz = m.group(8)
    if tz not in ("Z", "z"):
        sign = 1 if tz[0] == "+" else -1
        sec -= sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    # time_proto.go: time.Unix(p.Seconds, 0).Local() -- wall holds no nanoseconds, no monotonic
    return {"Time": {"wall": 0, "ext": sec + _UNIX_TO_INTERNAL, "loc": _LOCAL_LOC}}


def _intstr_from_json(v) -> dict:
    # intstr.go UnmarshalJSON: a JSON string -> Type String; anything else (number, null) -> Int
    if isinstance(v, str):
        return {"Type": 1, "IntVal": 0, "StrVal": v}
    return {"Type": 0, "IntVal": 0 if v is None else int(v), "StrVal": ""}


def _fields_from_json(v) -> dict:
    # FieldsV1.UnmarshalJSON keeps the raw bytes; the request's exact bytes are gone from a
    # wire dict, so compact JSON is used (managedFields never appear in pod templates).
    if v is None:
        return {"Raw": None}
    return {"Raw": list(json.dumps(v, separators=(",", ":"), ensure_ascii=False).encode())}


@lru_cache(maxsize=4096)
def _quantity_go_cached(v):
    # read-only result: the formatter only reads it
    return _quantity_go(_quantity_from_json(v))


def _quantity_decode(v):
    if isinstance(v, str):
        return _quantity_go_cached(v)
    return _quantity_go(_quantity_from_json(v))


_SPECIAL_DECODERS = {
    "resource.Quantity": _quantity_decode,
    "v1.Time": _time_from_json,
    "v1.MicroTime": _time_from_json,
    "intstr.IntOrString": _intstr_from_json,
    "v1.FieldsV1": _fields_from_json,
}


# ---------------------------------------------------------------------------------------------
# go-spew's formatter over wire values

_SURROGATES = re.compile("[\ud800-\udfff]")
_INT_KINDS = frozenset(("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
                        "uint64", "uintptr"))


def _gostr(v) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        v = str(v)
    return v


def _goint(v) -> str:
    if v is None:
        return "0"
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(int(v))


_FORMATTERS: dict = {}
#: pieces every printout is made of (brackets, field prefixes); fnv_pieces gives them tables
_FIXED_PIECES = {"(v1.PodTemplateSpec)", "{", "}", "[", "]", " ", ":", "map[", "<nil>", "<*>", "true", "false",
                 "0", ""}


def _body(t: str, gomode: bool):
    """A function (value, out) appending spew's text of value of Go type t without its type
    prefix. gomode: the value is already a Go value (dicts keyed by Go field names) rather than
    wire JSON."""
    key = (t, gomode)
    fn = _FORMATTERS.get(key)
    if fn is not None:
        return fn
    # placeholder for recursive types
    cell = []
    _FORMATTERS[key] = lambda v, out: cell[0](v, out)
    fn = _build(t, gomode)
    cell.append(fn)
    _FORMATTERS[key] = fn
    return fn


def _untyped(t: str, gomode: bool):
    """Formatter for a value printed with types suppressed (slice elements, map keys/values)."""
    info = _types()[t]
    if info["k"] == "ptr":
        elem = _body(info["e"], gomode)

        def ptr_untyped(v, out):
            if v is None:
                out.append("<nil>")
            else:
                out.append("<*>")
                elem(v, out)
        return ptr_untyped
    return _body(t, gomode)


def _build(t: str, gomode: bool):
    info = _types()[t]
    kind = info["k"]
    if not gomode and t in _SPECIAL_DECODERS:
        decode = _SPECIAL_DECODERS[t]
        inner = _body(t, True)

        def special(v, out):
            inner(decode(v), out)
        return special
    if kind == "string":
        return lambda v, out: out.append(_gostr(v))
    if kind in _INT_KINDS:
        return lambda v, out: out.append(_goint(v))
    if kind == "bool":
        return lambda v, out: out.append("true" if v else "false")
    if kind == "ptr":
        elem = _body(info["e"], gomode)

        def ptr(v, out):
            if v is None:
                out.append("<nil>")
            else:
                elem(v, out)
        return ptr
    if kind == "slice":
        elem = _untyped(info["e"], gomode)

        def slice_(v, out):
            # protobuf decodes an empty list as nil
            if not v:
                out.append("<nil>")
                return
            out.append("[")
            first = True
            for e in v:
                if not first:
                    out.append(" ")
                first = False
                elem(e, out)
            out.append("]")
        return slice_
    if kind == "map":
        kfn = _untyped(info["key"], gomode)
        vfn = _untyped(info["e"], gomode)

        def map_(v, out):
            if not v:
                out.append("<nil>")
                return
            out.append("map[")
            first = True
            # SortKeys: string keys compare bytewise (code point order is the same order)
            for k in sorted(v):
                if not first:
                    out.append(" ")
                first = False
                kfn(k, out)
                out.append(":")
                vfn(v[k], out)
            out.append("]")
        return map_
    if kind == "struct":
        fields = []
        for i, (name, ftype, jkey) in enumerate(info["f"]):
            prefix = ("" if i == 0 else " ") + f"{name}:({ftype})"
            _FIXED_PIECES.add(prefix)
            if gomode:
                jkey = name
            fields.append((prefix, _body(ftype, gomode), jkey))
        fields = tuple(fields)

        def struct(v, out):
            if not isinstance(v, dict):
                v = {}
            out.append("{")
            get = v.get
            for prefix, fn, jkey in fields:
                out.append(prefix)
                if jkey is None:
                    fn(None, out)
                elif jkey == "":
                    fn(v, out)
                else:
                    fn(get(jkey), out)
            out.append("}")
        return struct
    raise NotImplementedError(f"go-spew formatting of kind {kind} ({t})")


def spew_pieces(template: dict) -> list:
    """The printout of ``template`` as a list of pieces (joined, it is :func:`spew_string`)."""
    out = ["(v1.PodTemplateSpec)"]
    _body("v1.PodTemplateSpec", False)(template or {}, out)
    return out


def spew_string(template: dict) -> str:
    """``spew.ConfigState{...}.Sprintf("%#v", tmpl)`` for a wire-format PodTemplateSpec."""
    return _go_text("".join(spew_pieces(template)))


def _go_text(s: str) -> str:
    # encoding/json decodes a lone surrogate escape as U+FFFD
    return _SURROGATES.sub("\ufffd", s) if _SURROGATES.search(s) else s


# ---------------------------------------------------------------------------------------------
# FNV-32a, fast over the printout's fixed pieces
#
# One FNV-1a step is h' = (h ^ b) * P mod 2^32; the XOR touches only the low 8 bits of h and the
# low 8 bits of a product depend only on the low 8 bits of its factors, so after n bytes
# h_n = h * P^n + F(h & 0xFF) mod 2^32 for a table F of 256 entries that depends only on the
# bytes. The printout is mostly fixed pieces (" TerminationMessagePath:(string)", "<nil>"), so
# each gets its table once and then costs one multiply-add instead of one step per byte.

_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193
_M32 = 0xFFFFFFFF
_PIECE_TABLES: dict = {}
# a table costs 256 steps a byte to build: a piece gets one once it has been hashed this often,
# so a short run (one rollout in a fresh process) never pays for tables it would not repay
_TABLE_AFTER_USES = 16
_PIECE_USES: dict = {}


def _piece_table(piece: str):
    data = piece.encode("utf-8")
    states = list(range(256))
    for b in data:
        states = [((x ^ b) * _FNV_PRIME) & _M32 for x in states]
    pn = pow(_FNV_PRIME, len(data), 1 << 32)
    table = (pn, tuple((states[x] - x * pn) & _M32 for x in range(256)))
    _PIECE_TABLES[piece] = table
    return table


def _fnv32a(data: bytes, h: int = _FNV_OFFSET) -> int:
    for b in data:
        h ^= b
        h = (h * 16777619) & 4294967295
    return h


def fnv_pieces(pieces: list) -> int:
    """FNV-32a of the UTF-8 of "".join(pieces)."""
    h = _FNV_OFFSET
    tables = _PIECE_TABLES
    fixed = _FIXED_PIECES
    uses = _PIECE_USES
    for piece in pieces:
        t = tables.get(piece)
        if t is None:
            if piece in fixed:
                n = uses.get(piece, 0) + 1
                if n >= _TABLE_AFTER_USES:
                    t = _piece_table(piece)
                else:
                    uses[piece] = n
            if t is None:
                h = _fnv32a(_go_text(piece).encode("utf-8"), h)
                continue
        h = (h * t[0] + t[1][h & 0xFF]) & 4294967295
    return h


# id(template) -> (template, fnv): holding the dict keeps its id from being reused
_FNV_BY_ID: dict = {}
# canonical JSON of the template -> fnv
_FNV_BY_JSON: dict = {}
_CACHE_SIZE = 1024


def template_fnv(template: dict) -> int:
    """FNV-32a of spew_string(template), cached (callers never mutate stored dicts)."""
    hit = _FNV_BY_ID.get(id(template))
    if hit is not None and hit[0] is template:
        return hit[1]
    key = json.dumps(template, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    h = _FNV_BY_JSON.get(key)
    if h is None:
        h = fnv_pieces(spew_pieces(template))
        if len(_FNV_BY_JSON) >= _CACHE_SIZE:
            _FNV_BY_JSON.clear()
        _FNV_BY_JSON[key] = h
    if len(_FNV_BY_ID) >= _CACHE_SIZE:
        _FNV_BY_ID.clear()
    _FNV_BY_ID[id(template)] = (template, h)
    return h
