"""Catalogue look-ups that tolerate codes the catalogue no longer has (old or synced records)."""
from __future__ import annotations

from pmks_desktop.domain.catalogue import Catalogue, CaseStatus, PmksType
from pmks_desktop.domain.errors import CatalogueError


def find_type(catalogue: Catalogue, code: str) -> PmksType | None:
    try:
        return catalogue.type(code)
    except CatalogueError:
        return None


def find_status(catalogue: Catalogue, code: str) -> CaseStatus | None:
    try:
        return catalogue.status(code)
    except CatalogueError:
        return None
