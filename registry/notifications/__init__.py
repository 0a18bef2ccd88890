"""Notifications in the app and by e-mail: rules in notify.py, delivery in jobs.py."""
