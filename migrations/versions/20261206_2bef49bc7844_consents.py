"""Consents: what each person agreed to (collection, provision, transfer abroad, news), which version, when, from where

Revision ID: 2bef49bc7844
Revises: 7e277b754d91
Create Date: 2026-12-06 14:45:51.040978

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2bef49bc7844'
down_revision = '7e277b754d91'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('collection', 'provision', 'transfer_abroad', 'news', name='consent_kind',
                                  native_enum=False, create_constraint=True, length=16), nullable=False),
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.Column('given_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ip', sa.String(length=64), nullable=True),
        sa.Column('user_agent', sa.String(length=300), nullable=True),
        sa.Column('withdrawn_dt', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consents_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consents')),
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index('ix_consents_kind_user', ['kind', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_user_id'))
        batch_op.drop_index('ix_consents_kind_user')
    op.drop_table('consents')
