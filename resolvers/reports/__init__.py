"""Rates of participation and passing (R14), and the trainees behind each figure."""
