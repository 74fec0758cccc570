"""Pure clinical logic: analytes, units, criteria, grading, baselines, alerts, response metrics."""
