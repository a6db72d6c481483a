"""Workshops (名师网络研修工作室), topics, tutor teams, classes."""
