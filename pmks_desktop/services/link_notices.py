"""Link notices: the Dinas Sosial's duplicate-person decisions, told to the offices they concern.

A `person_link` row cannot travel to an office: it points at another office's person, which the
office never receives (SYNC.md: an office never receives another office's records). So each
receipt carries, for the receiving office, one notice per link and per own person in it: the
decision, the reason the pair was listed, who decided and when, and the name of the other
person's office. Nothing about the other person goes: not the name, not the NIK, not the
link's free-text note (the hub's verifier may have written the other person's details in it).
Only when both records are the office's own does the notice name the other record's id.

The hub sends the current full set with every receipt; the office replaces its set with it, so
a decision changed or withdrawn at the hub is changed or gone at the office after the next
receipt. A receipt without the key (an older hub) leaves the office's notices as they are.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, exists, or_
from sqlmodel import select

from pmks_desktop.domain.formatting import long_date, number_id
from pmks_desktop.domain.roles import VIEW
from pmks_desktop.storage.link_models import (
    LINK_OTHER,
    LINK_SAME,
    LINK_STATUSES,
    LinkNotice,
    PersonLink,
)
from pmks_desktop.storage.models import Person, ReceivedOp, SyncPeer

REFERENCE_KEY = "link_notices"
_CHUNK = 500  # ids per IN (...): well below SQLite's limit on bound parameters
# Column sizes of link_notice: a longer value from the hub is cut, never refused.
_LIMITS = {"link_id": 36, "person_id": 36, "other_person_id": 36, "reason": 120,
           "decided_by": 60, "other_office": 120}


# ------------------------------------------------------------------ at the hub


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive values; they are stored as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _owners(s, person_ids: set[str]) -> dict[str, str]:
    """person id -> office code of the PC its operations came from (received_op). A person
    the hub registered itself has none."""
    owners: dict[str, str] = {}
    ids = sorted(person_ids)
    for start in range(0, len(ids), _CHUNK):
        rows = s.exec(select(ReceivedOp.row_id, SyncPeer.office_code)
                      .join(SyncPeer, SyncPeer.node_id == ReceivedOp.origin)
                      .where(ReceivedOp.table_name == "person",
                             ReceivedOp.row_id.in_(ids[start:start + _CHUNK]))
                      .order_by(SyncPeer.office_code)).all()
        for row_id, code in rows:
            owners.setdefault(row_id, code)
    return owners


def _office_nodes(s, office_code: str) -> list[str]:
    """Every PC of the office, revoked ones too: their records are still the office's."""
    return list(s.exec(select(SyncPeer.node_id).where(SyncPeer.role == "office",
                                                      SyncPeer.office_code == office_code)))


def _links_touching(s, nodes: list[str]) -> list[PersonLink]:
    """Live links with at least one person whose operations came from one of `nodes`."""
    if not nodes:
        return []

    def from_office(column):
        return exists().where(ReceivedOp.table_name == "person", ReceivedOp.row_id == column,
                              ReceivedOp.origin.in_(nodes))

    return list(s.exec(select(PersonLink).where(
        PersonLink.deleted_at.is_(None),
        or_(from_office(PersonLink.person_a_id), from_office(PersonLink.person_b_id)))
        .order_by(PersonLink.id)))


def notices_for(s, peer: SyncPeer, office_names: dict[str, str], hub_name: str) -> list[dict]:
    """The notices for the office of `peer` (called in the hub's read session).

    `office_names` maps an office code to how it is named ("Kecamatan Cikeusal"); a person
    with no office (registered at the hub) is named by `hub_name`."""
    nodes = _office_nodes(s, peer.office_code)
    links = _links_touching(s, nodes)
    owners = _owners(s, {p for link in links for p in (link.person_a_id, link.person_b_id)})
    own_name = office_names.get(peer.office_code, peer.office_name)
    notices = []
    for link in links:
        pair = (link.person_a_id, link.person_b_id)
        for mine, other in (pair, pair[::-1]):
            if owners.get(mine) != peer.office_code:
                continue
            other_code = owners.get(other)
            both_ours = other_code == peer.office_code
            notices.append({
                "link_id": link.id, "person_id": mine, "status": link.status,
                "reason": link.reason, "decided_by": link.decided_by,
                "decided_at": _iso(link.updated_at),
                "other_office": own_name if both_ours else
                office_names.get(other_code, hub_name) if other_code else hub_name,
                "other_person_id": other if both_ours else None})
    return notices


def hub_office_names(s, kecamatan_names: dict[str, str]) -> dict[str, str]:
    """Office code -> "Kecamatan Cikeusal": the hub's region master first (the kabupaten's own
    spelling), else the name the office enrolled with."""
    names = {p.office_code: p.office_name for p in s.exec(
        select(SyncPeer).where(SyncPeer.role == "office"))}
    names.update({code: f"Kecamatan {name.title()}" for code, name in kecamatan_names.items()})
    return names


# ------------------------------------------------------------------ at the office


def _clean(item) -> dict | None:
    """One notice as the hub sent it, checked field by field; None when it is unusable."""
    if not isinstance(item, dict) or item.get("status") not in LINK_STATUSES:
        return None
    values = {}
    for key, limit in _LIMITS.items():
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            return None
        values[key] = (value or "").strip()[:limit]
    try:
        decided = datetime.fromisoformat(str(item.get("decided_at")))
    except ValueError:
        return None
    if decided.tzinfo is None:
        decided = decided.replace(tzinfo=UTC)
    if not values["link_id"] or not values["person_id"]:
        return None
    return {**values, "status": item["status"], "decided_at": decided.astimezone(UTC)}


def _existing(s, ids: set[str]) -> set[str]:
    found: set[str] = set()
    ids_sorted = sorted(i for i in ids if i)
    for start in range(0, len(ids_sorted), _CHUNK):
        found.update(s.exec(select(Person.id).where(
            Person.id.in_(ids_sorted[start:start + _CHUNK]))))
    return found


def _snapshot(s) -> dict[tuple[str, str], tuple]:
    return {(n.person_id, n.link_id): (n.status, n.reason, n.decided_by, n.decided_at,
                                       n.other_office, n.other_person_id)
            for n in s.exec(select(LinkNotice))}


def apply_notices(s, reference: dict) -> dict | None:
    """Replaces this office's notices with the receipt's (inside the receipt transaction).
    Returns {"kept": how many this PC now holds, "changed": how many are new, changed or
    gone}, or None when the receipt carries none (an older hub): the notices stay as they
    were."""
    items = reference.get(REFERENCE_KEY)
    if not isinstance(items, list):
        return None
    before = _snapshot(s)
    cleaned = [n for n in map(_clean, items) if n is not None]
    known = _existing(s, {n["person_id"] for n in cleaned}
                      | {n["other_person_id"] for n in cleaned})
    rows: dict[tuple[str, str], LinkNotice] = {}
    for n in cleaned:
        if n["person_id"] not in known:
            continue  # not a record of this PC: nothing to attach the notice to
        if n["other_person_id"] not in known:
            n["other_person_id"] = None
        rows[(n["person_id"], n["link_id"])] = LinkNotice(**n)
    s.execute(delete(LinkNotice))
    s.add_all(rows.values())
    s.flush()
    after = _snapshot(s)
    changed = sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    return {"kept": len(after), "changed": changed}


def applied_text(applied: dict | None) -> str | None:
    """The receipt report's line about notices (apply_notices' result); None: nothing to say."""
    if not applied or not (applied["kept"] or applied["changed"]):
        return None
    kept, changed = number_id(applied["kept"]), number_id(applied["changed"])
    if not applied["kept"]:
        return f"{changed} catatan data ganda dari Dinas Sosial dicabut."
    tail = f"; {changed} di antaranya baru, berubah atau dicabut" if applied["changed"] else ""
    return f"{kept} catatan data ganda dari Dinas Sosial{tail}."


def _short(status: str, place: str) -> str:
    return f"{'sama dengan' if status == LINK_SAME else 'beda orang dengan'} data {place}"


@dataclass(frozen=True)
class Notice:
    """One notice as the office's screens show it."""

    link_id: str
    status: str
    reason: str
    decided_by: str
    decided_at: datetime
    other_office: str
    other_name: str | None  # only when the other record is this office's own

    def _tail(self) -> str:
        # ' (NIK sama), diputuskan oleh admin.dinas pada 27 Juli 2024.': the local date
        reason = f" ({self.reason})" if self.reason else ""
        by = f" oleh {self.decided_by}" if self.decided_by else ""
        moment = self.decided_at if self.decided_at.tzinfo else \
            self.decided_at.replace(tzinfo=UTC)
        return f"{reason}, diputuskan{by} pada {long_date(moment.astimezone().date())}."

    @property
    def text(self) -> str:
        """The sentence the person form shows."""
        if self.status == LINK_OTHER:
            other = f"rekaman {self.other_name} di kantor ini" if self.other_name else \
                f"rekaman di {self.other_office}"
            return (f"Dinas Sosial menyatakan rekaman ini BUKAN orang yang sama dengan "
                    f"{other}{self._tail()}")
        where = f"di kantor ini sebagai {self.other_name}" if self.other_name else \
            f"di {self.other_office}"
        return f"Dinas Sosial: orang yang sama juga terdata {where}{self._tail()}"


def notices_of(s, person_id: str) -> list[Notice]:
    """The notices of one person, newest decision first (in the caller's read session)."""
    rows = s.exec(select(LinkNotice).where(LinkNotice.person_id == person_id)
                  .order_by(LinkNotice.decided_at.desc(), LinkNotice.link_id)).all()
    others = sorted({r.other_person_id for r in rows if r.other_person_id})
    # The other record is this office's own: its name helps the operator find it.
    names = dict(s.exec(select(Person.id, Person.name)
                        .where(Person.id.in_(others))).all()) if others else {}
    return [Notice(r.link_id, r.status, r.reason, r.decided_by, r.decided_at,
                   r.other_office, names.get(r.other_person_id)) for r in rows]


class LinkNotices:
    """Reads the notices at an office (the person form and the Penduduk list)."""

    def __init__(self, db, session):
        self._db, self._session = db, session

    def of_person(self, person_id: str) -> list[Notice]:
        self._session.require(VIEW)
        with self._db.read() as s:
            return notices_of(s, person_id)

    def summaries(self, person_ids: list[str]) -> dict[str, str]:
        """Person id -> a few words for the list column, for one page of a list."""
        self._session.require(VIEW)
        if not person_ids:
            return {}
        with self._db.read() as s:
            rows = s.exec(select(LinkNotice.person_id, LinkNotice.status,
                                 LinkNotice.other_office, LinkNotice.other_person_id)
                          .where(LinkNotice.person_id.in_(person_ids))
                          .order_by(LinkNotice.decided_at.desc())).all()
        texts: dict[str, list[str]] = {}
        for person_id, status, office, other in rows:
            texts.setdefault(person_id, []).append(
                _short(status, "lain di kantor ini" if other else office))
        return {p: "; ".join(t) for p, t in texts.items()}
