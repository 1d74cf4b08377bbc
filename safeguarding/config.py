"""Settings from the environment (pydantic-settings). Built at start-up, never at import; workflows never import it.

The embedded default (`make run`, tests, demo) needs no settings at all: PostgreSQL comes from the
`pgserver` wheel unless `DATABASE_URL` is set, and a development payload key is generated under the data
folder. Outside development, placeholders are refused: production must name its database and keys.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from safeguarding.codes import Channel


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

    @model_validator(mode="after")
    def _no_placeholders_outside_development(self) -> Settings:
        if self.environment != "production":
            return self
        missing = [
            name
            for name, value in (
                ("DATABASE_URL", self.database_url),
                ("SAFEGUARDING_PAYLOAD_KEYS", self.payload_keys),
                ("SAFEGUARDING_SESSION_SECRET", self.session_secret),
            )
            if not value
        ]
        if self.notification_channel is Channel.GOVUK_NOTIFY and not self.notify_api_key:
            missing.append("SAFEGUARDING_NOTIFY_API_KEY")
        if missing:
            raise ValueError(f"production needs {', '.join(missing)}")
        return self
