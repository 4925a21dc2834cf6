"""Partner organizations, tiers, the directory and profiles, and each partner's team and invitations."""
