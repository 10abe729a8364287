"""The placeholders a letter template may use, the standard field blocks, and filling them in.

The services compute the values (services/letter_facts.py) from the record a letter starts from;
this module only names them, so templates can be checked without a database.
"""
from __future__ import annotations

import string
from xml.sax.saxutils import escape

# name: what it holds (shown when a template names an unknown placeholder)
OFFICE_FACTS = {
    "provinsi": "nama provinsi", "kabupaten": "nama kabupaten/kota (mis. Serang)",
    "kecamatan": "nama kecamatan", "tempat": "tempat penandatanganan surat",
    "penandatangan": "nama penandatangan", "jabatan_penandatangan": "mis. CAMAT KRAMATWATU",
    "pangkat_penandatangan": "pangkat/golongan", "nip_penandatangan": "NIP penandatangan",
    "tksk": "nama TKSK kecamatan",
}
LETTER_FACTS = {
    "nomor": "nomor surat", "tanggal_surat": "27 Juli 2024",
    "hari_tanggal_terbilang": "hari Sabtu tanggal dua puluh tujuh bulan Juli tahun dua ribu "
                              "dua puluh empat",
}
PERSON_FACTS = {
    "nama": "nama lengkap", "nik": "NIK", "no_kk": "nomor KK", "tempat_lahir": "tempat lahir",
    "tanggal_lahir": "tanggal lahir", "ttl": "tempat, tanggal lahir", "umur": "umur (tahun)",
    "jenis_kelamin": "Laki-laki/Perempuan", "alamat": "alamat dengan RT/RW", "desa": "desa",
}
CASE_FACTS = {
    "jenis_pmks": "jenis PMKS", "kode_pmks": "kode jenis PMKS",
    "tanggal_terdaftar": "tanggal terdaftar", "status_pmks": "status penanganan",
}
GROUP_FACTS = {
    "program": "KUBE atau UEP", "nama_kelompok": "nama kelompok", "jenis_usaha": "jenis usaha",
    "lokasi_usaha": "alamat usaha", "tahun": "tahun anggaran", "ketua": "nama ketua",
    "jumlah_anggota": "jumlah anggota", "nilai_bantuan": "nilai bantuan (Rp)",
    "nilai_bantuan_terbilang": "nilai bantuan dengan huruf", "rekening": "bank dan nomor rekening",
    "barang_bantuan": "daftar barang bantuan",
}
HOUSE_FACTS = {
    "luas_lantai": "luas lantai (m²)", "jumlah_penghuni": "jumlah penghuni",
    "hasil_verifikasi": "layak / tidak layak", "tanggal_verifikasi": "tanggal verifikasi",
    "alasan_verifikasi": "alasan hasil verifikasi",
}
SLRT_FACTS = {
    "keluhan": "keluhan/permasalahan", "tujuan_rujukan": "lembaga tujuan rujukan",
    "tanggal_rujukan": "tanggal rujukan", "rekomendasi_layanan": "layanan yang direkomendasikan",
}
EVENT_FACTS = {
    "nama_kejadian": "nama kejadian bencana", "jenis_bencana": "jenis bencana",
    "tanggal_kejadian": "tanggal kejadian", "lokasi_kejadian": "lokasi",
    "kk_terdampak": "KK terdampak", "jiwa_terdampak": "jiwa terdampak",
    "jumlah_penerima": "jumlah penerima bantuan", "status_korban": "status korban",
}
FACTS = {**OFFICE_FACTS, **LETTER_FACTS, **PERSON_FACTS, **CASE_FACTS, **GROUP_FACTS,
         **HOUSE_FACTS, **SLRT_FACTS, **EVENT_FACTS}

# Standard identity blocks: label and value template, printed "Label : value".
FIELD_BLOCKS = {
    "identitas": (("Nama", "{nama}"), ("NIK", "{nik}"), ("No. KK", "{no_kk}"),
                  ("Tempat/Tgl. Lahir", "{ttl}"), ("Jenis Kelamin", "{jenis_kelamin}"),
                  ("Alamat", "{alamat}"), ("Desa/Kelurahan", "{desa}"),
                  ("Kecamatan", "{kecamatan}")),
    "kelompok": (("Nama Kelompok", "{nama_kelompok}"), ("Program", "{program}"),
                 ("Jenis Usaha", "{jenis_usaha}"), ("Lokasi Usaha", "{lokasi_usaha}"),
                 ("Desa/Kelurahan", "{desa}"), ("Ketua", "{ketua}"),
                 ("Jumlah Anggota", "{jumlah_anggota} orang"), ("Tahun", "{tahun}"),
                 ("Rekening Kelompok", "{rekening}")),
    "kejadian": (("Kejadian", "{nama_kejadian}"), ("Jenis Bencana", "{jenis_bencana}"),
                 ("Tanggal Kejadian", "{tanggal_kejadian}"), ("Lokasi", "{lokasi_kejadian}"),
                 ("Desa/Kelurahan", "{desa}"), ("KK Terdampak", "{kk_terdampak}"),
                 ("Jiwa Terdampak", "{jiwa_terdampak}")),
    "rumah": (("Luas Lantai", "{luas_lantai}"), ("Jumlah Penghuni", "{jumlah_penghuni}"),
              ("Hasil Verifikasi", "{hasil_verifikasi}"),
              ("Tanggal Verifikasi", "{tanggal_verifikasi}")),
}
# Lists a Berita Acara can carry: the services build the rows.
TABLES = ("penerima",)

MISSING = "-"


class MissingFact(Exception):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class _Values(dict):
    def __missing__(self, key):
        raise MissingFact(key)


def fill(text: str, values: dict[str, str], *, markup: bool = False) -> str:
    """Fills `{name}` placeholders. With `markup` the result goes into a reportlab Paragraph:
    values are escaped (a name with "&" or "<" prints as typed), the template's own <b> stays."""
    if not text:
        return ""
    shown = {k: (escape(v) if markup else v) for k, v in values.items()}
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(text):
        # A literal "&" in an office's template would break the PDF markup; <b> is kept.
        parts.append(literal.replace("&", "&amp;") if markup else literal)
        if name:
            value = _Values(shown)[name]
            parts.append(format(value, spec) if spec else value)
    return "".join(parts)
