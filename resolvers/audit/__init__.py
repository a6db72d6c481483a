"""The audit log and reveals of personal data (issue 9)."""
