"""A child's census characteristics through registration and correction: disabilities, the UPN's absence, death.

The Children in Need census returns them (statutory-rules.md §9); the case store holds them as census codes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from safeguarding.codes import Role
from safeguarding.service.cases import register_child
from safeguarding.service.errors import Invalid
from safeguarding.service.people import list_person_changes, read_person, update_person
from safeguarding.service.people_models import PersonChange, PersonRecord
from safeguarding.service.root import Services
from tests.service.conftest import Teams
from tests.service.registrations import born, child, registration, today


def _change(record: PersonRecord, **fields: object) -> PersonChange:
    return PersonChange.model_validate(
        {"expected_updated_at": record.updated_at, "reason": "Told by the school", **fields}
    )


async def test_a_child_is_registered_with_their_disabilities_and_why_they_have_no_upn(
    services: Services, teams: Teams
) -> None:
    worker = teams.principal(Role.SOCIAL_WORKER)
    registered = await register_child(
        services,
        worker,
        registration(
            child=child(upn=None, upn_unknown="UN1", date_of_birth=born(4).isoformat(), disabilities=["AUT", "COMM"])
        ),
    )

    record = await read_person(services, worker, registered.child_id)

    assert (record.disabilities, record.upn_unknown, record.upn) == (("AUT", "COMM"), "UN1", None)


async def test_a_correction_records_disabilities_a_former_upn_and_a_date_of_death_in_the_change_log(
    services: Services, teams: Teams
) -> None:
    worker = teams.principal(Role.SOCIAL_WORKER)
    registered = await register_child(services, worker, registration())
    before = await read_person(services, worker, registered.child_id)
    assert before.disabilities is None

    after = await update_person(
        services,
        worker,
        registered.child_id,
        _change(before, disabilities=["NONE"], former_upn="Q801200005002", date_of_death=today().isoformat()),
    )

    assert (after.disabilities, after.former_upn, after.date_of_death) == (("NONE",), "Q801200005002", today())
    changes = {
        c.field: (c.old_value, c.new_value)
        for c in (await list_person_changes(services, worker, after.person_id)).changes
    }
    assert changes == {
        "disabilities": (None, "NONE"),
        "former_upn": (None, "Q801200005002"),
        "date_of_death": (None, today().isoformat()),
    }
    again = await update_person(services, worker, registered.child_id, _change(after, disabilities=["MOB", "VIS"]))
    assert again.disabilities == ("MOB", "VIS")


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"disabilities": ["NONE", "MOB"]}, "NONE (none) is given alone"),
        ({"disabilities": ["MOB", "MOB"]}, "each code once: MOB"),
        ({"disabilities": ["WHEELS"]}, "disabilities.0"),
        ({"disabilities": []}, "at least 1 item"),
        ({"upn_unknown": "UN9"}, "upn_unknown"),
    ],
)
def test_a_list_of_disabilities_or_a_reason_for_no_upn_that_is_not_the_census_codes_is_refused(
    fields: dict[str, object], says: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        registration(child=child(upn=None, **fields))
    assert says in str(refused.value)


async def test_a_death_in_the_future_or_before_the_birth_and_a_reason_for_no_upn_beside_one_are_refused(
    services: Services, teams: Teams
) -> None:
    worker = teams.principal(Role.SOCIAL_WORKER)
    registered = await register_child(services, worker, registration())
    record = await read_person(services, worker, registered.child_id)
    assert record.date_of_birth is not None

    with pytest.raises(Invalid) as future:
        await update_person(
            services, worker, record.person_id, _change(record, date_of_death=(today() + timedelta(days=1)).isoformat())
        )
    with pytest.raises(Invalid) as before_birth:
        await update_person(
            services,
            worker,
            record.person_id,
            _change(record, date_of_death=(record.date_of_birth - timedelta(days=1)).isoformat()),
        )
    with pytest.raises(Invalid) as both:
        await update_person(services, worker, record.person_id, _change(record, upn_unknown="UN3"))
    with pytest.raises(ValidationError, match="not both"):
        registration(child=child(upn_unknown="UN3"))

    assert (future.value.field, before_birth.value.field, both.value.field) == (
        "date_of_death",
        "date_of_death",
        "upn_unknown",
    )
    assert "in the future" in future.value.reason and "before their date of birth" in before_birth.value.reason
    assert (await read_person(services, worker, record.person_id)).updated_at == record.updated_at
