"""`pmks enrol` and `pmks bundle`: sync by bundle files, without a window.

    pmks enrol export --out FILE.json --as USER        this PC's enrolment file (office or hub)
    pmks enrol import FILE.json --as USER              at the hub: enrol an office PC
    pmks enrol list                                    enrolled PCs and their fingerprints
    pmks bundle export --out DIR --as USER             office: changes not yet acknowledged
    pmks bundle import FILE... --as USER [--dry-run]   hub: preview, then apply each bundle
    pmks bundle receipts --out DIR --as USER           hub: a receipt for every office PC
    pmks bundle receipt FILE --as USER [--fingerprint "ABCD 1234 ..."]
                                                       office: apply the hub's receipt
"""
from __future__ import annotations

import sys
from pathlib import Path

from pmks_desktop.paths import DataPaths
from pmks_desktop.sync.merge import OUTCOMES


def _progress(done: int, total: int) -> None:
    print(f"\r  bagian {done}/{total}", end="" if done < total else "\n", file=sys.stderr)


def cmd_enrol(args, paths: DataPaths) -> int:
    from pmks_desktop.cli_commands import open_services, sign_in

    services = open_services(paths)
    if args.enrol_command == "list":
        for peer in services.enrolment.peers():
            state = f"dicabut: {peer.revoked_reason}" if peer.revoked_at else "aktif"
            print(f"{peer.office_code:<9} {peer.office_name:<32} {peer.role:<6} "
                  f"{peer.node_id}  {state}")
        return 0
    sign_in(services, args.as_user)
    if args.enrol_command == "export":
        path = services.enrolment.export_file(Path(args.out))
        sign_fp, box_fp = services.enrolment.own().fingerprints
        print(f"Berkas enrolmen disimpan ke {path}.\nSidik kunci tanda tangan: {sign_fp}\n"
              f"Sidik kunci penyandian:   {box_fp}")
    else:
        enrolment = services.enrolment.enrol(Path(args.file))
        sign_fp, box_fp = enrolment.fingerprints
        print(f"{enrolment.office_name} terdaftar.\nCocokkan dengan lembar enrolmen: "
              f"{sign_fp} / {box_fp}")
    return 0


def _print_preview(preview) -> None:
    print(f"{preview.path.name}: {preview.op_count} perubahan dari {preview.office}")
    for table, counts in preview.table_rows():
        shown = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o])
        print(f"  {table:<18} {shown}")
    for gap in preview.gaps:
        print(f"  Perhatian: {gap}")
    for origin, epoch, seq, reason in preview.result.rejected[:20]:
        print(f"  Ditolak: perubahan {seq}: {reason}")


def cmd_bundle(args, paths: DataPaths) -> int:
    from pmks_desktop.cli_commands import open_services, sign_in

    services = open_services(paths)
    sign_in(services, args.as_user)
    command = args.bundle_command
    if command == "export":
        written = services.sync_export.export(Path(args.out), progress=_progress)
        if not written:
            print("Tidak ada perubahan baru yang perlu dikirim.")
        for bundle in written:
            print(f"{bundle.path} ({bundle.op_count} perubahan) ditulis dan diperiksa: aman "
                  "dicabut.")
        return 0
    if command == "receipts":
        for path in services.sync_receipts.write_receipts(Path(args.out)):
            print(f"Tanda terima ditulis: {path}")
        return 0
    if command == "receipt":
        receipt = services.sync_receipts.import_receipt(
            Path(args.file), confirmed_fingerprint=args.fingerprint)
        print(f"Tanda terima dari {receipt['hub']['office_name']} diterapkan.")
        from pmks_desktop.services.link_notices import applied_text

        notices = applied_text(receipt["applied"].get("link_notices"))
        if notices:
            print(notices)
        return 0
    return _import(services, args)


def _import(services, args) -> int:
    from pmks_desktop.services.sync_import import BundleRejected

    failed = 0
    for name in args.files:
        try:
            if args.dry_run:
                _print_preview(services.sync_import.preview(Path(name)))
                continue
            done = services.sync_import.apply(Path(name))
        except BundleRejected as exc:
            failed += 1
            print(f"{Path(name).name} DITOLAK: {exc.message}", file=sys.stderr)
            continue
        if done.already_imported:
            print(f"{Path(name).name}: sudah pernah diimpor; tidak ada yang berubah.")
        else:
            _print_preview(done)
    return 1 if failed else 0


def add_sync(commands, common) -> None:
    from pmks_desktop.cli_letters import _as_user

    enrol = commands.add_parser("enrol", parents=[common], help="enrolmen kantor dan Dinas")
    sub = enrol.add_subparsers(dest="enrol_command", required=True, metavar="PERINTAH")
    sub.add_parser("list", parents=[common], help="komputer yang terdaftar")
    p = sub.add_parser("export", parents=[common], help="simpan berkas enrolmen komputer ini")
    p.add_argument("--out", required=True, metavar="BERKAS.json")
    _as_user(p)
    p = sub.add_parser("import", parents=[common], help="daftarkan komputer kantor (di Dinas)")
    p.add_argument("file", metavar="BERKAS.json")
    _as_user(p)
    enrol.set_defaults(handler=cmd_enrol)
    bundle = commands.add_parser("bundle", parents=[common], help="kiriman data lewat flashdisk")
    sub = bundle.add_subparsers(dest="bundle_command", required=True, metavar="PERINTAH")
    p = sub.add_parser("export", parents=[common], help="tulis perubahan yang belum diakui")
    p.add_argument("--out", required=True, metavar="FOLDER")
    _as_user(p)
    p = sub.add_parser("import", parents=[common], help="impor kiriman kantor (di Dinas)")
    p.add_argument("files", nargs="+", metavar="BERKAS")
    p.add_argument("--dry-run", action="store_true", help="hanya pratinjau")
    _as_user(p)
    p = sub.add_parser("receipts", parents=[common], help="tulis tanda terima untuk kantor")
    p.add_argument("--out", required=True, metavar="FOLDER")
    _as_user(p)
    p = sub.add_parser("receipt", parents=[common], help="terapkan tanda terima Dinas")
    p.add_argument("file", metavar="BERKAS")
    p.add_argument("--fingerprint", metavar="SIDIK", help="sidik kunci Dinas dari lembar "
                   "enrolmen (wajib pada tanda terima pertama)")
    _as_user(p)
    bundle.set_defaults(handler=cmd_bundle)
