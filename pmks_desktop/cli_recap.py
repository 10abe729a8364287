"""`pmks recap`: the recap sheets without a window, the same service as the GUI.

    pmks recap pmks     [--bulan 2024-07] [--only-with-data]         --out F --as USER
    pmks recap bidang   --bidang rehsos [--bulan 2024-07]            --out F --as USER
    pmks recap program  --program kube|uep|kpm|rtlh [--bulan ...]    --out F --as USER
    pmks recap bencana  --event ID                                   --out F --as USER
    pmks recap bulanan  [--bulan 2024-07]                            --out F --as USER
      common: [--format pdf|xlsx] [--paper A4|F4] [--tksk NAMA]

The format follows --format, else the file's suffix. `pmks recap bencana` without --event lists
the events. The period defaults to the current month. Exit code 0 when the file is written.
"""
from __future__ import annotations

from pathlib import Path

from pmks_desktop.paths import DataPaths

KINDS = ("pmks", "bidang", "program", "bencana", "bulanan")


def _period(text: str | None):
    from pmks_desktop.services.recap_queries import Period

    return Period.parse(text) if text else None


def _sheet(recaps, args):
    from pmks_desktop.cli_commands import CliError

    period, tksk = _period(args.bulan), args.tksk
    if args.kind == "pmks":
        return recaps.main_recap(period, only_with_data=args.only_with_data, tksk=tksk)
    if args.kind == "bidang":
        if not args.bidang:
            raise CliError("Sebutkan bidangnya dengan --bidang (fakir_miskin, rehsos, "
                           "linjamsos, dayasos).")
        return recaps.bidang_recap(args.bidang, period, only_with_data=args.only_with_data,
                                   tksk=tksk)
    if args.kind == "program":
        if not args.program:
            raise CliError("Sebutkan programnya dengan --program (kube, uep, kpm, rtlh).")
        return recaps.program_recap(args.program, period, tksk=tksk)
    if args.kind == "bencana":
        if not args.event:
            raise CliError(_event_list(recaps))
        return recaps.disaster_recap(args.event, tksk=tksk)
    return recaps.monthly_report(period, tksk=tksk)


def _event_list(recaps) -> str:
    events = recaps.events()
    if not events:
        return "Belum ada kejadian bencana yang tercatat."
    lines = [f"  {e.id}  {e.day or '-'}  {e.title}" for e in events]
    return "Sebutkan kejadiannya dengan --event ID. Kejadian yang tercatat:\n" + "\n".join(lines)


def cmd_recap(args, paths: DataPaths) -> int:
    from pmks_desktop.cli_commands import open_services, sign_in

    services = open_services(paths)
    sign_in(services, args.as_user)
    sheet = _sheet(services.recaps, args)
    fmt = args.format or (args.out.suffix.lstrip(".").lower() or "pdf")
    written = services.recaps.write(sheet, args.out, fmt, args.paper)
    print(f"{sheet.title}")
    print(f"Disimpan ke {written} ({fmt.upper()}, sidik data {sheet.data_hash}).")
    return 0


def add_recap(commands, common) -> None:
    p = commands.add_parser("recap", parents=[common],
                            help="cetak rekapitulasi (PDF) atau ekspor ke Excel (.xlsx)")
    p.add_argument("kind", choices=KINDS, metavar="JENIS",
                   help="pmks, bidang, program, bencana, atau bulanan")
    p.add_argument("--bulan", metavar="YYYY-MM", help="periode; bawaan: bulan ini")
    p.add_argument("--bidang", metavar="KODE", help="fakir_miskin, rehsos, linjamsos, dayasos")
    p.add_argument("--program", choices=["kube", "uep", "kpm", "rtlh"])
    p.add_argument("--event", metavar="ID", help="id kejadian bencana (rekap bencana)")
    p.add_argument("--format", choices=["pdf", "xlsx"],
                   help="bawaan: menurut akhiran berkas --out")
    p.add_argument("--paper", choices=["A4", "F4"], default="A4")
    p.add_argument("--only-with-data", action="store_true",
                   help="hanya kolom jenis PMKS yang berisi data")
    p.add_argument("--tksk", metavar="NAMA",
                   help="nama TKSK penanda tangan; bawaan: TKSK di daftar PSKS")
    p.add_argument("--out", required=True, type=Path, metavar="BERKAS")
    p.add_argument("--as", dest="as_user", required=True, metavar="PENGGUNA",
                   help="masuk sebagai akun ini (kata sandi dari PMKS_PASSWORD atau ditanyakan)")
    p.set_defaults(handler=cmd_recap)
