"""Onboarding checklists: templates per partner type and region in stages, tasks that tick themselves from
engagement events, each partner's journey, and the managers' board with time to onboard and to first deal.
"""
