"""Apache httpd 2.4 (docker-library ``httpd``): ``httpd-foreground`` serving htdocs on port 80.

It works! page from ``/usr/local/apache2/htdocs`` (container filesystem), Apache's canned 404/403
documents, common log format access lines on stdout, error log on stderr. STOPSIGNAL SIGWINCH
(graceful stop, exit 0); SIGTERM/SIGINT stop at once (exit 0).
"""
from __future__ import annotations

import posixpath

from labsim.kubelet.images.base import ConnectionRefused, HTTPResponse
from labsim.kubelet.images.common import ImageProcess
from labsim.kubelet.images.http import (
    apache_error_page, apache_log_time, body_bytes, clf_time, make_request, response)


class ApacheBase(ImageProcess):
    """Shared by httpd and php-apache: prefork/event MPM lifecycle, access log, static files."""

    programs: tuple[str, ...] = ("httpd-foreground",)
    docroot = "/usr/local/apache2/htdocs"
    server = "Apache/2.4.65 (Unix)"
    mpm = "mpm_event"
    command_line = "httpd -D FOREGROUND"
    log_format = "common"
    tid = ":tid 140274812434304"
    baseline_memory = 12 * 1024 * 1024

    def start(self) -> None:
        argv = list(self.argv)
        if argv and argv[0].split("/")[-1] == "docker-php-entrypoint":
            argv = argv[1:]
        if not argv or argv[0].split("/")[-1] not in self.programs:
            if argv:
                self.run_other(argv)
            else:
                self.fail_start('exec: "": executable file not found in $PATH')
            return
        self.running = True
        t = apache_log_time(self.now)
        prog = self.command_line.split()[0]
        for _ in range(2):
            self.ctx.log(f"AH00558: {prog}: Could not reliably determine the server's fully "
                         f"qualified domain name, using {self.ctx.pod_ip}. Set the 'ServerName' "
                         "directive globally to suppress this message", "stderr")
        self.ctx.log(f"[{t}] [{self.mpm}:notice] [pid 1{self.tid}] AH00489: {self.server} "
                     "configured -- resuming normal operations", "stderr")
        self.ctx.log(f"[{t}] [core:notice] [pid 1{self.tid}] AH00094: Command line: "
                     f"'{self.command_line}'", "stderr")
        self.listening = {80}
        self.ctx.report_memory(self.baseline_memory)

    def on_signal(self, sig: str) -> None:
        if not self.running:
            return
        t = apache_log_time(self.now)
        if sig == "SIGWINCH":
            self.ctx.log(f"[{t}] [{self.mpm}:notice] [pid 1{self.tid}] AH00492: caught SIGWINCH, "
                         "shutting down gracefully", "stderr")
        elif sig in ("SIGTERM", "SIGINT"):
            self.ctx.log(f"[{t}] [{self.mpm}:notice] [pid 1{self.tid}] AH00491: caught SIGTERM, "
                         "shutting down", "stderr")
        elif sig in ("SIGHUP", "SIGUSR1"):
            return  # restart / graceful restart: keeps serving
        else:
            super().on_signal(sig)
            return
        self.listening = set()
        self.later(0.05, self._die, 0)

    def http_get(self, port, path, headers=None, client_ip=None) -> HTTPResponse:
        if self.delegate is not None:
            return super().http_get(port, path, headers, client_ip)
        if not self.running or port not in self.listening:
            raise ConnectionRefused()
        req = make_request(self.ctx, port, path, headers, client_ip)
        status, body, extra = self.serve(req)
        line = (f'{req.client_ip} - - [{clf_time(self.now)}] "{req.method} {req.target} HTTP/1.1" '
                f"{status} {body_bytes(body) if body else '-'}")
        if self.log_format == "combined":
            line += f' "{req.header("Referer", "-")}" "{req.user_agent}"'
        self.ctx.log(line, "stdout")
        return response(status, body, **extra)

    def serve(self, req):
        fs = self.ctx.fs
        uri = posixpath.normpath("/" + req.path.lstrip("/"))
        full = self.docroot + (uri if uri != "/" else "")
        if fs.is_dir(full or "/"):
            if not req.path.endswith("/"):
                return 301, "", {"Location": f"http://{req.host}{uri}/"}
            index = full.rstrip("/") + "/index.html"
            if fs.is_file(index):
                return 200, fs.read(index), {}
            return 403, apache_error_page(403), {}
        if fs.is_file(full):
            return 200, fs.read(full), {}
        return 404, apache_error_page(404), {}


class HttpdProcess(ApacheBase):
    pass
