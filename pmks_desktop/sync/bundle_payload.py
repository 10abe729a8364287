"""The decrypted payload: an in-memory ZIP with `manifest.json` and the members it lists.

Nothing is ever extracted to disk (the data is as sensitive as it gets, and a crafted name could
point anywhere). Members are read only by the names the manifest lists; a ZIP holding anything
else is refused. Sizes are checked against caps from the manifest *before* reading, and every
member is hashed by streaming it through `zipfile.open` in 1 MiB pieces, so a zip bomb cannot
make us inflate more than the caps allow and no uncompressed member is held whole in memory.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import zipfile
import zlib
from typing import Any, Iterator

from pmks_desktop.sync import bundle_errors as err

MANIFEST = "manifest.json"
MANIFEST_MAX = 1024 * 1024
MAX_MEMBERS = 256
READ_PIECE = 1024 * 1024
# A fixed timestamp: the ZIP then leaks no local clock and the same members give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# The payload was authenticated before we get here, so these only arise from a faulty or hostile
# *enrolled* sender; zipfile can raise any of them on crafted input, and none may crash an import.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
              ValueError, RuntimeError, KeyError, IndexError,  # RuntimeError covers
              # the unsupported-compression error zipfile raises
              struct.error, OverflowError, UnicodeError)


def valid_member_name(name: str) -> bool:
    return bool(_NAME.match(name)) and name != MANIFEST


def zip_entries(entries: dict[str, bytes]) -> bytes:
    """A deflated ZIP of exactly these entries (no manifest added): also used by tests."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def manifest_bytes(members: dict[str, bytes]) -> bytes:
    listing = {name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
               for name, data in members.items()}
    return json.dumps({"members": listing}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def build_zip(members: dict[str, bytes]) -> bytes:
    bad = [name for name in members if not valid_member_name(name)]
    if bad or not members:
        raise ValueError(f"bundle member names must match {_NAME.pattern}, got {bad or 'none'}")
    return zip_entries({MANIFEST: manifest_bytes(members), **members})


class BundleContents:
    """The verified members of an opened bundle, read from the decrypted ZIP in memory."""

    def __init__(self, header: Any, archive: zipfile.ZipFile, listing: dict[str, dict]) -> None:
        self.header = header
        self._archive = archive
        self._listing = listing

    def names(self) -> list[str]:
        return sorted(self._listing)

    def size(self, name: str) -> int:
        return self._entry(name)["size"]

    def read(self, name: str) -> bytes:
        self._entry(name)
        return self._archive.read(name)

    def lines(self, name: str) -> Iterator[bytes]:
        """Stream a member line by line (with its b"\\n"), never holding it whole: read in
        blocks of 1 MiB and split in C (ZipExtFile's own readline is Python, per line)."""
        self._entry(name)
        with self._archive.open(name) as member:
            rest = b""
            while block := member.read(_BLOCK):
                lines = (rest + block).split(b"\n")
                rest = lines.pop()  # the unfinished last line, or b""
                for line in lines:
                    yield line + b"\n"
            if rest:
                yield rest

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> "BundleContents":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _entry(self, name: str) -> dict:
        if name not in self._listing:
            raise KeyError(f"{name!r} is not listed in the bundle manifest")
        return self._listing[name]


_BLOCK = 1 << 20


def open_zip(header: Any, plain: io.BytesIO, *, max_member: int, max_total: int
             ) -> BundleContents:
    try:
        archive = zipfile.ZipFile(plain)
        infos = archive.infolist()
    except ZIP_ERRORS:
        raise err.bad_manifest("isi bundel bukan arsip ZIP yang utuh") from None
    listing = _read_manifest(archive, infos)
    _check_sizes(listing, max_member, max_total)
    by_name = {info.filename: info for info in infos}
    for name in sorted(listing):
        _verify_member(archive, by_name[name], listing[name])
    return BundleContents(header, archive, listing)


def _read_manifest(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, dict]:
    if len(infos) > MAX_MEMBERS + 1:
        raise err.too_large("jumlah bagian", len(infos), MAX_MEMBERS + 1)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise err.bad_manifest("ada nama bagian yang ganda di dalam arsip")
    if MANIFEST not in names:
        raise err.bad_manifest("berkas manifest.json tidak ada")
    info = next(i for i in infos if i.filename == MANIFEST)
    if info.file_size > MANIFEST_MAX:
        raise err.too_large("manifest.json", info.file_size, MANIFEST_MAX)
    try:
        with archive.open(info) as member:
            value = json.loads(member.read(MANIFEST_MAX + 1).decode("utf-8"))
    except ZIP_ERRORS + (RecursionError,):
        raise err.bad_manifest("manifest.json rusak atau bukan JSON") from None
    listing = _manifest_listing(value)
    stray = sorted(set(names) - {MANIFEST} - set(listing))
    missing = sorted(set(listing) - set(names))
    if stray:
        raise err.bad_manifest(f"arsip berisi bagian yang tidak tercantum: {', '.join(stray)}")
    if missing:
        raise err.bad_manifest(f"bagian yang tercantum tidak ada: {', '.join(missing)}")
    return listing


def _manifest_listing(value: Any) -> dict[str, dict]:
    members = value.get("members") if isinstance(value, dict) and len(value) == 1 else None
    if not isinstance(members, dict) or not members:
        raise err.bad_manifest("manifest.json tidak memuat daftar bagian")
    for name, entry in members.items():
        ok = (valid_member_name(name) and isinstance(entry, dict)
              and set(entry) == {"size", "sha256"} and type(entry["size"]) is int
              and entry["size"] >= 0 and isinstance(entry["sha256"], str)
              and bool(_SHA256.match(entry["sha256"])))
        if not ok:
            raise err.bad_manifest(f"keterangan bagian '{str(name)[:100]}' tidak sah")
    return members


def _check_sizes(listing: dict[str, dict], max_member: int, max_total: int) -> None:
    for name, entry in listing.items():
        if entry["size"] > max_member:
            raise err.too_large(f"bagian '{name}'", entry["size"], max_member)
    total = sum(entry["size"] for entry in listing.values())
    if total > max_total:
        raise err.too_large("seluruh isi", total, max_total)


def _verify_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: dict) -> None:
    name, size = info.filename, entry["size"]
    if info.file_size != size:
        raise err.bad_member(name, f"ukurannya {err.size_id(info.file_size)} byte, "
                                   f"seharusnya {err.size_id(size)} byte")
    digest, seen = hashlib.sha256(), 0
    try:
        with archive.open(info) as member:
            # Read at most size + 1 bytes: we never inflate more than the manifest promised.
            while seen <= size and (piece := member.read(min(READ_PIECE, size + 1 - seen))):
                digest.update(piece)
                seen += len(piece)
    except ZIP_ERRORS:
        raise err.bad_member(name, "isinya rusak dan tidak dapat dibaca") from None
    if seen != size or digest.hexdigest() != entry["sha256"]:
        raise err.bad_member(name, "sidik SHA-256 atau ukurannya berbeda")
