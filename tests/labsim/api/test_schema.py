"""The API server's strict decoding (labsim.api.schema): texts from errors.md §4/§6 and the
transcripts decode-errors2.txt and patch-errors.txt."""
import copy

import pytest

from labsim import Cluster
from labsim.api import schema
from labsim.api.registry import REGISTRY
from labsim.errors import StatusError

DEPLOY = REGISTRY.for_api_version("apps/v1", "Deployment")
POD = REGISTRY.for_api_version("v1", "Pod")
SVC = REGISTRY.for_api_version("v1", "Service")
RS = REGISTRY.for_api_version("apps/v1", "ReplicaSet")
SECRET = REGISTRY.for_api_version("v1", "Secret")


def deployment(**spec_changes):
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
         "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [{"name": "web", "image": "nginx",
                                                        "ports": [{"containerPort": 80}]}]}}}}
    d["spec"].update(spec_changes)
    return d


def pod(spec, metadata=None):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata or {"name": "p"}, "spec": spec}


def message(rt, obj, **kw):
    with pytest.raises(StatusError) as e:
        schema.strict_decode(rt, obj, **kw)
    return e.value


SEEDS = [
    (DEPLOY, {**deployment(), "spec": {**deployment()["spec"], "template": {
        "metadata": {"labels": {"app": "web"}}, "sepc": {"containers": [{"name": "n", "image": "nginx"}]}}}},
     'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field '
     '"spec.template.sepc"'),
    (RS, {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"},
          "spec": {"selector": {"metachLabels": {"a": "b"}}, "template": {}}},
     'ReplicaSet in version "v1" cannot be handled as a ReplicaSet: strict decoding error: unknown field '
     '"spec.selector.metachLabels"'),
    (SVC, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"ports": [{"port": 80, "portocal": "TCP"}]}},
     'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field '
     '"spec.ports[0].portocal"'),
    (POD, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "two-unknown", "lables": {"a": "b"}},
           "spec": {"containers": [{"name": "c", "image": "i", "imagePullPolice": "Always"}],
                    "restartpolicy": "Never"}},
     'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.lables", '
     'unknown field "spec.containers[0].imagePullPolice", unknown field "spec.restartpolicy"'),
    # flattened indentation: containers at the top level, spec: (null) under metadata
    (POD, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "flat"}, "spec": None,
           "containers": [{"name": "c", "image": "i"}]},
     'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "containers"'),
    (DEPLOY, deployment(replicas="3"),
     'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct '
     'field DeploymentSpec.spec.replicas of type int32'),
    (POD, pod({"containers": [{"name": "c", "image": 1.0}]}),
     'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field '
     'Container.spec.containers.image of type string'),
    (POD, pod({"containers": {"name": "c", "image": "i"}}),
     'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal object into Go struct field '
     'PodSpec.spec.containers of type []v1.Container'),
    (RS, {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"},
          "spec": {"selector": {"matchLabels": "service:go-demo-2"}, "template": {}}},
     'ReplicaSet in version "v1" cannot be handled as a ReplicaSet: json: cannot unmarshal string into Go struct '
     'field LabelSelector.spec.selector.matchLabels of type map[string]string'),
    (SVC, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"ports": [{"port": 80, "targetPort": [8080]}]}},
     'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal array into Go struct field '
     'ServicePort.spec.ports.targetPort of type int32'),
    (POD, pod({"containers": [{"name": "c", "image": "i", "resources": {"limits": {"memory": "1.5.3Gi"}}}]}),
     "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression "
     "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    (POD, pod({"containers": [{"name": "c", "image": "i", "resources": {"limits": {"memory": "1Gb"}}}]}),
     "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression "
     "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    (POD, pod({"containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": "1kk"}}}]}),
     "Pod in version \"v1\" cannot be handled as a Pod: unable to parse quantity's suffix"),
    (POD, pod({"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 1.5}]}]}),
     'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number 1.5 into Go struct field '
     'ContainerPort.spec.containers.ports.containerPort of type int32'),
    (POD, pod({"containers": [{"name": "c", "image": "i", "ports": [{"protocol": 6}]}]}),
     'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field '
     'ContainerPort.spec.containers.ports.protocol of type v1.Protocol'),
    (DEPLOY, deployment(replicas=3000000000),
     'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 3000000000 '
     'into Go struct field DeploymentSpec.spec.replicas of type int32'),
    (SECRET, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"password": "mypass"}},
     'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4'),
    (POD, pod({"containers": [{"name": "c", "image": "i", "command": "sleep 10"}]}),
     'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field '
     'Container.spec.containers.command of type []string'),
    (POD, pod({"containers": [{"name": "c", "image": "i"}]}, {"name": "p", "creationTimestamp": "yesterday"}),
     'Pod in version "v1" cannot be handled as a Pod: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": '
     'cannot parse "yesterday" as "2006"'),
]


@pytest.mark.parametrize("rt,obj,text", SEEDS, ids=[str(i) for i in range(len(SEEDS))])
def test_server_texts(rt, obj, text):
    err = message(rt, copy.deepcopy(obj))
    assert (err.reason, err.code, err.message) == ("BadRequest", 400, text)


def test_type_error_wins_over_unknown_fields_and_first_one_is_reported():
    d = deployment(replicas="3", zzz=1, minReadySeconds="x")
    assert message(DEPLOY, d).message.endswith(
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.minReadySeconds of type int32")


def test_intorstring_and_quantity_accept_both_forms():
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"ports": [{"port": 80, "targetPort": "http"}, {"port": 81, "targetPort": 8081}]}}
    assert schema.strict_decode(SVC, svc) == []
    p = pod({"containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": 0.5, "memory": "128Mi"}}}]})
    assert schema.strict_decode(POD, p) == []


def test_warn_and_ignore_drop_unknown_fields():
    obj = pod({"containers": [{"name": "c", "image": "i", "imagePullPolice": "x"}], "restartpolicy": "Never"},
              {"name": "p", "lables": {"a": "b"}})
    warned = copy.deepcopy(obj)
    assert schema.strict_decode(POD, warned, field_validation="Warn") == [
        'unknown field "metadata.lables"', 'unknown field "spec.containers[0].imagePullPolice"',
        'unknown field "spec.restartpolicy"']
    assert warned == pod({"containers": [{"name": "c", "image": "i"}]}, {"name": "p"})
    ignored = copy.deepcopy(obj)
    assert schema.strict_decode(POD, ignored, field_validation="Ignore") == []
    assert ignored == warned


def test_nulls_decode_to_zero_values():
    obj = pod({"containers": [{"name": "c", "image": "i", "args": None}], "nodeName": None},
              {"name": "p", "labels": {"a": None}})
    schema.strict_decode(POD, obj)
    assert obj == pod({"containers": [{"name": "c", "image": "i"}]}, {"name": "p", "labels": {"a": ""}})


def test_patch_path_message():
    patch = {"metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration":
                                          '{"a":"b"}\n'}},
             "spec": {"template": {"sepc": {"containers": [{"image": "nginx", "name": "nginx"}]}, "spec": None}}}
    patched = deployment()
    patched["spec"]["template"]["sepc"] = {"containers": [{"image": "nginx", "name": "nginx"}]}
    err = message(DEPLOY, patched, operation="patch", patch=patch)
    assert (err.reason, err.code, err.details) == ("Invalid", 422, {"name": "", "group": "", "kind": ""})
    assert [str(c) for c in err.causes] == [
        'patch: Invalid value: "map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:'
        '{\\"a\\":\\"b\\"}\\n]] spec:map[template:map[sepc:map[containers:[map[image:nginx name:nginx]]] '
        'spec:<nil>]]]": strict decoding error: unknown field "spec.template.sepc"']


def test_patch_path_type_errors_use_the_converter_texts():
    patch = {"spec": {"replicas": "3"}}
    err = message(DEPLOY, deployment(replicas="3"), operation="patch", patch=patch)
    assert str(err.causes[0]) == 'patch: Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32'
    err = message(POD, pod({"containers": [{"name": "c", "image": 1}]}), operation="patch",
                  patch={"spec": {"containers": [{"name": "c", "image": 1}]}})
    assert str(err.causes[0]).endswith(": cannot convert int64 to string")


def test_go_map_and_quote_formatting():
    assert schema.go_map_string({"b": [1, 2.5, None, True], "a": {"z": "x y", "c": 1e6}}) == \
        "map[a:map[c:1e+06 z:x y] b:[1 2.5 <nil> true]]"
    assert schema.go_quote('a"b\\c\nd\x01é') == '"a\\"b\\\\c\\nd\\x01é"'


def test_explain_node():
    node = schema.explain_node(POD, ["spec", "containers"])
    assert (node.kind, node.version, node.type, node.go_type) == ("Pod", "v1", "[]Object", "[]v1.Container")
    names = {f.name: f for f in node.fields}
    assert names["image"].type == "string" and names["name"].required
    assert names["ports"].type == "[]Object" and names["resources"].type == "Object"
    assert node.description.startswith("List of initialization containers") is False
    port = schema.explain_node(SVC, ["spec", "ports", "targetPort"])
    assert port.type == "IntOrString" and port.fields == []
    assert schema.explain_node(POD, ["spec", "nope"]) is None


def test_strict_decode_cost_is_small():
    """Not a timing assertion: one Deployment decodes with a bounded number of schema steps (the
    compiled types are cached)."""
    d = deployment()
    schema.strict_decode(DEPLOY, copy.deepcopy(d))
    assert schema.type_for(DEPLOY) is schema.type_for(DEPLOY)


# -- through kubectl (decode-errors2.txt, patch-errors.txt) ------------------------------------------

GOOD = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: good
spec:
  replicas: 2
  selector:
    matchLabels:
      app: good
  template:
    metadata:
      labels:
        app: good
    spec:
      containers:
      - name: nginx
        image: nginx
"""


def test_kubectl_create_and_update_paths(tmp_path):
    c = Cluster()
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "good-typo.yaml").write_text(GOOD.replace("    spec:\n      containers", "    sepc:\n      containers"))
    (tmp_path / "strreplicas.yaml").write_text(GOOD.replace("name: good", "name: str").replace("replicas: 2", 'replicas: "3"'))
    r = c.kubectl(f"apply -f {tmp_path}/strreplicas.yaml")
    assert (r.exit_code, r.stderr) == (1, f'Error from server (BadRequest): error when creating "{tmp_path}/strreplicas.yaml": '
                                          'Deployment in version "v1" cannot be handled as a Deployment: json: cannot '
                                          'unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n')
    assert c.kubectl(f"apply -f {tmp_path}/good.yaml").stdout == "deployment.apps/good created\n"
    before = (c.digest(), c.store.resource_version)
    r = c.kubectl(f"apply -f {tmp_path}/good-typo.yaml")
    assert r.exit_code == 1
    assert r.stderr == (
        'The request is invalid: patch: Invalid value: "map[metadata:map[annotations:map[kubectl.kubernetes.io/'
        'last-applied-configuration:{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":'
        '{\\"annotations\\":{},\\"name\\":\\"good\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":2,'
        '\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"good\\"}},\\"template\\":{\\"metadata\\":{\\"labels\\":'
        '{\\"app\\":\\"good\\"}},\\"sepc\\":{\\"containers\\":[{\\"image\\":\\"nginx\\",\\"name\\":\\"nginx\\"}]}}}}\\n]] '
        'spec:map[template:map[sepc:map[containers:[map[image:nginx name:nginx]]] spec:<nil>]]]": strict decoding '
        'error: unknown field "spec.template.sepc"\n')
    assert (c.digest(), c.store.resource_version) == before


def test_clean_body_check_passes_stored_objects_and_refuses_anything_the_walk_acts_on():
    c = Cluster()
    rt = REGISTRY.for_kind("apps", "Deployment")
    stored = c.api.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                           "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                                    "template": {"metadata": {"labels": {"app": "web"}},
                                                 "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                                                          "resources": {"limits": {"cpu": "1"}}}]}}}})
    t = schema.type_for(rt)
    check = schema._clean(t)
    drops: list = []
    assert check(copy.deepcopy(stored), drops)
    assert [k for _, k in drops] == ["creationTimestamp"]  # the template's null, dropped as the walk does
    for path, value in [(("spec", "replicas"), 2.0), (("spec", "replicas"), "2"), (("spec", "replicas"), True),
                        (("spec", "replicas"), 2**31), (("spec", "sepc"), 1), (("metadata", "labels"), {"a": None}),
                        (("spec", "template", "spec", "containers"), [None]),
                        (("spec", "strategy"), {"rollingUpdate": {"maxSurge": 1.0}}),
                        (("metadata", "creationTimestamp"), "2024-02-30T00:00:00Z"),
                        (("spec", "template", "spec", "containers", 0, "resources", "limits", "cpu"), "1x")]:
        obj = copy.deepcopy(stored)
        holder = obj
        for p in path[:-1]:
            holder = holder[p]
        holder[path[-1]] = value
        assert not check(obj, []), path
