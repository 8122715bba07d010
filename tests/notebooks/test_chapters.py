"""Every chapter notebook runs top to bottom, fast, and says the same thing twice.

Each ``notebooks/NN-topic/NN-topic.ipynb`` is executed with nbclient on the ``python3`` kernel of
the test venv, in a temporary copy of its folder (``%%writefile`` and ``%%answer`` write files
there, never into the repository). The rules come from the project's notes:

- no cell raises (an ``error`` output); a lab's ``check`` cell run on the starter answer prints the
  self-check instead of raising;
- no cell takes more than 5 s of wall time, the whole chapter less than 20 s, and no cell prints
  more than 100 KB (performance.md #16);
- a second execution on a fresh kernel gives byte-identical text outputs (reliability.md C4.9:
  the simulation is seeded, so the same cells must print the same thing);
- with each lab's reference answer (from ``grading.labs``) in its ``%%answer`` cell, every
  self-check reports full marks.

Cells that run a kubectl verb or feature the simulator does not have yet still execute (the
simulator answers ``… is not available in this simulated cluster``); ``test_chapter_needs_nothing_
the_simulator_lacks`` lists them as an expected failure until the feature lands, so they are never
silently skipped.
"""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(REPO.glob("notebooks/[0-9][0-9]-*/[0-9][0-9]-*.ipynb"))
CHAPTER_IDS = [p.parent.name for p in NOTEBOOKS]

MAX_CELL_SECONDS = 5.0
MAX_CHAPTER_SECONDS = 20.0
MAX_OUTPUT_BYTES = 100 * 1024
KERNEL = "python3"

#: what the simulator prints for a verb or option it does not implement yet
MISSING = re.compile(r'.*(?:is not available in this simulated cluster|not simulated yet).*')
ANSWER_CELL = re.compile(r"\A%%answer[ \t]+(\d\d\.\d+)[ \t]*\n")
CHECK_CELL = re.compile(r'\Acheck\(\s*"(\d\d\.\d+)"\s*\)\s*\Z')
#: the self-check's last line ends with the points: ``3/4 visible checks pass · 2.25/3 pts``
SCORE = re.compile(r"(?m)^  .*?(\d+(?:\.\d+)?)/(\d+) pts\b")


def full_marks(text: str) -> bool | None:
    """True/False from the self-check's points line; None when there is none."""
    m = SCORE.search(text)
    return None if m is None else float(m.group(1)) == float(m.group(2))


class Execution:
    """One run of a notebook: the executed cells and the wall time of each code cell."""

    def __init__(self, nb, seconds: dict[int, float], total: float):
        self.nb = nb
        self.seconds = seconds
        self.total = total

    def code_cells(self):
        return [(i, c) for i, c in enumerate(self.nb.cells) if c.cell_type == "code"]

    def text(self, cell) -> str:
        """What the learner reads under a cell: streams and the text of rich outputs, in order."""
        parts = []
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                parts.append(o.text)
            elif o.output_type in ("execute_result", "display_data"):
                parts.append(o.get("data", {}).get("text/plain", ""))
            elif o.output_type == "error":
                parts.append(f"{o.ename}: {o.evalue}\n")
        return "".join(parts)


def execute(path: Path, workdir: Path, answers: dict[str, str] | None = None) -> Execution:
    """Execute a copy of the notebook in ``workdir`` (a copy of its folder). ``answers`` replaces the
    body of ``%%answer NN.k`` cells."""
    if workdir.exists():
        shutil.rmtree(workdir)
    shutil.copytree(path.parent, workdir)
    nb = nbformat.read(workdir / path.name, as_version=4)
    if answers:
        for cell in nb.cells:
            m = ANSWER_CELL.match(cell.source) if cell.cell_type == "code" else None
            if m and m.group(1) in answers:
                cell.source = m.group(0) + answers[m.group(1)]
    started: dict[int, float] = {}
    seconds: dict[int, float] = {}

    def on_start(cell, cell_index):
        started[cell_index] = time.perf_counter()

    def on_done(cell, cell_index, execute_reply):
        seconds[cell_index] = time.perf_counter() - started[cell_index]

    client = nbclient.NotebookClient(
        nb, kernel_name=KERNEL, timeout=120, allow_errors=True,
        resources={"metadata": {"path": str(workdir)}},
        on_cell_execute=on_start, on_cell_executed=on_done)
    with client.setup_kernel():
        t0 = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        total = time.perf_counter() - t0
    return Execution(nb, seconds, total)


_cache: dict[tuple[str, str], Execution] = {}


def run(chapter: str, flavour: str, tmp_root: Path) -> Execution:
    """Executions are shared by the tests of a chapter: ``first`` and ``second`` with the starter
    answers (the second on a fresh kernel, for determinism), ``reference`` with grading's answers."""
    key = (chapter, flavour)
    if key not in _cache:
        path = NOTEBOOKS[CHAPTER_IDS.index(chapter)]
        answers = reference_answers(path) if flavour == "reference" else None
        _cache[key] = execute(path, tmp_root / f"{chapter}-{flavour}", answers)
    return _cache[key]


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory):
    return tmp_path_factory.mktemp("chapters")


def lab_ids(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [m.group(1) for c in nb.cells if c.cell_type == "code" and (m := ANSWER_CELL.match(c.source))]


def reference_answers(path: Path) -> dict[str, str]:
    from grading.labs import get

    return {lab_id: get(lab_id).answer for lab_id in lab_ids(path)}


def where(ex: Execution, index: int) -> str:
    first = ex.nb.cells[index].source.splitlines()[0] if ex.nb.cells[index].source else ""
    return f"cell {index} ({first!r})"


# -- the committed files ----------------------------------------------------------------------------

def test_every_chapter_folder_has_its_notebook():
    folders = sorted(p.name for p in (REPO / "notebooks").iterdir() if p.is_dir() and re.match(r"\d\d-", p.name)
                     and not p.name.startswith("."))
    assert folders == CHAPTER_IDS
    for path in NOTEBOOKS:
        assert path.stem == path.parent.name


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_notebook_is_committed_clean(chapter):
    """No outputs and no execution counts in the repository; the first code cell starts the chapter."""
    path = NOTEBOOKS[CHAPTER_IDS.index(chapter)]
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c in code:
        assert c.outputs == [] and c.execution_count is None, c.source[:60]
    nn = chapter[:2]
    assert code[0].source == f'from labsim.course import *\nchapter("{nn}")'


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_labs_have_the_four_cells(chapter):
    """Each lab: a markdown task headed ``### Lab NN.k · kind · N pts``, then ``lab``, ``%%answer``,
    ``check`` and ``hint`` cells, in that order, for every lab grading defines for the chapter."""
    path = NOTEBOOKS[CHAPTER_IDS.index(chapter)]
    nb = nbformat.read(path, as_version=4)
    cells = nb.cells
    ids = lab_ids(path)
    assert ids, "a chapter without labs"
    for lab_id in ids:
        i = next(k for k, c in enumerate(cells) if c.cell_type == "code" and c.source.startswith(f"%%answer {lab_id}\n"))
        assert cells[i - 2].cell_type == "markdown" and cells[i - 2].source.startswith(f"### Lab {lab_id} · ")
        assert cells[i - 1].source == f'lab("{lab_id}")'
        assert cells[i + 1].source == f'check("{lab_id}")'
        assert cells[i + 2].source == f'hint("{lab_id}")'
    from grading.labs import chapter_labs, get

    assert ids == [lab.id for lab in chapter_labs(chapter[:2])]
    for lab_id in ids:
        lab = get(lab_id)
        heading = cells[next(k for k, c in enumerate(cells) if c.source.startswith(f"### Lab {lab_id} · "))].source
        assert heading.startswith(f"### Lab {lab_id} · {lab.kind} · {lab.points} pts"), heading.splitlines()[0]
        body = next(c.source for c in cells if c.source.startswith(f"%%answer {lab_id}\n"))
        assert body.split("\n", 1)[1] == lab.starter.rstrip("\n"), f"{lab_id}: the cell's starter differs from grading's"


# -- executing them --------------------------------------------------------------------------------

@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_chapter_executes_without_errors(chapter, tmp_root):
    ex = run(chapter, "first", tmp_root)
    errors = [f"{where(ex, i)}: {o.ename}: {o.evalue}" for i, c in ex.code_cells()
              for o in c.outputs if o.output_type == "error"]
    assert not errors, "\n".join(errors)


#: a generated pod name typed into a cell (``go-demo-2-48rp5``): the seeded cluster of the chapter
#: gives the learner the same name, and the text around the cell talks about that pod
TYPED_POD = re.compile(r"\b((?:[a-z0-9]+-)+[bcdfghjklmnpqrstvwxz2456789]{5})\b")


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_pod_names_typed_in_cells_exist(chapter, tmp_root):
    """A cell that names a generated pod finds it: if the simulator ever draws other names for the
    same seed, the chapter must be updated, not silently print NotFound."""
    ex = run(chapter, "first", tmp_root)
    missing = []
    for i, c in ex.code_cells():
        if not any(line.startswith("%kubectl") for line in c.source.splitlines()):
            continue
        for name in TYPED_POD.findall(c.source):
            if f'pods "{name}" not found' in ex.text(c):
                missing.append(f"{where(ex, i)}: {name}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_chapter_is_fast_and_prints_little(chapter, tmp_root):
    ex = run(chapter, "first", tmp_root)
    slow = [f"{where(ex, i)}: {s:.2f} s" for i, s in sorted(ex.seconds.items()) if s > MAX_CELL_SECONDS]
    assert not slow, "cells over 5 s:\n" + "\n".join(slow)
    assert ex.total < MAX_CHAPTER_SECONDS, f"the chapter took {ex.total:.1f} s"
    big = [f"{where(ex, i)}: {len(json.dumps(c.outputs))} bytes" for i, c in ex.code_cells()
           if len(json.dumps(c.outputs).encode()) > MAX_OUTPUT_BYTES]
    assert not big, "outputs over 100 KB:\n" + "\n".join(big)


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_rerun_prints_identical_text(chapter, tmp_root):
    first = run(chapter, "first", tmp_root)
    second = run(chapter, "second", tmp_root)
    diffs = []
    for (i, a), (_, b) in zip(first.code_cells(), second.code_cells()):
        # the workdir differs between the runs; nothing else may
        ta = first.text(a).replace(str(tmp_root / f"{chapter}-first"), "<dir>")
        tb = second.text(b).replace(str(tmp_root / f"{chapter}-second"), "<dir>")
        if ta != tb:
            diffs.append(f"{where(first, i)}:\n--- first\n{ta}\n--- second\n{tb}")
    assert not diffs, "\n".join(diffs[:3])


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_self_check_runs_on_the_starter(chapter, tmp_root):
    """``check`` on the untouched starter prints a self-check (it must not raise, and it must not
    claim full marks for a starter that does not solve the lab)."""
    ex = run(chapter, "first", tmp_root)
    seen = []
    for i, c in ex.code_cells():
        m = CHECK_CELL.match(c.source)
        if not m:
            continue
        text = ex.text(c)
        assert f"Lab {m.group(1)}" in text and "self-check" in text, f"{where(ex, i)} printed:\n{text}"
        assert full_marks(text) is False, f"{where(ex, i)}: no points line, or the starter passes:\n{text}"
        seen.append(m.group(1))
    assert seen == lab_ids(NOTEBOOKS[CHAPTER_IDS.index(chapter)])


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_reference_answers_get_full_marks(chapter, tmp_root):
    ex = run(chapter, "reference", tmp_root)
    errors = [f"{where(ex, i)}: {o.ename}: {o.evalue}" for i, c in ex.code_cells()
              for o in c.outputs if o.output_type == "error"]
    assert not errors, "\n".join(errors)
    short = []
    for i, c in ex.code_cells():
        if CHECK_CELL.match(c.source):
            text = ex.text(c)
            if not full_marks(text):
                short.append(f"{where(ex, i)}:\n{text}")
    assert not short, "reference answers without full marks:\n" + "\n".join(short)
    slow = [f"{where(ex, i)}: {s:.2f} s" for i, s in sorted(ex.seconds.items()) if s > MAX_CELL_SECONDS]
    assert not slow, "cells over 5 s:\n" + "\n".join(slow)
    assert ex.total < MAX_CHAPTER_SECONDS, f"the chapter took {ex.total:.1f} s"


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_chapter_needs_nothing_the_simulator_lacks(chapter, tmp_root):
    """A cell whose command the simulator cannot run yet is kept (the chapter is written for the full
    course) but reported here, cell by cell, as an expected failure until the feature lands."""
    ex = run(chapter, "first", tmp_root)
    missing = [f"{where(ex, i)}: {line.strip()}" for i, c in ex.code_cells()
               for line in ex.text(c).splitlines() if MISSING.fullmatch(line)]
    if missing:
        pytest.xfail("the simulator lacks what these cells use:\n" + "\n".join(missing))
