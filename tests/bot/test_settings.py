import re
from pathlib import Path

import pytest

from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_env_example_documents_every_setting():
    """Every Settings field has a documented line in .env.example, and nothing extra."""
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (REPO / ".env.example").read_text(), re.M))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields == documented


def test_secrets_never_appear_in_repr_or_str(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A configured token is masked wherever settings are printed or logged."""
    monkeypatch.chdir(tmp_path)
    token = "xoxb-very-secret-token-123"
    monkeypatch.setenv("SLACK_BOT_TOKEN", token)
    monkeypatch.setenv("DISCORD_TOKEN", "discord-secret-456")
    settings = Settings()
    assert settings.has_slack and settings.has_discord
    for text in (repr(settings), str(settings), str(settings.model_dump())):
        assert token not in text
        assert "discord-secret-456" not in text


def test_env_file_is_read_and_environment_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """.env in the working directory is read; a real environment variable overrides it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("ONRECORD_DB=from-file.sqlite3\nSLACK_MODERATORS=U1, U2\n")
    monkeypatch.delenv("ONRECORD_DB", raising=False)
    monkeypatch.delenv("SLACK_MODERATORS", raising=False)
    assert Settings().onrecord_db == Path("from-file.sqlite3")
    assert Settings().slack_moderator_ids == {"U1", "U2"}
    monkeypatch.setenv("ONRECORD_DB", "from-env.sqlite3")
    assert Settings().onrecord_db == Path("from-env.sqlite3")


def test_empty_tokens_mean_not_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Blank token lines copied from .env.example do not switch a platform on."""
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "DISCORD_GUILD_ID"):
        monkeypatch.setenv(name, "")
    settings = Settings()
    assert not settings.has_discord and not settings.has_slack


def test_bad_value_fails_clearly_without_echoing_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A malformed setting names the variable, not its (possibly secret) value."""
    from bot.errors import OnrecordError
    from bot.settings import load_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_GUILD_ID", "xoxb-oops-a-token")
    with pytest.raises(OnrecordError) as info:
        load_settings()
    assert "DISCORD_GUILD_ID" in str(info.value)
    assert "xoxb-oops-a-token" not in str(info.value)


def test_communities_allow_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """ONRECORD_COMMUNITIES: empty serves any server or workspace; a list serves only its ids."""
    monkeypatch.chdir(tmp_path)
    assert Settings().served_communities is None and Settings().serves(123)
    monkeypatch.setenv("ONRECORD_COMMUNITIES", " 900000000000000010 , T0TEAM ,")
    settings = Settings()
    assert settings.served_communities == frozenset({"900000000000000010", "T0TEAM"})
    assert settings.serves(900000000000000010) and settings.serves("T0TEAM")
    assert not settings.serves(900000000000000011) and not settings.serves("t0team")
