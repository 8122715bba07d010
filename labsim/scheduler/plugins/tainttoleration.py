"""TaintToleration: NoSchedule/NoExecute taints must be tolerated; untolerated PreferNoSchedule
taints lower the score.
kubernetes/kubernetes: pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go"""
from __future__ import annotations

from labsim.scheduler.framework import (MAX_NODE_SCORE, SKIP, UNSCHEDULABLE_AND_UNRESOLVABLE, Plugin, Status,
                                        default_normalize_score)
from labsim.scheduler.plugins.helpers import find_untolerated_taint, tolerates

DO_NOT_SCHEDULE = ("NoSchedule", "NoExecute")


def untolerated_taint_reason(taint: dict) -> str:
    return f"node(s) had untolerated taint {{{taint.get('key', '')}: {taint.get('value') or ''}}}"


class TaintToleration(Plugin):
    name = "TaintToleration"
    weight = 3
    events = ("NodeAdd", "NodeUpdate")

    def filter(self, state, pi, ni):
        taint = find_untolerated_taint(ni.taints, pi.tolerations, DO_NOT_SCHEDULE)
        if taint is None:
            return None
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, untolerated_taint_reason(taint))

    def pre_score(self, state, pi, nodes):
        # getAllTolerationPreferNoSchedule: tolerations with an empty or PreferNoSchedule effect
        if not any(t.get("effect") == "PreferNoSchedule" for ni in nodes for t in ni.taints):
            # every node would get the same normalised score: the ranking is unchanged without it
            return Status(SKIP)
        state["tt/tolerations"] = [t for t in pi.tolerations if (t.get("effect") or "") in ("", "PreferNoSchedule")]
        return None

    def score(self, state, pi, ni):
        tols = state["tt/tolerations"]
        n = 0
        for taint in ni.taints:
            if taint.get("effect") != "PreferNoSchedule":
                continue
            if not any(tolerates(t, taint) for t in tols):
                n += 1
        return n

    def normalize(self, state, pi, scores):
        default_normalize_score(MAX_NODE_SCORE, True, scores)

    def hint(self, ev, pi):
        if ev.kind not in self.events or ev.node_info is None:
            return False
        return find_untolerated_taint(ev.node_info.taints, pi.tolerations, DO_NOT_SCHEDULE) is None

