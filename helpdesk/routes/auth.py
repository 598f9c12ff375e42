"""Agent login and logout."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from helpdesk.actors import AgentActor
from helpdesk.auth import throttle as limits
from helpdesk.auth.sessions import csrf_token, end_agent_session, start_agent_session
from helpdesk.errors import InvalidCredentials
from helpdesk.presenters import agent_json
from helpdesk.routes.context import client_ip, throttle_of
from helpdesk.schemas import LoginIn
from helpdesk.services.people import authenticate_agent, normalise_email
from helpdesk.web import ApiRoute, agent_route, json_response, parse_json, public_route


async def login(request: Request) -> Response:
    data = await parse_json(request, LoginIn)
    throttle = throttle_of(request)
    account = normalise_email(data.email)
    ip = client_ip(request)
    await throttle.hit(limits.LOGIN_PER_IP, "login-ip", ip)
    await throttle.check(limits.LOGIN_PER_ACCOUNT, "login-account", account)
    await throttle.check(limits.LOGIN_PER_ACCOUNT_HOURLY, "login-account-h", account)
    agent = await authenticate_agent(data.email, data.password, ip=ip)
    if agent is None:
        await throttle.hit(limits.LOGIN_PER_ACCOUNT, "login-account", account)
        await throttle.hit(limits.LOGIN_PER_ACCOUNT_HOURLY, "login-account-h", account)
        raise InvalidCredentials()
    token = start_agent_session(request, agent)
    return json_response({"agent": agent_json(agent), "csrf_token": token})


async def logout(request: Request, actor: AgentActor) -> Response:
    end_agent_session(request)
    return json_response({"ok": True})


async def me(request: Request, actor: AgentActor) -> Response:
    return json_response({"agent": agent_json(actor.agent), "csrf_token": csrf_token(request)})


routes: list[ApiRoute] = [
    public_route(
        "/api/auth/login", login, method="POST", summary="Agent login", tag="auth", body=LoginIn
    ),
    agent_route("/api/auth/logout", logout, method="POST", summary="Agent logout", tag="auth"),
    agent_route("/api/auth/me", me, method="GET", summary="The logged-in agent", tag="auth"),
]
