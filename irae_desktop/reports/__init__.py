"""PDF builders: the patient handoff summary and the service sign-out list."""
