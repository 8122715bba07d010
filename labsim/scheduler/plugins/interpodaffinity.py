"""InterPodAffinity: required pod (anti-)affinity filters, preferred terms score.
kubernetes/kubernetes: pkg/scheduler/framework/plugins/interpodaffinity/{filtering.go,scoring.go}"""
from __future__ import annotations

from labsim.scheduler.framework import SKIP, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, Plugin, Status
from labsim.scheduler.plugins.helpers import label_selector

ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules"
ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"


class Term:
    __slots__ = ("namespaces", "ns_selector", "selector", "topology_key")

    def __init__(self, owner_ns: str, term: dict):
        ns = term.get("namespaces") or []
        self.ns_selector = None
        if term.get("namespaceSelector") is not None:
            self.ns_selector = label_selector(term.get("namespaceSelector"))
        self.namespaces = set(ns) if (ns or self.ns_selector is not None) else {owner_ns}
        self.selector = label_selector(term.get("labelSelector"))
        self.topology_key = term.get("topologyKey", "")

    def matches(self, pi, ns_labels) -> bool:
        if pi.namespace in self.namespaces or (self.ns_selector is not None
                                               and self.ns_selector.matches(ns_labels(pi.namespace))):
            return self.selector.matches(pi.labels)
        return False


def _terms(pi, kind: str, required: bool) -> list:
    cache_key = f"ipa/{kind}/{required}"
    if cache_key in pi._extra:
        return pi._extra[cache_key]
    section = pi.affinity.get(kind) or {}
    out: list = []
    if required:
        out = [Term(pi.namespace, t) for t in section.get("requiredDuringSchedulingIgnoredDuringExecution") or []]
    else:
        for w in section.get("preferredDuringSchedulingIgnoredDuringExecution") or []:
            if w.get("weight"):
                out.append((int(w["weight"]), Term(pi.namespace, w.get("podAffinityTerm") or {})))
    pi._extra[cache_key] = out
    return out


class InterPodAffinity(Plugin):
    name = "InterPodAffinity"
    weight = 2
    events = ("AssignedPodAdd", "AssignedPodUpdate", "AssignedPodDelete", "NodeAdd", "NodeUpdate")

    def pre_filter(self, state, pi):
        aff = _terms(pi, "podAffinity", True)
        anti = _terms(pi, "podAntiAffinity", True)
        nodes = self.sched.node_list()
        has_existing_anti = any(ni.pods_with_required_anti_affinity for ni in nodes)
        if not aff and not anti and not has_existing_anti:
            return None, Status(SKIP)
        ns_labels = self.sched.namespace_labels
        existing_anti: dict[tuple[str, str], int] = {}
        aff_counts: dict[tuple[str, str], int] = {}
        anti_counts: dict[tuple[str, str], int] = {}
        for ni in nodes:
            for ep in ni.pods.values():
                if has_existing_anti:
                    for t in _terms(ep, "podAntiAffinity", True):
                        if t.topology_key in ni.labels and t.matches(pi, ns_labels):
                            k = (t.topology_key, ni.labels[t.topology_key])
                            existing_anti[k] = existing_anti.get(k, 0) + 1
                if aff and all(t.matches(ep, ns_labels) for t in aff):
                    for t in aff:
                        if t.topology_key in ni.labels:
                            k = (t.topology_key, ni.labels[t.topology_key])
                            aff_counts[k] = aff_counts.get(k, 0) + 1
                for t in anti:
                    if t.topology_key in ni.labels and t.matches(ep, ns_labels):
                        k = (t.topology_key, ni.labels[t.topology_key])
                        anti_counts[k] = anti_counts.get(k, 0) + 1
        state["ipa"] = (aff, anti, existing_anti, aff_counts, anti_counts)
        return None, None

    def filter(self, state, pi, ni):
        aff, anti, existing_anti, aff_counts, anti_counts = state["ipa"]
        if aff:
            pods_exist = True
            for t in aff:
                v = ni.labels.get(t.topology_key)
                if v is None:
                    return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON_AFFINITY)
                if aff_counts.get((t.topology_key, v), 0) <= 0:
                    pods_exist = False
            if not pods_exist:
                # the first pod of a group that selects itself may start anywhere
                if aff_counts or not all(t.matches(pi, self.sched.namespace_labels) for t in aff):
                    return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON_AFFINITY)
        for t in anti:
            v = ni.labels.get(t.topology_key)
            if v is not None and anti_counts.get((t.topology_key, v), 0) > 0:
                return Status(UNSCHEDULABLE, ERR_REASON_ANTI_AFFINITY)
        if existing_anti:
            for k, v in ni.labels.items():
                if existing_anti.get((k, v), 0) > 0:
                    return Status(UNSCHEDULABLE, ERR_REASON_EXISTING_ANTI_AFFINITY)
        return None

    # -- score -----------------------------------------------------------------------------------
    def pre_score(self, state, pi, nodes):
        pref_aff = _terms(pi, "podAffinity", False)
        pref_anti = _terms(pi, "podAntiAffinity", False)
        all_nodes = self.sched.node_list()
        if not pref_aff and not pref_anti and not any(ni.pods_with_affinity for ni in all_nodes):
            return Status(SKIP)
        ns_labels = self.sched.namespace_labels
        topo_score: dict[tuple[str, str], int] = {}

        def add(key, ni, w):
            v = ni.labels.get(key)
            if v is not None:
                topo_score[(key, v)] = topo_score.get((key, v), 0) + w

        for ni in all_nodes:
            for ep in ni.pods.values():
                for w, t in pref_aff:
                    if t.matches(ep, ns_labels):
                        add(t.topology_key, ni, w)
                for w, t in pref_anti:
                    if t.matches(ep, ns_labels):
                        add(t.topology_key, ni, -w)
                if ni.pods_with_affinity:
                    # existing pods' terms towards the incoming pod (hardPodAffinityWeight 1)
                    for t in _terms(ep, "podAffinity", True):
                        if t.matches(pi, ns_labels):
                            add(t.topology_key, ni, 1)
                    for w, t in _terms(ep, "podAffinity", False):
                        if t.matches(pi, ns_labels):
                            add(t.topology_key, ni, w)
                    for w, t in _terms(ep, "podAntiAffinity", False):
                        if t.matches(pi, ns_labels):
                            add(t.topology_key, ni, -w)
        state["ipa/score"] = topo_score
        return None

    def score(self, state, pi, ni):
        topo = state["ipa/score"]
        return sum(topo.get((k, v), 0) for k, v in ni.labels.items())

    def normalize(self, state, pi, scores):
        if not state["ipa/score"] or not scores:
            for n in scores:
                scores[n] = 0
            return
        lo, hi = min(scores.values()), max(scores.values())
        diff = hi - lo
        for n, s in scores.items():
            scores[n] = int(100 * (s - lo) / diff) if diff > 0 else 0
