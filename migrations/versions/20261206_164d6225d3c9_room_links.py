"""Room links: per event, a link template that gives each online meeting its own room

Revision ID: 164d6225d3c9
Revises: e720a7d98dc7
Create Date: 2026-12-06 12:16:48.834744

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '164d6225d3c9'
down_revision = 'e720a7d98dc7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room_link_template', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('room_link_template')
