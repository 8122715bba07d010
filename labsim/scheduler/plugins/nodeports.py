"""NodePorts: two pods cannot bind the same hostPort (same protocol, overlapping hostIP).
kubernetes/kubernetes: pkg/scheduler/framework/plugins/nodeports/node_ports.go,
pkg/scheduler/framework/types.go (HostPortInfo.CheckConflict)"""
from __future__ import annotations

from labsim.scheduler.framework import SKIP, UNSCHEDULABLE, Plugin, Status, host_ports

ERR_REASON = "node(s) didn't have free ports for the requested pod ports"


def conflicts(wanted: list[tuple[str, str, int]], used: list[tuple[str, str, int]]) -> bool:
    for ip, proto, port in wanted:
        for uip, uproto, uport in used:
            if port == uport and proto == uproto and (ip == "0.0.0.0" or uip == "0.0.0.0" or ip == uip):
                return True
    return False


class NodePorts(Plugin):
    name = "NodePorts"
    events = ("AssignedPodDelete", "NodeAdd")

    def pre_filter(self, state, pi):
        if not pi.ports:
            return None, Status(SKIP)
        return None, None

    def filter(self, state, pi, ni):
        if ni.used_ports and conflicts(pi.ports, ni.used_ports):
            return Status(UNSCHEDULABLE, ERR_REASON)
        return None

    def hint(self, ev, pi):
        if ev.kind == "AssignedPodDelete":
            return conflicts(pi.ports, host_ports(ev.obj or {}))
        return ev.kind == "NodeAdd"
