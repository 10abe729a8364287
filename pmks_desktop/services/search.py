"""Search as you type over names and NIK.

Three or more characters go through the trigram FTS5 index (any part of a name or NIK, fast at
100,000 persons); shorter input matches the start of the normalised name or of the NIK.
"""
from __future__ import annotations

import re

from sqlalchemy import String, text

from pmks_desktop.domain.names import name_key
from pmks_desktop.storage.models import Person

MIN_TRIGRAM = 3


def _fts_phrase(query: str) -> str:
    return '"' + query.replace('"', '""') + '"'


def fts_person_ids(id_column, query: str) -> list:
    """SQL conditions (to OR together) selecting persons that match `query`."""
    query = " ".join(query.split())
    digits = re.sub(r"[\s.]", "", query)
    if digits.isdigit():
        query = digits
    if len(query) >= MIN_TRIGRAM:
        matches = text("SELECT person_id FROM person_fts WHERE person_fts MATCH :q") \
            .bindparams(q=_fts_phrase(query)).columns(person_id=String)
        return [id_column.in_(matches)]
    key = name_key(query)
    conditions = [Person.nik.startswith(query, autoescape=True)]
    if key:
        conditions.append(Person.name_key.startswith(key, autoescape=True))
    return conditions
