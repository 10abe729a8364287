"""`pmks letter`, `pmks verify-letter`, `pmks keys`: letters without a window.

    pmks letter templates [--data JENIS]
    pmks letter issue TEMPLAT --data JENIS --id ID --as USER --out FILE.pdf
                      [--input nama=nilai ...] [--date YYYY-MM-DD] [--paper A4|F4] [--an]
                      [--preview]
    pmks letter batch TEMPLAT --data kube|uep|rtlh|slrt|bencana --year TAHUN --as USER --out FILE
    pmks letter list --year TAHUN --as USER
    pmks letter reprint NOMOR --reason ALASAN --as USER --out FILE.pdf
    pmks letter void NOMOR --reason ALASAN --as USER
    pmks letter export --year TAHUN --as USER --out FILE.xlsx
    pmks verify-letter KODE [--nik NIK --nama NAMA]
    pmks keys list | export-public --out FILE | import-public FILE | rotate   (--as USER)
"""
from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from pmks_desktop.paths import DataPaths


def _write(path: str, data: bytes) -> Path:
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


def _inputs(pairs: list[str]) -> dict[str, str]:
    from pmks_desktop.cli_commands import CliError

    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise CliError(f"Isian '{pair}' harus berbentuk nama=nilai.")
        name, value = pair.split("=", 1)
        out[name.strip()] = value
    return out


def _progress(done: int, total: int) -> None:
    print(f"\r  {done}/{total} surat", end="" if done < total else "\n", file=sys.stderr)


def _letter_by_number(services, number: str):
    from pmks_desktop.cli_commands import CliError

    for year in services.letter_register.years():
        for letter in services.letter_register.letters(year):
            if letter.number == number:
                return letter
    raise CliError(f"Surat nomor {number} tidak ada di buku agenda.")


def cmd_letter(args, paths: DataPaths) -> int:
    from pmks_desktop.cli_commands import open_services, sign_in

    services = open_services(paths)
    if args.letter_command == "templates":
        for t in services.letters.templates().values():
            if not args.data or args.data in t.subjects:
                print(f"{t.id:<26} {t.label}  (dari: {', '.join(t.subjects)})")
        return 0
    sign_in(services, args.as_user)
    return _LETTER_COMMANDS[args.letter_command](services, args)


def _issue(services, args) -> int:
    from pmks_desktop.services.letters import LetterRequest

    req = LetterRequest(args.template, args.data, args.id, _inputs(args.input),
                        date.fromisoformat(args.date) if args.date else date.today(),
                        args.paper or "", args.an)
    if args.preview:
        print(f"Draf disimpan ke {_write(args.out, services.letters.preview(req))}.")
        return 0
    issued = services.letters.issue(req)
    saved = _write(args.out, issued.pdf)
    print(f"Surat nomor {issued.number} diterbitkan; PDF disimpan ke {saved}.")
    return 0


def _batch(services, args) -> int:
    from pmks_desktop.cli_commands import CliError
    from pmks_desktop.services.letters import LetterRequest

    subjects = services.letters.batch_subjects(args.data, args.year)
    if not subjects:
        raise CliError(f"Tidak ada data {args.data} tahun {args.year} untuk dicetak.")
    inputs = _inputs(args.input)
    reqs = [LetterRequest(args.template, args.data, sid, inputs) for sid, _title in subjects]
    pdf = services.letters.issue_batch(reqs, progress=_progress)
    print(f"{len(reqs)} surat diterbitkan; PDF disimpan ke {_write(args.out, pdf)}.")
    return 0


def _list(services, args) -> int:
    for r in services.letter_register.letters(args.year):
        flag = f"BATAL: {r.status_reason}" if r.status == "batal" else f"dicetak {r.print_count}x"
        print(f"{r.serial:>5} {r.number:<32} {r.letter_date:%d-%m-%Y} {r.kind_label[:34]:<34} "
              f"{r.subject_name[:30]:<30} {flag}")
    return 0


def _reprint(services, args) -> int:
    letter = _letter_by_number(services, args.number)
    pdf = services.letter_register.reprint(letter.id, args.reason)
    print(f"Surat {letter.number} dicetak ulang; PDF disimpan ke {_write(args.out, pdf)}.")
    return 0


def _void(services, args) -> int:
    letter = _letter_by_number(services, args.number)
    services.letter_register.void(letter.id, args.reason)
    print(f"Surat {letter.number} dibatalkan: {args.reason}")
    return 0


def _export(services, args) -> int:
    path = services.letter_register.export(args.year, Path(args.out))
    print(f"Buku agenda {args.year} diekspor ke {path}.")
    return 0


_LETTER_COMMANDS = {"issue": _issue, "batch": _batch, "list": _list, "reprint": _reprint,
                    "void": _void, "export": _export}


def cmd_verify_letter(args, paths: DataPaths) -> int:
    from pmks_desktop.cli_commands import open_services

    services = open_services(paths)
    result = services.letter_register.verify(args.code, args.nik or "", args.nama or "")
    print(result.message)
    if result.subject_matches is not None:
        print("NIK dan nama COCOK dengan surat." if result.subject_matches
              else "NIK dan nama TIDAK COCOK dengan surat ini.")
    if result.on_register is False:
        print("Perhatian: surat ini tercatat BATAL di buku agenda.")
    return 0 if result.valid and result.subject_matches is not False \
        and result.on_register is not False else 1


def _escrow_passphrase() -> str:
    """Its own variable (never PMKS_PASSWORD: the escrow phrase must differ from any login)."""
    import getpass

    from pmks_desktop.cli_commands import CliError

    if os.environ.get("PMKS_ESCROW_PASSPHRASE"):
        return os.environ["PMKS_ESCROW_PASSPHRASE"]
    if not sys.stdin.isatty():
        raise CliError("Frasa sandi kunci cadangan diperlukan: isi PMKS_ESCROW_PASSPHRASE.")
    first = getpass.getpass("Frasa sandi kunci cadangan: ")
    if getpass.getpass("Ulangi frasa sandi: ") != first:
        raise CliError("Kedua frasa sandi tidak sama.")
    return first


def cmd_keys(args, paths: DataPaths) -> int:
    from pmks_desktop.cli_commands import open_services, sign_in
    from pmks_desktop.sync.keys import grouped

    services = open_services(paths)
    if args.keys_command == "list":
        for key in services.keyring.own_keys():
            state = "diganti" if key.retired_at else "aktif"
            print(f"{key.purpose:<5} {grouped(key.key_id)}  {state}")
        return 0
    sign_in(services, args.as_user)
    if args.keys_command == "escrow":
        from pmks_desktop.services.escrow import create_escrow

        phrase = _escrow_passphrase()
        key_id = create_escrow(services.db, services.session, services.office, Path(args.out),
                               phrase)
        print(f"Kunci cadangan {grouped(key_id)} disimpan ke {args.out}. Simpan berkas itu di "
              "luar komputer ini (mis. flashdisk di lemari besi) dan hapus salinannya di sini.")
    elif args.keys_command == "rotate" and args.purpose == "box":
        from pmks_desktop.services.keyring import rotate_box_key

        new_id = rotate_box_key(services.db, services.session)
        print(f"Kunci penyandian baru: {grouped(new_id)}. Kiriman atau tanda terima berikutnya "
              "membawanya; kunci lama disimpan untuk membuka kiriman yang masih di jalan.")
    elif args.keys_command == "rotate":
        from pmks_desktop.services.keyring import rotate_signing_key

        new_id = rotate_signing_key(services.db, services.session)
        print(f"Kunci tanda tangan baru: {grouped(new_id)}. Kiriman berikutnya ke Dinas Sosial "
              "membawa pengumumannya (ditandatangani kunci lama); surat lama tetap sah.")
    elif args.keys_command == "export-public":
        print(f"Kunci publik disimpan ke {services.key_exchange.export_public(Path(args.out))}.")
    else:
        for fingerprint in services.key_exchange.import_public(Path(args.file)):
            print(f"Kunci dipercaya: {fingerprint}")
    return 0


# ------------------------------------------------------------------ argument parsers

def _as_user(p) -> None:
    p.add_argument("--as", dest="as_user", required=True, metavar="PENGGUNA",
                   help="masuk sebagai akun ini (kata sandi dari PMKS_PASSWORD atau ditanyakan)")


def _letter_parsers(sub, common) -> None:
    p = sub.add_parser("templates", parents=[common], help="daftar templat surat")
    p.add_argument("--data", metavar="JENIS", help="hanya templat untuk data ini")
    for name, help_text in (("issue", "terbitkan satu surat (nomor dari buku agenda)"),
                            ("batch", "terbitkan surat untuk semua data satu tahun")):
        p = sub.add_parser(name, parents=[common], help=help_text)
        p.add_argument("template", metavar="TEMPLAT")
        p.add_argument("--data", required=True, metavar="JENIS",
                       help="person, case, kube, uep, rtlh, slrt, bencana, korban_bencana")
        if name == "issue":
            p.add_argument("--id", required=True, metavar="ID", help="id data asal surat")
            p.add_argument("--date", metavar="YYYY-MM-DD", help="tanggal surat (bawaan: hari ini)")
            p.add_argument("--paper", choices=("A4", "F4"))
            p.add_argument("--an", action="store_true", help="ditandatangani a.n. Camat")
            p.add_argument("--preview", action="store_true", help="hanya draf, tanpa nomor")
        else:
            p.add_argument("--year", type=int, required=True, metavar="TAHUN")
        p.add_argument("--input", action="append", metavar="NAMA=NILAI",
                       help="isian petugas, mis. --input tujuan='Direktur RSUD'")
        p.add_argument("--out", required=True, metavar="BERKAS.pdf")
        _as_user(p)
    p = sub.add_parser("list", parents=[common], help="buku agenda surat keluar")
    p.add_argument("--year", type=int, default=date.today().year, metavar="TAHUN")
    _as_user(p)
    for name, help_text in (("reprint", "cetak ulang surat (alasan dicatat)"),
                            ("void", "batalkan surat (alasan dicatat)")):
        p = sub.add_parser(name, parents=[common], help=help_text)
        p.add_argument("number", metavar="NOMOR")
        p.add_argument("--reason", required=True, metavar="ALASAN")
        if name == "reprint":
            p.add_argument("--out", required=True, metavar="BERKAS.pdf")
        _as_user(p)
    p = sub.add_parser("export", parents=[common], help="ekspor buku agenda ke .xlsx")
    p.add_argument("--year", type=int, default=date.today().year, metavar="TAHUN")
    p.add_argument("--out", required=True, metavar="BERKAS.xlsx")
    _as_user(p)


def add_letters(commands, common) -> None:
    letter = commands.add_parser("letter", parents=[common], help="surat: terbitkan, daftar, "
                                 "cetak ulang, batalkan, ekspor buku agenda")
    _letter_parsers(letter.add_subparsers(dest="letter_command", required=True,
                                          metavar="PERINTAH"), common)
    letter.set_defaults(handler=cmd_letter)
    verify = commands.add_parser("verify-letter", parents=[common],
                                 help="periksa keaslian surat dari kode QR-nya")
    verify.add_argument("code", metavar="KODE")
    verify.add_argument("--nik", help="NIK di surat, untuk dicocokkan")
    verify.add_argument("--nama", help="nama di surat, untuk dicocokkan")
    verify.set_defaults(handler=cmd_verify_letter)
    keys = commands.add_parser("keys", parents=[common], help="kunci tanda tangan kantor")
    sub = keys.add_subparsers(dest="keys_command", required=True, metavar="PERINTAH")
    sub.add_parser("list", parents=[common], help="sidik kunci kantor ini")
    p = sub.add_parser("export-public", parents=[common], help="simpan kunci publik ke berkas")
    p.add_argument("--out", required=True, metavar="BERKAS.json")
    _as_user(p)
    p = sub.add_parser("escrow", parents=[common],
                       help="Dinas: buat kunci cadangan luring (semua kiriman juga untuknya)")
    p.add_argument("--out", required=True, metavar="BERKAS.json")
    _as_user(p)
    p = sub.add_parser("rotate", parents=[common], help="ganti kunci kantor")
    p.add_argument("--purpose", choices=("sign", "box"), default="sign",
                   help="sign: kunci tanda tangan (bawaan); box: kunci penyandian")
    _as_user(p)
    p = sub.add_parser("import-public", parents=[common],
                       help="percayai kunci publik kantor lain (untuk memeriksa suratnya)")
    p.add_argument("file", metavar="BERKAS.json")
    _as_user(p)
    keys.set_defaults(handler=cmd_keys)
