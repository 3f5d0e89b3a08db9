"""The vocabulary every stage shares: kinds and statuses, problems and their codes, safe text and
formatting. Imports nothing else of lcrplan."""
