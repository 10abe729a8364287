"""Sync conflicts kept for a person: list them, compare the two versions, resolve them.

The merge (sync/merge.py) applies the winning version of a record and keeps the losing one in
sync_conflict. A person then keeps the current version, takes the other one, or combines them
field by field. Whatever they choose is written to the record through the ORM inside one
db.write transaction, so change capture records it as a new local version whose base is the
current version: the decision is itself a change that syncs (SYNC.md, "Merge"), and it ranks
above both versions at every install that receives it.

The new version's base is the current version, and it also names the loser it resolves
(change_log.also_seen, sync/history.py): every install holding the same conflict closes it
when the decision arrives, and an install that only ever had the loser takes the decision as
a plain update, not as a new conflict.

Who may do what: listing and comparing need VIEW; resolving needs VERIFY. Sensitive cases and
confidential register entries are listed without their title and cannot be opened or resolved
without the sensitive-data permission.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlmodel import select

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.domain.names import name_key
from pmks_desktop.domain.roles import VERIFY, VIEW
from pmks_desktop.services.conflict_fields import (BOOKKEEPING, DELETED, TABLE_LABELS,
                                                   ValueTexts, compare_fields, entry_data,
                                                   json_shape, referenced_ids, value_of)
from pmks_desktop.services.conflict_places import Places, record_title
from pmks_desktop.services.errors import (Issue, NotFound, PermissionDenied, ServiceError,
                                          StaleRecord, ValidationFailed)
from pmks_desktop.services.session import Actor, UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.changelog import ALSO_SEEN, canonical_json, row_image
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import (SYNCED_TABLES, Desa, Household, Person,
                                         RegisterMember, SyncConflict, utc_now)
from pmks_desktop.sync.apply_rows import table_info

CHOICES = ("current", "other", "combined")
KIND_LABELS = {"edit": "ubahan bersamaan",
               "delete_edit": "dihapus di satu tempat, diubah di tempat lain"}
RESTRICTED_TITLE = "Data rahasia (hanya untuk petugas yang berwenang)"
MODELS = {model.__tablename__: model for model in SYNCED_TABLES}


@dataclass(frozen=True)
class ConflictView:
    id: int
    table_name: str
    row_id: str
    table_label: str
    title: str
    office: str  # where the version that is not this computer's was made
    kind: str
    kind_label: str
    detected_at: datetime
    restricted: bool = False  # sensitive, and this user may not see it


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    current_value_text: str
    other_value_text: str
    differs: bool
    current_value: object = None  # JSON shape: what resolve(..., "combined", {...}) accepts
    other_value: object = None


@dataclass(frozen=True)
class ConflictDetail:
    conflict: ConflictView
    fields: list[FieldDiff]
    current_source: str  # "Kecamatan Kramatwatu, 28-11-2026 10:15"
    other_source: str

    @property
    def differing(self) -> list[FieldDiff]:
        return [f for f in self.fields if f.differs]


def _image(row) -> dict:
    """The row as the loser is kept: canonical JSON, read back."""
    return json.loads(canonical_json(row_image(row)))


def _empty_as_none(value):
    return None if value in ("", []) else value


class ConflictService:
    def __init__(self, db: Database, session: UserSession, catalogue: Catalogue,
                 forms: dict[str, FormSpec]):
        self._db = db
        self._session = session
        self._catalogue = catalogue
        self._forms = forms

    @property
    def can_resolve(self) -> bool:
        """Whether the signed-in user may resolve (the dialog hides the buttons otherwise)."""
        return self._session.allows(VERIFY)

    # ------------------------------------------------------------- reading

    def open_conflicts(self) -> list[ConflictView]:
        actor = self._session.require(VIEW)
        with self._db.read() as s:
            rows = s.exec(select(SyncConflict)
                          .where(SyncConflict.resolved_at == None)  # noqa: E711
                          .order_by(SyncConflict.detected_at, SyncConflict.id)).all()
            places = Places.read(s)
            return [self._view(s, c, places, actor) for c in rows]

    def _view(self, s, conflict: SyncConflict, places: Places, actor: Actor) -> ConflictView:
        row = s.get(MODELS[conflict.table_name], conflict.row_id) \
            if conflict.table_name in MODELS else None
        image = _image(row) if row is not None else json.loads(conflict.loser_data)
        restricted = self._restricted(conflict, image) and not actor.can_view_sensitive
        title = RESTRICTED_TITLE if restricted else \
            record_title(s, conflict.table_name, image, self._catalogue, self._forms)
        return ConflictView(
            id=conflict.id, table_name=conflict.table_name, row_id=conflict.row_id,
            table_label=TABLE_LABELS.get(conflict.table_name, conflict.table_name),
            title=title, office=places.remote(conflict.loser_origin, conflict.winner_origin),
            kind=conflict.kind, kind_label=KIND_LABELS.get(conflict.kind, conflict.kind),
            detected_at=conflict.detected_at.replace(tzinfo=timezone.utc)
            if conflict.detected_at.tzinfo is None else conflict.detected_at,
            restricted=restricted)

    def _restricted(self, conflict: SyncConflict, current: dict) -> bool:
        """Either version sensitive is enough: the type may be what the two disagree on."""
        other = json.loads(conflict.loser_data)
        form = self._forms.get(current.get("register_code") or "")
        return any(img.get("sensitive") is True or img.get("confidential") is True
                   for img in (current, other)) or bool(form and form.confidential)

    def detail(self, conflict_id: int) -> ConflictDetail:
        """Both versions field by field. Full NIKs may show (where they differ), so opening one
        is recorded in the audit trail like opening a person."""
        actor = self._session.require(VIEW)
        with self._db.write(actor.user_id) as s:
            conflict, row = self._load(s, conflict_id)
            places = Places.read(s)
            view = self._view(s, conflict, places, actor)
            if view.restricted:
                raise PermissionDenied("Data ini rahasia. Hanya petugas dengan izin melihat data "
                                       "rahasia yang dapat membuka dan menyelesaikannya.")
            current, other = _image(row), json.loads(conflict.loser_data)
            fields = self._diffs(s, conflict.table_name, current, other)
            append_audit(s, action="view", entity="sync_conflict", entity_id=str(conflict.id),
                         detail={"table": conflict.table_name, "row": conflict.row_id},
                         user_id=actor.user_id, username=actor.username)
            return ConflictDetail(view, fields,
                                  places.version(row.version_origin, row.version_hlc),
                                  places.version(conflict.loser_origin, conflict.loser_hlc))

    def _diffs(self, s, table: str, current: dict, other: dict) -> list[FieldDiff]:
        fields = compare_fields(table, current, other, self._forms)
        texts = ValueTexts(self._catalogue, _names(s, referenced_ids(fields, [current, other])))
        out = []
        for field in fields:
            a, b = value_of(field, current), value_of(field, other)
            differs = _empty_as_none(a) != _empty_as_none(b)
            out.append(FieldDiff(field.name, field.label,
                                 texts.text(field, current, a, masked=not differs),
                                 texts.text(field, other, b, masked=not differs), differs, a, b))
        return out

    # ------------------------------------------------------------- resolving

    def resolve(self, conflict_id: int, choice: str, combined: dict | None = None) -> None:
        """Keep the current version, take the other one, or combine them field by field
        (`combined`: field name -> the value of one of the two versions; fields left out keep
        the current value)."""
        if choice not in CHOICES:
            raise ServiceError(f"Pilihan penyelesaian '{choice}' tidak dikenal.")
        actor = self._session.require(VERIFY)
        version, current, target, entry_values = self._plan(actor, conflict_id, choice,
                                                            combined)
        with self._db.write(actor.user_id) as s:
            conflict, row = self._load(s, conflict_id)
            if row.version_hlc != version:
                raise StaleRecord("Data ini baru saja berubah. Muat ulang daftar konflik dan "
                                  "periksa kembali sebelum memilih.")
            _write(row, conflict.table_name, current, target)
            if entry_values is not None:
                self._registers().project(s, self._forms[row.register_code], row,
                                          entry_values, row.parent_id)
            # Even "current" writes the row: a new version based on the current one is how
            # the decision reaches the other installs (SYNC.md: resolving is a change that
            # syncs). Without it, keeping the current version would be a note on this PC
            # only: no other install would learn that a person chose, or who. The new version
            # also names the loser it saw, so the conflict closes wherever it is open.
            s.info.setdefault(ALSO_SEEN, {}).setdefault(
                (conflict.table_name, conflict.row_id), []).append(
                (conflict.loser_hlc, conflict.loser_origin))
            row.updated_at = utc_now()
            conflict.resolved_at, conflict.resolved_by = utc_now(), actor.user_id
            conflict.resolution = choice
            s.add_all([row, conflict])
            append_audit(s, action="update", entity="sync_conflict", entity_id=str(conflict.id),
                         detail={"table": conflict.table_name, "row": conflict.row_id,
                                 "choice": choice},
                         user_id=actor.user_id, username=actor.username)

    def _plan(self, actor: Actor, conflict_id: int, choice: str, combined: dict | None):
        """Read and check everything before the write: (row version, current image, target
        image, register values to re-project or None)."""
        with self._db.read() as s:
            conflict, row = self._load(s, conflict_id)
            current, other = _image(row), json.loads(conflict.loser_data)
            table = conflict.table_name
            if self._restricted(conflict, current) and not actor.can_view_sensitive:
                raise PermissionDenied("Konflik pada data rahasia hanya dapat diselesaikan oleh "
                                       "petugas dengan izin melihat data rahasia.")
            members = _member_ids(s, row.id) if table == "register_entry" else []
        if choice == "current":
            return row.version_hlc, current, current, None
        if choice == "other":
            return row.version_hlc, current, _taken(table, current, other), None
        target = self._combine(table, current, other, combined or {})
        entry_values = self._check_entry(target, members, row.parent_id) \
            if table == "register_entry" else None
        return row.version_hlc, current, target, entry_values

    def _combine(self, table: str, current: dict, other: dict, combined: dict) -> dict:
        fields = {f.name: f for f in compare_fields(table, current, other, self._forms)}
        target, data = dict(current), entry_data(current)
        for name, value in combined.items():
            field = fields.get(name)
            if field is None:
                raise ValidationFailed([Issue(name, f"Kolom '{name}' tidak ada pada data ini.")])
            value = json_shape(value)
            if value == json_shape(value_of(field, current)):
                continue
            if value != json_shape(value_of(field, other)):
                raise ValidationFailed([Issue(name, f"{field.label}: pilih nilai dari versi "
                                                    "sekarang atau dari versi lain.")])
            if field.in_data:
                data[name] = value
            elif name == DELETED:
                target.update(value)  # deleted_at, _by and _reason travel together
            else:
                target[name] = value
        if table == "register_entry":
            target["data"] = canonical_json(data)
        return target

    def _check_entry(self, target: dict, members: list[str], parent_id: str | None) -> dict:
        """A combination of two valid entries can still break a rule that spans fields
        (dates in order, members, the person's age), so it goes through the form's checks."""
        from pmks_desktop.services.registers import MemberInput, decode_values

        form = self._forms[target["register_code"]]
        values = {k: v for k, v in decode_values(form, target["data"]).items()
                  if not k.startswith("_")}
        checked = self._registers().check(form.id, values, [MemberInput(p) for p in members],
                                          parent_id)
        if checked.errors:
            raise ValidationFailed(checked.errors, title="Gabungan pilihan ini belum dapat "
                                                         "disimpan")
        return checked.values

    def _registers(self):
        from pmks_desktop.services.registers import RegisterService
        from pmks_desktop.services.settings import SettingsService

        return RegisterService(self._db, self._session, self._forms,
                               SettingsService(self._db, self._session))

    @staticmethod
    def _load(s, conflict_id: int):
        conflict = s.get(SyncConflict, conflict_id)
        if conflict is None:
            raise NotFound("Konflik ini tidak ditemukan; mungkin sudah terselesaikan oleh "
                           "perubahan yang lebih baru. Muat ulang daftar konflik.")
        if conflict.resolved_at is not None:
            raise ServiceError("Konflik ini sudah diselesaikan sebelumnya; tidak ada yang "
                               "diubah.")
        row = s.get(MODELS[conflict.table_name], conflict.row_id) \
            if conflict.table_name in MODELS else None
        if row is None:
            raise NotFound("Data yang berkonflik tidak ditemukan di komputer ini.")
        return conflict, row


def _taken(table: str, current: dict, other: dict) -> dict:
    """The other version's values for every column it has (bookkeeping stays current)."""
    return {name: (other[name] if name in other and name not in BOOKKEEPING else value)
            for name, value in current.items() if name in _column_names(table)}


def _column_names(table: str) -> frozenset[str]:
    return frozenset(c.name for c in table_info(table).columns)


def _write(row, table: str, current: dict, target: dict) -> None:
    """Set the columns whose value changes, converted from their JSON shape."""
    for column in table_info(table).columns:
        if column.name in BOOKKEEPING or target.get(column.name) == current.get(column.name):
            continue
        value = target.get(column.name)
        setattr(row, column.name, None if value is None else column.from_json(value))
    if table == "person":  # the search key follows whichever name was chosen
        row.name_key = name_key(row.name)


def _member_ids(s, entry_id: str) -> list[str]:
    return list(s.exec(select(RegisterMember.person_id).where(
        RegisterMember.entry_id == entry_id, RegisterMember.deleted_at == None)))  # noqa: E711


def _names(s, wanted: dict[str, set[str]]) -> dict[str, str]:
    """What ids read as: person names, 'KK <no>' for families, desa names."""
    names: dict[str, str] = {}
    if wanted["person"]:
        names.update(s.exec(select(Person.id, Person.name)
                            .where(Person.id.in_(wanted["person"]))).all())
    if wanted["household"]:
        names.update((i, f"KK {kk or '-'}") for i, kk in s.exec(
            select(Household.id, Household.no_kk).where(Household.id.in_(wanted["household"]))))
    if wanted["desa"]:
        names.update(s.exec(select(Desa.code, Desa.name)
                            .where(Desa.code.in_(wanted["desa"]))).all())
    return names
