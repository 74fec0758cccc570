"""Data files shipped with the app: criteria sets, icons, fonts, desktop metadata."""
