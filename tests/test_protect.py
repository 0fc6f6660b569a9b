from __future__ import annotations

import pytest

from vinculo.errors import VinculoError
from vinculo.protect import DecryptionError, KeyRing, generate_key


def test_values_round_trip_and_ciphertext_hides_the_plaintext() -> None:
    ring = KeyRing([generate_key()])
    token = ring.encrypt("Amina Yusuf")
    assert "Amina" not in token
    assert ring.decrypt(token) == "Amina Yusuf"
    assert ring.encrypt("Amina Yusuf") != token  # random IV: equal values do not look equal


def test_rotation_re_encrypts_with_the_newest_key() -> None:
    old, new = generate_key(), generate_key()
    token = KeyRing([old]).encrypt("passport X123")
    ring = KeyRing([new, old])
    rotated = ring.rotate(token)
    assert KeyRing([new]).decrypt(rotated) == "passport X123"
    with pytest.raises(DecryptionError, match="could not be decrypted"):
        KeyRing([new]).decrypt(token)


def test_blind_index_matches_equal_values_regardless_of_case_and_spacing() -> None:
    ring = KeyRing([generate_key()])
    assert ring.blind_index("  AMINA   yusuf ") == ring.blind_index("amina yusuf")
    assert ring.blind_index("amina yusuf") != ring.blind_index("amina yusef")
    assert KeyRing([generate_key()]).blind_index("amina yusuf") != ring.blind_index("amina yusuf")


def test_a_bad_or_missing_key_is_a_clear_error() -> None:
    with pytest.raises(VinculoError, match="No encryption key"):
        KeyRing([])
    with pytest.raises(VinculoError, match="key number 2 is not a valid key") as info:
        KeyRing([generate_key(), "short"])
    assert info.value.code == "protect.bad_key"


def test_a_given_index_key_keeps_blind_indexes_stable_across_key_rotation() -> None:
    old, new = generate_key(), generate_key()
    index_key = b"a stable secret"
    before = KeyRing([old], index_key=index_key).blind_index("Amina")
    assert KeyRing([new, old], index_key=index_key).blind_index("Amina") == before
    assert KeyRing([new, old]).blind_index("Amina") != KeyRing([old]).blind_index("Amina")
