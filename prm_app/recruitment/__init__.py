"""Partner recruitment: public application forms per program, the review queue with qualification scores,
and approval that provisions the partner in one transaction.
"""
