"""Bundle file format: round trips, recipients, and every way a file on a stick can go wrong."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from datetime import datetime, timezone
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmks_desktop.sync import bundle, bundle_crypto, bundle_payload, keys
from pmks_desktop.sync.bundle import BundleError, Recipient
from pmks_desktop.sync.bundle_header import HEADER_MAX, MAGIC, canonical_json, payload_offset

OFFICE = "36.04.05"
CREATED = datetime(2026, 11, 28, 8, 30, tzinfo=timezone.utc)
BUNDLE_ID = "1a2b3c4d-0000-4000-8000-00000000abcd"


@cache
def key(name: str) -> keys.NewKeyPair:
    return keys.generate("sign" if name == "office" else "box")


def recipients() -> list[Recipient]:
    return [Recipient(key("hub").key_id, key("hub").public),
            Recipient(key("escrow").key_id, key("escrow").public)]


def hub_keys() -> dict[str, bytes]:
    return {key("hub").key_id: key("hub").private}


def ops_jsonl(count: int, width: int = 400) -> bytes:
    # Random hex does not compress much, so the payload spans several 64 KiB chunks.
    return b"".join(json.dumps({"seq": i + 1, "data": os.urandom(width // 2).hex()}).encode()
                    + b"\n" for i in range(count))


def fields(**changes) -> dict:
    base = {"format": 1, "bundle_id": BUNDLE_ID, "kind": "changes", "schema": "0005",
            "created_at": "2026-11-28T08:30:00Z", "sender_node": "node-a",
            "sender_office": OFFICE, "sender_key_id": key("office").key_id, "to_node": "hub",
            "ranges": (("node-a", "e0", 1, 300),), "op_count": 300, "part": 1, "parts": 1,
            "extra": {"person": 300}}
    return {**base, **changes}


def build(members: dict[str, bytes] | None = None, **changes) -> tuple[bundle.BundleHeader, bytes]:
    args = {"kind": "changes", "schema": "0005", "sender_node": "node-a",
            "sender_office": OFFICE, "sign_key_id": key("office").key_id,
            "sign_seed": key("office").private, "recipients": recipients(),
            "members": members or {"ops.jsonl": ops_jsonl(300), "receipt.json": b"{}"},
            "to_node": "hub", "ranges": [("node-a", "e0", 1, 300)], "op_count": 300,
            "extra": {"person": 300}, "bundle_id": BUNDLE_ID, "created_at": CREATED}
    return bundle.build_bundle(**{**args, **changes})


@cache
def sample() -> tuple[bundle.BundleHeader, bytes, dict[str, bytes]]:
    members = {"ops.jsonl": ops_jsonl(300), "receipt.json": b'{"ok":true}'}
    header, data = build(members)
    return header, data, members


def import_bundle(data: bytes, box_keys: dict[str, bytes] | None = None,
                  sender_public: bytes | None = None) -> bundle.BundleContents:
    """What an importer does, in the order SYNC.md gives."""
    header, raw, signature = bundle.read_header(data)
    bundle.addressed_to_us(header, box_keys or hub_keys())
    bundle.check_signature(raw, signature, sender_public or key("office").public)
    return bundle.open_bundle(data, header, box_keys or hub_keys())


def code_of(data: bytes, **kwargs) -> str:
    with pytest.raises(BundleError) as caught:
        import_bundle(data, **kwargs)
    return caught.value.code


def wrap_zip(zip_bytes: bytes) -> bytes:
    """A perfectly signed and encrypted bundle around a ZIP we build by hand."""
    return bundle.seal(zip_bytes, fields(), sign_seed=key("office").private,
                       recipients=recipients())[1]


def resign(header: bundle.BundleHeader, payload: bytes, **changes) -> bytes:
    new = dataclasses.replace(header, payload_length=len(payload),
                              payload_sha256=hashlib.sha256(payload).hexdigest(), **changes)
    return bundle.assemble(new, payload, key("office").private)[1]


def flip(data: bytes, bit: int) -> bytes:
    damaged = bytearray(data)
    damaged[bit // 8] ^= 1 << (bit % 8)
    return bytes(damaged)


# --- round trips ------------------------------------------------------------------------------

def test_round_trip_through_a_file(tmp_path):
    header, data, members = sample()
    name = bundle.bundle_file_name(OFFICE, "changes", CREATED, BUNDLE_ID, 1, 1)
    path = bundle.write_bundle_file(tmp_path, name, data, sender_public_key=key("office").public)
    assert path == tmp_path / name and bundle.looks_like_bundle(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no .partial left behind
    contents = import_bundle(path.read_bytes())
    assert contents.header == header
    assert contents.names() == ["ops.jsonl", "receipt.json"]
    assert all(contents.read(n) == members[n] for n in members)
    assert list(contents.lines("ops.jsonl")) == members["ops.jsonl"].splitlines(keepends=True)
    assert contents.size("ops.jsonl") == len(members["ops.jsonl"])
    with pytest.raises(KeyError):
        contents.read("manifest.json")


def test_header_fields_are_what_was_built():
    header, data, _ = sample()
    assert bundle.read_header(data)[0] == header
    assert header.ranges == (("node-a", "e0", 1, 300),) and header.op_count == 300
    assert header.sender_key_id == key("office").key_id and header.kind == "changes"
    assert header.recipient_ids == (key("hub").key_id, key("escrow").key_id)
    assert header.created == CREATED and header.extra == {"person": 300}
    assert header.payload_length == len(data) - payload_offset(bundle.read_header(data)[1])


def test_lines_stream_a_large_member():
    ops = b"".join(b'{"seq":%d}\n' % i for i in range(100_000))
    _, data = build({"ops.jsonl": ops})
    lines = import_bundle(data).lines("ops.jsonl")
    assert next(lines) == b'{"seq":0}\n'
    assert sum(1 for _ in lines) == 99_999


def test_an_empty_member_round_trips():
    _, data = build({"receipt.json": b""})
    with import_bundle(data) as contents:
        assert contents.read("receipt.json") == b""


# --- recipients and senders -------------------------------------------------------------------

def test_hub_and_escrow_can_both_open_but_a_third_key_cannot():
    _, data, members = sample()
    escrow = {key("escrow").key_id: key("escrow").private}
    assert import_bundle(data, box_keys=escrow).read("receipt.json") == members["receipt.json"]
    other = {key("other").key_id: key("other").private}
    with pytest.raises(BundleError) as caught:
        import_bundle(data, box_keys=other)
    assert caught.value.code == "not_for_us"
    assert "komputer lain" in caught.value.message
    assert keys.grouped(key("hub").key_id) in caught.value.message


def test_a_known_key_id_with_the_wrong_private_key_cannot_decrypt():
    header, data, _ = sample()
    wrong = {key("hub").key_id: key("other").private}
    with pytest.raises(BundleError) as caught:
        bundle.open_bundle(data, header, wrong)
    assert caught.value.code == "decrypt"


def test_wrong_sender_key_is_a_signature_error():
    other_signer = keys.generate("sign")
    assert code_of(sample()[1], sender_public=other_signer.public) == "signature"


def test_unknown_sender_message_names_office_and_key():
    error = bundle.unknown_sender(sample()[0])
    assert error.code == "unknown_sender"
    assert OFFICE in error.message and keys.grouped(key("office").key_id) in error.message


def test_build_refuses_mismatched_keys():
    with pytest.raises(ValueError):
        build(sign_key_id=key("hub").key_id)
    with pytest.raises(ValueError):
        build(recipients=[Recipient(key("escrow").key_id, key("hub").public)])
    with pytest.raises(ValueError):
        build(recipients=[])
    with pytest.raises(ValueError):
        build(kind="gossip")
    with pytest.raises(ValueError):
        build({"../etc/passwd": b"x"})


# --- damage: one flipped bit anywhere ---------------------------------------------------------

def _region_bits(data: bytes) -> dict[str, tuple[int, set[str]]]:
    raw = bundle.read_header(data)[1]
    start = payload_offset(raw)
    schema_at = len(MAGIC) + raw.index(b'"0005"') + 4  # the "5" of the schema: JSON stays valid
    return {
        "magic": (0, {"magic"}),
        "magic_version": (8 * (len(MAGIC) - 2) + 1, {"format"}),  # "1" -> "3": a newer format
        "header_value": (8 * schema_at, {"signature"}),
        "header_syntax": (8 * len(MAGIC), {"header"}),
        "header_newline": (8 * (len(MAGIC) + len(raw)), {"header"}),
        "signature_line": (8 * (len(MAGIC) + len(raw) + 10), {"signature"}),
        "signature_newline": (8 * (start - 1), {"signature"}),
        "payload_start": (8 * start, {"hash"}),
        "payload_middle": (8 * ((start + len(data)) // 2) + 3, {"hash"}),
        "payload_end": (8 * len(data) - 1, {"hash"}),
    }


@pytest.mark.parametrize("region", ["magic", "magic_version", "header_value", "header_syntax",
                                    "header_newline", "signature_line", "signature_newline",
                                    "payload_start", "payload_middle", "payload_end"])
def test_a_flipped_bit_in_each_region_gives_the_right_error(region):
    data = sample()[1]
    bit, expected = _region_bits(data)[region]
    assert code_of(flip(data, bit)) in expected


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_random_flipped_bit_is_always_a_bundle_error(draw):
    data = sample()[1]
    bit = draw.draw(st.integers(0, 8 * len(data) - 1))
    with pytest.raises(BundleError):
        import_bundle(flip(data, bit))


def test_every_single_bit_of_the_plain_part_is_protected():
    # The plain part is small next to the payload (random flips rarely land there), so try
    # every one of its bits; the payload is covered by its signed SHA-256.
    data = sample()[1]
    end = payload_offset(bundle.read_header(data)[1])
    for bit in range(8 * end):
        with pytest.raises(BundleError):
            import_bundle(flip(data, bit))


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9_.-]{0,20}", fullmatch=True),
                       st.binary(max_size=5000), min_size=1, max_size=5))
def test_any_members_round_trip(members):
    members.pop("manifest.json", None)
    if not members:
        return
    contents = import_bundle(build(members)[1])
    assert {name: contents.read(name) for name in contents.names()} == members


# --- damage: cut off, extended ----------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_truncated_file_is_a_length_error(draw):
    data = sample()[1]
    cut = draw.draw(st.integers(0, len(data) - 1))
    assert code_of(data[:cut]) in {"length", "magic", "header"}


def test_truncation_message_gives_both_sizes_in_indonesian_format():
    data = sample()[1]
    with pytest.raises(BundleError) as caught:
        import_bundle(data[:-1000])
    message = caught.value.message
    assert caught.value.code == "length" and "terpotong" in message
    assert f"seharusnya {len(data):,} byte".replace(",", ".") in message


def test_extra_bytes_appended_are_a_length_error():
    with pytest.raises(BundleError) as caught:
        import_bundle(sample()[1] + b"\0" * 7)
    assert caught.value.code == "length" and "lebih panjang" in caught.value.message


def test_a_stream_cut_at_a_chunk_boundary_is_caught_by_the_final_tag():
    # Even a sender-side cut (length and hash re-signed to match) cannot pass: no FINAL chunk.
    header, data = build({"blob.bin": os.urandom(300_000)})
    payload = data[payload_offset(bundle.read_header(data)[1]):]
    step = bundle_crypto.CHUNK + bundle_crypto.ABYTES
    cut = resign(header, payload[:bundle_crypto.STREAM_HEADER + 2 * step])
    assert code_of(cut) == "decrypt"
    with pytest.raises(BundleError) as caught:
        import_bundle(cut)
    assert "terpotong" in caught.value.message


def test_a_payload_key_that_does_not_fit_the_stream_cannot_decrypt():
    header, data, _ = sample()
    payload = data[payload_offset(bundle.read_header(data)[1]):]
    stranger = keys.b64(bundle_crypto.seal_key(bundle_crypto.new_payload_key(), key("hub").public))
    forged = resign(header, payload, recipients=((key("hub").key_id, stranger),))
    assert code_of(forged) == "decrypt"
    broken = resign(header, payload, recipients=((key("hub").key_id, "not base64!"),))
    assert code_of(broken) == "decrypt"


def test_an_oversized_payload_is_refused_before_reading():
    header, data, _ = sample()
    with pytest.raises(BundleError) as caught:
        bundle.open_bundle(data, header, hub_keys(), max_payload=1000)
    assert caught.value.code == "too_large"


def test_open_refuses_a_header_from_another_file():
    other_header, _ = build(bundle_id="1a2b3c4d-0000-4000-8000-0000000000ff")
    with pytest.raises(BundleError) as caught:
        bundle.open_bundle(sample()[1], other_header, hub_keys())
    assert caught.value.code == "header"


# --- the plain-text part ----------------------------------------------------------------------

def test_not_a_bundle_and_newer_format():
    assert code_of(b"%PDF-1.7\n" + b"x" * 200) == "magic"
    assert code_of(b"") == "length"
    with pytest.raises(BundleError) as caught:
        import_bundle(b"PMKS-BUNDLE 2\n{}\n" + b"x" * 200)
    assert caught.value.code == "format" and "Perbarui aplikasi" in caught.value.message


def test_a_header_over_64_kib_is_refused():
    header = sample()[0]
    big = dataclasses.replace(header, extra={"pad": "x" * HEADER_MAX})
    raw = canonical_json(dataclasses.asdict(big))
    signature = keys.b64(keys.sign(key("office").private, raw)).encode()
    data = MAGIC + raw + b"\n" + signature + b"\n" + b"\0" * 100
    with pytest.raises(BundleError) as caught:
        bundle.read_header(data)
    assert caught.value.code == "header" and "64" in caught.value.message
    with pytest.raises(ValueError):
        build(extra={"pad": "x" * HEADER_MAX})


def _signed_file(raw: bytes) -> bytes:
    signature = keys.b64(keys.sign(key("office").private, raw)).encode()
    return MAGIC + raw + b"\n" + signature + b"\n"


@pytest.mark.parametrize("mangle", [
    lambda d: json.dumps(d, sort_keys=True),                      # not canonical (spaces)
    lambda d: canonical_json(d).decode()[:-1] + ',"kind":"changes"}',  # duplicate key
    lambda d: canonical_json({**d, "nik": "3604010101010001"}).decode(),  # unknown field
    lambda d: canonical_json({k: v for k, v in d.items() if k != "to_node"}).decode(),
    lambda d: canonical_json({**d, "part": 3, "parts": 2}).decode(),
    lambda d: canonical_json({**d, "op_count": True}).decode(),
    lambda d: canonical_json({**d, "ranges": [["a", "e0", 5, 4]]}).decode(),
    lambda d: canonical_json({**d, "bundle_id": "nope"}).decode(),
    lambda d: canonical_json({**d, "created_at": "kemarin"}).decode(),
    lambda d: '{"extra":NaN}',
    lambda d: "[" * 10_000,
])
def test_a_malformed_header_is_a_header_error_even_when_signed(mangle):
    value = dataclasses.asdict(sample()[0])
    data = _signed_file(mangle(value).encode("utf-8")) + b"\0" * 64
    with pytest.raises(BundleError) as caught:
        bundle.read_header(data)
    assert caught.value.code == "header" and "Kepala bundel rusak" in caught.value.message


# --- the ZIP inside ---------------------------------------------------------------------------

def _zip_case(case: str) -> bytes:
    ops = b'{"seq":1}\n'
    good = json.loads(bundle_payload.manifest_bytes({"ops.jsonl": ops}))
    if case == "no_manifest":
        return bundle_payload.zip_entries({"ops.jsonl": ops})
    if case == "stray_member":
        return bundle_payload.zip_entries({"manifest.json": json.dumps(good).encode(),
                                           "ops.jsonl": ops, "evil.sh": b"rm -rf /"})
    if case == "listed_but_missing":
        listing = json.loads(bundle_payload.manifest_bytes({"ops.jsonl": ops, "x.json": b""}))
        return bundle_payload.zip_entries({"manifest.json": json.dumps(listing).encode(),
                                           "ops.jsonl": ops})
    if case == "manifest_not_json":
        return bundle_payload.zip_entries({"manifest.json": b"{nope", "ops.jsonl": ops})
    if case == "not_a_zip":
        return b"this is not a zip archive at all"
    tampered = {"wrong_hash": b'{"seq":2}\n', "wrong_size": ops + b"\n"}[case]
    return bundle_payload.zip_entries({"manifest.json": json.dumps(good).encode(),
                                       "ops.jsonl": tampered})


@pytest.mark.parametrize("case, expected", [
    ("no_manifest", "manifest"), ("stray_member", "manifest"),
    ("listed_but_missing", "manifest"), ("manifest_not_json", "manifest"),
    ("not_a_zip", "manifest"), ("wrong_hash", "member_hash"), ("wrong_size", "member_hash"),
])
def test_a_bad_zip_inside_a_valid_bundle(case, expected):
    with pytest.raises(BundleError) as caught:
        import_bundle(wrap_zip(_zip_case(case)))
    assert caught.value.code == expected
    assert "bundel" in caught.value.message.lower()


def test_member_caps_stop_zip_bombs():
    bomb = b"\0" * 5_000_000  # deflates to a few KiB
    _, data = build({"ops.jsonl": bomb})
    header = bundle.read_header(data)[0]
    assert header.payload_length < 50_000
    with pytest.raises(BundleError) as caught:
        bundle.open_bundle(data, header, hub_keys(), max_member=1_000_000)
    assert caught.value.code == "too_large" and "ops.jsonl" in caught.value.message
    many = {f"m{i}.json": b"" for i in range(bundle_payload.MAX_MEMBERS + 1)}
    zip_bytes = bundle_payload.zip_entries(
        {"manifest.json": bundle_payload.manifest_bytes(many), **many})
    assert code_of(wrap_zip(zip_bytes)) == "too_large"


# --- writing to the stick ---------------------------------------------------------------------

def test_write_leaves_no_partial_and_refuses_odd_names(tmp_path):
    data = sample()[1]
    bundle.write_bundle_file(tmp_path, "a.pmksb", data, sender_public_key=key("office").public)
    assert [p.name for p in tmp_path.iterdir()] == ["a.pmksb"]
    with pytest.raises(ValueError):
        bundle.write_bundle_file(tmp_path, "../a.pmksb", data,
                                 sender_public_key=key("office").public)


def test_a_failed_rename_leaves_neither_file(tmp_path, monkeypatch):
    def pulled_out(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(bundle.os, "replace", pulled_out)
    with pytest.raises(BundleError) as caught:
        bundle.write_bundle_file(tmp_path, "a.pmksb", sample()[1],
                                 sender_public_key=key("office").public)
    assert caught.value.code == "write" and "Jangan cabut flashdisk" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_bad_read_back_removes_the_final_file(tmp_path, monkeypatch):
    data = sample()[1]
    monkeypatch.setattr(bundle, "_read_back", lambda path: flip(data, 8 * len(data) - 20))
    with pytest.raises(BundleError) as caught:
        bundle.write_bundle_file(tmp_path, "a.pmksb", data,
                                 sender_public_key=key("office").public)
    assert caught.value.code == "write" and "flashdisk" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_write_refuses_a_bundle_signed_by_someone_else(tmp_path):
    with pytest.raises(BundleError) as caught:
        bundle.write_bundle_file(tmp_path, "a.pmksb", sample()[1],
                                 sender_public_key=keys.generate("sign").public)
    assert caught.value.code == "write" and list(tmp_path.iterdir()) == []


def test_a_full_disk_is_named(tmp_path, monkeypatch):
    def full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundle, "_write_synced", full)
    with pytest.raises(BundleError) as caught:
        bundle.write_bundle_file(tmp_path, "a.pmksb", sample()[1],
                                 sender_public_key=key("office").public)
    assert "ruang kosong tidak cukup" in caught.value.message


def test_partial_and_foreign_files_are_not_bundles(tmp_path):
    data = sample()[1]
    (tmp_path / "a.pmksb.partial").write_bytes(data)
    (tmp_path / "._a.pmksb").write_bytes(b"\0\5\26\7AppleDouble")
    (tmp_path / "a.zip").write_bytes(data)
    (tmp_path / "b.PMKSB").write_bytes(data)
    (tmp_path / "dir.pmksb").mkdir()
    found = sorted(p.name for p in tmp_path.iterdir() if bundle.looks_like_bundle(p))
    assert found == ["b.PMKSB"]
    assert not bundle.looks_like_bundle(tmp_path / "missing.pmksb")


def test_bundle_file_name_carries_routing_facts_only():
    created = datetime(2026, 11, 28, 15, 30)
    name = bundle.bundle_file_name(OFFICE, "changes", created, BUNDLE_ID, 1, 2)
    assert name == "pmks-36.04.05-changes-20261128-1530-1a2b3c4d-1of2.pmksb"
    odd = bundle.bundle_file_name("36/04 05", "receipt", created, BUNDLE_ID, 2, 2)
    assert odd == "pmks-360405-receipt-20261128-1530-1a2b3c4d-2of2.pmksb"


# --- messages ---------------------------------------------------------------------------------

def test_every_message_is_indonesian_and_names_the_problem():
    data = sample()[1]
    cases = [data[:100], data + b"x", flip(data, 8 * len(data) - 1), b"GIF89a\n",
             flip(data, 8 * (payload_offset(bundle.read_header(data)[1]) - 20))]
    english = ("error", "invalid", "failed", "file ", "bundle ")
    for case in cases:
        with pytest.raises(BundleError) as caught:
            import_bundle(case)
        message = caught.value.message
        assert str(caught.value) == message
        assert ("Berkas" in message or "bundel" in message.lower()), message
        assert not any(word in message.lower() for word in english), message
        assert message.endswith(".")
