"""redis-server (docker-library ``redis``): listens on 6379 and answers PING with +PONG.

An HTTP request to a Redis port is refused the way Redis does it (it logs "Possible SECURITY
ATTACK detected" and closes the connection: the client sees EOF, modelled as ConnectionResetError).
SIGTERM/SIGINT: "Received SIGTERM scheduling shutdown...", saves the RDB snapshot, exit 0.
"""
from __future__ import annotations

from datetime import timedelta

from labsim.clock import EPOCH
from labsim.kubelet.images.base import ConnectionRefused
from labsim.kubelet.images.common import ImageProcess


def _redis_time(t: float) -> str:
    d = EPOCH + timedelta(seconds=t)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{d.day:02d} {months[d.month - 1]} {d.year} {d:%H:%M:%S}.{d.microsecond // 1000:03d}"


class RedisProcess(ImageProcess):
    baseline_memory = 4 * 1024 * 1024

    def _log(self, role: str, mark: str, text: str) -> None:
        self.ctx.log(f"1:{role} {_redis_time(self.now)} {mark} {text}", "stdout")

    def start(self) -> None:
        argv = list(self.argv)
        if argv and argv[0].split("/")[-1] == "docker-entrypoint.sh":
            argv = argv[1:]
            if argv and argv[0].startswith("-"):
                argv = ["redis-server"] + argv
        if not argv or argv[0].split("/")[-1] != "redis-server":
            if argv:
                self.run_other(argv)
            else:
                self.fail_start('exec: "": executable file not found in $PATH')
            return
        self.running = True
        port = 6379
        if "--port" in argv[1:]:
            i = argv.index("--port")
            if i + 1 < len(argv) and argv[i + 1].isdigit():
                port = int(argv[i + 1])
        v = self.info.version
        self._log("C", "#", "WARNING Memory overcommit must be enabled! Without it, a background save "
                  "or replication may fail under low memory condition. Being disabled, it can also "
                  "cause failures without low memory condition, see "
                  "https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add "
                  "'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command "
                  "'sysctl vm.overcommit_memory=1' for this to take effect.")
        self._log("C", "*", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
        self._log("C", "*", f"Redis version={v}, bits=64, commit=00000000, modified=1, pid=1, just started")
        self._log("C", "#", "Warning: no config file specified, using the default config. In order "
                  "to specify a config file use redis-server /path/to/redis.conf")
        self._log("M", "*", "monotonic clock: POSIX clock_gettime")
        self._log("M", "*", f"Running mode=standalone, port={port}.")
        self._log("M", "*", "Server initialized")
        self._log("M", "*", "Ready to accept connections tcp")
        self.listening = {port}
        self.ctx.report_memory(self.baseline_memory)

    def command(self, line: str) -> str:
        """One inline command (``redis-cli PING``): the RESP reply."""
        words = line.split()
        if not words:
            return ""
        cmd = words[0].upper()
        if cmd == "PING":
            return "+PONG\r\n" if len(words) == 1 else f"${len(words[1])}\r\n{words[1]}\r\n"
        if cmd == "ECHO" and len(words) == 2:
            return f"${len(words[1])}\r\n{words[1]}\r\n"
        return f"-ERR unknown command '{words[0]}', with args beginning with: \r\n"

    def http_get(self, port, path, headers=None, client_ip=None):
        if self.delegate is not None:
            return super().http_get(port, path, headers, client_ip)
        if not self.running or port not in self.listening:
            raise ConnectionRefused()
        self._log("M", "#", "Possible SECURITY ATTACK detected. It looks like somebody is sending "
                  "POST or Host: commands to Redis. This is likely due to an attacker attempting to "
                  "use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.")
        raise ConnectionResetError("EOF")

    def on_signal(self, sig: str) -> None:
        if not self.running:
            return
        if sig in ("SIGTERM", "SIGINT"):
            self.ctx.log(f"1:signal-handler ({int(EPOCH.timestamp() + self.now)}) Received {sig} scheduling "
                         "shutdown...", "stdout")
            self.listening = set()
            self.later(0.1, self._shutdown)
        else:
            super().on_signal(sig)

    def _shutdown(self) -> None:
        self._log("M", "*", "User requested shutdown...")
        self._log("M", "*", "Saving the final RDB snapshot before exiting.")
        self._log("M", "*", "DB saved on disk")
        self._log("M", "#", "Redis is now ready to exit, bye bye...")
        self._die(0)
