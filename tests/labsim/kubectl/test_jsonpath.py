"""JSONPath: cases ported from k8s.io/client-go/util/jsonpath (jsonpath_test.go, parser_test.go)."""
from __future__ import annotations

import json

import pytest

from labsim.kubectl.printers.jsonpath import JSONPath, JSONPathError, relaxed_jsonpath_expression

STORE = json.loads("""{
  "Name": "jsonpath",
  "Book": [
    {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
    {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
    {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99}
  ],
  "Bicycle": [{"Color": "red", "Price": 19.95, "IsNew": true}, {"Color": "green", "Price": 20.01, "IsNew": false}],
  "Labels": {"engineer": 10, "web/html": 15, "k8s-app": 20},
  "Employees": {"jack": "manager", "jerry": "stuff"}
}""")

STORE_CASES = [
    ("plain", "hello jsonpath", "hello jsonpath"),
    ("recursive", "{..}", None),
    ("filter", "{[?(@<5)]}", None),
    ("quote", '{"{"}', "{"),
    ("union", "{[1,2]}", None),
    ("range", "{range .Book[*]}{.Author} {end}", "Nigel Rees Evelyn Waugh Herman Melville "),
    ("field", "{.Name}", "jsonpath"),
    ("array", "{.Book[2]}", '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}'),
    ("allarray", "{.Book[*].Author}", "Nigel Rees Evelyn Waugh Herman Melville"),
    ("allfields", "{.Bicycle[*].Color}", "red green"),
    ("recurfields", "{..Price}", "19.95 20.01 8.95 12.99 8.99"),  # map keys visited sorted
    ("lastarray", "{.Book[-1:].Author}", "Herman Melville"),
    ("recurarray", "{..Book[2].Author}", "Herman Melville"),
    ("bool", "{.Bicycle[?(@.IsNew==true)].Color}", "red"),
    ("filter-price", "{.Book[?(@.Price<10.0)].Title}", "Sayings of the Centurey Moby Dick"),
    ("filter-eq", '{.Book[?(@.Category=="fiction")].Author}', "Evelyn Waugh Herman Melville"),
    ("dict-key", "{.Labels.web/html}", "15"),
    ("dict-quoted", "{.Labels['web/html']}", "15"),
    ("dict-dash", "{.Labels.k8s-app}", "20"),
    ("union-fields", "{.Book[0,1].Author}", "Nigel Rees Evelyn Waugh"),
    ("slice", "{.Book[0:2].Author}", "Nigel Rees Evelyn Waugh"),
    ("slice-step", "{.Book[0:3:2].Author}", "Nigel Rees Herman Melville"),
    ("empty-slice", "{.Book[1:1].Author}", ""),
    ("exists", "{.Bicycle[?(@.IsNew)].Color}", "red green"),
    ("text-and-field", "name: {.Name}", "name: jsonpath"),
    ("escaped-quote", r'{"a\"b"}', 'a"b'),
    ("single-quoted", "{'it'}", "it"),
    ("tab-literal", '{.Name}{"\\t"}{.Name}', "jsonpath\tjsonpath"),
]


@pytest.mark.parametrize("name,template,expected", [c for c in STORE_CASES if c[2] is not None])
def test_store(name, template, expected):
    assert JSONPath.parse(template).execute(STORE) == expected


@pytest.mark.parametrize("name,template,error", [
    ("nonexistent field", "{.hello}", "hello is not found"),
    ("invalid array", "{.Labels[0]}", "map[string]interface {} is not array or slice"),
    ("invalid filter operator", "{.Book[?(@.Price<>10)]}", "unrecognized filter operator <>"),
    ("out of bounds", "{.Book[3]}", "array index out of bounds: index 3, length 3"),
    ("negative out of bounds", "{.Book[-4]}", "array index out of bounds: index -1, length 3"),
    ("bad step", "{.Book[0:3:0]}", "step must be > 0"),
    ("start > end", "{.Book[2:1]}", "starting index 2 is greater than ending index 1"),
    ("not in range", "{end}", "not in range, nothing to end"),
    ("unknown identifier", "{hello}", "unrecognized identifier hello"),
    ("incompatible", '{.Book[?(@.Price=="x")]}', "incompatible types for comparison"),
    ("float vs int", "{.Book[?(@.Price<10)]}", "incompatible types for comparison"),
])
def test_execution_errors(name, template, error):
    with pytest.raises(JSONPathError) as e:
        JSONPath.parse(template).execute(STORE)
    assert str(e.value) == error


@pytest.mark.parametrize("template,error", [
    ("{.hello", "unclosed action"),
    ("{.hello\n}", "unclosed action"),
    ("{[1:2:3:4]}", "invalid array index 1:2:3:4"),
    ("{[a]}", "invalid array index a"),
    ("{.Book[?(@.Price<10)}", "unclosed array expect ]"),
    ("{.Book[?(@.Price<10", "unterminated filter"),
    ("{.a[1}", "unterminated array"),
    ('{"abc}', "unterminated quoted string"),
    ("{....}", "invalid multiple recursive descent"),
    ("{12.3.4}", "cannot parse number 12.3.4"),
    ("{&}", "unrecognized character in action: U+0026 '&'"),
])
def test_parse_errors(template, error):
    with pytest.raises(JSONPathError) as e:
        JSONPath.parse(template)
    assert str(e.value) == error


def test_allow_missing_keys():
    jp = JSONPath.parse("{.hello}{.Name}", allow_missing_keys=True)
    assert jp.execute(STORE) == "jsonpath"


POD_LIST = {"kind": "List", "items": [
    {"kind": "None", "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
     "status": {"capacity": {"cpu": "4"}, "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
    {"kind": "None", "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
     "status": {"capacity": {"cpu": "8"}, "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                                                         {"type": "another", "address": "127.0.0.3"}]}}],
    "users": [{"name": "myself", "user": {}}, {"name": "e2e", "user": {"username": "admin", "password": "secret"}}]}


@pytest.mark.parametrize("template,expected", [
    ("{.kind}", "List"),
    ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
    ("{.items[*].status.addresses[*].address}", "127.0.0.1 127.0.0.2 127.0.0.3"),
    ("{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
     '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '),
    ("{.users[?(@.name==\"e2e\")].user.password}", "secret"),
    ("{.items[0].metadata.labels.kubernetes\\.io/hostname}", "127.0.0.1"),
    ("{.items[?(@.metadata.labels.kubernetes\\.io/hostname==\"127.0.0.1\")].kind}", "None"),
    ("{range .items[*]}{range .status.addresses[*]}{.address}{\" \"}{end}{end}", "127.0.0.1 127.0.0.2 127.0.0.3 "),
    ("{.users[*].user}", '{} {"password":"secret","username":"admin"}'),
])
def test_kubernetes(template, expected):
    assert JSONPath.parse(template, allow_missing_keys=True).execute(POD_LIST) == expected


def test_output_json():
    jp = JSONPath.parse("{.items[*].metadata.name}", output_json=True)
    assert jp.execute(POD_LIST) == '[\n    "127.0.0.1",\n    "127.0.0.2"\n]\n'


def test_null_and_numbers():
    assert JSONPath.parse("{.a} {.b} {.c} {.d}").execute({"a": None, "b": 1.5, "c": 1000000.0, "d": 3}) == \
        "null 1.5 1e+06 3"


@pytest.mark.parametrize("expr,expected", [
    (".metadata.name", "{.metadata.name}"), ("metadata.name", "{.metadata.name}"),
    ("{.metadata.name}", "{.metadata.name}"), ("{metadata.name}", "{.metadata.name}"), ("", ""),
])
def test_relaxed(expr, expected):
    assert relaxed_jsonpath_expression(expr) == expected


def test_relaxed_error():
    with pytest.raises(JSONPathError) as e:
        relaxed_jsonpath_expression("{.a}{.b}")
    assert str(e.value) == ("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' "
                            "or '{.name1.name2}'")
