"""The container filesystem: read-only image layer + per-instance writable layer + pod volumes.

As overlayfs does for a real container (containerd's snapshotter): the image's files are shared by
every container of that image and never change; each container *instance* gets its own empty upper
layer, where writes land and deletions are recorded as whiteouts. A restarted container gets a new
upper layer, so a file deleted with ``kubectl exec`` is back after the restart (seed 002's liveness
demo). Volumes (emptyDir, configMap, ...) are separate trees owned by the pod and mounted over a
path; they survive container restarts because the pod keeps them.

Errors are Python ``OSError`` subclasses carrying the errno and the path, so the shell can print
busybox's texts (``cat: can't open '/x': No such file or directory``):
``FileNotFoundError`` (ENOENT), ``IsADirectoryError`` (EISDIR), ``NotADirectoryError`` (ENOTDIR),
``FileExistsError`` (EEXIST), ``OSError(ENOTEMPTY)``, ``OSError(EROFS)`` for read-only mounts,
``OSError(EBUSY)`` for removing a mount point.
"""
from __future__ import annotations

import errno
import os
import posixpath
from typing import Callable, Iterable, Mapping, Union


def _err(cls: type, code: int, path: str) -> OSError:
    return cls(code, os.strerror(code), path)


_UNSET = object()


def normpath(path: str, cwd: str = "/") -> str:
    """Absolute, normalised path (``a/../b`` -> ``/b``; ``//x/`` -> ``/x``; ``/..`` -> ``/``)."""
    if not path.startswith("/"):
        path = posixpath.join(cwd or "/", path)
    p = posixpath.normpath(path)
    if p.startswith("//"):
        p = "/" + p.lstrip("/")
    return p


def _parent(path: str) -> str:
    return posixpath.dirname(path) or "/"


class ImageLayer:
    """The read-only files of one image, indexed once and shared by every container instance.

    ``files`` maps absolute paths to contents; a key ending in ``/`` declares an (empty) directory.
    Every ancestor of a file is a directory.
    """

    def __init__(self, files: Mapping[str, str] | Callable[[], Mapping[str, str]]):
        self._source = files
        self._files: dict[str, str] | None = None
        self._children: dict[str, set[str]] | None = None

    def _load(self) -> None:
        src = self._source() if callable(self._source) else self._source
        files: dict[str, str] = {}
        children: dict[str, set[str]] = {"/": set()}
        for raw, data in src.items():
            is_dir = raw.endswith("/") and raw != "/"
            p = normpath(raw)
            if p == "/":
                continue
            if not is_dir:
                files[p] = data
            node = p
            while node != "/":
                parent = _parent(node)
                children.setdefault(parent, set()).add(posixpath.basename(node))
                node = parent
            if is_dir:
                children.setdefault(p, set())
        for d in children:  # a path cannot be both file and directory
            files.pop(d, None)
        self._files, self._children = files, children

    @property
    def files(self) -> dict[str, str]:
        if self._files is None:
            self._load()
        return self._files  # type: ignore[return-value]

    @property
    def children(self) -> dict[str, set[str]]:
        if self._children is None:
            self._load()
        return self._children  # type: ignore[return-value]


class VolumeDir:
    """A directory tree owned by the pod (emptyDir, configMap, PVC ...), mounted into containers.

    Paths inside are absolute relative to the volume root (``/`` is the mount point itself).
    ``read_only`` volumes (configMap, secret, downward API, ``readOnly: true`` mounts) refuse writes
    with EROFS.
    """

    def __init__(self, files: Mapping[str, str] | None = None, read_only: bool = False):
        self.read_only = read_only
        self.files: dict[str, str] = {}
        self.dirs: set[str] = {"/"}
        #: bumped on every change, so readers can cache what they read (see LayeredFS.state_token)
        self.version = 0
        for p, data in (files or {}).items():
            self._put(normpath(p), data)

    @classmethod
    def from_items(cls, items: Mapping[str, str], read_only: bool = True) -> "VolumeDir":
        """A configMap/secret volume: one file per key (the ``..data`` symlink dance is omitted)."""
        return cls(items, read_only=read_only)

    def _put(self, p: str, data: str) -> None:
        self.version += 1
        d = _parent(p)
        while d not in self.dirs:
            self.dirs.add(d)
            d = _parent(d)
        self.files[p] = data

    def replace_contents(self, items: Mapping[str, str]) -> None:
        """The kubelet refreshes a configMap volume (atomic swap of every key)."""
        self.version += 1
        self.files.clear()
        self.dirs = {"/"}
        for p, data in items.items():
            self._put(normpath(p), data)

    # tree primitives used by LayeredFS ------------------------------------------------------
    def kind(self, p: str) -> str | None:
        if p in self.dirs:
            return "dir"
        if p in self.files:
            return "file"
        return None

    def list(self, p: str) -> set[str]:
        prefix = p if p.endswith("/") else p + "/"
        names = set()
        for q in self.files:
            if q.startswith(prefix):
                names.add(q[len(prefix):].split("/", 1)[0])
        for q in self.dirs:
            if q != p and q.startswith(prefix):
                names.add(q[len(prefix):].split("/", 1)[0])
        return names


class _Whiteout:
    __slots__ = ()


WHITEOUT = _Whiteout()


class LayeredFS:
    """A container's files: image layer, a writable layer for this instance, pod volumes.

    ``volumes`` maps mount paths (``/usr/share/nginx/html``) to :class:`VolumeDir` objects shared
    with the pod. :meth:`fresh_instance` gives the next container instance its own empty writable
    layer over the same image and the same volumes.
    """

    def __init__(self, image_files: Union[ImageLayer, Mapping[str, str], None] = None,
                 volumes: Mapping[str, VolumeDir] | None = None):
        if isinstance(image_files, ImageLayer):
            self.image = image_files
        else:
            self.image = ImageLayer(image_files or {})
        self.volumes: dict[str, VolumeDir] = {normpath(k): v for k, v in (volumes or {}).items()}
        # writable layer: path -> content | WHITEOUT; directories created here; opaque dirs hide
        # the image's contents below them (a directory removed and created again).
        self._upper: dict[str, object] = {}
        self._upper_dirs: set[str] = set()
        self._opaque: set[str] = set()
        #: bumped by every change made through this view (with the versions of its volumes it
        #: forms state_token(): equal tokens mean nothing a reader could see has changed)
        self.version = 0
        #: set once a whiteout is written: until then nothing in the image can be hidden, and the
        #: walk up the parents (the cost of every probe's file lookup) is skipped
        self._any_whiteout = False

    def _changed(self) -> None:
        self.version += 1
        for v in self.volumes.values():  # a shared volume may be read through other containers' views
            v.version += 1

    def state_token(self) -> tuple:
        return (self.version, *(v.version for v in self.volumes.values()))

    def fresh_instance(self) -> "LayeredFS":
        return LayeredFS(self.image, self.volumes)

    def mount(self, path: str, volume: VolumeDir) -> None:
        self._changed()
        self.volumes[normpath(path)] = volume
        self.__dict__.pop("_mount_cache", None)

    # -- resolution ---------------------------------------------------------------------------
    def _mount_for(self, p: str) -> tuple[str, VolumeDir] | None:
        if not self.volumes:
            return None
        cache = self.__dict__.get("_mount_cache")
        if cache is None or cache.get("") is not self.volumes or len(cache) > 4096:
            cache = self.__dict__["_mount_cache"] = {"": self.volumes}
        found = cache.get(p, _UNSET)
        if found is _UNSET:
            found = cache[p] = self._find_mount(p)
        return found

    def _find_mount(self, p: str) -> tuple[str, VolumeDir] | None:
        best = None
        for m, v in self.volumes.items():
            if p == m or p.startswith(m + "/") or m == "/":
                if best is None or len(m) > len(best[0]):
                    best = (m, v)
        return best

    @staticmethod
    def _rel(mount: str, p: str) -> str:
        return "/" if p == mount else p[len(mount):] if mount != "/" else p

    def _hidden(self, p: str) -> bool:
        """Is ``p`` hidden in the image layer by a whiteout or an opaque directory above it?"""
        if not self._any_whiteout and not self._opaque:
            return False
        node = p
        while True:
            if self._upper.get(node) is WHITEOUT:
                return True
            if node != p and node in self._opaque:
                return True
            if node == "/":
                return False
            node = _parent(node)

    def _kind(self, p: str) -> str | None:
        """``"file"``, ``"dir"`` or ``None`` (absent) for a normalised path."""
        mv = self._mount_for(p)
        if mv is not None:
            return mv[1].kind(self._rel(mv[0], p))
        if p in self._upper_dirs:
            return "dir"
        v = self._upper.get(p)
        if v is WHITEOUT:
            return None
        if v is not None:
            return "file"
        if self._hidden(p):
            return None
        if p in self.image.children:
            return "dir"
        if p in self.image.files:
            return "file"
        # mount points appear as directories in their parent
        if any(m.startswith(p + "/") or (p == "/" and m != "/") for m in self.volumes):
            return "dir"
        return None

    def _check_parent_dir(self, p: str) -> None:
        parent = _parent(p)
        k = self._kind(parent)
        if k is None:
            raise _err(FileNotFoundError, errno.ENOENT, p)
        if k != "dir":
            raise _err(NotADirectoryError, errno.ENOTDIR, p)

    # -- ContainerFS protocol -----------------------------------------------------------------
    def read(self, path: str) -> str:
        p = normpath(path)
        k = self._kind(p)
        if k is None:
            self._raise_missing(p)
        if k == "dir":
            raise _err(IsADirectoryError, errno.EISDIR, p)
        mv = self._mount_for(p)
        if mv is not None:
            return mv[1].files[self._rel(mv[0], p)]
        v = self._upper.get(p)
        if isinstance(v, str):
            return v
        return self.image.files[p]

    def _raise_missing(self, p: str) -> None:
        # a component that is a file gives ENOTDIR, as the kernel does (cat /etc/hostname/x)
        node = _parent(p)
        while node != "/":
            if self._kind(node) == "file":
                raise _err(NotADirectoryError, errno.ENOTDIR, p)
            node = _parent(node)
        raise _err(FileNotFoundError, errno.ENOENT, p)

    def write(self, path: str, data: str, append: bool = False) -> None:
        self._changed()
        p = normpath(path)
        k = self._kind(p)
        if k == "dir":
            raise _err(IsADirectoryError, errno.EISDIR, p)
        if k is None:
            self._check_parent_dir(p)
        mv = self._mount_for(p)
        if mv is not None:
            vol = mv[1]
            if vol.read_only:
                raise _err(OSError, errno.EROFS, p)
            rel = self._rel(mv[0], p)
            vol.files[rel] = (vol.files.get(rel, "") + data) if append else data
            return
        old = self.read(p) if (append and k == "file") else ""
        self._upper[p] = old + data

    def exists(self, path: str) -> bool:
        return self._kind(normpath(path)) is not None

    def is_dir(self, path: str) -> bool:
        return self._kind(normpath(path)) == "dir"

    def is_file(self, path: str) -> bool:
        return self._kind(normpath(path)) == "file"

    def listdir(self, path: str) -> list[str]:
        p = normpath(path)
        k = self._kind(p)
        if k is None:
            self._raise_missing(p)
        if k != "dir":
            raise _err(NotADirectoryError, errno.ENOTDIR, p)
        mv = self._mount_for(p)
        names: set[str] = set()
        if mv is not None:
            names = mv[1].list(self._rel(mv[0], p))
        else:
            if not (p in self._opaque or self._hidden(p)):
                names |= self.image.children.get(p, set())
            prefix = "/" if p == "/" else p + "/"
            for q in list(self._upper) + list(self._upper_dirs):
                if q.startswith(prefix) and q != p:
                    names.add(q[len(prefix):].split("/", 1)[0])
        # mount points below p
        prefix = "/" if p == "/" else p + "/"
        for m in self.volumes:
            if m != p and m.startswith(prefix):
                names.add(m[len(prefix):].split("/", 1)[0])
        return sorted(n for n in names if self._kind(posixpath.join(p, n)) is not None)

    def remove(self, path: str, recursive: bool = False) -> None:
        self._changed()
        p = normpath(path)
        k = self._kind(p)
        if k is None:
            self._raise_missing(p)
        if p == "/" or p in self.volumes:
            raise _err(OSError, errno.EBUSY, p)
        if k == "dir":
            entries = self.listdir(p)
            if entries and not recursive:
                raise _err(OSError, errno.ENOTEMPTY, p)
            for name in entries:
                self.remove(posixpath.join(p, name), recursive=True)
        mv = self._mount_for(p)
        if mv is not None:
            vol = mv[1]
            if vol.read_only:
                raise _err(OSError, errno.EROFS, p)
            rel = self._rel(mv[0], p)
            vol.files.pop(rel, None)
            vol.dirs.discard(rel)
            return
        self._upper_dirs.discard(p)
        self._opaque.discard(p)
        in_image = (p in self.image.files or p in self.image.children) and not self._hidden_below(p)
        if in_image:
            self._upper[p] = WHITEOUT
            self._any_whiteout = True
        else:
            self._upper.pop(p, None)

    def _hidden_below(self, p: str) -> bool:
        node = _parent(p)
        while True:
            if self._upper.get(node) is WHITEOUT or node in self._opaque:
                return True
            if node == "/":
                return False
            node = _parent(node)

    def mkdir(self, path: str, parents: bool = False) -> None:
        self._changed()
        p = normpath(path)
        k = self._kind(p)
        if k is not None:
            if parents and k == "dir":
                return
            raise _err(FileExistsError, errno.EEXIST, p)
        parent = _parent(p)
        if self._kind(parent) is None:
            if not parents:
                raise _err(FileNotFoundError, errno.ENOENT, p)
            self.mkdir(parent, parents=True)
        elif self._kind(parent) != "dir":
            raise _err(NotADirectoryError, errno.ENOTDIR, p)
        mv = self._mount_for(p)
        if mv is not None:
            if mv[1].read_only:
                raise _err(OSError, errno.EROFS, p)
            mv[1].dirs.add(self._rel(mv[0], p))
            return
        if self._upper.get(p) is WHITEOUT:
            del self._upper[p]
            if p in self.image.children:
                self._opaque.add(p)  # the old image directory's entries stay hidden
        self._upper_dirs.add(p)

    def rename(self, src: str, dst: str) -> None:
        """``mv`` of a file (directories: recursive copy then removal)."""
        self._changed()
        s, d = normpath(src), normpath(dst)
        k = self._kind(s)
        if k is None:
            self._raise_missing(s)
        if self._kind(d) == "dir":
            d = posixpath.join(d, posixpath.basename(s))
        if k == "file":
            data = self.read(s)
            self.write(d, data)
        else:
            self.mkdir(d, parents=True)
            for name in self.listdir(s):
                self.rename(posixpath.join(s, name), posixpath.join(d, name))
        self.remove(s, recursive=True)

    def walk_files(self, path: str = "/") -> Iterable[str]:
        """Every file below ``path`` (sorted, depth first): ``find``/``du`` use it."""
        p = normpath(path)
        if self._kind(p) == "file":
            yield p
            return
        for name in self.listdir(p):
            q = posixpath.join(p, name)
            if self._kind(q) == "dir":
                yield from self.walk_files(q)
            else:
                yield q
