"""Which notifications are e-mailed: every type until turned off; some never can be."""

import httpx

from app.notifications.events import EventType
from tests.factories import register_person
from tests.helpers import ok, problem

PATH = "/api/v1/me/notification-preferences"


class TestPreferences:
    async def test_every_type_is_mailed_until_turned_off_and_a_put_merges(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        start = ok(await client.get(PATH, headers=person.headers)).json()["email"]
        assert len(start) == len(EventType)
        assert "mandate.conflict_of_interest" in start
        assert all(start.values())
        ok(
            await client.put(
                PATH, json={"email": {"tender.published": False}}, headers=person.headers
            )
        )
        ok(
            await client.put(
                PATH,
                json={"email": {"invoice.submitted": False, "account.new_login": True}},
                headers=person.headers,
            )
        )
        now = ok(await client.get(PATH, headers=person.headers)).json()["email"]
        assert {t for t, on in now.items() if not on} == {"tender.published", "invoice.submitted"}
        ok(
            await client.put(
                PATH, json={"email": {"tender.published": True}}, headers=person.headers
            )
        )
        now = ok(await client.get(PATH, headers=person.headers)).json()["email"]
        assert {t for t, on in now.items() if not on} == {"invoice.submitted"}

    async def test_account_and_approval_mail_cannot_be_turned_off_and_nothing_changes(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        for kind in ("account.new_login", "account.password_changed", "approval.waiting"):
            refused = await client.put(
                PATH,
                json={"email": {kind: False, "tender.published": False}},
                headers=person.headers,
            )
            body = problem(refused, 422, "notification_required")
            assert kind in body["detail"]
        welsh = await client.put(
            PATH,
            json={"email": {"account.email_changed": False}},
            headers={**person.headers, "Accept-Language": "cy"},
        )
        assert "Ni ellir diffodd" in problem(welsh, 422, "notification_required")["detail"]
        now = ok(await client.get(PATH, headers=person.headers)).json()["email"]
        assert all(now.values())

    async def test_an_unknown_type_or_a_non_boolean_is_a_validation_error(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        for body in ({"email": {"tender.opened": False}}, {"email": {"tender.published": 0}}, {}):
            problem(
                await client.put(PATH, json=body, headers=person.headers), 422, "validation_error"
            )
