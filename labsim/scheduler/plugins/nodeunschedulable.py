"""NodeUnschedulable: cordoned nodes take no new pods unless the pod tolerates
``node.kubernetes.io/unschedulable:NoSchedule``.
kubernetes/kubernetes: pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go"""
from __future__ import annotations

from labsim.scheduler.framework import UNSCHEDULABLE_AND_UNRESOLVABLE, Plugin, Status
from labsim.scheduler.plugins.helpers import tolerations_tolerate

ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable"
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class NodeUnschedulable(Plugin):
    name = "NodeUnschedulable"
    events = ("NodeAdd", "NodeUpdate")

    def filter(self, state, pi, ni):
        if not ni.unschedulable:
            return None
        if tolerations_tolerate(pi.tolerations, UNSCHEDULABLE_TAINT):
            return None
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON_UNSCHEDULABLE)

    def hint(self, ev, pi):
        # isSchedulableAfterNodeChange: the node is (now) schedulable
        return ev.kind in self.events and ev.node_info is not None and not ev.node_info.unschedulable
