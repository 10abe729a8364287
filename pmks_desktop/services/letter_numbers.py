"""Serial numbers of the buku agenda surat keluar: one series per install and year.

Inside the caller's write transaction (BEGIN IMMEDIATE) the next serial is the highest one
recorded plus one, and the letter row is inserted in the same transaction: no gap, no reuse.

One case the database alone cannot see: it was restored from a backup taken before some letters
were issued. Those letters exist on paper, so their numbers must not be handed out again. The
highest serial per year is therefore also kept in a small file beside the database
(`nomor-surat.json`); when it is ahead of the database, the missing numbers are recorded as
voided ("batal") with the reason, and numbering continues after them.
"""
from __future__ import annotations

import json
import os
from datetime import date

from sqlalchemy import func
from sqlmodel import select

from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import LetterEvent, OutgoingLetter

MARK_FILE = "nomor-surat.json"
LOST_REASON = ("Nomor sudah terpakai sebelum basis data dipulihkan dari cadangan; arsip surat "
               "ini tidak ada di basis data.")


class LetterNumbers:
    def __init__(self, db: Database, series: str):
        self._db = db
        self.series = series
        self._taken: dict[int, int] = {}

    @property
    def _mark_path(self):
        return self._db.paths.root / MARK_FILE

    def _marks(self) -> dict[str, dict[str, int]]:
        try:
            return json.loads(self._mark_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _highest(self, s, year: int) -> int:
        return s.exec(select(func.max(OutgoingLetter.serial)).where(
            OutgoingLetter.series == self.series, OutgoingLetter.year == year)).one() or 0

    def last_date(self, s, year: int) -> date | None:
        return s.exec(select(func.max(OutgoingLetter.letter_date)).where(
            OutgoingLetter.series == self.series, OutgoingLetter.year == year)).one()

    def allocate(self, s, year: int, actor) -> int:
        highest = self._highest(s, year)
        marked = int(self._marks().get(self.series, {}).get(str(year), 0))
        for serial in range(highest + 1, marked + 1):
            self._record_lost(s, year, serial)
        serial = max(highest, marked) + 1
        self._taken[year] = serial
        return serial

    def _record_lost(self, s, year: int, serial: int) -> None:
        lost = OutgoingLetter(series=self.series, year=year, serial=serial,
                              number=f"(nomor urut {serial:04d}/{year})", kind="hilang",
                              kind_label="Nomor hilang (pemulihan cadangan)",
                              letter_date=date(year, 1, 1), status="batal",
                              status_reason=LOST_REASON)
        s.add(lost)
        s.flush()
        s.add(LetterEvent(letter_id=lost.id, action="batal", reason=LOST_REASON))

    def remember(self) -> None:
        """After commit: move the file's mark forward (never back), written atomically."""
        if not self._taken:
            return
        marks = self._marks()
        mine = marks.setdefault(self.series, {})
        for year, serial in self._taken.items():
            mine[str(year)] = max(int(mine.get(str(year), 0)), serial)
        tmp = self._mark_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(marks, sort_keys=True), encoding="utf-8")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, self._mark_path)
