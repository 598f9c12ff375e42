"""Permission-checked accessors: the only way to fetch a protected object."""

from __future__ import annotations

from helpdesk.actors import Actor, AgentActor, CustomerActor
from helpdesk.errors import PermissionDenied, TicketNotFound
from helpdesk.models import Ticket
from helpdesk.models.enums import AgentRole, Category


def can_see_ticket(actor: Actor, ticket: Ticket) -> bool:
    if isinstance(actor, CustomerActor):
        return ticket.customer_id == actor.customer.id
    if isinstance(actor, AgentActor):
        if ticket.category == Category.ABUSE:
            return actor.has_role(AgentRole.ABUSE)
        return True
    return True


async def get_ticket_for(actor: Actor, ticket_id: int, *, for_update: bool = False) -> Ticket:
    """The ticket if this actor may see it. Another customer's ticket is simply not found."""
    query = Ticket.filter(id=ticket_id)
    if for_update:
        query = query.select_for_update()
    ticket = await query.first()
    if ticket is None:
        raise TicketNotFound()
    if not can_see_ticket(actor, ticket):
        raise TicketNotFound()
    return ticket


def require_agent(actor: Actor) -> AgentActor:
    if not isinstance(actor, AgentActor):
        raise PermissionDenied()
    return actor
