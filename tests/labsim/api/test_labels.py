"""Label selectors: every row of selectors.tsv (results of the real apimachinery labels.Parse), matching
semantics, LabelSelector conversion and formatting, and a property test against a reference evaluator."""
from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labsim.api import labels

TSV = "/work/shared/docs/kubectl/transcripts/selectors.tsv"
_ROWS = []
if os.path.exists(TSV):
    for line in open(TSV):
        line = line.rstrip("\n")
        if line:
            q, status, expected = line.split("\t")
            _ROWS.append((q[1:-1], status, expected))

# the same rows, inlined so the test does not depend on the shared folder
INLINE = [
    ("app=web", "OK", "app=web"), ("app==web", "OK", "app==web"), ("app!=web", "OK", "app!=web"),
    ("app", "OK", "app"), ("!app", "OK", "!app"), ("app in (web,api)", "OK", "app in (api,web)"),
    ("app notin (web)", "OK", "app notin (web)"),
    ("app in (web", "ERR", "unable to parse requirement: found '', expected: ',' or ')'"),
    ("app in web", "ERR", "unable to parse requirement: found 'web' expected: '('"),
    ("app in ()", "OK", "app in ()"), ("app=web,tier in (fe,be)", "OK", "app=web,tier in (be,fe)"),
    ("app=", "OK", "app="), ("app = web", "OK", "app=web"),
    ("app=web tier=fe", "ERR", "found 'tier', expected: ',' or 'end of string'"),
    ("app=we b", "ERR", "found 'b', expected: ',' or 'end of string'"),
    ("=web", "ERR", "found '=', expected: !, identifier, or 'end of string'"),
    ("app=web,", "ERR", "found '', expected: identifier after ','"),
    (",app=web", "ERR", "found ',', expected: !, identifier, or 'end of string'"),
    ("app>1", "OK", "app>1"),
    ("app<x", "ERR", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the "
                     "value must be an integer"),
    ("Bad Key=x", "ERR", "unable to parse requirement: found 'Key', expected: in, notin, =, ==, !=, gt, lt"),
    ("app in (a b)", "ERR", "unable to parse requirement: found 'b', expected: ',' or ')'"),
    ("app=a=b", "ERR", "found '=', expected: ',' or 'end of string'"),
    ("!app=x", "ERR", "found '=', expected: ',' or 'end of string'"),
    ("example.com/app=x", "OK", "example.com/app=x"),
    ("app=x,,", "ERR", "found ',', expected: identifier after ','"),
    ("app ==web", "OK", "app==web"),
    ("app=(web)", "ERR", "unable to parse requirement: found '(', expected: identifier"),
    ("app=-bad", "ERR", "unable to parse requirement: values[0][app]: Invalid value: \"-bad\": a valid label must be "
                        "an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and "
                        "end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
                        "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
]


def _result(s):
    try:
        return "OK", str(labels.parse(s))
    except labels.SelectorParseError as e:
        return "ERR", str(e)


@pytest.mark.parametrize("sel,status,expected", _ROWS + INLINE)
def test_selectors_tsv(sel, status, expected):
    assert _result(sel) == (status, expected)


def test_tsv_is_fully_covered():
    if not _ROWS:
        pytest.skip("shared transcripts not present")
    assert len(_ROWS) == 34


def test_more_upstream_parse_cases():
    # k8s.io/apimachinery/pkg/labels/selector_test.go TestSelectorParse / TestSelectorMatches
    ok = ["", "x=a,y=b,z=c", "x!=a,y=b", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5", "x in (a)", "x notin (a,b)",
          "x in (,a)", "x in (a,,b)"]
    for s in ok:
        labels.parse(s)
    bad = ["x=a||y=b", "x==a==b", "!x=a", "x<a", "x>1,z<a"]
    for s in bad:
        with pytest.raises(labels.SelectorParseError):
            labels.parse(s)
    assert str(labels.parse("x in (,a)")) == "x in (,a)"
    assert str(labels.parse("x=,z= ")) == "x=,z="
    assert str(labels.parse("z=c,y=b,x=a")) == "x=a,y=b,z=c"


MATCH_CASES = [  # (selector, labels, expected) from TestSelectorMatches
    ("", {"x": "y"}, True), ("x=y", {"x": "y"}, True), ("x=y,z=w", {"x": "y", "z": "w"}, True),
    ("x!=y,z!=w", {"x": "z", "z": "a"}, True), ("notin=in", {"notin": "in"}, True), ("x", {"x": "z"}, True),
    ("!x", {"y": "z"}, True), ("x>1", {"x": "2"}, True), ("x<1", {"x": "0"}, True),
    ("x=z", {}, False), ("x=y", {"x": "z"}, False), ("x=y,z=w", {"x": "w", "z": "w"}, False),
    ("x!=y,z!=w", {"x": "z", "z": "w"}, False), ("x", {"y": "z"}, False), ("!x", {"x": "z"}, False),
    ("x>1", {"x": "0"}, False), ("x<1", {"x": "2"}, False), ("x>1", {"x": "a"}, False),
    ("x in (a,b)", {"x": "b"}, True), ("x notin (a,b)", {}, True), ("x notin (a,b)", {"x": "a"}, False),
]


@pytest.mark.parametrize("sel,lbls,expected", MATCH_CASES)
def test_matches(sel, lbls, expected):
    assert labels.parse(sel).matches(lbls) is expected


def test_label_selector_conversion_and_format():
    assert labels.format_label_selector(None) == "<none>"
    assert labels.format_label_selector({}) == "<none>"
    assert labels.format_label_selector({"matchLabels": {"app": "web", "pod-template-hash": "6d8f9c7b5d"}}) == \
        "app=web,pod-template-hash=6d8f9c7b5d"
    assert labels.format_label_selector({"matchExpressions": [
        {"key": "tier", "operator": "NotIn", "values": ["b", "a"]},
        {"key": "app", "operator": "Exists"}, {"key": "x", "operator": "DoesNotExist"},
        {"key": "env", "operator": "In", "values": ["prod"]}]}) == "app,env in (prod),tier notin (a,b),!x"
    assert labels.format_label_selector({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}) == "<error>"
    assert labels.selector_from_label_selector(None).matches({"a": "b"}) is False
    assert labels.selector_from_label_selector({}).matches({"a": "b"}) is True
    assert labels.format_labels({}) == "<none>"
    assert labels.format_labels({"b": "1", "a": "2"}) == "a=2,b=1"


# -- property: parse/match/format agree with a straightforward reference ------------------------------
KEYS = st.sampled_from(["app", "tier", "x", "example.com/app", "k8s.io/name"])
VALUES = st.sampled_from(["", "web", "api", "1", "2", "10", "a.b", "A_1"])


@st.composite
def requirements(draw):
    key = draw(KEYS)
    op = draw(st.sampled_from(["=", "==", "!=", "in", "notin", "exists", "!", "gt", "lt"]))
    if op in ("in", "notin"):
        vals = draw(st.lists(st.sampled_from(["web", "api", "1", "a.b"]), min_size=1, max_size=3))
        return (key, op, vals, f"{key} {op} ({','.join(vals)})")
    if op == "exists":
        return (key, op, [], key)
    if op == "!":
        return (key, op, [], "!" + key)
    if op in ("gt", "lt"):
        v = draw(st.sampled_from(["0", "1", "5", "42"]))
        return (key, op, [v], f"{key}{'>' if op == 'gt' else '<'}{v}")
    v = draw(VALUES)
    return (key, op, [v], f"{key}{op}{v}")


def _reference(reqs, lbls):
    for key, op, vals, _ in reqs:
        have = lbls.get(key)
        if op in ("=", "==", "in") and (have is None or have not in vals):
            return False
        if op in ("!=", "notin") and have is not None and have in vals:
            return False
        if op == "exists" and have is None:
            return False
        if op == "!" and have is not None:
            return False
        if op in ("gt", "lt"):
            try:
                n = int(have)
            except (TypeError, ValueError):
                return False
            if (op == "gt" and not n > int(vals[0])) or (op == "lt" and not n < int(vals[0])):
                return False
    return True


@settings(max_examples=300, deadline=None)
@given(st.lists(requirements(), min_size=0, max_size=4), st.dictionaries(KEYS, VALUES, max_size=4),
       st.sampled_from([",", " , ", ",  "]))
def test_property_matches_reference_and_roundtrips(reqs, lbls, sep):
    text = sep.join(r[3] for r in reqs)
    sel = labels.parse(text)
    assert sel.matches(lbls) == _reference(reqs, lbls)
    again = labels.parse(str(sel))
    assert again == sel
    assert str(again) == str(sel)
