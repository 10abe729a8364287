"""The one error type of the bundle format, and the Indonesian sentences it carries.

A bundle that fails a check is quarantined with a reason a person must be able to act on, so
every failure carries a short English `code` (for logs, tests and the quarantine table) and a
`message` in Bahasa Indonesia that names the problem and says what to do next. The sentences
live here, in one place, so they read alike and can be reviewed together.
"""
from __future__ import annotations

RECOPY = "Salin ulang berkas dari komputer pengirim."
DO_NOT_IMPORT = "Jangan impor berkas ini dan laporkan ke Dinas Sosial."
RE_EXPORT = "Minta pengirim membuat ekspor ulang."


class BundleError(Exception):
    """A bundle file is not whole, not ours, not authentic or not well formed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"BundleError({self.code!r}, {self.message!r})"


def size_id(n: int) -> str:
    """`1.234.567`: Indonesian thousands separator (kept local: no babel import for one format)."""
    return f"{n:,}".replace(",", ".")


def truncated(actual: int, expected: int | None = None) -> BundleError:
    if expected is None:
        return BundleError("length", f"Berkas ini terpotong: panjangnya hanya {size_id(actual)} "
                                     f"byte dan bagian kepalanya belum lengkap. {RECOPY}")
    return BundleError("length", f"Berkas ini terpotong: panjangnya {size_id(actual)} byte, "
                                 f"seharusnya {size_id(expected)} byte. {RECOPY}")


def too_long(actual: int, expected: int) -> BundleError:
    return BundleError("length", f"Berkas ini lebih panjang dari seharusnya: {size_id(actual)} "
                                 f"byte, seharusnya {size_id(expected)} byte. Ada data lain yang "
                                 f"tercampur di akhir berkas. {RECOPY}")


def not_a_bundle() -> BundleError:
    return BundleError("magic", "Berkas ini bukan bundel PMKS: tanda pengenal di awal berkas "
                                "tidak dikenali. Pilih berkas .pmksb yang dibuat aplikasi PMKS.")


def newer_format(version: str) -> BundleError:
    return BundleError("format", f"Bundel ini memakai format versi {version}, sedangkan aplikasi "
                                 f"ini hanya mengenal format versi 1. Perbarui aplikasi PMKS, "
                                 f"lalu impor ulang berkas ini.")


def bad_header(detail: str) -> BundleError:
    return BundleError("header", f"Kepala bundel rusak: {detail}. {RECOPY}")


def bad_signature(detail: str) -> BundleError:
    return BundleError("signature", f"Tanda tangan digital bundel {detail}. Berkas ini mungkin "
                                    f"telah diubah atau tidak berasal dari pengirim yang "
                                    f"tercantum. {DO_NOT_IMPORT}")


def unknown_sender(sender_office: str, grouped_key_id: str) -> BundleError:
    return BundleError("unknown_sender", f"Pengirim bundel (kantor {sender_office}, kunci "
                                         f"{grouped_key_id}) belum terdaftar di komputer ini atau "
                                         f"kuncinya sudah dicabut. Daftarkan kunci kantor "
                                         f"tersebut lebih dahulu. {DO_NOT_IMPORT}")


def not_for_us(key_ids: list[str]) -> BundleError:
    listed = ", ".join(key_ids) or "-"
    return BundleError("not_for_us", f"Bundel ini ditujukan untuk komputer lain (kunci penerima: "
                                     f"{listed}), bukan untuk komputer ini. Periksa apakah "
                                     f"flashdisk atau berkasnya tertukar.")


def bad_hash() -> BundleError:
    return BundleError("hash", f"Isi terenkripsi bundel tidak cocok dengan sidik SHA-256 di "
                              f"kepalanya: berkas rusak di flashdisk atau telah diubah. {RECOPY}")


def cannot_decrypt(detail: str) -> BundleError:
    return BundleError("decrypt", f"Isi bundel tidak dapat dibuka: {detail}. {RE_EXPORT}")


def bad_manifest(detail: str) -> BundleError:
    return BundleError("manifest", f"Daftar isi (manifest) bundel tidak sah: {detail}. "
                                   f"{RE_EXPORT}")


def bad_member(name: str, detail: str) -> BundleError:
    return BundleError("member_hash", f"Bagian '{name}' di dalam bundel tidak sesuai dengan "
                                      f"daftar isinya: {detail}. {RE_EXPORT}")


def too_large(what: str, size: int, limit: int) -> BundleError:
    return BundleError("too_large", f"Bundel terlalu besar: {what} {size_id(size)} byte, "
                                    f"melebihi batas {size_id(limit)} byte. Bagi ekspor menjadi "
                                    f"beberapa bundel yang lebih kecil.")


def write_failed(folder: str, detail: str) -> BundleError:
    return BundleError("write", f"Bundel gagal ditulis ke {folder}: {detail}. Berkas yang tidak "
                                f"utuh sudah dihapus. Jangan cabut flashdisk selama penyalinan; "
                                f"pastikan ruang kosongnya cukup, lalu ulangi ekspor.")
