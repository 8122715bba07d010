"""The simulated API server: REST semantics over the object store.

Every write — a learner's ``kubectl apply``, a controller's status update, a kubelet's pod
status — comes through here and takes the same path as in a real API server
(``k8s.io/apiserver/pkg/registry/generic/registry/store.go``)::

    size limit -> strict decode (unknown fields, types) -> defaulting -> admission
    (namespace lifecycle) -> strategy (PrepareForCreate/Update: uid, timestamps, generation,
    status vs spec) -> validation -> optimistic concurrency / existence -> persist -> watch

A request that fails at any step raises :class:`labsim.errors.StatusError` and changes nothing.

Limitations: no server-side apply field managers (``managedFields`` is not kept); admission is
limited to namespace lifecycle and the course quota guard; no authentication or RBAC.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from labsim import errors
from labsim.api import admission, gojson
from labsim.api import defaults as defaulting
from labsim.api import schema, validation
from labsim.api.allocators import Allocators
from labsim.api.meta import deep_copy
from labsim.api.registry import REGISTRY, Registry, ResourceType
from labsim.api.store import ObjectStore
from labsim.clock import rfc3339

#: ``MaxRequestBodyBytes`` (k8s.io/apiserver/pkg/server/config.go): 3 MiB.
MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024

#: kube-apiserver ``--event-ttl`` default: Events expire one hour after their last write.
EVENT_TTL_SECONDS = 3600.0

#: Kinds whose registry strategy maintains ``metadata.generation`` in v1.32.
GENERATION_KINDS = frozenset({
    ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"),
    ("batch", "Job"), ("batch", "CronJob"), ("autoscaling", "HorizontalPodAutoscaler"),
    ("networking.k8s.io", "Ingress"), ("networking.k8s.io", "IngressClass"),
    ("networking.k8s.io", "NetworkPolicy"), ("policy", "PodDisruptionBudget"),
    ("", "ReplicationController"), ("scheduling.k8s.io", "PriorityClass"),
})

#: Fields of the top level that are not "spec" for the generation rule.
_NON_SPEC_FIELDS = frozenset({"apiVersion", "kind", "metadata", "status"})

#: Immutable metadata the server keeps from the stored object on update.
_SERVER_OWNED_METADATA = ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                          "generation")


#: json.dumps(obj, separators=(",", ":"), ensure_ascii=False), without building the encoder per call
_BODY_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def request_body_size(obj: Any) -> int:
    """The size in bytes of ``obj`` sent as a compact JSON body."""
    text = _BODY_ENCODER.encode(obj)
    return len(text) if text.isascii() else len(text.encode())


class APIServer:
    def __init__(self, store: ObjectStore, clock, rand, registry: Registry = REGISTRY):
        self.store = store
        self.clock = clock
        self.rand = rand
        self.registry = registry
        #: extra admission plugins: fn(operation, rt, obj, old) raising StatusError to reject
        self.admission_plugins: list[Callable[[str, ResourceType, dict, dict | None], None]] = []
        #: called when a pod is deleted gracefully so a kubelet can stop it (set by the cluster)
        self.graceful_delete_hooks: list[Callable[[ResourceType, dict], None]] = []
        #: Service ClusterIP / NodePort allocation (labsim.api.allocators)
        self.allocators = Allocators(self)
        # Events live in etcd under a lease of --event-ttl (1 h): each write renews it, and when it
        # runs out the Event disappears (a DELETED watch event). kube-apiserver: --event-ttl default.
        self._event_expiry: dict[str, Any] = {}
        self.store.watch(self._renew_event_lease, self.registry.for_kind("", "Event"))

    def _renew_event_lease(self, ev) -> None:
        md = ev.object["metadata"]
        key = f"{md.get('namespace')}/{md['name']}"
        timer = self._event_expiry.pop(key, None)
        if timer is not None:
            timer.cancel()
        if ev.type != "DELETED":
            self._event_expiry[key] = self.clock.call_later(EVENT_TTL_SECONDS, self._expire_event,
                                                            md.get("namespace"), md["name"])

    def _expire_event(self, namespace: str, name: str) -> None:
        rt = self.registry.for_kind("", "Event")
        obj = self.store.get(rt, namespace, name)
        if obj is not None:
            self._remove(rt, deep_copy(obj))

    # -- lookups -----------------------------------------------------------------------------
    def resource_for(self, obj: dict) -> ResourceType:
        rt = self.registry.for_api_version(obj.get("apiVersion", ""), obj.get("kind", ""))
        if rt is None:
            raise errors.StatusError(
                "NotFound", 404,
                f'the server could not find the requested resource (no matches for kind "{obj.get("kind", "")}" '
                f'in version "{obj.get("apiVersion", "")}")')
        return rt

    def get(self, rt: ResourceType, namespace: str | None, name: str) -> dict:
        obj = self.store.get(rt, namespace if rt.namespaced else None, name)
        if obj is None:
            raise errors.not_found(rt.plural, rt.group, name)
        return obj

    def try_get(self, rt: ResourceType, namespace: str | None, name: str) -> dict | None:
        return self.store.get(rt, namespace if rt.namespaced else None, name)

    def list(self, rt: ResourceType, namespace: str | None = None) -> list[dict]:
        return self.store.list(rt, namespace if rt.namespaced else None)

    # -- create ------------------------------------------------------------------------------
    def create(self, obj: dict, namespace: str | None = None, *, dry_run: bool = False,
               field_validation: str = "Strict", warnings: list[str] | None = None) -> dict:
        """POST: create ``obj``; returns the stored object. ``namespace`` fills an empty one."""
        rt = self.resource_for(obj)
        self._check_size(obj)
        obj = deep_copy(obj)
        warns = schema.strict_decode(rt, obj, field_validation=field_validation, operation="create")
        if warnings is not None:
            warnings.extend(warns)
        md = obj.setdefault("metadata", {})
        if md is None:
            md = obj["metadata"] = {}
        if rt.namespaced:
            ns = md.get("namespace") or namespace or "default"
            if namespace and md.get("namespace") and md["namespace"] != namespace:
                raise errors.bad_request("the namespace of the provided object does not match the namespace "
                                         "sent on the request")
            md["namespace"] = ns
        else:
            md.pop("namespace", None)
        if not md.get("name") and md.get("generateName"):
            # names.SimpleNameGenerator: the base is cut to maxGeneratedNameLength (63 - 5)
            md["name"] = md["generateName"][:58] + self.rand.name_suffix("generate-name")
        name = md.get("name", "")
        if rt.namespaced:
            self._admit_namespace(rt, md["namespace"], name)
        # rest.BeforeCreate: server-owned metadata
        md["uid"] = self.rand.uid()
        md["creationTimestamp"] = rfc3339(self.clock.now)
        for k in ("deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion", "selfLink",
                  "managedFields"):
            md.pop(k, None)
        if (rt.group, rt.kind) in GENERATION_KINDS:
            md["generation"] = 1
        else:
            md.pop("generation", None)
        defaulting.set_defaults(rt, obj)
        admission.mutate(self, "CREATE", rt, obj, None)
        causes = self.allocators.begin_create(rt, obj)  # Service REST BeginCreate: IPs, node ports
        if causes:
            raise errors.invalid(rt.kind, rt.group, name, causes)
        defaulting.prepare_for_create(rt, obj)
        causes = validation.validate(rt, obj, None)
        if causes:
            raise errors.invalid(rt.kind, rt.group, name, causes)
        admission.validate(self, "CREATE", rt, obj, None)
        for plugin in self.admission_plugins:
            plugin("CREATE", rt, obj, None)
        obj = gojson.normalize(rt, obj)  # stored as Go's encoding/json writes the typed object
        md = obj["metadata"]
        if self.store.get(rt, md.get("namespace") if rt.namespaced else None, name) is not None:
            raise errors.already_exists(rt.plural, rt.group, name)
        if dry_run:
            md["resourceVersion"] = ""
            return obj
        rv = self.store.next_resource_version()
        md["resourceVersion"] = str(rv)
        self.store.put(rt, obj, rv)
        return obj

    # -- update ------------------------------------------------------------------------------
    def update(self, obj: dict, namespace: str | None = None, *, subresource: str | None = None,
               dry_run: bool = False, field_validation: str = "Strict",
               warnings: list[str] | None = None) -> dict:
        """PUT: replace an object (``subresource="status"`` for status writes)."""
        rt = self.resource_for(obj)
        self._check_size(obj)
        if subresource == "status" and not dry_run and (rt.group, rt.kind) in _STATUS_FAST_KINDS:
            try:
                fast = self._prepare_status_update(rt, obj, namespace, field_validation)
            except errors.StatusError as e:
                if self.store.verify_fast_paths:
                    self._verify_status_error(rt, obj, namespace, field_validation, e)
                raise
            if fast is not None:
                new, old, warns = fast
                if self.store.verify_fast_paths:
                    self._verify_status_update(rt, obj, namespace, field_validation, new, warns)
                if warnings is not None:
                    warnings.extend(warns)
                return self._commit_update(rt, new, old, dry_run=dry_run)
        new, old, warns = self._prepare_full_update(rt, obj, namespace, subresource, field_validation)
        if warnings is not None:
            warnings.extend(warns)
        return self._commit_update(rt, new, old, dry_run=dry_run)

    def _prepare_full_update(self, rt: ResourceType, obj: dict, namespace: str | None, subresource: str | None,
                             field_validation: str) -> tuple[dict, dict, list[str]]:
        """Decode the request and run the update pipeline up to the object to store."""
        obj = deep_copy(obj)
        warns = schema.strict_decode(rt, obj, field_validation=field_validation, operation="update")
        md = obj.setdefault("metadata", {})
        if rt.namespaced:
            md["namespace"] = md.get("namespace") or namespace or "default"
        name = md.get("name", "")
        old = self.store.get(rt, md.get("namespace") if rt.namespaced else None, name)
        if old is None:
            raise errors.not_found(rt.plural, rt.group, name)
        return self._prepare_update(rt, obj, old, subresource=subresource), old, warns

    def _prepare_status_update(self, rt: ResourceType, req: dict, namespace: str | None,
                               field_validation: str) -> tuple[dict, dict, list[str]] | None:
        """PUT .../status when the request carries the stored object's spec and metadata (a
        controller or kubelet writing ``{**stored, "status": new}``): the same result as the full
        pipeline, computed on the status only. None when the request does not qualify.

        The status strategy keeps everything but the status from the stored object (for
        Deployments also the annotations), so only the request's decode errors of the other parts
        matter, and parts that are the stored object's own (identical objects, or equal scalars)
        decode cleanly: they were decoded, defaulted and normalized when stored. Defaulting and
        validation read only spec and metadata, which are the stored ones (upstream validates
        metadata and status on a status update: ValidatePodStatusUpdate and friends).
        With the mutation detector on (tests), every such write is checked against the full
        pipeline (:meth:`_verify_status_update`)."""
        md = req.get("metadata")
        if not isinstance(md, dict):
            return None
        name = md.get("name")
        ns = (md.get("namespace") or namespace or "default") if rt.namespaced else None
        if not isinstance(name, str) or not (ns is None or isinstance(ns, str)):
            return None
        old = self.store.get(rt, ns, name)
        if old is None:
            return None
        old_md = old["metadata"]
        for k, v in req.items():
            if k != "metadata" and k != "status" and not _stored_part(v, old.get(k, _MISSING), 2):
                return None
        probe_md = {k: deep_copy(v) for k, v in md.items() if not _same(v, old_md.get(k, _MISSING))}
        probe: dict = {"metadata": probe_md}
        if "status" in req:
            probe["status"] = deep_copy(req["status"])
        warns = schema.strict_decode(rt, probe, field_validation=field_validation, operation="update")
        decoded_md = probe.get("metadata") or {}

        def request_md(key: str):
            return decoded_md.get(key) if key in probe_md else md.get(key)
        rv = request_md("resourceVersion")
        if rv and rv != old_md.get("resourceVersion"):
            raise errors.conflict(rt.plural, rt.group, name)
        uid = request_md("uid")
        if uid and uid != old_md.get("uid"):
            raise errors.conflict(rt.plural, rt.group, name,
                                  f"Precondition failed: UID in precondition: {uid}, "
                                  f"UID in object meta: {old_md.get('uid')}")
        obj = dict(old)
        new_status = probe.get("status")
        if new_status is not None:
            obj["status"] = new_status
        else:
            obj.pop("status", None)
        new_md = obj["metadata"] = dict(old_md)
        fields: tuple[str, ...] = ("status",)
        if (rt.group, rt.kind) == ("apps", "Deployment"):
            # deploymentStatusStrategy keeps the request's annotations (see _prepare_update)
            annotations = request_md("annotations")
            old_annotations = old_md.get("annotations")
            if annotations is not old_annotations and not (
                    isinstance(annotations, dict) and isinstance(old_annotations, dict)
                    and list(annotations.items()) == list(old_annotations.items())):
                if annotations is not None:
                    new_md["annotations"] = annotations
                else:
                    new_md.pop("annotations", None)
                obj["metadata"] = deep_copy(new_md)
                fields = ("metadata", "status")
        defaulting.prepare_for_update(rt, obj, old)
        if fields != ("status",):
            causes = validation.validate(rt, obj, old)
            if causes:
                raise errors.invalid(rt.kind, rt.group, name, causes)
        for plugin in self.admission_plugins:
            plugin("UPDATE", rt, obj, old)
        gojson.normalize_fields(rt, obj, fields)
        return obj, old, warns

    def _verify_status_update(self, rt: ResourceType, req: dict, namespace: str | None, field_validation: str,
                              new: dict, warns: list[str]) -> None:
        """Test mode: the status fast path must give what the full pipeline gives, byte for byte."""
        try:
            full, _, full_warns = self._prepare_full_update(rt, req, namespace, "status", field_validation)
        except errors.StatusError as e:
            raise AssertionError(f"status fast path accepted what the full pipeline rejects: {e}") from e
        a = json.dumps(new, sort_keys=False)
        b = json.dumps(full, sort_keys=False)
        if a != b or warns != full_warns:
            raise AssertionError(f"status fast path differs from the full pipeline:\n{a}\n{b}\n{warns} {full_warns}")

    def _verify_status_error(self, rt: ResourceType, req: dict, namespace: str | None, field_validation: str,
                             err: errors.StatusError) -> None:
        try:
            self._prepare_full_update(rt, req, namespace, "status", field_validation)
        except errors.StatusError as e:
            if (e.code, e.reason, str(e)) == (err.code, err.reason, str(err)):
                return
            raise AssertionError(f"status fast path error {err} differs from the full pipeline's {e}") from e
        raise AssertionError(f"status fast path rejected what the full pipeline accepts: {err}") from err

    def _update(self, rt: ResourceType, obj: dict, old: dict, *, subresource: str | None = None,
                dry_run: bool = False) -> dict:
        return self._commit_update(rt, self._prepare_update(rt, obj, old, subresource=subresource), old,
                                   dry_run=dry_run)

    def _prepare_update(self, rt: ResourceType, obj: dict, old: dict, *, subresource: str | None = None) -> dict:
        md = obj["metadata"]
        old_md = old["metadata"]
        name = old_md["name"]
        rv = md.get("resourceVersion")
        if rv and rv != old_md.get("resourceVersion"):
            raise errors.conflict(rt.plural, rt.group, name)
        if md.get("uid") and md["uid"] != old_md.get("uid"):
            raise errors.conflict(rt.plural, rt.group, name,
                                  f"Precondition failed: UID in precondition: {md['uid']}, "
                                  f"UID in object meta: {old_md.get('uid')}")
        for k in _SERVER_OWNED_METADATA:
            if k in old_md:
                md[k] = old_md[k]
            else:
                md.pop(k, None)
        md.pop("managedFields", None)
        md.pop("selfLink", None)
        # Status subresource semantics (strategy PrepareForUpdate): the main resource cannot
        # change status and the status subresource cannot change anything else.
        if "status" in rt.subresources:
            if subresource == "status":
                new_status = obj.get("status")
                new_annotations = md.get("annotations")
                obj = {**deep_copy(old), "status": new_status} if new_status is not None else deep_copy(old)
                if new_status is None:
                    obj.pop("status", None)
                md = obj["metadata"]
                if (rt.group, rt.kind) == ("apps", "Deployment"):
                    # deploymentStatusStrategy.PrepareForUpdate resets only spec and labels
                    # (pkg/registry/apps/deployment/strategy.go): the controller writes the
                    # deployment.kubernetes.io/revision annotation together with the status.
                    if new_annotations is not None:
                        md["annotations"] = new_annotations
                    else:
                        md.pop("annotations", None)
            else:
                if "status" in old:
                    obj["status"] = old["status"]
                else:
                    obj.pop("status", None)
        defaulting.set_defaults(rt, obj)
        admission.mutate(self, "UPDATE", rt, obj, old)
        if subresource != "status":
            causes = self.allocators.begin_update(rt, obj, old)
            if causes:
                raise errors.invalid(rt.kind, rt.group, name, causes)
        defaulting.prepare_for_update(rt, obj, old)
        if (rt.group, rt.kind) in GENERATION_KINDS and subresource != "status":
            if _spec_of(obj) != _spec_of(old):
                md["generation"] = int(old_md.get("generation", 0)) + 1
        causes = validation.validate(rt, obj, old)
        if causes:
            raise errors.invalid(rt.kind, rt.group, name, causes)
        admission.validate(self, "UPDATE", rt, obj, old)
        for plugin in self.admission_plugins:
            plugin("UPDATE", rt, obj, old)
        md["resourceVersion"] = old_md.get("resourceVersion")
        return gojson.normalize(rt, obj)

    def _commit_update(self, rt: ResourceType, obj: dict, old: dict, *, dry_run: bool = False) -> dict:
        md = obj["metadata"]
        old_md = old["metadata"]
        if obj == old:
            return old  # a no-op write: etcd is not touched, no resourceVersion bump, no watch event
        if dry_run:
            return obj
        # An object being deleted whose last finalizer was just removed goes away now
        # (registry/generic/registry/store.go shouldDeleteDuringUpdate: only when the stored
        # object still had finalizers; a status write to a gracefully deleted pod keeps it).
        if md.get("deletionTimestamp") and not md.get("finalizers") and old_md.get("finalizers"):
            return self._remove(rt, obj)
        new_rv = self.store.next_resource_version()
        md["resourceVersion"] = str(new_rv)
        self.store.put(rt, obj, new_rv)
        return obj

    def update_status(self, obj: dict, **kw) -> dict:
        return self.update(obj, subresource="status", **kw)

    # -- patch -------------------------------------------------------------------------------
    def patch(self, rt: ResourceType, namespace: str | None, name: str, patch: Any, patch_type: str = "strategic",
              *, subresource: str | None = None, dry_run: bool = False,
              field_validation: str = "Strict", warnings: list[str] | None = None) -> dict:
        """PATCH with ``patch_type`` ``strategic`` | ``merge`` | ``json``; returns the new object."""
        from labsim.api import patch as patching

        old = self.get(rt, namespace, name)
        patched = patching.apply_patch(rt, old, patch, patch_type)
        self._check_size(patched)
        warns = schema.strict_decode(rt, patched, field_validation=field_validation, operation="patch",
                                     patch=patch)
        if warnings is not None:
            warnings.extend(warns)
        md = patched.setdefault("metadata", {})
        # a patch cannot rename or move the object
        md["name"] = old["metadata"]["name"]
        if rt.namespaced:
            md["namespace"] = old["metadata"]["namespace"]
        if not md.get("resourceVersion"):
            md["resourceVersion"] = old["metadata"].get("resourceVersion")
        return self._update(rt, patched, old, subresource=subresource, dry_run=dry_run)

    # -- delete ------------------------------------------------------------------------------
    def delete(self, rt: ResourceType, namespace: str | None, name: str, *, grace_period: int | None = None,
               propagation: str | None = None, dry_run: bool = False, preconditions: dict | None = None) -> dict:
        """DELETE. Returns the object as the response carries it (the final state, or the object
        marked with ``deletionTimestamp`` when deletion is graceful or waits for finalizers)."""
        old = self.get(rt, namespace, name)
        md_old = old["metadata"]
        if preconditions:
            if preconditions.get("uid") and preconditions["uid"] != md_old.get("uid"):
                raise errors.conflict(rt.plural, rt.group, name,
                                      f"Precondition failed: UID in precondition: {preconditions['uid']}, "
                                      f"UID in object meta: {md_old.get('uid')}")
            if preconditions.get("resourceVersion") and preconditions["resourceVersion"] != md_old.get(
                    "resourceVersion"):
                raise errors.conflict(rt.plural, rt.group, name)
        # only the metadata (and a Namespace's status) change: the other parts stay the stored
        # version's own (stored objects are never changed in place), as for status writes
        obj = dict(old)
        md = obj["metadata"] = deep_copy(md_old)
        finalizers = list(md.get("finalizers") or [])
        # rest.BeforeDelete / DeletionFinalizersForGarbageCollection
        if propagation is None:
            propagation = defaulting.default_propagation(rt)
        if propagation == "Orphan" and "orphan" not in finalizers:
            finalizers.append("orphan")
        elif propagation == "Foreground" and "foregroundDeletion" not in finalizers:
            finalizers.append("foregroundDeletion")
        grace = defaulting.deletion_grace_period(rt, obj, grace_period)
        if md.get("deletionTimestamp"):
            # Already being deleted: a shorter grace period may still be applied
            # (pkg/registry/rest/delete.go BeforeDelete).
            if grace is not None and md.get("deletionGracePeriodSeconds") is not None \
                    and grace < md["deletionGracePeriodSeconds"] and not dry_run:
                md["deletionGracePeriodSeconds"] = grace
                md["deletionTimestamp"] = rfc3339(self.clock.now + grace)
                if grace == 0 and not finalizers:
                    return self._remove(rt, obj)
                rv = self.store.next_resource_version()
                md["resourceVersion"] = str(rv)
                self.store.put(rt, obj, rv)
                self._after_graceful(rt, obj)
                return obj
            return old
        if (grace and grace > 0) or finalizers or rt.kind == "Namespace":
            if dry_run:
                return obj
            md["deletionTimestamp"] = rfc3339(self.clock.now + (grace or 0))
            md["deletionGracePeriodSeconds"] = grace or 0
            if finalizers:
                md["finalizers"] = finalizers
            if rt.kind == "Namespace":
                obj["status"] = {**(obj.get("status") or {}), "phase": "Terminating"}
            if md.get("generation") is not None and (rt.group, rt.kind) in GENERATION_KINDS:
                md["generation"] = int(md["generation"]) + 1
            rv = self.store.next_resource_version()
            md["resourceVersion"] = str(rv)
            self.store.put(rt, obj, rv)
            self._after_graceful(rt, obj)
            return obj
        if dry_run:
            return obj
        return self._remove(rt, obj)

    def _after_graceful(self, rt: ResourceType, obj: dict) -> None:
        for hook in self.graceful_delete_hooks:
            hook(rt, obj)

    def _remove(self, rt: ResourceType, obj: dict) -> dict:
        rv = self.store.next_resource_version()
        obj["metadata"]["resourceVersion"] = str(rv)
        self.store.remove(rt, obj, rv)
        return obj

    # -- pods/binding ------------------------------------------------------------------------
    def bind(self, namespace: str, pod_name: str, node_name: str) -> dict:
        """POST pods/NAME/binding (the scheduler's DefaultBinder): sets ``spec.nodeName`` and the
        condition ``PodScheduled=True``. kubernetes/kubernetes: pkg/registry/core/pod/storage/
        storage.go (BindingREST.assignPod, setPodNodeAndMetadata)."""
        rt = self.registry.for_kind("", "Pod")
        if not node_name:  # ValidatePodBinding
            raise errors.invalid("Binding", "", pod_name,
                                 [errors.FieldError("target.name", "FieldValueRequired", "Required value")])
        old = self.get(rt, namespace, pod_name)
        if old["metadata"].get("deletionTimestamp"):
            raise errors.conflict("pods", "", pod_name,
                                  f"pod {pod_name} is being deleted, cannot be assigned to a host")
        spec = old.get("spec") or {}
        if spec.get("nodeName"):
            raise errors.conflict("pods", "", pod_name,
                                  f'pod {pod_name} is already assigned to node "{spec["nodeName"]}"')
        if spec.get("schedulingGates"):
            raise errors.conflict("pods", "", pod_name, f"pod {pod_name} has non-empty .spec.schedulingGates")
        # the new version shares the unchanged parts with the stored one (never changed in place)
        obj = dict(old)
        obj["metadata"] = dict(old["metadata"])
        obj["spec"] = {**spec, "nodeName": node_name}
        status = obj["status"] = dict(old.get("status") or {})
        conditions = list(status.get("conditions") or [])
        cond = {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                "lastTransitionTime": rfc3339(self.clock.now)}
        for i, c in enumerate(conditions):
            if c.get("type") == "PodScheduled":
                if c.get("status") == "True":
                    cond["lastTransitionTime"] = c.get("lastTransitionTime")
                conditions[i] = cond
                break
        else:
            conditions.append(cond)
        status["conditions"] = conditions
        rv = self.store.next_resource_version()
        obj["metadata"]["resourceVersion"] = str(rv)
        self.store.put(rt, obj, rv)
        return obj

    # -- admission ---------------------------------------------------------------------------
    def _check_size(self, obj: Any) -> None:
        if request_body_size(obj) > MAX_REQUEST_BODY_BYTES:
            raise errors.request_entity_too_large()

    def _admit_namespace(self, rt: ResourceType, namespace: str, name: str) -> None:
        """NamespaceLifecycle admission (plugin/pkg/admission/namespace/lifecycle)."""
        ns_rt = self.registry.for_kind("", "Namespace")
        ns = self.store.get(ns_rt, None, namespace)
        if ns is None:
            raise errors.not_found("namespaces", "", namespace)
        if ns["metadata"].get("deletionTimestamp") and rt.kind != "Event":
            raise errors.forbidden(
                rt.plural, rt.group, name,
                f"unable to create new content in namespace {namespace} because it is being terminated")


#: kinds whose status writes take :meth:`APIServer._prepare_status_update`: their defaulting and
#: validation read no status, and their status strategy keeps spec and metadata (Deployment: but
#: the annotations)
_STATUS_FAST_KINDS = frozenset({("", "Pod"), ("apps", "ReplicaSet"), ("apps", "Deployment")})

_MISSING = object()


def _same(value: Any, stored: Any) -> bool:
    """``value`` is the stored value itself: the same object, or an equal string/int/bool."""
    if value is stored:
        return True
    t = type(value)
    return t is type(stored) and (t is str or t is int or t is bool) and value == stored


def _stored_part(value: Any, stored: Any, depth: int) -> bool:
    """``value`` is made of the stored value's own parts: :func:`_same`, or (``depth`` levels down)
    a dict whose every entry is the stored dict's entry of that key (a shallow copy)."""
    if _same(value, stored):
        return True
    if depth > 0 and type(value) is dict and type(stored) is dict:
        missing = _MISSING
        return all(_stored_part(v, stored.get(k, missing), depth - 1) for k, v in value.items())
    return False


def _spec_of(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k not in _NON_SPEC_FIELDS}


def finalize_namespace(api: APIServer, name: str) -> dict | None:
    """PUT namespaces/NAME/finalize with ``spec.finalizers`` emptied: the namespace controller's last
    step. The namespace disappears once no ``metadata.finalizers`` remain either."""
    rt = api.registry.for_kind("", "Namespace")
    old = api.store.get(rt, None, name)
    if old is None:
        return None
    obj = deep_copy(old)
    obj.setdefault("spec", {})["finalizers"] = []
    if obj["metadata"].get("deletionTimestamp") and not obj["metadata"].get("finalizers"):
        return api._remove(rt, obj)
    rv = api.store.next_resource_version()
    obj["metadata"]["resourceVersion"] = str(rv)
    api.store.put(rt, obj, rv)
    return obj
