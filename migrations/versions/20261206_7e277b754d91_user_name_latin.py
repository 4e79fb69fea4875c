"""Every contact person's name in Latin letters as well (check-in search finds "Kim Minjun" as "김민준")

Revision ID: 7e277b754d91
Revises: 9bc681a02ac6
Create Date: 2026-12-06 13:28:33.986321

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7e277b754d91'
down_revision = '9bc681a02ac6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_latin', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('name_latin')
