"""The pause container (``registry.k8s.io/pause``, ``gcr.io/google_containers/pause``).

pause 3.x (kubernetes build/pause/linux/pause.c) installs handlers for SIGINT and SIGTERM that
print ``Shutting down, got signal: <name>`` (psignal) and exit 0, and sleeps forever otherwise.
pause 2.0 had no handlers: as PID 1 without a handler the kernel ignores SIGTERM/SIGINT, so only
SIGKILL ends it. Nothing is scheduled while it runs.
"""
from __future__ import annotations

from labsim.kubelet.images.common import ImageProcess

_NAMES = {"SIGTERM": "Terminated", "SIGINT": "Interrupt"}


class PauseProcess(ImageProcess):
    baseline_memory = 256 * 1024

    def start(self) -> None:
        argv = list(self.argv)
        if not argv or argv[0] not in ("/pause", "pause"):
            if argv:
                self.run_other(argv)
            else:
                self.fail_start('exec: "": executable file not found in $PATH')
            return
        self.running = True
        if "-v" in argv[1:]:
            self.ctx.log(f"pause.c v{self.info.version}", "stdout")
            self._die(0)
            return
        self.ctx.report_memory(self.baseline_memory)

    def on_signal(self, sig: str) -> None:
        if not self.running:
            return
        if sig in _NAMES:
            if self.info.extra.get("handles_term"):
                self.ctx.log(f"Shutting down, got signal: {_NAMES[sig]}", "stderr")
                self._die(0)
            return  # PID 1 without a handler: ignored
        if sig == "SIGCHLD":
            return
        super().on_signal(sig)
