"""Semantic validation: upstream name/label tables, every message of errors.md §5, §10, §11,
§12 through the API server and kubectl's error printer, update-only rules, the course guard."""
import copy

import pytest

from labsim import Cluster
from labsim.api import validation as v
from labsim.api.registry import REGISTRY
from labsim.errors import StatusError
from labsim.kubectl.errors import format_error, format_errors

LABEL_RE = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
            "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
            "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
SUBDOMAIN_RE = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
DNS1035_RE = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
              "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
              "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
LABEL_VALUE_RE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                  "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                  "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
NAME_PART_RE = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
                "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")


# -- upstream tables (apimachinery pkg/util/validation/validation_test.go) ------------------------

@pytest.mark.parametrize("value", ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a",
                                   "1--a--b--2", "a" * 63])
def test_dns1123_label_good(value):
    assert v.is_dns1123_label(value) == []


@pytest.mark.parametrize("value", ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_",
                                   "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2",
                                   " ", "a ", " a", "a b", "1 ", " 1", "1 2", "a" * 64])
def test_dns1123_label_bad(value):
    assert v.is_dns1123_label(value) != []


def test_dns1123_label_messages():
    assert v.is_dns1123_label("a.b") == ["must not contain dots"]
    assert v.is_dns1123_label("My_Container") == [LABEL_RE]
    assert v.is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]


@pytest.mark.parametrize("value", ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a",
                                   "1--a--b--2", "a.a", "ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1",
                                   "ab.1", "abc.1", "a1.1", "a-1.1", "a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a",
                                   "1-a.a", "1--a--b--2", "0.1", "01.1", "012.1", "1a.1", "1-a.1", "1--a--b--2.1",
                                   "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", "a" * 253])
def test_dns1123_subdomain_good(value):
    assert v.is_dns1123_subdomain(value) == []


@pytest.mark.parametrize("value", ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_",
                                   "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a..b", "1.", ".1", "1..2",
                                   " ", "a ", " a", "a b", "1 ", " 1", "1 2", "A.a", "aB.a", "ab.A", "A1.a", "a1.A",
                                   "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A", "1A.a", "1a.A",
                                   "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b", "a,b", "a_b",
                                   "a;b", "a:b", "a%b", "a?b", "a$b", "a" * 254])
def test_dns1123_subdomain_bad(value):
    assert v.is_dns1123_subdomain(value) != []


@pytest.mark.parametrize("value", ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a" * 63])
def test_dns1035_label_good(value):
    assert v.is_dns1035_label(value) == []


@pytest.mark.parametrize("value", ["0", "01", "012", "1a", "1-a", "1--a--b--2", "", "A", "ABC", "aBc", "A1",
                                   "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1",
                                   "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ",
                                   " 1", "1 2", "a" * 64])
def test_dns1035_label_bad(value):
    assert v.is_dns1035_label(value) != []


@pytest.mark.parametrize("value", ["simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
                                   "now-with-dashes/simple", "now-with-dashes/now-with-dashes",
                                   "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num",
                                   "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123",
                                   "example.com/Uppercase_Is_OK_123", "requests.storage-foo", "a" * 63,
                                   "a" * 253 + "/" + "b" * 63])
def test_qualified_name_good(value):
    assert v.is_qualified_name(value) == []


@pytest.mark.parametrize("value", ["nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-",
                                   "only/one/slash", "Example.com/abc", "example_com/abc", "example.com/",
                                   "/simple", "a" * 64, "a" * 254 + "/abc"])
def test_qualified_name_bad(value):
    assert v.is_qualified_name(value) != []


@pytest.mark.parametrize("value", ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234",
                                   "a" * 63, ""])
def test_label_value_good(value):
    assert v.is_valid_label_value(value) == []


@pytest.mark.parametrize("value", ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad",
                                   "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.",
                                   "a" * 64])
def test_label_value_bad(value):
    assert v.is_valid_label_value(value) != []


@pytest.mark.parametrize("value", ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"])
def test_port_name_good(value):
    assert v.is_valid_port_name(value) == []


@pytest.mark.parametrize("value", ["longerthan15characters", "", "a" * 16, "12345", "1-2-3-4", "-begin", "end-",
                                   "two--hyphens", "whois++"])
def test_port_name_bad(value):
    assert v.is_valid_port_name(value) != []


@pytest.mark.parametrize("value,good", [("0%", True), ("00000%", True), ("1%", True), ("01%", True),
                                        ("99%", True), ("100%", True), ("101%", True), ("", False), ("0", False),
                                        ("100", False), ("0.0%", False), ("99.9%", False), ("hundred", False),
                                        (" 1%", False), ("1% ", False), ("-0%", False), ("-1%", False),
                                        ("+1%", False)])
def test_percent(value, good):
    assert (v.is_valid_percent(value) == []) is good


@pytest.mark.parametrize("value,good", [("a", True), ("good", True), ("good-good", True), ("still.good", True),
                                        ("this.is.also.good", True), (".so.is.this", True), ("THIS_IS_GOOD", True),
                                        ("so_is_this_17", True), ("", False), (".", False), ("..", False),
                                        ("..bad", False), ("b*d", False), ("bad!&bad", False)])
def test_config_map_key(value, good):
    assert (v.is_config_map_key(value) == []) is good


# -- through the API server -----------------------------------------------------------------------

def deployment(name="web", sel=None, labels=None, **spec):
    labels = {"app": "web"} if labels is None else labels
    sel = {"matchLabels": {"app": "web"}} if sel is None else sel
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"selector": sel,
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}},
                     **spec}}


def pod(name="p", containers=None, **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": containers if containers is not None else [{"name": "c", "image": "nginx"}],
                     **spec}}


def service(name="svc", **spec):
    spec.setdefault("ports", [{"port": 80}])
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


def rejected(c, obj) -> str:
    """Create ``obj`` and return what kubectl prints; asserts the store did not change."""
    before = c.digest()
    with pytest.raises(StatusError) as e:
        c.api.create(obj)
    assert c.digest() == before
    return format_error(e.value)


@pytest.fixture(scope="module")
def c():
    return Cluster()


def one(c, obj):
    """The single-cause kubectl line, without the ``The Kind "name" is invalid: `` prefix."""
    out = rejected(c, obj)
    prefix = f'The {obj["kind"]} "{obj["metadata"].get("name", "")}" is invalid: '
    assert out.startswith(prefix) and out.count("\n") == 1, out
    return out[len(prefix):-1]


def causes(c, obj) -> list[str]:
    out = rejected(c, obj)
    lines = out.splitlines()
    if len(lines) == 1:
        return [lines[0].split(" is invalid: ", 1)[1]]
    assert lines[0].endswith(" is invalid: ")
    return [line[2:] for line in lines[1:]]


def test_observed_renderings_from_errors_md(c):
    assert rejected(c, deployment("err-selector", labels={"app": "web2"})) == (
        'The Deployment "err-selector" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"web2"}: `selector` does not match template `labels`\n')
    assert rejected(c, pod("err-nocontainers", containers=[])) == (
        'The Pod "err-nocontainers" is invalid: spec.containers: Required value\n')
    assert rejected(c, deployment("err-replicas", replicas=-1)) == (
        'The Deployment "err-replicas" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal '
        'to 0\n')
    d = deployment("err-restart")
    d["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure"
    assert rejected(c, d) == ('The Deployment "err-restart" is invalid: spec.template.spec.restartPolicy: '
                              'Unsupported value: "OnFailure": supported values: "Always"\n')
    assert rejected(c, deployment("err-surge", strategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}})) == (
        'The Deployment "err-surge" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: '
        'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0\n')
    assert rejected(c, service("err-nodeport", type="NodePort", ports=[{"port": 80, "nodePort": 80}])) == (
        'The Service "err-nodeport" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in '
        'the valid range. The range of valid ports is 30000-32767\n')
    assert rejected(c, service("err-protocol", ports=[{"port": 80, "protocol": "tcp"}])) == (
        'The Service "err-protocol" is invalid: spec.ports[0].protocol: Unsupported value: "tcp": supported values: '
        '"SCTP", "TCP", "UDP"\n')
    assert rejected(c, service("err-svctype", type="Foo")) == (
        'The Service "err-svctype" is invalid: spec.type: Unsupported value: "Foo": supported values: "ClusterIP", '
        '"ExternalName", "LoadBalancer", "NodePort"\n')
    assert rejected(c, pod("err-container", containers=[{"name": "My_Container"}])) == (
        'The Pod "err-container" is invalid: \n'
        f'* spec.containers[0].name: Invalid value: "My_Container": {LABEL_RE}\n'
        '* spec.containers[0].image: Required value\n')


def test_several_errors_use_the_server_message_form(c):
    errs = []
    for obj in (deployment("err-selector", labels={"app": "web2"}), pod("err-container", containers=[{"name": "My_Container"}])):
        with pytest.raises(StatusError) as e:
            c.api.create(obj)
        errs.append(e.value)
    assert format_errors(errs) == (
        'Error from server (Invalid): Deployment.apps "err-selector" is invalid: spec.template.metadata.labels: '
        'Invalid value: map[string]string{"app":"web2"}: `selector` does not match template `labels`\n'
        'Error from server (Invalid): Pod "err-container" is invalid: [spec.containers[0].name: Invalid value: '
        f'"My_Container": {LABEL_RE}, spec.containers[0].image: Required value]\n')


def test_status_object_shape(c):
    with pytest.raises(StatusError) as e:
        c.api.create(deployment("err-replicas", replicas=-1))
    st = e.value.to_status()
    assert st["code"] == 422 and st["reason"] == "Invalid"
    assert st["details"] == {"name": "err-replicas", "group": "apps", "kind": "Deployment", "causes": [
        {"reason": "FieldValueInvalid", "message": "Invalid value: -1: must be greater than or equal to 0",
         "field": "spec.replicas"}]}


# errors.md §5 table, row by row
def test_workload_selector_rules(c):
    nosel = deployment("d")
    del nosel["spec"]["selector"]
    assert causes(c, nosel) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match '
        'template `labels`']
    assert one(c, deployment("d", sel={})) == (
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")
    assert one(c, deployment("d", sel={"matchLabels": {}})) == (
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")
    rs = deployment("r", sel={})
    rs["kind"] = "ReplicaSet"
    assert "empty selector is invalid for deployment" in one(c, rs)  # ReplicaSets say "deployment" too
    assert causes(c, deployment("d", sel={"matchLabels": {"app": "go demo"}}, labels={"app": "go demo"})) == [
        f'spec.selector.matchLabels: Invalid value: "go demo": {LABEL_VALUE_RE}',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"go demo"}, '
        'MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: invalid label selector']
    assert one(c, deployment("d", minReadySeconds=-5)) == (
        "spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0")
    assert one(c, deployment("d", revisionHistoryLimit=-1)) == (
        "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0")


def test_deployment_strategy_rules(c):
    assert one(c, deployment("d", strategy={"type": "RollingUpdate",
                                            "rollingUpdate": {"maxUnavailable": "120%"}})) == (
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, '
        'StrVal:"120%"}: must not be greater than 100%')
    assert one(c, deployment("d", strategy={"rollingUpdate": {"maxSurge": "25"}})) == (
        'spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"25"}: '
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex "
        "used for validation is '[0-9]+%')")
    assert one(c, deployment("d", strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}})) == (
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'")
    assert one(c, deployment("d", strategy={"type": "BlueGreen"})) == (
        'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", '
        'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"')
    assert one(c, deployment("d", minReadySeconds=10, progressDeadlineSeconds=5)) == (
        "spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds")
    assert one(c, deployment("d", strategy={"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "0%"}})) == (
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, '
        'StrVal:"0%"}: may not be 0 when `maxSurge` is 0')


def statefulset(name="db", **spec):
    d = deployment(name, **spec)
    d["kind"] = "StatefulSet"
    d["spec"]["serviceName"] = "db"
    return d


def test_statefulset_rules(c):
    assert one(c, statefulset(podManagementPolicy="Sometimes")) == (
        "spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'")
    assert one(c, statefulset(sel={})) == (
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset")
    sts = statefulset()
    del sts["spec"]["selector"]
    assert causes(c, sts) == ["spec.selector: Required value",
                              'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
                              '`selector` does not match template `labels`']
    # StatefulSet names are DNS labels since v1.27; the pod spec of the template is not validated
    assert one(c, statefulset("db.v1")) == 'metadata.name: Invalid value: "db.v1": must not contain dots'
    sts = statefulset("nocheck")
    sts["spec"]["template"]["spec"]["containers"] = [{"name": "db"}]
    c2 = Cluster()
    assert c2.api.create(sts)["metadata"]["name"] == "nocheck"


def daemonset(name="agent", **spec):
    d = deployment(name, **spec)
    d["kind"] = "DaemonSet"
    return d


def test_daemonset_rules(c):
    assert one(c, daemonset(updateStrategy={"type": "RollingUpdate",
                                            "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}})) == (
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, '
        'StrVal:""}: may not be set when maxUnavailable is non-zero')
    assert one(c, daemonset(updateStrategy={"type": "RollingUpdate",
                                            "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}})) == (
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0")
    assert one(c, daemonset(sel={})) == (
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset")


def test_container_rules(c):
    two = [{"name": "nginx", "image": "nginx"}, {"name": "nginx", "image": "nginx"}]
    assert one(c, pod(containers=two)) == 'spec.containers[1].name: Duplicate value: "nginx"'
    assert one(c, pod(containers=[{"image": "nginx"}])) == "spec.containers[0].name: Required value"
    assert one(c, pod(containers=[{"name": "c", "image": "nginx", "ports": [{"containerPort": 70000}]}])) == (
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive")
    assert one(c, pod(containers=[{"name": "c", "image": "nginx",
                                   "ports": [{"containerPort": 80, "protocol": "tcp"}]}])) == (
        'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"')
    assert one(c, pod(containers=[{"name": "c", "image": "nginx",
                                   "ports": [{"containerPort": 80, "name": "http_port"}]}])) == (
        'spec.containers[0].ports[0].name: Invalid value: "http_port": must contain only alpha-numeric '
        'characters (a-z, 0-9), and hyphens (-)')
    assert one(c, pod(containers=[{"name": "c", "image": "nginx", "imagePullPolicy": "Sometimes"}])) == (
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"IfNotPresent", "Never"')
    assert one(c, pod(restartPolicy="Sometimes")) == (
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"')
    assert one(c, pod(containers=[{"name": "c", "image": "nginx", "env": [{"name": "A=B", "value": "x"}]}])) == (
        'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist '
        "only of printable ASCII characters other than '='")
    assert one(c, pod(containers=[{"name": "c", "image": "nginx",
                                   "volumeMounts": [{"name": "data", "mountPath": "/data"}]}])) == (
        'spec.containers[0].volumeMounts[0].name: Not found: "data"')
    assert one(c, pod(volumes=[{"name": "Data", "emptyDir": {}}])) == (
        f'spec.volumes[0].name: Invalid value: "Data": {LABEL_RE}')
    assert one(c, pod(nodeSelector={"disk type": "ssd"})) == (
        'spec.nodeSelector: Invalid value: "disk type": ' + NAME_PART_RE)


def probe_pod(probe_field, probe):
    return pod(containers=[{"name": "c", "image": "nginx", probe_field: probe}])


def test_probe_rules(c):
    assert one(c, probe_pod("livenessProbe", {"httpGet": {"port": 80}, "successThreshold": 3})) == (
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1")
    assert one(c, probe_pod("startupProbe", {"tcpSocket": {"port": 80}, "successThreshold": 2})) == (
        "spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1")
    assert one(c, probe_pod("livenessProbe", {"exec": {"command": ["true"]}, "tcpSocket": {"port": 80}})) == (
        "spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type")
    assert one(c, probe_pod("livenessProbe", {"periodSeconds": 5})) == (
        "spec.containers[0].livenessProbe: Required value: must specify a handler type")
    assert one(c, probe_pod("readinessProbe", {"httpGet": {"port": 80}, "initialDelaySeconds": -1})) == (
        "spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal "
        "to 0")
    assert c.api.create(probe_pod("readinessProbe", {"httpGet": {"port": 80}, "successThreshold": 3}),
                        dry_run=True)  # readiness may need several successes


def test_resource_rules(c):
    ctr = {"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "500m"}, "limits": {"cpu": "200m"}}}
    assert one(c, pod(containers=[ctr])) == (
        'spec.containers[0].resources.requests: Invalid value: "500m": must be less than or equal to cpu limit of '
        '200m')
    ctr = {"name": "c", "image": "nginx", "resources": {"requests": {"memory": "1Gi"}, "limits": {"memory": "0.5Gi"}}}
    assert one(c, pod(containers=[ctr])) == (
        'spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit '
        'of 512Mi')
    ctr = {"name": "c", "image": "nginx", "resources": {"limits": {"gpu": "1"}}}
    assert causes(c, pod(containers=[ctr])) == [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for '
        'containers',
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for '
        'containers']


def test_toleration_rules(c):
    assert one(c, pod(tolerations=[{"key": "k", "operator": "Sometimes", "effect": "NoSchedule"}])) == (
        'spec.tolerations[0].operator: Unsupported value: "Sometimes": supported values: "Equal", "Exists"')
    assert one(c, pod(tolerations=[{"key": "k", "operator": "Exists", "effect": "NoRun"}])) == (
        'spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", '
        '"PreferNoSchedule", "NoExecute"')
    assert one(c, pod(tolerations=[{"key": "k", "operator": "Exists", "value": "v"}])) == (
        'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"v", '
        "Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'")


def test_service_rules(c):
    assert one(c, service(ports=[])) == "spec.ports: Required value"
    assert c.api.create(service("headless", ports=[], clusterIP="None", selector={"app": "db"}), dry_run=True)
    # targetPort defaults to port, so it is reported too
    assert causes(c, service(ports=[{"port": 70000}])) == [
        "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]
    assert one(c, service(ports=[{"port": 80, "nodePort": 30080}])) == (
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")
    assert one(c, service(ports=[{"port": 80, "name": "http"}, {"port": 443}])) == (
        "spec.ports[1].name: Required value")
    assert one(c, service(type="ExternalName", ports=[])) == "spec.externalName: Required value"
    assert one(c, service(ports=[{"port": 80, "targetPort": "http_alt"}])) == (
        'spec.ports[0].targetPort: Invalid value: "http_alt": must contain only alpha-numeric characters (a-z, '
        '0-9), and hyphens (-)')
    assert one(c, service(ports=[{"port": 80, "targetPort": -1}])) == (
        "spec.ports[0].targetPort: Invalid value: -1: must be between 1 and 65535, inclusive")
    assert one(c, service(ports=[{"name": "a", "port": 80}, {"name": "b", "port": 80}])) == (
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), '
        'Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}')
    assert one(c, service(selector={"app": "go demo"})) == f'spec.selector: Invalid value: "go demo": {LABEL_VALUE_RE}'
    assert one(c, service("Web")) == f'metadata.name: Invalid value: "Web": {DNS1035_RE}'


def test_node_port_already_allocated():
    c = Cluster()
    c.api.create(service("a", type="NodePort", ports=[{"port": 80, "nodePort": 30001}]))
    assert one(c, service("b", type="NodePort", ports=[{"port": 80, "nodePort": 30001}])) == (
        "spec.ports[0].nodePort: Invalid value: 30001: provided port is already allocated")


def ingress(paths, name="ing"):
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name},
            "spec": {"rules": [{"host": "example.com", "http": {"paths": paths}}]}}


BACKEND = {"service": {"name": "web", "port": {"number": 80}}}


def test_ingress_rules(c):
    assert one(c, ingress([{"path": "/", "backend": BACKEND}])) == (
        "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified")
    assert one(c, ingress([{"path": "/", "pathType": "Foo", "backend": BACKEND}])) == (
        'spec.rules[0].http.paths[0].pathType: Unsupported value: "Foo": supported values: "Exact", '
        '"ImplementationSpecific", "Prefix"')
    assert one(c, ingress([{"path": "api", "pathType": "Prefix", "backend": BACKEND}])) == (
        'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path')
    assert one(c, ingress([{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web"}}}])) == (
        "spec.rules[0].http.paths[0].backend: Required value: port name or number is required")
    assert one(c, ingress([{"path": "/", "pathType": "Prefix", "backend": {"service": {"port": {"number": 80}}}}])) == (
        "spec.rules[0].http.paths[0].backend.service.name: Required value")
    bad_port = {"service": {"name": "web", "port": {"number": 70000}}}
    assert one(c, ingress([{"path": "/", "pathType": "Exact", "backend": bad_port}])) == (
        "spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and "
        "65535, inclusive")
    ic = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "nginx"},
          "spec": {"controller": "nginx"}}
    assert one(c, ic) == 'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")'


def hpa(**spec):
    spec.setdefault("scaleTargetRef", {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"})
    spec.setdefault("maxReplicas", 5)
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
            "spec": spec}


def test_hpa_rules(c):
    assert one(c, hpa(minReplicas=3, maxReplicas=1)) == (
        "spec.maxReplicas: Invalid value: 1: must be greater than or equal to `minReplicas`")
    assert one(c, hpa(minReplicas=0)) == "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"
    assert one(c, hpa(scaleTargetRef={"kind": "Deployment"})) == "spec.scaleTargetRef.name: Required value"
    assert one(c, hpa(metrics=[{"type": "Resource", "resource": {"name": "cpu", "target": {
        "type": "Utilization", "averageUtilization": 0}}}])) == (
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0")


def job(restart="Never", **spec):
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
            "spec": {"template": {"spec": {"restartPolicy": restart,
                                           "containers": [{"name": "pi", "image": "perl"}]}}, **spec}}


def test_job_rules(c):
    # Always (or unset, which defaults to Always) reads "Required" in v1.32 (batch validateJobSpec)
    assert one(c, job("Always")) == 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'
    assert one(c, job(completions=-1)) == "spec.completions: Invalid value: -1: must be greater than or equal to 0"
    assert one(c, job(parallelism=-2)) == "spec.parallelism: Invalid value: -2: must be greater than or equal to 0"
    assert one(c, job(backoffLimit=-1)) == "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"


def cronjob(schedule, name="cj"):
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name},
            "spec": {"schedule": schedule, "jobTemplate": {"spec": job()["spec"]}}}


@pytest.mark.parametrize("schedule,msg", [
    ("*/5 * * *", "expected exactly 5 fields, found 4: [*/5 * * *]"),
    ("61 * * * *", "end of range (61) above maximum (59): 61"),
    ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
    ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
    ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
    ("@sometimes", "unrecognized descriptor: @sometimes"),
])
def test_cronjob_schedule(c, schedule, msg):
    assert one(c, cronjob(schedule)) == f"spec.schedule: Invalid value: {v.go_quote(schedule)}: {msg}"


def test_cronjob_other_rules(c):
    for ok in ("*/1 * * * *", "0 0 * * mon-fri", "@hourly", "@every 1h30m", "0 0 1 jan,jul *"):
        assert c.api.create(cronjob(ok), dry_run=True)
    cj = cronjob("* * * * *")
    del cj["spec"]["schedule"]
    assert one(c, cj) == "spec.schedule: Required value"
    assert one(c, cronjob("* * * * *", name="a" * 53)) == (
        f'metadata.name: Invalid value: "{"a" * 53}": must be no more than 52 characters')
    assert one(c, cronjob("TZ=UTC * * * * *")) == (
        'spec.schedule: Invalid value: "TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field '
        'instead')
    cj = cronjob("* * * * *")
    cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    assert one(c, cj) == ('spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: '
                          '"OnFailure", "Never"')


def cm(data, name="cfg"):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def test_config_map_and_secret_rules(c):
    assert one(c, cm({"bad key": "x"})) == (
        'data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '
        "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')")
    big = cm({"a": "x" * (1024 * 1024), "b": "y"})
    with pytest.raises(StatusError) as e:
        c.api.create(big)
    assert [(x.field, x.body) for x in e.value.causes] == [("", "Too long: must have at most 1048576 bytes")]
    # field.Error.Error() renders an empty field path as ": ..." (upstream prints it so)
    assert e.value.message == 'ConfigMap "cfg" is invalid: : Too long: must have at most 1048576 bytes'
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"..x": "1"}}
    assert one(c, secret) == "data[..x]: Invalid value: \"..x\": must not start with '..'"
    tls = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t"}, "type": "kubernetes.io/tls", "data": {}}
    assert causes(c, tls) == ["data[tls.crt]: Required value", "data[tls.key]: Required value"]


def test_metadata_rules(c):
    assert one(c, cm({}, name="")) == "metadata.name: Required value: name or generateName is required"
    assert one(c, cm({}, name="Web_1")) == f'metadata.name: Invalid value: "Web_1": {SUBDOMAIN_RE}'
    long_name = "a" * 254
    assert causes(c, cm({}, name=long_name)) == [
        f'metadata.name: Invalid value: "{long_name}": must be no more than 253 characters']
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "my.ns"}}
    assert one(c, ns) == 'metadata.name: Invalid value: "my.ns": must not contain dots'
    obj = cm({})
    obj["metadata"]["labels"] = {"service:go-demo-2": "x"}
    assert one(c, obj) == f'metadata.labels: Invalid value: "service:go-demo-2": {NAME_PART_RE}'
    obj["metadata"]["labels"] = {"app": "go demo"}
    assert one(c, obj) == f'metadata.labels: Invalid value: "go demo": {LABEL_VALUE_RE}'
    obj["metadata"]["labels"] = {"app": "v" * 64}
    assert one(c, obj) == f'metadata.labels: Invalid value: "{"v" * 64}": must be no more than 63 characters'
    obj["metadata"]["labels"] = {"example.com/": "x"}
    assert causes(c, obj) == ['metadata.labels: Invalid value: "example.com/": name part must be non-empty',
                              f'metadata.labels: Invalid value: "example.com/": {NAME_PART_RE}']
    obj["metadata"]["labels"] = {}
    obj["metadata"]["annotations"] = {"a": "x" * (256 * 1024)}
    assert one(c, obj) == "metadata.annotations: Too long: must have at most 262144 bytes"
    obj["metadata"]["annotations"] = {"Bad Key": "x"}
    assert one(c, obj).startswith('metadata.annotations: Invalid value: "Bad Key": name part must consist of')
    obj = deployment("d")
    obj["spec"]["template"]["metadata"]["labels"] = {"app": "web", "tier": "a b"}
    assert one(c, obj) == f'spec.template.labels: Invalid value: "a b": {LABEL_VALUE_RE}'


def test_pv_and_pvc_basics(c):
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}, "spec": {}}
    assert causes(c, pvc) == ["spec.accessModes: Required value: at least 1 access mode is required",
                              "spec.resources[storage]: Required value"]
    pvc["spec"] = {"accessModes": ["ReadWriteSometimes"], "resources": {"requests": {"storage": "1Gi"}}}
    assert one(c, pvc) == ('spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: '
                           '"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"')
    pv = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv1"},
          "spec": {"hostPath": {"path": "/data"}}}
    assert causes(c, pv) == ["spec.accessModes: Required value", "spec.capacity: Required value",
                             'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"']


def test_update_rules():
    c = Cluster()
    rt = REGISTRY.for_kind("apps", "Deployment")
    c.api.create(deployment("web"))

    def patch(obj_rt, name, body, ns="default"):
        before = c.digest()
        with pytest.raises(StatusError) as e:
            c.api.patch(obj_rt, ns, name, body, "merge")
        assert c.digest() == before
        return format_error(e.value)

    assert patch(rt, "web", {"spec": {"selector": {"matchLabels": {"app": "web2"}},
                                      "template": {"metadata": {"labels": {"app": "web2"}}}}}) == (
        'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
        'map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is '
        'immutable\n')
    assert patch(rt, "web", {"spec": {"selector": {"matchLabels": {"app": "web2"}}}}) == (
        'The Deployment "web" is invalid: \n'
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not '
        'match template `labels`\n'
        '* spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, '
        'MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n')
    # a template change is allowed (it starts a rollout)
    c.api.patch(rt, "default", "web", {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "image": "nginx:1.28"}]}}}}, "strategic")

    sts_rt = REGISTRY.for_kind("apps", "StatefulSet")
    c.api.create(statefulset("db"))
    assert patch(sts_rt, "db", {"spec": {"serviceName": "other"}}) == (
        "The StatefulSet \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than "
        "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
        "'minReadySeconds' are forbidden\n")
    c.api.patch(sts_rt, "default", "db", {"spec": {"replicas": 3}}, "merge")

    svc_rt = REGISTRY.for_kind("", "Service")
    svc = c.api.create(service("web"))
    ip = svc["spec"]["clusterIP"]
    assert patch(svc_rt, "web", {"spec": {"clusterIP": "10.43.0.99"}}) == (
        'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.43.0.99"}: may not change '
        'once set\n')
    assert ip != "10.43.0.99"

    cm_rt = REGISTRY.for_kind("", "ConfigMap")
    c.api.create({**cm({"a": "1"}, "frozen"), "immutable": True})
    assert patch(cm_rt, "frozen", {"data": {"a": "2"}}) == (
        'The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set\n')
    assert patch(cm_rt, "frozen", {"immutable": False}) == (
        'The ConfigMap "frozen" is invalid: immutable: Forbidden: field is immutable when `immutable` is set\n')

    job_rt = REGISTRY.for_kind("batch", "Job")
    c.api.create(job())
    out = patch(job_rt, "pi", {"spec": {"template": {"spec": {"containers": [{"name": "pi", "image": "perl:5"}]}}}})
    assert out.startswith('The Job "pi" is invalid: spec.template: Invalid value: core.PodTemplateSpec{')
    assert out.endswith("}: field is immutable\n")


def test_pod_update_rules():
    c = Cluster()
    rt = REGISTRY.for_kind("", "Pod")
    c.api.create(pod("web", containers=[{"name": "web", "image": "nginx:1.27"}]))
    # image changes are allowed
    c.api.patch(rt, "default", "web", {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}},
                "strategic")
    before = c.digest()
    with pytest.raises(StatusError) as e:
        c.api.patch(rt, "default", "web", {"spec": {"restartPolicy": "Never"}}, "merge")
    assert c.digest() == before
    out = format_error(e.value)
    assert out.startswith(
        'The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than '
        '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,'
        '`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow '
        'it to be set to 1 if it was previously negative)\n  core.PodSpec{\n')
    assert '- \tRestartPolicy: "Always",\n+ \tRestartPolicy: "Never",\n' in out
    assert out.endswith("  }\n\n")
    with pytest.raises(StatusError) as e:
        c.api.patch(rt, "default", "web", {"spec": {"containers": [
            {"name": "web", "image": "nginx"}, {"name": "side", "image": "busybox"}]}}, "merge")
    assert format_error(e.value) == (
        'The Pod "web" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers\n')


def test_course_replica_guard_is_quick_and_clear():
    c = Cluster()
    before = c.digest()
    with pytest.raises(StatusError) as e:
        c.api.create(deployment("huge", replicas=1000000))
    assert c.digest() == before
    assert format_error(e.value) == (
        'Error from server (Forbidden): deployments.apps "huge" is forbidden: spec.replicas: 1000000 exceeds the '
        "simulator's course limit of 1000 (labsim admission; a real cluster would accept it and try to run "
        "1000000 pods)\n")


def test_validation_is_pure_and_ordered():
    rt = REGISTRY.for_kind("apps", "Deployment")
    obj = deployment("Bad_Name", replicas=-1, labels={"app": "other"})
    obj["metadata"]["namespace"] = "default"
    from labsim.api import defaults
    defaults.set_defaults(rt, obj)
    frozen = copy.deepcopy(obj)
    errs = v.validate(rt, obj, None)
    assert obj == frozen  # validation never mutates
    assert [e.field for e in errs] == ["metadata.name", "spec.replicas", "spec.template.metadata.labels"]
    assert errs[0].type == "FieldValueInvalid"
    assert v.validate(rt, defaults_applied(rt, deployment("ok")), None) == []


def defaults_applied(rt, obj):
    from labsim.api import defaults
    obj = copy.deepcopy(obj)
    obj["metadata"]["namespace"] = "default"
    defaults.set_defaults(rt, obj)
    return obj


@pytest.mark.parametrize("name,good", [("web", True), ("web-1", True), ("a.b", True), ("-web", False),
                                       ("Web", False), ("web_1", False)])
def test_name_rules_per_kind(name, good):
    pod_rt = REGISTRY.for_kind("", "Pod")
    errs = v.validate(pod_rt, defaults_applied(pod_rt, pod(name)), None)
    assert (errs == []) is good


# -- end to end through kubectl apply (the seed typos that are validation errors) -----------------

SEED_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: go-demo-2-db
{labels}spec:
  selector:
    matchLabels:
      type: db
      service: go-demo-2
{strategy}  template:
    metadata:
      labels:
        type: db
        service: {template_service}
    spec:
      containers:
      - name: db
        image: mongo:3.3
"""


def apply_file(c, tmp_path, text, name="go-demo-2-db.yaml"):
    path = tmp_path / name
    path.write_text(text)
    before = c.digest()
    r = c.kubectl(f"apply -f {path}")
    assert r.exit_code == 1 and r.stdout == ""
    assert c.digest() == before
    return r.stderr


def test_apply_selector_mismatch(tmp_path):
    c = Cluster()
    text = SEED_DEPLOYMENT.format(labels="", strategy="", template_service="go-demo-3")
    assert apply_file(c, tmp_path, text) == (
        'The Deployment "go-demo-2-db" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"service":"go-demo-3", "type":"db"}: `selector` does not match template `labels`\n')


def test_apply_bad_label_key(tmp_path):
    c = Cluster()
    text = SEED_DEPLOYMENT.format(labels='  labels:\n    "service:go-demo-2": db\n', strategy="",
                                  template_service="go-demo-2")
    assert apply_file(c, tmp_path, text) == (
        f'The Deployment "go-demo-2-db" is invalid: metadata.labels: Invalid value: "service:go-demo-2": '
        f'{NAME_PART_RE}\n')


def test_apply_max_surge_and_unavailable_zero(tmp_path):
    c = Cluster()
    strategy = "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n"
    text = SEED_DEPLOYMENT.format(labels="", strategy=strategy, template_service="go-demo-2")
    assert apply_file(c, tmp_path, text) == (
        'The Deployment "go-demo-2-db" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: '
        'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0\n')


def test_apply_then_change_selector(tmp_path):
    c = Cluster()
    good = SEED_DEPLOYMENT.format(labels="", strategy="", template_service="go-demo-2")
    path = tmp_path / "d.yaml"
    path.write_text(good)
    assert c.kubectl(f"apply -f {path}").stdout == "deployment.apps/go-demo-2-db created\n"
    changed = good.replace("      service: go-demo-2\n{", "{").replace(
        "matchLabels:\n      type: db\n      service: go-demo-2", "matchLabels:\n      type: db2\n      service: go-demo-2")
    path.write_text(changed)
    r = c.kubectl(f"apply -f {path}")
    assert r.exit_code == 1
    assert r.stderr == (
        'The Deployment "go-demo-2-db" is invalid: \n'
        '* spec.template.metadata.labels: Invalid value: map[string]string{"service":"go-demo-2", "type":"db"}: '
        '`selector` does not match template `labels`\n'
        '* spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"service":"go-demo-2", '
        '"type":"db2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n')
