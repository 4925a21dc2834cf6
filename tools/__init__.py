"""Scripts and data generators that are not part of the app (the app never imports them)."""
