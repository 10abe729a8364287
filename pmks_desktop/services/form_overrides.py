"""Form and catalogue files the Dinas Sosial distributes: the kabupaten's copies live in the
data folder's `formulir/` (registers/*.yaml and pmks_catalogue.yaml) and replace the shipped
ones of the same name, provided they load and a form's version is not older than the one it
replaces. A broken or older copy is ignored, so a bad file can never stop the program; the
hub's files are checked the same way before an office saves them.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from pmks_desktop.domain.catalogue import Catalogue, catalogue_from_dict, load_catalogue
from pmks_desktop.domain.errors import CatalogueError
from pmks_desktop.domain.forms import FormSpec, form_from_dict, load_form, load_forms
from pmks_desktop.paths import forms_dir

FOLDER = "formulir"
CATALOGUE_FILE = "pmks_catalogue.yaml"
REGISTERS = "registers"
_FORM_NAME = re.compile(r"^registers/[a-z0-9_]{1,40}\.yaml$")


def effective_catalogue(root: Path) -> Catalogue:
    shipped = load_catalogue(forms_dir() / CATALOGUE_FILE)
    override = root / FOLDER / CATALOGUE_FILE
    if not override.exists():
        return shipped
    try:
        return load_catalogue(override)
    except CatalogueError:
        return shipped


def effective_forms(root: Path) -> dict[str, FormSpec]:
    forms = load_forms(forms_dir() / REGISTERS)
    folder = root / FOLDER / REGISTERS
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        try:
            spec = load_form(path)
        except CatalogueError:
            continue
        current = forms.get(spec.id)
        if current is None or spec.version >= current.version:
            if not spec.parent or spec.parent in forms:
                forms[spec.id] = spec
    return forms


def reference_files(root: Path) -> dict[str, str]:
    """The hub's own form and catalogue files, by their path inside `formulir/`."""
    folder = root / FOLDER
    files = {}
    if (folder / CATALOGUE_FILE).exists():
        files[CATALOGUE_FILE] = (folder / CATALOGUE_FILE).read_text(encoding="utf-8")
    for path in sorted((folder / REGISTERS).glob("*.yaml")) if (folder / REGISTERS).is_dir() \
            else ():
        files[f"{REGISTERS}/{path.name}"] = path.read_text(encoding="utf-8")
    return files


def _problem(name: str, text: str, forms: dict[str, FormSpec]) -> str | None:
    try:
        raw = yaml.safe_load(text)
        if name == CATALOGUE_FILE:
            catalogue_from_dict(raw)
            return None
        if not _FORM_NAME.match(name):
            return "nama berkas tidak sah"
        spec = form_from_dict(raw, Path(name).stem)
    except (CatalogueError, yaml.YAMLError) as exc:
        return getattr(exc, "message", str(exc))
    current = forms.get(spec.id)
    if spec.id != Path(name).stem:
        return "id formulir berbeda dengan nama berkas"
    if current is not None and spec.version < current.version:
        return f"versi {spec.version} lebih lama dari versi yang dipakai ({current.version})"
    return None


def save_reference_files(root: Path, files: dict[str, str]) -> dict:
    """Saves each file that checks out; they take effect when the program is opened again."""
    forms = effective_forms(root)
    saved, refused = [], {}
    for name, text in files.items():
        problem = _problem(name, text, forms)
        if problem:
            refused[name] = problem
            continue
        target = root / FOLDER / name
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".partial")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        saved.append(name)
    return {"saved": saved, "refused": refused}
