"""What the services say when they refuse: always a message a user can read (Bahasa Indonesia)."""
from __future__ import annotations

from dataclasses import dataclass, field

from pmks_desktop.domain.errors import Issue  # one finding type, shared with the domain rules

__all__ = ["Issue", "ServiceError", "PermissionDenied", "NotFound", "StaleRecord",
           "OperationCancelled", "ValidationFailed", "Checked"]


class ServiceError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class StaleRecord(ServiceError):
    """The record changed since the user opened it (another window or PC saved first)."""


class OperationCancelled(ServiceError):
    """The user pressed Batal: whatever the operation started has been undone."""

    def __init__(self, message: str = "Dibatalkan; tidak ada yang disimpan."):
        super().__init__(message)


class ValidationFailed(ServiceError):
    def __init__(self, issues: list[Issue], title: str = "Data belum dapat disimpan"):
        self.issues = list(issues)
        lines = "\n".join(f"- {i.message}" for i in self.issues)
        super().__init__(f"{title}:\n{lines}")

    def for_field(self, name: str) -> list[str]:
        return [i.message for i in self.issues if i.field == name]


@dataclass
class Checked:
    """Outcome of validating an input: cleaned values, blocking errors, and warnings."""

    values: dict = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
