"""Homework (作业) and its recommendation ladder."""
