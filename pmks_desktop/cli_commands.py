"""The `pmks` sub-commands. Each handler opens the database, calls services, prints the result."""
from __future__ import annotations

import getpass
import os
import sys
import time
from pathlib import Path

from pmks_desktop.paths import DataPaths

PASSWORD_ENV = "PMKS_PASSWORD"


class CliError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def open_services(paths: DataPaths):
    from pmks_desktop.services.container import build_services
    from pmks_desktop.storage.database import open_database

    return build_services(open_database(paths))


def read_password(prompt: str, *, from_stdin: bool = False, confirm: bool = False) -> str:
    """Password from stdin (scripts), PMKS_PASSWORD, or an interactive prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise CliError(f"Kata sandi diperlukan: isi variabel {PASSWORD_ENV} atau pakai "
                       "--password-stdin.")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Ulangi kata sandi: ") != first:
        raise CliError("Kedua kata sandi tidak sama.")
    return first


def sign_in(services, username: str) -> None:
    password = read_password(f"Kata sandi {username}: ")
    services.users.authenticate(username, password)


# ------------------------------------------------------------------ users

def cmd_users(args, paths: DataPaths) -> int:
    from pmks_desktop.services.users import NewUser

    services = open_services(paths)
    sign_in(services, args.as_user)
    if args.users_command == "list":
        for u in services.users.list_users():
            flags = ("aktif" if u.active else "nonaktif") + \
                    (", data sensitif" if u.can_view_sensitive else "")
            print(f"{u.username:<20} {u.role:<14} {u.full_name} ({flags})")
    elif args.users_command == "add":
        password = read_password("Kata sandi akun baru: ", from_stdin=args.password_stdin,
                                 confirm=True)
        services.users.create(NewUser(args.username, args.full_name, args.role, password,
                                      args.sensitive))
        print(f"Akun {args.username} ({args.role}) dibuat.")
    else:
        password = read_password("Kata sandi baru: ", from_stdin=args.password_stdin,
                                 confirm=True) if args.reset_password else None
        services.users.update(args.username, role=args.role, active=args.active,
                              can_view_sensitive=args.sensitive, password=password)
        print(f"Akun {args.username} diperbarui.")
    return 0


def _add_users(commands, common) -> None:
    p = commands.add_parser("users", parents=[common], help="kelola akun pengguna")
    p.add_argument("--as", dest="as_user", required=True, metavar="ADMIN",
                   help=f"masuk sebagai administrator ini (kata sandi dari {PASSWORD_ENV} "
                        "atau ditanyakan)")
    sub = p.add_subparsers(dest="users_command", required=True)
    sub.add_parser("list", parents=[common], help="daftar akun")
    add = sub.add_parser("add", parents=[common], help="tambah akun")
    add.add_argument("username")
    add.add_argument("--full-name", required=True)
    add.add_argument("--role", required=True,
                     choices=["administrator", "operator", "verifikator", "pimpinan"])
    add.add_argument("--sensitive", action="store_true", help="boleh melihat data sensitif")
    add.add_argument("--password-stdin", action="store_true")
    upd = sub.add_parser("update", parents=[common],
                         help="ubah peran, status, izin, atau kata sandi")
    upd.add_argument("username")
    upd.add_argument("--role", choices=["administrator", "operator", "verifikator", "pimpinan"])
    upd.add_argument("--active", type=lambda v: v.lower() in ("1", "ya", "yes", "true"),
                     metavar="ya|tidak")
    upd.add_argument("--sensitive", type=lambda v: v.lower() in ("1", "ya", "yes", "true"),
                     metavar="ya|tidak")
    upd.add_argument("--reset-password", action="store_true")
    upd.add_argument("--password-stdin", action="store_true")
    p.set_defaults(handler=cmd_users)


# ------------------------------------------------------------------ demo, audit, selftest

def cmd_demo(args, paths: DataPaths) -> int:
    import random

    from pmks_desktop.services.demo import (DEMO_ADMIN, DEMO_OPERATOR, demo_office, demo_users,
                                            generate_records, load_region_master)
    from pmks_desktop.services.demo_register_data import LABELS
    from pmks_desktop.services.demo_registers import generate_registers, summary_lines

    services = open_services(paths)
    if services.office.is_set_up():
        raise CliError(f"Folder {paths.root} sudah berisi kantor; pakai folder kosong untuk demo.")
    office = demo_office(load_region_master(args.regions_csv), args.kecamatan)
    admin, operator = demo_users()
    services.office.set_up(office.setup, admin)
    services.users.authenticate(*DEMO_ADMIN)
    services.users.create(operator)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"\r  {done:,} / {total:,} orang".replace(",", "."), end="", file=sys.stderr)

    generate_records(services.db, services.catalogue, office, args.persons, seed=args.seed,
                     progress=progress)
    print(file=sys.stderr)

    def register_progress(key: str, done: int, total: int) -> None:
        if done % 25 == 0 or done == total:
            shown = f"{done:,} / {total:,}" if total >= done else f"{done:,}"
            line = f"\r  {LABELS.get(key, key)}: {shown}".replace(",", ".")
            print(line.ljust(40), end="", file=sys.stderr)

    counts = generate_registers(services, random.Random(args.seed),
                                persons_total=args.persons, progress=register_progress)
    print(file=sys.stderr)
    print(f"Data demo dibuat di {paths.root} ({args.persons} orang, "
          f"{time.perf_counter() - started:.1f} detik).")
    print(f"Kecamatan {office.setup.kecamatan_name}, {len(office.setup.desa)} desa.")
    for line in summary_lines(counts):
        print(f"  {line}")
    print(f"Masuk sebagai administrator: {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}")
    print(f"Masuk sebagai operator:      {DEMO_OPERATOR[0]} / {DEMO_OPERATOR[1]}")
    print(f"Buka dengan: pmks-desktop --data-dir {paths.root}")
    return 0


def _add_demo(commands, common) -> None:
    p = commands.add_parser("demo", parents=[common], help="buat kantor demo berisi data contoh")
    p.add_argument("--persons", type=int, default=2000, metavar="N")
    p.add_argument("--regions-csv", type=Path, metavar="CSV",
                   help="berkas kode,nama Kepmendagri; tanpa ini dipakai desa contoh")
    p.add_argument("--kecamatan", default="36.04.05", metavar="KODE")
    p.add_argument("--seed", type=int, default=2024)
    p.set_defaults(handler=cmd_demo)


def cmd_audit_verify(args, paths: DataPaths) -> int:
    from pmks_desktop.services.maintenance import verify_audit_trail

    report = verify_audit_trail(open_services(paths).db)
    print(report.message())
    return 0 if report.ok else 1


def cmd_selftest(args, paths: DataPaths) -> int:
    from pmks_desktop.ui.selftest import run_selftest

    print(run_selftest(paths))
    return 0


def register_commands(commands, common) -> None:
    from pmks_desktop.cli_import import add_import
    from pmks_desktop.cli_letters import add_letters
    from pmks_desktop.cli_recap import add_recap
    from pmks_desktop.cli_setup import add_init
    from pmks_desktop.cli_sync import add_sync

    add_init(commands, common)
    add_import(commands, common)
    add_letters(commands, common)
    add_recap(commands, common)
    add_sync(commands, common)
    _add_users(commands, common)
    _add_demo(commands, common)
    audit = commands.add_parser("audit-verify", parents=[common],
                                help="periksa keutuhan jejak audit")
    audit.set_defaults(handler=cmd_audit_verify)
    selftest = commands.add_parser("selftest", parents=[common],
                                   help="uji cepat: basis data dan jendela utama")
    selftest.set_defaults(handler=cmd_selftest)
