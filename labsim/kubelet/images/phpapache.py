"""registry.k8s.io/hpa-example: the HPA walkthrough's php-apache server.

``index.php`` sums square roots a million times and prints ``OK!``; every request therefore costs
CPU. The knob (kept simple until the load model lands): each request costs
:data:`CPU_SECONDS_PER_REQUEST` CPU-seconds, and the model reports its CPU use through
``ctx.report_cpu`` as the average over the last :data:`WINDOW` seconds (millicores), once per
request and once more when the window has drained (no timer while idle).
"""
from __future__ import annotations

from labsim.kubelet.images.httpd import ApacheBase

#: CPU-seconds one ``GET /`` costs (1e6 sqrt additions in PHP 5.6: ~0.2 s of one core)
CPU_SECONDS_PER_REQUEST = 0.2
#: averaging window of the reported CPU use (metrics-server's resolution on k3s is 15 s)
WINDOW = 15.0


class PhpApacheProcess(ApacheBase):
    programs = ("apache2-foreground", "apache2")
    docroot = "/var/www/html"
    server = "Apache/2.4.10 (Debian) PHP/5.6.14"
    mpm = "mpm_prefork"
    command_line = "apache2 -D FOREGROUND"
    log_format = "combined"
    tid = ""

    def __init__(self, ctx, info):
        super().__init__(ctx, info)
        self.requests: list[float] = []
        self._drain = None

    def serve(self, req):
        if req.path in ("/", "/index.php") and self.ctx.fs.is_file("/var/www/html/index.php"):
            self._cost()
            return 200, "OK!", {}
        return super().serve(req)

    def millicores(self) -> float:
        cutoff = self.now - WINDOW
        self.requests = [t for t in self.requests if t > cutoff]
        return round(len(self.requests) * CPU_SECONDS_PER_REQUEST / WINDOW * 1000, 3)

    def _cost(self) -> None:
        self.requests.append(self.now)
        self.ctx.report_cpu(self.millicores())
        if self._drain is not None:
            self._drain.cancel()
        self._drain = self.later(WINDOW, self._drained)

    def _drained(self) -> None:
        self._drain = None
        self.ctx.report_cpu(self.millicores())
