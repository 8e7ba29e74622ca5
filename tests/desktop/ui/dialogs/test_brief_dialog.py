"""File → Brief…: typed as a person types, saved through the command line's path, read back
with real readers (python-docx, pypdf, html.parser); failures said plainly, nothing lost."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from db.store import Query, Store
from desktop.ui.controllers.brief import BriefController, BriefScope, SavedBrief
from desktop.ui.dialogs.brief_dialog import SELECTED, TAG, VIEW, BriefDialog
from tests.desktop.brief_store import HOSTILE_TITLE, build
from tests.small_disk import fill, mounted_small_disk

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit

TYPED_INTRO = "Read <b>this</b> first & <img src=https://evil.example/p.png>\n\nThen the rest."


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("brief-dialog") / "store.sqlite3")


def ids_by_title(store: Path) -> dict[str, int]:
    with Store.open(store) as opened:
        return {r["title"]: r["id"] for r in opened.full_rows(Query())}


Opener = Callable[..., BriefController]


@pytest.fixture
def open_brief(qtbot, store: Path) -> Opener:  # type: ignore[no-untyped-def]
    """The dialog as File → Brief… opens it over a window, its records read."""
    parents: list[QWidget] = []  # qtbot holds widgets weakly

    def opener(selected: tuple[int, ...] = (), tag: str | None = None) -> BriefController:
        parent = QWidget()
        parents.append(parent)
        qtbot.addWidget(parent)
        parent.resize(1400, 850)
        parent.show()
        scope = BriefScope(
            selected_ids=selected,
            view=Query(),
            view_label="All",
            tags=("compute", "for Friday"),
            tag=tag,
        )
        controller = BriefController(parent, store, scope)
        controller.show()
        qtbot.waitExposed(controller.dialog)
        qtbot.waitUntil(lambda: controller.brief is not None, timeout=10_000)
        return controller

    return opener


def type_into(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click into the field, select what is there and type over it, key by key."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def saved(qtbot, controller: BriefController, target: Path, fmt: str) -> SavedBrief:  # type: ignore[no-untyped-def]
    dialog = controller.dialog
    dialog.fmt.setCurrentIndex(dialog.fmt.findData(fmt))
    with qtbot.waitSignal(controller.saved, timeout=60_000) as signal:
        controller.save_to(target)
    result: SavedBrief = signal.args[0]
    return result


def test_the_typed_heading_and_the_chosen_order_are_in_the_docx(qtbot, open_brief, tmp_path) -> None:
    controller = open_brief()
    dialog = controller.dialog
    type_into(qtbot, dialog.heading, "Week 6: AI & compute")
    assert dialog.section_titles() == ("EU", "UK")
    dialog.sections.setFocus()
    qtbot.keyClick(dialog.sections, Qt.Key.Key_End)  # UK, with the keyboard
    qtbot.keyClick(dialog.sections, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert dialog.section_titles() == ("UK", "EU")
    assert dialog.sections.currentItem().text() == "UK"  # the moved section stays current
    qtbot.waitUntil(lambda: controller.brief is not None and controller.brief.sections[0].title == "UK")

    result = saved(qtbot, controller, tmp_path / "week6.docx", "docx")
    assert result.error is None and result.records == 4
    document = Document(str(tmp_path / "week6.docx"))
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "He"))]
    assert styled[0] == ("Title", "Week 6: AI & compute")
    assert [text for style, text in styled if style == "Heading 1"] == ["UK", "EU"]
    assert dialog.message.text() == f"Saved 4 records to {tmp_path / 'week6.docx'}."


def test_the_buttons_move_a_section_and_a_new_grouping_starts_in_its_own_order(qtbot, open_brief) -> None:
    controller = open_brief()
    dialog = controller.dialog
    dialog.group_by.setCurrentIndex(dialog.group_by.findData("tag"))
    qtbot.waitUntil(lambda: dialog.section_titles() == ("compute", "for Friday", "Untagged"))
    dialog.sections.setCurrentRow(0)
    assert not dialog.up_button.isEnabled()
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    assert dialog.section_titles() == ("for Friday", "Untagged", "compute")
    assert not dialog.down_button.isEnabled()  # last place
    moved = ["for Friday", "Untagged", "compute"]
    qtbot.waitUntil(lambda: [s.title for s in controller.brief.sections] == moved)
    dialog.group_by.setCurrentIndex(dialog.group_by.findData("deadline"))
    qtbot.waitUntil(lambda: dialog.section_titles() == ("Closes later", "No deadline"))


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.intro: list[str] = []
        self._in_intro = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_intro = ("class", "intro") in attrs

    def handle_endtag(self, tag: str) -> None:
        self._in_intro = False

    def handle_data(self, data: str) -> None:
        if self._in_intro:
            self.intro.append(data)


def test_html_typed_in_the_introduction_stays_text_in_the_preview_and_the_files(
    qtbot, open_brief, tmp_path
) -> None:
    controller = open_brief()
    dialog = controller.dialog
    qtbot.mouseClick(dialog.intro.viewport(), Qt.MouseButton.LeftButton)
    for line in TYPED_INTRO.split("\n"):
        qtbot.keyClicks(dialog.intro, line)
        qtbot.keyClick(dialog.intro, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Then the rest." in dialog.preview.toPlainText())
    shown = dialog.preview.toPlainText()
    assert "Read <b>this</b> first & <img src=https://evil.example/p.png>" in shown
    assert HOSTILE_TITLE in shown.replace("\u2028", " ")
    assert "<img" not in dialog.preview.toHtml()  # no image element was made, only text

    saved(qtbot, controller, tmp_path / "b.html", "html")
    page = _Page()
    page.feed((tmp_path / "b.html").read_text(encoding="utf-8"))
    assert "img" not in page.tags and "b" not in page.tags[page.tags.index("body") :][:3]
    assert "".join(page.intro[:1]) == "Read <b>this</b> first & <img src=https://evil.example/p.png>"

    saved(qtbot, controller, tmp_path / "b.md", "md")
    markdown = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert "Read \\<b\\>this\\</b\\> first \\& \\<img src=https://evil.example/p.png\\>" in markdown


def test_an_unwritable_path_says_why_and_keeps_what_was_typed(qtbot, open_brief, tmp_path) -> None:
    controller = open_brief()
    dialog = controller.dialog
    type_into(qtbot, dialog.heading, "Kept heading")
    dialog.intro.setFocus()
    qtbot.keyClicks(dialog.intro, "Kept introduction")
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")

    result = saved(qtbot, controller, blocker / "brief.docx", "docx")
    assert result.error is not None
    assert dialog.message.text() == (
        f"Not saved: Cannot write {blocker / 'brief.docx'}: Not a directory. Nothing was written."
    )
    assert dialog.save_button.isEnabled() and not dialog.progress.isVisible()
    assert dialog.heading.text() == "Kept heading" and dialog.intro.toPlainText() == "Kept introduction"
    assert blocker.read_text(encoding="utf-8") == "not a folder"

    result = saved(qtbot, controller, tmp_path / "missing" / "brief.pdf", "pdf")
    assert dialog.message.text().startswith("Not saved: Cannot write ")
    assert "No such file or directory" in dialog.message.text()
    assert not (tmp_path / "missing").exists()

    assert saved(qtbot, controller, tmp_path / "brief.docx", "docx").error is None  # then a good one
    assert Document(str(tmp_path / "brief.docx")).paragraphs[0].text == "Kept heading"


def test_a_full_disk_leaves_the_earlier_file_whole(qtbot, open_brief, tmp_path) -> None:
    controller = open_brief()
    with mounted_small_disk(tmp_path) as disk:
        earlier = disk / "brief.html"
        earlier.write_text("the brief I sent last week", encoding="utf-8")
        fill(disk)
        result = saved(qtbot, controller, earlier, "html")
        assert result.error is not None and "No space left on device" in result.error
        assert earlier.read_text(encoding="utf-8") == "the brief I sent last week"
        assert {p.name for p in disk.iterdir()} == {"brief.html", "filler"}  # no temporary file left


def test_a_brief_is_never_written_over_the_store(qtbot, open_brief, store: Path) -> None:
    controller = open_brief()
    before = store.read_bytes()[:100]
    result = saved(qtbot, controller, store, "md")
    assert result.error is not None and "is the store itself" in result.error
    assert store.read_bytes()[:100] == before


def test_the_pdf_is_made_off_the_window_thread(qtbot, open_brief, tmp_path) -> None:
    controller = open_brief()
    dialog = controller.dialog
    type_into(qtbot, dialog.heading, "PDF brief")
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    dialog.fmt.setCurrentIndex(dialog.fmt.findData("pdf"))
    with qtbot.waitSignal(controller.saved, timeout=60_000):
        controller.save_to(tmp_path / "b.pdf")
        assert dialog.progress.isVisible() and not dialog.save_button.isEnabled()
        assert dialog.message.text() == "Saving the PDF brief to b.pdf…"
    timer.stop()
    assert len(ticks) > 3  # the window went on while the child process made the PDF
    reader = PdfReader(str(tmp_path / "b.pdf"))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "PDF brief" in text and "AI Factories Antennas call" in text


def test_the_records_come_from_the_selection_a_tag_or_the_view(qtbot, open_brief, store: Path) -> None:
    ids = ids_by_title(store)
    one_row = open_brief(selected=(ids["An older speech"],))  # just the current row: the view
    assert one_row.dialog.records.currentData() == VIEW
    controller = open_brief(selected=(ids["Compute roadmap published"], ids["An older speech"]))
    dialog = controller.dialog
    assert dialog.records.currentData() == SELECTED and not dialog.limit_dates.isEnabled()
    assert controller.brief.record_count == 2 and dialog.preview_note.text() == "2 records"
    dialog.records.setCurrentIndex(dialog.records.findData(VIEW))
    qtbot.waitUntil(lambda: controller.brief.record_count == 4)
    dialog.records.setCurrentIndex(dialog.records.findData(SELECTED))
    qtbot.waitUntil(lambda: controller.brief.record_count == 2)

    dialog.records.setCurrentIndex(dialog.records.findData(TAG))
    dialog.tag.setCurrentIndex(dialog.tag.findData("compute"))
    qtbot.waitUntil(lambda: controller.brief.record_count == 2)

    dialog.records.setCurrentIndex(dialog.records.findData(VIEW))
    qtbot.waitUntil(lambda: controller.brief.record_count == 4)
    dialog.since.setDate(dialog.since.date().fromString("2027-01-12", "yyyy-MM-dd"))
    dialog.until.setDate(dialog.until.date().fromString("2027-01-31", "yyyy-MM-dd"))
    dialog.limit_dates.setChecked(True)
    qtbot.waitUntil(lambda: controller.brief.record_count == 2)  # 15 and 20 January
    assert "Published 12 Jan 2027 – 31 Jan 2027" in dialog.preview.toPlainText()


def test_the_tag_in_view_is_where_the_brief_starts(open_brief) -> None:
    controller = open_brief(tag="for Friday")
    assert controller.dialog.records.currentData() == TAG
    assert controller.brief is not None and controller.brief.record_count == 1


def test_leaving_out_notes_summaries_and_links(qtbot, open_brief, tmp_path) -> None:
    controller = open_brief()
    dialog = controller.dialog
    assert "Ask DG CNECT" in dialog.preview.toPlainText()
    for check in (dialog.notes, dialog.summaries, dialog.links):
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Ask DG CNECT" not in dialog.preview.toPlainText())
    assert "Second paragraph of the summary." not in dialog.preview.toPlainText()
    saved(qtbot, controller, tmp_path / "b.docx", "docx")
    document = Document(str(tmp_path / "b.docx"))
    assert [h for p in document.paragraphs for h in p.hyperlinks] == []


def test_what_was_typed_is_there_for_the_next_brief(qtbot, open_brief) -> None:
    first = open_brief()
    type_into(qtbot, first.dialog.heading, "Friday note")
    first.dialog.intro.setPlainText("For the director.")
    first.dialog.reject()
    QApplication.processEvents()
    assert QSettings().value("brief/heading") == "Friday note"
    second = open_brief()
    assert second.dialog.heading.text() == "Friday note"
    assert second.dialog.intro.toPlainText() == "For the director."


def test_file_brief_in_the_window_starts_from_the_tag_in_view(qtbot, make_window, tmp_path) -> None:
    (tmp_path / "data").mkdir()
    window, controller = make_window(build(tmp_path / "data" / "window.sqlite3"))
    qtbot.waitUntil(lambda: window.sidebar.select("tag", "compute", notify=True))  # once the tags are listed
    qtbot.waitUntil(lambda: controller.model.query.tag == "compute")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    brief = window.findChild(BriefDialog)
    assert brief is not None
    qtbot.waitUntil(lambda: brief.preview_note.text() == "2 records")
    assert brief.records.currentData() == TAG and brief.tag.currentData() == "compute"
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert "&Brief…" in [a.text() for a in file_menu.actions()]
    brief.reject()


def test_closing_the_dialog_while_it_saves_still_saves(qtbot, open_brief, tmp_path) -> None:
    controller = open_brief()
    controller.dialog.fmt.setCurrentIndex(controller.dialog.fmt.findData("pdf"))
    with qtbot.waitSignal(controller.saved, timeout=60_000) as signal:
        controller.save_to(tmp_path / "late.pdf")
        controller.dialog.reject()
    assert signal.args[0].error is None
    assert PdfReader(str(tmp_path / "late.pdf")).pages
