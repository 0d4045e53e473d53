"""Events an audit measures responses against: crises, opportunities and transitions, from files or feeds."""
