"""Kubelets: one node agent per node, running pods through container behaviour models.

``cluster.kubelet_for(node_name)`` gives a node's :class:`Kubelet`; kubectl's ``logs`` and
``exec`` use its ``container_logs``, ``exec`` and ``running_process``.
"""
from labsim.kubelet.kubelet import Kubelet
from labsim.kubelet.runtime import LogLine

__all__ = ["Kubelet", "LogLine"]
