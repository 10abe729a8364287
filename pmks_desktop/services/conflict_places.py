"""Names a person reads in the conflict review: where a version was made (the enrolled office
or this computer) and which record a conflict is about."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.services.enrolment import office_identity
from pmks_desktop.services.lookup import find_type
from pmks_desktop.storage.changelog import hlc_physical_ms, read_node
from pmks_desktop.storage.models import Office, Person, SyncPeer


class Places:
    """Install (node id) -> office name, from sync_peer and this install's own office."""

    def __init__(self, own_node: str, own_name: str, peers: dict[str, str]):
        self._own_node = own_node
        self._own_name = own_name
        self._peers = peers

    @classmethod
    def read(cls, s) -> "Places":
        own_node = read_node(s).origin  # inside the session: a write may hold the lock
        office = s.get(Office, 1)
        own_name = office_identity(office)[2] if office else "Kantor ini"
        peers = dict(s.exec(select(SyncPeer.node_id, SyncPeer.office_name)).all())
        return cls(own_node, own_name, peers)

    def label(self, origin: str) -> str:
        if origin == self._own_node:
            return f"{self._own_name} (komputer ini)"
        # An install not enrolled here (another office's PC seen through the hub): its id,
        # shortened, is all there is to tell it apart.
        return self._peers.get(origin) or f"komputer {origin[:8]}"

    def remote(self, loser_origin: str, winner_origin: str) -> str:
        """The other place involved: the one that is not this computer."""
        for origin in (loser_origin, winner_origin):
            if origin != self._own_node:
                return self.label(origin)
        return self.label(loser_origin)

    def version(self, origin: str, hlc: int) -> str:
        """Where and when (this PC's clock) a version was made."""
        made = datetime.fromtimestamp(hlc_physical_ms(hlc) / 1000).strftime("%d-%m-%Y %H:%M")
        return f"{self.label(origin)}, {made}"


def record_title(s, table: str, image: dict, catalogue: Catalogue,
                 forms: dict[str, FormSpec]) -> str:
    """What the record is called in lists: the person, the family, the case and its person."""
    if table == "person":
        return image.get("name") or "-"
    if table == "household":
        head = _person_name(s, image.get("head_person_id"))
        return f"KK {image.get('no_kk') or '-'}" + (f" ({head})" if head else "")
    if table == "pmks_case":
        pmks_type = find_type(catalogue, str(image.get("type_code") or ""))
        kind = pmks_type.name if pmks_type else f"Jenis {image.get('type_code')}"
        return f"{kind}: {_person_name(s, image.get('person_id')) or '-'}"
    if table == "register_entry":
        form = forms.get(image.get("register_code") or "")
        register = form.short_title or form.title if form else image.get("register_code")
        return f"{register}: {image.get('title') or '-'}"
    if table in ("household_member", "register_member"):
        return _person_name(s, image.get("person_id")) or "-"
    if table == "person_link":
        return (f"{_person_name(s, image.get('person_a_id')) or '-'} dan "
                f"{_person_name(s, image.get('person_b_id')) or '-'}")
    if table == "letter":
        return f"{image.get('number') or '-'} ({image.get('hal') or image.get('kind_label')})"
    return str(image.get("id", ""))[:8]


def _person_name(s, person_id) -> str:
    if not person_id:
        return ""
    person = s.get(Person, person_id)
    return person.name if person else ""

