"""Keys of this workstation's own settings (QSettings), in a module of their own so that
start-up reads them without loading the dialogs that edit them."""

from __future__ import annotations

# the database this workstation opens, chosen in Settings (IRAE_DB_URL overrides it)
DB_URL_KEY = "database/url"
