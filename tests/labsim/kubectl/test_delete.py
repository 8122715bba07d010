"""kubectl delete: verbs.md §3 and transcripts/verbs2.txt, flags.txt."""
from __future__ import annotations

import pytest

from labsim import Cluster

PROVIDE = ("error: You must provide one or more resources by argument or filename.\n"
           "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
           "   '<resource> <name>'\n   '<resource>'\n")


@pytest.fixture
def c():
    c = Cluster(seed=0)
    for name in ("one", "two", "three"):
        c.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"app": name}}})
    return c


def run(c, cmd):
    r = c.kubectl(cmd)
    return r.stdout, r.stderr, r.exit_code


def cms(c):
    return sorted(o["metadata"]["name"] for o in c.api.list(c.api.registry.resolve("cm"), "default"))


def test_delete_by_name_and_missing(c):
    assert run(c, "delete cm one") == ('configmap "one" deleted\n', "", 0)
    assert "one" not in cms(c)
    assert run(c, "delete cm one") == ("", 'Error from server (NotFound): configmaps "one" not found\n', 1)
    assert run(c, "delete cm one --ignore-not-found") == ("", "", 0)


def test_delete_several_continues_after_errors(c):
    assert run(c, "delete cm two nope three") == (
        'configmap "two" deleted\nconfigmap "three" deleted\n',
        'Error from server (NotFound): configmaps "nope" not found\n', 1)
    assert run(c, "delete cm/one") == ('configmap "one" deleted\n', "", 0)


def test_delete_selector_all_and_nothing_found(c):
    assert run(c, "delete cm -l app=two") == ('configmap "two" deleted\n', "", 0)
    assert run(c, "delete cm -l app=nope") == ("No resources found\n", "", 0)
    out, err, code = run(c, "delete cm --all")
    assert (out, err, code) == ('configmap "kube-root-ca.crt" deleted\nconfigmap "one" deleted\n'
                                'configmap "three" deleted\n', "", 0)
    assert run(c, "delete pods -l 'app in web'") == (
        "", 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector '
            '"app in web", field selector "": unable to parse requirement: found \'web\' expected: \'(\'\n', 1)


def test_delete_usage_errors(c):
    assert run(c, "delete") == ("", PROVIDE, 1)
    assert run(c, "delete cm") == ("", "error: resource(s) were provided, but no name was specified\n", 1)
    assert run(c, "delete cm one --cascade=bogus") == (
        "", 'error: invalid cascade value (bogus). Must be "background", "foreground", or "orphan"\n', 1)
    assert run(c, "delete cm one --now --grace-period=3") == (
        "", "error: --now and --grace-period cannot be specified together\n", 1)
    assert cms(c) == ["kube-root-ca.crt", "one", "three", "two"]


def test_delete_cascade_booleans_warn(c):
    assert run(c, "delete cm one --cascade=false") == (
        'configmap "one" deleted\n',
        "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n", 0)
    assert run(c, "delete cm two --cascade=true") == (
        'configmap "two" deleted\n',
        "warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.\n", 0)


def test_delete_force_and_dry_runs(c):
    assert run(c, "delete cm one --force") == (
        'configmap "one" force deleted\n',
        "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. "
        "The resource may continue to run on the cluster indefinitely.\n", 0)
    assert run(c, "delete cm two --dry-run=client") == ('configmap "two" deleted (dry run)\n', "", 0)
    assert run(c, "delete cm two --dry-run=server") == ('configmap "two" deleted (server dry run)\n', "", 0)
    assert run(c, "delete cm two -o name") == ("configmap/two\n", "", 0)
    assert cms(c) == ["kube-root-ca.crt", "three"]


def test_delete_passes_propagation(c, monkeypatch):
    seen = []
    real = c.api.delete

    def spy(rt, ns, name, **kw):
        seen.append((name, kw.get("propagation"), kw.get("grace_period")))
        return real(rt, ns, name, **kw)

    monkeypatch.setattr(c.api, "delete", spy)
    run(c, "delete cm one --cascade=orphan")
    run(c, "delete cm two --cascade=foreground --grace-period=5")
    run(c, "delete cm three --now")
    assert seen == [("one", "Orphan", None), ("two", "Foreground", 5), ("three", "Background", 1)]


def test_delete_waits_on_the_simulated_clock_for_finalizers(c):
    """A finalizer removed later by someone: kubectl returns once the object is gone."""
    rt = c.api.registry.resolve("cm")
    obj = dict(c.api.get(rt, "default", "one"))
    obj["metadata"] = {**obj["metadata"], "finalizers": ["example.com/x"]}
    c.api.update(obj)

    def drop():
        cur = c.api.get(rt, "default", "one")
        c.api.update({**cur, "metadata": {**cur["metadata"], "finalizers": []}})

    start = c.clock.now
    c.clock.call_later(12, drop)
    assert run(c, "delete cm one") == ('configmap "one" deleted\n', "", 0)
    assert c.api.try_get(rt, "default", "one") is None
    assert c.clock.now == start + 12
