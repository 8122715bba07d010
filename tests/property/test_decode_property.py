"""Random mixes of valid and broken documents through ``kubectl apply -f``: a rejected document
changes nothing, an accepted one round-trips (``get -o json`` shows what the file said)."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labsim import Cluster
from labsim.api.decode import load_documents

NAME = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
VALUE = st.from_regex(r"[A-Za-z0-9_.-]{0,12}", fullmatch=True)


def configmap(name: str, data: dict) -> str:
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", f"  name: \"{name}\""]
    if data:
        lines.append("data:")
        lines += [f"  {k}: {json.dumps(v)}" for k, v in sorted(data.items())]
    return "\n".join(lines) + "\n"


BROKEN_DOCS = [
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a]\n",          # metadata type
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nsepc: 1\n",                 # unknown field
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [1]\n",                # wrong type
    "apiVersion: extensions/v1beta1\nkind: ConfigMap\nmetadata:\n  name: x\n",           # removed API
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b: c\n",         # syntax
    "a0: &a [1,1,1,1,1,1,1,1,1]\na1: &b [" + ",".join(["*a"] * 9) + "]\na2: &c [" + ",".join(["*b"] * 9)
    + "]\na3: [" + ",".join(["*c"] * 9) + "]\n",                                         # alias bomb
    "x: " + "[" * 70 + "]" * 70 + "\n",                                                  # depth
]


#: broken documents after which kubectl stops reading the file (parse errors)
FATAL = {4, 5, 6}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.tuples(st.just("good"), NAME, st.dictionaries(NAME, VALUE, max_size=3)),
                          st.tuples(st.just("bad"), st.integers(0, len(BROKEN_DOCS) - 1), st.none())),
                min_size=1, max_size=5))
def test_rejected_documents_change_nothing(tmp_path_factory, docs):
    c = Cluster(seed=0)
    path = tmp_path_factory.mktemp("p") / "mix.yaml"
    texts: list[str] = []
    expected: dict[str, dict | None] = {}
    failed = False
    stopped = False
    for kind, a, b in docs:
        if kind == "good":
            text = configmap(a, b)
            if not stopped:
                obj = load_documents(text, "one.yaml")[0].obj  # go-yaml's view of the keys (y/n/on...)
                expected[obj["metadata"]["name"]] = obj.get("data")
        else:
            text = BROKEN_DOCS[a]
            if not stopped:
                failed = True
                stopped = a in FATAL
        texts.append(text)
    path.write_text("---\n".join(texts))
    before = {o["metadata"]["name"]: o for o in json.loads(c.kubectl("get cm -o json").stdout)["items"]}
    rv_before = c.store.resource_version
    r = c.kubectl(["apply", "-f", str(path)])
    after = {o["metadata"]["name"]: o for o in json.loads(c.kubectl("get cm -o json").stdout)["items"]}
    assert set(after) == set(before) | set(expected)
    for name, data in expected.items():
        assert after[name].get("data") == (data or None)
    assert r.exit_code == (1 if failed else 0)
    if not expected:
        assert c.store.resource_version == rv_before and after == before


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), VALUE),
                    lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(NAME, kids, max_size=3)),
                    max_leaves=12))
def test_json_documents_round_trip(value):
    """A JSON-compatible value written as JSON decodes to itself (kubectl reads JSON files)."""
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "x": value}
    docs = load_documents(json.dumps(obj), "x.json")
    assert [d.obj for d in docs] == [obj] and docs[0].error is None
