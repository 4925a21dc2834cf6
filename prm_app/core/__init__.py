"""Infrastructure every layer may use: settings, database, security, actor, errors, audit."""
