"""Mails to customers, queued in the outbox inside the caller's transaction."""

from __future__ import annotations

from helpdesk.db import UnitOfWork
from helpdesk.mail import templates
from helpdesk.mail.links import MailSettings
from helpdesk.models import Agent, Customer, MailThreadKey, Message, OutboxMail, Ticket
from helpdesk.services.outbox import do_enqueue_mail


async def _thread_references(ticket: Ticket) -> list[str]:
    keys = (
        await MailThreadKey.filter(ticket_id=ticket.id)
        .order_by("id")
        .values_list("message_id", flat=True)
    )
    return [str(k) for k in keys]


async def _last_customer_message_id(ticket: Ticket) -> str | None:
    last = (
        await Message.filter(
            ticket_id=ticket.id, email_message_id__isnull=False, author_kind="customer"
        )
        .order_by("-id")
        .first()
    )
    return last.email_message_id if last else None


async def do_notify_acknowledgement(
    uow: UnitOfWork, ticket: Ticket, customer: Customer, *, mail: MailSettings
) -> OutboxMail:
    """The automatic 'we got your request, its number is …' (RFC 3834 auto-replied)."""
    text = templates.acknowledgement(
        customer.language,
        number=ticket.number,
        subject=ticket.subject,
        name=customer.name,
        link=mail.ticket_link(ticket_id=ticket.id, customer_id=customer.id),
    )
    first = await _last_customer_message_id(ticket)
    return await do_enqueue_mail(
        uow,
        to_address=customer.email,
        subject=text.subject,
        body=text.body,
        mail_domain=mail.mail_domain,
        ticket=ticket,
        in_reply_to=first,
        references=[first] if first else [],
        auto_submitted="auto-replied",
    )


async def do_notify_agent_reply(
    uow: UnitOfWork,
    ticket: Ticket,
    customer: Customer,
    message: Message,
    agent: Agent,
    *,
    mail: MailSettings,
) -> OutboxMail:
    text = templates.agent_reply(
        customer.language,
        number=ticket.number,
        subject=ticket.subject,
        body=message.body,
        agent=agent.name,
        link=mail.ticket_link(ticket_id=ticket.id, customer_id=customer.id),
    )
    return await do_enqueue_mail(
        uow,
        to_address=customer.email,
        subject=text.subject,
        body=text.body,
        mail_domain=mail.mail_domain,
        ticket=ticket,
        in_reply_to=await _last_customer_message_id(ticket),
        references=await _thread_references(ticket),
    )


async def do_send_login_link(
    uow: UnitOfWork, customer: Customer, *, mail: MailSettings
) -> OutboxMail:
    text = templates.login_link(customer.language, link=mail.login_link(customer.id))
    return await do_enqueue_mail(
        uow,
        to_address=customer.email,
        subject=text.subject,
        body=text.body,
        mail_domain=mail.mail_domain,
        auto_submitted="auto-generated",
    )
