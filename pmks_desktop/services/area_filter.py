"""A list filter by area: a desa code (36.04.05.2001) matches that desa; a kecamatan code
(36.04.05), used at the Dinas Sosial, matches every desa in it. Written as a range on the code
so SQLite keeps using the desa_code indexes ("36.04.05." <= code < "36.04.05/")."""
from __future__ import annotations

DESA_CODE_LENGTH = 13


def in_area(column, code: str):
    if len(code) >= DESA_CODE_LENGTH:
        return column == code
    return (column >= code + ".") & (column < code + "/")
