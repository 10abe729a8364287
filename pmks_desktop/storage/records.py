"""The base of every synced record: UUID key, version, soft delete."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Optional

from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class SyncedRecord(SQLModel):
    """Columns every synced record carries: UUID key, version (hlc, origin), soft delete."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: datetime = Field(default_factory=utc_now)
    created_by: Optional[str] = Field(default=None, max_length=36)
    updated_at: datetime = Field(default_factory=utc_now)
    updated_by: Optional[str] = Field(default=None, max_length=36)
    # Trash: a deleted record stays (recoverable) until a legal purge; the delete syncs as an edit.
    deleted_at: Optional[datetime] = None
    deleted_by: Optional[str] = Field(default=None, max_length=36)
    deleted_reason: Optional[str] = None
    # Version of the last change, set by change capture: larger (hlc, origin) wins a merge.
    version_hlc: int = 0
    version_origin: str = Field(default="", max_length=64)
