"""InfluxDB 2.x (docker-library ``influxdb``): ``influxd`` on port 8086 after ~1 s.

``/health`` answers the JSON health document, ``/ping`` 204; logs are influxd's logfmt lines.
SIGTERM/SIGINT: "Terminating precreation service" ... exit 0.
"""
from __future__ import annotations

import json
from datetime import timedelta

from labsim.clock import EPOCH
from labsim.kubelet.images.base import ConnectionRefused, HTTPResponse
from labsim.kubelet.images.common import ImageProcess
from labsim.kubelet.images.http import response


def _ts(t: float) -> str:
    d = EPOCH + timedelta(seconds=t)
    return f"{d:%Y-%m-%dT%H:%M:%S}.{d.microsecond:06d}Z"


class InfluxdbProcess(ImageProcess):
    baseline_memory = 80 * 1024 * 1024
    LOG_ID = "0sL7DQ2l000"

    def _log(self, msg: str, **kv: str) -> None:
        extra = "".join(f" {k}={v}" for k, v in kv.items())
        self.ctx.log(f'ts={_ts(self.now)} lvl=info msg="{msg}" log_id={self.LOG_ID}{extra}', "stdout")

    def start(self) -> None:
        argv = list(self.argv)
        if argv and argv[0].split("/")[-1] == "entrypoint.sh":
            argv = argv[1:]
            if not argv or argv[0].startswith("-"):
                argv = ["influxd"] + argv
        if not argv or argv[0].split("/")[-1] != "influxd":
            if argv:
                self.run_other(argv)
            else:
                self.fail_start('exec: "": executable file not found in $PATH')
            return
        self.running = True
        self._log("Welcome to InfluxDB", version=f"v{self.info.version}", commit="2b4b8ec8c4",
                  build_date="2025-05-29T14:38:41Z", log_level="info")
        self._log("Resources opened", service="bolt", path="/var/lib/influxdb2/influxd.bolt")
        self._log("Resources opened", service="sqlite", path="/var/lib/influxdb2/influxd.sqlite")
        self.later(1.0, self._listen)

    def _listen(self) -> None:
        self._log("Starting", service="telemetry", interval="8h")
        self._log("Listening", service="tcp-listener", transport="http", addr=":8086", port="8086")
        self.listening = {8086}
        self.ctx.report_memory(self.baseline_memory)

    def on_signal(self, sig: str) -> None:
        if not self.running:
            return
        if sig in ("SIGTERM", "SIGINT"):
            self.listening = set()
            self._log("Terminating precreation service", service="shard-precreation")
            self._log("Stopping", service="tcp-listener")
            self.later(0.2, self._die, 0)
        else:
            super().on_signal(sig)

    def http_get(self, port, path, headers=None, client_ip=None) -> HTTPResponse:
        if self.delegate is not None:
            return super().http_get(port, path, headers, client_ip)
        if not self.running or port not in self.listening:
            raise ConnectionRefused()
        p = path.split("?")[0]
        if p == "/health":
            doc = {"name": "influxdb", "message": "ready for queries and writes", "status": "pass",
                   "checks": [], "version": f"v{self.info.version}", "commit": "2b4b8ec8c4"}
            return response(200, json.dumps(doc, indent="  ") + "\n", "application/json; charset=utf-8")
        if p == "/ping":
            return response(204, "", "text/plain")
        if p == "/":
            return response(307, "", "text/html", Location="/signin")
        return response(404, '{"code":"not found","message":"path not found"}',
                        "application/json; charset=utf-8")
