"""Operation hardening: outbox leases and a discarded status, session versions, one scheduled meeting per
table at a time, meeting versions, one active scheduler run per event

Revision ID: e720a7d98dc7
Revises: 333e4b0e0cca
Create Date: 2026-12-06 09:25:58.299541

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e720a7d98dc7'
down_revision = '333e4b0e0cca'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_index('uq_meetings_table_in_use', ['event_id', 'start_dt', 'table_label'], unique=True,
                              postgresql_where=sa.text("status = 'scheduled' AND table_label IS NOT NULL"), sqlite_where=sa.text("status = 'scheduled' AND table_label IS NOT NULL"))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('status', existing_type=sa.Enum('queued', 'sent', 'failed', name='outbox_status', native_enum=False, create_constraint=True, length=16),
                              type_=sa.Enum('queued', 'sent', 'failed', 'discarded', name='outbox_status', native_enum=False, create_constraint=True, length=16), existing_nullable=False)

    with op.batch_alter_table('schedule_runs', schema=None) as batch_op:
        batch_op.create_index('uq_schedule_runs_active_event', ['event_id'], unique=True, postgresql_where=sa.text("status IN ('queued', 'running')"), sqlite_where=sa.text("status IN ('queued', 'running')"))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')

    with op.batch_alter_table('schedule_runs', schema=None) as batch_op:
        batch_op.drop_index('uq_schedule_runs_active_event', postgresql_where=sa.text("status IN ('queued', 'running')"), sqlite_where=sa.text("status IN ('queued', 'running')"))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.Enum('queued', 'sent', 'failed', 'discarded', name='outbox_status', native_enum=False, create_constraint=True, length=16),
                              type_=sa.Enum('queued', 'sent', 'failed', name='outbox_status', native_enum=False, create_constraint=True, length=16), existing_nullable=False)
        batch_op.drop_column('lease_until')
        batch_op.drop_column('claim_token')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('uq_meetings_table_in_use', postgresql_where=sa.text("status = 'scheduled' AND table_label IS NOT NULL"), sqlite_where=sa.text("status = 'scheduled' AND table_label IS NOT NULL"))
        batch_op.drop_column('version')
