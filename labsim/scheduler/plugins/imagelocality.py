"""ImageLocality: prefer nodes that already hold the pod's images (size-weighted, spread-scaled).
kubernetes/kubernetes: pkg/scheduler/framework/plugins/imagelocality/image_locality.go"""
from __future__ import annotations

from labsim.scheduler.framework import MAX_NODE_SCORE, SKIP, Plugin, Status

MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB
MAX_CONTAINER_THRESHOLD = 1000 * MB


def normalized_image_name(name: str) -> str:
    """Only a missing tag is filled in (``nginx`` -> ``nginx:latest``); no registry is added, so
    ``nginx`` never matches the ``docker.io/library/nginx:latest`` a containerd node reports."""
    if name.rfind(":") <= name.rfind("/"):
        name += ":latest"
    return name


class ImageLocality(Plugin):
    name = "ImageLocality"
    weight = 1

    def pre_score(self, state, pi, nodes):
        spec = pi.pod.get("spec") or {}
        images = [normalized_image_name(c.get("image") or "")
                  for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])]
        all_nodes = self.sched.node_list()
        if not any(ni.images for ni in all_nodes):
            # every node would score 0: skipping leaves the ranking unchanged
            return Status(SKIP)
        spread = {}
        for img in set(images):
            n = sum(1 for ni in all_nodes if img in ni.images)
            spread[img] = n / len(all_nodes) if all_nodes else 0.0
        state["il/images"] = images
        state["il/spread"] = spread
        return None

    def score(self, state, pi, ni):
        images = state["il/images"]
        if not ni.images:
            total = 0
        else:
            total = 0
            for img in images:
                size = ni.images.get(img)
                if size is not None:
                    total += int(size * state["il/spread"][img])
        max_threshold = MAX_CONTAINER_THRESHOLD * len(images)
        total = min(max(total, MIN_THRESHOLD), max_threshold)
        if max_threshold == MIN_THRESHOLD:
            return 0
        return MAX_NODE_SCORE * (total - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)
