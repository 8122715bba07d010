"""NodeResourcesFit (filter + LeastAllocated score) and NodeResourcesBalancedAllocation.
kubernetes/kubernetes: pkg/scheduler/framework/plugins/noderesources/{fit.go,least_allocated.go,
balanced_allocation.go,resource_allocation.go}"""
from __future__ import annotations

from typing import NamedTuple

from labsim.scheduler.framework import MAX_NODE_SCORE, UNSCHEDULABLE, Plugin, Status

#: ScoringStrategy LeastAllocated, resources cpu and memory with weight 1 each (default args)
SCORING_RESOURCES = (("cpu", 1), ("memory", 1))


class InsufficientResource(NamedTuple):
    """``noderesources.InsufficientResource``: what the kubelet's admission reports as
    ``Node didn't have enough resource: <name>, requested: .., used: .., capacity: ..``."""

    resource_name: str
    reason: str
    requested: int
    used: int
    capacity: int


def fits(pi, ni) -> list[InsufficientResource]:
    """``Fits``/``fitsRequest``: one entry per short resource (pods first), in upstream's order."""
    out: list[InsufficientResource] = []
    allowed = ni.allocatable.allowed_pods
    if len(ni.pods) + 1 > allowed:
        out.append(InsufficientResource("pods", "Too many pods", 1, len(ni.pods), allowed))
    req = pi.requests
    if req.is_zero():
        return out
    alloc, used = ni.allocatable, ni.requested
    if req.milli_cpu > 0 and req.milli_cpu > alloc.milli_cpu - used.milli_cpu:
        out.append(InsufficientResource("cpu", "Insufficient cpu", req.milli_cpu, used.milli_cpu, alloc.milli_cpu))
    if req.memory > 0 and req.memory > alloc.memory - used.memory:
        out.append(InsufficientResource("memory", "Insufficient memory", req.memory, used.memory, alloc.memory))
    if req.ephemeral_storage > 0 and req.ephemeral_storage > alloc.ephemeral_storage - used.ephemeral_storage:
        out.append(InsufficientResource("ephemeral-storage", "Insufficient ephemeral-storage",
                                        req.ephemeral_storage, used.ephemeral_storage, alloc.ephemeral_storage))
    for name in sorted(req.scalar):
        q = req.scalar[name]
        if q and q > alloc.scalar.get(name, 0) - used.scalar.get(name, 0):
            out.append(InsufficientResource(name, f"Insufficient {name}", q, used.scalar.get(name, 0),
                                            alloc.scalar.get(name, 0)))
    return out


def insufficient_resources(pi, ni) -> list[str]:
    """``fitsRequest``: one reason per short resource (and ``Too many pods``)."""
    return [r.reason for r in fits(pi, ni)]


def least_requested_score(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


class NodeResourcesFit(Plugin):
    name = "NodeResourcesFit"
    weight = 1
    events = ("AssignedPodDelete", "NodeAdd", "NodeUpdate")

    def filter(self, state, pi, ni):
        reasons = insufficient_resources(pi, ni)
        if reasons:
            return Status(UNSCHEDULABLE, *reasons)
        return None

    def score(self, state, pi, ni):
        # NonZeroRequested: containers without requests count as 100m / 200Mi
        alloc = ni.allocatable
        total = weights = 0
        for (res, w) in SCORING_RESOURCES:
            if res == "cpu":
                cap, req = alloc.milli_cpu, ni.non_zero_cpu + pi.non_zero[0]
            else:
                cap, req = alloc.memory, ni.non_zero_memory + pi.non_zero[1]
            if cap == 0:
                continue
            total += least_requested_score(req, cap) * w
            weights += w
        return total // weights if weights else 0

    def hint(self, ev, pi):
        if ev.kind == "AssignedPodDelete":
            return True
        if ev.kind in ("NodeAdd", "NodeUpdate") and ev.node_info is not None:
            return not insufficient_resources(pi, ev.node_info)
        return False


class NodeResourcesBalancedAllocation(Plugin):
    name = "NodeResourcesBalancedAllocation"
    weight = 1

    def score(self, state, pi, ni):
        alloc, used = ni.allocatable, ni.requested
        fractions = []
        for cap, req in ((alloc.milli_cpu, used.milli_cpu + pi.requests.milli_cpu),
                         (alloc.memory, used.memory + pi.requests.memory)):
            if cap == 0:
                continue
            f = req / cap
            fractions.append(1.0 if f > 1 else f)
        std = 0.0
        if len(fractions) == 2:
            std = abs((fractions[0] - fractions[1]) / 2)
        return int((1 - std) * MAX_NODE_SCORE)
