"""Announcements, briefings (班级简报) and discussions."""
