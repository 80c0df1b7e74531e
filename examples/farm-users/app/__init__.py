"""The farm-users application code written by hand, beside ``generated/``."""
