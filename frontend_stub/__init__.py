"""frontend_stub."""
