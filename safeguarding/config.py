"""Settings from the environment (pydantic-settings). Built at start-up, never at import; workflows never import it.

The embedded default (`make run`, tests, demo) needs no settings at all: PostgreSQL comes from the
`pgserver` wheel unless `DATABASE_URL` is set, a development payload key is generated under the data
folder, and the proof key derived from it (`safeguarding.temporal.proof_keys`). Outside development,
placeholders are refused: production must name its database, keys, procedure profile and sender, and reach
Temporal over mutual TLS.

Secrets come from files as well as from the environment: every setting can be a file named like its variable
in lower case (`safeguarding_payload_keys`) in the secrets folder, `/run/secrets` (compose secrets) unless
`SAFEGUARDING_SECRETS_DIR` names another. A variable set in the environment wins over the file.
"""

from __future__ import annotations

import os
import tomllib
from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SecretsSettingsSource, SettingsConfigDict

from safeguarding.codes import Channel

SECRETS_DIR = Path("/run/secrets")
"""Where compose (and Kubernetes, by convention) mounts secrets as files; `SAFEGUARDING_SECRETS_DIR` overrides it."""
EXAMPLE_AUTHORITY = "example"
"""The `authority` of the example procedure profiles in `profiles/`: fine for development, refused in production."""
PLACEHOLDER_MAIL_DOMAINS = ("invalid", "example", "test", "localhost", "example.com", "example.org", "example.net")
"""Domains reserved for documentation and testing (RFC 2606): a sender there is the development default."""


def secrets_folder() -> Path:
    """Return the folder secret files are read from: `SAFEGUARDING_SECRETS_DIR`, else `SECRETS_DIR`."""
    return Path(os.environ.get("SAFEGUARDING_SECRETS_DIR") or SECRETS_DIR)


class Settings(BaseSettings):
    """Every setting of the service, read from `SAFEGUARDING_*` variables (and `DATABASE_URL`)."""

    model_config = SettingsConfigDict(env_prefix="SAFEGUARDING_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path(".local")
    profile_path: Path = Path("profiles/example.toml")

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "SAFEGUARDING_DATABASE_URL")
    )

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_ui_port: int = 8233
    temporal_ui_origins: list[str] = Field(
        default_factory=list,
        description="JSON list of the Temporal Web UI origins allowed to call the codec server (`/codec`) from "
        "the browser; default the dev server's UI, http://<Temporal host>:<UI port>.",
    )
    task_queue: str = "safeguarding"
    payload_keys: SecretStr | None = Field(
        default=None,
        description="Comma-separated KEY_ID:BASE64_KEY pairs (AES-256); the first encrypts, all decrypt.",
    )
    proof_keys: SecretStr | None = Field(
        default=None,
        description="Comma-separated KEY_ID:BASE64_KEY pairs (HMAC-SHA256, 32 bytes) that prove an Update came "
        "through the service; the first signs, all verify. A secret of its own, never a payload key.",
    )

    notification_channel: Channel = Channel.EMAIL
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_sender: str = "safeguarding-noreply@example.invalid"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    notify_api_key: SecretStr | None = None
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    notify_template_ids: dict[str, str] = Field(
        default_factory=dict, description="JSON object: our template name -> the GOV.UK Notify template id."
    )
    worker_wait_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long a command (`decide`, `status`) waits for a worker to answer before saying so.",
    )
    api_host: str = Field(default="127.0.0.1", description="Where the HTTP API and the console listen.")
    api_port: int = Field(default=8000, ge=0, le=65535, description="The HTTP API's port (0: any free port).")
    console_assets: Path = Field(
        default=Path("node_modules"),
        description="Where `npm ci` put GOV.UK Frontend and MoJ Frontend, which the console serves.",
    )
    session_secret: SecretStr | None = Field(
        default=None, description="Signs the console's session cookies; outside production a generated one is kept."
    )
    calendar_refresh_time: time = Field(
        default=time(6, 0), description="When running cases are offered a newer bank-holiday calendar (Europe/London)."
    )
    idempotency_retention_days: int = Field(
        default=30,
        ge=1,
        description="How long the first answer to an `Idempotency-Key` or a console form key is kept before the "
        "scheduled sweep deletes it. Longer than any client retries a request (minutes, or a back office's retry "
        "after an outage over a weekend), so a retry never meets a forgotten key; an operational choice, not a "
        "statutory timescale.",
    )
    idempotency_sweep_time: time = Field(
        default=time(3, 0), description="When the sweep of expired idempotency records runs (Europe/London)."
    )
    idempotency_claim_minutes: float = Field(
        default=15.0,
        gt=0,
        description="How long a request's claim on a key, with no answer recorded, holds off a retry with the "
        "same key. A live request answers within minutes (each wait for a worker is at most "
        "`worker_wait_seconds`); a claim older than this was left by a request that died, and the retry runs.",
    )
    database_password: SecretStr | None = Field(
        default=None,
        description="The case store's password, put into DATABASE_URL; lets the URL itself carry no secret.",
    )
    temporal_tls_ca: Path | None = Field(default=None, description="PEM file of the CA of the frontend's cert.")
    temporal_tls_cert: Path | None = Field(default=None, description="PEM file of this client's certificate (mTLS).")
    temporal_tls_key: Path | None = Field(default=None, description="PEM file of this client's private key (mTLS).")
    temporal_tls_server_name: str | None = Field(
        default=None, description="The name the frontend's certificate carries, when it is not the address's host."
    )
    temporal_api_key: SecretStr | None = Field(
        default=None, description="A JWT sent as the bearer token, for the frontend's JWT authorizer."
    )
    temporal_token_check_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How often the worker and the API read the Temporal token's secret file again, and use the "
        "token a secret agent renewed there (`safeguarding.temporal_token`).",
    )
    oidc_issuer: str | None = Field(
        default=None,
        description="The council's identity provider (OpenID Connect issuer URL); its bearer JWTs are accepted "
        "beside our own tokens. Single sign-on is off when unset.",
    )
    oidc_audience: str | None = Field(
        default=None, description="The `aud` the provider's tokens must carry for this API (needed with the issuer)."
    )
    oidc_subject_claim: str = Field(
        default="sub",
        min_length=1,
        description="The token claim matched against a practitioner's `sso_subject` (`sub`, `email`, "
        "`preferred_username`, ...).",
    )
    oidc_console_client_id: str | None = Field(
        default=None,
        description="The console's client at the identity provider: with it, the sign-in page offers signing in "
        "with the council account (authorization code with PKCE). Needs the issuer.",
    )
    oidc_console_client_secret: SecretStr | None = Field(
        default=None, description="The console client's secret at the identity provider (a secret file)."
    )
    public_url: str | None = Field(
        default=None,
        description="Where people reach the API and console (`https://safeguarding.council.example`): the "
        "identity provider sends them back to its `/console/sign-in/callback`. Unset, the request's own address.",
    )
    oidc_keys_ttl_seconds: float = Field(
        default=3600.0, gt=0, description="How long the provider's key set is kept before it is fetched again."
    )
    oidc_keys_refresh_cooldown_seconds: float = Field(
        default=30.0,
        ge=0,
        description="A token naming a key the cached set lacks fetches the set again, at most this often.",
    )
    worker_shutdown_seconds: float = Field(
        default=30.0,
        gt=0,
        description="On SIGTERM, how long the worker lets running activities finish before cancelling them.",
    )
    workflow_task_slots: int = Field(
        default=10,
        ge=2,
        description="Workflow tasks one worker takes at a time. Python runs them on one core, so more only make "
        "each wait longer: taken in hundreds by a worker short of processor time, each outlasted the server's "
        "10-second workflow task timeout, was timed out and taken again, and cases stopped moving.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Read secret files from `_secrets_dir` if given, else from the secrets folder when it exists.

        Only an existing folder is read: pydantic-settings warns about a missing one, and development has none.
        """
        sources = (init_settings, env_settings, dotenv_settings)
        if getattr(file_secret_settings, "secrets_dir", None) is not None:
            return (*sources, file_secret_settings)
        folder = secrets_folder()
        return (*sources, SecretsSettingsSource(settings_cls, secrets_dir=folder)) if folder.is_dir() else sources

    @field_validator("oidc_console_client_id", "oidc_console_client_secret", "public_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """Read a blank value as unset: compose passes an optional variable left out of `.env` as ""."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _single_sign_on_complete(self) -> Settings:
        if (self.oidc_issuer is None) != (self.oidc_audience is None):
            raise ValueError("single sign-on needs both SAFEGUARDING_OIDC_ISSUER and SAFEGUARDING_OIDC_AUDIENCE")
        if self.environment == "production" and self.oidc_issuer and not self.oidc_issuer.startswith("https://"):
            raise ValueError(f"production refuses an identity provider not on https: {self.oidc_issuer}")
        if self.oidc_console_client_id is not None:
            if self.oidc_issuer is None:
                raise ValueError("SAFEGUARDING_OIDC_CONSOLE_CLIENT_ID needs SAFEGUARDING_OIDC_ISSUER")
            if self.environment == "production" and not (self.public_url or "").startswith("https://"):
                raise ValueError(
                    "signing in to the console with the identity provider needs an https SAFEGUARDING_PUBLIC_URL"
                )
        return self

    @model_validator(mode="after")
    def _no_placeholders_outside_development(self) -> Settings:
        if self.environment != "production":
            return self
        missing = [
            name
            for name, value in (
                ("DATABASE_URL", self.database_url),
                ("SAFEGUARDING_PAYLOAD_KEYS", self.payload_keys),
                ("SAFEGUARDING_PROOF_KEYS", self.proof_keys),
                ("SAFEGUARDING_SESSION_SECRET", self.session_secret),
            )
            if not value
        ]
        if self.notification_channel is Channel.GOVUK_NOTIFY and not self.notify_api_key:
            missing.append("SAFEGUARDING_NOTIFY_API_KEY")
        if not (self.temporal_tls_cert and self.temporal_tls_key):
            missing.append("SAFEGUARDING_TEMPORAL_TLS_CERT and _KEY (mutual TLS to the Temporal frontend)")
        if missing:
            raise ValueError(f"production needs {', '.join(missing)}")
        if self.notification_channel is Channel.EMAIL and _is_placeholder_address(self.smtp_sender):
            raise ValueError(
                f"production refuses the development sender {self.smtp_sender}: set SAFEGUARDING_SMTP_SENDER"
            )
        if _profile_authority(self.profile_path) == EXAMPLE_AUTHORITY:
            raise ValueError(
                f"production refuses the example procedure profile {self.profile_path}: "
                "set SAFEGUARDING_PROFILE_PATH to the authority's own"
            )
        return self


def _is_placeholder_address(address: str) -> bool:
    domain = address.rpartition("@")[2].lower().rstrip(".")
    return any(domain == reserved or domain.endswith(f".{reserved}") for reserved in PLACEHOLDER_MAIL_DOMAINS)


def _profile_authority(path: Path) -> str | None:
    """Return the `authority` a profile file names; None when it cannot be read (loading it says why, later)."""
    try:
        authority = tomllib.loads(path.read_text()).get("authority")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return authority if isinstance(authority, str) else None
