"""Adoption and release of controlled objects (kubernetes/kubernetes v1.32:
pkg/controller/controller_ref_manager.go).

A controller "claims" the objects it may manage: for each candidate (usually every pod, or every
ReplicaSet, of the owner's namespace) :meth:`ControllerRefManager.claim_object` decides

* owned by another controller (its controller ownerReference has another uid): ignored;
* owned by us and matching the selector: claimed (even while we are being deleted);
* owned by us but no longer matching (``kubectl label pod x app-``): **released**, unless we are
  being deleted: a strategic-merge patch removes our ownerReference and the object lives on as
  an orphan;
* an orphan (no controller ref) that matches, is not being deleted, is in our namespace, and we
  are not being deleted: **adopted** by a strategic-merge patch adding our controller ref
  ``{apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true}``. Before the first
  adoption of a claim, the owner is re-read from the API ("recheck", upstream's
  ``RecheckDeletionTimestamp`` wrapped in a ``sync.Once``): if it was deleted, recreated with
  another uid or got a deletionTimestamp meanwhile, nothing is adopted.

Public API (used by the ReplicaSet and Deployment controllers)::

    claim_pods(api, owner, selector, pods, *, filters=(), can_adopt=None) -> list[dict]
    claim_replica_sets(api, owner, selector, replica_sets, *, can_adopt=None) -> list[dict]

``owner`` is the controller object as stored (a ReplicaSet or Deployment dict; its apiVersion and
kind give the controller kind), ``selector`` a :class:`labsim.api.labels.Selector` (build it with
``labels.selector_from_label_selector(owner["spec"]["selector"])``), the candidates are store
objects (never mutated). The result is the claimed objects, in input order, as they were passed in
(upstream returns the cached pointers, not the patched copies). ``filters`` are extra predicates
``pod -> bool`` a pod must also pass to match. ``can_adopt`` overrides the recheck (a callable that
raises to refuse adoption); by default the owner is re-read with :func:`recheck_deletion_timestamp`.

Errors: adoption/release failures other than NotFound are collected; after every candidate was
processed a :class:`ClaimError` is raised (upstream returns ``utilerrors.NewAggregate``; every
caller then returns the error, which requeues the key with back-off). ``ClaimError`` subclasses
:class:`labsim.controllers.base.Requeue`, so raising it out of ``sync`` is a rate-limited retry;
its ``claimed`` attribute holds what was claimed anyway.
"""
from __future__ import annotations

from typing import Callable, Iterable

from labsim import errors
from labsim.api.labels import Selector
from labsim.controllers.base import Requeue


class ClaimError(Requeue):
    """Some adoptions or releases failed (``utilerrors.NewAggregate`` of the failures)."""

    def __init__(self, errs: list[Exception], claimed: list[dict]):
        super().__init__(None)
        self.errors = errs
        self.claimed = claimed
        self.args = (_aggregate_message(errs),)

    def __str__(self) -> str:
        return _aggregate_message(self.errors)


def _aggregate_message(errs: list[Exception]) -> str:
    # utilerrors.aggregate.Error(): one error as is, several as "[e1, e2]"
    msgs = [str(e) for e in errs]
    return msgs[0] if len(msgs) == 1 else "[" + ", ".join(msgs) + "]"


class AdoptionRefused(Exception):
    """The recheck refused adoption (owner gone, replaced, or being deleted)."""


def _md(obj: dict) -> dict:
    return obj.get("metadata") or {}


def get_controller_of(obj: dict) -> dict | None:
    """``metav1.GetControllerOfNoCopy``: the ownerReference with ``controller: true``."""
    for ref in _md(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def controller_ref_for(owner: dict) -> dict:
    """``metav1.NewControllerRef(owner, gvk)``: the controller ownerReference of ``owner``."""
    md = owner["metadata"]
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": md["name"], "uid": md["uid"],
            "controller": True, "blockOwnerDeletion": True}


def owner_ref_controller_patch(owner: dict, dependent_uid: str, finalizers: Iterable[str] = ()) -> dict:
    """``ownerRefControllerPatch``: the strategic-merge patch that adopts an object (the uid
    doubles as a precondition: a recreated object of the same name is not adopted)."""
    md: dict = {"ownerReferences": [controller_ref_for(owner)], "uid": dependent_uid}
    finalizers = list(finalizers)
    if finalizers:
        md["finalizers"] = finalizers
    return {"metadata": md}


def delete_owner_ref_patch(dependent_uid: str, owner_uids: Iterable[str], finalizers: Iterable[str] = ()) -> dict:
    """``GenerateDeleteOwnerRefStrategicMergeBytes``: removes the ownerReferences with these
    uids (``$patch: delete`` by the merge key ``uid``); also used by the garbage collector."""
    md: dict = {"uid": dependent_uid,
                "ownerReferences": [{"$patch": "delete", "uid": uid} for uid in owner_uids]}
    finalizers = list(finalizers)
    if finalizers:
        md["$deleteFromPrimitiveList/finalizers"] = finalizers
    return {"metadata": md}


def recheck_deletion_timestamp(api, owner: dict) -> Callable[[], None]:
    """``controller.RecheckDeletionTimestamp`` around a fresh GET of the owner that also checks
    the uid (the ``canAdoptFunc`` of the ReplicaSet and Deployment controllers)."""
    md = owner["metadata"]
    kind = owner["kind"]

    def check() -> None:
        rt = api.resource_for(owner)
        try:
            fresh = api.get(rt, md.get("namespace"), md["name"])
        except errors.StatusError as e:
            raise AdoptionRefused(f"can't recheck DeletionTimestamp: {e}") from None
        fmd = fresh["metadata"]
        if fmd.get("uid") != md.get("uid"):
            raise AdoptionRefused(f"can't recheck DeletionTimestamp: original {kind} {md.get('namespace')}/"
                                  f"{md['name']} is gone: got uid {fmd.get('uid')}, wanted {md.get('uid')}")
        if fmd.get("deletionTimestamp"):
            raise AdoptionRefused(f"{fmd.get('namespace')}/{fmd['name']} has just been deleted at "
                                  f"{fmd['deletionTimestamp']}")
    return check


class ControllerRefManager:
    """``BaseControllerRefManager`` plus the typed Adopt/Release of one dependent resource."""

    def __init__(self, api, owner: dict, selector: Selector, dependent_kind: tuple[str, str],
                 can_adopt: Callable[[], None] | None = None, finalizers: Iterable[str] = ()):
        self.api = api
        self.owner = owner
        self.selector = selector
        self.dependent_rt = api.registry.for_kind(*dependent_kind)
        self._can_adopt = can_adopt if can_adopt is not None else recheck_deletion_timestamp(api, owner)
        self._can_adopt_result: Exception | None | bool = False  # False: not run yet (sync.Once)
        self.finalizers = list(finalizers)

    # -- CanAdopt (run once per claim) ------------------------------------------------------------
    def can_adopt(self) -> None:
        if self._can_adopt_result is False:
            try:
                self._can_adopt()
                self._can_adopt_result = None
            except (AdoptionRefused, errors.StatusError) as e:
                self._can_adopt_result = e
        if self._can_adopt_result is not None:
            raise self._can_adopt_result  # type: ignore[misc]

    # -- ClaimObject --------------------------------------------------------------------------------
    def claim_object(self, obj: dict, match: Callable[[dict], bool]) -> bool:
        """True if ``obj`` is ours after this call (upstream ClaimObject); raises on a failed
        adoption or release (NotFound is not a failure)."""
        owner_md = self.owner["metadata"]
        ref = get_controller_of(obj)
        if ref is not None:
            if ref.get("uid") != owner_md.get("uid"):
                return False  # owned by someone else
            if match(obj):
                return True
            if owner_md.get("deletionTimestamp"):
                return False  # no releases while being deleted
            try:
                self.release(obj)
            except errors.StatusError as e:
                if e.reason == "NotFound":
                    return False
                raise
            return False
        # an orphan
        if owner_md.get("deletionTimestamp") or not match(obj):
            return False
        md = _md(obj)
        if md.get("deletionTimestamp"):
            return False
        if owner_md.get("namespace") and owner_md.get("namespace") != md.get("namespace"):
            return False
        try:
            self.adopt(obj)
        except errors.StatusError as e:
            if e.reason == "NotFound":
                return False
            raise
        return True

    def adopt(self, obj: dict) -> None:
        md = _md(obj)
        try:
            self.can_adopt()
        except (AdoptionRefused, errors.StatusError) as e:
            raise AdoptionRefused(f"can't adopt {self.dependent_rt.kind} {md.get('namespace')}/{md.get('name')} "
                                  f"({md.get('uid')}): {e}") from None
        # ValidateOwnerReferences rejects the patch if another controller ref appeared meanwhile
        patch = owner_ref_controller_patch(self.owner, md.get("uid", ""), self.finalizers)
        self.api.patch(self.dependent_rt, md.get("namespace"), md["name"], patch, "strategic")

    def release(self, obj: dict) -> None:
        md = _md(obj)
        patch = delete_owner_ref_patch(md.get("uid", ""), [self.owner["metadata"]["uid"]], self.finalizers)
        try:
            self.api.patch(self.dependent_rt, md.get("namespace"), md["name"], patch, "strategic")
        except errors.StatusError as e:
            # gone, or recreated with another uid / no owner reference any more: nothing to release
            if e.reason in ("NotFound", "Invalid", "Conflict"):
                return
            raise

    def claim(self, objs: Iterable[dict], filters: Iterable[Callable[[dict], bool]] = ()) -> list[dict]:
        filters = tuple(filters)
        selector = self.selector

        def match(obj: dict) -> bool:
            # the selector first, so filters only run on potentially matching objects
            if not selector.matches(_md(obj).get("labels") or {}):
                return False
            return all(f(obj) for f in filters)

        claimed: list[dict] = []
        errs: list[Exception] = []
        for obj in objs:
            try:
                if self.claim_object(obj, match):
                    claimed.append(obj)
            except (AdoptionRefused, errors.StatusError) as e:
                errs.append(e)
        if errs:
            raise ClaimError(errs, claimed)
        return claimed


def claim_pods(api, owner: dict, selector: Selector, pods: Iterable[dict], *,
               filters: Iterable[Callable[[dict], bool]] = (), can_adopt: Callable[[], None] | None = None,
               finalizers: Iterable[str] = ()) -> list[dict]:
    """``PodControllerRefManager.ClaimPods``: the pods ``owner`` controls after adopting matching
    orphans and releasing owned pods that stopped matching. Raises :class:`ClaimError`."""
    return ControllerRefManager(api, owner, selector, ("", "Pod"), can_adopt, finalizers).claim(pods, filters)


def claim_replica_sets(api, owner: dict, selector: Selector, replica_sets: Iterable[dict], *,
                       can_adopt: Callable[[], None] | None = None) -> list[dict]:
    """``ReplicaSetControllerRefManager.ClaimReplicaSets`` (the Deployment controller's
    getReplicaSetsForDeployment passes every ReplicaSet of the namespace). Raises
    :class:`ClaimError`."""
    return ControllerRefManager(api, owner, selector, ("apps", "ReplicaSet"), can_adopt).claim(replica_sets)
