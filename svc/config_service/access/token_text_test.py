from config_service.access import token_text
from config_service.ids import new_id


def test_a_text_is_prefixed_names_its_id_and_holds_256_random_bits():
    id = new_id()
    text = token_text.new_text(id)
    assert text.startswith("cfgs_") and len(text) == token_text.LENGTH
    assert token_text.token_id_of(text) == id
    assert token_text.new_text(id) != text
    assert all(ch.isalnum() or ch in "_-" for ch in text)  # URL-safe


def test_only_texts_shaped_like_ours_name_an_id():
    text = token_text.new_text(new_id())
    for other in ("", text[:-1], text + "x", "ghp_" + text[5:], text.replace("cfgs_", "CFGS_"), text[:5] + "8" + text[6:]):
        assert token_text.token_id_of(other) is None, other


def test_digests_compare_in_constant_time_and_texts_are_redacted():
    text = token_text.new_text(new_id())
    stored = token_text.digest(text)
    assert len(stored) == 64 and token_text.matches(text, stored)
    assert not token_text.matches(text[:-1] + ("A" if text[-1] != "A" else "B"), stored)
    line = f"GET /x?access_token={text} 401"
    redacted = token_text.redact(line)
    assert text not in redacted and token_text.token_id_of(text) in redacted and "[redacted]" in redacted
