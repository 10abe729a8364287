"""`pmks-desktop` / `python -m pmks_desktop`: parse arguments, find the data, start the GUI."""
from __future__ import annotations

import argparse
import sys

from pmks_desktop import APP_NAME, __version__


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(prog="pmks-desktop", description=f"{APP_NAME}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="folder data (bawaan: folder data pengguna; atau PMKS_DATA_DIR)")
    parser.add_argument("--selftest", action="store_true",
                        help="uji cepat tanpa jendela, lalu keluar (sama dengan `pmks selftest`)")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pmks_desktop.paths import DataPaths, resolve_data_dir

    paths = DataPaths(resolve_data_dir(args.data_dir))
    if args.selftest:
        from pmks_desktop.ui.selftest import run_selftest

        print(run_selftest(paths))
        return 0
    from pmks_desktop.ui.app import run_gui

    return run_gui(paths)


if __name__ == "__main__":
    sys.exit(main())
