"""``kubectl exec`` and ``kubectl attach`` (``kubernetes/kubectl: pkg/cmd/exec/exec.go``,
``pkg/cmd/attach/attach.go``, v1.32), run through the node's kubelet
(``cluster.kubelet_for(node).exec(pod, container, argv, stdin=, tty=)``).

* kubectl: ``exec POD COMMAND`` without ``--`` is refused (``exec [POD] [COMMAND] is not
  supported anymore. Use exec [POD] -- [COMMAND] instead``); no command: ``you must specify at
  least one command for the container``; a Succeeded/Failed pod: ``cannot exec into a container
  in a completed pod; current phase is Succeeded``; without ``-c`` the
  ``kubectl.kubernetes.io/default-container`` annotation or the first container is used
  (``Defaulted container "web" out of: web, sidecar`` on stderr unless ``-q``); ``TYPE/NAME``
  picks one pod as ``AttachablePodForObject`` does.
* the API server (``streamLocation``): an unknown ``-c`` is ``Error from server (BadRequest):
  container nosuch is not valid for pod web``; a pod not bound to a node ``pod web does not
  have a host assigned``.
* the kubelet: runs the command in the container's model; its errors (container not running)
  come back as it words them.

The command's stdout is printed, then its stderr; a non-zero exit code prints ``command
terminated with exit code N`` on stderr and kubectl exits with N (client-go ``remotecommand``'s
``CodeExitError``). A command the runtime cannot start (executable not found) is containerd's
``Internal error occurred: error executing command in container: ...`` (exit 1).

Notebooks have no terminal: ``-t`` with ``-i`` prints ``Unable to use a TTY - input is not a
terminal or the right kind of file`` (``StreamOptions.SetupTTY``) and the command runs without a
TTY; ``-i`` passes the cell's stdin (``%%kubectl`` input or ``stdin=``) to the command, which then
sees end of input, as ``echo ... | kubectl exec -i`` does.
"""
from __future__ import annotations

from labsim.api.registry import REGISTRY
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands import logs as logs_cmd

POD = REGISTRY.for_api_version("v1", "Pod")
NO_TTY = "Unable to use a TTY - input is not a terminal or the right kind of file"


def _usage(inv, message: str) -> KubectlError:
    return KubectlError(f"{message}\nSee 'kubectl {inv.path} -h' for help and examples")


def _active_key(pod: dict):
    """``sort.Reverse(podutils.ActivePods)``: assigned, Running, ready, ready longer, fewer
    restarts, older first."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    phase_rank = {"Running": 0, "Unknown": 1, "Pending": 2}.get(status.get("phase") or "", 3)
    ready_at = logs_cmd._ready_time(pod)
    created = (pod.get("metadata") or {}).get("creationTimestamp") or "~"
    return (0 if spec.get("nodeName") else 1, phase_rank, 0 if ready_at else 1, ready_at or "~",
            logs_cmd._max_restarts(pod), created)


def attachable_pod(inv, arg: str, timeout: float) -> dict:
    """The builder (``pods`` NAME or TYPE/NAME) and ``AttachablePodForObject``."""
    from labsim.kubectl import resource

    namespace = inv.namespace
    if "/" in arg:
        rt, names = resource.parse_resource_args([arg]).selections[0]
    else:
        rt, names = POD, [arg]
    obj = inv.api.get(rt, namespace if rt.namespaced else None, names[0])
    if obj.get("kind") == "Pod":
        return obj
    selector = logs_cmd.selector_for(obj)
    clock = inv.cluster.clock
    deadline = clock.now + timeout
    while True:
        pods = [p for p in inv.api.list(POD, obj["metadata"].get("namespace"))
                if selector.matches((p.get("metadata") or {}).get("labels"))]
        if pods:
            return sorted(pods, key=_active_key)[0]
        nxt = clock.next_time()
        if nxt is None or nxt > deadline:
            clock.run_until(deadline)
            raise KubectlError("timed out waiting for the condition")
        clock.step()


def default_container(inv, pod: dict, quiet: bool) -> dict:
    """``podcmd.FindOrDefaultContainerByName`` with an empty name."""
    spec = pod.get("spec") or {}
    containers = spec.get("containers") or []
    if not containers:
        raise KubectlError(f"pod {pod['metadata'].get('namespace')}/{pod['metadata']['name']} does not have "
                           f"any containers")
    annotated = ((pod.get("metadata") or {}).get("annotations") or {}).get(logs_cmd.DEFAULT_CONTAINER_ANNOTATION)
    if annotated:
        found, _ = logs_cmd.find_container(pod, annotated)
        if found is not None:
            return found
    if not quiet and logs_cmd.has_several_containers(pod):
        inv.eprintln(f'Defaulted container "{containers[0]["name"]}" out of: {logs_cmd.all_container_names(pod)}')
    return containers[0]


def stream_location(pod: dict, container: str) -> None:
    """The API server's checks before it proxies exec/attach to the kubelet."""
    name = pod["metadata"]["name"]
    if logs_cmd.find_container(pod, container)[0] is None:
        raise StatusError("BadRequest", 400, f"container {container} is not valid for pod {name}")
    if not (pod.get("spec") or {}).get("nodeName"):
        raise StatusError("BadRequest", 400, f"pod {name} does not have a host assigned")


def _exec_id(inv) -> str:
    rng = inv.cluster.rand.stream("containerd/exec-ids")
    return "".join(rng.choice("0123456789abcdef") for _ in range(64))


@command("exec")
def exec_(inv) -> None:
    opts = inv.opts
    args = list(inv.args)
    dash = inv.args_len_at_dash
    filenames = opts.get("filename") or []
    resource_name = args[0] if args and dash != 0 else ""
    argv: list[str] = []
    if dash > -1:
        argv = args[dash:]
    elif len(args) > 1 or (args and filenames):
        raise _usage(inv, "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead")
    timeout = opts.get("pod-running-timeout")
    if timeout <= 0:
        raise _usage(inv, "--pod-running-timeout must be higher than zero")
    if not resource_name and not filenames:
        raise KubectlError("pod, type/name or --filename must be specified")
    if not argv:
        raise KubectlError("you must specify at least one command for the container")
    if filenames:
        from labsim.kubectl.resource import read_manifests

        manifests = [m for m in read_manifests(inv, filenames) if m.error is None]
        if len(manifests) != 1:
            raise KubectlError("cannot exec into multiple objects at a time")
        m = manifests[0]
        resource_name = f"{m.rt.plural}/{m.obj['metadata']['name']}"
    pod = attachable_pod(inv, resource_name, timeout)
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"cannot exec into a container in a completed pod; current phase is {phase}")
    quiet = bool(opts.get("quiet"))
    container = opts.get("container") or default_container(inv, pod, quiet)["name"]
    stdin = bool(opts.get("stdin"))
    if stdin and opts.get("tty") and not quiet:
        inv.eprintln(NO_TTY)
    stream_location(pod, container)
    kubelet = logs_cmd.kubelet_for(inv, pod)
    result = kubelet.exec(pod, container, argv, stdin=(inv.stdin or "") if stdin else None, tty=False)
    if result.error:
        raise KubectlError("Internal error occurred: error executing command in container: failed to exec in "
                           f'container: failed to start exec "{_exec_id(inv)}": OCI runtime exec failed: exec '
                           f"failed: unable to start container process: {result.error}: unknown")
    inv.out(result.stdout)
    inv.err(result.stderr)
    if result.exit_code:
        inv.eprintln(f"command terminated with exit code {result.exit_code}")
        inv.result.exit_code = result.exit_code


@command("attach")
def attach(inv) -> None:
    """``kubectl attach POD [-c C] [-i] [-t]``: without a terminal, print the container's output
    from now until it ends (after five simulated minutes as an open stream; see ``run``)."""
    from labsim.kubectl.commands.run import ATTACH_LIMIT

    opts = inv.opts
    args = list(inv.args)
    if len(args) == 0:
        raise KubectlError("at least 1 argument is required for attach")
    if len(args) > 2:
        raise KubectlError(f"expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw {len(args)}: "
                           f"[{' '.join(args)}]")
    timeout = opts.get("pod-running-timeout")
    if timeout <= 0:
        raise _usage(inv, "--pod-running-timeout must be higher than zero")
    arg = args[0] if len(args) == 1 else f"{args[0]}/{args[1]}"
    pod = attachable_pod(inv, arg, timeout)
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"cannot attach a container in a completed pod; current phase is {phase}")
    quiet = bool(opts.get("quiet"))
    name = opts.get("container") or ""
    if name:
        spec, _ = logs_cmd.find_container(pod, name)
        if spec is None:
            raise KubectlError(f"cannot attach to the container: container {name} not found in pod "
                               f"{pod['metadata']['name']}")
    else:
        spec = default_container(inv, pod, quiet)
    tty = bool(opts.get("tty"))
    if tty and not spec.get("tty"):
        tty = False
        if not quiet:
            inv.eprintln(f"error: Unable to use a TTY - container {spec['name']} did not allocate one")
    elif not tty and spec.get("tty"):
        tty = True
    if opts.get("stdin") and tty and not quiet:
        inv.eprintln(NO_TTY)
    stream_location(pod, spec["name"])
    if not quiet:
        inv.eprintln("If you don't see a command prompt, try pressing enter.")
    logs_cmd.follow_until_exit(inv, pod, spec["name"], inv.now, ATTACH_LIMIT)
