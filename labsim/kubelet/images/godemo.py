"""vfarcic/go-demo-2: the course's Go API (port 8080) that needs MongoDB.

The program (vfarcic/go-demo main.go, which go-demo-2 follows) reads ``DB`` (image default ``db``;
the seed sets ``localhost`` or ``go-demo-2-db``), calls ``mgo.Dial(db)`` and panics when no server
is reachable. ``mgo.Dial`` keeps trying for its 10 s default timeout (mgo.v2 ``Dial`` ->
``DialWithTimeout(url, 10*time.Second)``), then returns ``no reachable servers``; the panic exits
with code 2. So an api container without its database runs ~10 s, exits 2 and crash-loops, and one
whose database comes up within 10 s (mongo in the same pod) starts serving.

Requests are logged with Go's ``log.Printf("%s request to %s\n", ...)``:
``2026/11/24 09:00:40 GET request to /demo/hello``.
"""
from __future__ import annotations

from labsim.kubelet.images.base import ConnectionRefused, HTTPResponse, Timeout
from labsim.kubelet.images.common import ImageProcess
from labsim.kubelet.images.http import go_log_time, make_request, response

DIAL_TIMEOUT = 10.0
DIAL_RETRY = 0.5  # mgo's cluster sync loop re-tries about twice a second


class GoDemoProcess(ImageProcess):
    baseline_memory = 6 * 1024 * 1024
    shell_programs = "busybox"  # FROM alpine:3.4

    def start(self) -> None:
        argv = list(self.argv)
        if not argv or argv[0].split("/")[-1] != "go-demo":
            if argv:
                self.run_other(argv)
            else:
                self.fail_start('exec: "": executable file not found in $PATH')
            return
        self.running = True
        self.db = self.env.get("DB") or "localhost"
        self.started_dial = self.now
        self._dial()

    def _db_host_port(self) -> tuple[str, int]:
        host = self.db.split(",")[0]
        if host.startswith("mongodb://"):
            host = host[len("mongodb://"):].split("/")[0]
        if ":" in host:
            h, p = host.rsplit(":", 1)
            if p.isdigit():
                return h, int(p)
        return host, 27017

    def _dial(self) -> None:
        if not self.running:
            return
        host, port = self._db_host_port()
        try:
            self.ctx.network.tcp_connect(self.ctx.pod, host, port)
        except (ConnectionRefused, Timeout, LookupError, OSError):
            if self.now - self.started_dial + DIAL_RETRY > DIAL_TIMEOUT:
                self.later(self.started_dial + DIAL_TIMEOUT - self.now, self._panic)
            else:
                self.later(DIAL_RETRY, self._dial)
            return
        self.listening = {8080}
        self.ctx.report_memory(self.baseline_memory)

    def _panic(self) -> None:
        for line in ("panic: no reachable servers", "", "goroutine 1 [running]:", "main.setupDb()",
                     "\t/src/main.go:54 +0x1d0", "main.main()", "\t/src/main.go:41 +0x4d"):
            self.ctx.log(line, "stderr")
        self._die(2)

    def on_signal(self, sig: str) -> None:
        # no signal handling in the program: Go's default action for SIGTERM/SIGINT ends it
        super().on_signal(sig)

    def http_get(self, port, path, headers=None, client_ip=None) -> HTTPResponse:
        if self.delegate is not None:
            return super().http_get(port, path, headers, client_ip)
        if not self.running or port not in self.listening:
            raise ConnectionRefused()
        req = make_request(self.ctx, port, path, headers, client_ip)
        if req.path in ("/demo/hello", "/demo/person", "/demo/random-error"):
            self.ctx.log(f"{go_log_time(self.now)} {req.method} request to {req.target}", "stderr")
        if req.path == "/demo/hello":
            return response(200, "hello, world!\n", "text/plain; charset=utf-8")
        if req.path == "/demo/person":
            return response(200, "", "text/plain; charset=utf-8")
        if req.path == "/demo/random-error":
            if self.ctx.rng.randrange(10) == 0:
                self.ctx.log(f"{go_log_time(self.now)} ERROR: Something, somewhere, went wrong!", "stderr")
                return response(500, "ERROR: Something, somewhere, went wrong!\n", "text/plain; charset=utf-8")
            return response(200, "Everything is still OK\n", "text/plain; charset=utf-8")
        if req.path == "/metrics":
            return response(200, "# HELP http_server_resp_time Request response time\n", "text/plain; version=0.0.4")
        return response(404, "404 page not found\n", "text/plain; charset=utf-8")
