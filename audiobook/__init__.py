"""audiobook: turn a story into a full-cast audiobook, offline."""

__version__ = "0.1.0"
