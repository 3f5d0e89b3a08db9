"""Changing data files: an edit in the round-trip tree carried onto the file's own lines, checked
against the data set before the file is replaced; imports of returns, all or nothing; `init`."""
