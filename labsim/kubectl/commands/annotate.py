"""``kubectl annotate`` (``kubernetes/kubectl: pkg/cmd/annotate/annotate.go``): the label machinery
with annotate's messages (``annotated`` always; ``--overwrite is false but found the following
declared annotation(s): ...``; the change-cause annotation may always be overwritten)."""
from __future__ import annotations

from labsim.kubectl.cli import command
from labsim.kubectl.commands.label import run_metadata_verb


@command("annotate")
def annotate(inv) -> None:
    run_metadata_verb(inv, "annotations")
