"""Lead intake, queues, explainable routing, offers with SLAs and recycling."""
