"""The PATCH engine: strategic merge patch (upstream table tests), RFC 7386 and RFC 6902."""
from __future__ import annotations

import json
import os

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from labsim import errors
from labsim.api import patch as patching
from labsim.api import strategic as sp
from labsim.api.registry import REGISTRY

DATA = os.path.join(os.path.dirname(__file__), "data")
# k8s.io/apimachinery@v0.32.0 pkg/util/strategicpatch/patch_test.go, extracted verbatim
CASES = json.load(open(os.path.join(DATA, "strategicpatch_cases.json")))
MERGE_ITEM = sp.PatchMeta(json.load(open(os.path.join(DATA, "swagger-merge-item-v3.json")))["components"]["schemas"],
                          {"$ref": "#/components/schemas/mergeItem"})


def _y(text):
    if text is None:
        return {}
    v = yaml.safe_load(text) if isinstance(text, str) else text
    return v if v is not None else {}


def _js(o) -> str:
    return json.dumps(o, separators=(",", ":"), sort_keys=True)


def _sorted(o):
    return sp.sort_merge_lists_by_name(_y(o), MERGE_ITEM)


@pytest.mark.parametrize("case", CASES["createStrategicMergePatchTestCaseData"], ids=lambda c: c["description"])
def test_upstream_create_strategic_merge_patch_cases(case):
    original, modified, current = _sorted(case.get("original")), _sorted(case.get("modified")), _sorted(case.get("current"))
    two_way = sp.create_two_way_merge_patch(original, modified, MERGE_ITEM)
    assert _js(two_way) == _js(_sorted(case.get("twoWay")))
    expected = _sorted(case.get("twoWayResult")) if case.get("twoWayResult") else modified
    assert _js(sp.strategic_merge_patch(original, two_way, MERGE_ITEM)) == _js(expected)
    if case.get("result") is None:
        pytest.skip("conflict case without a forced result (kubectl apply always overwrites)")
    three_way = sp.create_three_way_merge_patch(original, modified, current, MERGE_ITEM)
    assert _js(three_way) == _js(_sorted(case.get("threeWay")))
    assert _js(sp.strategic_merge_patch(current, three_way, MERGE_ITEM)) == _js(_sorted(case.get("result")))


@pytest.mark.parametrize("case", CASES["strategicMergePatchRawTestCases"], ids=lambda c: c["description"])
def test_upstream_strategic_merge_patch_raw_cases(case):
    g = lambda k: _y(case.get(k))  # noqa: E731
    original, modified, current = g("Original"), g("Modified"), g("Current")
    if "TwoWay" in case:
        two_way = sp.create_two_way_merge_patch(original, modified, MERGE_ITEM)
        assert _js(two_way) == _js(g("TwoWay"))
        expected = g("TwoWayResult") if case.get("TwoWayResult") else modified
        assert _js(sp.strategic_merge_patch(original, two_way, MERGE_ITEM)) == _js(expected)
    if case.get("Result") is None:
        return
    three_way = sp.create_three_way_merge_patch(original, modified, current, MERGE_ITEM)
    assert _js(three_way) == _js(g("ThreeWay"))
    if case.get("ExpectedError"):
        with pytest.raises(sp.PatchError) as exc:
            sp.strategic_merge_patch(current, three_way, MERGE_ITEM)
        assert case["ExpectedError"] in str(exc.value)
    else:
        assert _js(sp.strategic_merge_patch(current, three_way, MERGE_ITEM)) == _js(g("Result"))


def test_upstream_case_count():
    # every case of the two upstream tables is present (22 + 94)
    assert len(CASES["createStrategicMergePatchTestCaseData"]) == 22
    assert len(CASES["strategicMergePatchRawTestCases"]) == 94


# -- the real v1.32 schema ------------------------------------------------------------------------

DEPLOY = REGISTRY.for_api_version("apps/v1", "Deployment")
SERVICE = REGISTRY.for_api_version("v1", "Service")
POD = REGISTRY.for_api_version("v1", "Pod")


def _deploy(containers, **spec):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 1, "template": {"spec": {"containers": containers}}, **spec}}


def test_containers_merge_by_name_and_env_by_name():
    old = _deploy([{"name": "nginx", "image": "nginx:1.25", "env": [{"name": "A", "value": "1"}]},
                   {"name": "side", "image": "busybox"}])
    patch = {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "image": "nginx:1.27", "env": [{"name": "B", "value": "2"}]}]}}}}
    new = patching.apply_patch(DEPLOY, old, patch, "strategic")
    # upstream mergeSortedSlice: items the server order does not know go first
    assert new["spec"]["template"]["spec"]["containers"] == [
        {"name": "nginx", "image": "nginx:1.27", "env": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]},
        {"name": "side", "image": "busybox"}]
    assert old["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"  # input untouched


def test_merge_patch_replaces_lists_wholesale():
    old = _deploy([{"name": "nginx", "image": "nginx:1.25"}, {"name": "side", "image": "busybox"}])
    patch = {"spec": {"replicas": None, "template": {"spec": {"containers": [{"name": "nginx", "image": "x"}]}}}}
    new = patching.apply_patch(DEPLOY, old, patch, "merge")
    assert new["spec"] == {"template": {"spec": {"containers": [{"name": "nginx", "image": "x"}]}}}


def test_service_ports_merge_by_port_and_delete_directive():
    old = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}]}}
    patch = {"spec": {"ports": [{"port": 80, "targetPort": 9090}, {"port": 443, "$patch": "delete"}]}}
    new = patching.apply_patch(SERVICE, old, patch, "strategic")
    assert new["spec"]["ports"] == [{"port": 80, "targetPort": 9090}]


def test_finalizers_merge_as_a_set_and_delete_from_primitive_list():
    old = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": ["a", "b"]}}
    new = patching.apply_patch(POD, old, {"metadata": {"finalizers": ["b", "c"]}}, "strategic")
    assert new["metadata"]["finalizers"] == ["a", "b", "c"]
    new = patching.apply_patch(POD, new, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}, "strategic")
    assert new["metadata"]["finalizers"] == ["b", "c"]


def test_deployment_strategy_retain_keys_in_three_way_patch():
    last = _deploy([{"name": "nginx", "image": "nginx"}],
                   strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}})
    live = _deploy([{"name": "nginx", "image": "nginx"}],
                   strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}})
    file = _deploy([{"name": "nginx", "image": "nginx"}], strategy={"type": "Recreate"})
    p = sp.create_three_way_merge_patch(last, file, live, sp.patch_meta_for(DEPLOY))
    assert p == {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": None, "type": "Recreate"}}}
    new = patching.apply_patch(DEPLOY, live, p, "strategic")
    assert new["spec"]["strategy"] == {"type": "Recreate"}


def test_three_way_patch_keeps_fields_others_set_and_sets_element_order():
    last = _deploy([{"name": "nginx", "image": "nginx:1.25"}])
    live = _deploy([{"name": "nginx", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent"}],
                   revisionHistoryLimit=10)
    file = _deploy([{"name": "nginx", "image": "nginx:1.27"}])
    p = sp.create_three_way_merge_patch(last, file, live, sp.patch_meta_for(DEPLOY))
    assert _js(p) == _js({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "nginx"}],
        "containers": [{"image": "nginx:1.27", "name": "nginx"}]}}}})
    live2 = _deploy([{"name": "nginx", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent"}],
                    revisionHistoryLimit=10)
    assert sp.create_three_way_merge_patch(file, file, live2, sp.patch_meta_for(DEPLOY)) == {}


def test_strategic_errors_become_api_errors():
    old = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": ["a"]}}
    with pytest.raises(errors.StatusError) as exc:
        patching.apply_patch(POD, old, {"metadata": {"$deleteFromPrimitiveList": ["a"]}}, "strategic")
    assert (exc.value.reason, exc.value.code, exc.value.message) == (
        "BadRequest", 400, "invalid patch format of primitive list")
    with pytest.raises(errors.StatusError) as exc:
        patching.apply_patch(POD, old, '[{"op": "add"}]', "strategic")
    assert exc.value.message == "json: cannot unmarshal array into Go value of type map[string]interface {}"
    with pytest.raises(errors.StatusError) as exc:
        patching.apply_patch(POD, old, '{bad', "merge")
    assert exc.value.reason == "BadRequest"
    assert exc.value.message.startswith("error decoding patch: ")


# -- RFC 7386 appendix A ----------------------------------------------------------------------------

RFC7386 = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize("target,patch,result", RFC7386)
def test_rfc7386_appendix_a(target, patch, result):
    assert patching.merge_patch(target, patch) == result


# -- RFC 6902 appendix A ----------------------------------------------------------------------------

RFC6902 = [
    ("A.1 add object member", {"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}],
     {"baz": "qux", "foo": "bar"}),
    ("A.2 add array element", {"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}],
     {"foo": ["bar", "qux", "baz"]}),
    ("A.3 remove object member", {"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}], {"foo": "bar"}),
    ("A.4 remove array element", {"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}],
     {"foo": ["bar", "baz"]}),
    ("A.5 replace", {"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}],
     {"baz": "boo", "foo": "bar"}),
    ("A.6 move value", {"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
     [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
     {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
    ("A.7 move array element", {"foo": ["all", "grass", "cows", "eat"]},
     [{"op": "move", "from": "/foo/1", "path": "/foo/3"}], {"foo": ["all", "cows", "eat", "grass"]}),
    ("A.8 test success", {"baz": "qux", "foo": ["a", 2, "c"]},
     [{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}],
     {"baz": "qux", "foo": ["a", 2, "c"]}),
    ("A.10 add nested member", {"foo": "bar"}, [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
     {"foo": "bar", "child": {"grandchild": {}}}),
    ("A.11 ignore unrecognised elements", {"foo": "bar"},
     [{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}], {"foo": "bar", "baz": "qux"}),
    ("A.14 ~ escape ordering", {"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}],
     {"/": 9, "~1": 10}),
    ("A.16 add array value", {"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
     {"foo": ["bar", ["abc", "def"]]}),
    ("copy", {"a": {"b": 1}}, [{"op": "copy", "from": "/a", "path": "/c"}], {"a": {"b": 1}, "c": {"b": 1}}),
]


@pytest.mark.parametrize("name,doc,ops,result", RFC6902, ids=[c[0] for c in RFC6902])
def test_rfc6902_appendix_a(name, doc, ops, result):
    assert patching.apply_json_patch(doc, ops) == result


RFC6902_ERRORS = [
    ("A.9 test failure", {"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}],
     "testing value /baz failed: test failed"),
    ("A.12 add to nonexistent target", {"foo": "bar"}, [{"op": "add", "path": "/baz/bat", "value": "qux"}],
     'add operation does not apply: doc is missing path: "/baz/bat"'),
    ("A.15 string is not a number", {"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": "10"}],
     "testing value /~01 failed: test failed"),
    ("remove missing", {"a": 1}, [{"op": "remove", "path": "/b"}], "Unable to remove nonexistent key: b: missing value"),
    ("replace missing", {"a": 1}, [{"op": "replace", "path": "/b", "value": 2}],
     "replace operation does not apply: doc is missing key: /b: missing value"),
    ("bad index", {"a": [1]}, [{"op": "add", "path": "/a/5", "value": 2}], "Unable to access invalid index: 5"),
]


@pytest.mark.parametrize("name,doc,ops,message", RFC6902_ERRORS, ids=[c[0] for c in RFC6902_ERRORS])
def test_rfc6902_errors(name, doc, ops, message):
    with pytest.raises(patching.JSONPatchError) as exc:
        patching.apply_json_patch(doc, ops)
    assert str(exc.value) == message


def test_json_patch_failure_is_the_servers_generic_422():
    old = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 1}}
    with pytest.raises(errors.StatusError) as exc:
        patching.apply_patch(DEPLOY, old, [{"op": "test", "path": "/spec/replicas", "value": 3}], "json")
    assert (exc.value.reason, exc.value.code, exc.value.message) == (
        "Invalid", 422, "the server rejected our request due to an error in our request")
    with pytest.raises(errors.StatusError) as exc:
        patching.apply_patch(DEPLOY, old, '{"spec":{}}', "json")
    assert (exc.value.reason, exc.value.message) == (
        "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    new = patching.apply_patch(DEPLOY, old, '[{"op":"replace","path":"/spec/replicas","value":3}]', "json")
    assert new["spec"]["replicas"] == 3 and old["spec"]["replicas"] == 1


# -- properties -------------------------------------------------------------------------------------

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text("abc", max_size=3))
_json = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text("abcd", min_size=1, max_size=2), inner, max_size=4)),
    max_leaves=12)
_objects = st.dictionaries(st.text("abcd", min_size=1, max_size=2), _json, max_size=4)


def _no_nulls(v):
    """RFC 7386 cannot express a ``null`` value inside an object (it means delete)."""
    if isinstance(v, dict):
        return {k: _no_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_no_nulls(x) for x in v]
    return v


@settings(max_examples=200, deadline=None)
@given(_objects, _objects)
def test_merge_patch_roundtrip(a, b):
    a, b = _no_nulls(a), _no_nulls(b)
    assert sp.deep_equal(patching.merge_patch(a, patching.create_merge_patch(a, b)), b)


_names = st.sampled_from(["a", "b", "c", "d", "e"])
_container = st.builds(lambda name, image, env: {"name": name, "image": image,
                                                 **({"env": env} if env else {})},
                       _names, st.sampled_from(["nginx", "redis", "busybox"]),
                       st.lists(st.builds(lambda n, v: {"name": n, "value": v}, _names, st.text("xy", max_size=2)),
                                max_size=3, unique_by=lambda e: e["name"]))
_containers = st.lists(_container, min_size=1, max_size=4, unique_by=lambda c: c["name"])


@settings(max_examples=200, deadline=None)
@given(_containers, _containers, st.one_of(st.none(), st.integers(0, 5)), st.one_of(st.none(), st.integers(0, 5)))
def test_strategic_two_way_roundtrip_with_merge_keyed_lists(ca, cb, ra, rb):
    meta = sp.patch_meta_for(DEPLOY)
    a = _deploy(ca, **({"replicas": ra} if ra is not None else {}))
    b = _deploy(cb, **({"replicas": rb} if rb is not None else {}))
    p = sp.create_two_way_merge_patch(a, b, meta)
    assert sp.deep_equal(patching.apply_patch(DEPLOY, a, p, "strategic"), b)
    assert patching.apply_patch(DEPLOY, a, json.dumps(p), "strategic") == patching.apply_patch(DEPLOY, a, p, "strategic")


@settings(max_examples=150, deadline=None)
@given(_containers, _containers, _containers)
def test_strategic_three_way_patch_reaches_the_file(c_last, c_extra, c_file):
    """Applying the three-way patch to the live object (what was last applied plus what others
    added) makes every field of the file true."""
    meta = sp.patch_meta_for(DEPLOY)
    c_live = c_last + [c for c in c_extra if c["name"] not in {x["name"] for x in c_last}]
    last, live, file = _deploy(c_last), _deploy(c_live), _deploy(c_file)
    p = sp.create_three_way_merge_patch(last, file, live, meta)
    new = patching.apply_patch(DEPLOY, live, p, "strategic")
    got = {c["name"]: c for c in new["spec"]["template"]["spec"]["containers"]}
    for c in c_file:
        assert c["name"] in got and got[c["name"]]["image"] == c["image"]
        env = {e["name"]: e["value"] for e in got[c["name"]].get("env", [])}
        for e in c.get("env", []):
            assert env[e["name"]] == e["value"]
    # the file's order wins for the items it names
    names = [c["name"] for c in new["spec"]["template"]["spec"]["containers"] if c["name"] in
             {x["name"] for x in c_file}]
    assert names == [c["name"] for c in c_file]
