"""GET /reports/census/{year}: the census return as XML, for the head of service only (statutory-rules.md §9)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from safeguarding.codes import Role
from tests.api.conftest import Api


async def test_the_head_of_service_gets_the_return_as_xml(api: Api) -> None:
    response = await api.http.get("/reports/census/2026", headers=await api.headers(Role.SERVICE_MANAGER))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert "cin-census-2026-2026_27.xml" in response.headers["content-disposition"]
    root = ET.fromstring(response.content)
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2027-03-31"


async def test_others_are_refused_and_bad_years_or_specifications_are_invalid(api: Api) -> None:
    head = await api.headers(Role.SERVICE_MANAGER)
    team_manager = await api.http.get("/reports/census/2026", headers=await api.headers(Role.TEAM_MANAGER))
    not_begun = await api.http.get("/reports/census/2099", headers=head, params={"spec": "2026_27"})
    no_spec = await api.http.get("/reports/census/2024", headers=head)
    bad_spec = await api.http.get("/reports/census/2026", headers=head, params={"spec": "2031_32"})

    assert team_manager.status_code == 403
    assert (not_begun.status_code, no_spec.status_code, bad_spec.status_code) == (422, 422, 422)
