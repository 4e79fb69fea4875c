"""updated_dt on outbox messages (issue 17): the API's outbox list filters by updated_since, so a headquarters'
system that syncs sees a message that was sent, failed or resent since, not only new ones. Existing rows take their
latest known change (sent, else created).

Revision ID: b3e8f0c2d4a6
Revises: a7c41d9e2b10
Create Date: 2026-12-06 18:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e8f0c2d4a6'
down_revision = 'a7c41d9e2b10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE outbox_messages SET updated_dt = COALESCE(sent_dt, created_dt)')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('updated_dt', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('updated_dt')
