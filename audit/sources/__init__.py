"""Where posts come from: export files, folders and archives read safely, and the user files that say what to read."""
