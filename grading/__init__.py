"""Grading for kubelabs: labs as data plus checks, replayed on fresh simulated clusters.

    >>> from grading import grade_answer
    >>> v = grade_answer("01.3", "p1: Failed\\np2: Running\\np3: Running\\np4: Succeeded\\n")
    >>> v.points, v.max_points
    (4.0, 4)

Graders read only declared answers (the text of ``answers/NN.k.*``), never a learner's live
objects (reliability C3). The sandboxed autograder (subprocess, rlimits) comes with the nbgrader
course; :func:`grade_answer` is what it will call.
"""
from __future__ import annotations

from grading.engine import Verdict, evaluate

__all__ = ["Verdict", "grade_answer", "get_lab"]


def get_lab(lab_id: str):
    from grading.labs import get

    return get(lab_id)


def grade_answer(lab_id: str, answer: str) -> Verdict:
    """Replay ``answer`` for lab ``lab_id`` on fresh clusters and return the :class:`Verdict`."""
    return evaluate(get_lab(lab_id), answer)
