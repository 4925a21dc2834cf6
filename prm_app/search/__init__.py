"""One search box for everything a person may see: deals, leads, partners and people, each found by its own area
under that area's scope rules (a partner finds only its own organization's deals and leads)."""

from prm_app.search.queries import MIN_LENGTH, SearchResults, search_everything

__all__ = ["MIN_LENGTH", "SearchResults", "search_everything"]
