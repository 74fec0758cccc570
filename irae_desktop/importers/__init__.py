"""Readers that turn exported lab files into domain records, and the import service that writes them."""
