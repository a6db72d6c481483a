"""Enrollment (报名)."""
