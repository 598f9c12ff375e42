"""Customer portal: sign-in links by e-mail."""

from __future__ import annotations

from helpdesk.db import atomic
from helpdesk.errors import CustomerNotFound
from helpdesk.mail.links import MailSettings
from helpdesk.models import Customer
from helpdesk.services.notifications import do_send_login_link
from helpdesk.services.people import normalise_email


async def request_login_link(email: str, *, mail: MailSettings) -> bool:
    """Mail a sign-in link if the address is a customer's. The caller never tells which."""
    async with atomic() as uow:
        customer = await Customer.get_or_none(email=normalise_email(email))
        if customer is None:
            return False
        await do_send_login_link(uow, customer, mail=mail)
    return True


async def customer_for_login(customer_id: int) -> Customer:
    customer = await Customer.get_or_none(id=customer_id)
    if customer is None:
        raise CustomerNotFound()
    return customer
