"""kubectl api-resources / api-versions over the registry."""
from __future__ import annotations

from labsim import Cluster
from labsim.api.registry import REGISTRY


def test_api_resources_table_and_filters():
    c = Cluster(seed=0)
    out = c.kubectl("api-resources").stdout.splitlines()
    # the transcript's head (real kubectl against a discovery document)
    assert out[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert out[0].startswith("NAME                       SHORTNAMES   APIVERSION")
    assert out[3] == "configmaps                 cm           v1                             true         ConfigMap"
    assert len(out) == 1 + len(REGISTRY.resources)
    r = c.kubectl("api-resources --api-group=apps --namespaced=true -o wide --sort-by=kind")
    assert r.stdout == """\
NAME                  SHORTNAMES   APIVERSION   NAMESPACED   KIND                 VERBS                                                        CATEGORIES
controllerrevisions                apps/v1      true         ControllerRevision   create,delete,deletecollection,get,list,patch,update,watch   
daemonsets            ds           apps/v1      true         DaemonSet            create,delete,deletecollection,get,list,patch,update,watch   all
deployments           deploy       apps/v1      true         Deployment           create,delete,deletecollection,get,list,patch,update,watch   all
replicasets           rs           apps/v1      true         ReplicaSet           create,delete,deletecollection,get,list,patch,update,watch   all
statefulsets          sts          apps/v1      true         StatefulSet          create,delete,deletecollection,get,list,patch,update,watch   all
"""
    assert c.kubectl("api-resources --namespaced=false --api-group= -o name --no-headers").stdout == (
        "componentstatuses\nnamespaces\nnodes\npersistentvolumes\n")
    assert c.kubectl("api-resources --sort-by=name -o name").stdout.splitlines()[:3] == [
        "bindings", "clusterrolebindings.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io"]
    r = c.kubectl("api-resources -o yaml")
    assert (r.stderr, r.exit_code) == ("error: --output yaml is not available\n", 1)
    r = c.kubectl("api-resources --sort-by=age")
    assert r.stderr == "error: --sort-by accepts only name or kind\n"
    assert c.kubectl("api-resources --verbs=create --categories=all -o name").stdout.splitlines()[0] == "pods"


def test_api_versions_sorted():
    out = Cluster(seed=0).kubectl("api-versions").stdout.splitlines()
    assert out == sorted(out) and out[0] == "apps/v1" and out[-1] == "v1"
    assert "autoscaling/v1" in out and "autoscaling/v2" in out
