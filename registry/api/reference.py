"""Reference data: campaigns and units."""

import sqlalchemy as sa
from flask_smorest import Blueprint

from registry.api.auth import require_token
from registry.api.schemas import CampaignOut, UnitOut
from registry.campaigns.models import Campaign
from registry.extensions import db
from registry.units.models import Unit

blp = Blueprint("api_reference", __name__, url_prefix="/api/v1", description="Dữ liệu tham chiếu")
blp.before_request(require_token)


@blp.route("/campaigns")
@blp.response(200, CampaignOut(many=True))
@blp.doc(security=[{"bearerAuth": []}])
def campaigns():
    """List the campaigns with their approved slogans."""
    return db.session.scalars(sa.select(Campaign).order_by(Campaign.starts_on.desc())).all()


@blp.route("/units")
@blp.response(200, UnitOut(many=True))
@blp.doc(security=[{"bearerAuth": []}])
def units():
    """List the active units."""
    return db.session.scalars(sa.select(Unit).where(Unit.is_active).order_by(Unit.code)).all()
