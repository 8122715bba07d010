"""agilestacks/fluentd-elasticsearch: a fluentd log shipper (the course's DaemonSet image).

It runs until stopped and logs fluentd's start-up lines; it serves nothing a learner queries.
Without an ``elasticsearch-logging`` service it warns about the connection (fluent-plugin-
elasticsearch retries with back-off; only the first warning is logged, so the model stays idle).
"""
from __future__ import annotations

from datetime import timedelta

from labsim.clock import EPOCH
from labsim.kubelet.images.common import ImageProcess


def _ts(t: float) -> str:
    return (EPOCH + timedelta(seconds=t)).strftime("%Y-%m-%d %H:%M:%S +0000")


class FluentdProcess(ImageProcess):
    baseline_memory = 70 * 1024 * 1024

    def _log(self, level: str, text: str) -> None:
        self.ctx.log(f"{_ts(self.now)} [{level}]: {text}", "stdout")

    def start(self) -> None:
        argv = list(self.argv)
        if not argv or argv[0] not in ("/run.sh", "run.sh", "fluentd", "td-agent"):
            if argv:
                self.run_other(argv)
            else:
                self.fail_start('exec: "": executable file not found in $PATH')
            return
        self.running = True
        self._log("info", 'parsing config file is succeeded path="/etc/td-agent/td-agent.conf"')
        self._log("info", "using configuration file: <ROOT> ... </ROOT>")
        self._log("info", "starting fluentd-1.2.5 without supervision pid=1 ruby=\"2.3.3\"")
        self._log("info", "gem 'fluent-plugin-elasticsearch' version '2.11.5'")
        self._log("info", "adding source type=\"tail\"")
        self.later(1.0, self._connect)

    def _connect(self) -> None:
        self._log("warn", "Could not communicate to Elasticsearch, resetting connection and trying "
                  "again. getaddrinfo: Name or service not known (SocketError)")
        self.ctx.report_memory(self.baseline_memory)

    def on_signal(self, sig: str) -> None:
        if not self.running:
            return
        if sig in ("SIGTERM", "SIGINT"):
            self._log("info", "shutting down fluentd worker worker=0")
            self._log("info", "shutting down input plugin type=:tail plugin_id=\"object:3fd0f1d4\"")
            self.later(0.5, self._die, 0)
        else:
            super().on_signal(sig)
