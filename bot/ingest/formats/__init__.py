"""Readers that turn each kind of source (PDF, web page, captions, XML, JSON, DOCX) into text.

Each module's ``read(data, source)`` returns a ``Document``: the text the store keeps and,
where the source itself says who spoke, the statements; otherwise ``bot.ingest.detect`` runs the
prose or transcript attributor over the text.
"""
