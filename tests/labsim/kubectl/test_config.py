"""kubectl config / version / cluster-info, compared with the real kubectl v1.32 client run on a
scratch kubeconfig holding the same contexts as the simulated cluster's."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from labsim import Cluster

KUBECTL = "/usr/bin/kubectl"
SCRATCH = """\
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTg==
    server: https://0.0.0.0:6550
  name: k3d-kubelabs
contexts:
- context:
    cluster: k3d-kubelabs
    user: admin@k3d-kubelabs
  name: k3d-kubelabs
current-context: k3d-kubelabs
preferences: {}
users:
- name: admin@k3d-kubelabs
  user:
    client-certificate-data: LS0tLS1CRUdJTg==
    client-key-data: LS0tLS1CRUdJTg==
"""

SCRIPT = [
    "config view",
    "config get-contexts",
    "config current-context",
    "config get-clusters",
    "config get-users",
    "config set-context --current --namespace=pod-example",
    "config get-contexts",
    "config view --minify -o jsonpath={..namespace}",
    "config view -o json",
    "config use-context nope",
    "config set-context dev --cluster=k3d-kubelabs --user=admin@k3d-kubelabs --namespace=dev",
    "config get-contexts",
    "config get-contexts -o name",
    "config get-contexts --no-headers",
    "config get-contexts nope",
    "config use-context dev",
    "config current-context",
    "config set-context",
    "config set-context x --current",
    "config view --minify",
    "config use-context k3d-kubelabs",
    "config rename-context dev dev2",
    "config rename-context dev2 k3d-kubelabs",
    "config get-contexts",
]


@pytest.mark.skipif(not shutil.which(KUBECTL), reason="needs the real kubectl client")
def test_config_matches_real_kubectl(tmp_path):
    cfg = tmp_path / "config"
    cfg.write_text(SCRATCH)
    env = {"KUBECONFIG": str(cfg), "HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    c = Cluster(seed=0)
    c.kubeconfig.path = str(cfg)  # messages name the kubeconfig file
    for line in SCRIPT:
        real = subprocess.run([KUBECTL, *line.split()], capture_output=True, text=True, env=env, timeout=30)
        sim = c.kubectl(line.split())
        assert (sim.stdout, sim.stderr, sim.exit_code) == (real.stdout, real.stderr, real.returncode), line


def test_delete_context_messages():
    c = Cluster(seed=0)
    r = c.kubectl("config delete-context nope")
    assert r.stderr == "error: cannot delete context nope, not in /home/jovyan/.kube/config\n"
    r = c.kubectl("config delete-context k3d-kubelabs")
    assert r.stdout == "deleted context k3d-kubelabs from /home/jovyan/.kube/config\n"
    assert r.stderr == ('warning: this removed your active context, use "kubectl config use-context" to select a '
                        'different one\n')
    assert c.kubectl("config get-contexts").stdout == "CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n"
    assert c.kubectl("config view --minify").stderr == "error: cannot locate context k3d-kubelabs\n"


def test_namespace_follows_context():
    c = Cluster(seed=0)
    c.kubectl("config set-context --current --namespace=kube-system")
    assert c.kubectl("describe sa default --show-events=false").stdout.startswith(
        "Name:                default\nNamespace:           kube-system\n")


@pytest.mark.skipif(not shutil.which(KUBECTL), reason="needs the real kubectl client")
@pytest.mark.parametrize("args", [["version", "--client", "-o", "yaml"], ["version", "--client", "-o", "json"],
                                  ["version", "--client"], ["version", "-o", "xml"]])
def test_version_client_matches_real_kubectl_layout(args, tmp_path):
    env = {"KUBECONFIG": "/dev/null", "HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    real = subprocess.run([KUBECTL, *args], capture_output=True, text=True, env=env, timeout=30)
    sim = Cluster(seed=0).kubectl(args)
    # this machine's binary is a local build (v1.32.4-dispatcher, minor "32+", its own commit and
    # build date); the simulator prints the released v1.32.4's values in the same layout
    expected = (real.stdout.replace("v1.32.4-dispatcher", "v1.32.4").replace('"32+"', '"32"').replace('minor: 32+', 'minor: "32"')
                .replace("4cb5f0764b8d5f425645c6f433394fede34a8a26", "59526cd4867447956156ae3a602fcbac10a2c335")
                .replace("2025-05-15T20:09:34Z", "2025-04-22T16:03:58Z").replace("go1.23.8", "go1.23.6"))
    assert (sim.stdout, sim.stderr, sim.exit_code) == (expected, real.stderr, real.returncode)


def test_version_with_server():
    assert Cluster(seed=0).kubectl("version").stdout == (
        "Client Version: v1.32.4\nKustomize Version: v5.5.0\nServer Version: v1.32.4+k3s1\n")


def test_cluster_info_lists_cluster_services():
    c = Cluster(seed=0)
    assert c.kubectl("cluster-info").stdout == (
        "Kubernetes control plane is running at https://0.0.0.0:6550\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
    c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {
        "name": "kube-dns", "namespace": "kube-system",
        "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"}},
        "spec": {"clusterIP": "10.43.0.10", "ports": [{"name": "dns", "port": 53, "protocol": "UDP"},
                                                       {"name": "dns-tcp", "port": 53, "protocol": "TCP"}]}})
    c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {
        "name": "metrics-server", "namespace": "kube-system",
        "labels": {"kubernetes.io/cluster-service": "true", "kubernetes.io/name": "Metrics-server"}},
        "spec": {"ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": "https"}]}})
    assert c.kubectl("cluster-info").stdout == (
        "Kubernetes control plane is running at https://0.0.0.0:6550\n"
        "CoreDNS is running at https://0.0.0.0:6550/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n"
        "Metrics-server is running at https://0.0.0.0:6550/api/v1/namespaces/kube-system/services/"
        "https:metrics-server:https/proxy\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
