"""The window's dialogs: sources, adding a source, settings, about and keyboard shortcuts."""
