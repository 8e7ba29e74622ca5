"""Status messages told to assistive technology as well as shown.

A sighted user sees "1 record marked Archived" appear in the status bar; a screen-reader user
hears nothing unless the change is sent as an accessibility event. The label's accessible name
carries the message (a fixed name would hide the text from the reader), and an Alert event asks
the platform bridge (AT-SPI, UIA, NSAccessibility) to speak it without moving the focus.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, title: str, message: str) -> None:
    """Name `widget` "title: message" (just "title" when there is no message) and, when there is
    one, send it as an alert. The same message again is not repeated (a note saved on every
    pause would say "Saved" over and over). Qt drops the events while no assistive technology
    listens."""
    name = f"{title}: {message}" if message else title
    if widget.accessibleName() == name:
        return
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(message)
    QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.NameChanged))
    if message:
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.Alert))
