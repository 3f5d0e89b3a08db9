"""Files and bytes: reading and writing files safely, YAML, git, the cache and spreadsheets."""
