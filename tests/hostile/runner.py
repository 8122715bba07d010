"""Run hostile manifests through ``kubectl apply -f`` in this (child) process and print one JSON
line per file: exit code, stderr, whether the store changed, elapsed wall time (for the report,
not asserted). Run by test_hostile.py in a subprocess so a crash fails the test, not pytest."""
import json
import os
import sys
import time

from labsim import Cluster


def main(paths: list[str]) -> None:
    for path in paths:
        cluster = Cluster(seed=0)  # a fresh cluster per file: one accepted file cannot affect the next
        before = (cluster.digest(), cluster.store.resource_version)
        t0 = time.perf_counter()
        result = cluster.kubectl(["apply", "-f", path])
        elapsed = time.perf_counter() - t0
        after = (cluster.digest(), cluster.store.resource_version)
        print(json.dumps({"file": os.path.basename(path), "exit_code": result.exit_code, "stdout": result.stdout,
                          "stderr": result.stderr, "unchanged": before == after, "ms": round(elapsed * 1000, 2)}),
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
