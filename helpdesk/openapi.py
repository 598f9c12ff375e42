"""The OpenAPI 3.1 document, built from the routes' metadata and the pydantic input models."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from starlette.routing import BaseRoute

from helpdesk.web import ApiRoute

_PARAM = re.compile(r"{(\w+)(:\w+)?}")
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "examples": ["validation_error"]},
        "message": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}


def _add_schema(components: dict[str, Any], model: type[BaseModel]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    return [
        {"name": name, "in": "query", "required": False, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def build_openapi(routes: Iterable[BaseRoute], *, title: str, version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for route in routes:
        if not isinstance(route, ApiRoute):
            continue
        doc = route.doc
        path = _PARAM.sub(r"{\1}", route.path)
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            operation: dict[str, Any] = {
                "summary": doc.summary,
                "tags": [doc.tag],
                "operationId": f"{method.lower()}_{path.strip('/').replace('/', '_')}".replace(
                    "{", ""
                ).replace("}", ""),
                "responses": {
                    str(doc.success_status): {"description": "Success"},
                    "400": {"description": "Malformed request", "content": error_ref},
                    "404": {"description": "Not found", "content": error_ref},
                    "413": {"description": "Body too large", "content": error_ref},
                    "422": {"description": "Invalid fields", "content": error_ref},
                },
            }
            params = [
                {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
                for name, _ in _PARAM.findall(route.path)
            ]
            if doc.query is not None:
                params.extend(_query_parameters(doc.query))
            if params:
                operation["parameters"] = params
            if doc.body is not None:
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": _add_schema(components, doc.body)}},
                }
            if doc.auth == "agent":
                operation["security"] = [{"agentSession": [], "csrfToken": []}]
                operation["responses"]["401"] = {
                    "description": "Not logged in",
                    "content": error_ref,
                }
                operation["responses"]["403"] = {
                    "description": "Role or CSRF check failed",
                    "content": error_ref,
                }
                if doc.roles:
                    operation["description"] = "Roles: " + ", ".join(r.value for r in doc.roles)
            elif doc.auth == "customer":
                operation["security"] = [{"customerSession": [], "csrfToken": []}]
                operation["responses"]["401"] = {
                    "description": "Not signed in",
                    "content": error_ref,
                }
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "agentSession": {"type": "apiKey", "in": "cookie", "name": "guichet_session"},
                "customerSession": {"type": "apiKey", "in": "cookie", "name": "guichet_session"},
                "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
            },
        },
    }
