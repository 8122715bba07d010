"""``kubectl rollout status|history|undo|pause|resume|restart`` (``kubernetes/kubectl:
pkg/cmd/rollout/*.go``, v1.32), on top of :mod:`labsim.kubectl.polymorphic`.

Each sub-command validates its arguments, lets the resource builder fetch the objects
(``ResourceTypeOrNameArgs(true, ...)``: ``rollout status deployment`` takes every Deployment of the
namespace; ``ContinueOnError``: an object that is missing is reported with the others' results),
then acts on each object as upstream does:

* ``status`` lists the object and watches it (``watchtools.UntilWithSync`` with the field
  selector ``metadata.name=<name>``): it prints the status viewer's line for the object and again
  for **every** ADDED/MODIFIED event, without de-duplication, until the rollout is done, the
  viewer fails (``exceeded its progress deadline``), the object is deleted, or ``--timeout``
  expires (``timed out waiting for the condition``); ``--watch=false`` prints one line. kubectl
  blocks while it waits, so the simulated clock advances inside the command (as for an attached
  ``kubectl run -i``); a rollout still going after :data:`HOLD_LIMIT` simulated seconds goes on
  as an open stream in ``cluster.watches`` (it prints while time passes and ends with the next
  command, as Ctrl-C would; its exit status is then 0).
* ``history`` prints ``deployment.apps/web `` followed by the revision table (or one revision's
  pod template with raw tabs) through the name printer; ``-o yaml|json|name`` prints the
  revisions' objects (ReplicaSets of a Deployment) instead.
* ``undo`` runs the kind's Rollbacker and prints its result as the operation (``rolled back``,
  ``skipped rollback (...)``, or the revision's template for ``--dry-run=client``).
* ``pause`` / ``resume`` / ``restart`` compute a strategic merge patch from the object pauser,
  resumer or restarter (``set.CalculatePatches``) and send it; per-object errors read
  ``deployments.apps "web" is already paused`` and are printed together at the end.
"""
from __future__ import annotations

from labsim.api import labels as labelsel
from labsim.api.registry import ResourceType
from labsim.api.strategic import create_two_way_merge_patch, patch_meta_for
from labsim.errors import KubectlError, StatusError
from labsim.kubectl import polymorphic
from labsim.kubectl.cli import command
from labsim.kubectl.errors import format_errors
from labsim.kubectl.resource import (NO_TYPE_NEEDED, ONE_SLASH, PROVIDE_RESOURCES, SINGLE_RESOURCE, object_namespace,
                                     parse_dry_run, read_manifests, resolve_type, resolve_types, success_line)

#: how long ``rollout status`` holds the command before it goes on as an open stream (simulated
#: seconds; the same bound as an attached ``kubectl run -i``)
HOLD_LIMIT = 300.0

REQUIRED_RESOURCE = "required resource not specified"
PRINTER_FORMATS = ("go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                   "templatefile,yaml")


def check_printer(inv) -> str:
    """``PrintFlags.ToPrinter`` for the write verbs (no ``wide``, no tables)."""
    fmt = inv.opts.get("output") or ""
    if fmt in ("", "name", "yaml", "json"):
        return fmt
    if fmt.split("=", 1)[0] in PRINTER_FORMATS.split(","):
        raise KubectlError(f'-o {fmt.split("=", 1)[0]} is not available for this command in this simulated cluster')
    raise KubectlError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                       f"{PRINTER_FORMATS}")


# -- the resource builder (cli-runtime pkg/resource/builder.go) as these verbs use it -----------------

class Info:
    """``resource.Info``: one object the builder fetched."""

    __slots__ = ("rt", "namespace", "name", "obj", "source")

    def __init__(self, rt: ResourceType, namespace: str | None, name: str, obj: dict, source: str = ""):
        self.rt, self.namespace, self.name, self.obj, self.source = rt, namespace, name, obj, source


def builder_infos(inv, args: list[str], *, allow_empty_selector: bool, select_all: bool = False,
                  selector: str = "", filenames: list[str] | None = None,
                  local: bool = False) -> tuple[list[Info], list[Exception]]:
    """``NewBuilder()...ResourceTypeOrNameArgs(allowEmptySelector, args...).ContinueOnError().Latest()
    .Flatten().Do()``: (infos, per-object errors). Argument errors (``r.Err()``) are raised.

    ``local`` is ``LocalParam(true)``: objects come from the files only and are not fetched."""
    filenames = filenames or []
    infos: list[Info] = []
    errs: list[Exception] = []
    if filenames and args and not local:
        raise KubectlError("when paths, URLs, or stdin is provided as input, you may not specify a resource by "
                           "argument as well")
    if filenames:
        for m in read_manifests(inv, filenames, bool(inv.opts.get("recursive"))):
            if m.error is not None:
                raise m.error
            ns = object_namespace(inv, m.rt, m.obj)
            name = (m.obj.get("metadata") or {}).get("name", "")
            if local:
                infos.append(Info(m.rt, ns, name, m.obj, m.source))
                continue
            try:
                infos.append(Info(m.rt, ns, name, inv.api.get(m.rt, ns, name), m.source))
            except StatusError as e:
                errs.append(e)
        return infos, errs
    if local:
        return infos, errs
    if not args:
        raise KubectlError(PROVIDE_RESOURCES)
    pairs: list[tuple[ResourceType, str]] = []
    if any("/" in a for a in args):
        for a in args:
            if "/" not in a:
                raise KubectlError(NO_TYPE_NEEDED)
            parts = a.split("/")
            if len(parts) > 2:
                raise KubectlError(ONE_SLASH)
            if "," in parts[0] or not parts[0] or not parts[1]:
                raise KubectlError(SINGLE_RESOURCE)
            pairs.append((resolve_type(parts[0]), parts[1]))
        if selector or select_all:
            raise KubectlError("selectors and the all flag cannot be used when passing resource/name arguments")
    else:
        types = resolve_types(args[0])
        names = args[1:]
        if names:
            if selector:
                raise KubectlError("name cannot be provided when a selector is specified")
            if len(types) > 1:
                raise KubectlError(SINGLE_RESOURCE)
            pairs = [(types[0], n) for n in names]
        else:
            if not selector and not (allow_empty_selector or select_all):
                raise KubectlError("resource(s) were provided, but no name was specified")
            try:
                sel = labelsel.parse(selector) if selector else None
            except labelsel.LabelSelectorError as e:
                raise KubectlError(str(e)) from None
            for rt in types:
                ns = inv.namespace if rt.namespaced else None
                for obj in inv.api.list(rt, ns):
                    md = obj.get("metadata") or {}
                    if sel is None or sel.matches(md.get("labels") or {}):
                        infos.append(Info(rt, ns, md.get("name", ""), obj))
            return infos, errs
    for rt, name in pairs:
        ns = inv.namespace if rt.namespaced else None
        try:
            infos.append(Info(rt, ns, name, inv.api.get(rt, ns, name)))
        except StatusError as e:
            errs.append(e)
    return infos, errs


def flatten_errors(errs: list[Exception]) -> None:
    """Exit through checkErr with these errors (one, or an aggregate)."""
    if errs:
        if len(errs) == 1:
            raise errs[0]
        raise _Aggregate(errs)


class _Aggregate(KubectlError):
    def __init__(self, errs: list[Exception]):
        super().__init__(format_errors(errs))
        self.verbatim = True


def print_result(inv, fmt: str, rt: ResourceType, obj: dict, operation: str, dry_run: str = "none",
                 count: list[int] | None = None, typed: bool = True) -> None:
    """The command's PrintFlags: the name printer with ``operation``, ``-o name``, or the object
    (``-o yaml`` separates documents with ``---``): typed, in Go field order, for the commands whose
    objects are typed (rollout, set); ``typed=False`` for the unstructured ones of ``scale``
    (keys sorted)."""
    from labsim.kubectl.printers import output
    from labsim.kubectl.printers.typed import to_typed, typed_json

    name = (obj.get("metadata") or {}).get("name", "")
    obj = output.strip_managed_fields(obj) if fmt in ("yaml", "json") else obj
    if fmt == "":
        inv.println(success_line(rt, name, operation, dry_run))
    elif fmt == "name":
        inv.println(output.name_line(rt, obj))
    elif fmt == "yaml":
        if count is not None:
            count[0] += 1
            if count[0] > 1:
                inv.out("---\n")
        inv.out(output.to_yaml(to_typed(obj) if typed else obj))
    else:
        inv.out(typed_json(obj) if typed else output.to_json(obj))


def _validate_resources(inv) -> None:
    if not inv.args and not (inv.opts.get("filename") or []) and not inv.opts.get("kustomize"):
        raise KubectlError(REQUIRED_RESOURCE)


def _kustomize(inv) -> None:
    if inv.opts.get("kustomize"):
        raise KubectlError("kustomize directories are not available in this simulated cluster")


def _infos(inv, **kw) -> tuple[list[Info], list[Exception]]:
    return builder_infos(inv, list(inv.args), allow_empty_selector=True, selector=inv.opts.get("selector") or "",
                         filenames=list(inv.opts.get("filename") or []), **kw)


# -- rollout status ------------------------------------------------------------------------------------

class RolloutStatus:
    """One ``rollout status``: the objects one after another, each watched until it is done."""

    def __init__(self, inv, infos: list[Info], errs: list[Exception], revision: int, watch: bool, timeout: float):
        self.inv = inv
        self.cluster = inv.cluster
        self.queue = list(infos)
        self.errs = list(errs)
        self.revision = revision
        self.watch = watch
        self.timeout = timeout
        self.streaming = False
        self.finished = False
        self.stopped = False
        self._pending: list[str] = []
        self._current: Info | None = None
        self._viewer = None
        self._stop_watch = None
        self._timer = None

    # output goes to the command's result while it holds, to the stream afterwards
    def _out(self, text: str) -> None:
        if self.streaming:
            self._pending.append(text)
        else:
            self.inv.out(text)

    def _err(self, text: str) -> None:
        if self.streaming:
            self._pending.append(text)
        else:
            self.inv.err(text)

    def start(self) -> None:
        self._next()

    def _next(self) -> None:
        while self.queue:
            info = self.queue.pop(0)
            try:
                self._viewer = polymorphic.status_viewer_for(info.rt)
            except KubectlError as e:
                self.errs.append(e)
                continue
            self._current = info
            # UntilWithSync: the initial list (empty if the object went away since the builder
            # fetched it: then only an ADDED event or the timeout ends the wait), then the watch
            obj = self.inv.api.try_get(info.rt, info.namespace, info.name)
            if self.timeout > 0:
                self._timer = self.cluster.clock.call_later(self.timeout, self._on_timeout)
            self._stop_watch = self.cluster.store.watch(self._on_event, info.rt)
            if obj is not None:
                self._handle(obj)
            if self._current is not None:
                return  # waiting for events
        self._finish()

    def _handle(self, obj: dict) -> None:
        try:
            msg, done = self._viewer(obj, self.revision)
        except KubectlError as e:
            self._end_current(e)
            return
        self._out(msg)
        if done or not self.watch:
            self._end_current(None)

    def _on_event(self, ev) -> None:
        info = self._current
        if info is None or self.stopped:
            return
        md = (ev.object or {}).get("metadata") or {}
        if md.get("name") != info.name or (info.rt.namespaced and md.get("namespace") != info.namespace):
            return
        if ev.type == "DELETED":
            # rollout_status.go: abort rather than silently watch a re-created object
            self._end_current(KubectlError("object has been deleted"))
            return
        self._handle(ev.object)

    def _on_timeout(self) -> None:
        self._timer = None
        if self._current is not None and not self.stopped:
            self._end_current(KubectlError("timed out waiting for the condition"))

    def _end_current(self, err: Exception | None) -> None:
        if self._stop_watch is not None:
            self._stop_watch()
            self._stop_watch = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._current = None
        if err is not None:
            self.errs.append(err)
        self._next()

    def _finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        if self.errs:
            self._err(format_errors(self.errs))
            if not self.streaming:
                self.inv.result.exit_code = 1

    # -- an open stream (cluster.watches) ---------------------------------------------------------
    def drain(self) -> str:
        out = "".join(self._pending)
        self._pending.clear()
        return out

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            if self._stop_watch is not None:
                self._stop_watch()
                self._stop_watch = None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None


@command("rollout status")
def rollout_status(inv) -> None:
    _validate_resources(inv)
    revision = inv.opts.get("revision")
    if revision < 0:
        raise KubectlError(f"revision must be a positive integer: {revision}")
    _kustomize(inv)
    infos, errs = _infos(inv)
    if not infos and not errs:
        inv.eprintln(f"No resources found in {inv.namespace} namespace.")
        return
    session = RolloutStatus(inv, infos, errs, revision, bool(inv.opts.get("watch")), inv.opts.get("timeout") or 0.0)
    clock = inv.cluster.clock
    session.start()
    limit = clock.now + HOLD_LIMIT
    while not session.finished:
        nxt = clock.next_time()
        if nxt is None or nxt > limit:
            clock.run_until(limit)
            break
        clock.step()
    if not session.finished:
        clock.run_until(clock.now)
    if not session.finished:
        session.streaming = True
        inv.cluster.watches.append(session)


# -- rollout history -----------------------------------------------------------------------------------

@command("rollout history")
def rollout_history(inv) -> None:
    _validate_resources(inv)
    revision = inv.opts.get("revision")
    if revision < 0:
        raise KubectlError(f"revision must be a positive integer: {revision}")
    fmt = check_printer(inv)
    _kustomize(inv)
    infos, errs = _infos(inv)
    count = [0]
    for info in infos:
        try:
            viewer = polymorphic.history_viewer_for(inv.api, info.rt)
            if fmt:
                history = viewer.get_history(info.namespace, info.name)
                revisions = [revision] if revision > 0 else sorted(history)
                for rev in revisions:
                    obj = history.get(rev)
                    if obj is None:
                        continue
                    rt = inv.api.registry.for_api_version(obj.get("apiVersion", ""), obj.get("kind", ""))
                    print_result(inv, fmt, rt, obj, "", count=count)
                continue
            text = viewer.view_history(info.namespace, info.name, revision)
            with_revision = f"with revision #{revision}" if revision > 0 else ""
            inv.println(success_line(info.rt, info.name, f"{with_revision}\n{text}"))
        except (KubectlError, StatusError) as e:
            errs.append(e)
    flatten_errors(errs)


# -- rollout undo --------------------------------------------------------------------------------------

@command("rollout undo")
def rollout_undo(inv) -> None:
    dry_run = parse_dry_run(inv)
    fmt = check_printer(inv)
    _validate_resources(inv)
    _kustomize(inv)
    infos, errs = _infos(inv)
    to_revision = inv.opts.get("to-revision")
    count = [0]
    for info in infos:
        try:
            rollbacker = polymorphic.rollbacker_for(inv.api, info.rt)
            result = rollbacker.rollback(info.obj, to_revision, dry_run)
            # the printer shows the object as the builder fetched it (info.Object is not refreshed)
            print_result(inv, fmt, info.rt, info.obj, result, dry_run if dry_run == "client" else
                         ("server" if dry_run == "server" else "none"), count=count)
        except (KubectlError, StatusError) as e:
            errs.append(e)
    flatten_errors(errs)


# -- rollout pause / resume / restart ------------------------------------------------------------------

def _patch_verb(inv, mutate, done_word: str, empty_patch) -> None:
    """RunPause / RunResume / RunRestart: one strategic merge patch per object."""
    fmt = check_printer(inv)
    _validate_resources(inv)
    _kustomize(inv)
    infos, errs = _infos(inv)
    all_errs: list[Exception] = list(errs)
    patches = []
    for info in infos:
        try:
            after = mutate(info.rt, info.obj)
        except polymorphic.MutateError as e:
            patches.append((info, None, e))
            continue
        patch = create_two_way_merge_patch(info.obj, after, patch_meta_for(info.rt))
        patches.append((info, patch, None))
    if not patches and not all_errs:
        inv.eprintln(f"No resources found in {inv.namespace} namespace.")
        return
    count = [0]
    for info, patch, err in patches:
        if err is not None:
            resource = info.rt.plural + (f".{info.rt.group}" if info.rt.group else "")
            all_errs.append(KubectlError(f'error: {resource} "{info.name}" {err}'))
            continue
        if not patch:
            try:
                empty_patch(info, count)
            except KubectlError as e:
                all_errs.append(e)
            continue
        try:
            obj = inv.api.patch(info.rt, info.namespace, info.name, patch, "strategic")
        except StatusError as e:
            all_errs.append(KubectlError(f"failed to patch: {e.message}"))
            continue
        print_result(inv, fmt, info.rt, obj, done_word, count=count)
    flatten_errors(all_errs)


@command("rollout pause")
def rollout_pause(inv) -> None:
    fmt = inv.opts.get("output") or ""

    def already(info: Info, count: list[int]) -> None:
        print_result(inv, fmt, info.rt, info.obj, "already paused", count=count)

    _patch_verb(inv, polymorphic.object_pauser, "paused", already)


@command("rollout resume")
def rollout_resume(inv) -> None:
    fmt = inv.opts.get("output") or ""

    def already(info: Info, count: list[int]) -> None:
        print_result(inv, fmt, info.rt, info.obj, "already resumed", count=count)

    _patch_verb(inv, polymorphic.object_resumer, "resumed", already)


@command("rollout restart")
def rollout_restart(inv) -> None:
    now = inv.cluster.clock.rfc3339()

    def restart(rt: ResourceType, obj: dict) -> dict:
        return polymorphic.object_restarter(rt, obj, now)

    def within_a_second(info: Info, count: list[int]) -> None:
        raise KubectlError(f"failed to create patch for {info.name}: if restart has already been triggered within "
                           "the past second, please wait before attempting to trigger another")

    _patch_verb(inv, restart, "restarted", within_a_second)
