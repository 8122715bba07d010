"""Go value formatting of bad values in validation messages (field.Error.ErrorBody, v1.32)."""
import pytest

from labsim.api.gofmt import (go_int_or_string, go_label_selector, go_quote, go_string_map, go_string_slice,
                              go_value)


@pytest.mark.parametrize("s,expect", [
    ("Web_1", '"Web_1"'), ("", '""'), ('say "hi"', '"say \\"hi\\""'), ("a\\b", '"a\\\\b"'),
    ("tab\there", '"tab\\there"'), ("nl\n", '"nl\\n"'), ("\x00\x7f", '"\\x00\\x7f"'), ("rā", '"rā"'),
    ("\u0085", '"\\u0085"'), ("\u200b", '"\\u200b"'),
])
def test_go_quote_is_strconv_quote(s, expect):
    assert go_quote(s) == expect


def test_maps_are_sorted_and_nil_is_typed():
    assert go_string_map({"b": "2", "a": "1"}) == 'map[string]string{"a":"1", "b":"2"}'
    assert go_string_map({}) == "map[string]string{}"
    assert go_string_map(None) == "map[string]string(nil)"


def test_slices():
    assert go_string_slice(["10.96.0.99"]) == '[]string{"10.96.0.99"}'
    assert go_string_slice([]) == "[]string{}"
    assert go_string_slice(None) == "[]string(nil)"


def test_label_selector_renderings():
    assert go_label_selector({"matchLabels": {"app": "web2"}}) == (
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, '
        'MatchExpressions:[]v1.LabelSelectorRequirement(nil)}')
    assert go_label_selector({}) == ("v1.LabelSelector{MatchLabels:map[string]string(nil), "
                                     "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}")
    assert go_label_selector({"matchLabels": {}}) == ("v1.LabelSelector{MatchLabels:map[string]string{}, "
                                                      "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}")
    assert go_label_selector({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]}) == (
        'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{'
        'v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"a", "b"}}}}')
    assert go_label_selector(None) == '"null"'


def test_int_or_string():
    assert go_int_or_string(0) == 'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}'
    assert go_int_or_string(3) == 'intstr.IntOrString{Type:0, IntVal:3, StrVal:""}'
    assert go_int_or_string("25") == 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"25"}'
    assert go_int_or_string("120%") == 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}'


def test_plain_values():
    assert go_value(-1) == "-1"
    assert go_value(True) == "true"
    assert go_value("tcp") == '"tcp"'
    # a nil pointer becomes the string "null", which ErrorBody then prints with %q
    assert go_value(None) == '"null"'
