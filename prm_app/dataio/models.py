"""Every row's outcome of a record import run (dry or real), for the results file the page offers afterwards."""

from __future__ import annotations

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from prm_app.platform.jobs_progress import JobRun  # noqa: F401  (the runs these rows belong to; registers the table)


class ImportRowResult(SQLModel, table=True):
    """One row of an import run: written in the transaction that commits its chunk (and the run's position), so a
    resumed run has each line once. Kept RESULTS_KEPT_DAYS (dataio/runs.py)."""

    __tablename__ = "import_row_result"

    run_id: int = Field(foreign_key="job_run.id", primary_key=True)
    line: int = Field(primary_key=True)  # the spreadsheet line (the header is line 1)
    key: str = Field(sa_column=Column(String(100), nullable=False))
    outcome: str = Field(sa_column=Column(String(10), nullable=False))
    message: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
