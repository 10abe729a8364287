"""Shared error types of the domain layer.

Every rule in this package reports a problem as a *field* (the English identifier the form and
the services use to point at a widget or a column) plus a *message* in Bahasa Indonesia that can
be shown to the operator as it is. Subclassing ValueError keeps plain `except ValueError` callers
(and argparse-style CLI code) working.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """One finding about one field: used for lists of errors and warnings."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class RuleResult:
    """The outcome of a rule check: errors block saving, warnings are shown and recorded."""

    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class DomainError(ValueError):
    """A rule was broken; `message` is ready to show to the user."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def as_issue(self) -> Issue:
        return Issue(self.field, self.message)

    def __str__(self) -> str:
        return self.message


class IdentityError(DomainError):
    """A NIK, No. KK or phone number is not acceptable."""


class CatalogueError(DomainError):
    """The PMKS catalogue file is malformed, or a code is not in it."""


class RegionFileError(DomainError):
    """A region master (Kepmendagri `kode,nama` CSV) row is malformed.

    `line` is the 1-based line number in the file (the header is line 1), or None when the
    problem concerns the file as a whole.
    """

    def __init__(self, message: str, line: int | None = None, field: str = "region_file") -> None:
        text = f"Baris {line}: {message}" if line is not None else message
        super().__init__(field, text)
        self.line = line
