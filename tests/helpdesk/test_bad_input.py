"""Bad input gets a clear 4xx JSON error and changes nothing; never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from helpdesk.models import Message, Ticket
from tests.factories import json_of, login, make_agent, make_ticket
from tests.support.server import LiveServer
from tests.support.smtp import SMTPSink

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(document.cookie)>',
    "‮gnp.exe",  # right-to-left override
    "zero​width​joiner‍here",
    "emoji 👩‍💻🔥🇫🇷 and combining é",
    "ctrl \x01\x02\x07\x08\x1b[31m\x7f chars",
    "tabs\tand\r\nCRLF\rlone CR",
    "{{7*7}} ${7*7} <%= 7*7 %> ' OR 1=1 --",
    "\ufeffBOM and \ufffe noncharacter",
    "𝕳𝖊𝖑𝖑𝖔 astral plane 𠜎",
    "a" * 5000,
]


async def test_malformed_json_is_refused_clearly(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await login(client, agent)
    before = await Message.filter(ticket_id=ticket.id).count()

    for body in (b"{", b'{"body": }', b"\xff\xfe garbage", b"[1,2", b"null", b"[" * 10000):
        response = await client.post(
            f"/api/tickets/{ticket.id}/notes",
            content=body,
            headers={"content-type": "application/json"},
        )
        assert response.status_code in (400, 422), (body[:20], response.text)
        assert json_of(response)["code"] in ("malformed_json", "validation_error")

    assert await Message.filter(ticket_id=ticket.id).count() == before


async def test_wrong_content_type_is_415(client: httpx.AsyncClient) -> None:
    agent = await make_agent()
    await login(client, agent)
    response = await client.post(
        "/api/tickets",
        content=b"subject=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert json_of(response)["code"] == "unsupported_media_type"


async def test_oversized_body_is_413_with_or_without_content_length(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await login(client, agent)
    huge = b'{"body": "' + b"x" * 1_100_000 + b'"}'

    declared = await client.post(
        f"/api/tickets/{ticket.id}/notes",
        content=huge,
        headers={"content-type": "application/json"},
    )

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(huge), 65536):
            yield huge[start : start + 65536]

    streamed = await client.post(
        f"/api/tickets/{ticket.id}/notes",
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    for response in (declared, streamed):
        assert response.status_code == 413
        assert json_of(response)["code"] == "body_too_large"
    assert await Message.filter(ticket_id=ticket.id).count() == 1


async def test_validation_errors_name_the_field(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await login(client, agent)

    cases = [
        ({"body": ""}, "body"),
        ({"body": "   \n "}, "body"),
        ({"body": "ok", "status_after": "exploded"}, "status_after"),
        ({"body": "ok", "extra": 1}, "extra"),
        ({"body": 42}, "body"),
        ({"body": "nul \u0000 byte"}, "body"),
    ]
    for payload, field in cases:
        response = await client.post(f"/api/tickets/{ticket.id}/replies", json=payload)
        assert response.status_code == 422, (payload, response.text)
        data = json_of(response)
        assert data["code"] == "validation_error"
        assert [e["field"] for e in data["errors"]] == [field]
    assert (await Ticket.get(id=ticket.id)).status == "new"


async def test_lone_surrogate_is_refused_not_a_500(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await login(client, agent)
    response = await client.post(
        f"/api/tickets/{ticket.id}/notes",
        content=b'{"body": "half \\ud800 pair"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert json_of(response)["errors"][0]["field"] == "body"


async def test_unknown_ids_are_404_json(client: httpx.AsyncClient) -> None:
    agent = await make_agent()
    await login(client, agent)
    for method, path, payload in (
        ("GET", "/api/tickets/999999", None),
        ("POST", "/api/tickets/999999/notes", {"body": "x"}),
        ("PATCH", "/api/tickets/999999", {"priority": "low"}),
        ("GET", "/api/customers/999999", None),
        ("POST", "/api/mail/outbox/999999/retry", None),
        ("GET", "/api/mail/inbound/999999/raw", None),
        ("GET", "/api/nothing-here", None),
    ):
        response = await client.request(method, path, json=payload)
        assert response.status_code == 404, (path, response.text)
        assert json_of(response)["code"].endswith("not_found")


async def test_bad_query_parameters_are_422(client: httpx.AsyncClient) -> None:
    agent = await make_agent()
    await login(client, agent)
    for params in (
        {"status": "zzz"},
        {"page": "0"},
        {"per_page": "100000"},
        {"assignee": "robert"},
        {"bogus": "1"},
        {"sort": "drop table"},
    ):
        response = await client.get("/api/tickets", params=params)
        assert response.status_code == 422, (params, response.text)


async def test_assigning_an_unknown_agent_changes_nothing(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await login(client, agent)
    response = await client.patch(
        f"/api/tickets/{ticket.id}", json={"assignee_id": 424242, "priority": "urgent"}
    )
    assert response.status_code == 404
    assert json_of(response)["code"] == "agent_not_found"
    fresh = await Ticket.get(id=ticket.id)
    assert fresh.priority == "normal"
    assert fresh.assignee_id is None


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_strings_round_trip_exactly(
    client: httpx.AsyncClient, live_server: LiveServer, smtp_sink: SMTPSink, text: str
) -> None:
    agent = await make_agent()
    await login(client, agent)
    created = await client.post(
        "/api/tickets",
        json={"customer_email": "hostile@example.org", "subject": text[:250], "body": text},
    )
    assert created.status_code == 201, created.text
    ticket_id = json_of(created)["id"]
    note = await client.post(f"/api/tickets/{ticket_id}/notes", json={"body": text})
    assert note.status_code == 201

    view = json_of(await client.get(f"/api/tickets/{ticket_id}"))

    assert view["subject"] == text[:250]
    assert [m["body"] for m in view["messages"]] == [text, text]
    [mail] = await smtp_sink.wait_for(1)  # the customer's copy left, headers intact
    assert mail.rcpt_tos == ["hostile@example.org"]
    assert "\n" not in mail.message["Subject"]
    assert text.splitlines()[0][:20].strip("\x01\x02\x07\x08\x1b\x7f") in mail.text
