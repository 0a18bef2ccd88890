"""The state of a version's text reading, for the review page to poll until the evidence is in."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required

from registry.submissions.queries import load_version
from registry.textcheck.presenters import reading_view

bp = Blueprint("textcheck", __name__)


@bp.route("/versions/<int:version_id>/text.json")
@login_required
def reading(version_id: int):
    """Whether the text is still being read, and once it is, the panel and boxes to show."""
    version = load_version(current_user, version_id)
    view = reading_view(version)
    body = {"status": view["status"], "pending": view["pending"]}
    if not view["pending"]:
        body["html"] = render_template("textcheck/_panel.html", text=view, version=version)
        body["boxes"] = view["boxes"]
        body["evidence"] = {
            code: render_template("textcheck/_evidence.html", evidence=evidence)
            for code, evidence in view["evidence"].items()
        }
        body["results"] = {code: e["result"] for code, e in view["evidence"].items()}
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response
