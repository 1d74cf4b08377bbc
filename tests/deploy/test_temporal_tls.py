"""The client's side of mutual TLS to the Temporal frontend, built from the settings the deployment sets.

The dev server speaks plain gRPC, so the TLS test puts a TLS frontend of its own in front of it: a proxy on
loopback with a throwaway CA's server certificate that requires a client certificate, as the production
frontend does (`TEMPORAL_TLS_REQUIRE_CLIENT_AUTH`), and passes the bytes through.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.service import TLSConfig
from temporalio.testing import WorkflowEnvironment

from safeguarding.config import Settings
from safeguarding.temporal import connect, tls_config
from tests.deploy.certificates import SERVER_NAME, Pki, make_pki
from tests.fixtures.temporal import TEST_KEYS


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path)


def test_the_tls_settings_in_the_environment_become_the_clients_mutual_tls(
    pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEGUARDING_TEMPORAL_TLS_CA", str(pki.ca))
    monkeypatch.setenv("SAFEGUARDING_TEMPORAL_TLS_CERT", str(pki.client_cert))
    monkeypatch.setenv("SAFEGUARDING_TEMPORAL_TLS_KEY", str(pki.client_key))
    monkeypatch.setenv("SAFEGUARDING_TEMPORAL_TLS_SERVER_NAME", SERVER_NAME)

    config = tls_config(Settings())

    assert config == TLSConfig(
        server_root_ca_cert=pki.ca.read_bytes(),
        client_cert=pki.client_cert.read_bytes(),
        client_private_key=pki.client_key.read_bytes(),
        domain=SERVER_NAME,
    )


def test_without_tls_settings_the_connection_is_plain_as_the_dev_server_needs() -> None:
    assert tls_config(Settings()) is False


def test_a_certificate_without_its_key_is_refused(pki: Pki) -> None:
    with pytest.raises(ValueError, match="go together"):
        tls_config(Settings(temporal_tls_cert=pki.client_cert))


def test_a_missing_certificate_file_stops_the_service_naming_it(pki: Pki, tmp_path: Path) -> None:
    missing = tmp_path / "absent.pem"
    with pytest.raises(FileNotFoundError, match=r"absent\.pem"):
        tls_config(Settings(temporal_tls_ca=pki.ca, temporal_tls_cert=missing, temporal_tls_key=pki.client_key))


@pytest.mark.dev_server
async def test_connect_reaches_a_frontend_that_requires_a_client_certificate(
    pki: Pki, dev_server_env: WorkflowEnvironment
) -> None:
    upstream = dev_server_env.client.service_client.config.target_host
    async with tls_frontend(pki, upstream) as address:
        settings = Settings(
            environment="test",
            temporal_address=address,
            temporal_tls_ca=pki.ca,
            temporal_tls_cert=pki.client_cert,
            temporal_tls_key=pki.client_key,
            temporal_tls_server_name=SERVER_NAME,
        )
        client = await connect(settings, keys=TEST_KEYS)
        info = await client.workflow_service.get_system_info(GetSystemInfoRequest())
        assert info.server_version

        without_certificate = settings.model_copy(update={"temporal_tls_cert": None, "temporal_tls_key": None})
        with pytest.raises(RuntimeError, match="Failed client connect"):
            await connect(without_certificate, keys=TEST_KEYS)


@contextlib.asynccontextmanager
async def tls_frontend(pki: Pki, upstream: str) -> AsyncIterator[str]:
    """Serve TLS (HTTP/2, client certificate required) on a loopback port, passing the bytes to `upstream`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=pki.ca)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    context.verify_mode = ssl.CERT_REQUIRED
    context.set_alpn_protocols(["h2"])
    host, port = upstream.rsplit(":", 1)

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    try:
        yield f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
