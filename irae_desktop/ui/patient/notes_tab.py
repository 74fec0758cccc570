"""The irAE episodes and consult notes tab: lists with add and edit."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.store.patient_read import EpisodeRecord, NoteRecord
from irae_desktop.ui.grade_style import grade_label
from irae_desktop.ui.operations import WriteOp
from irae_desktop.ui.patient.display import local_time_text
from irae_desktop.ui.patient.forms import EpisodeDialog, FormDialog, NoteDialog
from irae_desktop.ui.patient.write_buttons import WriteButtons

Save = Callable[[Callable[[Any, str], Any]], WriteOp]
ID_ROLE = 256


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _paragraphs(text: str) -> str:
    return "<br>".join(escape(line) for line in text.strip().splitlines())


def note_html(note: NoteRecord) -> str:
    """A note as it is read: when and by whom, then the assessment and plan, wrapped."""
    parts = [
        f"<p><b>{escape(local_time_text(note.written_at))}</b> \u2013 {escape(note.author)}</p>",
        f"<p><b>Assessment</b><br>{_paragraphs(note.text)}</p>",
    ]
    if note.plan and note.plan.strip():
        parts.append(f"<p><b>Plan</b><br>{_paragraphs(note.plan)}</p>")
    return "".join(parts)


def _list(headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setWordWrap(True)
    return tree


class NotesTab(QWidget):
    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._patient_id: int | None = None
        self._episodes: tuple[EpisodeRecord, ...] = ()
        self._notes: tuple[NoteRecord, ...] = ()
        self.active_dialog: FormDialog | None = None
        self.episodes = _list(["Organ", "Onset", "Grade", "Status", "Resolved", "Notes"])
        self.notes = _list(["Written", "Author", "Assessment"])
        self.notes.setColumnWidth(0, 130)
        self.notes.setColumnWidth(1, 110)
        self.episodes.itemDoubleClicked.connect(lambda *_: self.edit_episode())
        # a note is read before it is edited: the list picks it, the pane beside shows it whole,
        # and only the Edit button opens it for changes
        self.reader = QTextBrowser()
        self.reader.setOpenLinks(False)
        self.reader.setPlaceholderText("Select a note to read it in full.")
        self.notes.itemSelectionChanged.connect(self._show_note)
        reading = QSplitter(Qt.Orientation.Horizontal)
        reading.addWidget(self.notes)
        reading.addWidget(self.reader)
        reading.setStretchFactor(0, 2)
        reading.setStretchFactor(1, 3)
        self.edit_buttons: dict[str, QPushButton] = {}
        self.write_buttons = WriteButtons()
        splitter = QSplitter(Qt.Orientation.Vertical)
        for key, title, body, add, edit in (
            ("episode", "irAE episodes", self.episodes, self.add_episode, self.edit_episode),
            ("note", "Consult notes", reading, self.add_note, self.edit_note),
        ):
            box = QWidget()
            bar = QHBoxLayout()
            bar.addWidget(QLabel(f"<b>{title}</b>"))
            bar.addStretch(1)
            for text, slot in ((f"Add {key}\u2026", add), (f"Edit {key}\u2026", edit)):
                button = self.write_buttons.add(QPushButton(text))
                button.clicked.connect(slot)
                bar.addWidget(button)
            self.edit_buttons[key] = button
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addLayout(bar)
            inner.addWidget(body)
            splitter.addWidget(box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)  # the notes are read at length; episodes are a few rows
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def set_data(
        self, patient_id: int, episodes: tuple[EpisodeRecord, ...], notes: tuple[NoteRecord, ...]
    ) -> None:
        self._patient_id, self._episodes, self._notes = patient_id, episodes, notes
        self.episodes.clear()
        for e in episodes:
            item = QTreeWidgetItem(
                [
                    e.organ,
                    e.onset.isoformat(),
                    grade_label(e.grade),
                    e.status,
                    e.resolution.isoformat() if e.resolution else "",
                    e.notes or "",
                ]
            )
            item.setData(0, ID_ROLE, e.id)
            self.episodes.addTopLevelItem(item)
        shown = self._selected(self.notes)
        self.notes.clear()
        for n in reversed(notes):  # newest first
            item = QTreeWidgetItem([local_time_text(n.written_at), n.author, _first_line(n.text)])
            item.setData(0, ID_ROLE, n.id)
            self.notes.addTopLevelItem(item)
            if n.id == shown:
                self.notes.setCurrentItem(item)
        for column in (0, 1):  # when and who in full; the assessment takes the rest
            self.notes.resizeColumnToContents(column)
        newest = self.notes.topLevelItem(0)
        if self.notes.currentItem() is None and newest is not None:
            self.notes.setCurrentItem(newest)  # the newest note, to read
        self._show_note()

    def _show_note(self) -> None:
        nid = self._selected(self.notes)
        note = next((n for n in self._notes if n.id == nid), None)
        self.write_buttons.enable(self.edit_buttons["note"], note is not None)
        self.reader.setHtml(note_html(note) if note is not None else "")

    def _selected(self, tree: QTreeWidget) -> int | None:
        item = tree.currentItem()
        return None if item is None else int(item.data(0, ID_ROLE))

    def _open(self, dialog: FormDialog) -> FormDialog:
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def add_episode(self) -> FormDialog | None:
        pid = self._patient_id
        if pid is None:
            return None
        from irae_desktop.store.episodes import add_episode

        return self._open(
            EpisodeDialog(
                lambda v: self._save(lambda s, user: add_episode(s, user, pid, **v)), parent=self
            )
        )

    def edit_episode(self) -> FormDialog | None:
        eid = self._selected(self.episodes)
        episode = next((e for e in self._episodes if e.id == eid), None)
        if episode is None:
            return None
        from irae_desktop.store.episodes import update_episode

        initial = {
            "organ": episode.organ,
            "onset": episode.onset,
            "grade": episode.grade,
            "status": episode.status,
            "resolution": episode.resolution,
            "notes": episode.notes,
        }
        return self._open(
            EpisodeDialog(
                lambda v: self._save(
                    lambda s, user: update_episode(
                        s, user, episode.id, expected_version=episode.version, changes=v
                    )
                ),
                initial=initial,
                parent=self,
            )
        )

    def add_note(self) -> FormDialog | None:
        pid = self._patient_id
        if pid is None:
            return None
        from irae_desktop.store.notes import add_note

        return self._open(
            NoteDialog(
                lambda v: self._save(lambda s, user: add_note(s, user, pid, **v)), parent=self
            )
        )

    def edit_note(self) -> FormDialog | None:
        nid = self._selected(self.notes)
        note = next((n for n in self._notes if n.id == nid), None)
        if note is None:
            return None
        from irae_desktop.store.notes import update_note

        return self._open(
            NoteDialog(
                lambda v: self._save(
                    lambda s, user: update_note(
                        s, user, note.id, expected_version=note.version, changes=v
                    )
                ),
                initial={"text": note.text, "plan": note.plan},
                parent=self,
            )
        )
