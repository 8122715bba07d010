"""How ``make test`` provides the browser: Debian's chromium by apt, playwright from the test extra.

``make -n`` shows the commands without running them; the chromium step itself is run for real with
a stand-in browser path and a PATH without apt-get (nothing is installed by these tests).
"""
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")
needs_make = pytest.mark.skipif(MAKE is None, reason="make not installed")


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    env.update(extra)
    return env


def make(tmp_path, *args, dry=True, env=None):
    work = tmp_path / "repo"
    work.mkdir(exist_ok=True)
    for f in ("Makefile", "pyproject.toml"):
        shutil.copy(REPO / f, work / f)
    venv = tmp_path / "venv"
    venv.mkdir(exist_ok=True)
    if not (venv / ".stamp-venv").exists():
        (venv / ".stamp-venv").touch()  # no venv is created
    argv = [MAKE, "--no-print-directory"] + (["-n"] if dry else []) + [f"VENV={venv}", *args]
    return subprocess.run(argv, cwd=work, capture_output=True, text=True, timeout=60, env=env or clean_env()), venv


@needs_make
def test_make_test_installs_debians_chromium_when_missing_then_runs_pytest(tmp_path):
    p, venv = make(tmp_path, "test", f"CHROMIUM={tmp_path}/no-such-chromium")
    assert p.returncode == 0, p.stderr
    out = p.stdout
    steps = ["-e '.[test]'", "apt-get update -q",
             "env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium",
             f"touch {venv}/.stamp-chromium", "-m pytest -ra"]
    positions = [out.rfind(s) if s.startswith("touch") else out.find(s) for s in steps]
    assert -1 not in positions, out
    assert positions == sorted(positions)
    assert "sudo -n" in out  # sudo only when it needs no password
    assert "playwright install" not in out  # never Playwright's browser download
    assert f'if [ -x "{tmp_path}/no-such-chromium" ]' in out  # a browser that is already there is kept


@needs_make
def test_the_chromium_stamp_skips_the_check(tmp_path):
    p, venv = make(tmp_path, "test")
    (venv / ".stamp-test").touch()
    (venv / ".stamp-chromium").touch()
    os.utime(tmp_path / "repo" / "pyproject.toml", (0, 0))
    p, _ = make(tmp_path, "test")
    assert "apt-get" not in p.stdout and "-m pytest" in p.stdout


@needs_make
def test_an_existing_chromium_is_used_as_is(tmp_path):
    browser = tmp_path / "my-chromium"
    browser.write_text("#!/bin/sh\necho 'Chromium 1.0'\n")
    browser.chmod(0o755)
    p, venv = make(tmp_path, str(tmp_path / "venv" / ".stamp-chromium"), f"CHROMIUM={browser}", dry=False)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "" and (venv / ".stamp-chromium").exists()


@needs_make
def test_without_apt_get_make_says_why_and_the_tests_still_run(tmp_path):
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("sh", "id", "rm", "touch", "sed", "date", "tail", "cat"):
        os.symlink(shutil.which(tool), tools / tool)
    p, venv = make(tmp_path, str(tmp_path / "venv" / ".stamp-chromium"), f"CHROMIUM={tmp_path}/none", dry=False,
                   env=clean_env(PATH=str(tools)))
    assert p.returncode == 0, p.stderr  # the rest of the suite still runs
    reason = ("no apt-get on this machine: install Chromium yourself and run "
              "'make test CHROMIUM=/path/to/chromium'")
    assert p.stdout == (f"==> WARNING: no chromium at {tmp_path}/none, the browser tests cannot run:\n"
                        f"    {reason}\n")
    assert (venv / "chromium-install.log").read_text() == reason + "\n"  # the browser tests quote it
    assert not (venv / ".stamp-chromium").exists()  # the next make test tries again


def test_the_test_extra_brings_jupyterlab_widgets_and_playwright():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=!~\[ ]", r, 1)[0].lower() for r in meta["optional-dependencies"]["test"]}
    assert {"jupyterlab", "ipywidgets", "ipykernel", "playwright"} <= names


def test_ci_marks_itself_as_ci():
    text = (REPO / ".ci" / "run").read_text()
    assert 'export CI="${CI:-true}"' in text.splitlines()


def run_harness_test(tmp_path, ci: str):
    """The harness test in a child pytest with no chromium at all: what does the report say?"""
    env = clean_env(KUBELABS_CHROMIUM=str(tmp_path / "no-chromium"), CI=ci)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rfEs", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "bt"),
         str(REPO / "tests" / "browser" / "test_harness.py")],
        cwd=REPO, capture_output=True, text=True, timeout=120, env=env)


def test_without_chromium_the_browser_tests_fail_under_ci_and_say_why(tmp_path):
    p = run_harness_test(tmp_path, "true")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "1 error" in p.stdout and "skipped" not in p.stdout  # the fixture fails: an error at setup
    assert f"no chromium at {tmp_path}/no-chromium: `make test` installs Debian's chromium" in p.stdout


def test_without_chromium_the_browser_tests_are_skipped_outside_ci(tmp_path):
    p = run_harness_test(tmp_path, "")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "1 skipped" in p.stdout and "SKIPPED [1]" in p.stdout
    assert f"no chromium at {tmp_path}/no-chromium" in p.stdout
