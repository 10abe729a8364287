"""The plain-text part of a bundle: magic line, routing header (canonical JSON), signature line.

The header is readable without any key so an importer can route, refuse or quarantine a file
before decrypting anything. It is parsed strictly: exact field set, exact types, and the bytes
must be the canonical serialisation of what they parse to. Canonical-only means one header has
one byte form, so "parses the same" and "is signed" can never disagree (duplicate keys, odd
whitespace or number spellings are refused rather than interpreted).
"""
from __future__ import annotations

import binascii
import json
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from pmks_desktop.sync import bundle_errors as err
from pmks_desktop.sync import keys

MAGIC = b"PMKS-BUNDLE 1\n"
MAGIC_PREFIX = b"PMKS-BUNDLE "
FORMAT = 1
HEADER_MAX = 64 * 1024
SIGNATURE_BYTES = 64
SIGNATURE_LINE = 88 + 1  # base64 of 64 bytes, then "\n"
KINDS = ("changes", "receipt")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_KEY_ID = re.compile(r"^[0-9a-f]{16}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class BundleHeader:
    format: int
    bundle_id: str
    kind: str
    schema: str
    created_at: str
    sender_node: str
    sender_office: str
    sender_key_id: str
    recipients: tuple[tuple[str, str], ...]  # (box key id, base64 sealed payload key)
    to_node: str
    ranges: tuple[tuple[str, str, int, int], ...]  # (origin, epoch, first_seq, last_seq)
    op_count: int
    part: int
    parts: int
    payload_length: int
    payload_sha256: str
    extra: dict[str, Any]

    @property
    def recipient_ids(self) -> tuple[str, ...]:
        return tuple(key_id for key_id, _ in self.recipients)

    @property
    def created(self) -> datetime:
        return datetime.strptime(self.created_at, TIME_FORMAT).replace(tzinfo=timezone.utc)


def utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    return moment.astimezone(timezone.utc).strftime(TIME_FORMAT)


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def header_bytes(header: BundleHeader) -> bytes:
    return canonical_json(asdict(header))


# --- field checks: each returns True when the value has the right shape ------------------------

def _is_int(value: Any, low: int = 0) -> bool:
    return type(value) is int and value >= low  # bool is an int subclass: refused on purpose


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 200


def _is_uuid(value: Any) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _is_time(value: Any) -> bool:
    try:  # strptime also takes "2026-1-2T8:3:0Z"; only the zero-padded form is canonical
        return (isinstance(value, str)
                and datetime.strptime(value, TIME_FORMAT).strftime(TIME_FORMAT) == value)
    except ValueError:
        return False


def _is_recipients(value: Any) -> bool:
    if not isinstance(value, list) or not 0 < len(value) <= 16:
        return False
    ok = all(isinstance(r, list) and len(r) == 2 and isinstance(r[0], str)
             and bool(_KEY_ID.match(r[0])) and isinstance(r[1], str) and 0 < len(r[1]) <= 200
             for r in value)
    return ok and len({r[0] for r in value}) == len(value)


def _is_ranges(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(r, list) and len(r) == 4 and _is_text(r[0]) and _is_text(r[1])
        and _is_int(r[2]) and _is_int(r[3], r[2]) for r in value)


_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "format": (lambda v: v == FORMAT and type(v) is int, "versi format harus 1"),
    "bundle_id": (_is_uuid, "nomor bundel bukan UUID"),
    "kind": (lambda v: v in KINDS, "jenis bundel tidak dikenal"),
    "schema": (_is_text, "versi skema kosong"),
    "created_at": (_is_time, "waktu pembuatan tidak sah"),
    "sender_node": (_is_text, "komputer pengirim kosong"),
    "sender_office": (_is_text, "kode kantor pengirim kosong"),
    "sender_key_id": (lambda v: isinstance(v, str) and bool(_KEY_ID.match(v)),
                      "kunci pengirim tidak sah"),
    "recipients": (_is_recipients, "daftar penerima tidak sah"),
    "to_node": (_is_text, "komputer tujuan kosong"),
    "ranges": (_is_ranges, "rentang nomor urut perubahan tidak sah"),
    "op_count": (_is_int, "jumlah perubahan tidak sah"),
    "part": (lambda v: _is_int(v, 1), "nomor bagian tidak sah"),
    "parts": (lambda v: _is_int(v, 1), "jumlah bagian tidak sah"),
    "payload_length": (_is_int, "panjang isi tidak sah"),
    "payload_sha256": (lambda v: isinstance(v, str) and bool(_SHA256.match(v)),
                       "sidik SHA-256 isi tidak sah"),
    "extra": (lambda v: isinstance(v, dict), "keterangan tambahan tidak sah"),
}


def parse_header(raw: bytes) -> BundleHeader:
    """Header line bytes (without the newline) -> BundleHeader, or BundleError("header")."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise err.bad_header("bukan JSON yang sah") from None
    if not isinstance(value, dict) or set(value) != set(_CHECKS):
        raise err.bad_header("kolom-kolomnya tidak lengkap atau tidak dikenal")
    for name, (check, problem) in _CHECKS.items():
        if not check(value[name]):
            raise err.bad_header(f"{problem} (kolom '{name}')")
    if value["part"] > value["parts"]:
        raise err.bad_header("nomor bagian melebihi jumlah bagian")
    header = BundleHeader(**{**value,
                             "recipients": tuple(tuple(r) for r in value["recipients"]),
                             "ranges": tuple(tuple(r) for r in value["ranges"])})
    try:
        canonical = header_bytes(header) == raw
    except (ValueError, RecursionError):  # NaN/Infinity in extra: not canonical JSON
        canonical = False
    if not canonical:
        raise err.bad_header("tidak ditulis dalam bentuk baku")
    return header


def _check_magic(data: bytes) -> None:
    if data.startswith(MAGIC):
        return
    if len(data) < len(MAGIC) and MAGIC.startswith(data):
        raise err.truncated(len(data))
    line = data[:32].split(b"\n", 1)[0]
    version = line[len(MAGIC_PREFIX):]
    # Only a *larger* version means "upgrade the app"; anything else is damage or a foreign file.
    if (line.startswith(MAGIC_PREFIX) and version.isdigit() and len(data) > len(line)
            and int(version) > FORMAT):
        raise err.newer_format(version.decode("ascii"))
    raise err.not_a_bundle()


def read_header(data: bytes) -> tuple[BundleHeader, bytes, bytes]:
    """Magic, header (size cap, JSON shape) and signature line -> (header, header_bytes, sig)."""
    _check_magic(data)
    start = len(MAGIC)
    end = data.find(b"\n", start, start + HEADER_MAX + 1)
    if end < 0:
        if len(data) <= start + HEADER_MAX:
            raise err.truncated(len(data))
        limit = err.size_id(HEADER_MAX)
        raise err.bad_header(f"bagian kepala lebih dari {limit} byte (64 KiB)")
    raw = bytes(data[start:end])
    header = parse_header(raw)
    line = bytes(data[end + 1:end + 1 + SIGNATURE_LINE])
    if len(line) < SIGNATURE_LINE:
        raise err.truncated(len(data))
    return header, raw, _signature(line)


def _signature(line: bytes) -> bytes:
    text = line[:-1]
    try:
        signature = keys.unb64(text.decode("ascii")) if line.endswith(b"\n") else b""
    except (UnicodeDecodeError, binascii.Error, ValueError):
        signature = b""
    # Re-encoding must give the same text: base64 padding bits would otherwise let a changed
    # byte decode to the same signature, and a changed file must never pass as unchanged.
    if len(signature) != SIGNATURE_BYTES or keys.b64(signature).encode("ascii") != text:
        raise err.bad_signature("tidak terbaca (baris tanda tangan rusak)")
    return signature


def payload_offset(header_raw: bytes) -> int:
    return len(MAGIC) + len(header_raw) + 1 + SIGNATURE_LINE


def check_signature(header_raw: bytes, signature: bytes, sender_public_key: bytes) -> None:
    """Ed25519 over the exact header bytes; BundleError("signature") when it does not verify."""
    if not keys.verify(sender_public_key, header_raw, signature):
        raise err.bad_signature("tidak cocok dengan kunci kantor pengirim")
