"""Numbered SQL migration scripts (``NNNN_name.sql``), applied in order by ``storage.connection``."""
