"""The API document lists the values the registry itself holds, from the same lists."""

from registry.library.downloads import FILE_KINDS
from registry.library.models import ASSET_STATUSES
from registry.reviews.models import RESULTS
from registry.submissions.models import FORMATS, SITE_TYPES, STATUSES
from registry.workflow import TRANSITIONS


def _enum(prop: dict) -> list:
    return [value for value in prop["enum"] if value is not None]


def test_openapi_enums_are_the_registry_s_own_lists(client):
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert _enum(schemas["TransitionIn"]["properties"]["action"]) == list(TRANSITIONS)
    assert _enum(schemas["AnswerIn"]["properties"]["result"]) == list(RESULTS)
    assert _enum(schemas["AssetOut"]["properties"]["status"]) == list(ASSET_STATUSES)
    assert _enum(schemas["VerifyOut"]["properties"]["status"]) == list(ASSET_STATUSES)
    assert _enum(schemas["SubmissionIn"]["properties"]["format"]) == list(FORMATS)
    assert _enum(schemas["PlacementIn"]["properties"]["site_type"]) == list(SITE_TYPES)
    parameters = {
        (path, p["name"]): p["schema"]
        for path, item in spec["paths"].items()
        for operation in item.values()
        if isinstance(operation, dict)
        for p in operation.get("parameters", [])
    }
    assert _enum(parameters["/api/v1/assets/{code}/download", "file"]) == list(FILE_KINDS)
    assert _enum(parameters["/api/v1/assets", "status"]) == list(ASSET_STATUSES)
    assert _enum(parameters["/api/v1/submissions", "status"]) == list(STATUSES)
