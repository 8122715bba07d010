"""Static checks with pyflakes over the package code: an undefined name is a bug waiting for the
one code path that reaches it; an unused import is dead weight that hides what a module needs."""
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pyflakes = pytest.importorskip("pyflakes")


def _messages() -> list[str]:
    out = subprocess.run([sys.executable, "-m", "pyflakes", "labsim", "grading", "bench"], cwd=REPO,
                         capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line.strip()]


def test_no_undefined_names():
    assert [m for m in _messages() if "undefined name" in m] == []


def test_no_unused_imports():
    # re-exports are marked with "# noqa" on the import line and are not reported as unused
    bad = []
    for m in _messages():
        if "imported but unused" not in m:
            continue
        path, line = m.split(":")[:2]
        with open(os.path.join(REPO, path), encoding="utf-8") as f:
            lines = f.read().splitlines()
        # the import statement may span lines: look back to its first line for a noqa marker
        i = int(line) - 1
        while i > 0 and "import" not in lines[i]:
            i -= 1
        if "noqa" not in lines[i]:
            bad.append(m)
    assert bad == []
