"""``kubectl run NAME --image=IMAGE`` (``kubernetes/kubectl: pkg/cmd/run/run.go`` and the
``run-pod/v1`` generator ``pkg/generate/versioned/run.go``, v1.32).

The steps and their error order follow upstream:

1. cobra: flag syntax, then the required ``--image`` (klog ``required flag(s) "image" not set``);
2. ``Complete``: ``--dry-run``, ``-o``; ``--attach`` defaults to ``-i``;
3. ``Run``: NAME (``NAME is required for run``), ``--pod-running-timeout``, the image reference
   (``github.com/distribution/reference``), ``-t`` without ``-i``, ``--expose`` without
   ``--port``, ``--restart``, ``--rm`` without attaching, attaching with a dry run,
   ``--image-pull-policy``; then the generator (``--env``, ``--annotations``, ``--labels``,
   ``--port``), ``--overrides``, ``--record``, and the POST (``Error from server (AlreadyExists)``).

The pod is built as the Go struct is and printed through the typed printer, so
``--dry-run=client -o yaml|json`` is byte-identical to the real client. ``--expose`` creates the
pod, then the Service (``ServiceGeneratorV2``) which is printed first; with ``-o yaml`` the run
command writes its own ``---`` after the Service and the YAML printer another one.

Attaching (``-i``, ``--attach``, ``-t``; notebooks have no terminal): kubectl waits until the pod
is Running and Ready (``--pod-running-timeout``, default 1m; the simulated clock advances while
it waits), or prints the container's log when the pod already completed. Attached, it prints
``If you don't see a command prompt, try pressing enter.`` on stderr and the container's output
from the moment of attaching until the container ends. kubectl's stdin in a notebook is not a
terminal: ``-t`` prints ``Unable to use a TTY - input is not a terminal or the right kind of
file`` first; no keyboard input reaches the container. With ``--restart=Never|OnFailure`` kubectl
waits for the pod to complete and exits with the container's exit code; ``--rm`` deletes what it
created (``pod "bb" deleted``). Simulated limits: the attach stream is the container's log from
the attach instant (lines written in the same simulated instant count as seen); a container still
running after five simulated minutes goes on as an open stream in ``cluster.watches`` (like
``logs -f``: it prints while time passes and ends with the next command, as Ctrl-C would), and
then kubectl neither waits for the exit code nor deletes the pod (``--rm`` runs only when the
session ends normally).
"""
from __future__ import annotations

import json
import re

from labsim.api.registry import REGISTRY
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import CHANGE_CAUSE, prune_nulls, warn_all
from labsim.kubectl.commands.create_generators import _Output, _with_typed_last_applied, is_env_var_name
from labsim.kubectl.printers.typed import to_typed, typed_json
from labsim.kubectl.resource import klog_command_failed, parse_dry_run

POD = REGISTRY.for_api_version("v1", "Pod")
SERVICE = REGISTRY.for_api_version("v1", "Service")

#: how long an attached session holds the command before it goes on as an open stream
#: (simulated seconds)
ATTACH_LIMIT = 300.0

# -- github.com/distribution/reference v0.6.0 regexp.go -------------------------------------------
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = _ALNUM + "(?:" + _SEPARATOR + _ALNUM + ")*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME = _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + ")*"
_HOST = "(?:" + _DOMAIN_NAME + "|" + r"\[(?:[a-fA-F0-9:]+)\]" + ")"
_DOMAIN_AND_PORT = _HOST + r"(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_NAME = "(?:" + _DOMAIN_AND_PORT + "/)?" + _PATH_COMPONENT + "(?:/" + _PATH_COMPONENT + ")*"
REFERENCE_RE = re.compile("^(" + _NAME + ")(?::(" + _TAG + "))?(?:@(" + _DIGEST + "))?$", re.ASCII)


def usage_error(inv, message: str) -> KubectlError:
    """``cmdutil.UsageErrorf``: the message and the ``-h`` hint."""
    return KubectlError(f"{message}\nSee 'kubectl {inv.path} -h' for help and examples")


def go_atoi(s: str) -> int:
    """``strconv.Atoi`` with its error texts."""
    if not re.fullmatch(r"[+-]?[0-9]+", s):
        raise KubectlError(f'strconv.Atoi: parsing {json.dumps(s)}: invalid syntax')
    v = int(s)
    if not -(1 << 63) <= v < (1 << 63):
        raise KubectlError(f'strconv.Atoi: parsing {json.dumps(s)}: value out of range')
    return v


def int32(v: int) -> int:
    """Go's ``int32(v)`` conversion (wraps)."""
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= (1 << 31) else v


def parse_labels(spec: str) -> dict[str, str]:
    """``generate.ParseLabels``: ``k=v,k2=v2`` (no other ``=``, no empty key)."""
    labels: dict[str, str] = {}
    for item in spec.split(","):
        parts = item.split("=")
        if len(parts) != 2:
            raise KubectlError(f"unexpected label spec: {item}")
        if not parts[0]:
            raise KubectlError("unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def parse_pairs(pairs: list[str], pair_type: str) -> dict[str, str]:
    """``cmdutil.ParsePairs`` without removal (``--annotations``)."""
    out: dict[str, str] = {}
    invalid: list[str] = []
    for p in pairs:
        if "=" in p and not p.startswith("="):
            k, _, v = p.partition("=")
            out[k] = v
        else:
            invalid.append(p)
    if invalid:
        raise KubectlError(f"invalid {pair_type} format: {', '.join(invalid)}")
    return out


def parse_envs(envs: list[str]) -> list[dict]:
    """``parseEnvs``: ``NAME=value`` with a valid variable name."""
    out = []
    for e in envs:
        pos = e.find("=")
        if pos <= 0 or is_env_var_name(e[:pos]):
            raise KubectlError(f"invalid env: {e}")
        out.append({"name": e[:pos], "value": e[pos + 1:]})
    return out


def generate_pod(inv, name: str, args: list[str]) -> dict:
    """``BasicPod.Generate`` (run-pod/v1)."""
    opts = inv.opts
    envs = parse_envs(opts.get("env") or [])
    annotations = parse_pairs(opts.get("annotations") or [], "annotations")
    labels_text = opts.get("labels") or ""
    labels = parse_labels(labels_text) if labels_text else {"run": name}
    stdin = bool(opts.get("stdin"))
    container: dict = {"name": name, "image": opts.get("image"), "resources": {}}
    if opts.get("privileged"):
        container["securityContext"] = {"privileged": True}
    if stdin:
        container["stdin"] = True
        if not opts.get("leave-stdin-open"):
            container["stdinOnce"] = True
    if opts.get("tty"):
        container["tty"] = True
    if args:
        container["command" if opts.get("command") else "args"] = list(args)
    if envs:
        container["env"] = envs
    if opts.get("image-pull-policy"):
        container["imagePullPolicy"] = opts.get("image-pull-policy")
    port_text = opts.get("port") or ""
    if port_text:
        container["ports"] = [{"containerPort": int32(go_atoi(port_text))}]
    metadata: dict = {"name": name, "labels": labels}
    if annotations:
        metadata["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst",
                     "restartPolicy": opts.get("restart") or "Always"}}


def generate_service(inv, name: str) -> dict:
    """``generateService`` (``ServiceGeneratorV2`` with run's parameters): selector = ``--labels``
    (or ``run=NAME``), labels = ``--labels``, one unnamed TCP port with ``targetPort`` = port;
    built by expose's ``createService`` (labsim.kubectl.commands.expose.generate_service)."""
    from labsim.kubectl.commands.expose import generate_service as create_service

    labels_text = inv.opts.get("labels") or ""
    return create_service(name, labels_text or f"run={name}", labels=labels_text, port=inv.opts.get("port"))


def apply_overrides(inv, obj: dict, rt=POD) -> dict:
    """``--overrides`` (``cmdutil.Overrider``): a merge (default), JSON or strategic patch of the
    generated object's JSON, decoded back into the Go struct (unknown fields dropped). Shared by
    ``run`` (a Pod) and ``expose`` (a Service)."""
    from labsim.api import patch as jsonpatch
    from labsim.api import strategic

    text = inv.opts.get("overrides") or ""
    if not text:
        return obj
    kind = inv.opts.get("override-type") or "merge"
    if kind not in ("json", "merge", "strategic"):
        raise KubectlError(f"invalid override type: {kind}")
    doc = json.loads(typed_json(obj))
    try:
        fragment = json.loads(text)
    except ValueError:
        if kind == "json":
            raise KubectlError(go_json_error(text)) from None
        # evanphx/json-patch MergePatch: errBadJSONPatch; strategicpatch: ErrBadJSONDoc
        raise KubectlError("Invalid JSON Patch" if kind == "merge" else "invalid JSON document") from None
    try:
        if kind == "merge":
            if not isinstance(fragment, dict):
                raise KubectlError("Invalid JSON Patch")
            patched = jsonpatch.merge_patch(doc, fragment)
        elif kind == "json":
            if not isinstance(fragment, list):
                raise KubectlError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
            patched = jsonpatch.apply_json_patch(doc, fragment)
        else:
            if not isinstance(fragment, dict):
                raise KubectlError(f"unable to find api field in struct {rt.kind} for the json field \"\"")
            patched = strategic.strategic_merge_patch(doc, fragment, strategic.patch_meta_for(rt))
    except (jsonpatch.JSONPatchError, strategic.PatchError) as e:
        raise KubectlError(str(e)) from None
    if not isinstance(patched, dict) or patched.get("kind") != rt.kind or patched.get("apiVersion") != "v1":
        raise KubectlError(f"the overrides must keep apiVersion v1 and kind {rt.kind}")
    return to_typed(patched)


def go_json_error(text: str) -> str:
    """``encoding/json.Unmarshal``'s syntax error for ``text``."""
    from labsim.api.decode import _go_json_scan

    end, err, _ = _go_json_scan(text, 0)
    if err == "unexpected EOF":
        return "unexpected end of JSON input"
    if err:
        return err
    rest = text[end:].lstrip(" \t\r\n")
    if rest:
        return f"invalid character {json.dumps(rest[0]).replace(chr(34), chr(39))} after top-level value"
    return "unexpected end of JSON input"


def restart_policy(inv) -> str:
    """``getRestartPolicy``."""
    restart = inv.opts.get("restart")
    if restart == "":
        return "OnFailure" if inv.opts.get("stdin") else "Always"
    if restart in ("Always", "OnFailure", "Never"):
        return restart
    raise usage_error(inv, f"invalid restart policy: {restart}")


@command("run")
def run(inv) -> None:
    opts = inv.opts
    if not opts.changed("image"):
        # cobra's required flags, checked before the command runs
        raise klog_command_failed(inv, 'required flag(s) "image" not set')
    # -- Complete
    dry_run = parse_dry_run(inv)
    attach = bool(opts.get("attach")) if opts.changed("attach") else bool(opts.get("stdin"))
    printer = _Output(inv)
    # -- Run
    dash = inv.args_len_at_dash
    if dash == 0 and inv.args:
        # observed with the real v1.32.4 client: "run --image=nginx -- sleep 1" creates pod
        # "sleep" with args ["1"]; a "--" with nothing before it does not count
        dash = -1
    if not inv.args or dash == 0:
        raise usage_error(inv, "NAME is required for run")
    timeout = opts.get("pod-running-timeout")
    if timeout <= 0:
        raise usage_error(inv, "--pod-running-timeout must be higher than zero")
    image = opts.get("image")
    if image == "":
        raise KubectlError("--image is required")
    if not REFERENCE_RE.match(image):
        raise KubectlError(f"Invalid image name {json.dumps(image)}: invalid reference format")
    if opts.get("tty") and not opts.get("stdin"):
        raise usage_error(inv, "-i/--stdin is required for containers with -t/--tty=true")
    if opts.get("expose") and not opts.get("port"):
        raise usage_error(inv, "--port must be set when exposing a service")
    namespace = inv.namespace
    policy = restart_policy(inv)
    remove = bool(opts.get("rm"))
    if not attach and remove:
        raise usage_error(inv, "--rm should only be used for attached containers")
    if attach and dry_run != "none":
        raise usage_error(inv, "--dry-run=[server|client] can't be used with attached containers options "
                               "(--attach, --stdin, or --tty)")
    pull = opts.get("image-pull-policy")
    if pull not in ("", "Always", "IfNotPresent", "Never"):
        raise usage_error(inv, f"invalid image pull policy: {pull}")
    name = inv.args[0]
    if name == "":
        raise KubectlError("Parameter: name is required")

    pod = apply_overrides(inv, generate_pod(inv, name, inv.args[1:]))
    pod_obj = _create(inv, pod, namespace, dry_run)
    created = [(POD, pod_obj)]
    errs: list[Exception] = []
    if opts.get("expose"):
        try:
            svc = _create(inv, generate_service(inv, name), namespace, dry_run)
        except (StatusError, KubectlError) as e:
            errs.append(e)
        else:
            created.append((SERVICE, svc))
            printer.print(SERVICE, svc, dry_run)
            if printer.format == "yaml":
                inv.println("---")
                printer.format = "yaml-next"
    if attach:
        _attach(inv, pod_obj, created, policy, remove, timeout)
        return
    if printer.format == "yaml-next":
        # cli-runtime's YAMLPrinter separates its second object with its own "---"
        inv.println("---")
        printer.format = "yaml"
    printer.print(POD, pod_obj, dry_run)
    if errs:
        raise errs[0]


def _create(inv, obj: dict, namespace: str, dry_run: str) -> dict:
    """``createGeneratedObject`` after generation: record, annotate, POST (unless client dry run)."""
    if inv.opts.get("record"):
        md = obj["metadata"]
        md["annotations"] = {**(md.get("annotations") or {}), CHANGE_CAUSE: inv.change_cause()}
    if dry_run == "client":
        if inv.namespace_explicit:
            obj["metadata"]["namespace"] = namespace
        return obj
    if inv.opts.get("save-config"):
        obj = _with_typed_last_applied(obj)
    warnings: list[str] = []
    try:
        return inv.api.create(prune_nulls(to_typed(obj)), namespace, dry_run=dry_run == "server",
                              field_validation="Warn", warnings=warnings)
    finally:
        warn_all(inv, warnings)


# -- attaching ------------------------------------------------------------------------------------

def _pod_ready(pod: dict) -> bool:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready" and c.get("status") == "True":
            return True
    return False


def wait_for_pod(inv, namespace: str, name: str, timeout: float, condition) -> dict:
    """``waitForPod``: watch one pod (list, then every change) until ``condition(event_type, pod)``
    returns True, advancing the simulated clock; a deleted pod is NotFound, and the deadline is
    ``timed out waiting for the condition`` (client-go ``wait.ErrWaitTimeout``)."""
    clock = inv.cluster.clock
    deadline = clock.now + timeout
    state: dict = {}

    def check(etype: str, obj: dict) -> None:
        if "done" in state or "error" in state:
            return
        try:
            if condition(etype, obj):
                state["done"] = obj
        except (StatusError, KubectlError) as e:
            state["error"] = e

    def on_event(ev) -> None:
        md = (ev.object or {}).get("metadata") or {}
        if md.get("namespace") == namespace and md.get("name") == name:
            check(ev.type, ev.object)

    stop = inv.cluster.store.watch(on_event, POD)
    try:
        current = inv.api.try_get(POD, namespace, name)
        if current is None:
            raise StatusError("NotFound", 404, 'pods "" not found')
        check("ADDED", current)
        while "done" not in state and "error" not in state:
            nxt = clock.next_time()
            if nxt is None or nxt > deadline:
                clock.run_until(deadline)
                if "done" in state or "error" in state:
                    break
                raise KubectlError("timed out waiting for the condition")
            clock.step()
        clock.run_until(clock.now)
    finally:
        stop()
    if "error" in state:
        raise state["error"]
    return state["done"]


class _PodCompleted(Exception):
    """``ErrPodCompleted``: the pod finished before kubectl could attach."""


def _deleted_is_not_found(etype: str) -> None:
    if etype == "DELETED":
        raise StatusError("NotFound", 404, 'pods "" not found')


def _running_and_ready(etype: str, pod: dict) -> bool:
    _deleted_is_not_found(etype)
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        return True
    return phase == "Running" and _pod_ready(pod)


def _completed(etype: str, pod: dict) -> bool:
    _deleted_is_not_found(etype)
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def _succeeded(etype: str, pod: dict) -> bool:
    _deleted_is_not_found(etype)
    return (pod.get("status") or {}).get("phase") == "Succeeded"


def _attach(inv, pod_obj: dict, created: list, policy: str, remove: bool, timeout: float) -> None:
    from labsim.kubectl.commands import logs as logs_cmd

    namespace = (pod_obj.get("metadata") or {}).get("namespace") or inv.namespace
    name = pod_obj["metadata"]["name"]
    error: Exception | None = None
    try:
        pod = wait_for_pod(inv, namespace, name, timeout, _running_and_ready)
        container = pod["spec"]["containers"][0]["name"]
        if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            # logOpts: the pod ran to completion before kubectl attached
            logs_cmd.print_container_log(inv, pod, container)
        elif not _attach_session(inv, pod, container):
            return  # still attached: an open stream (see the module doc)
        if not inv.opts.get("leave-stdin-open") and policy in ("Never", "OnFailure"):
            pod = wait_for_pod(inv, namespace, name, timeout, _completed if policy == "Never" else _succeeded)
            error = _exit_error(pod)
    except (StatusError, KubectlError) as e:
        error = e
    if remove:
        _remove(inv, created)
    if error is not None:
        raise error


def _attach_session(inv, pod: dict, container: str) -> bool:
    """``AttachOptions.Run`` without a terminal: TTY notice, prompt hint, the container's output
    from now until it ends (bounded, see the module doc)."""
    from labsim.kubectl.commands import logs as logs_cmd

    quiet = bool(inv.opts.get("quiet"))
    spec = next((c for c in pod["spec"]["containers"] if c["name"] == container), {})
    tty = bool(inv.opts.get("tty"))
    if tty and not spec.get("tty"):
        tty = False
        if not quiet:
            inv.eprintln(f"error: Unable to use a TTY - container {container} did not allocate one")
    elif not tty and spec.get("tty"):
        tty = True
    if inv.opts.get("stdin") and tty and not quiet:
        # SetupTTY: a notebook's stdin is not a terminal
        inv.eprintln("Unable to use a TTY - input is not a terminal or the right kind of file")
    if not quiet:
        inv.eprintln("If you don't see a command prompt, try pressing enter.")
    since = inv.cluster.clock.now
    return logs_cmd.follow_until_exit(inv, pod, container, since, ATTACH_LIMIT)


def _exit_error(pod: dict) -> Exception | None:
    """The exit status kubectl returns after waiting for the pod to complete."""
    status = pod.get("status") or {}
    phase = status.get("phase")
    md = pod["metadata"]
    if phase == "Succeeded":
        return None
    if phase == "Failed":
        unknown = KubectlError(f"pod {md.get('namespace')}/{md['name']} failed with unknown exit code")
        statuses = status.get("containerStatuses") or []
        term = ((statuses[0].get("state") or {}).get("terminated")) if statuses else None
        if not term:
            return unknown
        rc = term.get("exitCode") or 0
        if rc == 0:
            return unknown
        # uexec.CodeExitError: printed as is (no "error: "), exit status = the container's
        e = KubectlError(f"pod {md.get('namespace')}/{md['name']} terminated ({term.get('reason', '')})\n"
                         f"{term.get('message', '')}")
        e.verbatim = True  # type: ignore[attr-defined]
        e.exit_code = rc  # type: ignore[attr-defined]
        return e
    return KubectlError(f"pod {md.get('namespace')}/{md['name']} left in phase {phase}")


def _remove(inv, created: list) -> None:
    """``removeCreatedObjects``: delete each (ignore not found, no wait) and print it."""
    from labsim.kubectl.commands.delete import kind_string

    for rt, obj in created:
        md = obj.get("metadata") or {}
        try:
            inv.api.delete(rt, md.get("namespace") or inv.namespace, md["name"])
        except StatusError as e:
            if e.reason == "NotFound":
                continue
            raise
        if not inv.opts.get("quiet"):
            inv.println(f'{kind_string(rt)} "{md["name"]}" deleted')
