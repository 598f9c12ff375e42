"""Admins create customers and their services (domains, IPs) through the API."""

from __future__ import annotations

import httpx

from helpdesk.models import AuditEvent, Customer
from helpdesk.models.enums import AgentRole
from tests.factories import json_of, login, make_agent


async def test_admin_creates_a_customer_with_a_service(client: httpx.AsyncClient) -> None:
    admin = await make_agent(role=AgentRole.ADMIN)
    await login(client, admin)

    created = await client.post(
        "/api/customers",
        json={"email": "Gerard@Example.FR", "name": "Gérard Menvussa", "language": "fr"},
    )
    assert created.status_code == 201, created.text
    customer_id = json_of(created)["id"]
    service = await client.post(
        f"/api/customers/{customer_id}/services",
        json={
            "kind": "vps",
            "label": "VPS L",
            "resources": [
                {"kind": "ip", "value": "203.0.113.7"},
                {"kind": "ip", "value": "2001:db8::/64"},
                {"kind": "domain", "value": "Menvussa.example.fr."},
            ],
        },
    )

    assert service.status_code == 201, service.text
    assert sorted(json_of(service)["resources"]) == [
        "2001:db8::/64",
        "203.0.113.7",
        "menvussa.example.fr",
    ]
    record = json_of(await client.get(f"/api/customers/{customer_id}"))
    assert record["email"] == "gerard@example.fr"
    assert record["services"][0]["label"] == "VPS L"
    actions = [e.action for e in await AuditEvent.filter(object_type__in=["customer", "service"])]
    assert actions == ["customer.created", "service.created"]


async def test_bad_customer_and_service_input_changes_nothing(client: httpx.AsyncClient) -> None:
    admin = await make_agent(role=AgentRole.ADMIN)
    await login(client, admin)
    first = json_of(await client.post("/api/customers", json={"email": "a@example.fr"}))

    again = await client.post("/api/customers", json={"email": "A@example.fr"})
    bad_ip = await client.post(
        f"/api/customers/{first['id']}/services",
        json={"kind": "vps", "label": "x", "resources": [{"kind": "ip", "value": "999.1.1.1"}]},
    )
    bad_kind = await client.post(
        f"/api/customers/{first['id']}/services", json={"kind": "spaceship", "label": "x"}
    )
    nobody = await client.post("/api/customers/999999/services", json={"kind": "vps", "label": "x"})

    assert (again.status_code, json_of(again)["code"]) == (409, "customer_exists")
    assert (bad_ip.status_code, json_of(bad_ip)["code"]) == (422, "validation_error")
    assert bad_kind.status_code == 422
    assert (nobody.status_code, json_of(nobody)["code"]) == (404, "customer_not_found")
    assert await Customer.all().count() == 1
    record = json_of(await client.get(f"/api/customers/{first['id']}"))
    assert record["services"] == []


async def test_an_ip_belongs_to_one_service_only(client: httpx.AsyncClient) -> None:
    admin = await make_agent(role=AgentRole.ADMIN)
    await login(client, admin)
    customer = json_of(await client.post("/api/customers", json={"email": "b@example.fr"}))
    body = {"kind": "vps", "label": "one", "resources": [{"kind": "ip", "value": "198.51.100.9"}]}
    assert (
        await client.post(f"/api/customers/{customer['id']}/services", json=body)
    ).status_code == 201

    second = await client.post(f"/api/customers/{customer['id']}/services", json=body)

    assert (second.status_code, json_of(second)["code"]) == (409, "resource_taken")
    assert len(json_of(await client.get(f"/api/customers/{customer['id']}"))["services"]) == 1


async def test_plain_agents_cannot_create_customers(client: httpx.AsyncClient) -> None:
    agent = await make_agent(role=AgentRole.AGENT)
    await login(client, agent)
    response = await client.post("/api/customers", json={"email": "c@example.fr"})
    assert response.status_code == 403
    assert await Customer.all().count() == 0
