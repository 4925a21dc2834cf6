"""The demo courses' content: lesson texts, quiz questions, the deployment guide's sections, and which demo people
are where (seed.py writes them)."""

from __future__ import annotations

from prm_app.audience import AudienceRule

CORE, SECURITY, ANALYTICS = "CORE-101", "SEC-201", "ANA-110"
Q = tuple[str, str, list[str], list[object], int, str]  # kind, prompt, options, answer, marks, explanation

CORE_QUIZ: list[Q] = [
    (
        "single",
        "Who may see a deal registration's customer details?",
        [
            "Every partner of the program",
            "The registering partner and its channel manager",
            "Nobody but the vendor",
        ],
        [1],
        1,
        "Registrations are private to the partner that registered them and the vendor's people who manage it.",
    ),
    (
        "multiple",
        "Which of these does the Core Platform include?",
        [
            "Deal registration",
            "Lead distribution",
            "Payroll",
            "Partner scorecards",
        ],
        [0, 1, 3],
        2,
        "Payroll is not part of a PRM; deals, leads and scorecards are the core.",
    ),
    (
        "numeric",
        "A customer buys 40 seats at $25 per seat per month. What is the monthly value in dollars?",
        [],
        ["1000", "0"],
        1,
        "40 × 25 = 1,000 dollars a month.",
    ),
    (
        "single",
        "How long does deal protection last when a registration is approved?",
        [
            "Until the expected close date, extendable on request",
            "Forever",
            "One day",
        ],
        [0],
        1,
        "Protection runs to the expected close date; partners may ask for an extension.",
    ),
]
SECURITY_QUIZ: list[Q] = [
    (
        "single",
        "Where should the Security Suite collector run?",
        [
            "Inside the customer's network, next to the systems it watches",
            "On the partner's laptop",
            "In a public file share",
        ],
        [0],
        1,
        "The collector sits near the monitored systems and sends only alerts outward.",
    ),
    (
        "multiple",
        "Which steps belong to a Security Suite deployment?",
        [
            "Register the collector",
            "Import the customer's asset list",
            "Disable the firewall",
            "Set alert routes",
        ],
        [0, 1, 3],
        2,
        "Never disable the firewall; the collector needs only outbound HTTPS.",
    ),
    (
        "numeric",
        "How many days of alert history does the standard plan keep?",
        [],
        ["90", "0"],
        1,
        "The standard plan keeps 90 days; the extended plan a year.",
    ),
]
ANALYTICS_QUIZ: list[Q] = [
    (
        "single",
        "Which buyer usually signs an Analytics Cloud deal?",
        [
            "The head of finance or operations",
            "The office manager",
            "The receptionist",
        ],
        [0],
        1,
        "Analytics Cloud is bought for planning; finance and operations own that budget.",
    ),
    (
        "single",
        "What is the best first meeting?",
        [
            "A discovery call about the reports they build by hand today",
            "A price list by email",
            "A product demo only",
        ],
        [0],
        1,
        "Start from the work they do by hand: the value is the time saved.",
    ),
]

LESSONS: dict[str, list[tuple[str, list[tuple[str, str, str]]]]] = {
    CORE: [
        (
            "Getting started",
            [
                (
                    "text",
                    "What the Core Platform does",
                    (
                        "# One place for your partner business\n\nThe **Core Platform** brings deal registration, lead "
                        "distribution and partner scorecards together.\n\n"
                        "- Register a deal in two minutes\n- Accept leads "
                        "routed to you by region and expertise\n- See your scorecard every quarter\n"
                    ),
                ),
                (
                    "text",
                    "Registering your first deal",
                    (
                        "# Register early\n\nRegister as soon as you qualify an opportunity: the first complete "
                        "registration wins protection.\n\n1. Open **Deals** and choose *Register a deal*\n2. Give the "
                        "customer's website and the products\n3. Submit: your channel manager answers within two days\n"
                    ),
                ),
                ("video", "A tour of the Core Platform", ""),
            ],
        ),
        ("Check your knowledge", [("quiz", "Core Platform essentials quiz", "")]),
    ],
    SECURITY: [
        (
            "Deploying Security Suite",
            [
                (
                    "text",
                    "Before you deploy",
                    (
                        "# Plan the deployment\n\nAgree with the custome"
                        "r on the monitored networks, the alert contacts "
                        "and a maintenance window. The collector needs outbound HTTPS only.\n"
                    ),
                ),
                ("pdf", "Security Suite deployment guide", ""),
                ("scorm", "Security Suite fundamentals (interactive)", "Security Suite fundamentals (SCORM 1.2)"),
            ],
        ),
        ("Check your knowledge", [("quiz", "Security Suite deployment quiz", "")]),
    ],
    ANALYTICS: [
        (
            "Selling Analytics Cloud",
            [
                (
                    "text",
                    "Who buys Analytics Cloud",
                    (
                        "# Find the buyer\n\nFinance and operations leade"
                        "rs who rebuild the same spreadsheets every month "
                        "are your best prospects.\n"
                    ),
                ),
                (
                    "text",
                    "Running a discovery call",
                    (
                        "# Ask about the manual work\n\n| Ask | Listen fo"
                        "r |\n|---|---|\n| Which reports take longest? | "
                        "Hours per month |\n| Who reads them? | The economic buyer |\n"
                    ),
                ),
                ("scorm", "Partner essentials refresher (interactive)", "Partner onboarding essentials (SCORM 2004)"),
            ],
        ),
        ("Check your knowledge", [("quiz", "Selling Analytics Cloud quiz", "")]),
    ],
}
COURSES = [
    (
        CORE,
        "Core Platform essentials",
        "Core Platform",
        "foundation",
        25,
        "",
        "Everything a new partner needs to register deals, take leads and read their scorecard.",
    ),
    (
        SECURITY,
        "Deploying Security Suite",
        "Security Suite",
        "intermediate",
        40,
        AudienceRule(partner_types=("msp", "system_integrator")).to_json(),
        "Plan, install and hand over a Security Suite deployment at a customer site.",
    ),
    (
        ANALYTICS,
        "Selling Analytics Cloud",
        "Analytics Cloud",
        "foundation",
        20,
        "",
        "Find the buyer, run discovery and size an Analytics Cloud deal.",
    ),
]
QUIZZES = {CORE: CORE_QUIZ, SECURITY: SECURITY_QUIZ, ANALYTICS: ANALYTICS_QUIZ}
GUIDE = [
    ("1. Prepare", "Confirm the monitored networks, the alert contacts and a two-hour maintenance window."),
    (
        "2. Install the collector",
        "Install the collector on a virtual machine inside the customer's network and "
        "register it with the activation code from the partner portal.",
    ),
    ("3. Import assets", "Import the customer's asset list (CSV) and check that every site reports within an hour."),
    ("4. Route alerts", "Send critical alerts to the customer's on-call phone and weekly summaries to the IT lead."),
]


# (email, course code, lessons done (99 = all), days ago)
STAGES = [
    ("dana.price@northwind-dist.example", CORE, 99, 340),
    ("omar.haddad@northwind-dist.example", CORE, 2, 6),
    ("priya.shah@cobaltsys.example", CORE, 99, 120),
    ("priya.shah@cobaltsys.example", ANALYTICS, 1, 20),
    ("jake.morris@cobaltsys.example", CORE, 1, 3),
    ("ingrid.berg@fjordit.example", SECURITY, 99, 700),
    ("ingrid.berg@fjordit.example", CORE, 99, 720),
    ("jonas.weber@meridian-ig.example", SECURITY, 99, 90),
    ("anna.schmidt@meridian-ig.example", SECURITY, 2, 10),
]
# (email, certification code, issued days ago): Dana's and Ingrid's are near expiry.
CERTIFICATES = [
    ("dana.price@northwind-dist.example", "CPA", 330),
    ("priya.shah@cobaltsys.example", "CPA", 118),
    ("ingrid.berg@fjordit.example", "CSS", 690),
    ("ingrid.berg@fjordit.example", "CPA", 300),
    ("jonas.weber@meridian-ig.example", "CSS", 88),
]
