"""Widgets that show things and say what happened, with no store and no wiring of their own."""
