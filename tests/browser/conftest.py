"""A real JupyterLab in a real browser: the server fixture, the browser, and notebook helpers.

``lab`` (one per session) starts ``jupyter lab`` from the test venv on a free loopback port with a
random token, serving a temporary copy of ``notebooks/``. Jupyter's config, data and runtime
folders, JupyterLab's settings and workspaces and IPython's folder are temporary too, so nothing
reads or touches the user's own; the data folder carries a ``kubelabs`` kernelspec that runs this
venv's python (the chapters ask for that kernel by name). The server runs in its own process group
and is torn down with its kernels even when a test fails.

``page`` is a fresh browser tab (Debian's chromium, driven by playwright through its path: no
``playwright install``). When a test fails the report gets the server log's tail and the browser
console, and the page is saved as ``test-artifacts/FAILED-<test>.png``.

Without a chromium (or without playwright) the tests fail with the reason under ``CI=true``
(``.ci/run`` sets it) and are skipped elsewhere; ``make test`` installs both.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("KUBELABS_CHROMIUM", "/usr/bin/chromium")
ON_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")

#: bounds, generous for a 2-core CI machine; every wait is for a condition, never a fixed sleep
SERVER_START_S = 60
PAGE_LOAD_MS = 60_000
KERNEL_READY_MS = 60_000
RUN_ALL_MS = 90_000
DOM_MS = 20_000

KERNEL_NAME = "kubelabs"
KERNEL_DISPLAY_NAME = "Python (kubelabs)"
VIEWPORT = {"width": 1400, "height": 1000}

#: JupyterLab user settings for the test server: no network calls for news/updates (no toasts over
#: the page), every cell attached to the DOM (no virtual scrolling)
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def missing(reason: str):
    """A prerequisite is absent: fail under CI (never a silent skip there), skip elsewhere."""
    install_log = Path(sys.prefix) / "chromium-install.log"
    if install_log.exists():
        reason += "\n`make test` said:\n" + install_log.read_text(errors="replace").strip()
    if ON_CI:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Every descendant of pid (kernels start their own sessions, so killpg alone misses them)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class Lab:
    """A running JupyterLab: its URL and token, the folder it serves, and its log."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base / "root"
        self.log_path = base / "jupyter-server.log"
        self.token = secrets.token_hex(16)
        self.port = 0
        self.proc: subprocess.Popen | None = None

    # -- start / stop ------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                         ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")):
            env[var] = str(self.base / sub)
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        env.pop("JUPYTER_PATH", None)  # only this venv's share/jupyter and the temporary data folder
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def prepare(self):
        shutil.copytree(REPO / "notebooks", self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        kernel = self.base / "data" / "kernels" / KERNEL_NAME
        kernel.mkdir(parents=True)
        (kernel / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": KERNEL_DISPLAY_NAME, "language": "python"}))
        for name, value in USER_SETTINGS.items():
            path = self.base / "settings" / name.split("/", 1)[0] / name.split("/", 1)[1]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))

    def start(self):
        env = self.env()
        self.prepare()
        last_error = ""
        for _attempt in range(3):  # the free port can be taken between the probe and the bind
            self.port = free_port()
            argv = [sys.executable, "-m", "jupyterlab", "--no-browser",
                    f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
                    f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                    "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
            if os.geteuid() == 0:
                argv.append("--allow-root")
            log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(argv, cwd=self.root, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
            log.close()
            deadline = time.monotonic() + SERVER_START_S
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2) as r:
                        if r.status == 200:
                            return
                except (urllib.error.URLError, ConnectionError, OSError):
                    time.sleep(0.2)  # polling the server's socket, not waiting for luck
            last_error = ("exited with status %s" % self.proc.returncode if self.proc.poll() is not None
                          else f"did not answer within {SERVER_START_S} s")
            self.stop()
        raise RuntimeError(f"jupyter lab {last_error}\n--- server log (tail) ---\n{self.log_tail()}")

    def stop(self):
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        descendants = _children(proc.pid)
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        for pid in descendants:  # whatever outlived the server (a kernel in its own session)
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    # -- use -------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tree_url(self, path: str) -> str:
        # reset: a fresh workspace, so the notebooks of earlier tests are not reopened
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"

    def api(self, method: str, path: str):
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        """End every session (and its kernel) the tests opened: a test leaves no kernel running."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:]).replace(self.token, "<token>")

    def write_notebook(self, path: str, cells: list[str]) -> str:
        """A notebook of code cells in the served folder (on the kubelabs kernel); returns its path."""
        nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
                         "outputs": [], "source": src} for i, src in enumerate(cells)],
              "metadata": {"kernelspec": {"display_name": KERNEL_DISPLAY_NAME, "language": "python",
                                          "name": KERNEL_NAME},
                           "language_info": {"name": "python"}},
              "nbformat": 4, "nbformat_minor": 5}
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(nb, indent=1))
        return path


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    import importlib.util

    absent = [m for m in ("jupyterlab", "ipywidgets", "ipykernel") if importlib.util.find_spec(m) is None]
    if absent:
        missing(f"the browser tests need the `test` extra: no {', '.join(absent)} in {sys.prefix}")
    server = Lab(tmp_path_factory.mktemp("jupyterlab"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        missing(f"the browser tests need the Python package playwright (the `test` extra): {e}")
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"no chromium at {CHROMIUM}: `make test` installs Debian's chromium "
                "(apt-get install --no-install-recommends chromium; needs root or sudo)")
    if ARTIFACTS.is_dir():  # this run's screenshots only
        for old in ARTIFACTS.glob("*.png"):
            old.unlink()
    with sync_playwright() as p:
        # --no-sandbox: CI runs as root, where chromium refuses its sandbox; /dev/shm is tiny in containers
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, lab, request):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(DOM_MS)
    pg = context.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    pg.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    request.node._kl_console = console
    request.node._kl_page = pg
    try:
        yield pg
    finally:
        context.close()
        if lab.proc is not None and lab.proc.poll() is None:
            try:
                lab.shutdown_kernels()
            except OSError as e:  # the server stops them at the end anyway
                print(f"could not shut the test's kernels down: {e}")


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when != "call" or not rep.failed:
        return
    pg = getattr(item, "_kl_page", None)
    if pg is not None:
        try:
            shot = artifact("FAILED-" + re.sub(r"[^\w.-]+", "_", item.name) + ".png")
            pg.screenshot(path=str(shot), full_page=True)
            rep.sections.append(("failure screenshot", str(shot)))
        except Exception as e:  # the page may be gone; the report must still come out
            rep.sections.append(("failure screenshot", f"not taken: {e}"))
    console = getattr(item, "_kl_console", None)
    if console:
        rep.sections.append(("browser console (tail)", "\n".join(console[-30:])))
    server = item.funcargs.get("lab")
    if server is not None:
        rep.sections.append(("jupyter server log (tail)", server.log_tail()))


# -- driving a notebook in the page ------------------------------------------------------------------

#: the notebook panel in front (JupyterLab hides the others with lm-mod-hidden)
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
#: an IPython traceback (an error output; a UsageError from a magic; a SyntaxError's caret block)
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^(UsageError|\w*Error|\w*Exception): ", re.M)
_FRONT_PANEL = "[...document.querySelectorAll('.jp-NotebookPanel')].find(p => !p.classList.contains('lm-mod-hidden'))"
#: the notebook's kernel is connected and idle: the status bar names the kernel and says Idle (the
#: toolbar's execution indicator alone also says idle while the bar still reads "No Kernel |
#: Initializing", and cells run then are lost)
KERNEL_IDLE_JS = """(kernel) => {
    const panel = %s;
    const ind = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
    const bar = [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(e => e.textContent.trim());
    return !!ind && ind.getAttribute('data-status') === 'idle' && bar.includes(kernel + ' | Idle');
}""" % _FRONT_PANEL
#: the code cells' prompts: "[ ]:" never run, "[*]:" queued or running, "[7]:" done
PROMPTS_JS = """() => {
    const panel = %s;
    return panel ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim()) : [];
}""" % _FRONT_PANEL
#: Run All is over: the kernel is idle, no cell is queued or running, and the prompts changed
#: (Run All marks every cell [*] at once; at an error it stops and blanks the cells it skipped)
CELLS_DONE_JS = """([before, kernel]) => {
    const panel = %s;
    if (!panel) return false;
    const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
    const bar = [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(e => e.textContent.trim());
    if (!ind || ind.getAttribute('data-status') !== 'idle' || !bar.includes(kernel + ' | Idle')) return false;
    const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
    return !prompts.some(t => t.includes('*')) && JSON.stringify(prompts) !== JSON.stringify(before);
}""" % _FRONT_PANEL


class Driver:
    """One notebook in the browser tab: open it, run it, find its outputs, take screenshots."""

    PANEL = PANEL

    def __init__(self, page, lab: Lab):
        self.page = page
        self.lab = lab

    @property
    def panel(self):
        return self.page.locator(self.PANEL).last

    def open(self, path: str):
        """Open a notebook and wait until its kernel is idle (the toolbar's execution indicator)."""
        self.page.goto(self.lab.tree_url(path), timeout=PAGE_LOAD_MS)
        self.panel.locator(".jp-Notebook").wait_for(state="visible", timeout=PAGE_LOAD_MS)
        self.wait_kernel_idle(KERNEL_READY_MS)
        return self.panel

    def wait_kernel_idle(self, timeout_ms: int = KERNEL_READY_MS):
        self.page.wait_for_function(KERNEL_IDLE_JS, arg=KERNEL_DISPLAY_NAME, timeout=timeout_ms)

    def run_all(self, timeout_ms: int = RUN_ALL_MS):
        """Run > Run All Cells from the menu bar, then wait until it is over."""
        before = self.prompts()
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        self.page.wait_for_function(CELLS_DONE_JS, arg=[before, KERNEL_DISPLAY_NAME], timeout=timeout_ms)

    def prompts(self) -> list[str]:
        return self.page.evaluate(PROMPTS_JS)

    def errors(self) -> list[str]:
        """The tracebacks under the cells (JupyterLab renders an error like a stderr stream, so
        they are told apart by IPython's traceback text)."""
        texts = self.panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                                   ).all_inner_texts()
        return [t for t in texts if TRACEBACK.search(t)]

    def not_run(self) -> list[int]:
        """Indexes (among code cells) of cells that have not run: Run All stopped before them."""
        return [i for i, p in enumerate(self.prompts()) if not re.search(r"\[\d+\]", p)]

    def shot_page(self, name: str):
        """The whole tab as test-artifacts/<name>.png."""
        self.page.screenshot(path=str(artifact(name + ".png")))

    def shot(self, locator, name: str):
        """A screenshot of one element as test-artifacts/<name>.png."""
        locator.scroll_into_view_if_needed()
        locator.screenshot(path=str(artifact(name + ".png")))


@pytest.fixture
def driver(page, lab):
    return Driver(page, lab)
