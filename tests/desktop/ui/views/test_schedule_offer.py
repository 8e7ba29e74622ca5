"""The automatic-refresh question on a narrow window (or at 150 %): it wraps onto a second line
instead of being cut ("…what your watchlists and foll"), its buttons whole beside it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.ui.views.schedule_offer import ScheduleOffer


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit
def test_the_question_is_shown_whole_on_a_narrow_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    offer = ScheduleOffer(holder)
    layout.addWidget(offer)
    layout.addStretch(1)
    holder.resize(700, 200)
    holder.show()
    qtbot.waitExposed(holder)
    text = offer.text
    whole = text.fontMetrics().horizontalAdvance(text.text())
    assert text.width() < whole  # too narrow for one line here
    qtbot.waitUntil(lambda: text.height() >= text.heightForWidth(text.width()))  # all its lines shown
    assert text.heightForWidth(text.width()) > text.fontMetrics().height()  # on two lines or more
    for button in (offer.yes, offer.no):
        assert button.width() >= button.sizeHint().width()
