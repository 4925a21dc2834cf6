"""Deal registration with explainable conflict detection, review, protection periods and expiry."""
