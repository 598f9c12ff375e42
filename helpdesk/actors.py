"""Who is acting: an agent, a customer, or the system. Passed to every service call."""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.models import Agent, Customer
from helpdesk.models.enums import ActorKind, AgentRole


@dataclass(frozen=True)
class AgentActor:
    agent: Agent

    @property
    def kind(self) -> ActorKind:
        return ActorKind.AGENT

    @property
    def actor_id(self) -> int | None:
        return self.agent.id

    @property
    def label(self) -> str:
        return self.agent.email

    def has_role(self, *roles: AgentRole) -> bool:
        return self.agent.role == AgentRole.ADMIN or self.agent.role in roles


@dataclass(frozen=True)
class CustomerActor:
    customer: Customer

    @property
    def kind(self) -> ActorKind:
        return ActorKind.CUSTOMER

    @property
    def actor_id(self) -> int | None:
        return self.customer.id

    @property
    def label(self) -> str:
        return self.customer.email


@dataclass(frozen=True)
class SystemActor:
    name: str = "system"

    @property
    def kind(self) -> ActorKind:
        return ActorKind.SYSTEM

    @property
    def actor_id(self) -> int | None:
        return None

    @property
    def label(self) -> str:
        return self.name


Actor = AgentActor | CustomerActor | SystemActor
SYSTEM = SystemActor()
