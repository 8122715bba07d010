"""Suite-wide settings: every Cluster built by a test runs with the store's mutation detector."""
import os

os.environ.setdefault("LABSIM_CACHE_MUTATION_DETECTOR", "1")
