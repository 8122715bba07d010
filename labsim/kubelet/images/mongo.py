"""mongod (docker-library ``mongo`` images 3.3, 3.4 and latest).

- The entrypoint prepends ``mongod`` when the first argument is an option (``args: ["--rest"]``).
- Options are checked before anything starts: an unknown one makes mongod print
  ``Error parsing command line: unrecognised option '--reset'`` and
  ``try 'mongod --help' for more information`` on stderr and exit with code 2 (EXIT_BADOPTIONS),
  which is the crash loop of course chapter 01 (seed 000's ``args: ["--reset", ...]``).
- 3.x accepts ``--rest``/``--httpinterface`` (removed in 3.6): with ``--httpinterface`` the admin
  web console listens on port + 1000 (28017).
- The wire port opens after a start-up delay (storage engine init: ~1.5 s for 3.x, ~2 s for 8.0);
  logs are the 3.x text format or, for ``latest`` (4.4+), one JSON document per line.
- SIGTERM/SIGINT: clean shutdown, exit 0. An HTTP request to 27017 gets mongod's famous reply.
Log texts are shortened to their characteristic lines (approximation; versions and hashes as in
the catalogue).
"""
from __future__ import annotations

import json

from labsim.kubelet.images.base import ConnectionRefused, HTTPResponse
from labsim.kubelet.images.common import ImageProcess
from labsim.kubelet.images.http import iso_millis, response

#: options taking a value / flags (a practical subset of mongod 3.x/8.0 options)
_VALUE_OPTS = {"--port", "--bind_ip", "--dbpath", "--logpath", "--replSet", "--config", "-f",
               "--storageEngine", "--wiredTigerCacheSizeGB", "--keyFile", "--oplogSize",
               "--setParameter", "--shardsvr", "--configsvr", "--maxConns", "--auth", "--noauth"}
_FLAG_OPTS = {"--bind_ip_all", "--auth", "--noauth", "--quiet", "--fork", "--smallfiles", "--ipv6",
              "--journal", "--nojournal", "--shardsvr", "--configsvr", "--directoryperdb",
              "--verbose", "-v", "-vv", "--noprealloc", "--nounixsocket", "--logappend"}
_FLAG_OPTS_3X = {"--rest", "--httpinterface", "--jsonp", "--nohttpinterface"}
_VALUE_OPTS -= _FLAG_OPTS

HTTP_ON_WIRE = ("It looks like you are trying to access MongoDB over HTTP on the native driver port.\n")


class MongoProcess(ImageProcess):
    baseline_memory = 64 * 1024 * 1024

    def __init__(self, ctx, info):
        super().__init__(ctx, info)
        self.json_logs = info.extra.get("log") == "json"
        self.legacy = bool(info.extra.get("http_interface"))
        self.port = 27017
        self.http_interface = False
        self.rest = False
        self.options: dict = {}

    def start(self) -> None:
        argv = list(self.argv)
        if argv and argv[0].split("/")[-1] in ("entrypoint.sh", "docker-entrypoint.sh"):
            argv = argv[1:]
            if argv and argv[0].startswith("-"):
                argv = ["mongod"] + argv
        if not argv or argv[0].split("/")[-1] != "mongod":
            if argv:
                self.run_other(argv)
            else:
                self.fail_start('exec: "": executable file not found in $PATH')
            return
        self.running = True
        err = self._parse(argv[1:])
        if err:
            self.ctx.log(f"Error parsing command line: {err}", "stderr")
            self.ctx.log("try 'mongod --help' for more information", "stderr")
            self._die(2)
            return
        self._startup_logs()
        self.later(2.0 if self.json_logs else 1.5, self._listen)

    def _parse(self, args: list[str]) -> str | None:
        flags = _FLAG_OPTS | (_FLAG_OPTS_3X if self.legacy else set())
        i = 0
        while i < len(args):
            a = args[i]
            name, eq, val = a.partition("=")
            if name in flags and not eq:
                if name == "--httpinterface":
                    self.http_interface = True
                elif name == "--rest":
                    self.rest = True
                self.options[name] = True
                i += 1
                continue
            if name in _VALUE_OPTS:
                if not eq:
                    if i + 1 >= len(args):
                        return f"the required argument for option '{name}' is missing"
                    val = args[i + 1]
                    i += 1
                if name == "--port":
                    if not val.isdigit():
                        return f"the argument ('{val}') for option '--port' is invalid"
                    self.port = int(val)
                self.options[name] = val
                i += 1
                continue
            if a.startswith("-"):
                return f"unrecognised option '{name}'"
            return "too many positional options have been specified on the command line"
        return None

    # -- logs ------------------------------------------------------------------------------------
    def _text(self, comp: str, ctx: str, msg: str, sev: str = "I") -> None:
        self.ctx.log(f"{iso_millis(self.now)} {sev} {comp:<8} [{ctx}] {msg}", "stdout")

    def _json(self, comp: str, id_: int, ctx: str, msg: str, attr: dict | None = None) -> None:
        doc = {"t": {"$date": iso_millis(self.now, "+00:00")}, "s": "I", "c": comp, "id": id_,
               "ctx": ctx, "msg": msg}
        if attr is not None:
            doc["attr"] = attr
        self.ctx.log(json.dumps(doc, separators=(",", ":")), "stdout")

    def _options_doc(self) -> str:
        parts = []
        if self.http_interface or self.rest:
            http = []
            if self.rest:
                http.append("RESTInterfaceEnabled: true")
            if self.http_interface:
                http.append("enabled: true")
            parts.append("net: { http: { " + ", ".join(http) + " } }")
        return "{ " + ", ".join(parts) + " }" if parts else "{}"

    def _startup_logs(self) -> None:
        host = self.ctx.hostname
        v = self.info.version
        if self.json_logs:
            self._json("CONTROL", 23285, "main", "Automatically disabling TLS 1.0, to force-enable "
                       "TLS 1.0 specify --sslDisabledProtocols 'none'")
            self._json("NETWORK", 4915701, "main", "Initialized wire specification",
                       {"spec": {"incomingExternalClient": {"minWireVersion": 0, "maxWireVersion": 25}}})
            self._json("CONTROL", 4615611, "initandlisten", "MongoDB starting",
                       {"pid": 1, "port": self.port, "dbPath": "/data/db", "architecture": "64-bit",
                        "host": host})
            self._json("CONTROL", 23403, "initandlisten", "Build Info",
                       {"buildInfo": {"version": v, "gitVersion": self.info.extra.get("git", ""),
                                      "modules": [], "allocator": "tcmalloc-google",
                                      "environment": {"distmod": "ubuntu2404", "distarch": "x86_64",
                                                      "target_arch": "x86_64"}}})
            self._json("CONTROL", 21951, "initandlisten", "Options set by command line",
                       {"options": {"net": {"bindIp": "*"}}})
            self._json("STORAGE", 22297, "initandlisten", "Using the XFS filesystem is strongly "
                       "recommended with the WiredTiger storage engine. See "
                       "http://dochub.mongodb.org/core/prodnotes-filesystem")
            return
        self._text("CONTROL", "initandlisten", f"MongoDB starting : pid=1 port={self.port} "
                   f"dbpath=/data/db 64-bit host={host}")
        self._text("CONTROL", "initandlisten", f"db version v{v}")
        self._text("CONTROL", "initandlisten", f"git version: {self.info.extra.get('git', '')}")
        self._text("CONTROL", "initandlisten", "allocator: tcmalloc")
        self._text("CONTROL", "initandlisten", "modules: none")
        self._text("CONTROL", "initandlisten", f"options: {self._options_doc()}")
        self._text("STORAGE", "initandlisten", "")
        self._text("STORAGE", "initandlisten", "** WARNING: Using the XFS filesystem is strongly "
                   "recommended with the WiredTiger storage engine")
        self._text("STORAGE", "initandlisten", "**          See http://dochub.mongodb.org/core/prodnotes-filesystem")

    def _listen(self) -> None:
        if not self.running:
            return
        self.listening = {self.port}
        if self.json_logs:
            self._json("NETWORK", 23015, "listener", "Listening on", {"address": "0.0.0.0"})
            self._json("NETWORK", 23016, "listener", "Waiting for connections",
                       {"port": self.port, "ssl": "off"})
        else:
            self._text("CONTROL", "initandlisten", "** WARNING: Access control is not enabled for the database.")
            self._text("FTDC", "initandlisten", "Initializing full-time diagnostic data capture with "
                       "directory '/data/db/diagnostic.data'")
            if self.http_interface:
                self.listening.add(self.port + 1000)
                self._text("NETWORK", "websvr", f"admin web console waiting for connections on port {self.port + 1000}")
            self._text("NETWORK", "thread1", f"waiting for connections on port {self.port}")
        self.ctx.report_memory(self.baseline_memory)

    # -- signals -----------------------------------------------------------------------------
    def on_signal(self, sig: str) -> None:
        if not self.running:
            return
        if sig in ("SIGTERM", "SIGINT"):
            num, name = (15, "Terminated") if sig == "SIGTERM" else (2, "Interrupt")
            if self.json_logs:
                self._json("CONTROL", 23377, "SignalHandler", "Received signal",
                           {"signal": num, "error": name})
                self._json("CONTROL", 20565, "SignalHandler", "Received signal, shutting down")
            else:
                self._text("CONTROL", "signalProcessingThread",
                           f"got signal {num} ({name}), will terminate after current cmd ends")
                self._text("NETWORK", "signalProcessingThread", "shutdown: going to close listening sockets...")
                self._text("STORAGE", "signalProcessingThread", "WiredTigerKVEngine shutting down")
                self._text("CONTROL", "signalProcessingThread", "now exiting")
            self.listening = set()
            self.later(0.3, self._bye)
        else:
            super().on_signal(sig)

    def _bye(self) -> None:
        if self.json_logs:
            self._json("CONTROL", 23138, "SignalHandler", "Shutting down", {"exitCode": 0})
        else:
            self._text("CONTROL", "signalProcessingThread", "shutting down with code:0")
        self._die(0)

    # -- network -----------------------------------------------------------------------------
    def http_get(self, port, path, headers=None, client_ip=None) -> HTTPResponse:
        if self.delegate is not None:
            return super().http_get(port, path, headers, client_ip)
        if not self.running or port not in self.listening:
            raise ConnectionRefused()
        if port == self.port:
            return response(200, HTTP_ON_WIRE, "text/plain")
        body = ("<html><head><meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">"
                f"<title>{self.ctx.hostname}:{self.port} mongod {self.ctx.hostname}</title></head>"
                f"<body><h2>mongod {self.ctx.hostname}</h2><p>db version v{self.info.version}</p>"
                "</body></html>")
        return response(200, body)
