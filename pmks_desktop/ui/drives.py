"""Where a bundle file can go: removable drives (flashdisks) first, then the Documents folder.

No Qt here, so the Linux part is a pure function over the text of /proc/mounts and can be tested
anywhere. On Linux a flashdisk is mounted under /media/<user>/, /run/media/<user>/ or /mnt/; on
Windows it is a drive letter whose type is DRIVE_REMOVABLE.
"""
from __future__ import annotations

import getpass
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

DRIVE_REMOVABLE = 2
_OCTAL = re.compile(r"\\([0-7]{3})")


@dataclass(frozen=True)
class Drive:
    path: Path
    label: str
    free: int | None  # bytes; None when the size could not be read
    removable: bool

    @property
    def text(self) -> str:
        """What the drive list shows: "KINGSTON (/media/budi/KINGSTON) — 7,2 GB kosong"."""
        room = f" — {size_text(self.free)} kosong" if self.free is not None else ""
        return f"{self.label} ({self.path}){room}"


def size_text(size: int) -> str:
    """Bytes as people read them, with an Indonesian decimal comma."""
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            break
        value /= 1024
    shown = f"{value:.0f}" if unit == "B" or value >= 100 else f"{value:.1f}"
    return f"{shown.replace('.', ',')} {unit}"


def _unescape(field: str) -> str:
    """/proc/mounts writes a space as \\040 (and tab, newline, backslash likewise)."""
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field)


def linux_mount_points(mounts_text: str, user: str) -> list[Path]:
    """Mount points that look like removable media for `user`, in /proc/mounts order."""
    roots = (f"/media/{user}/", f"/run/media/{user}/", "/mnt/")
    found: list[Path] = []
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        point = _unescape(fields[1])
        # Only the level a desktop mounts a stick at: /mnt/usb, not /mnt/data/some/bind.
        if any(point.startswith(root) and point[len(root):] and "/" not in point[len(root):]
               for root in roots) and Path(point) not in found:
            found.append(Path(point))
    return found


def _windows_removable() -> list[Path]:
    import ctypes  # only on Windows: windll does not exist elsewhere

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel.GetLogicalDrives()
    letters = [chr(ord("A") + i) for i in range(26) if mask & (1 << i)]
    return [Path(f"{letter}:\\") for letter in letters
            if kernel.GetDriveTypeW(f"{letter}:\\") == DRIVE_REMOVABLE]


def _windows_label(path: Path) -> str:
    import ctypes

    name = ctypes.create_unicode_buffer(261)
    ok = ctypes.windll.kernel32.GetVolumeInformationW(  # type: ignore[attr-defined]
        str(path), name, 261, None, None, None, None, 0)
    letter = str(path)[:2]
    return f"{name.value} ({letter})" if ok and name.value else f"Flashdisk {letter}"


def documents_folder(home: Path | None = None) -> Path:
    home = home or Path.home()
    documents = home / "Documents"
    return documents if documents.is_dir() else home


def free_space(path: Path, usage: Callable = shutil.disk_usage) -> int | None:
    try:
        return usage(path).free
    except OSError:
        return None


def removable_drives(*, platform: str | None = None, mounts_text: str | None = None,
                     user: str | None = None, usage: Callable = shutil.disk_usage) -> list[Drive]:
    """The removable drives plugged in now (none when they cannot be listed)."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        try:
            return [Drive(p, _windows_label(p), free_space(p, usage), True)
                    for p in _windows_removable()]
        except (OSError, AttributeError):
            return []
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
    user = user or os.environ.get("USER") or getpass.getuser()
    return [Drive(p, p.name, free_space(p, usage), True)
            for p in linux_mount_points(mounts_text, user)]


def candidate_folders(*, platform: str | None = None, mounts_text: str | None = None,
                      user: str | None = None, home: Path | None = None,
                      usage: Callable = shutil.disk_usage) -> list[Drive]:
    """Removable drives first, then the Documents folder of this computer."""
    drives = removable_drives(platform=platform, mounts_text=mounts_text, user=user,
                              usage=usage)
    documents = documents_folder(home)
    here = Drive(documents, "Folder Dokumen komputer ini", free_space(documents, usage), False)
    return drives + [here]
