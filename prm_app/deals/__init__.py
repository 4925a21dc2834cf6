"""Deal registration with explainable conflict detection, review, protection periods and expiry.

The area's public API: other areas import from here only. Reads return frozen dataclasses with raw values
(queries.py, conflicts.py); use cases take the session and the actor (service.py, review.py).
"""

from prm_app.deals.conflicts import CONFLICT_HINT, Evidence, conflict_hint, possible_conflict
from prm_app.deals.labels import DEAL_STATUS_LABELS, evidence_title
from prm_app.deals.matching.queued import rebuild_queued_conflicts, refresh_queued_conflicts
from prm_app.deals.matching.rules import registrable_domain
from prm_app.deals.matching.vocabulary import FREE_MAIL_DOMAINS
from prm_app.deals.models import (
    DEAL_STAGES,
    LIVE_STATUSES,
    Deal,
    DealEvent,
    DealExtension,
    DealProduct,
    DealStatus,
    DirectAccount,
    Product,
    QueuedConflict,
)
from prm_app.deals.queries import (
    DealDetail,
    DealForReview,
    DealPage,
    DealSummary,
    ExtensionRequest,
    HistoryEntry,
    MyDeal,
    ProductOption,
    QueuedDeal,
    QueuePage,
    get_deal_for_review,
    get_my_deal,
    list_my_deals,
    list_products,
    pending_extensions,
    products_for_registration,
    review_queue,
)
from prm_app.deals.review import (
    ExpiryRun,
    approve_deal,
    bulk_approve_clean,
    decide_extension,
    expire_deals,
    reject_deal,
    request_more_info,
)
from prm_app.deals.rules import CURRENCIES, DealInput, business_days_between
from prm_app.deals.search import DealHit, find_deals
from prm_app.deals.service import (
    answer_info_request,
    close_deal,
    register_deal,
    request_extension,
    submit_draft,
    withdraw_deal,
)

__all__ = [
    "CONFLICT_HINT",
    "CURRENCIES",
    "DEAL_STAGES",
    "DEAL_STATUS_LABELS",
    "FREE_MAIL_DOMAINS",
    "LIVE_STATUSES",
    "Deal",
    "DealDetail",
    "DealEvent",
    "DealExtension",
    "DealForReview",
    "DealHit",
    "DealInput",
    "DealPage",
    "DealProduct",
    "DealStatus",
    "DealSummary",
    "DirectAccount",
    "Evidence",
    "ExpiryRun",
    "ExtensionRequest",
    "HistoryEntry",
    "MyDeal",
    "Product",
    "ProductOption",
    "QueuePage",
    "QueuedConflict",
    "QueuedDeal",
    "answer_info_request",
    "approve_deal",
    "bulk_approve_clean",
    "business_days_between",
    "close_deal",
    "conflict_hint",
    "decide_extension",
    "evidence_title",
    "expire_deals",
    "find_deals",
    "get_deal_for_review",
    "get_my_deal",
    "list_my_deals",
    "list_products",
    "pending_extensions",
    "possible_conflict",
    "products_for_registration",
    "rebuild_queued_conflicts",
    "refresh_queued_conflicts",
    "register_deal",
    "registrable_domain",
    "reject_deal",
    "request_extension",
    "request_more_info",
    "review",
    "review_queue",
    "service",
    "submit_draft",
    "withdraw_deal",
]
