"""Lookup tables for ``matching.normalize``: plain literals, keyed by folded text (lower case, no accents)."""
