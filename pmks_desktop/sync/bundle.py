"""Bundle files: the one format that carries changes and receipts between offices and the hub.

A bundle is one file (see SYNC.md, "Bundles"):

    PMKS-BUNDLE 1\\n
    <routing header: canonical JSON, at most 64 KiB>\\n
    <base64 Ed25519 signature over the exact header bytes>\\n
    <encrypted payload: secretstream header + 64 KiB chunks>

and the payload decrypts to a ZIP with `manifest.json` and its members (`ops.jsonl`, ...).
This module is the public face: build, read, check, open and write bundles. Pure bytes and
files: no database, no Qt. The pieces live in bundle_header (plain-text part), bundle_crypto
(sealed payload key + secretstream), bundle_payload (ZIP + manifest) and bundle_errors
(the Indonesian messages).

An importer runs, in order: `read_header` -> look up the sender key (`unknown_sender` if it is
not enrolled or revoked) -> `addressed_to_us` -> `check_signature` -> `open_bundle`.
"""
from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from nacl.signing import SigningKey

from pmks_desktop.sync import bundle_errors as err
from pmks_desktop.sync import keys
from pmks_desktop.sync.bundle_crypto import (decrypt_stream, encrypt_stream, new_payload_key,
                                             seal_key, unseal_key)
from pmks_desktop.sync.bundle_errors import BundleError
from pmks_desktop.sync.bundle_header import (FORMAT, HEADER_MAX, KINDS, MAGIC, MAGIC_PREFIX,
                                             SIGNATURE_LINE, BundleHeader, check_signature,
                                             header_bytes, parse_header, payload_offset,
                                             read_header, utc_text)
from pmks_desktop.sync.bundle_payload import BundleContents, build_zip, open_zip

__all__ = ["BundleError", "BundleHeader", "BundleContents", "Recipient", "build_bundle",
           "read_header", "check_signature", "addressed_to_us", "unknown_sender", "open_bundle",
           "write_bundle_file", "bundle_file_name", "looks_like_bundle"]

MAX_PAYLOAD = 512 * 1024 * 1024
MAX_MEMBER = 1024 * 1024 * 1024
MAX_TOTAL = 2 * 1024 * 1024 * 1024
# An importer should stat() a file against this before reading it into memory.
MAX_FILE = MAX_PAYLOAD + len(MAGIC) + HEADER_MAX + 1 + SIGNATURE_LINE
SUFFIX = ".pmksb"
PARTIAL = ".partial"


@dataclass(frozen=True)
class Recipient:
    key_id: str
    public_key: bytes  # X25519 public key


def build_bundle(*, kind: str, schema: str, sender_node: str, sender_office: str,
                 sign_key_id: str, sign_seed: bytes, recipients: Sequence[Recipient],
                 members: dict[str, bytes], to_node: str, ranges: Sequence[Sequence] = (),
                 op_count: int = 0, part: int = 1, parts: int = 1,
                 extra: dict[str, Any] | None = None, bundle_id: str | None = None,
                 created_at: datetime | None = None) -> tuple[BundleHeader, bytes]:
    """Zip, encrypt to every recipient, sign: -> (header, the whole file's bytes)."""
    fields = {"format": FORMAT, "bundle_id": bundle_id or str(uuid.uuid4()), "kind": kind,
              "schema": schema,
              "created_at": utc_text(created_at or datetime.now(timezone.utc)),
              "sender_node": sender_node, "sender_office": sender_office,
              "sender_key_id": sign_key_id, "to_node": to_node,
              "ranges": tuple(tuple(r) for r in ranges), "op_count": op_count,
              "part": part, "parts": parts, "extra": dict(extra or {})}
    return seal(build_zip(members), fields, sign_seed=sign_seed, recipients=recipients)


def seal(plain: bytes, fields: dict[str, Any], *, sign_seed: bytes,
         recipients: Sequence[Recipient]) -> tuple[BundleHeader, bytes]:
    """Encrypt a ready ZIP and sign its header: the second half of build_bundle, kept separate
    so tests can wrap deliberately broken ZIPs in otherwise perfect bundles."""
    _check_keys(fields["sender_key_id"], sign_seed, recipients)
    payload_key = new_payload_key()
    pieces = encrypt_stream(plain, payload_key, fields["bundle_id"].encode("ascii"))
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece)
    sealed = tuple((r.key_id, keys.b64(seal_key(payload_key, r.public_key))) for r in recipients)
    header = BundleHeader(**fields, recipients=sealed, payload_sha256=digest.hexdigest(),
                          payload_length=sum(len(piece) for piece in pieces))
    return assemble(header, pieces, sign_seed)


def assemble(header: BundleHeader, payload: bytes | list[bytes], sign_seed: bytes
             ) -> tuple[BundleHeader, bytes]:
    """Sign a header and join the file; returns the header exactly as a reader will see it.
    `payload` may be a list of pieces, joined once here (no extra copy of a large payload)."""
    raw = header_bytes(header)
    if len(raw) > HEADER_MAX:
        raise ValueError(f"bundle header is {len(raw)} bytes, over {HEADER_MAX}: trim `extra`")
    try:
        parsed = parse_header(raw)  # what we write must be exactly what a reader accepts
    except BundleError as exc:
        raise ValueError(f"invalid bundle header: {exc.message}") from None
    signature = keys.b64(keys.sign(sign_seed, raw)).encode("ascii")
    pieces = [payload] if isinstance(payload, bytes) else payload
    return parsed, b"".join([MAGIC, raw, b"\n", signature, b"\n", *pieces])


def _check_keys(sign_key_id: str, sign_seed: bytes, recipients: Sequence[Recipient]) -> None:
    # A mismatched id would produce bundles every importer rejects; fail at the source instead.
    if keys.fingerprint(bytes(SigningKey(sign_seed).verify_key)) != sign_key_id:
        raise ValueError("sign_key_id is not the fingerprint of sign_seed's public key")
    if not recipients:
        raise ValueError("a bundle needs at least one recipient")
    for recipient in recipients:
        if keys.fingerprint(recipient.public_key) != recipient.key_id:
            raise ValueError(f"recipient {recipient.key_id} does not match its public key")


def unknown_sender(header: BundleHeader) -> BundleError:
    """The error for a sender key that is not enrolled or is revoked (the importer decides)."""
    return err.unknown_sender(header.sender_office, keys.grouped(header.sender_key_id))


def addressed_to_us(header: BundleHeader, my_box_keys: dict[str, bytes]) -> list[tuple[str, str]]:
    mine = [(key_id, sealed) for key_id, sealed in header.recipients if key_id in my_box_keys]
    if not mine:
        raise err.not_for_us([keys.grouped(key_id) for key_id in header.recipient_ids])
    return mine


def open_bundle(data: bytes, header: BundleHeader, my_box_keys: dict[str, bytes], *,
                max_payload: int = MAX_PAYLOAD, max_member: int = MAX_MEMBER,
                max_total: int = MAX_TOTAL) -> BundleContents:
    """Addressed to us, length, hash, decrypt, manifest, members: in that order.

    `header` must come from read_header(data) and its signature must have been checked.
    `my_box_keys` maps box key id -> X25519 private key (the hub passes its key and, when
    recovering, the escrow key)."""
    mine = addressed_to_us(header, my_box_keys)
    if header.payload_length > max_payload:
        raise err.too_large("isi terenkripsi", header.payload_length, max_payload)
    payload = _payload(data, header)
    if hashlib.sha256(payload).hexdigest() != header.payload_sha256:
        raise err.bad_hash()
    payload_key = _payload_key(mine, my_box_keys)
    plain = io.BytesIO()
    decrypt_stream(payload, payload_key, header.bundle_id.encode("ascii"), plain)
    return open_zip(header, plain, max_member=max_member, max_total=max_total)


def _payload(data: bytes, header: BundleHeader) -> memoryview:
    raw = header_bytes(header)
    if bytes(data[len(MAGIC):len(MAGIC) + len(raw) + 1]) != raw + b"\n":
        raise err.bad_header("kepala yang diperiksa bukan kepala berkas ini")
    offset = payload_offset(raw)
    expected = offset + header.payload_length
    if len(data) < expected:
        raise err.truncated(len(data), expected)
    if len(data) > expected:
        raise err.too_long(len(data), expected)
    return memoryview(data)[offset:]


def _payload_key(mine: list[tuple[str, str]], my_box_keys: dict[str, bytes]) -> bytes:
    for key_id, sealed in mine:
        try:
            key = unseal_key(keys.unb64(sealed), my_box_keys[key_id])
        except ValueError:  # binascii.Error is a ValueError: damaged base64
            key = None
        if key is not None:
            return key
    raise err.cannot_decrypt("kunci isi tidak dapat dibuka dengan kunci penerima komputer ini")


# --- files on the stick ---------------------------------------------------------------------

def write_bundle_file(folder: Path, file_name: str, data: bytes, *,
                      sender_public_key: bytes) -> Path:
    """Write, sync, rename, then read back and verify; only then may the UI say "aman dicabut".

    A pulled stick can only ever leave `<name>.partial`, which is never taken for a bundle."""
    if not file_name.endswith(SUFFIX) or Path(file_name).name != file_name:
        raise ValueError(f"bundle file name must be a plain name ending in {SUFFIX}")
    folder = Path(folder)
    final, partial = folder / file_name, folder / (file_name + PARTIAL)
    try:
        _write_synced(partial, data)
        os.replace(partial, final)
        _sync_directory(folder)
        _verify_copy(_read_back(final), data, sender_public_key)
    except BaseException as exc:
        _remove_quietly(partial)
        _remove_quietly(final)
        if isinstance(exc, (OSError, BundleError)):
            raise err.write_failed(str(folder), _why(exc)) from exc
        raise
    return final


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_directory(folder: Path) -> None:
    # Makes the rename itself durable. Windows cannot open a directory for fsync; there,
    # removable drives default to "quick removal" (write-through), which covers the rename.
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # best effort: the read-back below still proves the file is there and whole
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (FUSE, certain vfat mounts) refuse fsync on a directory
    finally:
        os.close(fd)


def _read_back(path: Path) -> bytes:
    return path.read_bytes()


def _verify_copy(copy: bytes, data: bytes, sender_public_key: bytes) -> None:
    header, raw, signature = read_header(copy)
    if keys.fingerprint(sender_public_key) != header.sender_key_id:
        raise err.bad_signature("dibuat dengan kunci lain")
    check_signature(raw, signature, sender_public_key)
    payload = memoryview(copy)[payload_offset(raw):]
    if len(payload) != header.payload_length:
        raise err.truncated(len(copy), payload_offset(raw) + header.payload_length)
    if hashlib.sha256(payload).hexdigest() != header.payload_sha256 or copy != data:
        raise err.bad_hash()


_OS_REASONS = {
    errno.ENOSPC: "ruang kosong tidak cukup",
    errno.ENOENT: "folder tujuan tidak ada (flashdisk terlepas?)",
    errno.EACCES: "tujuan tidak boleh ditulis (flashdisk terkunci atau hak akses kurang)",
    errno.EPERM: "tujuan tidak boleh ditulis (flashdisk terkunci atau hak akses kurang)",
    errno.EROFS: "flashdisk hanya dapat dibaca (terkunci)",
    errno.EIO: "flashdisk gagal ditulis (kesalahan perangkat)",
}


def _why(exc: BaseException) -> str:
    if isinstance(exc, BundleError):
        return "salinan di tujuan tidak sama dengan aslinya saat diperiksa ulang"
    reason = _OS_REASONS.get(getattr(exc, "errno", None))
    return reason or f"kesalahan sistem ({getattr(exc, 'strerror', None) or exc})"


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # the stick may already be gone; a leftover .partial is never read as a bundle


def bundle_file_name(sender_office: str, kind: str, created: datetime, bundle_id: str,
                     part: int, parts: int) -> str:
    """`pmks-36.04.05-changes-20261128-1530-1a2b3c4d-1of2.pmksb`: routing facts only, no personal
    data. `created` is written as given (pass local time if people should read it)."""
    if kind not in KINDS:
        raise ValueError(f"unknown bundle kind {kind!r}")
    office = re.sub(r"[^0-9A-Za-z.]", "", sender_office) or "kantor"
    short_id = bundle_id.replace("-", "")[:8]
    return f"pmks-{office}-{kind}-{created:%Y%m%d-%H%M}-{short_id}-{part}of{parts}{SUFFIX}"


def looks_like_bundle(path: Path) -> bool:
    """A whole bundle's name and first bytes (any format version, so a newer one gets the
    "perbarui aplikasi" message instead of being ignored). `.partial` files never qualify."""
    path = Path(path)
    if not path.name.lower().endswith(SUFFIX) or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC_PREFIX)) == MAGIC_PREFIX
    except OSError:
        return False
