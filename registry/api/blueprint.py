"""The API's blueprint: bearer authentication, paging, and an OpenAPI document that describes
the real error body (`{"error": {"code", "message", "field"?, "errors"?}}`) with, for each
operation, every status it can answer and the codes of registry/error_codes.py behind each."""

from __future__ import annotations

from collections import defaultdict
from copy import deepcopy

import sqlalchemy as sa
from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from registry.api.auth import require_token
from registry.error_codes import ErrorCode
from registry.extensions import db
from registry.integers import DbInteger, page_max

BEARER = [{"bearerAuth": []}]
_HEADERS = {
    429: {
        "Retry-After": {
            "description": "seconds to wait before trying again",
            "required": True,
            "schema": {"type": "integer"},
        }
    }
}


class ErrorDetail(Schema):
    code = fields.String(
        required=True,
        validate=validate.OneOf([c.value for c in ErrorCode]),
        metadata={"description": "a stable identifier to branch on (see each response)"},
    )
    message = fields.String(
        required=True,
        metadata={
            "description": "for people, in the token user's language (Vietnamese by default)"
        },
    )
    field = fields.String(metadata={"description": "the request field at fault, if one is"})
    errors = fields.Dict(metadata={"description": "schema messages per field (code `invalid`)"})


class Error(Schema):
    error = fields.Nested(ErrorDetail, required=True)


PER_PAGE_MAX = 100


class PageQuery(Schema):
    # Bounded so that the offset fits the database's BIGINT (registry/integers.py).
    page = DbInteger(load_default=1, minimum=1, maximum=page_max(PER_PAGE_MAX))
    per_page = DbInteger(load_default=25, minimum=1, maximum=PER_PAGE_MAX)


def page_of(stmt: sa.Select, query: dict) -> list:
    """One page of the select, numbered by the query's `page` and `per_page`."""
    page, per_page = query["page"], query["per_page"]
    return db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()


class ApiBlueprint(Blueprint):
    """A blueprint whose operations need a bearer token, except those named public."""

    def __init__(self, *args, public: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.public = set(public)
        self.before_request(self._authenticate)
        self._prepare_doc_cbks.append(self._prepare_errors_doc)

    def _authenticate(self) -> None:
        if (request.endpoint or "").rpartition(".")[2] not in self.public:
            require_token()

    @staticmethod
    def errors(*codes: ErrorCode):
        """Document the error codes (beyond the automatic ones) that an operation can answer."""

        def decorator(func):
            func._apidoc = deepcopy(getattr(func, "_apidoc", {}))
            func._apidoc.setdefault("errors", []).extend(codes)
            return func

        return decorator

    def _prepare_errors_doc(self, doc, doc_info, *, spec, **kwargs):
        if "Error" not in spec.components.schemas:
            spec.components.schema("Error", schema=Error)
        # Any request may hold what no handler reads (a NUL in the address, JSON nested too
        # deep, whatever the method): 400, before anything else.
        codes = [ErrorCode.BAD_REQUEST, ErrorCode.INVALID_JSON, *doc_info.get("errors", [])]
        if doc_info.get("arguments"):
            # Fields that break the schema, or free text the text rule refuses.
            codes.extend([ErrorCode.INVALID, ErrorCode.BAD_TEXT, ErrorCode.BLANK])
        if doc_info.get("public"):
            doc["security"] = []
        else:
            doc["security"] = BEARER
            codes.append(ErrorCode.UNAUTHORIZED)
        by_status = defaultdict(list)
        for code in dict.fromkeys(codes):
            by_status[code.status].append(code)
        responses = doc.setdefault("responses", {})
        for status, group in sorted(by_status.items()):
            responses.pop(str(status), None)
            responses[status] = error_response_doc(group)
        return doc

    def route(self, rule, *, parameters=None, tags=None, **options):
        """Register a view; a public one is documented without security."""
        decorator = super().route(rule, parameters=parameters, tags=tags, **options)

        def mark(func):
            if func.__name__ in self.public:
                func._apidoc = deepcopy(getattr(func, "_apidoc", {}))
                func._apidoc["public"] = True
            return decorator(func)

        return mark


def error_response_doc(codes: list[ErrorCode]) -> dict:
    """An OpenAPI response: the error body, its `code` limited to these codes, each explained."""
    lines = "\n".join(f"- `{code}`: {code.meaning}" for code in codes)
    response = {
        "description": f"`error.code` is one of:\n{lines}",
        "content": {
            "application/json": {
                "schema": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Error"},
                        {
                            "type": "object",
                            "properties": {
                                "error": {
                                    "type": "object",
                                    "properties": {"code": {"enum": [c.value for c in codes]}},
                                }
                            },
                        },
                    ]
                }
            }
        },
    }
    if codes[0].status in _HEADERS:
        response["headers"] = _HEADERS[codes[0].status]
    return response
