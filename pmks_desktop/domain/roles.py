"""Roles and what each may do. The services check these; the UI only hides what they refuse."""
from __future__ import annotations

VIEW = "view_records"
EDIT = "edit_records"
TRASH = "trash_records"
RESTORE = "restore_records"
VERIFY = "verify_records"
STATUS = "change_status"
PRINT = "print"
EXPORT = "export"
MANAGE_USERS = "manage_users"
MANAGE_OFFICE = "manage_office"
VIEW_AUDIT = "view_audit"
ERASE = "erase_person"  # permanent erasure under UU PDP: administrators only

ROLE_LABELS = {
    "administrator": "Administrator",
    "operator": "Operator",
    "verifikator": "Verifikator",
    "pimpinan": "Pimpinan",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "administrator": frozenset({VIEW, EDIT, TRASH, RESTORE, VERIFY, STATUS, PRINT, EXPORT,
                                MANAGE_USERS, MANAGE_OFFICE, VIEW_AUDIT, ERASE}),
    "operator": frozenset({VIEW, EDIT, TRASH, STATUS, PRINT, EXPORT}),
    "verifikator": frozenset({VIEW, VERIFY, STATUS, PRINT}),
    "pimpinan": frozenset({VIEW, PRINT, VIEW_AUDIT}),
}

PERMISSION_LABELS = {
    VIEW: "melihat data",
    EDIT: "menambah atau mengubah data",
    TRASH: "memindahkan data ke sampah",
    RESTORE: "memulihkan data dari sampah",
    VERIFY: "memverifikasi data",
    STATUS: "mengubah status penanganan",
    PRINT: "mencetak",
    EXPORT: "mengekspor data",
    MANAGE_USERS: "mengelola akun pengguna",
    MANAGE_OFFICE: "mengubah pengaturan kantor",
    VIEW_AUDIT: "melihat jejak audit",
    ERASE: "menghapus data orang secara permanen",
}


def role_allows(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
