"""Cluster presets of the course (course outline A.2): the clusters chapters and labs start from.

    >>> from labsim.presets import make_cluster
    >>> c = make_cluster("kubeadm-3", seed=7)     # server tainted NoSchedule, two agents

| preset      | chapters    | nodes                                                              |
|-------------|-------------|--------------------------------------------------------------------|
| ``k3d-1``     | 01-06, 08   | ``k3d-kubelabs-server-0`` (not tainted), 4 CPU / 8Gi                |
| ``kubeadm-3`` | 07          | the server tainted ``node-role.kubernetes.io/control-plane:NoSchedule`` (kubeadm-like, as seed 002's cluster), ``-agent-0``, ``-agent-1`` |
| ``ingress``   | 09          | ``k3d-1`` with ``ingress=true`` on the node and ingress-nginx installed |

A preset only says how the :class:`labsim.Cluster` is built; what a k3s server runs on its own
(CoreDNS, metrics-server, ServiceLB) comes with the cluster as the later issues add it.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Preset", "PRESETS", "PresetError", "make_cluster", "preload_images"]


class PresetError(ValueError):
    """An unknown preset, or one whose pieces the simulator does not have yet."""


@dataclass(frozen=True)
class Preset:
    name: str
    nodes: int
    tainted_server: bool
    chapters: tuple[str, ...]
    summary: str
    #: the chapter that brings what the preset needs ("" when it is complete)
    missing: str = ""


PRESETS: dict[str, Preset] = {
    "k3d-1": Preset("k3d-1", 1, False, ("01", "02", "03", "04", "05", "06", "08"),
                    "1 node (k3d-kubelabs-server-0, 4 CPU / 8Gi)"),
    "kubeadm-3": Preset("kubeadm-3", 3, True, ("07",),
                        "3 nodes (k3d-kubelabs-server-0 tainted control-plane:NoSchedule, "
                        "k3d-kubelabs-agent-0, k3d-kubelabs-agent-1)"),
    "ingress": Preset("ingress", 1, False, ("09",),
                      "1 node labelled ingress=true, ingress-nginx installed",
                      missing="09"),
}


def make_cluster(preset: str = "k3d-1", seed: int | str = 0, *, workdir: str | None = None):
    """A fresh ``Cluster`` built as ``preset`` says (see the table above)."""
    p = PRESETS.get(preset)
    if p is None:
        raise PresetError(f"unknown cluster preset {preset!r}: one of {', '.join(PRESETS)}")
    if p.missing:
        # ingress-nginx (its DaemonSet, Service and IngressClass) is modelled with chapter 09
        raise PresetError(f"the {preset!r} preset comes with chapter {p.missing}: the simulator has "
                          f"no ingress-nginx controller yet")
    from labsim.cluster import Cluster

    return Cluster(seed=seed, nodes=p.nodes, tainted_server=p.tainted_server, workdir=workdir)


def preload_images(cluster, images) -> None:
    """Put ``images`` on every node without events, as a setup's pre-pull leaves them (A.4:
    "images used by a setup are pre-pulled unless the task says otherwise")."""
    images = tuple(images)
    if not images:
        return
    for kubelet in cluster.kubelets.values():
        kubelet.images.preload(*images)
