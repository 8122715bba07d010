"""PodTopologySpread: DoNotSchedule constraints filter; ScheduleAnyway constraints, and the system
default constraints for pods of a Service/RC/ReplicaSet/StatefulSet, score.
kubernetes/kubernetes: pkg/scheduler/framework/plugins/podtopologyspread/{plugin.go,common.go,
filtering.go,scoring.go}, pkg/scheduler/framework/plugins/helper/spread.go (DefaultSelector)"""
from __future__ import annotations

import math
from dataclasses import dataclass

from labsim.api import labels as labelsel
from labsim.scheduler.framework import (MAX_NODE_SCORE, SKIP, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE,
                                        Plugin, Status)
from labsim.scheduler.plugins.helpers import label_selector, required_node_affinity_matches

ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"
HOSTNAME = "kubernetes.io/hostname"

#: plugin.go systemDefaultConstraints
SYSTEM_DEFAULT_CONSTRAINTS = (
    {"topologyKey": HOSTNAME, "whenUnsatisfiable": "ScheduleAnyway", "maxSkew": 3},
    {"topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway", "maxSkew": 5},
)


@dataclass
class Constraint:
    max_skew: int
    topology_key: str
    selector: labelsel.Selector
    min_domains: int = 1
    honor_affinity: bool = True
    honor_taints: bool = False

    def __post_init__(self):
        self.key = ("pts/match", str(self.selector))


def _constraints(pod: dict, when: str) -> list[Constraint]:
    labels = (pod.get("metadata") or {}).get("labels") or {}
    out = []
    for c in (pod.get("spec") or {}).get("topologySpreadConstraints") or []:
        if c.get("whenUnsatisfiable") != when:
            continue
        sel = label_selector(c.get("labelSelector"))
        keys = c.get("matchLabelKeys") or []
        if keys:
            reqs = list(sel.requirements) if hasattr(sel, "requirements") else []
            for k in keys:
                if k in labels:
                    reqs.append(labelsel.new_requirement(k, labelsel.IN, [labels[k]]))
            sel = labelsel.Selector(reqs)
        out.append(Constraint(int(c.get("maxSkew") or 1), c.get("topologyKey", ""), sel,
                              int(c.get("minDomains") or 1),
                              (c.get("nodeAffinityPolicy") or "Honor") == "Honor",
                              (c.get("nodeTaintsPolicy") or "Ignore") == "Honor"))
    return out


#: selectors counted incrementally per node at most (more: the oldest is dropped)
MAX_COUNTED_SELECTORS = 64


def count_matching(ni, selector: labelsel.Selector, namespace: str, key: tuple | None = None) -> int:
    """``countPodsMatchSelector``: the node's pods of ``namespace``, not being deleted, that
    ``selector`` matches. Counted once per node and selector, then kept up to date as pods come
    and go (``NodeInfo.match_counts``); each pod remembers its verdict per selector text (pod
    labels are fixed for a PodInfo, which is rebuilt when the pod changes)."""
    if key is None:
        key = ("pts/match", str(selector))
    entry = ni.match_counts.get((key, namespace))
    if entry is not None:
        return entry[1]
    n = 0
    for p in ni.pods.values():
        if p.namespace != namespace or (p.pod.get("metadata") or {}).get("deletionTimestamp"):
            continue
        hit = p._extra.get(key)
        if hit is None:
            hit = p._extra[key] = selector.matches(p.labels)
        if hit:
            n += 1
    if len(ni.match_counts) >= MAX_COUNTED_SELECTORS:
        del ni.match_counts[next(iter(ni.match_counts))]
    ni.match_counts[(key, namespace)] = [selector, n]
    return n


def _node_included(c: Constraint, pi, ni) -> bool:
    if c.honor_affinity and not required_node_affinity_matches(pi.pod, ni.labels, ni.name):
        return False
    if c.honor_taints:
        from labsim.scheduler.plugins.helpers import find_untolerated_taint
        if find_untolerated_taint(ni.taints, pi.tolerations, ("NoSchedule", "NoExecute")) is not None:
            return False
    return True


class PodTopologySpread(Plugin):
    name = "PodTopologySpread"
    weight = 2
    events = ("AssignedPodAdd", "AssignedPodUpdate", "AssignedPodDelete", "NodeAdd", "NodeUpdate")

    # -- filter ----------------------------------------------------------------------------------
    def pre_filter(self, state, pi):
        cons = _constraints(pi.pod, "DoNotSchedule")
        if not cons:
            return None, Status(SKIP)
        counts: list[dict[str, int]] = [dict() for _ in cons]
        for ni in self.sched.node_list():
            if not all(c.topology_key in ni.labels for c in cons):
                continue
            for i, c in enumerate(cons):
                if not _node_included(c, pi, ni):
                    continue
                v = ni.labels[c.topology_key]
                counts[i][v] = counts[i].get(v, 0) + count_matching(ni, c.selector, pi.namespace, c.key)
        state["pts/filter"] = (cons, counts)
        return None, None

    def filter(self, state, pi, ni):
        cons, counts = state["pts/filter"]
        for i, c in enumerate(cons):
            val = ni.labels.get(c.topology_key)
            if val is None:
                return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON_NODE_LABEL_NOT_MATCH)
            domain_counts = counts[i]
            min_match = min(domain_counts.values()) if domain_counts else 0
            if len(domain_counts) < c.min_domains:
                min_match = 0
            self_match = 1 if c.selector.matches(pi.labels) else 0
            if domain_counts.get(val, 0) + self_match - min_match > c.max_skew:
                return Status(UNSCHEDULABLE, ERR_REASON_CONSTRAINTS_NOT_MATCH)
        return None

    # -- score -----------------------------------------------------------------------------------
    def _default_selector(self, pi) -> labelsel.Selector:
        """``helper.DefaultSelector``: the Services selecting the pod, and its controller."""
        sched = self.sched
        merged: dict[str, str] = {}
        for svc in sched.list_objects("", "Service", pi.namespace):
            sel = (svc.get("spec") or {}).get("selector") or {}
            if sel and all(pi.labels.get(k) == v for k, v in sel.items()):
                merged.update(sel)
        selector = labelsel.selector_from_set(merged) if merged else labelsel.Selector()
        reqs = list(getattr(selector, "requirements", []))
        for ref in (pi.pod.get("metadata") or {}).get("ownerReferences") or []:
            if not ref.get("controller"):
                continue
            kind, api_version = ref.get("kind"), ref.get("apiVersion")
            if (api_version, kind) == ("v1", "ReplicationController"):
                rc = sched.get_object("", "ReplicationController", pi.namespace, ref.get("name", ""))
                if rc is not None:
                    merged.update((rc.get("spec") or {}).get("selector") or {})
                    selector = labelsel.selector_from_set(merged)
                    reqs = list(getattr(selector, "requirements", []))
            elif (api_version, kind) in (("apps/v1", "ReplicaSet"), ("apps/v1", "StatefulSet")):
                obj = sched.get_object("apps", kind, pi.namespace, ref.get("name", ""))
                if obj is not None:
                    other = label_selector((obj.get("spec") or {}).get("selector"))
                    reqs.extend(getattr(other, "requirements", []))
                    selector = labelsel.Selector(reqs)
            break
        return selector

    def pre_score(self, state, pi, nodes):
        spec_cons = (pi.pod.get("spec") or {}).get("topologySpreadConstraints") or []
        if spec_cons:
            cons = _constraints(pi.pod, "ScheduleAnyway")
            require_all = True
        else:
            sel = self._default_selector(pi)
            if sel.empty():
                return Status(SKIP)
            cons = [Constraint(c["maxSkew"], c["topologyKey"], sel) for c in SYSTEM_DEFAULT_CONSTRAINTS]
            require_all = False
        if not cons or not nodes:
            return Status(SKIP)
        ignored: set[str] = set()
        value_counts: list[dict[str, int]] = [dict() for _ in cons]
        topo_size = [0] * len(cons)
        for ni in nodes:
            if require_all and not all(c.topology_key in ni.labels for c in cons):
                ignored.add(ni.name)
                continue
            for i, c in enumerate(cons):
                if c.topology_key == HOSTNAME:
                    continue
                v = ni.labels.get(c.topology_key)
                if v is None:
                    continue
                if v not in value_counts[i]:
                    value_counts[i][v] = 0
                    topo_size[i] += 1
        weights = []
        for i, c in enumerate(cons):
            sz = topo_size[i]
            if c.topology_key == HOSTNAME:
                sz = len(nodes) - len(ignored)
            weights.append(math.log(sz + 2))
        if any(value_counts):
            for ni in self.sched.node_list():
                if require_all and not all(c.topology_key in ni.labels for c in cons):
                    continue
                for i, c in enumerate(cons):
                    if c.topology_key == HOSTNAME or not _node_included(c, pi, ni):
                        continue
                    v = ni.labels.get(c.topology_key)
                    if v is None or v not in value_counts[i]:
                        continue
                    value_counts[i][v] += count_matching(ni, c.selector, pi.namespace, c.key)
        state["pts/score"] = (cons, value_counts, weights, ignored)
        return None

    def score(self, state, pi, ni):
        cons, value_counts, weights, ignored = state["pts/score"]
        if ni.name in ignored:
            return 0
        score = 0.0
        for i, c in enumerate(cons):
            v = ni.labels.get(c.topology_key)
            if v is None:
                continue
            if c.topology_key == HOSTNAME:
                cnt = count_matching(ni, c.selector, pi.namespace, c.key)
            else:
                cnt = value_counts[i].get(v, 0)
            score += cnt * weights[i] + (c.max_skew - 1)
        # math.Round: half away from zero
        return int(math.floor(score + 0.5))

    def normalize(self, state, pi, scores):
        _, _, _, ignored = state["pts/score"]
        valid = [s for n, s in scores.items() if n not in ignored]
        if not valid:
            for n in scores:
                scores[n] = 0
            return
        lo, hi = min(valid), max(valid)
        for n, s in scores.items():
            if n in ignored:
                scores[n] = 0
            elif hi == 0:
                scores[n] = MAX_NODE_SCORE
            else:
                scores[n] = MAX_NODE_SCORE * (hi + lo - s) // hi
