"""The user's settings, declared once (name, type, default, help), stored in QSettings."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    label: str
    help: str
    minimum: float | None = None
    maximum: float | None = None
    unit: str = " s"  # shown after a number
    off_text: str = ""  # what the field says at its minimum, when that means "off"
    in_dialog: bool = True  # False: remembered by the window, never edited by the user
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, what the user reads)
    step: float = 0.5  # what the arrow keys add to a number


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data/location",
        str,
        "",
        "Data location",
        "The database file holding every record, note and tag. Leave empty for the default "
        "location. A change takes effect the next time Policy Tracker starts.",
    ),
    Setting(
        "refresh/on_start",
        bool,
        False,
        "Refresh when the window opens",
        "Fetch every enabled source as soon as the window opens.",
    ),
    Setting(
        "refresh/every_hours",
        float,
        0.0,
        "Refresh automatically every",
        "While the window is open (or in the system tray), fetch every enabled source this "
        "often, and tell you what matters in what came in. Off: only when you press Refresh.",
        minimum=0.0,
        maximum=48.0,
        unit=" h",
        off_text="Off",
    ),
    Setting(
        "refresh/schedule_offered",
        bool,
        False,
        "Automatic refresh offered",
        "The window asked once whether to refresh automatically; it does not ask again.",
        in_dialog=False,
    ),
    Setting(
        "window/minimise_to_tray",
        bool,
        False,
        "Minimise to the system tray",
        "A minimised window goes to the system tray and keeps refreshing and alerting; click "
        "the tray icon to bring it back.",
    ),
    Setting(
        "alerts/quiet_from",
        int,
        22,
        "Quiet hours from",
        "From this hour (local time) no alert pops up; the window's status line still says what came in.",
        minimum=0,
        maximum=23,
        unit=":00",
    ),
    Setting(
        "alerts/quiet_to",
        int,
        7,
        "Quiet hours until",
        "Alerts pop up again from this hour. The same hour as the start: no quiet hours.",
        minimum=0,
        maximum=23,
        unit=":00",
    ),
    Setting(
        "calendar/reminders",
        str,
        "14, 3",
        "Calendar reminders",
        "File → Export Calendar gives each deadline reminders this many days before it, "
        "comma-separated (none: no reminder).",
    ),
    Setting(
        "refresh/per_host_delay",
        float,
        1.0,
        "Delay between requests to one site",
        "Seconds to wait between two requests to the same website. Keep it at one second or "
        "more: the sites are public services.",
        minimum=0.0,
        maximum=30.0,
    ),
    Setting(
        "reading/mark_read_after",
        float,
        1.5,
        "Mark a record read after",
        "Seconds a record stays shown before it counts as read, so that passing over it with "
        "J, K or the arrow keys leaves it unread. 0: read as soon as it is shown.",
        minimum=0.0,
        maximum=30.0,
        off_text="At once",
    ),
    Setting(
        "backups/budget_gb",
        float,
        0.0,
        "Disk space for daily copies",
        "The most the daily full copies of the data may take, in GB (the window and "
        "`policy-tracker fetch` both keep to it); the oldest are removed to stay within it, the "
        "newest is always kept. 0: a fifth of the free space. Your notes, tags and marks are "
        "also kept, on every change, in a small file of their own.",
        minimum=0.0,
        maximum=10_000.0,
        unit=" GB",
        off_text="Automatic: a fifth of the free space",
    ),
    Setting(
        "look/theme",
        str,
        "system",
        "Theme",
        "Light, dark or high contrast. Following the system, the window turns dark or high "
        "contrast when the desktop does.",
        choices=(
            ("system", "Follow the system"),
            ("light", "Light"),
            ("dark", "Dark"),
            ("high_contrast", "High contrast"),
        ),
    ),
    Setting(
        "look/text_size",
        float,
        100.0,
        "Text size",
        "The size of the text, in percent of the system's font size (set in the desktop's "
        "settings, which Policy Tracker follows).",
        minimum=80.0,
        maximum=200.0,
        unit=" %",
        step=10.0,
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def setting(name: str) -> Setting:
    return _BY_NAME[name]


def get(name: str, settings: QSettings | None = None) -> Any:
    """The stored value converted to the declared type; the default when absent or unreadable."""
    spec = _BY_NAME[name]
    raw = (settings or QSettings()).value(name, spec.default)
    try:
        return _convert(raw, spec.type)
    except (TypeError, ValueError):
        logger.warning("setting %s has an unreadable value %r; using the default", name, raw)
        return spec.default


def put(name: str, value: Any, settings: QSettings | None = None) -> None:
    spec = _BY_NAME[name]
    (settings or QSettings()).setValue(name, _convert(value, spec.type))


def _convert(raw: Any, kind: type) -> Any:
    if kind is bool:
        if isinstance(raw, str):  # INI files store booleans as text
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return bool(raw)
    if kind is float:
        return float(raw)
    if kind is int:
        return int(raw)
    return "" if raw is None else str(raw)


class WindowState:
    """Geometry, splitters, columns, sort and view: remembered between sessions."""

    GEOMETRY = "window/geometry"
    MAIN_SPLITTER = "window/main_splitter"
    DETAIL_SPLITTER = "window/detail_splitter"
    COLUMN_LAYOUTS = "window/column_layouts"  # by sidebar choice (desktop/ui/column_layout.py)
    DETAIL_HIDDEN = "window/detail_hidden"
    VIEW = "window/view"
    SORTS = "window/sorts"

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings()

    def bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(key, value)

    def text(self, key: str, default: str = "") -> str:
        value = self._settings.value(key, default)
        return value if isinstance(value, str) else default

    def set_text(self, key: str, value: str) -> None:
        self._settings.setValue(key, value)

    def flag(self, key: str) -> bool:
        return bool(_convert(self._settings.value(key, False), bool))

    def set_flag(self, key: str, value: bool) -> None:
        self._settings.setValue(key, value)

    def sorts(self) -> dict[str, tuple[str, bool]]:
        """The sort each view had last time: {view: (sort key, descending)}."""
        try:
            data = json.loads(self.text(self.SORTS, "{}"))
            return {str(view): (str(key), bool(desc)) for view, (key, desc) in data.items()}
        except (ValueError, TypeError):
            return {}

    def set_sorts(self, sorts: dict[str, tuple[str, bool]]) -> None:
        self.set_text(self.SORTS, json.dumps({view: list(value) for view, value in sorts.items()}))

    def sync(self) -> None:
        self._settings.sync()
