"""Person names: a comparison key and a similarity score for duplicate hints, and tidying.

The same person is typed differently by different offices: "Moh. Rizky" on the KTP, "Muhamad
Rizki" from the desa list, "H. Moch. Rizki, S.Pd." on a proposal. name_key() removes what does
not identify the person (titles, degrees, punctuation) and folds the spelling variants that
Indonesian names are known for (Muhammad forms, pre-1972 spelling like Djoko/Tjahjo/Soekarno).
A similarity score only *suggests* a duplicate; an operator decides.
"""
from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# Chosen on sample pairs: spelling variants fold to one key ("Muhamad Rizki" / "Moh. Rizky"
# score 1.0) and one-letter typos score about 0.9 ("Siti Aminah" / "Siti Aminha" 0.91), while
# different people sharing a common first name stay below: "Ahmad Fauzi" / "Ahmad Fauzan" 0.87,
# "Siti Aminah" / "Siti Nurhaliza" 0.64.
SIMILAR_NAME_THRESHOLD = 0.88

# Honorifics and religious or noble titles written before a name (compared without dots).
_PREFIX_TITLES = frozenset({
    "h", "hj", "haji", "hajah", "hajjah", "kh", "kyai", "kiai", "ust", "ustad", "ustadz",
    "ustadzah", "ustazah", "drs", "dra", "dr", "ir", "prof", "bpk", "bapak", "ibu", "sdr",
    "sdri", "sdra", "tn", "ny", "nn", "alm", "almh", "almarhum", "almarhumah",
})
# Academic degrees written after a name, usually after a comma (compared without dots/spaces).
_DEGREES = frozenset({
    "spd", "spdi", "sag", "se", "sh", "shi", "ssos", "sip", "skom", "st", "si", "ssi", "skm",
    "skep", "sked", "sfarm", "sp", "spt", "sthi", "sei", "sikom", "shum", "ssn", "ssy", "ak",
    "mpd", "mpdi", "msi", "mm", "mh", "mag", "mkes", "mkom", "mt", "msc", "ma", "mba", "phd",
    "amd", "amdkeb", "amdkep", "amk", "ama", "ampd", "bsc", "ba", "drs", "dra", "dr", "ir",
    "lc", "ners", "ns", "apt", "mars", "ssit", "str",
})
# Whole-token spelling variants -> the form used in keys.
_TOKEN_VARIANTS = {
    **dict.fromkeys(
        ("m", "md", "mhd", "moh", "mohd", "moch", "much", "muh", "muhd", "muhamad", "muhammad",
         "mohamad", "mohammad", "mochamad", "mochammad", "mohamed", "muchamad", "muchammad",
         "muhamat", "muhammat"),
        "muhammad",
    ),
    **dict.fromkeys(("abd", "abdul", "abdoel"), "abdul"),
    **dict.fromkeys(("siti", "sitti", "st"), "siti"),
    **dict.fromkeys(("nur", "noor", "nour", "noer"), "nur"),
    **dict.fromkeys(("ahmad", "achmad", "akhmad", "ahmat", "achmat", "amad"), "ahmad"),
    **dict.fromkeys(("tb", "tubagus"), "tubagus"),
}
# Pre-1972 spelling still found on older KTP. In it "j" was the sound now written "y"
# (Tjahjo = Cahyo, Soejono = Suyono), but "j" is also a modern letter (Joko), so j -> y is
# applied only to a token that shows an unambiguous old-spelling marker. Inner "nj" is not one:
# modern Anjani and Panji have it.
_OLD_MARKERS = re.compile(r"dj|tj|oe|^nj|^sj")
_OLD_SPELLING = (("dj", "\0"), ("tj", "c"), ("oe", "u"), ("nj", "ny"), ("sj", "sy"), ("j", "y"),
                 ("\0", "j"))
_LOWERCASE_PARTICLES = frozenset({"bin", "binti", "bt", "binte"})


def name_key(name: str) -> str:
    """`H. Moch. Rizky, S.Pd.` -> `muhammad rizki`: what duplicate search compares."""
    head, *tails = _fold(name).split(",")
    # Keep comma-separated parts that are not degrees ("Aminah, Siti" stays a name).
    kept = [head] + [t for t in tails if _compact(t) not in _DEGREES]
    tokens = []
    for raw in " ".join(kept).split():
        # Before the comma a degree counts only when written with dots ("S.Pd"): bare "Ama"
        # or "Mars" may be real names.
        if "." in raw and _compact(raw) in _DEGREES:
            continue
        for part in re.split(r"[^a-z]+", raw):
            if part and part not in _PREFIX_TITLES:
                tokens.append(_canonical(part))
    return " ".join(tokens)


def name_similarity(a: str, b: str) -> float:
    """0..1 similarity of two names, ignoring word order, titles and spelling variants."""
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return 0.0
    # "Siti Aminah binti Ahmad" is often recorded without the father's name: when only one
    # side carries "bin/binti ...", compare what comes before it as well.
    base_a, base_b = _without_patronymic(key_a), _without_patronymic(key_b)
    pairs = {(key_a, key_b)}
    if (base_a == key_a) != (base_b == key_b):
        pairs.add((base_a, base_b))
    # token_sort is order-blind but still counts every word, so a shared "Siti" alone does
    # not make two people alike (token_set_ratio would score "Siti" vs "Siti Aminah" as 1.0).
    return max(fuzz.token_sort_ratio(x, y) for x, y in pairs) / 100.0


def is_similar_name(a: str, b: str) -> bool:
    return name_similarity(a, b) >= SIMILAR_NAME_THRESHOLD


def title_case_name(s: str) -> str:
    """`  siti   AMINAH ` -> `Siti Aminah`; `bin`/`binti` stay lower case, `S.Pd` is kept."""
    words = []
    for word in (s or "").split():
        if word.lower() in _LOWERCASE_PARTICLES:
            words.append(word.lower())
        elif word.islower() or word.isupper():
            words.append(_capitalize_parts(word.lower()))
        else:
            words.append(word)  # mixed case was typed on purpose: "S.Pd", "McDonald"
    return " ".join(words)


def _without_patronymic(key: str) -> str:
    words = key.split()
    for index, word in enumerate(words):
        if index and word in _LOWERCASE_PARTICLES:
            return " ".join(words[:index])
    return key


def _fold(name: str) -> str:
    """Lower case, accents removed (é -> e), apostrophes dropped (Ma'ruf -> maruf)."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"['`\u2018\u2019]", "", text)


def _compact(token: str) -> str:
    return re.sub(r"[^a-z]", "", token)


def _canonical(token: str) -> str:
    if token in _TOKEN_VARIANTS:
        return _TOKEN_VARIANTS[token]
    if _OLD_MARKERS.search(token):
        for old, new in _OLD_SPELLING:
            token = token.replace(old, new)
    token = _TOKEN_VARIANTS.get(token, token)
    # Final -y after a consonant is the same sound as -i: Rizky/Rizki, Hendry/Hendri.
    if len(token) > 2 and token.endswith("y") and token[-2] not in "aeiou":
        token = token[:-1] + "i"
    return token


def _capitalize_parts(word: str) -> str:
    # Capitalise after a hyphen or dot too (Nur-Aini, Hj.), but not after an apostrophe (Ma'ruf).
    return re.sub(r"(^|[-.])([a-z])", lambda m: m.group(1) + m.group(2).upper(), word)
