"""A fake container context for shell tests: clock, files, logs, exits, and a fake network."""
from __future__ import annotations

import random

import pytest

from labsim.clock import SimClock
from labsim.kubelet.images.base import ConnectionRefused, ContainerSpecView, HTTPResponse, Timeout
from labsim.kubelet.images.busybox import busybox_files, pod_etc_files
from labsim.kubelet.images.fs import LayeredFS


class FakeNetwork:
    """Pods and services by IP; DNS names (FQDN) to IPs."""

    def __init__(self):
        self.dns = {"nginx.default.svc.cluster.local": ["10.43.0.5"],
                    "web.default.svc.cluster.local": ["10.43.0.7"]}
        self.http = {("10.43.0.5", 80): {"/": (200, "<h1>nginx</h1>\n"), "/missing": (404, "")},
                     ("10.43.0.9", 80): "timeout"}

    def resolve(self, pod, name):
        absolute = name.endswith(".")
        name = name.rstrip(".")
        if absolute:
            return list(self.dns.get(name, []))
        for cand in ([f"{name}.default.svc.cluster.local", f"{name}.svc.cluster.local",
                      f"{name}.cluster.local", name]):
            if cand in self.dns:
                return list(self.dns[cand])
        return []

    def http_get(self, pod, host, port, path, headers=None, timeout=1.0):
        target = self.http.get((host, port))
        if target is None:
            raise ConnectionRefused()
        if target == "timeout":
            raise Timeout()
        status, body = target.get(path, (404, "not found\n"))
        return HTTPResponse(status, body, {"Server": "nginx/1.27.5"})

    def tcp_connect(self, pod, host, port, timeout=1.0):
        if (host, port) not in self.http:
            raise ConnectionRefused()


class FakeCtx:
    def __init__(self, command=None, args=None, env=None):
        self.clock = SimClock(30.0)
        self.rng = random.Random(0)
        self.spec = ContainerSpecView("c", "busybox", command, args, dict(env or {}), None, [], {}, {})
        self.fs = LayeredFS(busybox_files())
        self.pod = {"metadata": {"name": "box", "namespace": "default"}}
        self.pod_ip = "10.42.0.8"
        self.hostname = "box"
        self.network = FakeNetwork()
        self.logs: list[tuple[float, str, str]] = []
        self.exits: list[tuple] = []
        self.cpu: list[float] = []
        for p, d in pod_etc_files(self).items():
            self.fs.write(p, d)

    def log(self, line, stream="stdout"):
        self.logs.append((self.clock.now, stream, line))

    def exited(self, code, reason=None, message=None):
        self.exits.append((self.clock.now, code, reason, message))

    def report_memory(self, b):
        pass

    def report_cpu(self, m):
        self.cpu.append(m)


@pytest.fixture
def ctx():
    return FakeCtx()
