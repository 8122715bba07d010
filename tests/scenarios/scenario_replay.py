"""Replays a scenario script from ``tests/scenarios/scripts`` through ``labsim.scenario.run_steps``.

A script is cut into sections at its ``# -- title`` comment lines. All sections run on one cluster,
one after the other (the simulated clock goes on across them), so a test can read what the cluster
looked like at the end of a section (``Section.describe``: ``kubectl describe pod`` of every pod of
the watched namespace, taken after the section's last command) although a later section deletes
those pods. The describes are read-only requests: they change no object and move no clock.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from labsim import Cluster
from labsim.presets import preload_images
from labsim.scenario import Step, run_steps

SCRIPTS = Path(__file__).parent / "scripts"
NODE = "k3d-kubelabs-server-0"
_SECTION = re.compile(r"^# -- (.*)$")


@dataclass
class Section:
    title: str
    steps: list[Step]
    describe: dict[str, str] = field(default_factory=dict)  # pod name -> describe output at the end


@dataclass
class Replay:
    cluster: Cluster
    sections: list[Section]

    @property
    def steps(self) -> list[Step]:
        return [s for sec in self.sections for s in sec.steps]

    def section(self, prefix: str) -> Section:
        found = [s for s in self.sections if s.title.startswith(prefix)]
        assert len(found) == 1, f"no single section titled {prefix!r}: {[s.title for s in self.sections]}"
        return found[0]

    def find(self, command: str, nth: int = 0, section: str | None = None) -> Step:
        """The ``nth`` step whose typed command (first line) is exactly ``command``."""
        steps = self.section(section).steps if section is not None else self.steps
        found = [s for s in steps if s.command == command]
        assert len(found) > nth, f"{command!r} ran {len(found)} times"
        return found[nth]


def split_sections(text: str) -> list[tuple[str, str]]:
    """(title, text) pieces; lines keep their place (blank padding) so ScriptError line numbers stay
    those of the file."""
    pieces: list[tuple[str, list[str]]] = [("", [])]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _SECTION.match(line)
        if m:
            pieces.append((m.group(1).strip(), [""] * i))
        pieces[-1][1].append(line)
    return [(title, "\n".join(body)) for title, body in pieces if any(l.strip() and not l.startswith("#")
                                                                      for l in body)]


def replay(script: str, workdir, images=(), namespace: str = "default", seed: int = 0,
           nodes: int = 1) -> Replay:
    """Run ``scripts/<script>`` on a fresh ``Cluster(seed, nodes)`` whose nodes already hold
    ``images`` (course outline A.4: images a setup uses are pre-pulled)."""
    path = SCRIPTS / script
    cluster = Cluster(seed=seed, nodes=nodes, workdir=str(workdir))
    preload_images(cluster, images)
    sections = []
    for title, text in split_sections(path.read_text(encoding="utf-8")):
        steps = run_steps(text, cluster=cluster, filename=script)
        pods = cluster.kubectl(f"get pods -n {namespace} -o name").stdout.split()
        describe = {p.split("/", 1)[1]: cluster.kubectl(f"describe {p} -n {namespace}").stdout for p in pods}
        sections.append(Section(title, steps, describe))
    return Replay(cluster, sections)


def table(step_or_text) -> dict[str, list[str]]:
    """A kubectl table as {first column: [other columns]} (columns are split at 2+ spaces)."""
    text = step_or_text if isinstance(step_or_text, str) else step_or_text.result.stdout
    rows = [re.split(r"\s{2,}", line.rstrip()) for line in text.splitlines()]
    return {r[0]: r[1:] for r in rows}


def events(describe: str) -> str:
    """The Events part of a describe output (after the ``Events:`` line), or ``<none>``."""
    if describe.endswith("\nEvents:                      <none>\n"):
        return "<none>"
    return describe.split("\nEvents:\n", 1)[1]


# -- comparing tables with the seed's timing slack ------------------------------------------------

#: a HumanDuration cell or part of one: 83s, 5m7s, 4m49s, 109m, 2d3h (not x3, 0/1, 1Gi, 10.42.0.2)
_DURATION = re.compile(r"(?<![\w./])(?:\d+[dhms])+(?![\w/])")
_UNIT = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def seconds(duration: str) -> int:
    return sum(int(n) * _UNIT[u] for n, u in re.findall(r"(\d+)([dhms])", duration))


def _cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def assert_table(actual: str, expected: str, slack: int = 2) -> None:
    """``actual`` has ``expected``'s lines and cells (split at 2+ spaces) with every duration (AGE,
    ``(22s ago)``, ``(x3 over 83s)``) within ``slack`` seconds and everything else identical.

    Why a slack: the simulated sandbox start takes a seeded 0.5-1.5 s and kubelet event times are
    whole seconds, so ages a learner reads differ from a real cluster's by a second or two (the
    brief's "timing differences of a second or two are expected"); reasons, messages, counts,
    states and order must match exactly."""
    a_lines, e_lines = actual.rstrip("\n").split("\n"), expected.rstrip("\n").split("\n")
    assert len(a_lines) == len(e_lines), f"{len(a_lines)} lines, expected {len(e_lines)}:\n{actual}"
    for a_line, e_line in zip(a_lines, e_lines):
        a_cells, e_cells = _cells(a_line), _cells(e_line)
        assert [_DURATION.sub("#", c) for c in a_cells] == [_DURATION.sub("#", c) for c in e_cells], \
            f"\n{a_line}\n!=\n{e_line}"
        for a_cell, e_cell in zip(a_cells, e_cells):
            for a_d, e_d in zip(_DURATION.findall(a_cell), _DURATION.findall(e_cell)):
                assert abs(seconds(a_d) - seconds(e_d)) <= slack, f"{a_d} vs {e_d} in\n{a_line}\n{e_line}"
