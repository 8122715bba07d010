"""Per-namespace defaults: the ``default`` ServiceAccount and the ``kube-root-ca.crt`` ConfigMap.

kubernetes/kubernetes: pkg/controller/serviceaccount/serviceaccounts_controller.go (ensures the
``default`` ServiceAccount in every active namespace) and
pkg/controller/certificates/rootcacertpublisher/publisher.go (publishes the cluster CA bundle as
ConfigMap ``kube-root-ca.crt`` in every namespace, annotated with its description). Both recreate
their object if a learner deletes it.
"""
from __future__ import annotations

from labsim import errors
from labsim.controllers.base import Controller

ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
ROOT_CA_DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using "
                       "internal endpoints such as the internal service IP or kubernetes.default.svc. "
                       "No other usage is guaranteed across distributions of Kubernetes clusters.")


class ServiceAccountsController(Controller):
    name = "serviceaccount-controller"

    def start(self) -> None:
        self.watch("Namespace", lambda ev: self.queue.add(ev.object["metadata"]["name"]))
        self.watch("ServiceAccount", self._on_owned)

    def _on_owned(self, ev) -> None:
        if ev.type == "DELETED" and ev.object["metadata"]["name"] == "default":
            self.queue.add(ev.object["metadata"]["namespace"])

    def sync(self, namespace: str):
        ns = self.api.try_get(self.api.registry.for_kind("", "Namespace"), None, namespace)
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return None
        sa_rt = self.api.registry.for_kind("", "ServiceAccount")
        if self.api.try_get(sa_rt, namespace, "default") is None:
            try:
                self.api.create({"apiVersion": "v1", "kind": "ServiceAccount",
                                 "metadata": {"name": "default", "namespace": namespace}})
            except errors.StatusError as e:
                if e.reason != "AlreadyExists":
                    raise
        return None


class RootCACertPublisher(Controller):
    name = "root-ca-cert-publisher"

    def __init__(self, cluster, ca_bundle: str):
        super().__init__(cluster)
        self.ca_bundle = ca_bundle

    def start(self) -> None:
        self.watch("Namespace", lambda ev: self.queue.add(ev.object["metadata"]["name"]))
        self.watch("ConfigMap", self._on_configmap)

    def _on_configmap(self, ev) -> None:
        if ev.object["metadata"]["name"] == ROOT_CA_CONFIGMAP:
            self.queue.add(ev.object["metadata"]["namespace"])

    def sync(self, namespace: str):
        ns = self.api.try_get(self.api.registry.for_kind("", "Namespace"), None, namespace)
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return None
        cm_rt = self.api.registry.for_kind("", "ConfigMap")
        cm = self.api.try_get(cm_rt, namespace, ROOT_CA_CONFIGMAP)
        want_data = {"ca.crt": self.ca_bundle}
        want_ann = {"kubernetes.io/description": ROOT_CA_DESCRIPTION}
        if cm is None:
            try:
                self.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": {"name": ROOT_CA_CONFIGMAP, "namespace": namespace,
                                              "annotations": want_ann},
                                 "data": want_data})
            except errors.StatusError as e:
                if e.reason != "AlreadyExists":
                    raise
            return None
        if cm.get("data") != want_data or (cm["metadata"].get("annotations") or {}).get(
                "kubernetes.io/description") != ROOT_CA_DESCRIPTION:
            new = dict(cm)
            new["data"] = want_data
            new["metadata"] = dict(cm["metadata"])
            new["metadata"]["annotations"] = {**(cm["metadata"].get("annotations") or {}), **want_ann}
            self.api.update(new)
        return None
