"""The day as participants live it: virtual rooms per event, profile texts per language, why an accepted request
was not placed, messages between the two sides, shortlists, proposals to change a meeting

Revision ID: 9bc681a02ac6
Revises: 164d6225d3c9
Create Date: 2026-12-06 12:26:15.846916

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9bc681a02ac6'
down_revision = '164d6225d3c9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shortlist_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('organization_id <> target_id', name=op.f('ck_shortlist_entries_not_self')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_shortlist_entries_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_shortlist_entries_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['organizations.id'], name=op.f('fk_shortlist_entries_target_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shortlist_entries')),
    sa.UniqueConstraint('organization_id', 'target_id', name=op.f('uq_shortlist_entries_organization_id_target_id'))
    )
    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shortlist_entries_organization_id'), ['organization_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('author_org_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notified_dt', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_org_id'], ['organizations.id'], name=op.f('fk_messages_author_org_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['meeting_requests.id'], name=op.f('fk_messages_request_id_meeting_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_request_created', ['request_id', 'created_dt'], unique=False)

    op.create_table('time_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('new_time', 'ask_staff', name='proposal_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'withdrawn', 'done', name='proposal_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('proposed_by_org_id', sa.Integer(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('start_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind <> 'new_time' OR start_dt IS NOT NULL", name=op.f('ck_time_proposals_new_time_has_start')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_time_proposals_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_time_proposals_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_time_proposals_proposed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_org_id'], ['organizations.id'], name=op.f('fk_time_proposals_proposed_by_org_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_proposals'))
    )
    with op.batch_alter_table('time_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_proposals_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('uq_time_proposals_open', ['meeting_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('virtual_rooms', sa.JSON(), nullable=True))

    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unplaced_reason', sa.JSON(), nullable=True))

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description_lang', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('texts', sa.JSON(), server_default='{}', nullable=False))



def downgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('texts')
        batch_op.drop_column('description_lang')

    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.drop_column('unplaced_reason')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('virtual_rooms')

    with op.batch_alter_table('time_proposals', schema=None) as batch_op:
        batch_op.drop_index('uq_time_proposals_open', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_time_proposals_meeting_id'))

    op.drop_table('time_proposals')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_request_created')

    op.drop_table('messages')
    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shortlist_entries_organization_id'))

    op.drop_table('shortlist_entries')
