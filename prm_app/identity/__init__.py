"""Who signs in: users, server-side sessions, sign-in with throttling."""
