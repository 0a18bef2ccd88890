"""Reference data: campaigns and units."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from registry.api.blueprint import ApiBlueprint
from registry.api.schemas import CampaignOut, UnitOut
from registry.campaigns.models import Campaign
from registry.extensions import db
from registry.units.models import Unit

blp = ApiBlueprint(
    "api_reference", __name__, url_prefix="/api/v1", description=_l("Dữ liệu tham chiếu")
)


@blp.route("/campaigns")
@blp.response(200, CampaignOut(many=True))
def campaigns():
    """List the campaigns with their approved slogans."""
    return db.session.scalars(sa.select(Campaign).order_by(Campaign.starts_on.desc())).all()


@blp.route("/units")
@blp.response(200, UnitOut(many=True))
def units():
    """List the active units."""
    return db.session.scalars(sa.select(Unit).where(Unit.is_active).order_by(Unit.code)).all()
