"""Operator organisations, their programmes and the ordered stages of each programme."""
