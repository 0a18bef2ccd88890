"""WSGI entry point: `flask --app wsgi …`, `gunicorn wsgi:app`."""

from registry import create_app

app = create_app()
