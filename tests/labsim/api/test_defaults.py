"""Defaulting as a v1.32 API server applies it: objects created with only the essentials read
back with every default a real ``kubectl get -o yaml`` shows."""
import base64

import pytest

from labsim import Cluster
from labsim.api import defaults
from labsim.api.registry import REGISTRY
from labsim.errors import StatusError
from labsim.kubectl.errors import format_error

UID_AND_TIME = ("uid", "creationTimestamp", "resourceVersion")


def strip(md):
    return {k: v for k, v in md.items() if k not in UID_AND_TIME}


CONTAINER_DEFAULTS = {"imagePullPolicy": "Always", "terminationMessagePath": "/dev/termination-log",
                      "terminationMessagePolicy": "File", "resources": {}}
TEMPLATE_SPEC_DEFAULTS = {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "securityContext": {},
                          "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler"}


def test_deployment_reads_back_with_every_default():
    c = Cluster()
    d = c.api.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                      "spec": {"selector": {"matchLabels": {"app": "web"}},
                               "template": {"metadata": {"labels": {"app": "web"}},
                                            "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    assert strip(d["metadata"]) == {"name": "web", "namespace": "default", "generation": 1}
    assert d["spec"] == {
        "progressDeadlineSeconds": 600, "replicas": 1, "revisionHistoryLimit": 10,
        "selector": {"matchLabels": {"app": "web"}},
        "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
        "template": {"metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "nginx", "image": "nginx", **CONTAINER_DEFAULTS}],
                              **TEMPLATE_SPEC_DEFAULTS}}}
    assert d["status"] == {}


def test_recreate_strategy_gets_no_rolling_update():
    rt = REGISTRY.for_kind("apps", "Deployment")
    obj = {"spec": {"strategy": {"type": "Recreate"}, "template": {"spec": {"containers": []}}}}
    defaults.set_defaults(rt, obj)
    assert obj["spec"]["strategy"] == {"type": "Recreate"}


def test_pod_defaults_admission_and_status():
    c = Cluster()
    p = c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db"},
                      "spec": {"containers": [{"name": "db", "image": "mongo:7",
                                               "resources": {"limits": {"cpu": "0.5", "memory": "1Gi"}},
                                               "ports": [{"containerPort": 27017}],
                                               "livenessProbe": {"httpGet": {"port": 80}}}]}})
    spec = p["spec"]
    vol = spec["volumes"][0]["name"]
    assert vol.startswith("kube-api-access-") and len(vol) == len("kube-api-access-") + 5
    ctr = spec["containers"][0]
    assert ctr == {
        "name": "db", "image": "mongo:7", "imagePullPolicy": "IfNotPresent",
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
        "ports": [{"containerPort": 27017, "protocol": "TCP"}],
        # requests copied from limits (SetDefaults_Pod), quantities canonical
        "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}},
        "livenessProbe": {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
                          "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
        "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": vol,
                          "readOnly": True}]}
    assert {k: v for k, v in spec.items() if k not in ("containers", "volumes")} == {
        **TEMPLATE_SPEC_DEFAULTS, "enableServiceLinks": True, "serviceAccountName": "default",
        "serviceAccount": "default", "priority": 0, "preemptionPolicy": "PreemptLowerPriority",
        "tolerations": [
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
             "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
             "tolerationSeconds": 300}]}
    assert spec["volumes"][0]["projected"] == {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}}]}
    assert p["status"] == {"phase": "Pending", "qosClass": "Guaranteed"}


def test_existing_toleration_and_no_automount():
    c = Cluster()
    p = c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                      "spec": {"automountServiceAccountToken": False,
                               "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                                                "effect": "NoExecute", "tolerationSeconds": 10}],
                               "containers": [{"name": "c", "image": "busybox"}]}})
    assert "volumes" not in p["spec"] and "volumeMounts" not in p["spec"]["containers"][0]
    assert p["spec"]["tolerations"] == [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
         "tolerationSeconds": 300}]


@pytest.mark.parametrize("image,policy", [
    # pkg/apis/core/v1/defaults.go SetDefaults_Container via parsers.ParseImageName
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
    ("nginx@sha256:" + "a" * 64, "IfNotPresent"), ("nginx:latest@sha256:" + "a" * 64, "Always"),
    ("localhost:5000/nginx", "Always"), ("localhost:5000/nginx:v1", "IfNotPresent"),
    ("docker.io/library/nginx", "Always"), ("quay.io/org/app:latest", "Always"), ("gcr.io/p/app:v2", "IfNotPresent"),
    ("NGINX", "IfNotPresent"),  # not a valid reference: no tag, so not "latest"
])
def test_image_pull_policy_by_tag(image, policy):
    assert defaults.image_pull_policy_for(image) == policy


def test_qos_classes():
    def pod(*resources):
        return {"spec": {"containers": [{"resources": r} for r in resources]}}
    assert defaults.pod_qos_class(pod({})) == "BestEffort"
    assert defaults.pod_qos_class(pod({"requests": {"cpu": "100m"}})) == "Burstable"
    both = {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1000m", "memory": "1Gi"}}
    assert defaults.pod_qos_class(pod(both)) == "Guaranteed"
    assert defaults.pod_qos_class(pod(both, {})) == "Burstable"


def test_bad_quantity_is_the_decoders_bad_request():
    c = Cluster()
    with pytest.raises(StatusError) as e:
        c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "q"},
                      "spec": {"containers": [{"name": "c", "image": "x",
                                               "resources": {"requests": {"memory": "1.5.3Gi"}}}]}})
    assert e.value.code == 400


def test_service_defaults():
    c = Cluster(seed=3)
    s = c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                      "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}})
    ip = s["spec"]["clusterIP"]
    assert s["spec"] == {"selector": {"app": "web"},
                         "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
                         "type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
                         "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"],
                         "clusterIP": ip, "clusterIPs": [ip]}
    assert s["status"] == {"loadBalancer": {}}
    lb = c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb"},
                       "spec": {"type": "LoadBalancer", "sessionAffinity": "ClientIP", "ports": [{"port": 443}]}})
    assert lb["spec"]["externalTrafficPolicy"] == "Cluster"
    assert lb["spec"]["allocateLoadBalancerNodePorts"] is True
    assert lb["spec"]["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}
    assert lb["spec"]["ports"][0]["targetPort"] == 443 and 30000 <= lb["spec"]["ports"][0]["nodePort"] <= 32767
    headless = c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
                             "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}})
    assert headless["spec"]["clusterIPs"] == ["None"] and headless["spec"]["ipFamilyPolicy"] == "SingleStack"


def test_workload_defaults():
    c = Cluster()
    tmpl = {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}}
    sts = c.api.create({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
                        "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}}, "template": tmpl}})
    assert {k: v for k, v in sts["spec"].items() if k not in ("template", "selector", "serviceName")} == {
        "podManagementPolicy": "OrderedReady", "replicas": 1, "revisionHistoryLimit": 10,
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"}}
    ds = c.api.create({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
                       "spec": {"selector": {"matchLabels": {"app": "db"}}, "template": tmpl}})
    assert ds["spec"]["updateStrategy"] == {"type": "RollingUpdate",
                                            "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert ds["spec"]["revisionHistoryLimit"] == 10
    job = c.api.create({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
                        "spec": {"template": {"spec": {"restartPolicy": "Never",
                                                       "containers": [{"name": "pi", "image": "perl"}]}}}})
    uid = job["metadata"]["uid"]
    assert {k: v for k, v in job["spec"].items() if k != "template"} == {
        "completions": 1, "parallelism": 1, "backoffLimit": 6, "completionMode": "NonIndexed", "suspend": False,
        "podReplacementPolicy": "TerminatingOrFailed",
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}}
    assert job["spec"]["template"]["metadata"]["labels"] == {
        "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid, "job-name": "pi"}
    cj = c.api.create({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "tick"},
                       "spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                           "restartPolicy": "OnFailure", "containers": [{"name": "t", "image": "busybox"}]}}}}}})
    assert {k: v for k, v in cj["spec"].items() if k not in ("jobTemplate", "schedule")} == {
        "concurrencyPolicy": "Allow", "suspend": False, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1}


def test_secret_string_data_is_merged_into_data():
    c = Cluster()
    s = c.api.create({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
                      "data": {"user": base64.b64encode(b"old").decode()},
                      "stringData": {"user": "admin", "password": "s3cr3t"}})
    assert "stringData" not in s
    assert s["type"] == "Opaque"
    assert {k: base64.b64decode(v).decode() for k, v in s["data"].items()} == {"user": "admin", "password": "s3cr3t"}


def test_namespace_defaults():
    c = Cluster()
    ns = c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "dev"}
    assert ns["spec"] == {"finalizers": ["kubernetes"]} and ns["status"] == {"phase": "Active"}


def test_default_propagation_and_grace():
    assert defaults.default_propagation(REGISTRY.for_kind("batch", "Job")) == "Orphan"
    assert defaults.default_propagation(REGISTRY.for_kind("apps", "Deployment")) == "Background"
    pod_rt = REGISTRY.for_kind("", "Pod")
    running = {"spec": {"nodeName": "n", "terminationGracePeriodSeconds": 45}, "status": {"phase": "Running"}}
    assert defaults.deletion_grace_period(pod_rt, running, None) == 45
    assert defaults.deletion_grace_period(pod_rt, running, 5) == 5
    assert defaults.deletion_grace_period(pod_rt, {"spec": {}}, None) == 0
    assert defaults.deletion_grace_period(REGISTRY.for_kind("", "ConfigMap"), {}, None) is None


def test_validation_sees_defaulted_values():
    c = Cluster()
    base = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "surge"},
            "spec": {"selector": {"matchLabels": {"app": "a"}},
                     "strategy": {"rollingUpdate": {"maxSurge": 0}},
                     "template": {"metadata": {"labels": {"app": "a"}},
                                  "spec": {"containers": [{"name": "a", "image": "a"}]}}}}
    # maxUnavailable is defaulted to 25%, so maxSurge 0 alone is fine
    d = c.api.create(base)
    assert d["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": 0, "maxUnavailable": "25%"}
    base["metadata"]["name"] = "err-surge"
    base["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] = 0
    with pytest.raises(StatusError) as e:
        c.api.create(base)
    assert format_error(e.value) == (
        'The Deployment "err-surge" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: '
        'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0\n')
