"""Displays: the life of an approved placement (installed, removed, inspected), its proof
photos, the map, the dashboard, the coverage report and the reminders."""
