"""kubectl's client-side decoding of manifest files (labsim.api.decode).

Every expected text below was printed by the real kubectl v1.32.4 (``apply -f FILE
--dry-run=client``, which decodes without a server); ``test_same_as_real_kubectl`` re-runs the
real binary on the same files when it is installed."""
import os
import shutil
import subprocess

import pytest

from labsim.api.decode import MAX_DEPTH, go_json_marshal, load_documents

KUBECTL = shutil.which("kubectl") or ("/usr/bin/kubectl" if os.path.exists("/usr/bin/kubectl") else None)

POD_COLON = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: x\n"
             "    image: mongo: latest\n")

# name, file content, expected errors with validation (default), expected with --validate=false
# (None: same as with validation; "SERVER": kubectl needs the server at that point)
CASES = [
    ("colon.yaml", POD_COLON,
     ["error parsing colon.yaml: error converting YAML to JSON: yaml: line 8: mapping values are not allowed in this context"], None),
    ("tab.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: db\n",
     ["error parsing tab.yaml: error converting YAML to JSON: yaml: line 4: found character that cannot start any token"], None),
    ("dedent.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels:\n    a: b\n",
     ["error parsing dedent.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key"], None),
    ("indent.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n name: x\n  labels: 1\n",
     ["error parsing indent.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context"], None),
    ("flow.yaml", "apiVersion: v1\nkind: Pod\nspec: {a: [1, 2}\n",
     ["error parsing flow.yaml: error converting YAML to JSON: yaml: line 2: did not find expected ',' or ']'"], None),
    ("q.yaml", 'apiVersion: v1\nkind: Pod\nspec:\n  a: "abc\n',
     ["error parsing q.yaml: error converting YAML to JSON: yaml: line 5: found unexpected end of stream"], None),
    ("seqmap.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  - a\n  b: 1\n",
     ["error parsing seqmap.yaml: error converting YAML to JSON: yaml: line 4: did not find expected '-' indicator"], None),
    ("mapseq.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  a: 1\n- b\n",
     ["error parsing mapseq.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key"], None),
    ("undef.yaml", "apiVersion: v1\nmetadata:\n  name: *x\n",
     ["error parsing undef.yaml: error converting YAML to JSON: yaml: unknown anchor 'x' referenced"], None),
    ("self.yaml", "apiVersion: v1\nmetadata: &a\n  name: *a\n",
     ["error parsing self.yaml: error converting YAML to JSON: yaml: anchor 'a' value contains itself"], None),
    ("badint.yaml", "apiVersion: v1\nmetadata:\n  name: !!int abc\n",
     ["error parsing badint.yaml: error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!int"], None),
    ("nul.yaml", "apiVersion: v1\nmetadata:\n  name: a\x00b\n",
     ["error parsing nul.yaml: error converting YAML to JSON: yaml: control characters are not allowed"], None),
    ("inf.yaml", "apiVersion: v1\nmetadata:\n  name: x\n  l: .inf\n",
     ["error parsing inf.yaml: error converting YAML to JSON: json: unsupported value: +Inf"], None),
    ("sepx.yaml", "apiVersion: v1\nmetadata:\n  name: x\n---foo\nfoo: 1\n",
     ["error parsing sepx.yaml: invalid Yaml document separator: foo"], None),
    ("multi.yaml", "apiVersion: v1\nmetadata:\n  name: a\n---\n\n\n" + POD_COLON[:-1].replace("db", "db", 1) + "\n",
     ['error validating "multi.yaml": error validating data: kind not set; if you choose to ignore these errors, '
      "turn validation off with --validate=false"],
     ['unable to decode "multi.yaml": Object \'Kind\' is missing in \'{"apiVersion":"v1","metadata":{"name":"a"}}\'',
      "error parsing multi.yaml: error converting YAML to JSON: yaml: line 10: mapping values are not allowed in this context"]),
    ("nokind.yaml", "apiVersion: v1\nmetadata:\n  name: db\n",
     ['error validating "nokind.yaml": error validating data: kind not set; if you choose to ignore these errors, '
      "turn validation off with --validate=false"],
     ['unable to decode "nokind.yaml": Object \'Kind\' is missing in \'{"apiVersion":"v1","metadata":{"name":"db"}}\'']),
    ("noapi.yaml", "kind: Pod\nmetadata:\n  name: db\n",
     ['error validating "noapi.yaml": error validating data: apiVersion not set; if you choose to ignore these '
      "errors, turn validation off with --validate=false"], "SERVER"),
    ("neither.yaml", "metadata:\n  name: db\n",
     ['error validating "neither.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to '
      "ignore these errors, turn validation off with --validate=false"],
     ['unable to decode "neither.yaml": Object \'Kind\' is missing in \'{"metadata":{"name":"db"}}\'']),
    ("str.yaml", "just a string\n",
     ['error validating "str.yaml": error validating data: invalid object to validate; if you choose to ignore '
      "these errors, turn validation off with --validate=false"],
     ['unable to decode "str.yaml": json: cannot unmarshal string into Go value of type unstructured.detector']),
    ("list.yaml", "- a\n- b\n",
     ['error validating "list.yaml": error validating data: invalid object to validate; if you choose to ignore '
      "these errors, turn validation off with --validate=false"],
     ['unable to decode "list.yaml": json: cannot unmarshal array into Go value of type unstructured.detector']),
    ("apinum.yaml", "apiVersion: 1\nkind: Pod\nmetadata:\n  name: x\n",
     ['error validating "apinum.yaml": error validating data: apiVersion isn\'t string type; if you choose to '
      "ignore these errors, turn validation off with --validate=false"],
     ['unable to decode "apinum.yaml": json: cannot unmarshal number into Go struct field metadataOnlyObject.apiVersion of type string']),
    ("listlabels.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\n  labels: [a, b]\n", "SERVER",
     ['unable to decode "listlabels.yaml": json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string']),
    ("numlabel.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\n  labels:\n    version: 1.0\n", "SERVER",
     ['unable to decode "numlabel.yaml": json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string']),
    ("namenum.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 5\n", "SERVER",
     ['unable to decode "namenum.yaml": json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string']),
    ("gen.yaml", 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  generation: "5"\n  creationTimestamp: 5\n', "SERVER",
     ['unable to decode "gen.yaml": json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string']),
    ("mdlist.yaml", "apiVersion: v1\nkind: Pod\nmetadata: []\n", "SERVER",
     ['unable to decode "mdlist.yaml": json: cannot unmarshal array into Go struct field metadataOnlyObject.metadata of type v1.ObjectMeta']),
    ("ts.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  creationTimestamp: yesterday\n", "SERVER",
     ['unable to decode "ts.yaml": parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"']),
    ("trail.json", '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {\n    "name": "x",\n  }\n}\n',
     ["error parsing trail.json: json: offset 77: invalid character '}' looking for beginning of object key string"], None),
    ("jy.json", '{"apiVersion": "v1", "metadata": {"name": "x"}}\n---\nfoo: bar\n',
     ['error validating "jy.json": error validating data: kind not set; if you choose to ignore these errors, '
      "turn validation off with --validate=false"],
     ['unable to decode "jy.json": Object \'Kind\' is missing in \'{"apiVersion": "v1", "metadata": {"name": "x"}}\'',
      "error parsing jy.json: json: offset 50: invalid character '-' in numeric literal"]),
    ("trunc.json", '{"apiVersion": "v1", "metadata": {"name": "x"',
     ["error parsing trunc.json: unexpected EOF"], None),
    ("junk.json", '{"apiVersion": "v1", "kind": "", "metadata": {"name": "x"}} junk', "SERVER",
     ['unable to decode "junk.json": Object \'Kind\' is missing in \'{"apiVersion": "v1", "kind": "", "metadata": {"name": "x"}}\'',
      "error parsing junk.json: json: offset 61: invalid character 'j' looking for beginning of value"]),
    ("conv.yaml",
     "apiVersion: v1\nmetadata:\n  name: db\n  labels:\n    a: yes\n    b: on\n    c: y\n    d: 1.0\n"
     "    e: 2024-01-01\n    f: 0x1F\n    g: 017\n    h: 08\n    i: 1_000\n    j: 1e3\n    k: +inf\n    m: ~\n"
     "    n: 0b11\n    o: 0o17\n    q: 1.5e-7\n    r: \"<&>\"\n    s: 12:30:00\n    t: !!str 5\n    u: !foo bar\n"
     "    v: !!python/object:os.system x\n    1: one\n    2.5: f\n    true: b\n    w: 1.\n    x: -0\n"
     "    z: 3.0e+21\n    dup: 1\n    dup: 2\n",
     ['error validating "conv.yaml": error validating data: kind not set; if you choose to ignore these errors, '
      "turn validation off with --validate=false"],
     ["unable to decode \"conv.yaml\": Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"labels\":"
      "{\"1\":\"one\",\"2.5\":\"f\",\"a\":true,\"b\":true,\"c\":true,\"d\":1,\"dup\":2,\"e\":\"2024-01-01\",\"f\":31,"
      "\"false\":3,\"g\":15,\"h\":8,\"i\":1000,\"j\":1000,\"k\":\"+inf\",\"m\":null,\"o\":15,\"q\":1.5e-7,"
      "\"r\":\"\\u003c\\u0026\\u003e\",\"s\":\"12:30:00\",\"t\":\"5\",\"true\":\"b\",\"u\":\"bar\",\"v\":\"x\","
      "\"w\":1,\"x\":0,\"z\":3e+21},\"name\":\"db\"}}'"]),
    ("nulls.yaml", "apiVersion: v1\nmetadata:\n  name: x\n  spec:\n  labels:\n    a: null\n    b:\nx: []\ny: {}\n",
     ['error validating "nulls.yaml": error validating data: kind not set; if you choose to ignore these errors, '
      "turn validation off with --validate=false"],
     ["unable to decode \"nulls.yaml\": Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"labels\":"
      "{\"a\":null,\"b\":null},\"name\":\"x\",\"spec\":null},\"true\":{},\"x\":[]}'"]),
    ("bom.yaml", "\ufeffapiVersion: v1\nmetadata:\n  name: bom\n",
     ['error validating "bom.yaml": error validating data: kind not set; if you choose to ignore these errors, '
      "turn validation off with --validate=false"],
     ['unable to decode "bom.yaml": Object \'Kind\' is missing in \'{"apiVersion":"v1","metadata":{"name":"bom"}}\'']),
    ("utf.yaml", b"apiVersion: v1\nmetadata:\n  name: a\xff\xfeb\n",
     ['error validating "utf.yaml": error validating data: kind not set; if you choose to ignore these errors, '
      "turn validation off with --validate=false"],
     ['unable to decode "utf.yaml": Object \'Kind\' is missing in \'{"apiVersion":"v1","metadata":{"name":"a\ufffd\ufffdb"}}\'']),
    ("empties.yaml", "---\n---\n# c\n---\nnull\n---\n~\n", [], None),
    ("sepcomment.yaml", "apiVersion: v1\nmetadata:\n  name: x\n--- # c\nfoo: 1\n",
     ['error validating "sepcomment.yaml": error validating data: kind not set; if you choose to ignore these errors, '
      "turn validation off with --validate=false"],
     ['unable to decode "sepcomment.yaml": Object \'Kind\' is missing in \'{"apiVersion":"v1","metadata":{"name":"x"}}\'',
      'unable to decode "sepcomment.yaml": Object \'Kind\' is missing in \'{"foo":1}\'']),
]


def _errors(content, name, validate):
    docs = load_documents(content, name, validate=validate)
    return [getattr(d.error, "message", str(d.error)) for d in docs if d.error is not None]


@pytest.mark.parametrize("name,content,with_validation,without", CASES, ids=[c[0] for c in CASES])
def test_decode_errors(name, content, with_validation, without):
    if with_validation is None:
        with_validation = without
    if without is None:
        without = with_validation
    if with_validation != "SERVER":
        assert _errors(content, name, True) == with_validation
    if without != "SERVER":
        assert _errors(content, name, False) == without


def _kubectl_errors(tmp_path, name, content, validate):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    args = [KUBECTL, "apply", "-f", name, "--dry-run=client"] + ([] if validate else ["--validate=false"])
    env = dict(os.environ, KUBECONFIG="/dev/null", HOME=str(tmp_path))
    r = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=30)
    lines = [line for line in r.stderr.splitlines() if "memcache.go" not in line]
    if lines == ["error: no objects passed to apply"]:
        return [], r.returncode
    return [line[len("error: "):] if line.startswith("error: ") else line for line in lines], r.returncode


@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
@pytest.mark.parametrize("name,content,with_validation,without", CASES, ids=[c[0] for c in CASES])
def test_same_as_real_kubectl(tmp_path, name, content, with_validation, without):
    """The same files through the real client: its messages (one per line) equal ours."""
    for validate, expected in ((True, with_validation), (False, without)):
        if expected == "SERVER":
            continue
        real, code = _kubectl_errors(tmp_path, name, content, validate)
        ours = _errors(content, name, validate)
        if "unable to recognize" in " ".join(real) or "failed to download openapi" in " ".join(real):
            # the real client reached the point where it needs a server: ours decoded cleanly so far
            assert all("unable to recognize" in r or "openapi" in r for r in real[len(ours):])
            real = real[:len(ours)]
        assert real == ours
        if ours:
            assert code == 1


def test_documents_and_objects():
    docs = load_documents("a: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n",
                          "f.yaml", validate=False)
    assert [d.obj for d in docs] == [{"a": 1}, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                                             "data": {"k": "v"}}]
    assert docs[0].error.message.startswith('unable to decode "f.yaml": Object \'Kind\' is missing')
    assert docs[1].error is None and not docs[1].fatal


def test_crlf_and_utf16():
    text = "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\n"
    assert load_documents(text, "x")[0].obj["metadata"] == {"name": "c"}
    utf16 = b"\xff\xfe" + text.encode("utf-16-le")
    assert load_documents(utf16, "x")[0].obj["kind"] == "ConfigMap"


def test_merge_keys_and_aliases_share_values():
    text = "apiVersion: v1\nkind: ConfigMap\nbase: &b {p: 1, q: 2}\nmetadata:\n  <<: *b\n  q: 3\n  name: c\n"
    obj = load_documents(text, "x")[0].obj
    assert obj["metadata"] == {"p": 1, "q": 3, "name": "c"}


def test_depth_limit_and_go_yaml_limit():
    ok = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, MAX_DEPTH - 1))
    assert load_documents("apiVersion: v1\nkind: ConfigMap\n" + ok, "x")[0].error is None
    deep = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert _errors(deep, "x", True) == [
        "error parsing x: error converting YAML to JSON: yaml: exceeded max depth of 64"]
    assert _errors("[" * 10001 + "]" * 10001, "x", True) == [
        "error parsing x: error converting YAML to JSON: yaml: exceeded max depth of 10000"]
    # nesting built through aliases is measured too
    chain = "l0: &l0 [x]\n" + "".join(f"l{i}: &l{i} [*l{i - 1}]\n" for i in range(1, 80))
    assert _errors(chain, "x", True) == [
        "error parsing x: error converting YAML to JSON: yaml: exceeded max depth of 64"]


def test_go_json_marshal():
    assert go_json_marshal({"b": 1.5e-7, "a": "<&>", "c": [1e21, 2.0, None]}) == \
        '{"a":"\\u003c\\u0026\\u003e","b":1.5e-7,"c":[1e+21,2,null]}'
