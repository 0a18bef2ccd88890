"""Flask extensions, created without an app."""

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from registry.db import Base


def _schema_name(schema) -> str | None:
    """Name schemas after their class; partial variants are written inline in the spec."""
    if getattr(schema, "partial", False):
        return None
    cls = resolve_schema_cls(schema)
    return cls.__name__


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
api = Api(spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=_schema_name)})
# No catch-all "default" response: each operation lists the statuses it can answer
# (registry/api/blueprint.py), so a client and the fuzzer can hold the API to them.
api.DEFAULT_ERROR_RESPONSE_NAME = None
