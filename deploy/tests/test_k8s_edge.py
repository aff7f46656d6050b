"""deploy/k8s beyond the schemas: the Gateway API edge, body limits end to end, uploads on disk, the network
policies' effect, the migration step under kubectl and Argo CD, shutdown timing and the database connection budget.
Every check reads the manifests as kustomize renders them."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

import pytest

from k8s_render import OVERLAYS, SERVICES, Doc, config_of, containers, of_kind, render
from support import DEPLOY, GATEWAY_DIR

# docs/operations.md gives these as the server's max_connections (or PgBouncer's max_client_conn) to plan for.
DATABASE_CONNECTIONS_BUDGET = {"dev": 50, "prod": 350}
UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def nginx_size(value: str) -> int:
    match = re.fullmatch(r"(\d+)([kmg]?)", value.lower())
    assert match, value
    return int(match.group(1)) * UNITS[match.group(2)]


def quantity(value: str) -> int:
    match = re.fullmatch(r"(\d+)(Ki|Mi|Gi)", value)
    assert match, value
    return int(match.group(1)) * {"Ki": 1024, "Mi": 1024**2, "Gi": 1024**3}[match.group(2)]


# The edge ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_gateway_api_edge_sends_every_request_to_the_gateway_over_tls(overlay: str) -> None:
    docs = render(overlay)
    assert not of_kind(docs, "Ingress"), "ingress-nginx is retired: the edge is the Gateway API"
    (gateway,) = of_kind(docs, "Gateway").values()
    assert gateway["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert gateway["spec"]["gatewayClassName"] not in {"", "example"}, "the overlay names its GatewayClass"
    listeners = {listener["name"]: listener for listener in gateway["spec"]["listeners"]}
    https, http = listeners["https"], listeners["http"]
    assert (https["protocol"], https["port"], https["tls"]["mode"]) == ("HTTPS", 443, "Terminate")
    assert https["tls"]["certificateRefs"] == [{"kind": "Secret", "name": "mcb-registry-tls"}]
    assert https["hostname"] == http["hostname"]
    routes = of_kind(docs, "HTTPRoute")
    main, redirect = routes["mcb-registry"], routes["mcb-registry-redirect"]
    for route, section in ((main, "https"), (redirect, "http")):
        assert route["apiVersion"] == "gateway.networking.k8s.io/v1"
        assert route["spec"]["parentRefs"] == [{"name": gateway["metadata"]["name"], "sectionName": section}]
        assert route["spec"]["hostnames"] == [https["hostname"]]
    (rule,) = main["spec"]["rules"]
    assert rule["matches"] == [{"path": {"type": "PathPrefix", "value": "/"}}]
    assert "filters" not in rule, "the gateway routes by prefix itself; nothing is rewritten at the edge"
    (backend,) = rule["backendRefs"]
    service = of_kind(docs, "Service")[backend["name"]]
    assert backend["port"] in {port["port"] for port in service["spec"]["ports"]}
    assert service["metadata"]["name"] == "gateway"
    (redirect_rule,) = redirect["spec"]["rules"]
    assert redirect_rule["filters"] == [
        {"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}
    ]
    if overlay == "prod":
        assert https["hostname"] == "registry.example.org"
    projects = config_of(docs, "projects-api-config")
    assert projects["PROJECTS_PUBLIC_URL"] == f"https://{https['hostname']}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_body_limits_agree_from_the_gateway_to_reporting_api(overlay: str) -> None:
    """The import route's limit sits just above reporting-api's (room for the multipart envelope), and the
    import route streams: nginx never holds the body, the service spools it to a volume big enough for it."""
    docs = render(overlay)
    gateway, reporting = config_of(docs, "gateway-config"), config_of(docs, "reporting-api-config")
    max_import = int(reporting["REPORTING_MAX_IMPORT_BYTES"])
    import_limit = nginx_size(gateway["GATEWAY_IMPORT_MAX_BODY_SIZE"])
    assert max_import < import_limit <= max_import + 2 * 1024**2
    assert nginx_size(gateway["GATEWAY_MAX_BODY_SIZE"]) <= 10 * 1024**2
    server = (GATEWAY_DIR / "server.d" / "api.conf").read_text()
    import_block = re.search(r"^location /api/reporting/v1/imports \{\n(.*?)^\}", server, re.M | re.S)
    assert import_block is not None
    assert "proxy_request_buffering off;" in import_block.group(1)
    assert "client_max_body_size ${GATEWAY_IMPORT_MAX_BODY_SIZE};" in import_block.group(1)
    # Uploads: TMPDIR in the image is a disk-backed emptyDir of the reporting-api pod, large enough for a few.
    dockerfile = (DEPLOY / "docker" / "reporting-api.Dockerfile").read_text()
    tmpdir = re.search(r"TMPDIR=(\S+)", dockerfile)
    assert tmpdir is not None
    spec = of_kind(docs, "Deployment")["reporting-api"]["spec"]["template"]["spec"]
    (mount,) = [m for m in spec["containers"][0]["volumeMounts"] if m["mountPath"] == tmpdir.group(1)]
    (volume,) = [v for v in spec["volumes"] if v["name"] == mount["name"]]
    assert volume["emptyDir"].get("medium") != "Memory"
    assert quantity(volume["emptyDir"]["sizeLimit"]) >= 4 * max_import


# Network policies -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pod:
    name: str
    labels: dict[str, str]


def _selects(selector: Doc, labels: dict[str, str]) -> bool:
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expression in selector.get("matchExpressions", []):
        present = labels.get(expression["key"])
        if expression["operator"] == "In" and present not in expression["values"]:
            return False
        if expression["operator"] == "NotIn" and present in expression["values"]:
            return False
    return True


def _peer_admits(peers: list[Doc] | None, other: Pod | str) -> bool:
    """`other`: a pod of this namespace, or "ns:<name>" (a pod of another namespace) or "ip:<address>"."""
    if peers is None:
        return True
    for peer in peers:
        if isinstance(other, Pod):
            if (
                "podSelector" in peer
                and "namespaceSelector" not in peer
                and _selects(peer["podSelector"], other.labels)
            ):
                return True
        elif other.startswith("ns:") and "namespaceSelector" in peer:
            namespace = {"kubernetes.io/metadata.name": other[3:]}
            if _selects(peer["namespaceSelector"], namespace) and not peer.get("podSelector", {}).get("matchLabels"):
                return True
        elif other.startswith("ip:") and "ipBlock" in peer:
            if ipaddress.ip_address(other[3:]) in ipaddress.ip_network(peer["ipBlock"]["cidr"]):
                return True
    return False


def _allowed(policies: list[Doc], pod: Pod, direction: str, other: Pod | str, port: int) -> bool:
    """Kubernetes' rule: a pod selected by no policy of a direction is open; else some rule must allow."""
    kind = "Ingress" if direction == "ingress" else "Egress"
    selecting = [
        p for p in policies if kind in p["spec"]["policyTypes"] and _selects(p["spec"]["podSelector"], pod.labels)
    ]
    if not selecting:
        return True
    peer_key = "from" if direction == "ingress" else "to"
    for policy in selecting:
        for rule in policy["spec"].get(direction, []):
            ports = rule.get("ports")
            if ports is not None and port not in {p["port"] for p in ports}:
                continue
            if _peer_admits(rule.get(peer_key), other):
                return True
    return False


def _pods(docs: tuple[Doc, ...]) -> dict[str, Pod]:
    return {
        name.split("/")[1]: Pod(name, doc["spec"]["template"]["metadata"]["labels"])
        for name, doc in (
            (f"{d['kind']}/{d['metadata']['name']}", d) for d in docs if d["kind"] in {"Deployment", "Job"}
        )
    }


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_allow_only_gateway_to_services_to_database(overlay: str) -> None:
    docs = render(overlay)
    policies = list(of_kind(docs, "NetworkPolicy").values())
    assert any(
        p["spec"]["podSelector"] == {}
        and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
        for p in policies
    ), "default deny"
    pods = _pods(docs)
    gateway, projects, reporting = pods["gateway"], pods["projects-api"], pods["reporting-api"]
    jobs = [pods["projects-api-migrate"], pods["reporting-api-migrate"]]

    def flows(source: Pod, target: Pod, port: int) -> bool:
        return _allowed(policies, source, "egress", target, port) and _allowed(
            policies, target, "ingress", source, port
        )

    # What must work.
    assert _allowed(policies, gateway, "ingress", "ns:gateway-system", 8080), "the edge reaches the gateway"
    assert flows(gateway, projects, 8000) and flows(gateway, reporting, 8000)
    assert flows(reporting, projects, 8000), "change feed, access checks, keys"
    assert flows(projects, reporting, 8000), "the IATI export reads results, the IATI import writes them"
    database = "ip:10.20.30.40"
    for pod in [projects, reporting, *jobs]:
        assert _allowed(policies, pod, "egress", database, 5432), pod.name
        assert _allowed(policies, pod, "egress", database, 6432), pod.name
    for target in (projects, reporting):
        assert _allowed(policies, target, "ingress", "ns:monitoring", 8000), "Prometheus scrapes /metrics"
    # What must not.
    for job in jobs:
        assert not _allowed(policies, job, "egress", "ip:203.0.113.9", 443), job.name
    assert not _allowed(policies, gateway, "egress", database, 5432), "the gateway never talks to the database"
    assert not _allowed(policies, projects, "ingress", "ns:elsewhere", 8000)
    assert not _allowed(policies, reporting, "ingress", "ns:elsewhere", 8000)
    assert not _allowed(policies, gateway, "egress", "ip:203.0.113.9", 443), "no way out of the cluster"
    assert not _allowed(policies, projects, "egress", "ip:203.0.113.9", 443)
    for target in (projects, reporting):
        assert not any(flows(job, target, 8000) for job in jobs)


# The migration step -----------------------------------------------------------------------------------------


def _wave(doc: Doc) -> int:
    return int(doc["metadata"].get("annotations", {}).get("argocd.argoproj.io/sync-wave", "0"))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_migration_step_works_with_kubectl_apply_and_with_argo_cd(overlay: str) -> None:
    docs = render(overlay)
    phase = [d for d in docs if d["metadata"].get("labels", {}).get("mcb-registry.example/phase") == "migrate"]
    in_phase = {(d["kind"], d["metadata"]["name"]) for d in phase}
    config_maps = of_kind(docs, "ConfigMap")
    for job in of_kind(docs, "Job").values():
        annotations = job["metadata"]["annotations"]
        # A PreSync hook runs before the Sync phase creates the generated (hash-named) ConfigMaps it reads.
        assert annotations["argocd.argoproj.io/hook"] == "Sync"
        assert annotations["argocd.argoproj.io/hook-delete-policy"] == "BeforeHookCreation"
        deployments = [d for d in docs if d["kind"] == "Deployment"]
        assert all(_wave(job) < _wave(d) for d in deployments), "the rollout waits for the migrations"
        for container in containers(job["spec"]["template"]["spec"]):
            for source in container.get("envFrom", []):
                name = source["configMapRef"]["name"]
                # kubectl: `apply -l mcb-registry.example/phase=migrate` brings them along; Argo CD: an earlier wave.
                assert ("ConfigMap", name) in in_phase, name
                assert _wave(config_maps[name]) < _wave(job), name
    assert ("Namespace", next(d["metadata"]["name"] for d in docs if d["kind"] == "Namespace")) in in_phase
    assert {("Job", "projects-api-migrate"), ("Job", "reporting-api-migrate")} <= in_phase
    assert not any(d["kind"] == "Deployment" for d in phase), "the services never roll out with the migrations"


# Shutdown and connections -----------------------------------------------------------------------------------


def _pre_stop_seconds(container: Doc) -> int:
    command = container["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep"
    return int(command[1])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_stop_without_dropping_requests(overlay: str) -> None:
    docs = render(overlay)
    deployments = of_kind(docs, "Deployment")
    for name, prefix in SERVICES.items():
        spec = deployments[name]["spec"]["template"]["spec"]
        config = config_of(docs, f"{name}-config")
        pre_stop = _pre_stop_seconds(spec["containers"][0])
        drain = float(config[f"{prefix}_SHUTDOWN_DRAIN_SECONDS"])
        graceful = float(config[f"{prefix}_GRACEFUL_SHUTDOWN_SECONDS"])
        assert pre_stop > 0 and drain > 0
        assert spec["terminationGracePeriodSeconds"] > pre_stop + drain + graceful, name
        # The service keeps idle connections longer than the gateway (which then always closes first).
        keep_alive = int(config[f"{prefix}_KEEP_ALIVE_SECONDS"])
        assert keep_alive > nginx_seconds(config_of(docs, "gateway-config")["GATEWAY_UPSTREAM_KEEPALIVE_TIMEOUT"])
        # Forwarded headers are believed from listed networks only.
        assert "*" not in config[f"{prefix}_TRUSTED_PROXIES"]
        for network in config[f"{prefix}_TRUSTED_PROXIES"].split(","):
            assert ipaddress.ip_network(network).is_private, network
    gateway = deployments["gateway"]["spec"]["template"]["spec"]
    assert _pre_stop_seconds(gateway["containers"][0]) > 0
    assert "STOPSIGNAL SIGQUIT" in (DEPLOY / "docker" / "gateway.Dockerfile").read_text(), "nginx stops gracefully"


def nginx_seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)(ms|s|m)?", value)
    assert match, value
    return int(match.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}[match.group(2)]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_connections_at_the_hpa_maximum_fit_the_database_budget(overlay: str) -> None:
    docs = render(overlay)
    hpas = of_kind(docs, "HorizontalPodAutoscaler")
    total = 0
    for name, prefix in SERVICES.items():
        config: dict[str, Any] = config_of(docs, f"{name}-config")
        pool = int(config[f"{prefix}_DB_POOL_SIZE"])
        per_pod = (
            pool + int(config[f"{prefix}_DB_MAX_OVERFLOW"]) + int(config.get(f"{prefix}_DB_READS_POOL_SIZE", pool))
        )
        per_pod += 1  # readiness' own connection
        total += hpas[name]["spec"]["maxReplicas"] * per_pod
    total += len(of_kind(docs, "Job"))  # a migration run holds one connection
    assert total <= DATABASE_CONNECTIONS_BUDGET[overlay]
    assert f"{DATABASE_CONNECTIONS_BUDGET['prod']}" in (DEPLOY.parent / "docs" / "operations.md").read_text()


def test_every_pod_is_covered_by_a_policy() -> None:
    docs = render("prod")
    policies = list(of_kind(docs, "NetworkPolicy").values())
    for pod in _pods(docs).values():
        named = [p["metadata"]["name"] for p in policies if p["spec"]["podSelector"]]
        covering = [
            p["metadata"]["name"]
            for p in policies
            if p["spec"]["podSelector"] and _selects(p["spec"]["podSelector"], pod.labels)
        ]
        assert covering, f"{pod.name}: only the default deny applies (of {named})"
