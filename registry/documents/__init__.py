"""The approval document: a numbered PDF in the layout of Nghị định 30/2020/NĐ-CP, issued at
approval, signed PAdES where a certificate is configured, kept in the approved bucket."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Refuse to start on a signing configuration that cannot work."""
    from registry.documents import keys, trust

    keys.check_configuration(app.config)
    trust.check_trust_roots(app.config)
