"""goal set versions unique per municipality

Two versions made at the same moment used to get the same number. Existing duplicates (if the
race ever happened) are renumbered after the municipality's highest version, oldest first.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, municipality_id, version FROM goal_sets ORDER BY municipality_id, version, id")
    ).all()
    highest: dict[int, int] = {}
    for _id, municipality_id, version in rows:
        highest[municipality_id] = max(highest.get(municipality_id, 0), version)
    seen: set[tuple[int, int]] = set()
    for row_id, municipality_id, version in rows:
        if (municipality_id, version) in seen:
            highest[municipality_id] += 1
            bind.execute(
                sa.text("UPDATE goal_sets SET version = :v WHERE id = :id"),
                {"v": highest[municipality_id], "id": row_id},
            )
        else:
            seen.add((municipality_id, version))
    with op.batch_alter_table('goal_sets', schema=None) as batch_op:
        batch_op.create_index('uq_goal_sets_version', ['municipality_id', 'version'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('goal_sets', schema=None) as batch_op:
        batch_op.drop_index('uq_goal_sets_version')
