"""label / annotate: every row of verbs.md §8, with the object state after each."""
from __future__ import annotations

import pytest

from labsim import Cluster


@pytest.fixture
def c():
    c = Cluster(seed=0)
    return c


def run(c, cmd):
    r = c.kubectl(cmd)
    return r.stdout, r.stderr, r.exit_code


def ns_labels(c):
    return c.api.get(c.api.registry.resolve("ns"), None, "default")["metadata"].get("labels", {})


def ns_annotations(c):
    return c.api.get(c.api.registry.resolve("ns"), None, "default")["metadata"].get("annotations", {})


def test_label_rows(c):
    base = dict(ns_labels(c))
    assert run(c, "label ns default tier=backend") == ("namespace/default labeled\n", "", 0)
    assert ns_labels(c) == {**base, "tier": "backend"}
    assert run(c, "label ns default tier=frontend") == (
        "", "error: 'tier' already has a value (backend), and --overwrite is false\n", 1)
    assert ns_labels(c)["tier"] == "backend"
    assert run(c, "label ns default tier=frontend --overwrite") == ("namespace/default labeled\n", "", 0)
    assert ns_labels(c)["tier"] == "frontend"
    assert run(c, "label ns default tier-") == ("namespace/default unlabeled\n", "", 0)
    assert "tier" not in ns_labels(c)
    assert run(c, "label ns default tier-") == ('label "tier" not found.\nnamespace/default not labeled\n', "", 0)
    key, value = next(iter(base.items()))
    assert run(c, f"label ns default {key}={value}") == ("namespace/default not labeled\n", "", 0)


def test_label_usage_errors(c):
    assert run(c, "label") == (
        "", "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n", 1)
    assert run(c, "label ns default") == ("", "error: at least one label update is required\n", 1)
    assert run(c, "label ns nope a=b") == ("", 'Error from server (NotFound): namespaces "nope" not found\n', 1)


def test_label_all_and_selector(c):
    out, err, code = run(c, "label ns --all env=dev")
    names = sorted(o["metadata"]["name"] for o in c.api.list(c.api.registry.resolve("ns")))
    assert (out, err, code) == ("".join(f"namespace/{n} labeled\n" for n in names), "", 0)
    out, err, code = run(c, "label ns -l env=dev env=prod --overwrite")
    assert out == "".join(f"namespace/{n} labeled\n" for n in names)


def _validation_written() -> bool:
    from labsim.api import validation

    return "placeholder" not in (validation.__doc__ or "")


@pytest.mark.skipif(not _validation_written(), reason="labsim.api.validation is still a placeholder")
def test_label_invalid_key_is_rejected_by_the_server(c):
    out, err, code = run(c, "label ns default service:go-demo-2=x")
    assert code == 1 and out == ""
    assert err.startswith('The Namespace "default" is invalid: metadata.labels: Invalid value: "service:go-demo-2"')


def test_label_resource_version_conflict(c):
    rv = c.api.get(c.api.registry.resolve("ns"), None, "default")["metadata"]["resourceVersion"]
    assert run(c, "label ns default a=b --resource-version=999") == (
        "", 'Error from server (Conflict): Operation cannot be fulfilled on namespaces "default": the object has '
            "been modified; please apply your changes to the latest version and try again\n", 1)
    assert run(c, f"label ns default a=b --resource-version={rv}") == ("namespace/default labeled\n", "", 0)


def test_label_dry_run_and_output_name(c):
    before = ns_labels(c)
    assert run(c, "label ns default x=y --dry-run=client") == ("namespace/default labeled (dry run)\n", "", 0)
    assert run(c, "label ns default x=y --dry-run=server") == ("namespace/default labeled (server dry run)\n", "", 0)
    assert ns_labels(c) == before
    assert run(c, "label ns default x=y -o name") == ("namespace/default\n", "", 0)


def test_label_list(c):
    run(c, "label ns default a=1")
    out, _, code = run(c, "label ns default --list")
    assert code == 0 and out == "".join(f"{k}={v}\n" for k, v in sorted(ns_labels(c).items()))


def test_annotate_rows(c):
    assert run(c, "annotate ns default note='hello world'") == ("namespace/default annotated\n", "", 0)
    assert ns_annotations(c)["note"] == "hello world"
    assert run(c, "annotate ns default note=bye") == (
        "", "error: --overwrite is false but found the following declared annotation(s): 'note' already has a "
            "value (hello world)\n", 1)
    assert run(c, "annotate ns default note=bye --overwrite") == ("namespace/default annotated\n", "", 0)
    assert ns_annotations(c)["note"] == "bye"
    assert run(c, "annotate ns default note-") == ("namespace/default annotated\n", "", 0)
    assert "note" not in ns_annotations(c)
    assert run(c, "annotate ns default") == ("", "error: at least one annotation update is required\n", 1)
    assert run(c, "annotate ns default a=1 a-") == (
        "", "error: can not both modify and remove the following annotation(s) in the same command: a\n", 1)


def test_label_bumps_resource_version_only_on_change(c):
    rt = c.api.registry.resolve("ns")
    rv = c.api.get(rt, None, "default")["metadata"]["resourceVersion"]
    run(c, "label ns default tier-")
    assert c.api.get(rt, None, "default")["metadata"]["resourceVersion"] == rv
