"""Files to a validated data set, with every problem placed: discovery, validation (pydantic's
errors in the data's words), the cross-file checks, the problem policy and look-ups by id."""
