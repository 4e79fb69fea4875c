"""Scheduler runs show their progress and can be stopped: the best schedule so far (written by the worker while it
solves) and when staff asked the run to stop

Revision ID: de910c736950
Revises: 5d1e2a7c9b40
Create Date: 2026-12-06 14:54:41.304544

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "de910c736950"
down_revision = "5d1e2a7c9b40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("stop_requested_dt", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_column("stop_requested_dt")
        batch_op.drop_column("progress")
