"""Pages and states."""
