"""A test double of the documented kubelet API for kubectl logs/exec tests (issue 4 contract:
``cluster.kubelet_for(node) -> Kubelet``, ``Kubelet.container_logs(pod, container, previous)
-> [LogLine(time, stream, text)]``, ``Kubelet.exec(pod, container, argv, stdin, tty) ->
ExecResult``). It answers from fixed data so kubectl's side can be checked on its own; the
scenario tests run against the real kubelet once it exists. Not part of labsim."""
from __future__ import annotations

from dataclasses import dataclass

from labsim.errors import KubectlError
from labsim.kubelet.images.base import ExecResult


@dataclass
class LogLine:
    time: float
    stream: str
    text: str


class DoubleKubelet:
    def __init__(self):
        #: (pod, container, previous) -> lines
        self.logs: dict[tuple[str, str, bool], list[LogLine]] = {}
        #: (pod, container) -> fn(argv, stdin) -> ExecResult
        self.commands: dict[tuple[str, str], object] = {}
        self.calls: list[tuple] = []

    def container_logs(self, pod: dict, container: str, previous: bool = False) -> list[LogLine]:
        name = pod["metadata"]["name"]
        self.calls.append(("logs", name, container, previous))
        key = (name, container, previous)
        if key not in self.logs:
            if previous:
                raise KubectlError(f'previous terminated container "{container}" in pod "{name}" not found')
            raise KubectlError(f'container "{container}" in pod "{name}" is waiting to start: ContainerCreating')
        return self.logs[key]

    def exec(self, pod: dict, container: str, argv: list[str], stdin: str | None = None, tty: bool = False):
        name = pod["metadata"]["name"]
        self.calls.append(("exec", name, container, tuple(argv), stdin, tty))
        fn = self.commands.get((name, container))
        if fn is None:
            raise KubectlError(f'unable to upgrade connection: container not found ("{container}")')
        return fn(argv, stdin)


def install(cluster) -> DoubleKubelet:
    k = DoubleKubelet()
    cluster.kubelet_for = lambda node: k
    return k


def ok(stdout: str = "", stderr: str = "", code: int = 0):
    return lambda argv, stdin: ExecResult(code, stdout, stderr)
