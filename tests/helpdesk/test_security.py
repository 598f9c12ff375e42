"""Authentication, roles, CSRF, throttling, and customers reaching only their own tickets."""

from __future__ import annotations

import re

import httpx

from helpdesk.mail.links import MailSettings
from helpdesk.models import AuditEvent, Message
from helpdesk.models.enums import AgentRole
from tests.factories import (
    PASSWORD,
    json_of,
    login,
    make_agent,
    make_customer,
    make_ticket,
    portal_client,
)
from tests.support.server import LiveServer


async def test_every_documented_agent_route_needs_a_session(client: httpx.AsyncClient) -> None:
    spec = json_of(await client.get("/api/openapi.json"))
    agent_operations = [
        (method.upper(), re.sub(r"{\w+}", "1", path))
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if {"agentSession": [], "csrfToken": []} in operation.get("security", [])
    ]
    assert len(agent_operations) >= 20
    for method, path in agent_operations:
        response = await client.request(method, path, json={})
        assert response.status_code == 401, (method, path, response.status_code)
        assert json_of(response)["code"] == "not_authenticated"


async def test_customer_session_cannot_use_agent_routes(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    customer = await make_customer()
    link = MailSettings.from_settings(live_server.settings).login_link(customer.id)
    await client.get(link.replace("http://desk.test", ""), follow_redirects=False)
    me = json_of(await client.get("/api/portal/me"))
    client.headers["X-CSRF-Token"] = me["csrf_token"]
    assert (await client.get("/api/tickets")).status_code == 401


async def test_state_changes_need_the_csrf_token(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await login(client, agent)
    del client.headers["X-CSRF-Token"]

    missing = await client.post(f"/api/tickets/{ticket.id}/notes", json={"body": "x"})
    client.headers["X-CSRF-Token"] = "forged"
    forged = await client.post(f"/api/tickets/{ticket.id}/notes", json={"body": "x"})

    for response in (missing, forged):
        assert response.status_code == 403
        assert json_of(response)["code"] == "csrf_failed"
    assert await Message.filter(ticket_id=ticket.id).count() == 1


async def test_wrong_password_is_401_and_logins_are_throttled(client: httpx.AsyncClient) -> None:
    agent = await make_agent()
    codes = []
    for _ in range(7):
        response = await client.post(
            "/api/auth/login", json={"email": agent.email, "password": "wrong password"}
        )
        codes.append(response.status_code)
    assert codes[:5] == [401] * 5
    assert codes[5:] == [429, 429]
    failures = await AuditEvent.filter(action="agent.login_failed", object_id=agent.id).count()
    assert failures == 5  # attempts refused by the throttle never reach the password check
    # Even the right password is refused while throttled.
    right = await client.post("/api/auth/login", json={"email": agent.email, "password": PASSWORD})
    assert right.status_code == 429
    assert json_of(right)["code"] == "rate_limited"


async def test_session_cookie_is_signed_and_tampering_logs_out(client: httpx.AsyncClient) -> None:
    agent = await make_agent()
    await login(client, agent)
    cookie = client.cookies["guichet_session"]
    client.cookies.set("guichet_session", cookie[:-4] + "AAAA")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_deactivated_agent_is_logged_out(client: httpx.AsyncClient) -> None:
    agent = await make_agent()
    await login(client, agent)
    agent.is_active = False
    await agent.save()
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_customer_sees_only_their_own_tickets(live_server: LiveServer) -> None:
    alice = await make_customer(email="alice@example.fr")
    bob = await make_customer(email="bob@example.com")
    mine = await make_ticket(live_server.settings, customer=alice, subject="Alice's")
    theirs = await make_ticket(live_server.settings, customer=bob, subject="Bob's")

    async with portal_client(live_server, alice.id) as portal:
        listing = json_of(await portal.get("/api/portal/tickets"))
        assert [t["id"] for t in listing["items"]] == [mine.id]
        assert (await portal.get(f"/api/portal/tickets/{mine.id}")).status_code == 200
        other = await portal.get(f"/api/portal/tickets/{theirs.id}")
        assert other.status_code == 404
        assert json_of(other)["code"] == "ticket_not_found"
        write = await portal.post(
            f"/api/portal/tickets/{theirs.id}/messages", json={"body": "hello"}
        )
        assert write.status_code == 404
        assert (await portal.get("/api/portal/tickets/99999")).status_code == 404
    assert await Message.filter(ticket_id=theirs.id).count() == 1


async def test_internal_notes_never_reach_the_portal(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    alice = await make_customer()
    ticket = await make_ticket(live_server.settings, customer=alice)
    agent = await make_agent()
    await login(client, agent)
    await client.post(f"/api/tickets/{ticket.id}/notes", json={"body": "SECRET internal"})
    await client.post(f"/api/tickets/{ticket.id}/replies", json={"body": "Public answer"})

    async with portal_client(live_server, alice.id) as portal:
        view = json_of(await portal.get(f"/api/portal/tickets/{ticket.id}"))

    bodies = [m["body"] for m in view["messages"]]
    assert "Public answer" in bodies
    assert all("SECRET" not in b for b in bodies)
    assert "assignee" not in view
    assert "customer" not in view


async def test_forged_or_expired_links_do_not_sign_in(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.base_url) as http:
        for path in ("/portal/login/forged.token.value", "/portal/t/abc"):
            response = await http.get(path, follow_redirects=False)
            assert response.status_code == 303
            assert "invalid_link" in response.headers["location"]
        assert (await http.get("/api/portal/me")).status_code == 401


async def test_security_headers_are_sent(client: httpx.AsyncClient) -> None:
    response = await client.get("/agent/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


async def test_mail_catcher_is_for_admins_only(client: httpx.AsyncClient) -> None:
    agent = await make_agent(role=AgentRole.AGENT)
    await login(client, agent)
    for path in ("/api/mail/catcher", "/api/mail/catcher/1"):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert json_of(response)["code"] == "permission_denied"
    await client.post("/api/auth/logout")
    admin = await make_agent(role=AgentRole.ADMIN)
    await login(client, admin)
    assert (await client.get("/api/mail/catcher")).status_code == 200
