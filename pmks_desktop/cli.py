"""`pmks`: headless jobs over the same services as the GUI.

    pmks [--data-dir DIR] init ...       set up the office without the GUI
    pmks users list|add|update ...       manage accounts (signs in as an administrator)
    pmks demo [--persons N]              a set-up demo office with generated records
    pmks letter issue|batch|list|...     letters and the buku agenda surat keluar
    pmks verify-letter KODE              check a letter's QR verification code offline
    pmks keys list|export-public|...     this office's signing keys, other offices' public keys
    pmks recap KIND --format pdf|xlsx    recap sheets
    pmks audit-verify                    check the audit trail's hash chain
    pmks selftest                        open, check, build the main window offscreen; print OK
"""
from __future__ import annotations

import argparse
import sys

from pmks_desktop import __version__
from pmks_desktop.paths import DataPaths, resolve_data_dir


def _data_dir_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--data-dir", default=argparse.SUPPRESS, metavar="DIR",
                        help="folder data (bawaan: folder data pengguna; atau PMKS_DATA_DIR)")
    return parent


def build_parser() -> argparse.ArgumentParser:
    from pmks_desktop.cli_commands import register_commands

    common = _data_dir_parent()
    parser = argparse.ArgumentParser(prog="pmks", parents=[common],
                                     description="PMKS Desktop: pekerjaan tanpa jendela.")
    parser.add_argument("--version", action="version", version=f"PMKS Desktop {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH")
    register_commands(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    from pmks_desktop.cli_commands import CliError
    from pmks_desktop.services.errors import ServiceError
    from pmks_desktop.storage.errors import DatabaseError

    args = build_parser().parse_args(argv)
    paths = DataPaths(resolve_data_dir(getattr(args, "data_dir", None)))
    try:
        return args.handler(args, paths) or 0
    except (CliError, ServiceError, DatabaseError) as exc:
        print(f"Gagal: {exc.message}", file=sys.stderr)
        if getattr(exc, "detail", ""):
            print(f"Rincian: {exc.detail}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Dibatalkan.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
