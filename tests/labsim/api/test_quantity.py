"""resource.Quantity: parsing and canonical String(), ported from apimachinery
``pkg/api/resource/quantity_test.go`` (TestQuantityParse, TestQuantityString, the invalid table),
plus the ResourceList rounding the API server applies."""
from fractions import Fraction

import pytest

from labsim.api import quantity as q

BIN, DEC, EXP = q.BINARY_SI, q.DECIMAL_SI, q.DECIMAL_EXPONENT


def dec(mantissa: int, exp: int) -> Fraction:
    return Fraction(mantissa) * Fraction(10) ** exp


# TestQuantityParse: input -> (value, format)
PARSE = [
    ("0", dec(0, 0), DEC), ("0n", dec(0, 0), DEC), ("0u", dec(0, 0), DEC), ("0m", dec(0, 0), DEC),
    ("0Ki", dec(0, 0), BIN), ("0k", dec(0, 0), DEC), ("0Mi", dec(0, 0), BIN), ("0M", dec(0, 0), DEC),
    ("0Gi", dec(0, 0), BIN), ("0G", dec(0, 0), DEC), ("0Ti", dec(0, 0), BIN), ("0T", dec(0, 0), DEC),
    ("1", dec(1, 0), DEC),
    ("1Ki", 1024, BIN), ("8Ki", 8 * 1024, BIN), ("7Mi", 7 * 1024**2, BIN), ("6Gi", 6 * 1024**3, BIN),
    ("5Ti", 5 * 1024**4, BIN), ("4Pi", 4 * 1024**5, BIN), ("3Ei", 3 * 1024**6, BIN),
    ("10Ti", 10 * 1024**4, BIN), ("100Ti", 100 * 1024**4, BIN),
    ("5n", dec(5, -9), DEC), ("4u", dec(4, -6), DEC), ("3m", dec(3, -3), DEC), ("9", dec(9, 0), DEC),
    ("8k", dec(8, 3), DEC), ("50k", dec(5, 4), DEC), ("7M", dec(7, 6), DEC), ("6G", dec(6, 9), DEC),
    ("5T", dec(5, 12), DEC), ("40T", dec(4, 13), DEC), ("300T", dec(3, 14), DEC), ("2P", dec(2, 15), DEC),
    ("1E", dec(1, 18), DEC),
    ("1E-3", dec(1, -3), EXP), ("1e3", dec(1, 3), EXP), ("1E6", dec(1, 6), EXP), ("1e9", dec(1, 9), EXP),
    ("1E12", dec(1, 12), EXP), ("1e15", dec(1, 15), EXP), ("1E18", dec(1, 18), EXP),
    ("1e14", dec(1, 14), EXP), ("1e13", dec(1, 13), EXP), ("100.035k", dec(100035, 0), DEC),
    ("0.001", dec(1, -3), DEC), ("0.0005k", dec(5, -1), DEC), ("0.005", dec(5, -3), DEC),
    ("0.05", dec(5, -2), DEC), ("0.5", dec(5, -1), DEC), ("0.00050k", dec(5, -1), DEC),
    ("0.00500", dec(5, -3), DEC), ("0.05000", dec(5, -2), DEC), ("0.50000", dec(5, -1), DEC),
    ("0.5e0", dec(5, -1), EXP), ("0.5e-1", dec(5, -2), EXP), ("0.5e-2", dec(5, -3), EXP),
    ("10.035M", dec(10035, 3), DEC), ("1.2e3", dec(12, 2), EXP), ("1.3E+6", dec(13, 5), EXP),
    ("1.40e9", dec(14, 8), EXP), ("1.53E12", dec(153, 10), EXP), ("1.6e15", dec(16, 14), EXP),
    ("1.7E18", dec(17, 17), EXP), ("9.01", dec(901, -2), DEC), ("8.1k", dec(81, 2), DEC),
    ("7.123456M", dec(7123456, 0), DEC), ("6.987654321G", dec(6987654321, 0), DEC),
    ("5.444T", dec(5444, 9), DEC), ("40.1T", dec(401, 11), DEC), ("300.2T", dec(3002, 11), DEC),
    ("2.5P", dec(25, 14), DEC), ("1.01E", dec(101, 16), DEC),
    # things that saturate or round up to the nano unit
    ("3.001n", dec(4, -9), DEC), ("1.1E-9", dec(2, -9), EXP), ("0.0000000001", dec(1, -9), DEC),
    ("0.0000000005", dec(1, -9), DEC), ("0.00000000050", dec(1, -9), DEC), ("0.5e-9", dec(1, -9), EXP),
    ("0.9n", dec(1, -9), DEC), ("0.00000012345", dec(124, -9), DEC), ("0.00000012354", dec(124, -9), DEC),
    ("12E", dec(12, 18), DEC),
    ("100.035Ki", dec(10243584, -2), BIN), ("0.5Mi", 512 * 1024, BIN), ("0.05Gi", dec(536870912, -1), BIN),
    ("0.025Ti", dec(274877906944, -1), BIN),
    # "things written by trolls"
    (".001", dec(1, -3), DEC), (".0001k", dec(100, -3), DEC), ("1.", dec(1, 0), DEC), ("1.G", dec(1, 9), DEC),
]


@pytest.mark.parametrize("text,value,fmt", PARSE)
def test_parse(text, value, fmt):
    got = q.parse_quantity(text)
    assert got.value == value
    if value != 0:
        assert got.format == fmt


@pytest.mark.parametrize("text", ["-" + t for t, v, f in PARSE if v != 0][:20])
def test_parse_negative(text):
    assert q.parse_quantity(text).value == -q.parse_quantity(text[1:]).value


# the "0.000000000001Ki" troll case: rounds up to 2n and leaves BinarySI
def test_fractional_binary_below_nano_renders_decimal():
    assert q.parse_quantity("0.000000000001Ki").canonical() == "2n"


INVALID = ["1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ", ""]


@pytest.mark.parametrize("text", INVALID)
def test_parse_invalid(text):
    with pytest.raises(q.QuantityError):
        q.parse_quantity(text)


def test_invalid_messages_are_apimachinerys():
    with pytest.raises(q.QuantityError) as e:
        q.parse_quantity("1.5.3Gi")
    assert str(e.value) == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    with pytest.raises(q.QuantityError) as e:
        q.parse_quantity("1Qi")
    assert str(e.value) == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    with pytest.raises(q.QuantityError) as e:
        q.parse_quantity("1ki")
    assert str(e.value) == "unable to parse quantity's suffix"


# TestQuantityString: (value, format) -> String(), and an alternate spelling of the same amount
STRING = [
    (1024 * 1024, BIN, "1Mi", ""), (300 * 1024 * 1024, BIN, "300Mi", "314572800"), (6 * 1024, BIN, "6Ki", ""),
    (1001 * 1024**3, BIN, "1001Gi", "1074815565824"), (1024**4, BIN, "1Ti", "1099511627776"),
    (5, BIN, "5", "5"), (dec(500, -3), BIN, "500m", "0.5"), (dec(1, 9), DEC, "1G", "1000000000"),
    (dec(1000, 6), DEC, "1G", "1000000000"), (dec(1000000, 3), DEC, "1G", ""), (dec(1, -3), DEC, "1m", "0.001"),
    (dec(80, -3), DEC, "80m", "0.08"), (dec(1080, -3), DEC, "1080m", "1.08"), (dec(108, -2), DEC, "1080m", "1.08"),
    (dec(300, 6), DEC, "300M", ""), (dec(1, 12), DEC, "1T", ""), (dec(1234567, 6), DEC, "1234567M", ""),
    (dec(1234567, -3), BIN, "1234567m", ""), (dec(3, 3), DEC, "3k", ""), (1025, BIN, "1025", ""),
    (0, DEC, "0", ""), (0, BIN, "0", ""), (dec(1, 9), EXP, "1e9", ".001e12"), (dec(1, -3), EXP, "1e-3", "0.001e0"),
    (dec(1, -9), EXP, "1e-9", "1000e-12"), (dec(80, -3), EXP, "80e-3", ""), (dec(300, 6), EXP, "300e6", ""),
    (dec(1, 12), EXP, "1e12", ""), (dec(1, 3), EXP, "1e3", ""), (dec(3, 3), EXP, "3e3", ""),
    (0, EXP, "0", "00"), (dec(1, -9), DEC, "1n", ""), (dec(80, -9), DEC, "80n", ""),
    (dec(1080, -9), DEC, "1080n", ""), (dec(108, -8), DEC, "1080n", ""), (dec(1, -6), DEC, "1u", ""),
    (dec(80, -6), DEC, "80u", ""), (dec(1080, -6), DEC, "1080u", ""),
]


@pytest.mark.parametrize("value,fmt,expect,alternate", STRING)
def test_string(value, fmt, expect, alternate):
    assert q.Quantity(value, fmt).canonical() == expect
    assert q.parse_quantity(expect).canonical() == expect  # canonical strings round-trip
    if alternate:
        assert q.parse_quantity(alternate).value == Fraction(value)


@pytest.mark.parametrize("given,stored", [
    # what the API server writes back for resource requests/limits (SetDefaults_ResourceList
    # rounds up to milli units, then CanonicalizeBytes)
    ("0.5", "500m"), (0.5, "500m"), ("2000m", "2"), ("1024Mi", "1Gi"), ("1.5Gi", "1536Mi"), ("1e3", "1e3"),
    ("100m", "100m"), ("0.1", "100m"), ("1.0001", "1001m"), ("250000u", "250m"), (1, "1"), ("128974848", "128974848"),
    ("129e6", "129e6"), ("123Mi", "123Mi"), ("1.5", "1500m"), ("0.0001", "1m"),
])
def test_resource_list_canonical(given, stored):
    assert q.canonical_resource(given) == stored


def test_ordering_and_helpers():
    a, b = q.parse_quantity("500m"), q.parse_quantity("200m")
    assert a > b and b < a and a == q.parse_quantity("0.5")
    assert a.milli_value() == 500
    assert q.parse_quantity("1.5Gi").int_value() == 1610612736
    assert q.quantity_text("nonsense") == "nonsense"
    assert str(q.parse_quantity("1536Mi")) == "1536Mi"


def test_remembered_texts_give_fresh_quantities_and_errors_every_time():
    a = q.parse_quantity("250m")
    a.value, a.format = Fraction(7), q.BINARY_SI  # a caller changing its own Quantity
    b = q.parse_quantity("250m")
    assert b is not a and b.value == Fraction(1, 4) and b.format == q.DECIMAL_SI
    assert q.canonical_resource("0.0001") == q.canonical_resource("0.0001") == "1m"
    for _ in range(2):
        with pytest.raises(q.QuantityError):
            q.parse_quantity("12x")
        with pytest.raises(q.QuantityError):
            q.canonical_resource("12x")
