"""Name keys, similarity for duplicate hints, and tidying typed names."""
from __future__ import annotations

import pytest

from pmks_desktop.domain.names import (
    SIMILAR_NAME_THRESHOLD,
    is_similar_name,
    name_key,
    name_similarity,
    title_case_name,
)


@pytest.mark.parametrize(
    "name,key",
    [
        ("  Siti   AMINAH ", "siti aminah"),
        ("Muhamad Rizki", "muhammad rizki"),
        ("Moh. Rizky", "muhammad rizki"),
        ("M. Rizki", "muhammad rizki"),
        ("Mohammad Rizki", "muhammad rizki"),
        ("Muh. Rizki", "muhammad rizki"),
        ("H. Moch. Rizky, S.Pd., M.Pd.", "muhammad rizki"),
        ("Hj. Sitti Aminah", "siti aminah"),
        ("Drs. Abd. Rahman", "abdul rahman"),
        ("Noor Aini", "nur aini"),
        ("Djoko Soesanto", "joko susanto"),
        ("Tjahjo Kumolo", "cahyo kumolo"),
        ("Soejono", "suyono"),
        ("Anjani", "anjani"),  # modern "nj" is not old spelling
        ("Tb. Achmad Chatib", "tubagus ahmad chatib"),
        ("Ma'ruf Amin", "maruf amin"),
        ("Ahmad Fauzi S.Pd", "ahmad fauzi"),
        ("Ama Rahayu", "ama rahayu"),  # a bare "Ama" is a name, not the degree A.Ma
        ("Aminah, Siti", "aminah siti"),
        ("H.", ""),
    ],
)
def test_name_key(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize(
    "a,b",
    [
        ("Muhamad Rizki", "Moh. Rizky"),
        ("Siti Aminah", "SITTI AMINAH"),
        ("Siti Aminah", "Aminah Siti"),
        ("Siti Aminah", "Siti Aminha"),  # one-letter typo
        ("Hj. Siti Aminah", "Siti Aminah binti Ahmad"),
        ("Djoko Soesanto", "Joko Susanto"),
    ],
)
def test_similar(a, b):
    assert name_similarity(a, b) >= SIMILAR_NAME_THRESHOLD
    assert is_similar_name(a, b)


@pytest.mark.parametrize(
    "a,b",
    [
        ("Siti Aminah", "Siti Nurhaliza"),
        ("Ahmad Fauzi", "Ahmad Fauzan"),
        ("Siti", "Siti Aminah"),
        ("Siti Aminah binti Ahmad", "Siti Aminah binti Umar"),
        ("Rina", "Rini"),
        ("Ujang", "Asep"),
    ],
)
def test_not_similar(a, b):
    assert name_similarity(a, b) < SIMILAR_NAME_THRESHOLD
    assert not is_similar_name(a, b)


def test_similarity_bounds():
    assert name_similarity("Siti Aminah", "siti aminah") == 1.0
    assert name_similarity("", "Siti") == 0.0
    assert name_similarity("H.", "Hj.") == 0.0
    assert 0.0 <= name_similarity("Budi", "Wati") <= 1.0


@pytest.mark.parametrize(
    "typed,tidy",
    [
        ("  siti   AMINAH ", "Siti Aminah"),
        ("AHMAD BIN SULAIMAN", "Ahmad bin Sulaiman"),
        ("siti binti umar", "Siti binti Umar"),
        ("ma'ruf amin", "Ma'ruf Amin"),
        ("nur-aini", "Nur-Aini"),
        ("HJ. SITI AMINAH, S.PD.", "Hj. Siti Aminah, S.Pd."),
        ("Ahmad Fauzi, S.Pd", "Ahmad Fauzi, S.Pd"),
        ("", ""),
    ],
)
def test_title_case_name(typed, tidy):
    assert title_case_name(typed) == tidy
