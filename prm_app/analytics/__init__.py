"""Live dashboards (engagement, pipeline, revenue, efficiency) and partner scorecards."""
