"""nginx (docker-library ``nginx`` images and ``registry.k8s.io/nginx-slim``).

What a learner observes, modelled:

- ``/docker-entrypoint.sh`` prints its configuration lines (stdout) when the command is ``nginx``,
  then nginx's notices go to the error log, which the image links to stderr; the access log
  (``log_format main`` = combined + ``"$http_x_forwarded_for"``) is linked to stdout.
- the default server serves ``/usr/share/nginx/html`` from the *container filesystem*, so
  ``kubectl exec web -- rm /usr/share/nginx/html/index.html`` changes what is served (403 for ``/``,
  404 for ``/index.html``), and a restart (new writable layer) brings the page back.
- a directory without trailing slash redirects (301), a directory without index.html is 403
  (``directory index of "..." is forbidden``), a missing file is 404 (``open() "..." failed
  (2: No such file or directory)``), as ngx_http_static_module/ngx_http_index_module do.
- STOPSIGNAL SIGQUIT: graceful shutdown, exit 0; SIGTERM/SIGINT: fast shutdown, exit 0.
- ``nginx`` without ``-g 'daemon off;'`` daemonizes: PID 1 exits 0 at once (a classic mistake).

Approximations (documented): the worker count is 4 (``worker_processes auto`` on the simulated
4-CPU node) and the first worker's PID (29 on bookworm/trixie images, 31 on 1.21) is what the
entrypoint's child processes leave; every request is handled by the first worker.
"""
from __future__ import annotations

import posixpath

from labsim.kubelet.images.base import ConnectionRefused, HTTPResponse
from labsim.kubelet.images.common import ImageProcess
from labsim.kubelet.images.http import (
    body_bytes, clf_time, make_request, nginx_error_page, nginx_log_time, response)

WORKERS = 4
DOCROOT = "/usr/share/nginx/html"
OS_LINE = "Linux 6.8.0-48-generic"
NOFILE = "1048576:1048576"


class NginxProcess(ImageProcess):
    baseline_memory = 9 * 1024 * 1024

    def __init__(self, ctx, info):
        super().__init__(ctx, info)
        self.version = info.version
        self.first_worker = int(info.extra.get("worker_pid", 29))
        self.connections = 0
        self.stopping = False

    def pid1_cmdline(self) -> str:
        # nginx rewrites its argv (ngx_setproctitle)
        return "nginx: master process " + super().pid1_cmdline()

    # -- start -------------------------------------------------------------------------------
    def start(self) -> None:
        argv = list(self.argv)
        if argv and argv[0] in ("/docker-entrypoint.sh", "docker-entrypoint.sh"):
            argv = argv[1:]
            if argv and argv[0] in ("nginx", "nginx-debug"):
                self._entrypoint_lines()
        if not argv or posixpath.basename(argv[0]) not in ("nginx", "nginx-debug"):
            if not argv:
                self.fail_start(
                    "failed to create containerd task: failed to create shim task: OCI runtime "
                    "create failed: runc create failed: unable to start container process: error "
                    "during container init: exec: \"\": executable file not found in $PATH: unknown")
                return
            self.run_other(argv)
            return
        self.running = True
        self._run_nginx(argv[1:])

    def _entrypoint_lines(self) -> None:
        e = "/docker-entrypoint.sh"
        lines = [f"{e}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                 f"{e}: Looking for shell scripts in /docker-entrypoint.d/"]
        for script in self.info.extra.get("entrypoint_scripts", []):
            if script.endswith(".envsh"):
                lines.append(f"{e}: Sourcing /docker-entrypoint.d/{script}")
                continue
            lines.append(f"{e}: Launching /docker-entrypoint.d/{script}")
            if script.startswith("10-listen-on-ipv6"):
                lines.append(f"{script}: info: Getting the checksum of /etc/nginx/conf.d/default.conf")
                lines.append(f"{script}: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf")
        lines.append(f"{e}: Configuration complete; ready for start up")
        for line in lines:
            self.ctx.log(line, "stdout")

    def _notice(self, pid: int, text: str, level: str = "notice") -> None:
        self.ctx.log(f"{nginx_log_time(self.now)} [{level}] {pid}#{pid}: {text}", "stderr")

    def _run_nginx(self, args: list[str]) -> None:
        daemon_off = False
        i = 0
        while i < len(args):
            a = args[i]
            if a == "-v":
                self.ctx.log(f"nginx version: nginx/{self.version}", "stderr")
                self._die(0)
                return
            if a == "-t":
                self.ctx.log("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok", "stderr")
                self.ctx.log("nginx: configuration file /etc/nginx/nginx.conf test is successful", "stderr")
                self._die(0)
                return
            if a == "-g" and i + 1 < len(args):
                directives = args[i + 1].replace(" ", "")
                if "daemonoff;" in directives:
                    daemon_off = True
                i += 2
                continue
            if a in ("-c", "-p", "-e", "-s"):
                i += 2
                continue
            if a.startswith("-"):
                self.ctx.log(f'nginx: invalid option: "{a[1:]}"', "stderr")
                self._die(1)
                return
            i += 1
        self._notice(1, 'using the "epoll" event method')
        self._notice(1, f"nginx/{self.version}")
        self._notice(1, f"built by gcc {self.info.extra.get('gcc', '12.2.0 (Debian 12.2.0-14)')} ")
        self._notice(1, f"OS: {OS_LINE}")
        self._notice(1, f"getrlimit(RLIMIT_NOFILE): {NOFILE}")
        if not daemon_off:
            # the master forks into the background; the container's PID 1 exits 0
            self._die(0)
            return
        self._notice(1, "start worker processes")
        for n in range(WORKERS):
            self._notice(1, f"start worker process {self.first_worker + n}")
        self.listening = {80}
        self.ctx.report_memory(self.baseline_memory)

    # -- signals --------------------------------------------------------------------------------
    def on_signal(self, sig: str) -> None:
        if not self.running:
            return
        if sig == "SIGQUIT":
            if self.stopping:
                return
            self.stopping = True
            self.listening = set()
            self._notice(1, "signal 3 (SIGQUIT) received, shutting down")
            for w in self._workers():
                self._notice(w, "gracefully shutting down")
            for w in self._workers():
                self._notice(w, "exiting")
                self._notice(w, "exit")
            # idle keep-alive connections close at once; the master reaps the workers
            self.later(0.05, self._reaped, 3)
        elif sig in ("SIGTERM", "SIGINT"):
            num = 15 if sig == "SIGTERM" else 2
            self.stopping = True
            self.listening = set()
            self._notice(1, f"signal {num} ({sig}) received, exiting")
            for w in self._workers():
                self._notice(w, "exiting")
                self._notice(w, "exit")
            self.later(0.01, self._reaped, num)
        elif sig == "SIGHUP":
            self._notice(1, "signal 1 (SIGHUP) received from 0, reconfiguring")
            self._notice(1, "reconfiguring")
        elif sig in ("SIGUSR1", "SIGWINCH", "SIGCHLD"):
            pass  # reopen logs / stop workers of a daemonised master / nothing
        else:
            super().on_signal(sig)

    def _workers(self) -> list[int]:
        return [self.first_worker + n for n in range(WORKERS)]

    def _reaped(self, num: int) -> None:
        for w in self._workers():
            self._notice(1, f"signal 17 (SIGCHLD) received from {w}")
            self._notice(1, f"worker process {w} exited with code 0")
        self._notice(1, "exit")
        self._die(0)

    # -- serving -------------------------------------------------------------------------------
    def http_get(self, port, path, headers=None, client_ip=None) -> HTTPResponse:
        if self.delegate is not None:
            return super().http_get(port, path, headers, client_ip)
        if not self.running or port not in self.listening:
            raise ConnectionRefused()
        req = make_request(self.ctx, port, path, headers, client_ip)
        self.connections += 1
        status, body, extra = self._serve(req)
        self.ctx.log(
            f'{req.client_ip} - - [{clf_time(self.now)}] "{req.method} {req.target} HTTP/1.1" '
            f'{status} {body_bytes(body)} "{req.header("Referer", "-")}" "{req.user_agent}" '
            f'"{req.header("X-Forwarded-For", "-")}"', "stdout")
        ctype = "text/html"
        return response(status, body, ctype, Server=f"nginx/{self.version}", **extra)

    def _error_log(self, req, text: str) -> None:
        self.ctx.log(
            f"{nginx_log_time(self.now)} [error] {self.first_worker}#{self.first_worker}: "
            f"*{self.connections} {text}, client: {req.client_ip}, server: localhost, "
            f'request: "{req.method} {req.target} HTTP/1.1", host: "{req.host}"', "stderr")

    def _serve(self, req) -> tuple[int, str, dict]:
        # a page served once is served again from memory until the files change (probes hit the
        # same path every period); only 200 answers are kept: the others write error-log lines
        fs = self.ctx.fs
        token = fs.state_token() if hasattr(fs, "state_token") else None
        cache = self.__dict__.setdefault("_page_cache", {})
        hit = cache.get(req.path)
        if hit is not None and token is not None and hit[0] == token:
            return 200, hit[1], {}
        status, body, extra = self._serve_uncached(req)
        if status == 200 and token is not None and not extra:
            if len(cache) > 256:
                cache.clear()
            cache[req.path] = (token, body)
        return status, body, extra

    def _serve_uncached(self, req) -> tuple[int, str, dict]:
        fs = self.ctx.fs
        uri = posixpath.normpath("/" + req.path.lstrip("/"))
        if req.path.endswith("/") and uri != "/":
            uri += "/"
        if req.path.count("/..") and not uri.startswith("/"):
            return 400, nginx_error_page(400, self.version), {}
        full = DOCROOT + uri if uri != "/" else DOCROOT + "/"
        if uri.endswith("/"):
            index = full + "index.html"
            body = _read_file(fs, index)  # one lookup: this runs for every probe of "/"
            if body is not None:
                return 200, body, {}
            htm = full + "index.htm"
            body = _read_file(fs, htm)
            if body is not None:
                return 200, body, {}
            if fs.is_dir(full.rstrip("/") or "/"):
                self._error_log(req, f'directory index of "{full}" is forbidden')
                return 403, nginx_error_page(403, self.version), {}
            self._error_log(req, f'"{index}" is not found (2: No such file or directory)')
            return 404, nginx_error_page(404, self.version), {}
        body = _read_file(fs, full)
        if body is not None:
            return 200, body, {}
        if fs.is_dir(full):
            return 301, nginx_error_page(301, self.version), {"Location": f"http://{req.host}{uri}/"}
        self._error_log(req, f'open() "{full}" failed (2: No such file or directory)')
        return 404, nginx_error_page(404, self.version), {}


def _read_file(fs, path: str) -> str | None:
    """The file's contents, or None when it is missing or not a regular file."""
    try:
        return fs.read(path)
    except OSError:
        return None
