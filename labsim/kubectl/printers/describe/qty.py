"""Quantity helpers for describe over :mod:`labsim.api.quantity`: tolerant parsing, ``Add`` with
apimachinery's format rule, ``String()`` of stored values."""
from __future__ import annotations

from labsim.api.quantity import DECIMAL_SI, Quantity, QuantityError, parse_quantity, quantity_text

ZERO = Quantity(0, DECIMAL_SI)
canonical = quantity_text


def parse_qty(raw) -> Quantity:
    """Parse a stored quantity; an unparsable one counts as zero (the server rejects those)."""
    if raw is None:
        return ZERO
    try:
        return parse_quantity(raw)
    except QuantityError:
        return ZERO


def add(a: Quantity, b: Quantity) -> Quantity:
    """``Quantity.Add``: the sum keeps the receiver's format, except that a zero-valued receiver
    takes the operand's format (resource/quantity.go ``Add``)."""
    fmt = b.format if a.value == 0 and a.format == DECIMAL_SI else a.format
    return Quantity(a.value + b.value, fmt)
