"""updated_dt on offices, programs, events and participations (issue 17): the API's lists filter by updated_since, so
a CRM that syncs sees a day whose settings changed or a participation that was decided. Existing rows take their
latest known change (created, or decided for a participation).

Revision ID: a7c41d9e2b10
Revises: f3186a0a353e
Create Date: 2026-12-06 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c41d9e2b10'
down_revision = 'f3186a0a353e'
branch_labels = None
depends_on = None

BACKFILL = {
    'offices': 'created_dt',
    'programs': 'created_dt',
    'events': 'created_dt',
    'participations': 'COALESCE(decided_dt, applied_dt)',
}


def upgrade():
    for table, source in BACKFILL.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=True))
        op.execute(f'UPDATE {table} SET updated_dt = {source}')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('updated_dt', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    for table in reversed(list(BACKFILL)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('updated_dt')
