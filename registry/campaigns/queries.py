"""Campaigns as the lists' filters show them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from registry.campaigns.models import Campaign
from registry.extensions import db
from registry.refcache import CampaignChoice, cached


def campaign_choices() -> tuple[CampaignChoice, ...]:
    """Every campaign, newest first, for a list's filter (cached per process)."""

    def load() -> tuple[CampaignChoice, ...]:
        rows = db.session.execute(
            sa.select(
                Campaign.id,
                Campaign.title,
                Campaign.starts_on,
                Campaign.ends_on,
                Campaign.is_closed,
            ).order_by(Campaign.starts_on.desc(), Campaign.id.desc())
        )
        return tuple(CampaignChoice(*row) for row in rows)

    return cached("campaigns", load)


def open_campaign_choices(day: date) -> list[CampaignChoice]:
    """The campaigns open for submissions on the day, for a list's filter."""
    return [campaign for campaign in campaign_choices() if campaign.is_open_on(day)]
