"""Interactive surfaces: the add/replace modal and the "Share to channel" button.

The modal takes a title, a date and either pasted text or one attached file. Its
submission is validated in the ack (errors show beside the fields), then acknowledged
before the slower ingest runs; the outcome goes back to the channel the command came from.
Share posts the answer for everyone through the click's ``response_url`` (see ``share_answer``);
a Context button shows the clicker the record around a passage.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks, replies
from adapters.slack.answers import (
    CONTEXT_ACTION_ID,
    SHARE_ACTION_ID,
    read_context_value,
    render_context,
)
from adapters.slack.communities import Communities
from adapters.slack.files import fetch_file
from adapters.slack.permissions import Moderators
from adapters.slack.queries import Command, render_command
from bot.models import AddResult, SessionInfo
from bot.settings import Settings

log = logging.getLogger(__name__)

SESSION_CALLBACK = "onrecord_session"
MAX_PASTE_CHARS = 3000  # Slack's limit for a plain-text input
FILE_TYPES = ["txt", "md", "pdf", "html", "htm", "vtt", "srt", "xml", "json", "docx"]  # extensions
NOT_A_MEMBER = (
    "Slack no longer takes this Share here and the app is not in this channel: invite it "
    "(`/invite @onrecord`) or ask the question again."
)
SHARE_EXPIRED = "Slack no longer takes this Share here; ask the question again and share the new answer."
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool, hint: str = ""
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": "value"},
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def session_modal(metadata: dict[str, Any], replace: SessionInfo | None = None) -> dict[str, Any]:
    """The modal that adds a session, or replaces ``replace`` keeping its id."""
    title_input: dict[str, Any] = {"type": "plain_text_input", "max_length": 250}
    date_input: dict[str, Any] = {"type": "datepicker"}
    if replace is not None:
        metadata = {**metadata, "replace": replace.id}
        title_input["initial_value"] = replace.title[:250]
        if replace.date and _ISO_DATE.fullmatch(replace.date):
            date_input["initial_date"] = replace.date
    return {
        "type": "modal",
        "callback_id": SESSION_CALLBACK,
        "private_metadata": json.dumps(metadata)[:3000],
        "title": {"type": "plain_text", "text": "Replace session" if replace else "Add a session"},
        "submit": {"type": "plain_text", "text": "Replace" if replace else "Add"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _input(
                "title", "Title", title_input, optional=False, hint="e.g. Mayor's Question Time, 16 May 2018"
            ),
            _input("date", "Date of the session", date_input, optional=True),
            _input(
                "text",
                "Pasted text",
                {"type": "plain_text_input", "multiline": True, "max_length": MAX_PASTE_CHARS},
                optional=True,
                hint="A report or transcript up to 3000 characters, or attach a file below.",
            ),
            _input(
                "file",
                "Or a file",
                {"type": "file_input", "max_files": 1, "filetypes": FILE_TYPES},
                optional=True,
                hint="Text, PDF, HTML, captions (VTT/SRT), Hansard XML, transcript JSON or DOCX.",
            ),
        ],
    }


@dataclass(frozen=True)
class SessionForm:
    """What a moderator entered in the modal."""

    title: str
    date: str | None
    text: str
    files: tuple[dict[str, Any], ...]

    @classmethod
    def from_state(cls, values: dict[str, Any]) -> SessionForm:
        """Read the submitted modal state (missing fields read as empty)."""

        def field(block: str) -> dict[str, Any]:
            value: dict[str, Any] = (values.get(block) or {}).get("value") or {}
            return value

        return cls(
            title=(field("title").get("value") or "").strip(),
            date=field("date").get("selected_date") or None,
            text=field("text").get("value") or "",
            files=tuple(field("file").get("files") or ()),
        )

    def errors(self) -> dict[str, str]:
        """Field errors to show in the modal; empty when the form can be stored."""
        errors: dict[str, str] = {}
        if not self.title:
            errors["title"] = "Give the session a title."
        if self.text.strip() and self.files:
            errors["text"] = "Paste a text or attach a file, not both."
        elif not self.text.strip() and not self.files:
            errors["text"] = "Paste the text of the session, or attach a file below."
        return errors


def render_added(result: AddResult) -> list[blocks.Message]:
    """A moderator's confirmation: what was stored and how well it was attributed."""
    s = result.session
    verb = "Replaced" if result.replaced else "Stored"
    lines = [
        f"{verb} session {s.id}: {s.title} ({s.date or 'undated'}), read as {result.format} "
        f"({result.encoding}).",
        f"{result.statements} statements: {result.attributed} attributed, "
        f"{result.unattributed} left unattributed (speaker not certain).",
    ]
    if result.speakers:
        lines.append(
            "Speakers: " + ", ".join(result.speakers[:30]) + ("…" if len(result.speakers) > 30 else "")
        )
    lines.extend(f"Note: {w}" for w in result.warnings[:10])
    return blocks.render_text("\n".join(lines))


def register(app: AsyncApp, where: Communities, settings: Settings, moderators: Moderators) -> None:
    """Register the modal submission and the Share and Context buttons (each on its workspace's record)."""
    max_mb = settings.onrecord_max_source_mb

    @app.view(SESSION_CALLBACK)
    async def on_session_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        form = SessionForm.from_state(view.get("state", {}).get("values", {}))
        errors = form.errors()
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        user_id = body["user"]["id"]
        await moderators.require(user_id, client)
        record = where.of(body)
        if form.files:
            shared = await fetch_file(client, form.files[0], max_mb)
            data, source_name = shared.data, shared.name
        else:
            data, source_name = form.text.encode("utf-8"), f"pasted in Slack: {form.title}"
        replace_id = replies.view_metadata(view).get("replace")
        added_by = f"slack:{user_id}"
        if isinstance(replace_id, int):
            result = await record.replace_session(
                replace_id, data, source_name=source_name, added_by=added_by, title=form.title, date=form.date
            )
        else:
            result = await record.add_session(
                data,
                source_name=source_name,
                added_by=added_by,
                title=form.title,
                date=form.date,
                progress=replies.waiting_note(body, client),
            )
        await replies.reply(body, client, render_added(result))

    @app.action(re.compile(f"^{CONTEXT_ACTION_ID}:"))
    async def on_context(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        session_id, start, end = read_context_value(action.get("value", ""))
        text = await where.of(body).session_text(session_id)
        await replies.reply(body, client, render_context(text, session_id, start, end))

    @app.action(SHARE_ACTION_ID)
    async def on_share(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
    ) -> None:
        await ack()
        command = Command.from_value(action.get("value", ""))
        user_id = body["user"]["id"]
        shared_by = f"Shared by <@{user_id}> with /onrecord"
        await share_answer(body, client, await render_command(where.of(body), command, shared_by=shared_by))


async def share_answer(body: dict[str, Any], client: AsyncWebClient, messages: list[blocks.Message]) -> None:
    """Post a shared answer for everyone where the private one was shown, then remove the private one.

    The click's ``response_url`` posts ``in_channel`` wherever ``/onrecord`` itself worked:
    private channels and DMs the app is not a member of included. Only if Slack refuses
    it does the app post by itself (``chat.postMessage``), which works only where it is a
    member; failing that the user is told what would work, which in a DM is not an invite.
    """
    url = replies.response_url_of(body)
    sent = 0
    if url:
        while sent < len(messages) and await replies.respond(
            url, replies.payload(messages[sent], "in_channel")
        ):
            sent += 1
    channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id"))
    try:
        for m in messages[sent:]:
            await client.chat_postMessage(channel=channel, text=m.text, blocks=m.blocks)
    except SlackApiError as exc:
        if exc.response.get("error") not in ("not_in_channel", "channel_not_found", "is_archived"):
            raise
        refusal = SHARE_EXPIRED if channel.startswith("D") else NOT_A_MEMBER
        await replies.reply(body, client, blocks.render_text(refusal))
        return
    if url and len(messages) < blocks.MAX_MESSAGES:  # the five replies a response_url takes are not all used
        await replies.respond(url, {"delete_original": True})
