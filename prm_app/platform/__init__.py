"""What every area may use and that uses no area: settings, the database session scope, clock, errors,
security, access (Actor, Role), audit and activity, money, places.

Importing anything here first names constraints the one way (so migrations are reviewable and SQLite batch mode
finds them again): every table module imports `prm_app.platform.clock`, so this runs before any table exists.
"""

from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
