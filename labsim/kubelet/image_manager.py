"""The node's images: pull policy, the serial puller, image pull back-off, the image store.

Port of ``pkg/kubelet/images/image_manager.go`` (EnsureImageExists, shouldPullImage,
evalCRIPullErr) and ``puller.go`` (serialImagePuller: ``--serialize-image-pulls=true`` is the
default, so a node pulls one image at a time and a pull that waited reports it:
``Successfully pulled image "nginx" in 3.21s (5.4s including waiting)``).

Images come from an injectable catalogue (``labsim.kubelet.images.catalog`` by default):
``resolve(image) -> ImageInfo`` or raises ``PullError`` / ``InvalidImageName``.
"""
from __future__ import annotations

from typing import Any, Callable, Generator

from labsim.kubelet.backoff import Backoff, go_duration, truncate_ms
from labsim.kubelet.tasks import Event

# pkg/kubelet/images/types.go
ERR_IMAGE_PULL = "ErrImagePull"
ERR_IMAGE_PULL_BACKOFF = "ImagePullBackOff"
ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull"
ERR_INVALID_IMAGE_NAME = "InvalidImageName"


def default_catalog():
    """Engineer 2's catalogue module (``resolve``, ``PullError``, ``InvalidImageName``)."""
    from labsim.kubelet.images import catalog  # noqa: PLC0415 - lands separately

    return catalog


def should_pull_image(policy: str, present: bool) -> bool:
    """``shouldPullImage``."""
    if policy == "Never":
        return False
    if policy == "Always" or (policy == "IfNotPresent" and not present):
        return True
    return False


def _image_key(image: str) -> str:
    """The reference containerd stores an image under (``nginx`` -> ``docker.io/library/nginx:latest``)."""
    try:
        from labsim.kubelet.images.reference import normalize  # noqa: PLC0415

        return normalize(image)
    except Exception:  # an unparsable reference: resolve() reports it
        return image


def grpc_pull_error(exc: Exception) -> str:
    """The CRI error text the kubelet receives (``rpc error: code = NotFound desc = ...``):
    containerd answers NotFound for a missing tag/manifest and Unknown for the rest
    (access denied, unknown repository)."""
    msg = str(exc)
    if msg.startswith("rpc error:"):
        return msg
    code = getattr(exc, "grpc_code", None) or ("NotFound" if msg.endswith(": not found") else "Unknown")
    return f"rpc error: code = {code} desc = {msg}"


class ImageManager:
    """One per node: the image store, the serial puller and the pull back-off."""

    def __init__(self, clock, rng, catalog=None):
        self.clock = clock
        self.rng = rng
        self._catalog = catalog
        #: images present on the node: normalised reference -> ImageInfo
        self.store: dict[str, Any] = {}
        self.backoff = Backoff(clock)
        self._puller_free_at = 0.0

    @property
    def catalog(self):
        if self._catalog is None:
            self._catalog = default_catalog()
        return self._catalog

    def preload(self, *images: str) -> None:
        """Put images on the node without events (what a setup's pre-pull leaves behind)."""
        for image in images:
            info = self.catalog.resolve(image)
            self.store[_image_key(image)] = info

    def present(self, image: str) -> bool:
        return _image_key(image) in self.store

    def ensure_image_exists(self, pod: dict, container: dict,
                            event: Callable[[str, str, str], None]) -> Generator:
        """``EnsureImageExists`` as a kubelet task: returns ``(info, None, "")`` or
        ``(None, reason, message)``; records the Pulling/Pulled/Failed/BackOff events."""
        image = container.get("image", "")
        policy = container.get("imagePullPolicy") or "IfNotPresent"
        catalog = self.catalog
        invalid = getattr(catalog, "InvalidImageName", ())
        key = _image_key(image)
        try:
            from labsim.kubelet.images.reference import apply_default_image_tag  # noqa: PLC0415

            apply_default_image_tag(image)
        except ImportError:
            pass
        except Exception as exc:  # InvalidImageName from the reference parser
            msg = f'Failed to apply default image tag "{image}": {exc}'
            event("Warning", "InspectFailed", msg)
            return None, ERR_INVALID_IMAGE_NAME, msg
        info = self.store.get(key)
        if not should_pull_image(policy, info is not None):
            if info is not None:
                event("Normal", "Pulled", f'Container image "{image}" already present on machine')
                return info, None, ""
            msg = f'Container image "{image}" is not present with pull policy of Never'
            event("Warning", "ErrImageNeverPull", msg)
            return None, ERR_IMAGE_NEVER_PULL, msg
        backoff_key = f"{pod['metadata'].get('uid', '')}_{image}"
        if self.backoff.is_in_backoff_since_update(backoff_key, self.clock.now):
            msg = f'Back-off pulling image "{image}"'
            event("Normal", "BackOff", msg)
            return None, ERR_IMAGE_PULL_BACKOFF, msg
        event("Normal", "Pulling", f'Pulling image "{image}"')
        start = self.clock.now
        error: Exception | None = None
        try:
            resolved = catalog.resolve(image)
        except Exception as exc:  # PullError / InvalidImageName from the catalogue
            if invalid and isinstance(exc, invalid):
                msg = f'Failed to apply default image tag "{image}": {exc}'
                event("Warning", "InspectFailed", msg)
                return None, ERR_INVALID_IMAGE_NAME, msg
            error, resolved = exc, None
        # the serial puller: wait for the pulls queued before this one
        begin = max(start, self._puller_free_at)
        if error is not None:
            duration = round(0.3 + 0.9 * self.rng.random(), 3)  # resolving the reference fails
        elif key in self.store:
            duration = round(max(0.05, float(getattr(resolved, "pull_seconds", 1.0)) * 0.05), 3)
        else:
            duration = float(getattr(resolved, "pull_seconds", 1.0))
        done_at = begin + duration
        self._puller_free_at = done_at
        ev = Event()
        self.clock.call_at(done_at, ev.set, True)
        yield ev
        if error is not None:
            event("Warning", "Failed", f'Failed to pull image "{image}": {grpc_pull_error(error)}')
            self.backoff.next(backoff_key, self.clock.now)
            return None, ERR_IMAGE_PULL, grpc_pull_error(error)
        self.store[key] = resolved
        pulled = go_duration(truncate_ms(duration))
        total = go_duration(truncate_ms(self.clock.now - start))
        event("Normal", "Pulled", f'Successfully pulled image "{image}" in {pulled} ({total} including waiting). '
                                  f'Image size: {int(getattr(resolved, "size_bytes", 0))} bytes.')
        self.backoff.gc()
        return resolved, None, ""

    def pull_window_end(self, pod: dict, image: str) -> float | None:
        return self.backoff.window_end(f"{pod['metadata'].get('uid', '')}_{image}")
