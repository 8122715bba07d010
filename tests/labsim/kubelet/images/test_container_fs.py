"""LayeredFS: image layer + writable layer + volumes."""
import errno

import pytest

from labsim.kubelet.images.fs import ImageLayer, LayeredFS, VolumeDir, normpath

IMAGE = {"/usr/share/nginx/html/index.html": "hello", "/usr/share/nginx/html/50x.html": "err",
         "/etc/os-release": "debian", "/tmp/": "", "/var/lib/empty/": ""}


def fs(volumes=None):
    return LayeredFS(ImageLayer(IMAGE), volumes)


def test_normpath():
    assert normpath("//a/./b/../c/") == "/a/c"
    assert normpath("x", "/usr/share") == "/usr/share/x"
    assert normpath("/..") == "/"


def test_read_list_and_kinds():
    f = fs()
    assert f.read("/usr/share/nginx/html/index.html") == "hello"
    assert f.listdir("/usr/share/nginx/html") == ["50x.html", "index.html"]
    assert f.listdir("/") == ["etc", "tmp", "usr", "var"]
    assert f.is_dir("/var/lib/empty") and f.listdir("/var/lib/empty") == []
    with pytest.raises(FileNotFoundError) as e:
        f.read("/x")
    assert (e.value.errno, e.value.strerror, e.value.filename) == (errno.ENOENT, "No such file or directory", "/x")
    with pytest.raises(IsADirectoryError):
        f.read("/tmp")
    with pytest.raises(NotADirectoryError):
        f.read("/etc/os-release/x")


def test_writable_layer_and_whiteouts():
    f = fs()
    f.remove("/usr/share/nginx/html/index.html")
    assert not f.exists("/usr/share/nginx/html/index.html")
    assert f.listdir("/usr/share/nginx/html") == ["50x.html"]
    f.write("/tmp/healthy", "ok\n")
    f.write("/tmp/healthy", "more\n", append=True)
    assert f.read("/tmp/healthy") == "ok\nmore\n"
    with pytest.raises(FileNotFoundError):
        f.write("/nodir/file", "x")
    # the image is untouched and the next instance starts from it
    g = f.fresh_instance()
    assert g.read("/usr/share/nginx/html/index.html") == "hello"
    assert not g.exists("/tmp/healthy")
    assert f.image is g.image


def test_remove_directory_and_recreate():
    f = fs()
    with pytest.raises(OSError) as e:
        f.remove("/usr/share/nginx/html")
    assert e.value.errno == errno.ENOTEMPTY
    f.remove("/usr/share/nginx/html", recursive=True)
    assert not f.exists("/usr/share/nginx/html/50x.html") and not f.exists("/usr/share/nginx/html")
    f.mkdir("/usr/share/nginx/html")
    assert f.listdir("/usr/share/nginx/html") == []  # opaque: old image entries stay hidden
    f.write("/usr/share/nginx/html/new.html", "new")
    assert f.listdir("/usr/share/nginx/html") == ["new.html"]


def test_mkdir():
    f = fs()
    with pytest.raises(FileExistsError):
        f.mkdir("/tmp")
    f.mkdir("/tmp", parents=True)
    with pytest.raises(FileNotFoundError):
        f.mkdir("/a/b")
    f.mkdir("/a/b/c", parents=True)
    assert f.listdir("/a/b") == ["c"]


def test_volumes_survive_instances_and_read_only_volumes():
    data = VolumeDir()
    cfg = VolumeDir.from_items({"app.conf": "x=1\n"})
    f = fs({"/data": data, "/etc/config": cfg})
    assert f.is_dir("/data") and "data" in f.listdir("/")
    f.write("/data/state", "1")
    f.mkdir("/data/sub")
    assert f.listdir("/data") == ["state", "sub"]
    g = f.fresh_instance()
    assert g.read("/data/state") == "1"
    assert g.read("/etc/config/app.conf") == "x=1\n"
    with pytest.raises(OSError) as e:
        g.write("/etc/config/app.conf", "y")
    assert e.value.errno == errno.EROFS and e.value.strerror == "Read-only file system"
    with pytest.raises(OSError) as e:
        g.remove("/data", recursive=True)
    assert e.value.errno == errno.EBUSY
    # a volume hides the image directory it is mounted over
    h = fs({"/usr/share/nginx/html": VolumeDir()})
    assert h.listdir("/usr/share/nginx/html") == [] and not h.exists("/usr/share/nginx/html/index.html")


def test_rename_and_walk():
    f = fs()
    f.rename("/usr/share/nginx/html/index.html", "/tmp")
    assert f.read("/tmp/index.html") == "hello" and not f.exists("/usr/share/nginx/html/index.html")
    assert list(f.walk_files("/usr")) == ["/usr/share/nginx/html/50x.html"]


def test_lazy_image_files_are_built_once():
    calls = []

    def build():
        calls.append(1)
        return {"/a": "1"}

    layer = ImageLayer(build)
    LayeredFS(layer).read("/a")
    LayeredFS(layer).read("/a")
    assert calls == [1]
