"""Business rules and use cases. Plain Python: no `reflex` import here (a test enforces it)."""
