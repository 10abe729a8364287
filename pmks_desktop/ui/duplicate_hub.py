"""Tinjau Data Ganda at the Dinas Sosial: link the two records, never merge them.

At the hub a pair is often the same NIK registered by two kecamatan offices. Merging would
rewrite rows the offices own, so here the dialog shows each side's office and offers two
decisions that only write the hub's own link (services/person_links.py); both records stay.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QPushButton

from pmks_desktop.services.duplicates import DuplicatePair, PersonFacts
from pmks_desktop.services.person_links import PersonLinks
from pmks_desktop.storage.link_models import LINK_OTHER, LINK_SAME
from pmks_desktop.ui.duplicate_models import DETAIL_ROWS, PAIR_COLUMNS
from pmks_desktop.ui.messages import ask_text

HUB_INTRO = ("Pasangan di bawah ini mungkin orang yang sama, dari kantor kecamatan yang sama atau "
             "berbeda. Periksa kedua data, lalu tandai apakah keduanya orang yang sama atau "
             "orang yang berbeda. Kedua data tetap disimpan; tidak ada data yang digabungkan "
             "atau diubah.")
HUB_NO_RIGHT = ("Penandaan hanya dapat dilakukan oleh administrator atau verifikator; "
                "Anda dapat melihat daftar ini.")
HUB_HISTORY_NOTE = ("Penggabungan dilakukan dan dibatalkan di kantor kecamatan; di Dinas Sosial "
                    "riwayatnya hanya ditampilkan.")
# status -> (button text, object name, tooltip, question title, what the note says)
ACTIONS = {
    LINK_SAME: ("Tandai Orang yang &Sama…", "same_button",
                "Kedua data dicatat sebagai orang yang sama; keduanya tetap disimpan.",
                "Tandai Orang yang Sama", "orang yang sama"),
    LINK_OTHER: ("Tandai &Berbeda…", "other_button",
                 "Kedua data dicatat sebagai dua orang yang berbeda.",
                 "Tandai Berbeda", "dua orang yang berbeda"),
}


@dataclass
class HubLinks:
    """What the dialog needs at the hub: the link service and the kecamatan names by code."""

    links: PersonLinks
    kecamatan_names: dict[str, str]

    def office_of(self, facts: PersonFacts) -> str:
        """The office that registered the record: the kecamatan of its desa (36.04.05.2001)."""
        code = facts.desa_code[:8]
        name = self.kecamatan_names.get(code)
        return f"Kec. {name.title()}" if name else (code or "-")

    def pair_columns(self) -> tuple:
        """The pair list with each side's office after its desa."""
        columns = []
        for header, value in PAIR_COLUMNS:
            columns.append((header, value))
            if header in ("Desa A", "Desa B"):
                side = header[-1]
                columns.append((f"Kantor {side}", lambda p, s=side: self.office_of(
                    p.a if s == "A" else p.b)))
        return tuple(columns)

    def detail_rows(self) -> tuple:
        rows = []
        for label, value in DETAIL_ROWS:
            rows.append((label, value))
            if label == "Desa/kelurahan":
                rows.append(("Kantor kecamatan", self.office_of))
        return tuple(rows)


class HubActions:
    """Mixed into DuplicateReviewDialog: the link buttons and what they do at the hub.

    Uses the dialog's selected_pair(), _attempt() and _say()."""

    _hub: HubLinks

    def _build_hub_buttons(self) -> list[QPushButton]:
        buttons = []
        for status, (text, name, tip, _title, _what) in ACTIONS.items():
            button = QPushButton(text, objectName=name)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, s=status: self.link_selected(s))
            buttons.append(button)
        return buttons

    def link_selected(self, status: str, note: str | None = None) -> None:
        """Record the decision for the selected pair; asks for an optional note unless given."""
        pair: DuplicatePair | None = self.selected_pair()
        if pair is None:
            return
        _text, _name, _tip, title, what = ACTIONS[status]
        if note is None:
            note, accepted = ask_text(
                self, title,
                f"{pair.a.name} ({self._hub.office_of(pair.a)}) dan {pair.b.name} "
                f"({self._hub.office_of(pair.b)}) akan dicatat sebagai {what}. Kedua data "
                "tetap disimpan.\nCatatan (boleh dikosongkan; tercatat di jejak audit):",
                ok_label="Simpan")
            if not accepted:
                return
        if self._attempt(lambda: self._hub.links.link(pair.a.id, pair.b.id, status, note)):
            self._say(f"{pair.a.name} dan {pair.b.name} dicatat sebagai {what}.")
