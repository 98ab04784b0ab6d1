"""Logs that carry their request (and thread) and can be parsed line by line (plan §6.2)."""
