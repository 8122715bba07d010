"""Kubelets: one node agent per node, running pods through container behaviour models."""
