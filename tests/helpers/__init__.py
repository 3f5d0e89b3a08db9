"""Helpers the tests share: data tables and functions no single test module owns."""
