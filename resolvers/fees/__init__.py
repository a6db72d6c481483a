"""Fees (R16): the settlement of each vendor, city by city, and the roll of who is counted."""
