"""Determinism lint: nothing in ``labsim/`` reads wall time or draws unseeded randomness.

Time comes only from ``labsim.clock`` and randomness only from ``labsim.rand`` (seeded, named
``random.Random`` streams), so the same seed and commands give byte-identical output. The check
walks the syntax tree, so docstrings and comments may still mention ``time.time()``.

Forbidden: ``time.time()``/``time.time_ns()``, ``datetime.now()``/``utcnow()``/``today()``,
``date.today()``, and calls of the ``random`` module's shared generator (``random.random()``,
``random.choice(...)``, ``from random import shuffle``...). ``random.Random(seed)`` is allowed.
"""
import ast
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(REPO, "labsim")

WALL_CLOCK = {("time", "time"), ("time", "time_ns"), ("datetime", "now"), ("datetime", "utcnow"),
              ("datetime", "today"), ("date", "today"), ("time", "monotonic"), ("time", "monotonic_ns"),
              ("time", "perf_counter"), ("time", "perf_counter_ns")}
#: the one module allowed to read wall time: the notebook's live-clock driver paces simulated time
#: and view renders by ``time.monotonic()`` (it never decides simulated state: issue 6, principle 3)
WALL_CLOCK_EXEMPT = {os.path.join("labsim", "widgets", "live.py")}
#: what may be used from the random module: the seedable generator class (and its base)
RANDOM_ALLOWED = {"Random"}


def lint_source(source: str, filename: str = "<src>") -> list[str]:
    """Problems in one module, as ``file:line: text``."""
    tree = ast.parse(source, filename)
    problems: list[str] = []
    # names bound to the modules/classes concerned, including aliases (import random as r)
    module_alias: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in ("time", "random", "datetime"):
                    module_alias[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module in ("time", "random", "datetime"):
            for a in node.names:
                bound = a.asname or a.name
                if node.module == "random" and a.name not in RANDOM_ALLOWED:
                    problems.append(f"{filename}:{node.lineno}: from random import {a.name} (unseeded randomness)")
                elif node.module == "time" and ("time", a.name) in WALL_CLOCK:
                    problems.append(f"{filename}:{node.lineno}: from time import {a.name} (wall time)")
                elif node.module == "datetime" and a.name in ("datetime", "date"):
                    module_alias[bound] = a.name
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        attr, target = node.func.attr, node.func.value
        owner = None
        if isinstance(target, ast.Name):
            owner = module_alias.get(target.id)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and module_alias.get(target.value.id) == "datetime":
            owner = target.attr  # datetime.datetime.now(), datetime.date.today()
        if owner is None:
            continue
        if (owner, attr) in WALL_CLOCK:
            problems.append(f"{filename}:{node.lineno}: {owner}.{attr}() (wall time; use the cluster's clock)")
        elif owner == "random" and attr not in RANDOM_ALLOWED:
            problems.append(f"{filename}:{node.lineno}: random.{attr}() (unseeded randomness; use labsim.rand)")
    return problems


def _modules():
    for root, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for f in sorted(files):
            if f.endswith(".py"):
                yield os.path.join(root, f)


def test_labsim_reads_no_wall_time_and_no_unseeded_randomness():
    problems = []
    for path in _modules():
        rel = os.path.relpath(path, REPO)
        with open(path, encoding="utf-8") as f:
            found = lint_source(f.read(), rel)
        if rel in WALL_CLOCK_EXEMPT:
            found = [p for p in found if "wall time" not in p]
        problems += found
    assert problems == []


def test_only_the_live_clock_driver_reads_the_monotonic_clock():
    """``time.monotonic`` (called or passed around as a function) appears only in the exempt driver."""
    users = []
    for path in _modules():
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        if any(isinstance(n, ast.Attribute) and n.attr in ("monotonic", "perf_counter")
               and isinstance(n.value, ast.Name) and n.value.id == "time" for n in ast.walk(tree)):
            users.append(os.path.relpath(path, REPO))
    assert users == sorted(WALL_CLOCK_EXEMPT)


@pytest.mark.parametrize("source, expected", [
    ("import time\nx = time.time()\n", ["m.py:2: time.time() (wall time; use the cluster's clock)"]),
    ("import time as t\nx = t.time_ns()\n", ["m.py:2: time.time_ns() (wall time; use the cluster's clock)"]),
    ("from time import time\n", ["m.py:1: from time import time (wall time)"]),
    ("from datetime import datetime\nd = datetime.now()\n",
     ["m.py:2: datetime.now() (wall time; use the cluster's clock)"]),
    ("import datetime\nd = datetime.datetime.utcnow()\n",
     ["m.py:2: datetime.utcnow() (wall time; use the cluster's clock)"]),
    ("from datetime import date\nd = date.today()\n", ["m.py:2: date.today() (wall time; use the cluster's clock)"]),
    ("import random\nx = random.random()\n", ["m.py:2: random.random() (unseeded randomness; use labsim.rand)"]),
    ("import random as rnd\nrnd.shuffle(xs)\n", ["m.py:2: random.shuffle() (unseeded randomness; use labsim.rand)"]),
    ("from random import choice\n", ["m.py:1: from random import choice (unseeded randomness)"]),
    # allowed: seeded generators, the simulated clock, and mentions in strings
    ("import random\nrng = random.Random('seed')\nx = rng.random()\n", []),
    ("from random import Random\nrng = Random(1)\n", []),
    ("from datetime import datetime, timezone\nEPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)\n", []),
    ('"""never call time.time() or random.random()"""\n', []),
    ("import time\nt = time.monotonic()\n", ["m.py:2: time.monotonic() (wall time; use the cluster's clock)"]),
    ("from time import perf_counter\n", ["m.py:1: from time import perf_counter (wall time)"]),
])
def test_lint_rules(source, expected):
    assert lint_source(source, "m.py") == expected
