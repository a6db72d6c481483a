"""The classroom area: its use cases and, where it has rules of its own, its pure rules module."""
