"""User accounts: Argon2 password hashes, roles, sign-in with audit."""
from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import select

from pmks_desktop.domain.roles import MANAGE_USERS, ROLE_LABELS
from pmks_desktop.services.errors import Issue, NotFound, ServiceError, ValidationFailed
from pmks_desktop.services.keyring import grant_slot, open_keyring
from pmks_desktop.services.session import Actor, UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import User, utc_now

MIN_PASSWORD_LENGTH = 8
USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{3,40}$")
_hasher = PasswordHasher()
# Verifying an unknown user against this keeps sign-in time the same, so names cannot be probed.
_DUMMY_HASH = _hasher.hash("pmks-desktop-dummy-password")


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    role: str
    password: str
    can_view_sensitive: bool = False


def validate_new_user(new: NewUser) -> list[Issue]:
    issues = []
    if not USERNAME_PATTERN.match(new.username or ""):
        issues.append(Issue("username", "Nama pengguna 3–40 karakter: huruf kecil, angka, titik, "
                                        "garis bawah atau tanda hubung, tanpa spasi."))
    if not (new.full_name or "").strip():
        issues.append(Issue("full_name", "Nama lengkap wajib diisi."))
    if new.role not in ROLE_LABELS:
        issues.append(Issue("role", f"Peran '{new.role}' tidak dikenal. Pilih salah satu: "
                                    f"{', '.join(ROLE_LABELS)}."))
    issues += password_issues(new.password)
    return issues


def password_issues(password: str) -> list[Issue]:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return [Issue("password", f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter.")]
    return []


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.username, user.full_name, user.role, user.can_view_sensitive)


def insert_user(session, new: NewUser, *, by: Actor) -> User:
    """Add an account inside the caller's transaction (used by set-up and by UserService)."""
    issues = validate_new_user(new)
    if session.exec(select(User).where(User.username == new.username)).first():
        issues.append(Issue("username", f"Nama pengguna '{new.username}' sudah dipakai."))
    if issues:
        raise ValidationFailed(issues)
    user = User(username=new.username, full_name=new.full_name.strip(), role=new.role,
                can_view_sensitive=new.can_view_sensitive,
                password_hash=_hasher.hash(new.password))
    session.add(user)
    session.flush()
    append_audit(session, action="user", entity="user_account", entity_id=user.id,
                 detail={"op": "create", "username": user.username, "role": user.role},
                 user_id=by.user_id or None, username=by.username)
    return user


class UserService:
    def __init__(self, db: Database, session: UserSession):
        self._db = db
        self._session = session

    def has_users(self) -> bool:
        with self._db.read() as s:
            return s.exec(select(User.id).limit(1)).first() is not None

    def authenticate(self, username: str, password: str) -> Actor:
        """Check the password; on success sign in and record it, on failure record that too."""
        username = (username or "").strip().lower()
        with self._db.write() as s:
            user = s.exec(select(User).where(User.username == username)).first()
            ok = self._verify(user, password)
            keyring_secret = None
            if ok:
                user.last_login_at, user.failed_logins = utc_now(), 0
                self._rehash_if_needed(user, password)
                keyring_secret = open_keyring(s, user.id, password)
            elif user is not None:
                user.failed_logins += 1
            append_audit(s, action="login" if ok else "login_failed", entity="user_account",
                         entity_id=user.id if user else None,
                         user_id=user.id if user else None, username=username)
        if not ok:
            raise ServiceError("Nama pengguna atau kata sandi salah, atau akun tidak aktif.")
        actor = actor_of(user)
        self._session.sign_in(actor, keyring_secret)
        return actor

    @staticmethod
    def _verify(user: User | None, password: str) -> bool:
        try:
            if user is None:
                _hasher.verify(_DUMMY_HASH, password or "")
                return False
            return _hasher.verify(user.password_hash, password or "") and user.active
        except (VerificationError, InvalidHashError):
            return False

    @staticmethod
    def _rehash_if_needed(user: User, password: str) -> None:
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)

    def sign_out(self) -> None:
        if self._session.signed_in:
            actor = self._session.actor
            with self._db.write() as s:
                append_audit(s, action="logout", entity="user_account", entity_id=actor.user_id,
                             user_id=actor.user_id, username=actor.username)
        self._session.sign_out()

    def list_users(self) -> list[User]:
        self._session.require(MANAGE_USERS)
        with self._db.read() as s:
            return list(s.exec(select(User).order_by(User.username)))

    def create(self, new: NewUser) -> User:
        actor = self._session.require(MANAGE_USERS)
        with self._db.write(actor.user_id) as s:
            user = insert_user(s, new, by=actor)
            self._grant(s, user.id, new.password)
            return user

    def _grant(self, s, user_id: str, password: str) -> None:
        """Lets the new password open the office keys, when this session holds them."""
        if self._session.keyring_secret is not None:
            grant_slot(s, user_id, password, self._session.keyring_secret)

    def update(self, username: str, *, role: str | None = None, active: bool | None = None,
               can_view_sensitive: bool | None = None, password: str | None = None) -> User:
        actor = self._session.require(MANAGE_USERS)
        if role is not None and role not in ROLE_LABELS:
            raise ValidationFailed([Issue("role", f"Peran '{role}' tidak dikenal.")])
        if password is not None and (issues := password_issues(password)):
            raise ValidationFailed(issues)
        with self._db.write(actor.user_id) as s:
            user = s.exec(select(User).where(User.username == username)).first()
            if user is None:
                raise NotFound(f"Akun '{username}' tidak ditemukan.")
            changes = self._apply(user, role, active, can_view_sensitive, password)
            if password is not None:
                self._grant(s, user.id, password)
            self._keep_an_admin(s, user)
            append_audit(s, action="user", entity="user_account", entity_id=user.id,
                         detail={"op": "update", "username": username, **changes},
                         user_id=actor.user_id, username=actor.username)
            return user

    @staticmethod
    def _apply(user: User, role, active, can_view_sensitive, password) -> dict:
        changes = {}
        if role is not None:
            user.role = changes["role"] = role
        if active is not None:
            user.active = changes["active"] = active
        if can_view_sensitive is not None:
            user.can_view_sensitive = changes["can_view_sensitive"] = can_view_sensitive
        if password is not None:
            user.password_hash = _hasher.hash(password)
            changes["password"] = "diganti"
        return changes

    @staticmethod
    def _keep_an_admin(s, user: User) -> None:
        s.flush()
        admins = s.exec(select(User.id).where(User.role == "administrator",
                                              User.active == True)).all()  # noqa: E712
        if not admins:
            raise ServiceError("Harus tetap ada sedikitnya satu administrator yang aktif.")

    def change_own_password(self, old_password: str, new_password: str) -> None:
        actor = self._session.actor
        if issues := password_issues(new_password):
            raise ValidationFailed(issues)
        with self._db.write(actor.user_id) as s:
            user = s.get(User, actor.user_id)
            if not self._verify(user, old_password):
                raise ServiceError("Kata sandi lama salah.")
            user.password_hash = _hasher.hash(new_password)
            self._grant(s, user.id, new_password)
            append_audit(s, action="user", entity="user_account", entity_id=user.id,
                         detail={"op": "password"}, user_id=actor.user_id,
                         username=actor.username)
