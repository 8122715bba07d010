"""Defaults and admission for storage, scheduling and network policy objects."""
from labsim import Cluster


def test_k3s_default_storage_class_and_claims_that_get_it():
    c = Cluster()
    out = c.kubectl("get sc").stdout
    assert out == ("NAME                   PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      "
                   "ALLOWVOLUMEEXPANSION   AGE\n"
                   "local-path (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   "
                   "false                  30s\n")
    pvc = c.api.create({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
                        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}})
    assert pvc["spec"]["storageClassName"] == "local-path"
    assert pvc["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    explicit = c.api.create({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "manual"},
                             "spec": {"storageClassName": "", "accessModes": ["ReadWriteOnce"],
                                      "resources": {"requests": {"storage": "1Gi"}}}})
    assert explicit["spec"]["storageClassName"] == ""


def test_storage_class_priority_class_network_policy_defaults():
    c = Cluster()
    sc = c.api.create({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"},
                       "provisioner": "example.com/fast"})
    assert (sc["reclaimPolicy"], sc["volumeBindingMode"]) == ("Delete", "Immediate")
    pc = c.api.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
                       "value": 1000})
    assert pc["preemptionPolicy"] == "PreemptLowerPriority"
    np = c.api.create({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "db"},
                       "spec": {"podSelector": {}, "ingress": [{"ports": [{"port": 27017}]}],
                                "egress": [{}]}})
    assert np["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert np["spec"]["ingress"][0]["ports"][0]["protocol"] == "TCP"


def test_daemonset_keeps_its_template_generation_annotation():
    c = Cluster()
    ds = c.api.create({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "logs"},
                       "spec": {"selector": {"matchLabels": {"app": "logs"}},
                                "template": {"metadata": {"labels": {"app": "logs"}},
                                             "spec": {"containers": [{"name": "f", "image": "busybox"}]}}}})
    assert ds["metadata"]["annotations"] == {"deprecated.daemonset.template.generation": "1"}


def test_daemonset_template_generation_follows_template_changes():
    from labsim.api.meta import deep_copy

    c = Cluster()
    ds = deep_copy(c.api.create({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "logs"},
                                 "spec": {"selector": {"matchLabels": {"app": "logs"}},
                                          "template": {"metadata": {"labels": {"app": "logs"}},
                                                       "spec": {"containers": [{"name": "f", "image": "busybox"}]}}}}))
    ds["metadata"]["labels"] = {"x": "y"}
    ds = deep_copy(c.api.update(ds))
    assert ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "1"
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.36"
    ds = c.api.update(ds)
    assert ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "2"
    assert ds["metadata"]["generation"] == 2
