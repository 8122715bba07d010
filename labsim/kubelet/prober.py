"""Probe workers: one per container and probe type, ticking on the simulated clock.

Port of ``pkg/kubelet/prober/worker.go`` (run, doProbe: initial results, on-hold after a kill,
initial delay, startup gating, thresholds), ``prober.go`` (runProbe, the Unhealthy event texts) and
``pkg/probe/{http,tcp,exec}`` (what counts as success and the Go error texts). The worker probes
once as soon as it is created (pod admission) and then every ``periodSeconds``; the readiness
worker is also triggered at once when a running container has no readiness result yet
(prober_manager.go UpdatePodStatus).
"""
from __future__ import annotations

from labsim.kubelet.images.base import ConnectionRefused, Timeout

SUCCESS, FAILURE, UNKNOWN = "Success", "Failure", "Unknown"
LIVENESS, READINESS, STARTUP = "liveness", "readiness", "startup"
PROBE_FIELDS = ((STARTUP, "startupProbe"), (LIVENESS, "livenessProbe"), (READINESS, "readinessProbe"))
_TITLE = {LIVENESS: "Liveness", READINESS: "Readiness", STARTUP: "Startup"}
#: the User-Agent of HTTP probes of a v1.32 kubelet (pkg/probe/http/request.go)
USER_AGENT = "kube-probe/1.32"


def probe_defaults(probe: dict) -> tuple[int, int, int, int, int]:
    """initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold
    (SetDefaults_Probe; the API server has already defaulted stored pods)."""
    return (int(probe.get("initialDelaySeconds") or 0), int(probe.get("timeoutSeconds") or 1),
            int(probe.get("periodSeconds") or 10), int(probe.get("successThreshold") or 1),
            int(probe.get("failureThreshold") or 3))


def resolve_port(port, container: dict) -> int | None:
    """A probe/hook port: a number, or the name of one of the container's ports."""
    if isinstance(port, int):
        return port
    if isinstance(port, str):
        if port.isdigit():
            return int(port)
        for p in container.get("ports") or ():
            if p.get("name") == port:
                return int(p.get("containerPort"))
    return None


def host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def http_probe(pw, host: str, port: int, path: str, scheme: str, headers: dict, timeout: float) -> tuple[str, str]:
    """pkg/probe/http DoHTTPProbe: success iff 200 <= status < 400; Go's error texts otherwise."""
    try:
        resp = pw.kl.network.http_get(None, host, port, path or "/", headers, timeout)
    except ConnectionRefused:
        hp = host_port(host, port)
        return FAILURE, f'Get "{scheme}://{hp}{path}": dial tcp {hp}: connect: connection refused'
    except Timeout:
        return FAILURE, (f'Get "{scheme}://{host_port(host, port)}{path}": context deadline exceeded '
                         f'(Client.Timeout exceeded while awaiting headers)')
    except LookupError:
        return FAILURE, f'Get "{scheme}://{host_port(host, port)}{path}": dial tcp: lookup {host}: no such host'
    if 200 <= resp.status < 400:
        return SUCCESS, resp.body
    return FAILURE, f"HTTP probe failed with statuscode: {resp.status}"


def run_handler(pw, container: dict, handler: dict, timeout: float) -> tuple[str, str]:
    """Run one probe handler against the container; returns (result, output). Unknown means the
    probe errored (output is the error)."""
    inst = pw.current(container["name"])
    if "exec" in handler and handler["exec"] is not None:
        argv = list((handler["exec"] or {}).get("command") or [])
        proc = inst.proc if inst is not None else None
        if proc is None:
            return UNKNOWN, "container not running"
        res = proc.exec(argv, None, timeout)
        if res.error is not None:
            # runc could not start the command: ExecSync reports it as the output, exit 126/127
            return FAILURE, f"OCI runtime exec failed: exec failed: unable to start container process: {res.error}: unknown"
        if timeout and res.duration > timeout:
            # remote_runtime.go ExecSync: the CRI call's deadline (ExecProbeTimeout, GA)
            return FAILURE, f'command "{" ".join(argv)}" timed out'
        out = (res.stdout or "") + (res.stderr or "")
        return (SUCCESS if res.exit_code == 0 else FAILURE), out
    ip = pw.pod_ip or ""
    if "httpGet" in handler and handler["httpGet"] is not None:
        hg = handler["httpGet"]
        port = resolve_port(hg.get("port"), container)
        if port is None:
            return UNKNOWN, f"unable to find port {hg.get('port')}"
        path, scheme, headers = http_params(hg)
        return http_probe(pw, hg.get("host") or ip, port, path, scheme, headers, timeout)
    if "tcpSocket" in handler and handler["tcpSocket"] is not None:
        ts = handler["tcpSocket"]
        port = resolve_port(ts.get("port"), container)
        if port is None:
            return UNKNOWN, f"unable to find port {ts.get('port')}"
        host = ts.get("host") or ip
        try:
            pw.kl.network.tcp_connect(None, host, port, timeout)
        except ConnectionRefused:
            return FAILURE, f"dial tcp {host_port(host, port)}: connect: connection refused"
        except Timeout:
            return FAILURE, f"dial tcp {host_port(host, port)}: i/o timeout"
        except LookupError:
            return FAILURE, f"dial tcp: lookup {host}: no such host"
        return SUCCESS, ""
    if "grpc" in handler and handler["grpc"] is not None:
        port = int(handler["grpc"].get("port") or 0)
        try:
            pw.kl.network.tcp_connect(None, ip, port, timeout)
        except (ConnectionRefused, Timeout, LookupError):
            # pkg/probe/grpc/grpc.go: the dial fails within the timeout (unverified wording)
            return FAILURE, (f'timeout: failed to connect service "{host_port(ip, port)}" within '
                             f'{int(timeout)}s: context deadline exceeded')
        return SUCCESS, ""
    return UNKNOWN, "missing probe handler"


def http_params(hg: dict) -> tuple[str, str, dict]:
    """Path, scheme and request headers of an httpGet probe (pkg/probe/http/request.go)."""
    scheme = (hg.get("scheme") or "HTTP").lower()
    path = hg.get("path") or ""
    if path and not path.startswith("/"):
        path = "/" + path
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    for h in hg.get("httpHeaders") or ():
        headers[h.get("name", "")] = h.get("value", "")
    return path, scheme, headers


class ProbeWorker:
    """``worker``: probes one container of one pod for one probe type."""

    __slots__ = ("pw", "container", "name", "ptype", "probe", "delay", "timeout", "period", "success_threshold",
                 "failure_threshold", "initial", "container_id", "on_hold", "last_result", "result_run",
                 "timer", "stopped", "handler", "_http", "trigger_pending")

    def __init__(self, pw, container: dict, ptype: str, probe: dict):
        self.pw = pw
        self.container = container
        self.name = container["name"]
        self.ptype = ptype
        self.probe = probe
        (self.delay, self.timeout, self.period, self.success_threshold,
         self.failure_threshold) = probe_defaults(probe)
        self.initial = {READINESS: FAILURE, LIVENESS: SUCCESS, STARTUP: UNKNOWN}[ptype]
        self.container_id: str | None = None
        self.on_hold = False
        self.last_result: str | None = None
        self.result_run = 0
        self.stopped = False
        self.trigger_pending = False
        self.handler = probe
        # an httpGet probe without a host: everything but the pod IP is fixed, build it once
        self._http = None
        hg = probe.get("httpGet")
        if hg is not None and not hg.get("host"):
            port = resolve_port(hg.get("port"), container)
            if port is not None:
                self._http = (port,) + http_params(hg)
        clock = pw.clock
        # worker.go run(): a kubelet that has just started spreads its workers over one period
        first = 0.0
        if self.period > clock.now - pw.kl.started_at:
            first = pw.kl.rng.random() * self.period
        self.timer = clock.call_later(first, self._tick)

    def stop(self) -> None:
        self.stopped = True
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _tick(self) -> None:
        if self.stopped:
            return
        if not self.do_probe():
            self.stop()
            self.pw.probe_worker_stopped(self)
            return
        self.timer = self.pw.clock.call_later(self.period, self._tick)

    def trigger(self) -> None:
        """``manualTriggerCh``: probe now, without moving the ticker. The channel holds one
        pending trigger; more sends while one is pending are dropped (a non-blocking send)."""
        if self.trigger_pending:
            return
        self.trigger_pending = True
        self.pw.clock.call_soon(self._manual)

    def _manual(self) -> None:
        self.trigger_pending = False
        if not self.stopped and not self.do_probe():
            self.stop()
            self.pw.probe_worker_stopped(self)

    def do_probe(self) -> bool:
        pw = self.pw
        if pw.status_phase is None:
            return True  # no status generated yet
        if pw.status_phase in ("Succeeded", "Failed"):
            return False
        view = pw.status_view.get(self.name)
        if view is None or not view.container_id:
            return True  # container not created yet
        if view.container_id != self.container_id:
            if self.container_id is not None:
                pw.remove_probe_result(self.ptype, self.name)
            self.container_id = view.container_id
            pw.set_probe_result(self.ptype, self.name, self.container_id, self.initial)
            self.on_hold = False
        if self.on_hold:
            return True
        if view.state != "running":
            pw.set_probe_result(self.ptype, self.name, self.container_id, FAILURE)
            return view.state != "terminated" or pw.restart_policy != "Never"
        if pw.deleting and self.ptype in (LIVENESS, STARTUP):
            return True
        if int(pw.clock.now - view.started_at) < self.delay:
            return True
        if view.started:
            if self.ptype == STARTUP:
                return True
        elif self.ptype != STARTUP:
            return True
        if self._http is not None:
            port, path, scheme, headers = self._http
            result, output = http_probe(pw, pw.pod_ip or "", port, path, scheme, headers, self.timeout)
        else:
            result, output = run_handler(pw, self.container, self.handler, self.timeout)
        title = _TITLE[self.ptype]
        if result == UNKNOWN:
            # prober.go: the probe could not run; worker.go throws the result away
            pw.container_event(self.container, "Warning", "Unhealthy", f"{title} probe errored: {output}")
            return True
        if result == FAILURE:
            pw.container_event(self.container, "Warning", "Unhealthy", f"{title} probe failed: {output}")
        if self.last_result == result:
            self.result_run += 1
        else:
            self.last_result = result
            self.result_run = 1
        if (result == FAILURE and self.result_run < self.failure_threshold) or \
                (result == SUCCESS and self.result_run < self.success_threshold):
            return True
        pw.set_probe_result(self.ptype, self.name, self.container_id, result)
        if self.ptype in (LIVENESS, STARTUP) and result == FAILURE:
            # stop probing until a new container instance exists (worker.go: onHold)
            self.on_hold = True
            self.result_run = 0
        return True
