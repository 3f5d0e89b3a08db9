"""Bytes out: terminal tables, JSON and CSV records, problems (text, GitHub, SARIF), calendars,
SVG charts, Markdown and HTML through sandboxed templates, and publishing a site."""
