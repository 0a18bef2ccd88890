"""Admin pages: accounts, the audit log, campaigns and slogans, checklist versions, units.

Each module adds its routes to the one blueprint of blueprint.py; importing them here is what
registers them.
"""

from registry.admin import calendar, campaigns, checklists, units, views
from registry.admin.blueprint import bp

__all__ = ["bp", "calendar", "campaigns", "checklists", "units", "views"]
