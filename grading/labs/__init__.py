"""The lab registry: every lab of the course by id (``"01.3"``)."""
from __future__ import annotations

from grading.engine import Lab

__all__ = ["LABS", "get", "chapter_labs"]


def _collect() -> dict[str, Lab]:
    from grading.labs import ch01, ch02, ch03, ch05

    labs: dict[str, Lab] = {}
    for module in (ch01, ch02, ch03, ch05):
        for lab in module.LABS:
            if lab.id in labs:
                raise ValueError(f"lab {lab.id} is defined twice")
            labs[lab.id] = lab
    return labs


LABS: dict[str, Lab] = _collect()


def get(lab_id: str) -> Lab:
    """The lab with this id; ``KeyError`` naming the labs that exist otherwise."""
    lab_id = str(lab_id).strip()
    lab = LABS.get(lab_id)
    if lab is None:
        chapter = lab_id.split(".")[0]
        ids = [i for i in LABS if i.startswith(chapter + ".")] or list(LABS)
        raise KeyError(f"no lab {lab_id!r}: the labs are {', '.join(ids)}")
    return lab


def chapter_labs(chapter: str) -> list[Lab]:
    return [lab for lab in LABS.values() if lab.chapter == chapter]
