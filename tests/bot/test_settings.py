import os
import re
from pathlib import Path

import pytest
from pydantic import SecretStr

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


TOKEN = "xoxb-2741-Pasted-By-Mistake-9f3a"


def leaked(text: str) -> bool:
    """Whether the token shows in ``text`` in any letter case (pydantic and logging upper-case)."""
    return TOKEN.casefold() in text.casefold()


# Every setting whose value is checked: a token pasted into it must fail without showing.
CHECKED = [
    name.upper()
    for name, field in Settings.model_fields.items()
    if field.annotation not in (str, SecretStr, SecretStr | None, str | None)
    and name != "onrecord_db"  # any text is a path
]


def test_every_checked_setting_is_in_the_table():
    """The table covers the settings that refuse some values (a new one joins it on its own)."""
    assert {"ONRECORD_LOG_LEVEL", "ONRECORD_MAX_SOURCE_MB", "DISCORD_GUILD_ID", "SLACK_PORT"} <= set(CHECKED)


@pytest.mark.parametrize("name", CHECKED)
@pytest.mark.parametrize("where", ["environment", ".env"])
def test_a_token_in_any_setting_is_never_echoed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, where: str
):
    """The error names the setting and what it takes; the pasted value appears in no case."""
    from bot.errors import OnrecordError
    from bot.settings import load_settings

    monkeypatch.chdir(tmp_path)
    for field in Settings.model_fields:
        monkeypatch.delenv(field.upper(), raising=False)
    if where == ".env":
        (tmp_path / ".env").write_text(f"{name}={TOKEN}\n")
    else:
        monkeypatch.setenv(name, TOKEN)
    with pytest.raises(OnrecordError) as info:
        load_settings()
    message = str(info.value)
    assert name in message
    assert not leaked(message) and not leaked(repr(info.value))
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.parametrize("value", ["debug", " Info ", "WARNING", "error"])
def test_log_levels_are_read_in_any_case(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str):
    """ONRECORD_LOG_LEVEL takes a level name in any case, stored as logging spells it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ONRECORD_LOG_LEVEL", value)
    assert Settings().onrecord_log_level == value.strip().upper()


@pytest.mark.parametrize(
    "args",
    [("run", "discord"), ("run", "slack"), ("start",), ("sessions",), ("ask", "police")],
    ids=" ".join,
)
def test_a_token_in_the_log_level_never_reaches_any_output(tmp_path: Path, args: tuple[str, ...]):
    """The real process, as reported: one line naming ONRECORD_LOG_LEVEL, no token, no traceback."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "ONRECORD_"))}
    env.update(
        PYTHONPATH=str(REPO),
        ONRECORD_DB=str(tmp_path / "store.sqlite3"),
        ONRECORD_LOG_LEVEL=TOKEN,
        DISCORD_TOKEN="discord-token-for-the-test",
        SLACK_BOT_TOKEN="xoxb-for-the-test",
        SLACK_APP_TOKEN="xapp-for-the-test",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from adapters.cli import main; sys.exit(main())", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1
    assert not leaked(result.stdout + result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "ONRECORD_LOG_LEVEL" in result.stderr
