"""The default plugins of kube-scheduler v1.32, in the order the default profile runs them.

kubernetes/kubernetes: pkg/scheduler/apis/config/v1/default_plugins.go (getDefaultPlugins).
SchedulingGates and PrioritySort live in the queue; DefaultPreemption and DefaultBinder in the
scheduler itself (labsim.scheduler)."""
from __future__ import annotations

from labsim.scheduler.plugins.imagelocality import ImageLocality
from labsim.scheduler.plugins.interpodaffinity import InterPodAffinity
from labsim.scheduler.plugins.nodeaffinity import NodeAffinity
from labsim.scheduler.plugins.nodename import NodeName
from labsim.scheduler.plugins.nodeports import NodePorts
from labsim.scheduler.plugins.noderesources import NodeResourcesBalancedAllocation, NodeResourcesFit
from labsim.scheduler.plugins.nodeunschedulable import NodeUnschedulable
from labsim.scheduler.plugins.podtopologyspread import PodTopologySpread
from labsim.scheduler.plugins.tainttoleration import TaintToleration
from labsim.scheduler.plugins.volumebinding import VolumeBinding

DEFAULT_PLUGINS = (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
                   VolumeBinding, PodTopologySpread, InterPodAffinity, NodeResourcesBalancedAllocation,
                   ImageLocality)
