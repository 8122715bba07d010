"""NodeName: a pod that names a node fits only there.
kubernetes/kubernetes: pkg/scheduler/framework/plugins/nodename/node_name.go"""
from __future__ import annotations

from labsim.scheduler.framework import UNSCHEDULABLE_AND_UNRESOLVABLE, Plugin, Status

ERR_REASON = "node(s) didn't match the requested node name"


class NodeName(Plugin):
    name = "NodeName"
    events = ("NodeAdd",)

    def pre_filter(self, state, pi):
        from labsim.scheduler.framework import SKIP
        return None, (Status(SKIP) if not pi.node_name else None)

    def filter(self, state, pi, ni):
        if pi.node_name and pi.node_name != ni.name:
            return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON)
        return None
