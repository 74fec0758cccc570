"""Readers that turn exported lab files into domain records, and the service that writes them."""
