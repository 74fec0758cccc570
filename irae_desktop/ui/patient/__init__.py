"""The patient view: header, alerts, trends with treatment lanes, and the record tabs."""
