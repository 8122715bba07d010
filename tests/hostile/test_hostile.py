"""The hostile-manifest corpus (reliability.md C4.1) through ``kubectl apply -f``.

Every file in ``corpus/`` (plus a few large ones made at test time) is applied to a fresh
cluster in a child process (``runner.py``), so a crash of libyaml or the interpreter fails this
test instead of killing pytest. Each must print its exact error, exit 1 and leave the store
unchanged (same digest, same resourceVersion). ``expected.json`` holds the texts; they come from
the real kubectl v1.32 (client-side cases, see tests/labsim/api/test_decode.py) and from
errors.md §4-§8 (server texts)."""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
EXPECTED = json.load(open(os.path.join(HERE, "expected.json"), encoding="utf-8"))
ROOT = os.path.dirname(os.path.dirname(HERE))

#: files whose rejection is labsim.api.validation's (errors.md §5, §12); asserted once the
#: validation rules exist, skipped while validation accepts them.
VALIDATION = {
    "negative-replicas.yaml":
        'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    "selector-mismatch.yaml":
        'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"web"}: `selector` does not match template `labels`\n',
    "maxsurge-maxunavailable-0.yaml":
        'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: '
        'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0\n',
    "uppercase-name.yaml":
        'The Deployment "Web_App" is invalid: metadata.name: Invalid value: "Web_App": a lowercase RFC 1123 '
        "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n",
    "name-254.yaml":
        f'The Deployment "{"a" * 254}" is invalid: metadata.name: Invalid value: "{"a" * 254}": '
        "must be no more than 253 characters\n",
    "invalid-utf8.yaml":
        'The ConfigMap "bad\ufffd\ufffd" is invalid: metadata.name: Invalid value: "bad\ufffd\ufffd": a lowercase '
        "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and "
        "end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n",
}

#: made at test time (too large for git)
GENERATED = {
    "aliases-1000kb.yaml": (
        "x: {a: &a [{a}" + ",{a}" * (1000 * 1024 // 4 - 100) + "], b: &b [*a" + ",*a" * 99 + "]}\n",
        "error: error parsing aliases-1000kb.yaml: document too large for labsim: more than 100000 lines and "
        "flow items in one document\n"),
    "docs-10000.yaml": (
        "".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n---\n" for i in range(10000)),
        "error: error parsing docs-10000.yaml: too many documents: labsim reads at most 1000 documents from one file\n"),
    "body-over-3mib.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: |\n"
        + ("    " + "x" * 76 + "\n") * (3 * 1024 * 1024 // 80 + 10),
        'Error from server (RequestEntityTooLarge): error when creating "body-over-3mib.yaml": Request entity too '
        "large: limit is 3145728\n"),
    "body-over-3mib.json": (
        '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": {"blob": "'
        + "x" * (3 * 1024 * 1024 + 10) + '"}}\n',
        'Error from server (RequestEntityTooLarge): error when creating "body-over-3mib.json": Request entity too '
        "large: limit is 3145728\n"),
}


def _run(cwd, names):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, os.path.join(HERE, "runner.py"), *names], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"the runner died (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    return {row["file"]: row for row in map(json.loads, proc.stdout.splitlines())}


@pytest.fixture(scope="module")
def corpus_results():
    return _run(CORPUS, sorted(os.listdir(CORPUS)))


@pytest.fixture(scope="module")
def generated_results(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    for name, (text, _) in GENERATED.items():
        (d / name).write_text(text, encoding="utf-8")
    return _run(str(d), sorted(GENERATED))


def test_corpus_size():
    files = set(os.listdir(CORPUS))
    assert len(files) + len(GENERATED) >= 40
    assert files == set(EXPECTED) | set(VALIDATION)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(corpus_results, name):
    row = corpus_results[name]
    assert (row["stderr"], row["stdout"], row["exit_code"], row["unchanged"]) == (EXPECTED[name], "", 1, True)


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_file(generated_results, name):
    row = generated_results[name]
    assert (row["stderr"], row["stdout"], row["exit_code"], row["unchanged"]) == (GENERATED[name][1], "", 1, True)


def _validation_implemented() -> bool:
    from labsim.api import validation
    from labsim.api.registry import REGISTRY

    rt = REGISTRY.for_api_version("apps/v1", "Deployment")
    bad = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "Web_App", "namespace": "default"},
           "spec": {"replicas": -1, "selector": {"matchLabels": {"a": "b"}},
                    "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
    try:
        return bool(validation.validate(rt, bad, None))
    except Exception:
        return False


@pytest.mark.parametrize("name", sorted(VALIDATION))
def test_validation_file(corpus_results, name):
    if not _validation_implemented():
        pytest.skip("labsim.api.validation does not implement these rules yet")
    row = corpus_results[name]
    assert (row["stderr"], row["exit_code"], row["unchanged"]) == (VALIDATION[name], 1, True)
