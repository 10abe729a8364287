"""Payload encryption for bundles, with libsodium constructions only (through PyNaCl).

- A fresh random 32-byte payload key per bundle, sealed to each recipient's X25519 box key with
  a libsodium sealed box (the hub's key and its offline escrow key; an office's key for
  hub -> office bundles). Sealed boxes are anonymous: authenticity comes from the Ed25519
  signature over the header, which also fixes the payload's SHA-256.
- The payload itself is a secretstream (XChaCha20-Poly1305) in 64 KiB chunks. Every chunk is
  authenticated, chunks cannot be reordered or dropped, and only the last one carries the FINAL
  tag, so a cut-off stream is detected even if the cut falls on a chunk boundary. The bundle id
  is the associated data of every chunk, tying the ciphertext to its header.
"""
from __future__ import annotations

from typing import BinaryIO

from nacl import bindings as sodium
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from pmks_desktop.sync import bundle_errors as err

CHUNK = 64 * 1024
ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
STREAM_HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
KEY_BYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES
TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL


def new_payload_key() -> bytes:
    return sodium.crypto_secretstream_xchacha20poly1305_keygen()


def seal_key(payload_key: bytes, recipient_public: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(recipient_public)).encrypt(payload_key))


def unseal_key(sealed: bytes, private_key: bytes) -> bytes | None:
    """The payload key, or None when this private key cannot open the sealed box."""
    try:
        key = bytes(SealedBox(PrivateKey(private_key)).decrypt(sealed))
    except (CryptoError, ValueError, TypeError):
        return None
    return key if len(key) == KEY_BYTES else None


def encrypt_stream(plain: bytes, key: bytes, ad: bytes) -> list[bytes]:
    """The stream as pieces (stream header, then one piece per chunk): the caller hashes them
    and joins them once into the file, instead of holding a second copy of the payload."""
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    pieces = [sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key)]
    view = memoryview(plain)
    # range(0, max(n, 1)) gives an empty plaintext one (FINAL) chunk, so every stream ends in one.
    for start in range(0, max(len(view), 1), CHUNK):
        final = start + CHUNK >= len(view)
        pieces.append(sodium.crypto_secretstream_xchacha20poly1305_push(
            state, bytes(view[start:start + CHUNK]), ad, TAG_FINAL if final else TAG_MESSAGE))
    return pieces


def encrypted_length(plain_length: int) -> int:
    chunks = max(1, -(-plain_length // CHUNK))
    return STREAM_HEADER + plain_length + chunks * ABYTES


def decrypt_stream(cipher: memoryview, key: bytes, ad: bytes, out: BinaryIO) -> None:
    """Decrypt chunk by chunk into `out`; BundleError("decrypt") on any failed chunk or end."""
    if len(cipher) < STREAM_HEADER + ABYTES:
        raise err.cannot_decrypt("bagian terenkripsinya terlalu pendek")
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(
        state, bytes(cipher[:STREAM_HEADER]), key)
    position, number = STREAM_HEADER, 0
    while True:
        piece = bytes(cipher[position:position + CHUNK + ABYTES])
        position += len(piece)
        number += 1
        if len(piece) < ABYTES:
            raise err.cannot_decrypt(f"potongan ke-{number} tidak lengkap")
        try:
            message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, piece, ad)
        except CryptoError:
            raise err.cannot_decrypt(f"potongan ke-{number} gagal diperiksa keasliannya") from None
        out.write(message)
        last = position >= len(cipher)
        if tag == TAG_FINAL and last:
            return
        if tag == TAG_FINAL or last:
            # FINAL too early means data was appended; no FINAL at the end means it was cut.
            where = "sebelum akhir berkas" if not last else "tidak ditemukan (isi terpotong)"
            raise err.cannot_decrypt(f"penanda akhir isi {where}")
        if tag != TAG_MESSAGE:
            raise err.cannot_decrypt(f"potongan ke-{number} memakai penanda yang tidak dikenal")
