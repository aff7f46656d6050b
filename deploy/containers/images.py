"""The images of `make test-containers`, built daemonless with Debian's podman/buildah 4.3 and no registry of images.

The Dockerfiles' base images (python:3.11-slim-bookworm, node:20-bookworm-slim, nginx:1.28-alpine) are replaced,
through their build arguments, by stand-ins made here: a `debootstrap --variant=minbase bookworm` root file system
imported with `podman import`, then Debian's Python 3.11 and nginx on it, and the machine's own Node 20. The host's
trusted certificates go into the base, so pip, uv and npm inside the builds trust the package registries' TLS.

Everything lives under the worktree's var/containers: podman's storage (so the stand-ins are built once and kept
between runs; a changed Containerfile gets a new tag), and the base root file system as a tarball."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from support import DEPLOY, REPO_ROOT

HERE = Path(__file__).resolve().parent
STATE = REPO_ROOT / "var" / "containers"
MIRROR = os.environ.get("MCB_DEBIAN_MIRROR", "http://deb.debian.org/debian")
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
CA_IN_IMAGE = "/etc/ssl/mcb-host-ca.crt"  # not Debian's bundle path: installing ca-certificates would rewrite that
BASE = "localhost/mcb-standin/bookworm-minbase:latest"
HOST_NODE = Path("/usr/bin/node")
HOST_NPM = Path("/usr/lib/node_modules/npm")


def podman_command(*args: str) -> list[str]:
    """podman with this test's own storage, never the machine's."""
    return [
        "podman",
        "--root",
        str(STATE / "storage"),
        "--runroot",
        str(STATE / "run"),
        "--storage-driver",
        "overlay",
        "--cgroup-manager",
        "cgroupfs",
        *args,
    ]


def podman_env() -> dict[str, str]:
    """Its settings (runc, default ulimits): containers.conf next to this file."""
    return {**os.environ, "CONTAINERS_CONF": str(HERE / "containers.conf")}


def podman(*args: str, check: bool = True, timeout: float = 1800) -> str:
    result = subprocess.run(  # noqa: S603
        podman_command(*args), env=podman_env(), text=True, timeout=timeout, capture_output=True, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"podman {' '.join(args[:3])} failed ({result.returncode}):\n{result.stdout[-4000:]}\n"
            f"{result.stderr[-4000:]}"
        )
    return result.stdout or ""


def podman_code(*args: str, timeout: float = 120) -> tuple[int, str]:
    """The exit code and output of a podman command that may fail."""
    result = subprocess.run(  # noqa: S603
        podman_command(*args), env=podman_env(), text=True, timeout=timeout, capture_output=True, check=False
    )
    return result.returncode, result.stdout + result.stderr


def image_exists(name: str) -> bool:
    return podman_code("image", "exists", name)[0] == 0


def _debootstrap(tarball: Path) -> None:
    """The base root file system, made once and kept as a tarball: minbase bookworm, no recommends, no daemons
    started by packages, the host's trusted certificates."""
    root = Path(tempfile.mkdtemp(prefix="rootfs-", dir=STATE))
    try:
        result = subprocess.run(  # noqa: S603
            ["debootstrap", "--variant=minbase", "bookworm", str(root), MIRROR],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"debootstrap from {MIRROR} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        (root / "etc/apt/apt.conf.d/99mcb").write_text(
            'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n'
        )
        policy = root / "usr/sbin/policy-rc.d"  # a package's postinst must not start its daemon in a build
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
        (root / CA_IN_IMAGE.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(HOST_CA_BUNDLE, root / CA_IN_IMAGE.lstrip("/"))
        for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for item in (root / cache).glob("*"):
                if item.is_file():
                    item.unlink()
        partial = tarball.with_suffix(".partial")
        subprocess.run(["tar", "-C", str(root), "-cf", str(partial), "."], check=True, timeout=600)  # noqa: S603, S607
        partial.rename(tarball)
    finally:
        _unmount_under(root)  # debootstrap mounts /proc and /sys in the tree; a failed run may leave them there
        shutil.rmtree(root, ignore_errors=True)


def _unmount_under(root: Path) -> None:
    points = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    for point in sorted((p for p in points if p.startswith(f"{root}/")), reverse=True):
        subprocess.run(["umount", "--lazy", point], check=False, timeout=60)  # noqa: S603, S607


def base_image() -> str:
    if image_exists(BASE):
        return BASE
    tarball = STATE / "bookworm-minbase.tar"
    if not tarball.exists():
        _debootstrap(tarball)
    changes = [f"ENV {name}={CA_IN_IMAGE}" for name in ("SSL_CERT_FILE", "PIP_CERT", "NODE_EXTRA_CA_CERTS")]
    changes.append("ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    podman("import", *[arg for change in changes for arg in ("--change", change)], str(tarball), BASE)
    return BASE


def _tag(containerfile: Path, *extra: Path) -> str:
    digest = hashlib.sha256(containerfile.read_bytes())
    for path in extra:
        digest.update(path.read_bytes() if path.is_file() else str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:12]


def standin(kind: str) -> str:
    """localhost/mcb-standin/<kind>: python, nginx or node, built on the base unless already in the storage."""
    containerfile = HERE / "standins" / f"{kind}.Containerfile"
    extra = (HOST_NODE, HOST_NPM / "package.json") if kind == "node" else ()
    name = f"localhost/mcb-standin/{kind}:{_tag(containerfile, *extra)}"
    if image_exists(name):
        return name
    base = base_image()
    with tempfile.TemporaryDirectory(prefix=f"standin-{kind}-", dir=STATE) as context:
        if kind == "node":
            shutil.copy(HOST_NODE, Path(context) / "node")
            shutil.copytree(HOST_NPM, Path(context) / "npm", symlinks=True)
        podman(
            "build",
            "--network",
            "host",
            "--build-arg",
            f"BASE_IMAGE={base}",
            "-f",
            str(containerfile),
            "-t",
            name,
            context,
        )
    return name


def build(dockerfile: str, tag: str, build_args: Sequence[str]) -> str:
    """One of deploy/docker's images, from the repository root with its own .dockerignore; in Docker's image format,
    as `docker build` makes them (the OCI format has no HEALTHCHECK: buildah would drop it)."""
    path = DEPLOY / "docker" / dockerfile
    args = [arg for pair in build_args for arg in ("--build-arg", pair)]
    podman(
        "build",
        "--format",
        "docker",
        "--network",
        "host",
        "--layers",
        *args,
        "-f",
        str(path),
        "--ignorefile",
        str(path.with_name(path.name + ".dockerignore")),
        "-t",
        tag,
        str(REPO_ROOT),
    )
    return tag


def build_all() -> dict[str, str]:
    STATE.mkdir(parents=True, exist_ok=True)
    python, nginx, node = standin("python"), standin("nginx"), standin("node")
    return {
        "projects-api": build("projects-api.Dockerfile", "localhost/mcb/projects-api:test", [f"PYTHON_IMAGE={python}"]),
        "reporting-api": build(
            "reporting-api.Dockerfile", "localhost/mcb/reporting-api:test", [f"PYTHON_IMAGE={python}"]
        ),
        "gateway": build(
            "gateway.Dockerfile", "localhost/mcb/gateway:test", [f"NODE_IMAGE={node}", f"NGINX_IMAGE={nginx}"]
        ),
    }
