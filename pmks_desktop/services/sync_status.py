"""Read-only sync status for the screens: per enrolled office PC what arrived (contiguous
sequence and gaps per epoch), open conflicts and clock warnings; at an office, what was sent and
what the Dinas Sosial acknowledged. Nothing here writes.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import text
from sqlmodel import select

from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.sync_export import TABLE_LABELS
from pmks_desktop.storage.changelog import hlc_physical_ms
from pmks_desktop.storage.models import BundleRecord, SyncPeer
from pmks_desktop.sync.vector import received_vector

CLOCK_AHEAD_TOLERANCE_MS = 5 * 60 * 1000
Range = tuple[int, int]


@dataclass(frozen=True)
class EpochState:
    """What arrived of one epoch of one PC: 1..contiguous, then `extra` ranges beyond gaps."""

    epoch: str
    contiguous: int
    extra: tuple[Range, ...] = ()

    @property
    def gaps(self) -> tuple[Range, ...]:
        out, expected = [], self.contiguous + 1
        for first, last in sorted(self.extra):
            if first > expected:
                out.append((expected, first - 1))
            expected = max(expected, last + 1)
        return tuple(out)

    @property
    def text(self) -> str:
        """'1–120 lengkap' or '1–120, 131–140; belum diterima 121–130'."""
        spans = ([(1, self.contiguous)] if self.contiguous else []) + list(self.extra)
        shown = ", ".join(_span(a, b) for a, b in spans) or "belum ada"
        if not self.gaps:
            return f"{shown} lengkap" if spans else shown
        return f"{shown}; belum diterima {', '.join(_span(a, b) for a, b in self.gaps)}"


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}\u2013{last}"


@dataclass(frozen=True)
class OfficeState:
    node_id: str
    role: str
    office_code: str
    office_name: str
    enrolled_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str | None
    last_bundle_at: datetime | None
    bundles_in: int
    epochs: tuple[EpochState, ...]
    open_conflicts: int
    clock_warning: str | None

    @property
    def has_gaps(self) -> bool:
        return any(e.gaps for e in self.epochs)

    @property
    def sequence_text(self) -> str:
        if not self.epochs:
            return "belum ada kiriman"
        if len(self.epochs) == 1:
            return self.epochs[0].text
        return " · ".join(f"[{e.epoch[:6]}] {e.text}" for e in self.epochs)


@dataclass(frozen=True)
class SentBundle:
    """A bundle this install wrote: status terkirim (waiting) or diakui (acknowledged)."""

    bundle_id: str
    file_name: str
    created_at: datetime
    op_count: int
    status: str


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def clock_warning(office_name: str, peer_hlc: int, now_ms: int) -> str | None:
    """A warning when the PC's clock ran ahead of this computer's by more than 5 minutes (or
    this computer's clock is behind): its changes would win merges they should not."""
    peer_ms = hlc_physical_ms(peer_hlc)
    ahead = peer_ms - now_ms
    if peer_hlc <= 0 or ahead <= CLOCK_AHEAD_TOLERANCE_MS:
        return None
    seen = datetime.fromtimestamp(peer_ms / 1000).strftime("%d-%m-%Y %H:%M")
    return (f"Jam komputer {office_name} tercatat {_duration(ahead)} di depan jam komputer ini "
            f"(sampai {seen}). Periksa tanggal dan jam di kedua komputer.")


def _duration(ms: int) -> str:
    minutes = round(ms / 60_000)
    if minutes < 120:
        return f"{minutes} menit"
    hours = round(minutes / 60)
    return f"{hours} jam" if hours < 48 else f"{round(hours / 24)} hari"


class SyncStatus:
    def __init__(self, db, session, clock=time.time):
        self._db, self._session, self._clock = db, session, clock

    def offices(self) -> list[OfficeState]:
        """Every enrolled PC (at the hub: the office PCs), revoked ones included."""
        self._session.require(MANAGE_OFFICE)
        now_ms = int(self._clock() * 1000)
        with self._db.read() as s:
            peers = s.exec(select(SyncPeer).order_by(SyncPeer.office_code,
                                                     SyncPeer.enrolled_at)).all()
            vector = received_vector(s)
            clocks = dict(s.connection().exec_driver_sql(
                "SELECT origin, MAX(hlc) FROM received_op GROUP BY origin").all())
            conflicts = self._conflicts_by_origin(s)
            bundles = dict(s.connection().exec_driver_sql(
                "SELECT peer_node, COUNT(*) FROM bundle_record WHERE direction = 'in' AND "
                "status = 'diterima' GROUP BY peer_node").all())
        return [self._state(p, vector, clocks, conflicts, bundles, now_ms) for p in peers]

    @staticmethod
    def _state(peer: SyncPeer, vector, clocks, conflicts, bundles, now_ms) -> OfficeState:
        epochs = tuple(EpochState(epoch, contiguous, tuple(extra))
                       for (origin, epoch), (contiguous, extra) in sorted(vector.items())
                       if origin == peer.node_id)
        peer_hlc = max(peer.last_hlc or 0, clocks.get(peer.node_id) or 0)
        return OfficeState(
            peer.node_id, peer.role, peer.office_code, peer.office_name,
            _aware(peer.enrolled_at), _aware(peer.revoked_at), peer.revoked_reason,
            _aware(peer.last_bundle_at), bundles.get(peer.node_id, 0), epochs,
            conflicts.get(peer.node_id, 0),
            clock_warning(peer.office_name, peer_hlc, now_ms))

    @staticmethod
    def _conflicts_by_origin(s) -> Counter:
        """Open conflicts per PC: those where its version won or lost (office_code on a
        conflict row is not filled in yet, so the versions' origins tell whose it is)."""
        counts: Counter = Counter()
        for winner, loser in s.connection().exec_driver_sql(
                "SELECT winner_origin, loser_origin FROM sync_conflict "
                "WHERE resolved_at IS NULL").all():
            counts.update({winner, loser})
        return counts

    def open_conflicts(self) -> Counter:
        """All open conflicts, by register label."""
        self._session.require(MANAGE_OFFICE)
        with self._db.read() as s:
            rows = s.connection().execute(text(
                "SELECT table_name, COUNT(*) FROM sync_conflict WHERE resolved_at IS NULL "
                "GROUP BY table_name")).all()
        return Counter({TABLE_LABELS.get(t, t): n for t, n in rows})

    def sent_bundles(self) -> list[SentBundle]:
        """Bundles this install wrote, newest first."""
        with self._db.read() as s:
            rows = s.exec(select(BundleRecord).where(BundleRecord.direction == "out")
                          .order_by(BundleRecord.created_at.desc())).all()
        return [SentBundle(r.bundle_id, r.file_name, _aware(r.created_at), r.op_count, r.status)
                for r in rows]

    def own_clock_warning(self) -> str | None:
        """This PC's clock is behind a clock value this database already used."""
        return self._db.clock_warning()
