"""Signed-cookie sessions (Starlette's SessionMiddleware, itsdangerous) and CSRF tokens.

Nothing is kept server-side, so any process can serve any request. The CSRF token lives in the
signed session and must come back in the X-CSRF-Token header on every state-changing request.
"""

from __future__ import annotations

import secrets
import time

from starlette.requests import Request

from helpdesk.actors import AgentActor, CustomerActor
from helpdesk.errors import CSRFFailed, NotAuthenticated
from helpdesk.models import Agent, Customer

AGENT_KEY = "agent_id"
CUSTOMER_KEY = "customer_id"
CSRF_KEY = "csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


def check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(CSRF_KEY)
    given = request.headers.get(CSRF_HEADER, "")
    if not isinstance(expected, str) or not secrets.compare_digest(expected, given):
        raise CSRFFailed()


def start_agent_session(request: Request, agent: Agent) -> str:
    request.session.pop(AGENT_KEY, None)
    request.session[AGENT_KEY] = agent.id
    request.session["agent_auth_at"] = int(time.time())
    request.session[CSRF_KEY] = secrets.token_urlsafe(32)
    return str(request.session[CSRF_KEY])


def start_customer_session(request: Request, customer: Customer) -> str:
    request.session[CUSTOMER_KEY] = customer.id
    request.session[CSRF_KEY] = request.session.get(CSRF_KEY) or secrets.token_urlsafe(32)
    return str(request.session[CSRF_KEY])


def end_agent_session(request: Request) -> None:
    request.session.pop(AGENT_KEY, None)
    request.session.pop("agent_auth_at", None)


def end_customer_session(request: Request) -> None:
    request.session.pop(CUSTOMER_KEY, None)


async def session_agent(request: Request) -> AgentActor:
    agent_id = request.session.get(AGENT_KEY)
    if not isinstance(agent_id, int):
        raise NotAuthenticated()
    agent = await Agent.get_or_none(id=agent_id, is_active=True)
    if agent is None:
        end_agent_session(request)
        raise NotAuthenticated()
    return AgentActor(agent)


async def session_customer(request: Request) -> CustomerActor:
    customer_id = request.session.get(CUSTOMER_KEY)
    if not isinstance(customer_id, int):
        raise NotAuthenticated()
    customer = await Customer.get_or_none(id=customer_id)
    if customer is None:
        end_customer_session(request)
        raise NotAuthenticated()
    return CustomerActor(customer)
