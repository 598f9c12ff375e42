"""JSON shapes of the API replies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from helpdesk.models import (
    Agent,
    AuditEvent,
    CaughtMail,
    Customer,
    InboundMail,
    Message,
    OutboxMail,
    Service,
    Ticket,
)
from helpdesk.services.queries import Page, TicketView


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def agent_json(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "email": agent.email,
        "name": agent.name,
        "role": agent.role.value,
        "language": agent.language.value,
    }


def customer_json(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "email": customer.email,
        "name": customer.name,
        "company": customer.company,
        "language": customer.language.value,
        "provisional": customer.is_provisional,
        "support_status": customer.support_status.value,
        "support_suspended_until": iso(customer.support_suspended_until),
    }


def service_json(service: Service, resources: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": service.id,
        "kind": service.kind.value,
        "label": service.label,
        "status": service.status.value,
        "status_reason": service.status_reason,
        "resources": resources or [],
    }


def ticket_summary_json(ticket: Ticket) -> dict[str, Any]:
    customer = ticket.customer
    assignee = ticket.assignee
    return {
        "id": ticket.id,
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status.value,
        "priority": ticket.priority.value,
        "category": ticket.category.value,
        "channel": ticket.channel.value,
        "customer": {"id": customer.id, "email": customer.email, "name": customer.name},
        "assignee": {"id": assignee.id, "name": assignee.name} if assignee else None,
        "tags": sorted(t.name for t in ticket.tags),
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "merged_into": ticket.merged_into_id,
        "screening_flag": ticket.screening_flag,
    }


def page_json(page: Page) -> dict[str, Any]:
    return {
        "items": [ticket_summary_json(t) for t in page.tickets],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "counts_by_status": page.counts_by_status,
    }


def message_json(message: Message, *, for_customer: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": message.id,
        "author_kind": message.author_kind.value,
        "author": message.author_label,
        "visibility": message.visibility.value,
        "body": message.body,
        "created_at": iso(message.created_at),
    }
    if for_customer:
        # Customers see "Support", never a staff member's address or name.
        data["author"] = "" if message.author_kind.value == "agent" else message.author_label
    else:
        agent = message.author_agent if message.author_agent_id is not None else None
        data["author_name"] = agent.name if agent is not None else ""
        data["screening"] = message.screening
        data["inbound_mail_id"] = message.inbound_mail_id
        data["attachments"] = [
            {**a, "url": f"/api/mail/inbound/{message.inbound_mail_id}/parts/{a['index']}"}
            for a in (message.attachments or [])
        ]
    return data


def ticket_view_json(view: TicketView, *, for_customer: bool = False) -> dict[str, Any]:
    ticket = view.ticket
    data: dict[str, Any] = {
        "id": ticket.id,
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status.value,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "messages": [message_json(m, for_customer=for_customer) for m in view.messages],
        "merged_into": ticket.merged_into_id,
    }
    if for_customer:
        return data
    assignee = ticket.assignee
    data.update(
        priority=ticket.priority.value,
        category=ticket.category.value,
        channel=ticket.channel.value,
        customer=customer_json(view.customer),
        service=service_json(ticket.service) if ticket.service else None,
        assignee=agent_json(assignee) if assignee else None,
        tags=view.tags,
        first_response_at=iso(ticket.first_response_at),
        resolved_at=iso(ticket.resolved_at),
        closed_at=iso(ticket.closed_at),
        screening_flag=ticket.screening_flag,
    )
    return data


def audit_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": iso(event.at),
        "actor_kind": event.actor_kind.value,
        "actor": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
    }


def outbox_json(mail: OutboxMail) -> dict[str, Any]:
    return {
        "id": mail.id,
        "to": mail.to_address,
        "subject": mail.subject,
        "status": mail.status.value,
        "attempts": mail.attempts,
        "last_error": mail.last_error,
        "ticket_id": mail.ticket_id,
        "created_at": iso(mail.created_at),
        "next_attempt_at": iso(mail.next_attempt_at),
        "sent_at": iso(mail.sent_at),
    }


def inbound_json(mail: InboundMail) -> dict[str, Any]:
    return {
        "id": mail.id,
        "received_at": iso(mail.received_at),
        "from": mail.from_address,
        "subject": mail.subject,
        "size": mail.size,
        "status": mail.status.value,
        "outcome": mail.outcome.value,
        "detail": mail.detail,
        "ticket_id": mail.ticket_id,
    }


def caught_json(mail: CaughtMail) -> dict[str, Any]:
    return {
        "id": mail.id,
        "received_at": iso(mail.received_at),
        "from": mail.envelope_from,
        "to": mail.envelope_to,
        "subject": mail.subject,
        "size": len(mail.raw_bytes),
    }
