"""NodeAffinity: nodeSelector and required node affinity filter; preferred terms score.
kubernetes/kubernetes: pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go"""
from __future__ import annotations

from labsim.scheduler.framework import (MAX_NODE_SCORE, SKIP, UNSCHEDULABLE_AND_UNRESOLVABLE, Plugin,
                                        PreFilterResult, Status, default_normalize_score)
from labsim.scheduler.plugins.helpers import required_node_affinity_matches, term_matches

ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
ERR_REASON_CONFLICT = "pod affinity terms conflict"


class NodeAffinity(Plugin):
    name = "NodeAffinity"
    weight = 2
    events = ("NodeAdd", "NodeUpdate")

    def pre_filter(self, state, pi):
        spec = pi.pod.get("spec") or {}
        req = ((pi.affinity.get("nodeAffinity") or {}).get("requiredDuringSchedulingIgnoredDuringExecution"))
        if req is None and spec.get("nodeSelector") is None:
            return None, Status(SKIP)
        terms = (req or {}).get("nodeSelectorTerms") or []
        if not terms:
            return None, None
        # affinity to specific nodes by metadata.name narrows the nodes to look at
        node_names: set[str] | None = None
        for t in terms:
            term_names: set[str] | None = None
            for r in t.get("matchFields") or []:
                if r.get("key") == "metadata.name" and r.get("operator") == "In":
                    s = set(r.get("values") or [])
                    term_names = s if term_names is None else term_names & s
            if term_names is None:
                return None, None
            node_names = term_names if node_names is None else node_names | term_names
        if node_names is not None and not node_names:
            return None, Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON_CONFLICT)
        return PreFilterResult(node_names), None

    def filter(self, state, pi, ni):
        if required_node_affinity_matches(pi.pod, ni.labels, ni.name):
            return None
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON_POD)

    def pre_score(self, state, pi, nodes):
        pref = ((pi.affinity.get("nodeAffinity") or {}).get("preferredDuringSchedulingIgnoredDuringExecution")) or []
        pref = [p for p in pref if p.get("weight")]
        if not pref:
            return Status(SKIP)
        state["na/preferred"] = pref
        return None

    def score(self, state, pi, ni):
        total = 0
        for p in state["na/preferred"]:
            if term_matches(p.get("preference") or {}, ni.labels, ni.name):
                total += int(p.get("weight") or 0)
        return total

    def normalize(self, state, pi, scores):
        default_normalize_score(MAX_NODE_SCORE, False, scores)

    def hint(self, ev, pi):
        if ev.kind not in self.events or ev.node_info is None:
            return False
        return required_node_affinity_matches(pi.pod, ev.node_info.labels, ev.node_info.name)
