"""Controllers: one module per upstream controller, each level-triggered around the store.

:class:`ControllerManager` plays kube-controller-manager: it starts the controllers of a cluster,
each of which watches the store and reconciles keys through its work queue on the simulated clock.
"""
from __future__ import annotations


class ControllerManager:
    def __init__(self, cluster):
        self.cluster = cluster
        self.controllers = []

    def add(self, controller) -> None:
        self.controllers.append(controller)
        controller.start()

    def get(self, name: str):
        for c in self.controllers:
            if c.name == name:
                return c
        return None
