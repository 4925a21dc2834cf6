"""Reflex configuration. The database URL and Redis URL come from REFLEX_DB_URL / REFLEX_REDIS_URL."""

import reflex as rx

from prm_app.platform.settings import settings

config = rx.Config(
    app_name="prm_app",
    db_url=settings.db_url,
    # Several workers share state through Redis when REFLEX_REDIS_URL is set; one process keeps it in memory.
    state_manager_mode="redis" if settings.redis_url else "memory",
    redis_url=settings.redis_url,
    # Only our own origin may open the event socket (Reflex's default is "*").
    cors_allowed_origins=[settings.app_origin, settings.app_origin.replace("localhost", "127.0.0.1")],
    # The browser opens the event socket here; behind a proxy set PRM_APP_ORIGIN=https://prm.example.com.
    api_url=settings.app_origin,
    deploy_url=settings.app_origin,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
