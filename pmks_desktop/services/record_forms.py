"""The declarative files of the identity forms: forms/person.yaml, household.yaml,
pmks_case.yaml. Dialogs take their labels and hints from them; services stamp their version on
every record saved (records keep the form version they were entered with)."""
from __future__ import annotations

from functools import lru_cache

from pmks_desktop.domain.forms import FormSpec, load_form
from pmks_desktop.paths import forms_dir


@lru_cache(maxsize=None)
def record_form(name: str) -> FormSpec:
    """forms/<name>.yaml, read once per run."""
    return load_form(forms_dir() / f"{name}.yaml")
