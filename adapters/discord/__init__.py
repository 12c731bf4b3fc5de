"""The Discord front end: slash commands over ``bot.record.Record`` through discord.py.

``app`` builds and runs the client, ``commands`` and ``moderation`` declare the slash
commands, ``render`` turns core dataclasses into messages within Discord's limits,
``views`` holds buttons and modals, ``permissions`` the moderator check and ``replies``
the one way anything is sent back (mentions always off).
"""
