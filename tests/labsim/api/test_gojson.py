"""Objects come back as Go's encoding/json writes the typed API structs."""
from labsim import Cluster
from labsim.api.gojson import normalize


def rt(c, group, kind):
    return c.registry.for_kind(group, kind)


def test_zero_times_are_null_empty_structs_are_objects_and_omitempty_fields_go():
    c = Cluster()
    pods = rt(c, "", "Pod")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {}},
           "spec": {"containers": [{"name": "c", "image": "nginx", "ports": []}]},
           "status": {"conditions": [{"type": "Ready", "status": "False"}],
                      "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "ContainerCreating"}}}]}}
    out = normalize(pods, pod)
    assert "labels" not in out["metadata"]  # empty map with omitempty
    assert "ports" not in out["spec"]["containers"][0]  # empty list with omitempty
    assert out["spec"]["containers"][0]["resources"] == {}  # non-pointer struct
    assert out["status"]["conditions"][0]["lastProbeTime"] is None  # zero metav1.Time
    cs = out["status"]["containerStatuses"][0]
    assert cs["ready"] is False and cs["restartCount"] == 0  # no omitempty: zero values written
    assert cs["image"] == "" and cs["imageID"] == "" and cs["lastState"] == {}


def test_template_metadata_and_statuses_as_a_real_server_returns_them():
    c = Cluster()
    deploy = c.api.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                           "spec": {"selector": {"matchLabels": {"app": "web"}},
                                    "template": {"metadata": {"labels": {"app": "web"}},
                                                 "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    assert deploy["spec"]["template"]["metadata"]["creationTimestamp"] is None
    assert deploy["status"] == {}
    cm = c.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}})
    assert "data" not in cm and "status" not in cm


def test_normalizing_twice_changes_nothing():
    c = Cluster()
    pods = rt(c, "", "Pod")
    pod = c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                        "spec": {"schedulerName": "none", "containers": [{"name": "c", "image": "nginx"}]}})
    from labsim.api.meta import deep_copy

    assert normalize(pods, deep_copy(pod)) == pod


def _odd_values():
    """Values of every shape in every field: what the compiled normalizers must treat as the walk does."""
    return [None, "", "x", 0, 7, 1.5, True, False, [], [None], ["a", None], {}, {"a": None}, {"a": "b"},
            [{"name": "c", "image": None, "ports": []}], {"x": [], "y": {}}]


def test_compiled_normalizers_equal_the_interpreted_walk_on_odd_values():
    import json

    from labsim.api import gojson
    from labsim.api.meta import deep_copy

    layouts = gojson._layouts()
    checked = 0
    for t, layout in layouts.items():
        if "fields" not in layout:
            continue
        fn = gojson._compiled(t)
        for name, _ftype, _omit, _inline in layout["fields"]:
            for value in _odd_values():
                obj = {name: deep_copy(value), "zzz": 1}
                want = json.dumps(gojson._value(t, deep_copy(obj)))
                assert json.dumps(fn(deep_copy(obj))) == want, (t, name, value)
                checked += 1
    assert checked > 10000
    for t in ("[]core/v1.Container", "map[string]core/v1.Volume", "*apps/v1.DeploymentSpec", "string"):
        fn = gojson._compiled(t)
        for value in _odd_values():
            got = fn(deep_copy(value)) if fn is not None else deep_copy(value)
            assert json.dumps(got) == json.dumps(gojson._value(t, deep_copy(value))), (t, value)
