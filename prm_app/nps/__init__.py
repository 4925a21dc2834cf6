"""NPS surveys: launch, answer once, NPS by tier/type/region and detractors."""
