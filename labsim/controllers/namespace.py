"""The namespace controller: deleting a namespace deletes everything in it.

kubernetes/kubernetes: pkg/controller/namespace/deletion/namespaced_resources_deleter.go. When a
Namespace gets a ``deletionTimestamp`` (phase ``Terminating``), the controller deletes every
namespaced object in it, waits until they are gone (pods take their grace period), then removes the
``kubernetes`` finalizer from ``spec.finalizers`` and the Namespace itself disappears.
"""
from __future__ import annotations

from labsim import errors
from labsim.api.server import finalize_namespace
from labsim.api.store import DELETED
from labsim.clock import parse_rfc3339
from labsim.controllers.base import Controller, Requeue


class NamespaceController(Controller):
    name = "namespace-controller"

    def start(self) -> None:
        self.watch("Namespace", self.on_namespace_event)

    def on_namespace_event(self, ev) -> None:
        if ev.type != DELETED and ev.object["metadata"].get("deletionTimestamp"):
            self.queue.add(ev.object["metadata"]["name"])

    def sync(self, name: str):
        ns_rt = self.api.registry.for_kind("", "Namespace")
        ns = self.api.try_get(ns_rt, None, name)
        if ns is None or not ns["metadata"].get("deletionTimestamp"):
            return None
        estimate = 0.0
        remaining = 0
        for rt in self.api.registry.resources:
            if not rt.namespaced or "delete" not in rt.verbs or rt.group == "events.k8s.io":
                continue
            for obj in self.api.list(rt, name):
                md = obj["metadata"]
                if not md.get("deletionTimestamp"):
                    try:
                        obj = self.api.delete(rt, name, md["name"])
                    except errors.StatusError:
                        continue
                if self.api.try_get(rt, name, md["name"]) is not None:
                    remaining += 1
                    ts = obj["metadata"].get("deletionTimestamp")
                    if ts:
                        estimate = max(estimate, parse_rfc3339(ts) - self.clock.now)
        if remaining:
            # deleter.Delete returns an estimate of how long the rest will take; the controller
            # requeues the namespace after it (or with back-off when no estimate is known).
            return Requeue(estimate + 1.0 if estimate > 0 else None)
        finalize_namespace(self.api, name)
        return None
