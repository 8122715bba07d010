"""Server image models driven through the fake ContainerContext (labsim.kubelet.images.testing)."""
import pytest

from labsim.kubelet.images.base import ConnectionRefused
from labsim.kubelet.images.fs import VolumeDir
from labsim.kubelet.images.testing import FakeNetwork, restart, run_container

PROBE = {"User-Agent": "kube-probe/1.32"}


# -- nginx -------------------------------------------------------------------------------------
def test_nginx_startup_logs_1_27():
    c = run_container("nginx:1.27")
    assert c.lines("stdout") == [
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
        "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
        "/docker-entrypoint.sh: Configuration complete; ready for start up",
    ]
    assert c.lines("stderr")[:7] == [
        '2026/11/24 09:00:30 [notice] 1#1: using the "epoll" event method',
        "2026/11/24 09:00:30 [notice] 1#1: nginx/1.27.5",
        "2026/11/24 09:00:30 [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
        "2026/11/24 09:00:30 [notice] 1#1: OS: Linux 6.8.0-48-generic",
        "2026/11/24 09:00:30 [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        "2026/11/24 09:00:30 [notice] 1#1: start worker processes",
        "2026/11/24 09:00:30 [notice] 1#1: start worker process 29",
    ]
    assert c.proc.listening == {80} and c.exits == []


def test_nginx_command_override_skips_entrypoint():
    # seed 002's nginx-demo: command nginx -g 'daemon off;' (no /docker-entrypoint.sh lines)
    c = run_container("docker.io/library/nginx:latest", command=["nginx", "-g", "daemon off;"])
    assert c.lines("stdout") == []
    assert c.lines("stderr")[1] == "2026/11/24 09:00:30 [notice] 1#1: nginx/1.29.1"
    assert c.proc.listening == {80}


def test_nginx_without_daemon_off_exits_0():
    c = run_container("nginx:1.27", command=["nginx"])
    assert c.exits == [(0, "Completed", None)]


def test_nginx_serves_files_and_logs_access():
    c = run_container("nginx:1.27")
    c.clock.advance(10)
    r = c.proc.http_get(80, "/", PROBE)
    assert (r.status, len(r.body), r.body.splitlines()[3]) == (200, 615, "<title>Welcome to nginx!</title>")
    assert c.lines()[-1] == ('10.42.0.1 - - [24/Nov/2026:09:00:40 +0000] "GET / HTTP/1.1" 200 615 "-" '
                             '"kube-probe/1.32" "-"')
    r = c.proc.http_get(80, "/wellcome.html", PROBE)
    assert r.status == 404
    assert r.body == ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
                      "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.5</center>\r\n"
                      "</body>\r\n</html>\r\n")
    assert c.lines("stderr")[-1] == (
        '2026/11/24 09:00:40 [error] 29#29: *2 open() "/usr/share/nginx/html/wellcome.html" failed '
        '(2: No such file or directory), client: 10.42.0.1, server: localhost, '
        'request: "GET /wellcome.html HTTP/1.1", host: "10.42.0.9:80"')
    assert c.lines("stdout")[-1].endswith('"GET /wellcome.html HTTP/1.1" 404 153 "-" "kube-probe/1.32" "-"')
    c.fs.write("/usr/share/nginx/html/wellcome.html", "<h1>ok</h1>\n")
    assert c.proc.http_get(80, "/wellcome.html", PROBE).body == "<h1>ok</h1>\n"


def test_nginx_version_in_error_pages_per_tag():
    for image, version in [("nginx:1.21", "1.21.6"), ("nginx:1.21.1", "1.21.1"), ("nginx:1.28", "1.28.0"),
                           ("registry.k8s.io/nginx-slim:0.24", "1.25.4")]:
        c = run_container(image)
        assert f"<hr><center>nginx/{version}</center>" in c.proc.http_get(80, "/x").body


def test_nginx_delete_index_then_restart_brings_it_back():
    c = run_container("nginx:1.27")
    c.fs.remove("/usr/share/nginx/html/index.html")
    r = c.proc.http_get(80, "/")
    assert r.status == 403 and "<title>403 Forbidden</title>" in r.body
    assert 'directory index of "/usr/share/nginx/html/" is forbidden' in c.lines("stderr")[-1]
    assert c.proc.http_get(80, "/index.html").status == 404
    c2 = restart(c)
    assert c2.proc.http_get(80, "/").status == 200


def test_nginx_directory_redirect_and_volume():
    html = VolumeDir()
    c = run_container("registry.k8s.io/nginx-slim:0.24", volumes={"/usr/share/nginx/html": html})
    assert c.proc.http_get(80, "/").status == 403  # empty PV, as in the StatefulSet tutorial
    html.files["/index.html"] = "web-0\n"
    assert c.proc.http_get(80, "/").body == "web-0\n"
    c.fs.mkdir("/usr/share/nginx/html/sub")
    r = c.proc.http_get(80, "/sub")
    assert (r.status, r.headers["Location"]) == (301, "http://10.42.0.9/sub/")


def test_nginx_sigquit_graceful_exit_0():
    c = run_container("nginx:1.27")
    c.clock.advance(5)
    c.proc.signal("SIGQUIT")
    assert c.exits == [] and c.proc.listening == set()
    with pytest.raises(ConnectionRefused):
        c.proc.http_get(80, "/")
    c.clock.advance(1)
    assert c.exits == [(0, "Completed", None)]
    err = c.lines("stderr")
    assert "2026/11/24 09:00:35 [notice] 1#1: signal 3 (SIGQUIT) received, shutting down" in err
    assert err[-1] == "2026/11/24 09:00:35 [notice] 1#1: exit"


def test_nginx_sigterm_fast_exit_and_sigkill():
    c = run_container("nginx:1.27")
    c.proc.signal("SIGTERM")
    c.clock.advance(1)
    assert c.exit_code == 0
    assert "2026/11/24 09:00:30 [notice] 1#1: signal 15 (SIGTERM) received, exiting" in c.lines("stderr")
    k = run_container("nginx:1.27")
    k.proc.signal("SIGKILL")
    assert k.exits == [(137, "Error", None)]


def test_nginx_has_no_timers_when_idle():
    c = run_container("nginx:1.27")
    assert c.clock.next_time() is None


def test_exec_of_a_missing_program():
    c = run_container("nginx:1.27")
    r = c.proc.exec(["no-such-binary-xyz"])
    assert (r.exit_code, r.error) == (126, 'exec: "no-such-binary-xyz": executable file not found in $PATH')


# -- mongo -------------------------------------------------------------------------------------
def test_mongo_3_3_reset_is_a_usage_error():
    c = run_container("mongo:3.3", command=["mongod"], args=["--reset", "--httpinterface"])
    assert c.exits == [(2, "Error", None)]
    assert c.output("stderr") == ("Error parsing command line: unrecognised option '--reset'\n"
                                  "try 'mongod --help' for more information\n")


def test_mongo_3_3_rest_httpinterface_listens_after_startup():
    c = run_container("mongo:3.3", command=["mongod"], args=["--rest", "--httpinterface"])
    with pytest.raises(ConnectionRefused):
        c.proc.tcp_connect(27017)
    c.clock.advance(2)
    c.proc.tcp_connect(27017)
    assert c.proc.listening == {27017, 28017}
    assert c.proc.http_get(28017, "/").status == 200
    assert c.lines()[-1].endswith("I NETWORK  [thread1] waiting for connections on port 27017")
    assert "options: { net: { http: { RESTInterfaceEnabled: true, enabled: true } } }" in c.lines()[5]
    assert c.proc.http_get(27017, "/").body.startswith("It looks like you are trying to access MongoDB over HTTP")


def test_mongo_entrypoint_prepends_mongod_and_latest_rejects_rest():
    c = run_container("mongo:3.4", args=["--rest"])
    c.clock.advance(2)
    assert c.exits == [] and c.proc.listening == {27017}
    d = run_container("mongo", args=["--rest"])
    assert d.exit_code == 2 and "unrecognised option '--rest'" in d.lines("stderr")[0]


def test_mongo_latest_json_logs_and_sigterm():
    c = run_container("mongo")
    c.clock.advance(3)
    assert c.lines()[-1] == ('{"t":{"$date":"2026-11-24T09:00:32.000+00:00"},"s":"I","c":"NETWORK",'
                             '"id":23016,"ctx":"listener","msg":"Waiting for connections",'
                             '"attr":{"port":27017,"ssl":"off"}}')
    c.proc.signal("SIGTERM")
    c.clock.advance(1)
    assert c.exits == [(0, "Completed", None)]


# -- go-demo-2 ---------------------------------------------------------------------------------
def test_go_demo_2_with_mongo_in_the_same_pod():
    net = FakeNetwork()
    db = run_container("mongo:3.3", network=net, container="db")
    api = run_container("vfarcic/go-demo-2", network=net, container="api", env={"DB": "localhost"},
                        clock=db.clock)
    api.clock.advance(3)
    assert api.exits == [] and api.proc.listening == {8080}
    r = api.proc.http_get(8080, "/demo/hello", PROBE)
    assert (r.status, r.body) == (200, "hello, world!\n")
    assert api.lines()[-1] == "2026/11/24 09:00:33 GET request to /demo/hello"


def test_go_demo_2_without_db_panics_after_10s():
    c = run_container("vfarcic/go-demo-2")  # DB=db does not resolve
    c.clock.advance(9.9)
    assert c.exits == []
    c.clock.advance(0.2)
    assert c.exits == [(2, "Error", None)]
    assert c.lines("stderr")[0] == "panic: no reachable servers"


# -- httpd, redis, influxdb, pause, fluentd, php-apache ------------------------------------------
def test_httpd():
    c = run_container("httpd")
    r = c.proc.http_get(80, "/")
    assert (r.status, r.body) == (200, "<html><body><h1>It works!</h1></body></html>\n")
    assert c.lines("stdout")[-1] == '10.42.0.1 - - [24/Nov/2026:09:00:30 +0000] "GET / HTTP/1.1" 200 45'
    r = c.proc.http_get(80, "/missing")
    assert r.status == 404 and r.body == (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n'
        "</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n"
        "</body></html>\n")
    c.proc.signal("SIGWINCH")
    c.clock.advance(1)
    assert c.exit_code == 0 and "AH00492: caught SIGWINCH, shutting down gracefully" in c.lines("stderr")[-1]


def test_redis():
    c = run_container("redis")
    c.proc.tcp_connect(6379)
    assert c.proc.command("PING") == "+PONG\r\n"
    assert c.lines()[-1].endswith("* Ready to accept connections tcp")
    c.proc.signal("SIGTERM")
    c.clock.advance(1)
    assert c.exit_code == 0 and c.lines()[-1].endswith("# Redis is now ready to exit, bye bye...")


def test_influxdb_health():
    c = run_container("influxdb")
    with pytest.raises(ConnectionRefused):
        c.proc.http_get(8086, "/health")
    c.clock.advance(1)
    r = c.proc.http_get(8086, "/health")
    assert r.status == 200 and '"status": "pass"' in r.body
    assert c.proc.http_get(8086, "/ping").status == 204


def test_pause_versions_and_signals():
    old = run_container("gcr.io/google_containers/pause:2.0")
    old.proc.signal("SIGTERM")
    assert old.exits == []  # PID 1 without a handler ignores TERM
    old.proc.signal("SIGKILL")
    assert old.exit_code == 137
    new = run_container("registry.k8s.io/pause:3.10")
    new.proc.signal("SIGTERM")
    assert new.exits == [(0, "Completed", None)]
    assert new.lines("stderr") == ["Shutting down, got signal: Terminated"]


def test_fluentd_runs_and_stops():
    c = run_container("agilestacks/fluentd-elasticsearch:v1.3.0")
    c.clock.advance(5)
    assert c.exits == [] and c.clock.next_time() is None
    c.proc.signal("SIGTERM")
    c.clock.advance(1)
    assert c.exit_code == 0


def test_php_apache_ok_and_cpu():
    c = run_container("registry.k8s.io/hpa-example")
    for _ in range(3):
        r = c.proc.http_get(80, "/", {"User-Agent": "Wget"})
        assert (r.status, r.body) == (200, "OK!")
    assert c.lines("stdout")[-1] == '10.42.0.1 - - [24/Nov/2026:09:00:30 +0000] "GET / HTTP/1.1" 200 3 "-" "Wget"'
    assert c.cpu[-1] == (30.0, 40.0)  # 3 requests x 0.2 CPU-s over 15 s = 40m
    c.clock.advance(20)
    assert c.cpu[-1] == (45.0, 0.0) and c.clock.next_time() is None


# -- exec and PID 1 through the shell engine ----------------------------------------------------
def test_nginx_exec_through_the_shell():
    # seed 002's nginx-demo: workingDir and env; course 2.1: delete the page from inside
    c = run_container("nginx:1.27", working_dir="/usr/share/nginx/html", env={"JVM_OPTS": "test-value"})
    assert c.proc.exec(["pwd"]).stdout == "/usr/share/nginx/html\n"
    assert c.proc.exec(["bash", "-c", "echo $JVM_OPTS"]).stdout == "test-value\n"
    assert c.proc.exec(["sh", "-c", "env | grep NGINX_VERSION"]).stdout == "NGINX_VERSION=1.27.5\n"
    assert c.proc.exec(["rm", "/usr/share/nginx/html/index.html"]).exit_code == 0
    assert c.proc.http_get(80, "/index.html").status == 404
    r = c.proc.exec(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "localhost/index.html"])
    assert (r.exit_code, r.stdout) == (0, "404")
    r = c.proc.exec(["cat", "/x"])
    assert (r.exit_code, r.stderr) == (1, "cat: can't open '/x': No such file or directory\n")
    # nginx is Debian-based: procps ps
    assert "root           1  0.0  0.0   2507  1203 ?        Ss   09:00   0:00 nginx: master process nginx -g " \
           "daemon off;" in c.proc.exec(["ps", "aux"]).stdout


def test_kill_1_from_exec_signals_the_server():
    c = run_container("nginx:1.27")
    c.proc.exec(["sh", "-c", "kill -QUIT 1"])
    c.clock.advance(1)
    assert c.exits == [(0, "Completed", None)]


def test_other_command_runs_as_pid1_in_the_shell():
    c = run_container("mongo:3.3", command=["sleep", "3600"])
    c.proc.signal("SIGTERM")
    c.clock.advance(5)
    assert c.exits == []  # sleep as PID 1 ignores TERM
    c.proc.signal("SIGKILL")
    assert c.exits == [(137, "Error", None)]
    d = run_container("vfarcic/go-demo-2", command=["sh", "-c", "echo starting; sleep 1; exit 4"])
    d.clock.advance(2)
    assert (d.exits, d.lines()) == ([(4, "Error", None)], ["starting"])


def test_unknown_executable_is_a_start_error():
    c = run_container("nginx:1.27", command=["no-such-program"])
    assert c.exits[0][:2] == (128, "StartError")
    assert 'exec: "no-such-program": executable file not found in $PATH' in c.exits[0][2]
