"""`policy-tracker brief`: each format opened by a real reader (python-docx, pypdf, html.parser,
LibreOffice when installed), hostile text staying text, local-time deadlines, clear mistakes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from desktop.briefs.markdown import escape_markdown
from tests.cli_run import run_cli
from tests.desktop.brief_store import HOSTILE_NOTE, HOSTILE_TITLE, build
from tests.repo_paths import REPO_ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def brief(store: Path, *args: str | Path, tz: str = "Europe/London") -> subprocess.CompletedProcess[str]:
    return run_cli("--db", store, "brief", *args, env={"TZ": tz, "HOME": str(store.parent)})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("brief") / "store.sqlite3")


def made(store: Path, out: Path, *args: str, tz: str = "Europe/London") -> Path:
    fmt = out.suffix.lstrip(".")
    result = brief(store, "--format", fmt, "--out", out, *args, tz=tz)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wrote a brief of" in result.stdout
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".part")]  # no leftover temp file
    return out


def test_docx_has_heading_styles_hyperlinks_and_the_text_as_typed(store: Path, tmp_path: Path) -> None:
    out = made(store, tmp_path / "b.docx", "--heading", "Week 6 <b>brief</b>", "--intro", "Hello & welcome")
    document = Document(str(out))
    paragraphs = document.paragraphs
    styled = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert styled[0] == ("Title", "Week 6 <b>brief</b>")
    assert ("Heading 1", "EU") in styled and ("Heading 1", "UK") in styled
    assert ("Heading 2", "Funding") in styled and ("Heading 2", "Policy") in styled
    titles = [p for p in document.paragraphs if p.style.name == "Heading 3"]
    assert HOSTILE_TITLE in [p.text for p in titles]  # escaped by the XML writer, read back as typed
    links = {h.address: h.text for p in titles for h in p.hyperlinks}
    assert links["https://ec.europa.eu/info/funding/call-1"] == "AI Factories Antennas call"
    assert links["https://www.gov.uk/government/news/compute-roadmap"] == "Compute roadmap published"
    text = "\n".join(p.text for p in document.paragraphs).replace("\xa0", " ")  # facts do not break
    assert "Hello & welcome" in text
    assert "Deadline: 18 Feb 2027, 16:00 GMT" in text  # 17:00 Brussels, in London time
    assert "Budget: €12,500,000" in text
    assert "Note: Ask DG CNECT about the second stage." in text
    assert HOSTILE_NOTE.split("\n")[1] in text
    assert "Second paragraph of the summary." in text


def test_docx_without_links_notes_and_summaries(store: Path, tmp_path: Path) -> None:
    out = made(store, tmp_path / "b.docx", "--no-links", "--no-notes", "--no-summaries")
    document = Document(str(out))
    assert [h for p in document.paragraphs for h in p.hyperlinks] == []
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Ask DG CNECT" not in text and "Second paragraph" not in text
    assert "AI Factories Antennas call" in text


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_escaped(store: Path, tmp_path: Path) -> None:
    out = made(store, tmp_path / "b.html", "--intro", "<script>alert('intro')</script>")
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    assert "script" not in page.tags and "img" not in page.tags and "link" not in page.tags
    assert not [a for a in page.attrs if a[1] in ("src", "srcset", "style") or a[1].startswith("on")]
    hrefs = [v for _t, k, v in page.attrs if k == "href"]
    assert hrefs and all(h and h.startswith("https://") for h in hrefs)
    text = "".join(page.text).replace("\xa0", " ")
    assert HOSTILE_TITLE in text and "<script>alert('intro')</script>" in text
    assert "<img src=https://evil.example/p.png>" in text
    assert "18 Feb 2027, 16:00 GMT" in text


def test_markdown_escapes_what_markdown_would_act_on(store: Path, tmp_path: Path) -> None:
    out = made(store, tmp_path / "b.md", "--group-by", "tag")
    text = out.read_text(encoding="utf-8")
    assert re.findall(r"(?<![\\(])<", text) == []  # every '<' escaped, but a link target's "(<"
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in text
    assert "\\*\\*bold\\*\\*" in text and "\\[x\\]\\(javascript:alert\\(1\\)\\)" in text
    assert "  \n> \\# not a heading" in text  # a note's line is a hard break, its '#' escaped
    assert "[AI Factories Antennas call](<https://ec.europa.eu/info/funding/call-1>)" in text
    assert text.index("## compute") < text.index("## for Friday") < text.index("## Untagged")


def test_a_commonmark_renderer_shows_hostile_text_as_text(store: Path, tmp_path: Path) -> None:
    """markdown-it-py (CommonMark) renders the Markdown brief: the only links are the records'
    own, the only headings ours, and no tag or emphasis comes from a title or a note."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(made(store, tmp_path / "b.md").read_text(encoding="utf-8"))
    page = _Page()
    page.feed(rendered)
    assert "script" not in page.tags and "img" not in page.tags
    hrefs = [v for _t, k, v in page.attrs if k == "href"]
    assert sorted(hrefs) == sorted(
        [
            "https://ec.europa.eu/info/funding/call-1",
            "https://ec.europa.eu/info/funding/call-2",
            "https://www.gov.uk/government/news/compute-roadmap",
            "https://www.gov.uk/government/news/old",
        ]
    )
    assert page.tags.count("h4") == 4 and page.tags.count("h1") == 1  # "# not a heading" is not one
    assert page.tags.count("em") == 1  # the "Prepared" line; no "_under_" or "**bold**" from the text
    assert page.tags.count("strong") >= 4  # labels only
    text = "".join(page.text)
    assert HOSTILE_TITLE in text and "# not a heading" in text and "_under_ `code`" in text


def test_escape_markdown_keeps_line_starts_and_inline_marks_literal() -> None:
    assert escape_markdown("1. not a list") == "1\\. not a list"
    assert escape_markdown("- item\n+ more\n> quote") == "\\- item  \n\\+ more  \n\\> quote"
    assert escape_markdown("a_b *c* `d` <e> &f; |g|") == "a\\_b \\*c\\* \\`d\\` \\<e\\> \\&f; \\|g\\|"


def test_pdf_text_is_readable_and_in_local_time(store: Path, tmp_path: Path) -> None:
    out = made(store, tmp_path / "b.pdf", "--heading", "AI brief", tz="Europe/Brussels")
    reader = PdfReader(str(out))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "AI brief" in text
    assert "18 Feb 2027, 17:00 CET" in text  # the same deadline, in Brussels time
    assert "AI Factories Antennas call" in text and "€12,500,000" in text
    assert "<script>alert(1)</script>" in "".join(text.split())  # text, not run or dropped (may wrap)
    assert reader.metadata is not None and reader.metadata.title == "AI brief"


def test_grouping_by_deadline_and_section_order(store: Path, tmp_path: Path) -> None:
    text = made(store, tmp_path / "d.md", "--group-by", "deadline").read_text(encoding="utf-8")
    assert "## Closes later" in text and text.index("## Closes later") < text.index("## No deadline")
    ordered = made(store, tmp_path / "o.md", "--section", "UK").read_text(encoding="utf-8")
    assert ordered.index("## UK") < ordered.index("## EU")


def test_filters_by_tag_and_date_range(store: Path, tmp_path: Path) -> None:
    text = made(store, tmp_path / "t.md", "--tag", "compute").read_text(encoding="utf-8")
    assert "AI Factories" in text and "Compute roadmap" in text and "older speech" not in text
    dated = made(store, tmp_path / "r.md", "--since", "2027-01-12", "--until", "2027-01-15")
    text = dated.read_text(encoding="utf-8")
    assert "Compute roadmap" in text and "AI Factories" not in text and "HYPERLINK" not in text
    assert "Published 12 Jan 2027 – 15 Jan 2027" in text


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--since", "2027-13-01"], 2, "not a date"),
        (["--since", "2027-02-01", "--until", "2027-01-01"], 2, "is after"),
        (["--id", "999"], 2, "no record with id 999"),
        (["--group-by", "colour"], 2, "invalid choice"),
    ],
)
def test_mistakes_are_one_line(store: Path, tmp_path: Path, args: list[str], code: int, words: str) -> None:
    result = brief(store, "--format", "md", "--out", tmp_path / "x.md", *args)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert words in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_a_missing_folder_and_a_failed_pdf_leave_nothing_half_written(store: Path, tmp_path: Path) -> None:
    result = brief(store, "--format", "md", "--out", tmp_path / "nowhere" / "x.md")
    assert result.returncode == 2 and "no folder" in result.stderr
    target = tmp_path / "keep.pdf"
    target.write_bytes(b"the earlier brief")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT), "QT_PLUGIN_PATH": "/nonexistent"}
    failed = subprocess.run(
        [sys.executable, "-c", "import sys, desktop.briefs.output as o; o.sys.executable = '/bin/false';"
         " from desktop.cli import main; sys.exit(main(sys.argv[1:]))",
         "--db", str(store), "brief", "--format", "pdf", "--out", str(target)],
        capture_output=True, text=True, env=env, timeout=60, cwd=REPO_ROOT,
    )  # fmt: skip
    assert failed.returncode == 1, failed.stderr
    assert "could not make the PDF" in failed.stderr and len(failed.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == b"the earlier brief"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["keep.pdf"]  # no temporary left


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Writer is not installed")
def test_libreoffice_opens_the_docx(store: Path, tmp_path: Path) -> None:
    out = made(store, tmp_path / "b.docx")
    profile = tmp_path / "profile"
    result = subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(out)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(profile)},
    )  # fmt: skip
    converted = tmp_path / "lo" / "b.pdf"
    if not converted.exists() and "writer" in (result.stderr + result.stdout).lower():
        pytest.skip("LibreOffice without Writer (libreoffice-writer-nogui)")
    assert converted.exists(), result.stdout + result.stderr
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(converted)).pages)
    assert "AI Factories Antennas call" in text and "€12,500,000" in text
    assert "<script>alert(1)</script>" in "".join(text.split())


def test_a_brief_never_replaces_the_store(store: Path) -> None:
    before = store.read_bytes()
    result = brief(store, "--format", "md", "--out", store)
    assert result.returncode == 1 and "is the store itself" in result.stderr
    assert store.read_bytes() == before


def test_control_characters_in_scraped_text_do_not_break_any_format(tmp_path: Path) -> None:
    """XML (hence DOCX and XLSX) cannot carry most control characters: they are left out."""
    from db.store import Store
    from scrapers.model import Announcement

    path = tmp_path / "store.sqlite3"
    with Store.open(path) as db:
        db.save_announcements(
            "src",
            [
                Announcement(
                    url="https://example.org/a", title="Bell\x07 and\x0b tab\x1b[31m red", summary="\x00nul"
                )
            ],
        )
        db.set_note(1, "form\x0cfeed")
    for fmt in ("docx", "html", "md"):
        out = made(path, tmp_path / f"c.{fmt}")
        if fmt == "docx":
            assert "Bell and tab[31m red" in [p.text for p in Document(str(out)).paragraphs]
        else:
            text = out.read_text(encoding="utf-8")
            assert "\x07" not in text and "\x1b" not in text and "\x0c" not in text
