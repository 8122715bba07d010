"""Seed 002 L374-399 and L429-461 (scripts/seed002_broken_manifests.sh): the liveness and
readiness manifests as the seed's `cat` printed them, header cut off. The error text is the one
kubectl v1.32 prints for these files (`kubectl apply -f FILE --dry-run=client`, checked with the
real client); nothing is created."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scenario_replay import replay  # noqa: E402

YAML_ERROR = ("error: error parsing nginx-demo.yaml: error converting YAML to JSON: yaml: line 2: "
              "mapping values are not allowed in this context\n")


def test_truncated_headers_are_yaml_errors(tmp_path):
    r = replay("seed002_broken_manifests.sh", tmp_path)
    applies = [r.find("kubectl apply -f nginx-demo.yaml", nth=i) for i in (0, 1)]
    create = r.find("kubectl create -f nginx-demo.yaml")
    for step in applies + [create]:
        assert (step.output, step.exit_code) == (YAML_ERROR, 1)
    for i in (0, 1):
        assert r.find("kubectl get pod -n pod-example", nth=i).output == "No resources found in pod-example namespace.\n"
