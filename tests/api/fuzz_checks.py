"""A Schemathesis check of our own, loaded by the fuzzer (tests/api/test_fuzz.py).

A request that fits the OpenAPI document may still break a business rule the schema cannot
express (an unknown slogan, a period outside the campaign, bytes that are no image): that is
a documented 422 with its own code. What it may never meet is the schema check itself
(`invalid`): then the document and the validation disagree.
"""

from __future__ import annotations

import json

import schemathesis


@schemathesis.check
def schema_valid_request_breaks_only_named_rules(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        code = json.loads(response.content)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        code = None
    if code in (None, "invalid"):
        raise AssertionError(
            "A request that fits the OpenAPI document was refused by the schema check "
            f"(422, code {code!r}): the document and the validation disagree."
        )
    return None
