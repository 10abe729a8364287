"""Who is signed in, and the permission checks every service runs before it acts."""
from __future__ import annotations

from dataclasses import dataclass

from pmks_desktop.domain.roles import PERMISSION_LABELS, ROLE_LABELS, role_allows
from pmks_desktop.services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    user_id: str
    username: str
    full_name: str
    role: str
    can_view_sensitive: bool = False

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


# Set-up and first start run before anyone can log in; the audit names this actor.
SYSTEM_ACTOR = Actor(user_id="", username="sistem", full_name="Sistem", role="administrator",
                     can_view_sensitive=False)


class UserSession:
    """The signed-in user, shared by the services of one window or one CLI command."""

    def __init__(self, actor: Actor | None = None):
        self._actor = actor
        # The office keyring secret unwrapped by this user's password at sign-in (see
        # services/keyring.py); held in memory only, forgotten at sign-out.
        self.keyring_secret: bytes | None = None

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            raise PermissionDenied("Silakan masuk (login) terlebih dahulu.")
        return self._actor

    @property
    def signed_in(self) -> bool:
        return self._actor is not None

    def sign_in(self, actor: Actor, keyring_secret: bytes | None = None) -> None:
        self._actor = actor
        self.keyring_secret = keyring_secret

    def sign_out(self) -> None:
        self._actor = None
        self.keyring_secret = None

    def allows(self, permission: str) -> bool:
        return self._actor is not None and role_allows(self._actor.role, permission)

    def require(self, permission: str) -> Actor:
        actor = self.actor
        if not role_allows(actor.role, permission):
            label = PERMISSION_LABELS.get(permission, permission)
            raise PermissionDenied(
                f"Peran {actor.role_label} tidak berwenang {label}. "
                "Hubungi administrator bila Anda memerlukan akses ini.")
        return actor
