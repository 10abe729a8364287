"""`pmks init`: the office set-up of the first-start wizard, without the GUI."""
from __future__ import annotations

from pathlib import Path

from pmks_desktop.cli_commands import CliError, open_services, read_password
from pmks_desktop.paths import DataPaths


def _names_from_master(args, master) -> dict:
    """Province, kabupaten, kecamatan names and the desa list, looked up by the region code."""
    from pmks_desktop.domain.regions import normalize_region_code

    code = normalize_region_code(args.region)
    parts = code.split(".")
    if args.mode == "kecamatan" and len(parts) != 3:
        raise CliError("Untuk mode kecamatan, --region berupa kode kecamatan, mis. 36.04.05.")
    if args.mode == "kabupaten" and len(parts) != 2:
        raise CliError("Untuk mode kabupaten, --region berupa kode kabupaten, mis. 36.04.")
    found = {c: master.get(c) for c in (parts[0], ".".join(parts[:2]), code)}
    missing = [c for c, r in found.items() if r is None]
    if missing:
        raise CliError(f"Kode wilayah {', '.join(missing)} tidak ada di berkas wilayah.")
    values = {"province_code": parts[0], "province_name": found[parts[0]].name,
              "kabupaten_code": ".".join(parts[:2]),
              "kabupaten_name": found[".".join(parts[:2])].name,
              "known_kabupaten": sorted(master.kabupaten_codes())}
    if args.mode == "kecamatan":
        values.update(kecamatan_code=code, kecamatan_name=found[code].name,
                      desa=[(d.code, d.name) for d in master.desa_of(code)])
    else:
        from pmks_desktop.domain.regions import kabupaten_areas

        values["kecamatan"], values["desa"] = kabupaten_areas(master, code)
    return values


def _names_from_options(args) -> dict:
    code = args.region.strip()
    parts = code.split(".")
    desa = []
    for item in args.desa or []:
        desa_code, _, desa_name = item.partition("=")
        desa.append((desa_code.strip(), desa_name.strip()))
    return {"province_code": parts[0], "province_name": args.province_name or "",
            "kabupaten_code": ".".join(parts[:2]), "kabupaten_name": args.kabupaten_name or "",
            "kecamatan_code": code if args.mode == "kecamatan" else "",
            "kecamatan_name": args.kecamatan_name or "", "desa": desa}


def _letter_defaults(mode: str, region: dict) -> tuple[str, str]:
    """Place and signer title as the wizard proposes them: "Kramatwatu", "Camat Kramatwatu"."""
    if mode == "kecamatan":
        place = (region.get("kecamatan_name") or "").title()
        return place, f"Camat {place}" if place else ""
    kabupaten = (region.get("kabupaten_name") or "").title()
    place = kabupaten.removeprefix("Kabupaten ").removeprefix("Kota ")
    return place, f"Kepala Dinas Sosial {kabupaten}" if kabupaten else ""


def cmd_init(args, paths: DataPaths) -> int:
    from pmks_desktop.domain.regions import load_region_csv
    from pmks_desktop.services.office import OfficeSetup
    from pmks_desktop.services.users import NewUser

    services = open_services(paths)
    if services.office.is_set_up():
        raise CliError(f"Kantor di {paths.root} sudah diatur.")
    region = _names_from_master(args, load_region_csv(args.regions_csv)) \
        if args.regions_csv else _names_from_options(args)
    place, title = _letter_defaults(args.mode, region)
    setup = OfficeSetup(mode=args.mode, address=args.address, phone=args.phone,
                        postcode=args.postcode, email=args.email,
                        place_name=args.place or place, signer_name=args.signer_name,
                        signer_nip=args.signer_nip, signer_rank=args.signer_rank,
                        signer_title=args.signer_title or title,
                        emblem_path=str(args.emblem) if args.emblem else "", **region)
    password = read_password("Kata sandi administrator: ", from_stdin=args.password_stdin,
                             confirm=True)
    services.office.set_up(setup, NewUser(args.admin_user, args.admin_name, "administrator",
                                          password))
    where = setup.kecamatan_name if args.mode == "kecamatan" else setup.kabupaten_name
    print(f"Kantor {where} siap ({len(setup.desa)} desa). Administrator: {args.admin_user}.")
    return 0


def add_init(commands, common) -> None:
    p = commands.add_parser("init", parents=[common], help="pengaturan awal kantor tanpa jendela")
    p.add_argument("--mode", choices=["kecamatan", "kabupaten"], default="kecamatan")
    p.add_argument("--region", required=True, metavar="KODE",
                   help="kode kecamatan (36.04.05) atau kabupaten (36.04)")
    p.add_argument("--regions-csv", type=Path, metavar="CSV",
                   help="berkas kode,nama Kepmendagri: nama wilayah dan desa diambil dari sini")
    p.add_argument("--province-name")
    p.add_argument("--kabupaten-name")
    p.add_argument("--kecamatan-name")
    p.add_argument("--desa", action="append", metavar="KODE=NAMA",
                   help="desa, bila tanpa --regions-csv (boleh diulang)")
    for option in ("address", "phone", "postcode", "email", "signer-name", "signer-nip",
                   "signer-rank", "signer-title"):
        p.add_argument(f"--{option}", default="")
    p.add_argument("--place", help="nama tempat di surat, mis. Kramatwatu")
    p.add_argument("--emblem", type=Path, help="gambar lambang (PNG/JPEG)")
    p.add_argument("--admin-user", default="admin")
    p.add_argument("--admin-name", default="Administrator")
    p.add_argument("--password-stdin", action="store_true",
                   help="baca kata sandi administrator dari stdin")
    p.set_defaults(handler=cmd_init)
