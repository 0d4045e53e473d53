"""Public crisis feeds (ReliefWeb, GDACS) turned into events."""
