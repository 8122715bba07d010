"""kubectl patch: verbs.md §9 and transcripts/verbs2.txt."""
from __future__ import annotations

import pytest

from labsim import Cluster


@pytest.fixture
def c():
    return Cluster(seed=0)


def run(c, cmd):
    r = c.kubectl(cmd)
    return r.stdout, r.stderr, r.exit_code


def ns(c):
    return c.api.get(c.api.registry.resolve("ns"), None, "default")


def test_strategic_patch_then_no_change(c):
    rv = ns(c)["metadata"]["resourceVersion"]
    assert run(c, """patch ns default -p '{"metadata":{"labels":{"tier":"web"}}}'""") == (
        "namespace/default patched\n", "", 0)
    assert ns(c)["metadata"]["labels"]["tier"] == "web"
    rv2 = ns(c)["metadata"]["resourceVersion"]
    assert rv2 != rv
    assert run(c, """patch ns default -p '{"metadata":{"labels":{"tier":"web"}}}'""") == (
        "namespace/default patched (no change)\n", "", 0)
    assert ns(c)["metadata"]["resourceVersion"] == rv2


def test_merge_and_json_patch_types(c):
    assert run(c, """patch ns default --type=merge -p '{"metadata":{"labels":{"a":"1"}}}'""")[0] == \
        "namespace/default patched\n"
    assert run(c, """patch ns default --type=json -p '[{"op":"replace","path":"/metadata/labels/a","value":"2"}]'""") \
        == ("namespace/default patched\n", "", 0)
    assert ns(c)["metadata"]["labels"]["a"] == "2"
    # YAML is accepted too (yaml.ToJSON)
    assert run(c, "patch ns default --type=merge -p 'metadata: {labels: {a: \"3\"}}'")[0] == "namespace/default patched\n"
    assert ns(c)["metadata"]["labels"]["a"] == "3"


def test_patch_errors(c):
    assert run(c, "patch ns default --type=foo -p '{}'") == (
        "", 'error: --type must be one of [json merge strategic], not "foo"\n', 1)
    assert run(c, """patch ns nope -p '{"metadata":{"labels":{"a":"b"}}}'""") == (
        "", 'Error from server (NotFound): namespaces "nope" not found\n', 1)
    assert run(c, "patch ns default") == (
        "", "error: must specify --patch or --patch-file containing the contents of the patch\n", 1)
    assert run(c, """patch ns default --type=json -p '[{"op":"test","path":"/metadata/name","value":"x"}]'""") == (
        "", "The request is invalid: the server rejected our request due to an error in our request\n", 1)
    assert run(c, """patch ns default --type=json -p '{"spec":{}}'""") == (
        "", "Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch\n", 1)


def test_patch_dry_runs_change_nothing(c):
    before = ns(c)
    assert run(c, """patch ns default -p '{"metadata":{"labels":{"d":"1"}}}' --dry-run=client""") == (
        "namespace/default patched (dry run)\n", "", 0)
    assert run(c, """patch ns default -p '{"metadata":{"labels":{"d":"1"}}}' --dry-run=server""") == (
        "namespace/default patched (server dry run)\n", "", 0)
    assert ns(c) == before


def test_patch_output_name(c):
    assert run(c, """patch ns default -p '{"metadata":{"labels":{"o":"1"}}}' -o name""") == (
        "namespace/default\n", "", 0)
