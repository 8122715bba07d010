"""The set-up files: Makefile targets, stamp logic, CI script, conda environment, pyproject, README.

``make lab-install`` and ``make test`` are exercised for real on fresh clones by hand/CI (they
install from PyPI and take minutes); here ``make -n`` (print the commands, run nothing) checks what
they would do, and the README is checked against the repository so it stays true.
"""
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAKE = shutil.which("make")
needs_make = pytest.mark.skipif(MAKE is None, reason="make not installed")

CHAPTERS = ["01-pods", "02-probes", "03-replicasets", "04-services", "05-deployments", "06-statefulsets",
            "07-daemonsets", "08-hpa", "09-ingress"]


def read(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        return f.read()


def _clean_env():
    """The environment without a calling make's variables (``make test`` runs these tests)."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}


def make_dry_run(target, tmp_path, *extra):
    """``make -n`` in a copy of the set-up files, with the venv in tmp_path (nothing is installed)."""
    work = tmp_path / "repo"
    work.mkdir(exist_ok=True)
    for f in ("Makefile", "pyproject.toml"):
        if not (work / f).exists():
            shutil.copy(os.path.join(REPO, f), work / f)
    p = subprocess.run([MAKE, "--no-print-directory", "-n", target, f"VENV={tmp_path / 'venv'}", *extra], cwd=work,
                       capture_output=True, text=True, timeout=60, env=_clean_env())
    assert p.returncode == 0, p.stderr
    return p.stdout, work


# -- Makefile -----------------------------------------------------------------------------------

@needs_make
def test_lab_install_creates_the_venv_installs_the_notebook_extra_and_registers_the_kernel(tmp_path):
    out, _ = make_dry_run("lab-install", tmp_path)
    venv = tmp_path / "venv"
    steps = [f"python3 -m venv {venv}",
             f"{venv}/bin/python -m pip install --quiet --upgrade pip",
             f"{venv}/bin/python -m pip install --quiet -e '.[notebook]'",
             f'{venv}/bin/python -m ipykernel install --sys-prefix --name kubelabs --display-name "Python (kubelabs)"',
             "mkdir -p notebooks"]
    positions = [out.find(s) for s in steps]
    assert -1 not in positions, out
    assert positions == sorted(positions)  # in this order
    assert "jupyter lab" not in out  # lab-install does not start the server
    assert "--user" not in out  # nothing outside the venv


@needs_make
def test_lab_starts_jupyterlab_on_the_notebooks_folder(tmp_path):
    out, _ = make_dry_run("lab", tmp_path, "LAB_ARGS=--no-browser")
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(rf"{tmp_path}/venv/bin/jupyter lab notebooks/ (--allow-root )?--no-browser", last), last
    assert "ipykernel install --sys-prefix" in out


@needs_make
def test_test_target_installs_the_test_extra_and_runs_pytest(tmp_path):
    out, _ = make_dry_run("test", tmp_path)
    venv = tmp_path / "venv"
    assert f"{venv}/bin/python -m pip install --quiet -e '.[test]'" in out
    assert f"{venv}/bin/python -m pytest -ra" in out
    assert "[notebook]" not in out  # tests do not need JupyterLab


@needs_make
def test_stamps_skip_reinstalling_until_pyproject_changes(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    out, work = make_dry_run("test", tmp_path)
    for stamp in (".stamp-venv", ".stamp-test"):
        (venv / stamp).touch()
    old = os.stat(work / "pyproject.toml").st_mtime - 10
    os.utime(work / "pyproject.toml", (old, old))
    out, _ = make_dry_run("test", tmp_path)
    assert "pip install" not in out and "-m venv" not in out
    assert "-m pytest" in out
    new = os.stat(venv / ".stamp-test").st_mtime + 10
    os.utime(work / "pyproject.toml", (new, new))  # pyproject.toml edited: reinstall, but no new venv
    out, _ = make_dry_run("test", tmp_path)
    assert "-e '.[test]'" in out and "-m venv" not in out


@needs_make
def test_bench_runs_the_harness(tmp_path):
    out, _ = make_dry_run("bench", tmp_path)
    assert out.strip().splitlines()[-1].endswith("/venv/bin/python bench/run.py")


@needs_make
def test_makefile_checks_the_python_version(tmp_path):
    work = tmp_path / "repo"
    work.mkdir()
    shutil.copy(os.path.join(REPO, "Makefile"), work / "Makefile")
    shutil.copy(os.path.join(REPO, "pyproject.toml"), work / "pyproject.toml")
    old_python = tmp_path / "python-old"
    old_python.write_text("#!/bin/sh\nexec %s -c 'import sys; sys.exit(\"kubelabs needs Python >= 3.11; "
                          "this is 3.9.2 (set PYTHON=python3.11)\")'\n" % sys.executable)
    old_python.chmod(0o755)
    # the Makefile's check, run by a stand-in interpreter that reports itself as too old
    p = subprocess.run([MAKE, "--no-print-directory", "venv", f"VENV={tmp_path / 'venv'}", f"PYTHON={old_python}"],
                       cwd=work, capture_output=True, text=True, timeout=60, env=_clean_env())
    assert p.returncode != 0
    assert "kubelabs needs Python >= 3.11; this is 3.9.2 (set PYTHON=python3.11)" in p.stderr
    assert not (tmp_path / "venv").exists()


# -- CI, conda, pyproject -----------------------------------------------------------------------

def test_ci_run_script():
    path = os.path.join(REPO, ".ci", "run")
    assert os.access(path, os.X_OK)
    text = read(".ci/run")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#") or ln.startswith("#!")]
    assert lines[0] == "#!/usr/bin/env bash"
    assert lines[1] == "set -euo pipefail"
    assert lines[2].startswith("cd ")
    assert lines[-1] == "make test"
    assert subprocess.run(["bash", "-n", path]).returncode == 0


def test_environment_yml():
    env = yaml.safe_load(read("environment.yml"))
    deps = env["dependencies"]
    assert "python=3.11" in deps and "pip" in deps
    assert {"pip": ["-e .[notebook,test]"]} in deps


def test_pyproject_extras_and_entry_point():
    meta = tomllib.loads(read("pyproject.toml"))["project"]
    extras = meta["optional-dependencies"]
    names = {e: {re.split(r"[<>=!~\[ ]", r, 1)[0].lower() for r in reqs} for e, reqs in extras.items()}
    assert {"jupyterlab", "ipykernel", "ipywidgets", "nbgrader"} <= names["notebook"]
    assert {"pytest", "hypothesis", "ipython"} <= names["test"]
    notebook = " ".join(extras["notebook"])
    assert "jupyterlab>=4" in notebook and "ipywidgets>=8" in notebook and "nbgrader>=0.9" in notebook
    assert "<0.10" in notebook  # nbgrader 0.9.x
    assert meta["scripts"]["labsim"] == "labsim.__main__:main"
    assert meta["requires-python"] == ">=3.11"
    assert os.path.exists(os.path.join(REPO, meta["readme"]))


# -- README stays true ----------------------------------------------------------------------------

def test_readme_leads_with_the_two_commands():
    text = read("README.md")
    first_section = text.split("\n## ", 2)[1]
    assert first_section.startswith("Start here")
    assert "make lab " in first_section and "make test " in first_section
    for words in ("make bench", "python -m labsim run", "%load_ext labsim", "%%kubectl", "%sleep",
                  "Kubernetes **v1.32**"):
        assert words in text


def test_readme_chapter_statuses_match_the_notebooks_folder():
    text = read("README.md")
    rows = re.findall(r"^\| (0\d) \| ([^|]+) \| (\w+) \|$", text, re.M)
    assert [r[0] for r in rows] == [c[:2] for c in CHAPTERS]
    existing = set(os.listdir(os.path.join(REPO, "notebooks")))
    for (num, _, status), folder in zip(rows, CHAPTERS):
        assert status == ("available" if folder in existing else "planned"), folder
    if not any(c in existing for c in CHAPTERS):
        assert "No chapter notebook exists yet" in text
    assert os.path.exists(os.path.join(REPO, "notebooks", "README.md"))


def test_readme_layout_paths_exist():
    text = read("README.md")
    layout = text.split("## Layout", 1)[1].split("\nPlanned", 1)[0]
    first_cells = re.findall(r"^\| ([^|]+) \|", layout, re.M)[2:]  # after the header and the rule
    paths = [p for cell in first_cells for p in re.findall(r"`([\w./-]+)`", cell)]
    assert "labsim/scenario.py" in paths and "Makefile" in paths
    for p in paths:
        assert os.path.exists(os.path.join(REPO, p)), p


def test_readme_scenario_example_matches_the_runner(tmp_path):
    text = read("README.md")
    script = re.search(r"```bash\n# scenario.sh\n(.*?)```", text, re.S).group(1)
    shown = re.search(r"prints:\n\n```console\n(.*?)```", text, re.S).group(1)
    from labsim.scenario import run_script

    assert run_script(script, workdir=str(tmp_path)) == shown


def test_readme_python_example_output():
    text = read("README.md")
    code = re.search(r"```python\nfrom labsim import Cluster\n(.*?)```\n```\n(.*?)```", text, re.S)
    from labsim import Cluster

    c = Cluster(seed=0)
    assert str(c.kubectl("get nodes")) + "\n" == code.group(2)


def test_readme_lists_only_implemented_kubectl_verbs():
    from labsim.kubectl import cli

    text = read("README.md")
    listed = text.split("Implemented verbs", 1)[1].split("Any other verb", 1)[0]
    verbs = re.findall(r"`([a-z][a-z-]*)(?: -f)?`", listed)
    handlers = {path.split()[0] for path in cli.handlers()}
    assert {"get", "apply", "describe"} <= set(verbs)
    assert [v for v in verbs if v not in handlers] == []


# -- benchmark harness ------------------------------------------------------------------------------

def _bench_module():
    import importlib.util

    saved = list(sys.path)
    try:  # bench/run.py puts bench/ on sys.path for its own imports; undo that afterwards
        spec = importlib.util.spec_from_file_location("bench_run", os.path.join(REPO, "bench", "run.py"))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path[:] = saved


def test_bench_lines_show_figure_target_and_ratio_direction():
    run = _bench_module()
    B = run.Benchmark
    figures = iter([3.0, 1.0, 2.0])
    text = run.line(B("fast", "x", "ms", 4, "lower", lambda: next(figures), runs=3), 0)
    assert text.split() == ["fast", "2.00", "ms", "(p50", "of", "3)", "target", "≤", "4.00", "ms", "ratio", "0.50",
                            "(figure/target,", "lower", "is", "better)", "meets", "target"]
    text = run.line(B("thru", "x", "objects/s", 2000, "higher", lambda: 1000.0, runs=1), 0)
    assert text.split()[1:] == ["1,000", "objects/s", "(1", "run)", "target", "≥", "2,000", "objects/s", "ratio",
                                "2.00", "(target/figure,", "lower", "is", "better)", "MISSES", "target"]

    def missing():
        raise run.NotAvailable("kubectl get is not implemented yet")

    def broken():
        raise KeyError("spec")
    assert run.line(B("na", "x", "ms", 5, "lower", missing), 0) == (
        "na                             n/a (kubectl get is not implemented yet)   [target ≤ 5.00 ms]")
    assert run.line(B("boom", "x", "ms", 5, "lower", broken), 0) == (
        "boom                           n/a (crashed: KeyError: 'spec')   [target ≤ 5.00 ms]")


def test_bench_entries_are_data_with_the_issue_targets():
    run = _bench_module()
    entries = {b.name: (b.unit, b.target, b.better) for b in run.BENCHMARKS}
    assert entries == {
        "cluster-create": ("ms", 20, "lower"),
        "get-pods-100": ("ms", 5, "lower"),
        "get-pods-10000": ("ms", 300, "lower"),
        "apply-1000-configmaps-stream": ("objects/s", 2000, "higher"),
        "apply-1000-configmaps-each": ("objects/s", 2000, "higher"),
        "memory-10000-pods": ("MiB", 150, "lower"),
        "kubelet-hour-3-nodes-30-probed-pods": ("s", 0.5, "lower"),  # issue 4
        "memory-1000-running-pods": ("MiB", 150, "lower"),  # issue 4 gives none: provisional
        "rolling-update-10-replicas": ("ms", 50, "lower"),  # issue 5
        "rolling-update-1000-replicas": ("s", 3, "lower"),  # issue 5
        "view-300-pod-rollout-x60-update-rate": ("updates/s", 10, "lower"),  # issue 6
        "view-300-pod-rollout-x60-cpu": ("cpu-s/s", 1, "lower"),  # issue 6: provisional
    }
    assert {b.name for b in run.BENCHMARKS if b.isolated} == {"memory-10000-pods", "memory-1000-running-pods"}
    assert run.main(["--list"]) == 0
