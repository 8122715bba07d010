"""The resource registry: every kind the simulated API server serves, as discovery shows it.

One :class:`ResourceType` per REST resource, with the data ``kubectl api-resources`` prints and the
rules kubectl uses to resolve a type name (plural, singular, short names, kind, ``plural.group``,
``plural.version.group``). The table follows a k3s v1.32 server's discovery for the built-in
groups the course touches. Versions removed from Kubernetes (``extensions/v1beta1``,
``apps/v1beta1``, ``apps/v1beta2``, ``networking.k8s.io/v1beta1``, ``autoscaling/v2beta2``,
``batch/v1beta1``, ...) are simply absent, so a manifest using them gets the real mapping error
(``no matches for kind "Deployment" in version "extensions/v1beta1"``).
"""
from __future__ import annotations

from dataclasses import dataclass

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
READ_VERBS = ("get", "list", "watch")


@dataclass(frozen=True)
class ResourceType:
    kind: str
    plural: str
    group: str
    version: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ALL_VERBS
    singular: str = ""
    #: other served versions (the first is the preferred/storage one: ``version``)
    also_served: tuple[str, ...] = ()
    #: JSON-schema definition name prefix in the v1.32 OpenAPI (``io.k8s.api.apps.v1``)
    schema_package: str = ""
    #: subresources advertised in discovery (``status``, ``scale``, ``log``)
    subresources: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """``pods``, ``deployments.apps``: the name used in API error messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def kind_group(self) -> str:
        """``pod``, ``deployment.apps``: the prefix of kubectl's ``-o name`` and success lines."""
        k = self.kind.lower()
        return f"{k}.{self.group}" if self.group else k

    @property
    def gvr(self) -> str:
        """``apps/v1, Resource=deployments`` (``/v1, Resource=pods`` for core)."""
        return f"{self.group}/{self.version}, Resource={self.plural}"

    @property
    def gvk(self) -> str:
        """``apps/v1, Kind=Deployment`` (``/v1, Kind=Pod`` for core)."""
        return f"{self.group}/{self.version}, Kind={self.kind}"

    def serves(self, api_version: str) -> bool:
        group, _, version = api_version.rpartition("/")
        return group == self.group and (version == self.version or version in self.also_served)


def _rt(kind, plural, group, version, namespaced, short=(), cats=(), verbs=ALL_VERBS, also=(),
        package="", subresources=()):
    return ResourceType(kind=kind, plural=plural, group=group, version=version, namespaced=namespaced,
                        short_names=tuple(short), categories=tuple(cats), verbs=tuple(verbs),
                        singular=kind.lower(), also_served=tuple(also), schema_package=package,
                        subresources=tuple(subresources))


_NS_VERBS = ("create", "delete", "get", "list", "patch", "update", "watch")
_EVENT_VERBS = ALL_VERBS
_NODE_VERBS = ALL_VERBS

#: Discovery order: core group first, then the named groups in the order a 1.32 server lists them.
RESOURCES: tuple[ResourceType, ...] = (
    # core/v1
    _rt("Binding", "bindings", "", "v1", True, verbs=("create",), package="io.k8s.api.core.v1"),
    _rt("ComponentStatus", "componentstatuses", "", "v1", False, short=("cs",), verbs=("get", "list"),
        package="io.k8s.api.core.v1"),
    _rt("ConfigMap", "configmaps", "", "v1", True, short=("cm",), package="io.k8s.api.core.v1"),
    _rt("Endpoints", "endpoints", "", "v1", True, short=("ep",), package="io.k8s.api.core.v1"),
    _rt("Event", "events", "", "v1", True, short=("ev",), package="io.k8s.api.core.v1"),
    _rt("LimitRange", "limitranges", "", "v1", True, short=("limits",), package="io.k8s.api.core.v1"),
    _rt("Namespace", "namespaces", "", "v1", False, short=("ns",), verbs=_NS_VERBS,
        package="io.k8s.api.core.v1", subresources=("finalize", "status")),
    _rt("Node", "nodes", "", "v1", False, short=("no",), verbs=_NODE_VERBS, package="io.k8s.api.core.v1",
        subresources=("proxy", "status")),
    _rt("PersistentVolumeClaim", "persistentvolumeclaims", "", "v1", True, short=("pvc",),
        package="io.k8s.api.core.v1", subresources=("status",)),
    _rt("PersistentVolume", "persistentvolumes", "", "v1", False, short=("pv",), package="io.k8s.api.core.v1",
        subresources=("status",)),
    _rt("Pod", "pods", "", "v1", True, short=("po",), cats=("all",), package="io.k8s.api.core.v1",
        subresources=("attach", "binding", "ephemeralcontainers", "eviction", "exec", "log",
                      "portforward", "proxy", "resize", "status")),
    _rt("PodTemplate", "podtemplates", "", "v1", True, package="io.k8s.api.core.v1"),
    _rt("ReplicationController", "replicationcontrollers", "", "v1", True, short=("rc",), cats=("all",),
        package="io.k8s.api.core.v1", subresources=("scale", "status")),
    _rt("ResourceQuota", "resourcequotas", "", "v1", True, short=("quota",), package="io.k8s.api.core.v1",
        subresources=("status",)),
    _rt("Secret", "secrets", "", "v1", True, package="io.k8s.api.core.v1"),
    _rt("ServiceAccount", "serviceaccounts", "", "v1", True, short=("sa",), package="io.k8s.api.core.v1",
        subresources=("token",)),
    _rt("Service", "services", "", "v1", True, short=("svc",), cats=("all",),
        verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
        package="io.k8s.api.core.v1", subresources=("proxy", "status")),
    # apps/v1
    _rt("ControllerRevision", "controllerrevisions", "apps", "v1", True, package="io.k8s.api.apps.v1"),
    _rt("DaemonSet", "daemonsets", "apps", "v1", True, short=("ds",), cats=("all",),
        package="io.k8s.api.apps.v1", subresources=("status",)),
    _rt("Deployment", "deployments", "apps", "v1", True, short=("deploy",), cats=("all",),
        package="io.k8s.api.apps.v1", subresources=("scale", "status")),
    _rt("ReplicaSet", "replicasets", "apps", "v1", True, short=("rs",), cats=("all",),
        package="io.k8s.api.apps.v1", subresources=("scale", "status")),
    _rt("StatefulSet", "statefulsets", "apps", "v1", True, short=("sts",), cats=("all",),
        package="io.k8s.api.apps.v1", subresources=("scale", "status")),
    # autoscaling
    _rt("HorizontalPodAutoscaler", "horizontalpodautoscalers", "autoscaling", "v2", True, short=("hpa",),
        cats=("all",), also=("v1",), package="io.k8s.api.autoscaling.v2", subresources=("status",)),
    # batch
    _rt("CronJob", "cronjobs", "batch", "v1", True, short=("cj",), cats=("all",), package="io.k8s.api.batch.v1",
        subresources=("status",)),
    _rt("Job", "jobs", "batch", "v1", True, cats=("all",), package="io.k8s.api.batch.v1",
        subresources=("status",)),
    # coordination
    _rt("Lease", "leases", "coordination.k8s.io", "v1", True, package="io.k8s.api.coordination.v1"),
    # discovery
    _rt("EndpointSlice", "endpointslices", "discovery.k8s.io", "v1", True, package="io.k8s.api.discovery.v1"),
    # events.k8s.io
    _rt("Event", "events", "events.k8s.io", "v1", True, short=("ev",), package="io.k8s.api.events.v1"),
    # networking
    _rt("IngressClass", "ingressclasses", "networking.k8s.io", "v1", False, package="io.k8s.api.networking.v1"),
    _rt("Ingress", "ingresses", "networking.k8s.io", "v1", True, short=("ing",),
        package="io.k8s.api.networking.v1", subresources=("status",)),
    _rt("NetworkPolicy", "networkpolicies", "networking.k8s.io", "v1", True, short=("netpol",),
        package="io.k8s.api.networking.v1"),
    # policy
    _rt("PodDisruptionBudget", "poddisruptionbudgets", "policy", "v1", True, short=("pdb",),
        package="io.k8s.api.policy.v1", subresources=("status",)),
    # rbac
    _rt("ClusterRoleBinding", "clusterrolebindings", "rbac.authorization.k8s.io", "v1", False,
        package="io.k8s.api.rbac.v1"),
    _rt("ClusterRole", "clusterroles", "rbac.authorization.k8s.io", "v1", False, package="io.k8s.api.rbac.v1"),
    _rt("RoleBinding", "rolebindings", "rbac.authorization.k8s.io", "v1", True, package="io.k8s.api.rbac.v1"),
    _rt("Role", "roles", "rbac.authorization.k8s.io", "v1", True, package="io.k8s.api.rbac.v1"),
    # scheduling
    _rt("PriorityClass", "priorityclasses", "scheduling.k8s.io", "v1", False, short=("pc",),
        package="io.k8s.api.scheduling.v1"),
    # storage
    _rt("CSIDriver", "csidrivers", "storage.k8s.io", "v1", False, package="io.k8s.api.storage.v1"),
    _rt("CSINode", "csinodes", "storage.k8s.io", "v1", False, package="io.k8s.api.storage.v1"),
    _rt("StorageClass", "storageclasses", "storage.k8s.io", "v1", False, short=("sc",),
        package="io.k8s.api.storage.v1"),
    _rt("VolumeAttachment", "volumeattachments", "storage.k8s.io", "v1", False, package="io.k8s.api.storage.v1",
        subresources=("status",)),
)

#: Groups in discovery order, with their versions (preferred first), for ``api-versions``.
def api_versions() -> list[str]:
    out = set()
    for rt in RESOURCES:
        for v in (rt.version,) + rt.also_served:
            out.add(f"{rt.group}/{v}" if rt.group else v)
    return sorted(out)


class Registry:
    """Lookups over :data:`RESOURCES`."""

    def __init__(self, resources: tuple[ResourceType, ...] = RESOURCES):
        self.resources = resources
        self._by_gk: dict[tuple[str, str], ResourceType] = {}
        for rt in resources:
            # events.k8s.io Event and core Event are two views of one resource; the core one
            # stores them (kubectl get events lists core/v1 Events).
            self._by_gk.setdefault((rt.group, rt.kind), rt)

    def for_kind(self, group: str, kind: str) -> ResourceType | None:
        return self._by_gk.get((group, kind))

    def for_api_version(self, api_version: str, kind: str) -> ResourceType | None:
        """The resource serving ``kind`` in ``api_version`` (``apps/v1``), or None (a mapping error)."""
        group, _, version = api_version.rpartition("/")
        for rt in self.resources:
            if rt.kind == kind and rt.group == group and (rt.version == version or version in rt.also_served):
                return rt
        return None

    def resolve(self, name: str) -> ResourceType | None:
        """Resolve a type as typed on kubectl's command line.

        Accepts plural, singular, short name and kind in any case, and the qualified forms
        ``deployments.apps`` and ``deployments.v1.apps``. A qualified short name is not expanded
        (``deploy.extensions`` is not found), as kubectl's RESTMapper behaves.
        """
        lname = name.lower()
        matches = []
        for rt in self.resources:
            if lname in (rt.plural, rt.singular, rt.kind.lower()) or lname in rt.short_names:
                matches.append(rt)
        if matches:
            # The core group wins ties (``events`` -> core/v1 events), as kubectl's priority mapper does.
            matches.sort(key=lambda r: (r.group != "", self.resources.index(r)))
            return matches[0]
        if "." in lname:
            head, _, rest = lname.partition(".")
            for rt in self.resources:
                full_names = (rt.plural, rt.singular, rt.kind.lower())
                if head in full_names and rest == rt.group:
                    return rt
                if head in full_names and rt.group and rest.split(".", 1)[-1] == rt.group \
                        and rest.split(".", 1)[0] in (rt.version,) + rt.also_served:
                    return rt
        return None

    def in_category(self, category: str) -> list[ResourceType]:
        return [rt for rt in self.resources if category in rt.categories]


REGISTRY = Registry()
