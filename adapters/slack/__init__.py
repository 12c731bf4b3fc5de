"""Slack front end: slash command, mentions, modals and Block Kit answers via slack-bolt."""
