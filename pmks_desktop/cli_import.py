"""`pmks import-xlsx`: the same import as the GUI's wizard, without a window.

    pmks import-xlsx FILE --target persons|REGISTER --as USER [--dry-run] [--skip-rejected]
    pmks import-xlsx --target REGISTER --template OUT.xlsx

The columns are mapped by their header names (as the wizard suggests them); the dry run is
printed row by row; the commit is all or nothing. Exit code 0: committed, or a clean dry run;
1: rejected rows block the commit (nothing was written).
"""
from __future__ import annotations

import sys
from pathlib import Path

from pmks_desktop.paths import DataPaths


def _progress(done: int, total: int, text: str = "") -> None:
    print(f"\r  {text or done}", end="" if done < total else "\n", file=sys.stderr)


def _importer(services):
    from pmks_desktop.services.importer import ImportService

    return ImportService(services.db, services.session, services.persons, services.registers,
                         services.forms, services.settings)


def _print_mapping(importer, target: str, headers: list[str], mapping: dict[int, str]) -> None:
    labels = {c.key: c.label for c in importer.columns(target)}
    print(f"Pemetaan kolom ({importer.title(target)}):")
    for index, header in enumerate(headers):
        key = mapping.get(index)
        print(f"  {header:<30} -> {labels[key] if key else '(diabaikan)'}")


def _print_plan(plan) -> None:
    print(f"\n{'Baris':>6}  {'Status':<14} {'Nama / judul':<30} Alasan / catatan")
    for row in plan.rows:
        label = (row.label or "-")[:30]
        print(f"{row.row_number:>6}  {row.status:<14} {label:<30} {row.notes()}".rstrip())
    counts = plan.counts()
    print("\nJumlah: " + ", ".join(f"{n} {status}" for status, n in counts.items()))


def cmd_import_xlsx(args, paths: DataPaths) -> int:
    from pmks_desktop.cli_commands import CliError, open_services, sign_in

    services = open_services(paths)
    importer = _importer(services)
    if args.template:
        saved = importer.template(args.target, args.template)
        print(f"Templat {importer.title(args.target)} disimpan ke {saved}.")
        if args.file is None:
            return 0
    if args.file is None:
        raise CliError("Sebutkan berkas yang akan diimpor (atau --template KELUARAN).")
    if not args.as_user:
        raise CliError("Sebutkan akun yang mengimpor dengan --as PENGGUNA.")
    sign_in(services, args.as_user)
    sheet = importer.read(args.file)
    mapping = importer.suggest_mapping(args.target, sheet.headers)
    _print_mapping(importer, args.target, sheet.headers, mapping)
    plan = importer.plan(args.target, sheet, mapping, _progress, parent_id=args.parent)
    _print_plan(plan)
    if plan.rejected and not args.skip_rejected:
        print(f"{len(plan.rejected)} baris ditolak: tidak ada yang disimpan. Perbaiki berkasnya, "
              "atau ulangi dengan --skip-rejected untuk melewati baris yang ditolak.")
        return 1
    if args.dry_run:
        print("Uji coba saja (--dry-run): tidak ada yang disimpan.")
        return 0
    result = importer.commit(plan, _progress, skip_rejected=args.skip_rejected)
    print(f"Impor selesai: {result.counts['baru']} baru, {result.counts['diperbarui']} "
          f"diperbarui, {result.counts['tidak berubah']} tidak berubah"
          + (f", {result.counts['ditolak']} ditolak dilewati." if result.counts['ditolak']
             else "."))
    return 0


def add_import(commands, common) -> None:
    p = commands.add_parser("import-xlsx", parents=[common],
                            help="impor data orang atau register dari Excel (.xlsx) atau CSV")
    p.add_argument("file", nargs="?", type=Path, metavar="BERKAS")
    p.add_argument("--target", required=True, metavar="persons|REGISTER",
                   help="'persons' untuk data orang, atau id register (mis. kube, kpm)")
    p.add_argument("--as", dest="as_user", metavar="PENGGUNA",
                   help="masuk sebagai akun ini (kata sandi dari PMKS_PASSWORD atau ditanyakan)")
    p.add_argument("--dry-run", action="store_true",
                   help="hanya uji coba: tampilkan hasil per baris, jangan simpan")
    p.add_argument("--skip-rejected", action="store_true",
                   help="simpan baris yang lolos walau ada baris yang ditolak")
    p.add_argument("--template", type=Path, metavar="KELUARAN",
                   help="simpan templat .xlsx untuk tujuan ini")
    p.add_argument("--parent", metavar="ID",
                   help="id data induk, untuk register anak (mis. korban suatu bencana)")
    p.set_defaults(handler=cmd_import_xlsx)
