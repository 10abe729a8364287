"""The columns of an import target, the mapping of a file's headers onto them, the template.

A target is "persons" or a register id. Its columns are the person's fields, or the form's
fields plus, for registers linked to a person, the person columns (NIK first: a person is found
by NIK) and, for registers linked only to a family, the No. KK that finds the family.
"""
from __future__ import annotations

from dataclasses import dataclass

from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.services.import_reading import normalise_header

PERSONS = "persons"
PERSONS_TITLE = "Data Orang (penduduk)"
SKIPPED_FIELD_TYPES = ("person", "household", "photos", "items")

_FIELD_KINDS = {"integer": "number", "decimal": "number", "money": "number", "date": "date",
                "choice": "choice", "multichoice": "multichoice", "bool": "bool", "nik": "nik",
                "kk": "kk", "desa": "desa", "phone": "phone"}

# (attribute, label, kind, aliases, note)
PERSON_COLUMNS = (
    ("nik", "NIK", "nik", ("no nik", "nomor nik", "nomor induk kependudukan", "nik ktp"),
     "16 angka, tanpa spasi. Format kolom sebagai Teks agar Excel tidak mengubahnya menjadi "
     "3,60405E+15."),
    ("name", "Nama", "text", ("nama lengkap", "nama penduduk", "nama sesuai ktp"),
     "Nama lengkap sesuai KTP/KK."),
    ("sex", "Jenis Kelamin (L/P)", "sex", ("jenis kelamin", "jk", "l p", "kelamin"),
     "L (laki-laki) atau P (perempuan)."),
    ("birth_place", "Tempat Lahir", "text", ("tempat lahir", "tmp lahir"), ""),
    ("birth_date", "Tanggal Lahir", "date", ("tanggal lahir", "tgl lahir", "tgl lhr"),
     "Tanggal: 27-07-1980, 1980-07-27, atau sel tanggal Excel."),
    ("no_kk", "No. KK", "kk", ("no kk", "nomor kk", "kk", "nomor kartu keluarga",
                               "no kartu keluarga"),
     "16 angka Kartu Keluarga. Format kolom sebagai Teks."),
    ("desa_code", "Desa", "desa", ("desa kelurahan", "kelurahan", "desa kel", "kode desa"),
     "Nama desa/kelurahan di kecamatan ini (atau kodenya, mis. 36.04.05.2001)."),
    ("address", "Alamat", "text", ("alamat lengkap", "kampung", "dusun"), ""),
    ("rt", "RT", "text", (), "1-3 angka, mis. 003."),
    ("rw", "RW", "text", (), "1-3 angka, mis. 001."),
    ("phone", "Telepon", "phone", ("no hp", "hp", "no telepon", "nomor hp", "telepon hp"),
     "Diawali 0 atau +62. Format kolom sebagai Teks agar angka 0 di depan tidak hilang."),
    ("notes", "Catatan", "text", ("keterangan",), ""),
)
PERSON_REQUIRED = ("name", "sex", "desa_code")
REGISTER_PERSON_COLUMNS = ("nik", "name", "sex", "birth_place", "birth_date", "no_kk",
                           "desa_code", "address", "rt", "rw")


@dataclass(frozen=True)
class ImportColumn:
    key: str  # "nik" (persons), "person.nik", "kk", "members", or a form field name
    label: str
    kind: str  # text nik kk phone date number choice multichoice bool desa sex members
    required: bool = False
    note: str = ""
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def issue_field(self) -> str:
        """The field name the services use in their Issues for this column."""
        if self.key.startswith("person."):
            return self.key[len("person."):]
        return "no_kk" if self.key == "kk" else self.key


# ------------------------------------------------------------------ columns

def person_columns(prefix: str = "", only: tuple[str, ...] | None = None,
                   nik_required: bool = False) -> list[ImportColumn]:
    out = []
    for attr, label, kind, aliases, note in PERSON_COLUMNS:
        if only is not None and attr not in only:
            continue
        key = "kk" if prefix and attr == "no_kk" else prefix + attr
        required = attr in PERSON_REQUIRED if not prefix else (attr == "nik" and nik_required)
        if prefix and attr in PERSON_REQUIRED:
            note = (note + " Wajib bila orangnya belum terdaftar.").strip()
        choices = ("L", "P") if kind == "sex" else ()
        out.append(ImportColumn(key, label, kind, required, note, choices, aliases))
    return out


def _field_note(spec) -> str:
    parts = [spec.help.strip()] if spec.help else []
    if spec.type in ("integer", "money", "decimal"):
        bounds = [f"paling sedikit {spec.min:g}" if spec.min is not None else "",
                  f"paling banyak {spec.max:g}" if spec.max is not None else ""]
        parts.append("Angka" + "".join(f", {b}" for b in bounds if b) + ".")
    if spec.type == "multichoice":
        parts.append("Boleh lebih dari satu, pisahkan dengan koma.")
    if spec.type == "bool":
        parts.append("Ya atau Tidak.")
    if spec.type == "date":
        parts.append("Tanggal: 27-07-2024, 2024-07-27, atau sel tanggal Excel.")
    if spec.allow_other:
        parts.append("Boleh diisi selain pilihan yang ada.")
    return " ".join(p for p in parts if p)


def register_columns(form: FormSpec) -> list[ImportColumn]:
    out: list[ImportColumn] = []
    if form.person_field:
        nik_required = form.field(form.person_field).required
        out += person_columns("person.", REGISTER_PERSON_COLUMNS, nik_required)
    if form.household_field and not form.person_field:
        spec = form.field(form.household_field)
        out.append(ImportColumn("kk", "No. KK", "kk", spec.required,
                                "No. KK keluarga yang sudah terdaftar (menu Keluarga). Format "
                                "kolom sebagai Teks.", (), ("no kk", "nomor kk", "kk")))
    taken = {normalise_header(c.label) for c in out}
    for spec in form.fields:
        if spec.type in SKIPPED_FIELD_TYPES:
            continue
        label = spec.label
        if normalise_header(label) in taken:  # "Desa" of the person and "Desa" of the entry
            label = f"{label} ({form.short_title})"
        taken.add(normalise_header(label))
        out.append(ImportColumn(spec.name, label, _FIELD_KINDS.get(spec.type, "text"),
                                spec.required, _field_note(spec),
                                tuple(c.label for c in spec.choices),
                                (normalise_header(spec.name.replace("_", " ")),)))
    if form.members:
        roles = ", ".join(r.label for r in form.members.roles)
        out.append(ImportColumn(
            "members", f"NIK {form.members.label}", "members", False,
            "NIK anggota yang sudah terdaftar, dipisah koma; peran boleh ditulis dalam kurung, "
            f"mis. 3604051205800001 (Ketua). Peran: {roles}. Kosong: anggota tidak diubah.",
            (), ("anggota", "nik anggota", "daftar anggota")))
    return out


def columns_for(target: str, forms: dict[str, FormSpec]) -> list[ImportColumn]:
    return person_columns() if target == PERSONS else register_columns(forms[target])


def suggest_mapping(columns: list[ImportColumn], headers: list[str]) -> dict[int, str]:
    """Header index -> column key, by normalised label, key or alias; each key used once."""
    names: dict[str, str] = {}
    for column in columns:  # labels first, so an alias never takes another column's label
        names.setdefault(normalise_header(column.label), column.key)
        names.setdefault(normalise_header(column.key.split(".")[-1]), column.key)
    for column in columns:
        for alias in column.aliases:
            names.setdefault(normalise_header(alias), column.key)
    mapping, used = {}, set()
    for index, header in enumerate(headers):
        key = names.get(normalise_header(header))
        if key and key not in used:
            mapping[index] = key
            used.add(key)
    return mapping


def match_keys(target: str, form: FormSpec | None) -> list[tuple[str, ...]]:
    """Column keys of which one must be mapped so rows can be matched or created."""
    if form is None:
        return [("nik", "name")]
    if form.person_field and form.field(form.person_field).required:
        return [("person.nik",)]
    if form.household_field and not form.person_field and \
            form.field(form.household_field).required:
        return [("kk",)]
    needs = [(form.title_field,)] if form.field(form.title_field).type not in \
        SKIPPED_FIELD_TYPES else []
    return needs + ([(form.desa_field,)] if form.desa_field and
                    form.field(form.desa_field).required else [])


def mapping_problems(target: str, form: FormSpec | None, columns: list[ImportColumn],
                     mapping: dict[int, str]) -> list[str]:
    """What makes a dry run pointless: nothing mapped, a column twice, no way to match rows.

    Other required columns may stay unmapped (a file that only updates statuses); rows that
    then lack a required value are rejected one by one, with the form's message.
    """
    labels = {c.key: c.label for c in columns}
    keys = [k for k in mapping.values() if k]
    if not keys:
        return ["Tidak ada kolom berkas yang cocok dengan kolom data. Periksa judul kolom pada "
                "baris pertama, atau unduh templat untuk melihat susunannya."]
    problems = []
    unknown = sorted({k for k in keys if k not in labels})
    if unknown:
        problems.append(f"Kolom tujuan tidak dikenal: {', '.join(unknown)}.")
    twice = sorted({labels.get(k, k) for k in keys if keys.count(k) > 1})
    if twice:
        problems.append(f"Kolom {', '.join(twice)} dipetakan lebih dari sekali.")
    for group in match_keys(target, form):
        if not set(group) & set(keys):
            names = " atau ".join(labels.get(k, k) for k in group)
            problems.append(f"Kolom {names} wajib dipetakan: baris dicocokkan dengan data yang "
                            "sudah ada melalui kolom itu.")
    return problems


# ------------------------------------------------------------------ template

_KIND_HINTS = {"nik": "Teks 16 angka", "kk": "Teks 16 angka", "date": "Tanggal",
               "number": "Angka", "bool": "Ya / Tidak", "sex": "L / P", "desa": "Nama desa",
               "members": "Daftar NIK", "multichoice": "Pilihan (boleh beberapa)",
               "choice": "Pilihan", "text": "Teks", "phone": "Teks (nomor telepon)"}
# Excel must keep these as typed ('@'): NIK would become 3,60405E+15, RT 003 would become 3.
_TEXT_KINDS = ("nik", "kk", "members", "text", "phone")
_GENERAL_NOTES = (
    "Isi data mulai baris 2 pada lembar 'Data'; baris 1 (judul kolom) jangan diubah.",
    "Kolom bertanda * wajib diisi untuk data baru.",
    "Baris yang NIK-nya sudah terdaftar akan memperbarui data itu. Sel yang dikosongkan tidak "
    "menghapus isi yang sudah tersimpan.",
    "NIK dan No. KK harus berupa Teks (kolomnya sudah diformat Teks). Bila Excel menampilkan "
    "3,60405E+15, angka aslinya sudah hilang: ketik ulang dari kartu aslinya.",
    "Tanggal boleh ditulis 27-07-2024, 2024-07-27, atau sebagai sel tanggal Excel.",
    "Sebelum disimpan, aplikasi menampilkan uji coba: setiap baris diberi status baru, "
    "diperbarui, tidak berubah, atau ditolak beserta alasannya. Tidak ada yang disimpan "
    "sebelum Anda menyetujuinya.",
)


def template_header(column: ImportColumn) -> str:
    return f"{column.label} *" if column.required else column.label


def write_template(path, title: str, columns: list[ImportColumn]) -> None:
    """An .xlsx with the expected header row and a 'Petunjuk' sheet explaining each column."""
    from openpyxl import Workbook  # heavy: only when a template is asked for

    book = Workbook()
    _data_sheet(book.active, columns)
    _guide_sheet(book.create_sheet("Petunjuk"), title, columns)
    book.save(str(path))


def _data_sheet(sheet, columns: list[ImportColumn]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.title = "Data"
    sheet.append([template_header(c) for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FCE4B6" if column.required else "DDE6F0")
        sheet.column_dimensions[letter].width = max(12, min(40, len(cell.value) + 4))
        if column.kind in _TEXT_KINDS:
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, 1002):  # Excel applies a column's style only to new cells
                sheet.cell(row=row, column=index).number_format = "@"
        if column.kind == "date":
            sheet.column_dimensions[letter].number_format = "DD-MM-YYYY"
        choices = ",".join(column.choices)
        if column.kind in ("choice", "sex") and choices and len(choices) < 250 and \
                '"' not in choices:
            rule = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True,
                                  showErrorMessage=False)
            rule.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def _guide_sheet(sheet, title: str, columns: list[ImportColumn]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append([f"Petunjuk pengisian templat impor: {title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    for note in _GENERAL_NOTES:
        sheet.append([f"• {note}"])
    sheet.append([])
    sheet.append(["Kolom", "Wajib", "Jenis isian", "Keterangan dan pilihan"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for column in columns:
        note = column.note
        if column.choices:
            note = (note + " Pilihan: " + "; ".join(column.choices) + ".").strip()
        sheet.append([column.label, "Ya" if column.required else "", _KIND_HINTS[column.kind],
                      note])
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (32, 8, 20, 90)):
        sheet.column_dimensions[letter].width = width
