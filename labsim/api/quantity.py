"""``resource.Quantity`` (k8s.io/apimachinery/pkg/api/resource/quantity.go, v0.32).

Parsing follows ``parseQuantityString`` / ``ParseQuantity`` character by character so the same
inputs fail with the same errors; values are kept exactly (``Fraction``) and rounded up to nano
units as the apiserver does. :meth:`Quantity.canonical` is ``CanonicalizeBytes``: what the API
server writes back (``0.5`` -> ``500m``, ``2000m`` -> ``2``, ``1024Mi`` -> ``1Gi``,
``1.5Gi`` -> ``1536Mi``, ``1e3`` stays ``1e3``)::

    >>> parse_quantity("1.5Gi").canonical()
    '1536Mi'
    >>> parse_quantity("500m") > parse_quantity("200m")
    True
"""
from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import total_ordering

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

SPLIT_RE_STRING = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = "quantities must match the regular expression '" + SPLIT_RE_STRING + "'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

_DEC_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC_BY_EXP = {v: k for k, v in _DEC_SUFFIXES.items()}
_BIN_BY_EXP = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
_SUFFIX_CHARS = set("eEinumkKMGTP")
_DIGITS = set("0123456789")

NANO = Fraction(1, 10**9)
MILLI = Fraction(1, 1000)


class QuantityError(ValueError):
    pass


@total_ordering
class Quantity:
    """An exact amount with the format it was written in (DecimalSI, BinarySI, DecimalExponent)."""

    __slots__ = ("value", "format")

    def __init__(self, value: Fraction | int, fmt: str = DECIMAL_SI):
        self.value = Fraction(value)
        self.format = fmt

    def __eq__(self, other):
        if isinstance(other, Quantity):
            return self.value == other.value
        return NotImplemented

    def __lt__(self, other):
        if isinstance(other, Quantity):
            return self.value < other.value
        return NotImplemented

    def __hash__(self):
        return hash(self.value)

    def __repr__(self):
        return f"Quantity({self.canonical()!r})"

    def __str__(self):
        return self.canonical()

    def cmp(self, other: "Quantity") -> int:
        return (self.value > other.value) - (self.value < other.value)

    def is_zero(self) -> bool:
        return self.value == 0

    def milli_value(self) -> int:
        """``MilliValue``: the value in thousandths, rounded up (cpu in millicores)."""
        return math.ceil(self.value * 1000)

    def int_value(self) -> int:
        """``Value``: rounded up to an integer (memory in bytes)."""
        return math.ceil(self.value)

    def round_up(self, unit: Fraction) -> "Quantity":
        """``RoundUp(scale)``: round away from zero to a multiple of ``unit``."""
        v = self.value
        n = v / unit
        if n.denominator == 1:
            return self
        n = math.ceil(n) if v > 0 else math.floor(n)
        return Quantity(n * unit, self.format)

    def canonical(self) -> str:
        """``CanonicalizeBytes``: the string the API server serialises."""
        v = self.value
        if v == 0:
            return "0"
        sign = "-" if v < 0 else ""
        a = -v if v < 0 else v
        fmt = self.format
        if fmt == BINARY_SI:
            if -1024 < v < 1024 or a.denominator != 1:
                fmt = DECIMAL_SI
            else:
                n = a.numerator
                exp = 0
                while n % 1024 == 0 and exp < len(_BIN_BY_EXP) - 1:
                    n //= 1024
                    exp += 1
                return f"{sign}{n}{_BIN_BY_EXP[exp]}"
        # AsCanonicalBytes: integer mantissa, exponent a multiple of 3 (values are nano-rounded)
        scaled = a / NANO
        exp = -9
        if scaled.denominator != 1:  # finer than nano only before rounding; keep exact
            scaled = Fraction(math.ceil(scaled))
        m = scaled.numerator
        while m % 10 == 0:
            m //= 10
            exp += 1
        r = exp % 3
        if r:
            m *= 10 ** r
            exp -= r
        if fmt == DECIMAL_EXPONENT:
            suffix = "" if exp == 0 else f"e{exp}"
        elif exp in _DEC_BY_EXP:
            suffix = _DEC_BY_EXP[exp]
        else:
            while exp > 18:  # beyond exa: spell the mantissa out
                m *= 1000
                exp -= 3
            suffix = _DEC_BY_EXP[exp]
        return f"{sign}{m}{suffix}"


def _parse_quantity_string(s: str) -> tuple[bool, str, str, str, str]:
    """``parseQuantityString``: (positive, value, num, denom, suffix) or QuantityError."""
    positive = True
    pos = 0
    end = len(s)
    if pos < end and s[0] in "+-":
        positive = s[0] != "-"
        pos += 1
    # strip leading zeros
    i = pos
    while True:
        if i >= end:
            return positive, "0", "0", "", ""
        if s[i] == "0":
            pos += 1
            i += 1
        else:
            break
    i = pos
    while True:
        if i >= end:
            return positive, s[0:end], s[pos:end], "", ""
        if s[i] in _DIGITS:
            i += 1
            continue
        num = s[pos:i]
        pos = i
        break
    if not num:
        num = "0"
    denom = ""
    if pos < end and s[pos] == ".":
        pos += 1
        i = pos
        while True:
            if i >= end:
                return positive, s[0:end], num, s[pos:end], ""
            if s[i] in _DIGITS:
                i += 1
                continue
            denom = s[pos:i]
            pos = i
            break
    value = s[0:pos]
    suffix_start = pos
    i = pos
    while True:
        if i >= end:
            return positive, value, num, denom, s[suffix_start:end]
        if s[i] not in _SUFFIX_CHARS:
            pos = i
            break
        i += 1
    if pos < end and s[pos] in "+-":
        pos += 1
    i = pos
    while True:
        if i >= end:
            return positive, value, num, denom, s[suffix_start:end]
        if s[i] in _DIGITS:
            i += 1
            continue
        break
    raise QuantityError(ERR_FORMAT_WRONG)


def _interpret_suffix(suffix: str) -> tuple[int, int, str]:
    """``suffixer.interpret``: (base, exponent, format)."""
    if suffix in _DEC_SUFFIXES:
        return 10, _DEC_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BIN_SUFFIXES:
        return 2, _BIN_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        rest = suffix[1:]
        body = rest[1:] if rest[:1] in "+-" else rest
        if body and all(c in _DIGITS for c in body):
            exp = int(rest)
            if -(2**63) <= exp < 2**63:
                return 10, exp, DECIMAL_EXPONENT
    raise QuantityError(ERR_SUFFIX)


#: parsed texts: text -> (value, format); every pod write defaults and validates the same few
#: resource texts ("100m", "128Mi"), and parsing one (Decimal, Fractions) costs ~50 us
_PARSED: dict[str, tuple[Fraction, str]] = {}
_PARSED_LIMIT = 4096


def parse_quantity(s) -> Quantity:
    """``resource.ParseQuantity`` (a JSON number is accepted as its decimal text, as
    ``Quantity.UnmarshalJSON`` does). Raises :class:`QuantityError` with apimachinery's text."""
    if type(s) is str:
        hit = _PARSED.get(s)
        if hit is None:
            q = _parse_quantity(s)
            if len(_PARSED) < _PARSED_LIMIT:
                _PARSED[s] = (q.value, q.format)
            return q
        q = Quantity.__new__(Quantity)  # a new object each time: callers may change theirs
        q.value, q.format = hit
        return q
    return _parse_quantity(s)


def _parse_quantity(s) -> Quantity:
    if isinstance(s, bool):
        raise QuantityError(ERR_FORMAT_WRONG)
    if isinstance(s, int):
        s = str(s)
    elif isinstance(s, float):
        s = repr(s) if not s.is_integer() else str(int(s))
    s = str(s)  # no trimming: " 1" and "1 " are format errors upstream ("trailing whitespace is forbidden")
    if not s:
        raise QuantityError(ERR_FORMAT_WRONG)
    if s == "0":
        return Quantity(0, DECIMAL_SI)
    positive, value, num, denom, suffix = _parse_quantity_string(s)
    base, exponent, fmt = _interpret_suffix(suffix)
    try:
        amount = Fraction(Decimal(value))
    except (InvalidOperation, ValueError):
        raise QuantityError(ERR_NUMERIC) from None
    amount = abs(amount)
    if base == 10:
        amount = amount * (Fraction(10) ** exponent)
    else:
        amount = amount * (2 ** exponent)
    if amount != 0:
        # rounds non-zero values up to the minimum representable value (1n)
        n = amount / NANO
        if n.denominator != 1:
            amount = math.ceil(n) * NANO
    if not positive:
        amount = -amount
    return Quantity(amount, fmt)


def canonical(s) -> str:
    return parse_quantity(s).canonical()


def canonical_resource(s) -> str:
    """A ``ResourceList`` entry as stored: ``SetDefaults_ResourceList`` rounds up to milli units."""
    if type(s) is str:
        hit = _CANONICAL_RESOURCE.get(s)
        if hit is None:
            hit = parse_quantity(s).round_up(MILLI).canonical()
            if len(_CANONICAL_RESOURCE) < _PARSED_LIMIT:
                _CANONICAL_RESOURCE[s] = hit
        return hit
    return parse_quantity(s).round_up(MILLI).canonical()


_CANONICAL_RESOURCE: dict[str, str] = {}


def quantity_text(s) -> str:
    """``Quantity.String()`` of a stored value (its canonical form); the raw text if unparsable."""
    try:
        return canonical(s)
    except QuantityError:
        return str(s)
