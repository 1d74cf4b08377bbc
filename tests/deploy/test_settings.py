"""Production settings: secrets read from files, and what production refuses that development accepts."""

from __future__ import annotations

import base64
import warnings
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from safeguarding.config import Settings
from safeguarding.database import database_url

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PROFILE = ROOT / "profiles" / "example.toml"
KEYS = "k1:" + base64.b64encode(bytes(range(32))).decode()
PROOF_KEYS = "p1:" + base64.b64encode(bytes(range(32, 64))).decode()


@pytest.fixture
def own_profile(tmp_path: Path) -> Path:
    """An authority's own profile: the example's practice under another authority's name."""
    text = EXAMPLE_PROFILE.read_text()
    assert 'authority = "example"' in text
    path = tmp_path / "testshire.toml"
    path.write_text(text.replace('authority = "example"', 'authority = "testshire"'))
    return path


def production(profile: Path, **changes: Any) -> Settings:
    """Return production settings that are complete, with `changes` applied."""
    values: dict[str, Any] = {
        "environment": "production",
        "database_url": "postgresql+asyncpg://safeguarding@cases-db:5432/safeguarding",
        "payload_keys": KEYS,
        "proof_keys": PROOF_KEYS,
        "session_secret": "s" * 48,
        "profile_path": profile,
        "smtp_sender": "childrens-services@testshire.gov.uk",
        "temporal_tls_cert": Path("/run/secrets/temporal_app_cert"),
        "temporal_tls_key": Path("/run/secrets/temporal_app_key"),
    }
    return Settings(**{**values, **changes})


def test_a_secret_file_in_the_secrets_folder_is_read_as_its_setting(tmp_path: Path) -> None:
    (tmp_path / "safeguarding_payload_keys").write_text(KEYS + "\n")
    (tmp_path / "safeguarding_session_secret").write_text("from-a-file")

    settings = Settings(_secrets_dir=tmp_path)  # type: ignore[call-arg]

    assert settings.payload_keys is not None and settings.payload_keys.get_secret_value() == KEYS
    assert settings.session_secret is not None and settings.session_secret.get_secret_value() == "from-a-file"


def test_the_secrets_folder_can_be_named_in_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "safeguarding_temporal_api_key").write_text("header.claims.signature")
    monkeypatch.setenv("SAFEGUARDING_SECRETS_DIR", str(tmp_path))

    settings = Settings()

    assert settings.temporal_api_key is not None
    assert settings.temporal_api_key.get_secret_value() == "header.claims.signature"


def test_a_variable_in_the_environment_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "safeguarding_session_secret").write_text("from-a-file")
    monkeypatch.setenv("SAFEGUARDING_SESSION_SECRET", "from-the-environment")

    settings = Settings(_secrets_dir=tmp_path)  # type: ignore[call-arg]

    assert settings.session_secret is not None
    assert settings.session_secret.get_secret_value() == "from-the-environment"


def test_no_secrets_folder_means_no_secrets_and_no_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEGUARDING_SECRETS_DIR", str(tmp_path / "absent"))

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        settings = Settings()

    assert [str(warning.message) for warning in warned] == []
    assert settings.payload_keys is None


def test_the_database_password_file_goes_into_a_url_that_names_only_the_server(tmp_path: Path) -> None:
    (tmp_path / "safeguarding_database_password").write_text("p@ss:w/rd with spaces\n")
    settings = Settings(
        database_url="postgresql://safeguarding@cases-db:5432/safeguarding",
        _secrets_dir=tmp_path,  # type: ignore[call-arg]
    )

    url = make_url(database_url(settings, tmp_path))

    assert (url.drivername, url.username, url.password, url.host, url.database) == (
        "postgresql+asyncpg",
        "safeguarding",
        "p@ss:w/rd with spaces",
        "cases-db",
        "safeguarding",
    )


def test_complete_production_settings_with_the_authoritys_own_profile_are_accepted(own_profile: Path) -> None:
    assert production(own_profile).environment == "production"


def test_production_refuses_the_example_profile(own_profile: Path) -> None:
    with pytest.raises(ValidationError, match="production refuses the example procedure profile"):
        production(own_profile, profile_path=EXAMPLE_PROFILE)


@pytest.mark.parametrize(
    "sender",
    ["safeguarding-noreply@example.invalid", "noreply@council.example", "x@example.com", "x@mail.test", "x@localhost"],
)
def test_production_refuses_the_development_mail_address(own_profile: Path, sender: str) -> None:
    with pytest.raises(ValidationError, match="production refuses the development sender"):
        production(own_profile, smtp_sender=sender)


def test_production_on_govuk_notify_does_not_need_a_sender(own_profile: Path) -> None:
    settings = production(
        own_profile, notification_channel="govuk_notify", notify_api_key="key", smtp_sender="x@example.invalid"
    )

    assert settings.notification_channel == "govuk_notify"


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ({"payload_keys": None}, "SAFEGUARDING_PAYLOAD_KEYS"),
        ({"proof_keys": None}, "SAFEGUARDING_PROOF_KEYS"),
        ({"temporal_tls_cert": None}, "SAFEGUARDING_TEMPORAL_TLS_CERT and _KEY"),
        ({"temporal_tls_key": None}, "SAFEGUARDING_TEMPORAL_TLS_CERT and _KEY"),
    ],
)
def test_production_names_what_it_still_needs(own_profile: Path, missing: dict[str, Any], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        production(own_profile, **missing)


def test_development_accepts_the_example_profile_and_sender_without_tls() -> None:
    settings = Settings(profile_path=EXAMPLE_PROFILE)

    assert (settings.smtp_sender, settings.temporal_tls_cert) == ("safeguarding-noreply@example.invalid", None)
