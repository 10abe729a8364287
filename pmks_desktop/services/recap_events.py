"""The disaster recap, one sheet per event: victims by status and sex, vulnerable groups, house
damage, and the aid handed over (items, quantities, money). Part of RecapService.

Victims and aid are the event's live child entries (korban_bencana, bantuan_bencana); an event
in the trash has no recap, as the Beranda does not count its victims either.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

from pmks_desktop.domain.formatting import long_date
from pmks_desktop.domain.roles import VIEW
from pmks_desktop.reports.recap_model import RecapSheet
from pmks_desktop.services import recap_queries as q
from pmks_desktop.services import recap_tables as tables
from pmks_desktop.services.errors import NotFound


@dataclass(frozen=True)
class EventChoice:
    id: str
    title: str
    day: date | None


class DisasterRecaps:
    """Mixin of RecapService: uses its _db, _session, _forms, _office, _tksk and _sheet."""

    def events(self) -> list[EventChoice]:
        """Live disaster events, newest first: what a recap can be asked for."""
        self._session.require(VIEW)
        with self._db.read() as s:
            rows = q.events(s.connection())
        return [EventChoice(i, title, date.fromisoformat(day) if day else None)
                for i, title, day, *_rest in rows]

    def disaster_recap(self, event_id: str, *, tksk: str | None = None) -> RecapSheet:
        self._session.require(VIEW)
        moment = datetime.now(timezone.utc)
        with self._db.read() as s:
            conn = s.connection()
            event = next((r for r in q.events(conn) if r[0] == event_id), None)
            if event is None:
                raise NotFound(f"Kejadian bencana '{event_id}' tidak ada (atau ada di Sampah).")
            victims = q.victims(conn, event_id)
            vulnerable = q.victim_choices(conn, event_id, "vulnerable")
            damage = q.victim_choices(conn, event_id, "house_damage")
            aid = q.aid_items(conn, event_id)
            tksk = self._tksk(s, tksk)
        victim_form, aid_form = self._forms["korban_bencana"], self._forms["bantuan_bencana"]
        sheet_tables = [
            tables.victim_status_table(victim_form.field("victim_status"), victims),
            tables.choice_count_table(victim_form.field("vulnerable"), vulnerable,
                                      "B. Kelompok rentan", totals=False),
            tables.choice_count_table(victim_form.field("house_damage"), damage,
                                      "C. Kerusakan rumah", totals=True,
                                      victims=sum(r[2] for r in victims)),
            tables.aid_table(aid_form.field("source"), aid)]
        _id, title, day, desa_code, status, data = event
        notes = ["Korban dihitung per catatan (orang atau KK); kolom Jiwa menjumlahkan jumlah "
                 "jiwa KK bila korban dicatat per KK.",
                 "Seorang korban dapat termasuk lebih dari satu kelompok rentan, sehingga "
                 "tabel B tidak dijumlahkan.",
                 "Jumlah barang berbeda satuan, sehingga kolom Jumlah tabel D tidak dijumlahkan."]
        when = long_date(date.fromisoformat(day)) if day else "-"
        return self._sheet("bencana", ["REKAPITULASI KORBAN DAN BANTUAN BENCANA"],
                           f"KEJADIAN: {title.upper()}", sheet_tables, moment, tksk,
                           info_lines=[self._event_line(json.loads(data or "{}"), desa_code,
                                                        status, when)],
                           notes=notes, file_stem=f"rekap-bencana-{day or event_id[:8]}")

    def _event_line(self, data: dict, desa_code: str | None, status: str | None,
                    when: str) -> str:
        form = self._forms["bencana"]
        kind = form.field("kind").choice_label(data.get("kind") or "-")
        # "Banjir (alam)" in the pick list: the kind is already said.
        sub_kind = form.field("sub_kind").choice_label(data.get("sub_kind") or "-").split(" (")[0]
        desa = {d.code: d.name for d in self._office.desa_list(active_only=False)}
        place = desa.get(desa_code, desa_code or "-")
        rt_rw = f" RT {data['rt']}/RW {data['rw']}" if data.get("rt") and data.get("rw") else ""
        status = form.field("status").choice_label(status or "-")
        return (f"{kind} ({sub_kind}), {when}, Desa {place}{rt_rw}. "
                f"Status penanganan: {status}.")
