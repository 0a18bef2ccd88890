"""Sign-in: Flask-Login wiring."""

import sqlalchemy as sa
from flask import Flask

from registry.auth.models import User
from registry.extensions import db, login_manager


def init_app(app: Flask) -> None:
    """Configure Flask-Login: sessions are keyed by the user's rotating session token."""
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_token: str):
        user = db.session.scalar(sa.select(User).where(User.session_token == session_token))
        return user if user is not None and user.is_active else None
