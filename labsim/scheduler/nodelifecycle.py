"""The node lifecycle controller's NoSchedule tainting of cordoned nodes.

kubernetes/kubernetes: pkg/controller/nodelifecycle/node_lifecycle_controller.go
(doNoScheduleTaintingPass): a node with ``spec.unschedulable: true`` gets the taint
``node.kubernetes.io/unschedulable:NoSchedule`` (appended, no timeAdded), and loses it when the
node is uncordoned. Only this part of the controller lives here; it sits with the scheduler because
the taint and ``NodeUnschedulable`` are two sides of ``kubectl cordon``.
"""
from __future__ import annotations

from labsim.api.meta import deep_copy
from labsim.controllers.base import Controller

UNSCHEDULABLE_TAINT_KEY = "node.kubernetes.io/unschedulable"


class NodeUnschedulableTaintController(Controller):
    name = "node-lifecycle-controller/unschedulable-taint"

    def start(self) -> None:
        self.watch("Node", self._on_node)

    def _on_node(self, ev) -> None:
        if ev.type != "DELETED":
            self.queue.add(ev.object["metadata"]["name"])

    def sync(self, name: str):
        rt = self.api.registry.for_kind("", "Node")
        node = self.api.try_get(rt, None, name)
        if node is None:
            return None
        want = bool((node.get("spec") or {}).get("unschedulable"))
        taints = list((node.get("spec") or {}).get("taints") or [])
        has = any(t.get("key") == UNSCHEDULABLE_TAINT_KEY and t.get("effect") == "NoSchedule" for t in taints)
        if want == has:
            return None
        if want:
            taints.append({"key": UNSCHEDULABLE_TAINT_KEY, "effect": "NoSchedule"})
        else:
            taints = [t for t in taints if not (t.get("key") == UNSCHEDULABLE_TAINT_KEY
                                                and t.get("effect") == "NoSchedule")]
        new = deep_copy(node)
        if taints:
            new["spec"]["taints"] = taints
        else:
            new["spec"].pop("taints", None)
        self.api.update(new)
        return None
