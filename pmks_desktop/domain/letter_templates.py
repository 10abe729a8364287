"""Letter templates: YAML files an office can adjust (resources/letters, or the same file name in
the data folder's `templat-surat/`, which wins). Body text carries named placeholders such as
`{nama}`; every placeholder is checked when the file is loaded, so a typo is reported with the
file, the line it sits in and the names that exist, never printed on a letter.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pmks_desktop.domain.letter_facts import FACTS, FIELD_BLOCKS, TABLES

KINDS = {
    "rekomendasi": "Surat Rekomendasi",
    "keterangan": "Surat Keterangan",
    "rujukan": "Surat Pengantar Rujukan",
    "berita_acara": "Berita Acara Serah Terima Bantuan",
}
LAYOUTS = ("dinas", "keterangan")
SUBJECTS = ("person", "case", "fakir_miskin", "kpm", "kube", "uep", "rtlh", "slrt", "bencana",
            "korban_bencana")


class TemplateError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class InputSpec:
    """A fact the operator types in the letter dialog (addressee, basis, purpose...)."""

    name: str
    label: str
    default: str = ""
    required: bool = False
    kind: str = "text"  # text | date | multiline
    help: str = ""


@dataclass(frozen=True)
class BodyItem:
    kind: str  # paragraph | fields | table
    text: str = ""  # paragraph text
    block: str = ""  # a named block (identitas, kelompok, kejadian...) or table (penerima)
    rows: tuple[tuple[str, str], ...] = ()  # custom fields: (label, value template)


@dataclass(frozen=True)
class SignatureSpec:
    lines: tuple[str, ...]
    name: str
    rank: str = ""
    nip: str = ""


@dataclass(frozen=True)
class LetterTemplate:
    id: str
    version: int
    kind: str
    label: str
    subjects: tuple[str, ...]
    layout: str
    body: tuple[BodyItem, ...]
    klasifikasi: str = ""
    title: str = ""
    sifat: str = "Biasa"
    lampiran: str = "-"
    hal: str = ""
    addressee: tuple[str, ...] = ()
    inputs: tuple[InputSpec, ...] = ()
    closing: str = ""
    tembusan: tuple[str, ...] = ()
    signatures: tuple[SignatureSpec, ...] = ()  # empty: the office signer (Camat)
    source: str = ""  # file it came from, for messages
    texts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def placeholders(text: str) -> list[str]:
    """Names used in `text`; raises ValueError for unbalanced braces."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name]


def _texts(t: LetterTemplate) -> dict[str, str]:
    """Every templated string with where it sits, for checking and messages."""
    out = {"hal": t.hal, "judul": t.title, "penutup": t.closing, "lampiran": t.lampiran}
    out.update({f"tujuan baris {i + 1}": line for i, line in enumerate(t.addressee)})
    out.update({f"tembusan {i + 1}": line for i, line in enumerate(t.tembusan)})
    for i, item in enumerate(t.body):
        out[f"isi bagian {i + 1}"] = item.text
        out.update({f"isi bagian {i + 1} ({label})": value for label, value in item.rows})
    for i, sig in enumerate(t.signatures):
        out[f"tanda tangan {i + 1}"] = " ".join((*sig.lines, sig.name, sig.rank, sig.nip))
    return out


def _check(t: LetterTemplate) -> None:
    known = set(FACTS) | {i.name for i in t.inputs}
    for where, text in _texts(t).items():
        try:
            names = placeholders(text or "")
        except ValueError:
            raise TemplateError(f"Templat {t.source}: kurung kurawal tidak berpasangan di {where}"
                                f" (\"{text}\").") from None
        for name in names:
            if name not in known:
                raise TemplateError(
                    f"Templat {t.source}: penanda {{{name}}} di {where} tidak dikenal. "
                    f"Periksa ejaannya; penanda yang tersedia antara lain: "
                    f"{', '.join(sorted(known)[:40])}.")
    for item in t.body:
        if item.kind == "fields" and item.block and item.block not in FIELD_BLOCKS:
            raise TemplateError(f"Templat {t.source}: blok isian '{item.block}' tidak dikenal "
                                f"(pilihan: {', '.join(FIELD_BLOCKS)}).")
        if item.kind == "table" and item.block not in TABLES:
            raise TemplateError(f"Templat {t.source}: tabel '{item.block}' tidak dikenal "
                                f"(pilihan: {', '.join(TABLES)}).")


def _body(raw: list, source: str) -> tuple[BodyItem, ...]:
    items = []
    for entry in raw or []:
        if not isinstance(entry, dict) or len(entry) != 1:
            raise TemplateError(f"Templat {source}: setiap bagian isi berbentuk 'paragraf: ...', "
                                "'isian: ...' atau 'tabel: ...'.")
        (key, value), = entry.items()
        if key == "paragraf":
            items.append(BodyItem("paragraph", text=str(value)))
        elif key == "isian" and isinstance(value, str):
            items.append(BodyItem("fields", block=value))
        elif key == "isian":
            rows = tuple((str(r[0]), str(r[1])) for r in value)
            items.append(BodyItem("fields", rows=rows))
        elif key == "tabel":
            items.append(BodyItem("table", block=str(value)))
        else:
            raise TemplateError(f"Templat {source}: bagian isi '{key}' tidak dikenal.")
    return tuple(items)


_INPUT_KEYS = {"nama": "name", "label": "label", "bawaan": "default", "wajib": "required",
               "jenis": "kind", "keterangan": "help"}


def _input(raw: dict, source: str) -> InputSpec:
    unknown = set(raw) - set(_INPUT_KEYS)
    if unknown or "nama" not in raw or "label" not in raw:
        raise TemplateError(f"Templat {source}: isian_petugas memerlukan 'nama' dan 'label'"
                            + (f"; kunci '{sorted(unknown)[0]}' tidak dikenal." if unknown
                               else "."))
    values = {_INPUT_KEYS[k]: v for k, v in raw.items()}
    values["default"] = str(values.get("default", "") or "")
    if values.get("kind", "text") not in ("text", "date", "multiline"):
        raise TemplateError(f"Templat {source}: jenis isian '{values['kind']}' tidak dikenal "
                            "(text, date, multiline).")
    return InputSpec(**values)


def _require(raw: dict, key: str, source: str):
    if key not in raw or raw[key] in (None, ""):
        raise TemplateError(f"Templat {source}: '{key}' wajib diisi.")
    return raw[key]


def parse_template(raw: dict, source: str) -> LetterTemplate:
    if not isinstance(raw, dict):
        raise TemplateError(f"Templat {source}: isinya bukan templat surat.")
    kind, layout = _require(raw, "jenis", source), raw.get("tata_letak", "dinas")
    if kind not in KINDS:
        raise TemplateError(f"Templat {source}: jenis '{kind}' tidak dikenal "
                            f"(pilihan: {', '.join(KINDS)}).")
    if layout not in LAYOUTS:
        raise TemplateError(f"Templat {source}: tata_letak harus salah satu dari "
                            f"{', '.join(LAYOUTS)}.")
    subjects = tuple(_require(raw, "dari_data", source))
    if bad := [s for s in subjects if s not in SUBJECTS]:
        raise TemplateError(f"Templat {source}: dari_data '{bad[0]}' tidak dikenal "
                            f"(pilihan: {', '.join(SUBJECTS)}).")
    template = LetterTemplate(
        id=str(_require(raw, "id", source)), version=int(raw.get("versi", 1)), kind=kind,
        label=str(_require(raw, "nama", source)), subjects=subjects, layout=layout,
        body=_body(_require(raw, "isi", source), source),
        klasifikasi=str(raw.get("klasifikasi", "")), title=str(raw.get("judul", "")),
        sifat=str(raw.get("sifat", "Biasa")), lampiran=str(raw.get("lampiran", "-")),
        hal=str(raw.get("hal", "")), addressee=tuple(raw.get("kepada", ())),
        inputs=tuple(_input(i, source) for i in raw.get("isian_petugas", ())),
        closing=str(raw.get("penutup", "")), tembusan=tuple(raw.get("tembusan", ())),
        signatures=tuple(SignatureSpec(tuple(s.get("baris", ())), s.get("nama", ""),
                                       s.get("pangkat", ""), s.get("nip", ""))
                         for s in raw.get("tanda_tangan", ())),
        source=source)
    _check(template)
    return template


def load_template(path: Path) -> LetterTemplate:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TemplateError(f"Templat {path.name} tidak dapat dibaca: {exc}") from exc
    try:
        return parse_template(raw, path.name)
    except (TypeError, ValueError, AttributeError) as exc:
        raise TemplateError(f"Templat {path.name}: susunannya tidak sah ({exc}).") from exc


def load_templates(shipped: Path, override: Path | None = None) -> dict[str, LetterTemplate]:
    """Shipped templates, each replaced by the office's own copy of the same file name."""
    files = {p.name: p for p in sorted(shipped.glob("*.yaml"))}
    if override is not None and override.is_dir():
        files.update({p.name: p for p in sorted(override.glob("*.yaml"))})
    templates = [load_template(p) for p in files.values()]
    return {t.id: t for t in templates}
