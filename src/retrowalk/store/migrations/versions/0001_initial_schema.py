"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 23:11:11.980200
"""

import sqlalchemy as sa
from alembic import op

import retrowalk.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "profiles",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profiles")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "assessment_results",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("profile_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("protocol", sa.String(length=64), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("performed_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_assessment_results_profile_id_profiles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_results")),
    )
    with op.batch_alter_table("assessment_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_results_performed_at"), ["performed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_results_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "screening_results",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("clearance", sa.String(length=32), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("rules_version", sa.String(length=32), nullable=False),
        sa.Column("acknowledged_at", retrowalk.store.types.UTCDateTime(), nullable=True),
        sa.Column("acknowledgement_text", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "clearance IN ('go', 'go_with_support', 'see_professional_first')",
            name=op.f("ck_screening_results_clearance"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_screening_results_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_results")),
    )
    with op.batch_alter_table("screening_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screening_results_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "plans",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("screening_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("acknowledged_risk", sa.Boolean(), nullable=False),
        sa.Column("rules_version", sa.String(length=32), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'superseded', 'stopped')", name=op.f("ck_plans_status")
        ),
        sa.CheckConstraint("weeks >= 1", name=op.f("ck_plans_weeks_positive")),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_plans_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["screening_results.id"],
            name=op.f("fk_plans_screening_id_screening_results"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plans_profile_id"), ["profile_id"], unique=False)

    op.create_table(
        "planned_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'done', 'skipped', 'cancelled')",
            name=op.f("ck_planned_sessions_status"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_planned_sessions_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_sessions")),
    )
    with op.batch_alter_table("planned_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planned_sessions_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "planned_segments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("planned_session_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("environment", sa.String(length=32), nullable=False),
        sa.Column("support", sa.String(length=32), nullable=False),
        sa.Column("speed_target_m_s", sa.Float(), nullable=True),
        sa.Column("speed_limit_m_s", sa.Float(), nullable=True),
        sa.Column("grade_pct", sa.Float(), nullable=False),
        sa.Column("cues", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "direction IN ('forward', 'backward')", name=op.f("ck_planned_segments_direction")
        ),
        sa.CheckConstraint("duration_s > 0", name=op.f("ck_planned_segments_duration_positive")),
        sa.ForeignKeyConstraint(
            ["planned_session_id"],
            ["planned_sessions.id"],
            name=op.f("fk_planned_segments_planned_session_id_planned_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_segments")),
    )
    with op.batch_alter_table("planned_segments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_planned_segments_planned_session_id"),
            ["planned_session_id"],
            unique=False,
        )

    op.create_table(
        "session_logs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("profile_id", sa.String(length=36), nullable=True),
        sa.Column("planned_session_id", sa.String(length=36), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("ended_at", retrowalk.store.types.UTCDateTime(), nullable=True),
        sa.Column("stop_reason", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("energy", sa.JSON(), nullable=True),
        sa.Column("checkpoint", sa.JSON(), nullable=True),
        sa.Column("checkpoint_at", retrowalk.store.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "source IN ('guided', 'quick', 'manual', 'import')", name=op.f("ck_session_logs_source")
        ),
        sa.CheckConstraint(
            "status IN ('in_progress', 'completed', 'stopped', 'abandoned')",
            name=op.f("ck_session_logs_status"),
        ),
        sa.ForeignKeyConstraint(
            ["planned_session_id"],
            ["planned_sessions.id"],
            name=op.f("fk_session_logs_planned_session_id_planned_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_session_logs_profile_id_profiles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_logs")),
        sa.UniqueConstraint("profile_id", "started_at", name="uq_session_logs_profile_started"),
    )
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_logs_profile_id"), ["profile_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_session_logs_started_at"), ["started_at"], unique=False
        )

    op.create_table(
        "plan_changes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("session_log_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "action IN ('progress', 'hold', 'regress', 'stop')", name=op.f("ck_plan_changes_action")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_changes_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_plan_changes_session_log_id_session_logs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_changes")),
    )
    with op.batch_alter_table("plan_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_changes_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "session_segments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_log_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("speed_m_s", sa.Float(), nullable=True),
        sa.Column("grade_pct", sa.Float(), nullable=False),
        sa.Column("environment", sa.String(length=32), nullable=False),
        sa.Column("support", sa.String(length=32), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("energy", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "direction IN ('forward', 'backward')", name=op.f("ck_session_segments_direction")
        ),
        sa.CheckConstraint(
            "duration_s >= 0", name=op.f("ck_session_segments_duration_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_session_segments_session_log_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_segments")),
    )
    with op.batch_alter_table("session_segments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_segments_session_log_id"), ["session_log_id"], unique=False
        )

    op.create_table(
        "symptom_reports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_log_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("rpe_scale", sa.String(length=16), nullable=True),
        sa.Column("pain_0_10", sa.Integer(), nullable=True),
        sa.Column("pain_location", sa.String(length=100), nullable=True),
        sa.Column("dizziness", sa.Boolean(), nullable=False),
        sa.Column("near_fall", sa.Boolean(), nullable=False),
        sa.Column("fall", sa.Boolean(), nullable=False),
        sa.Column("chest_pain", sa.Boolean(), nullable=False),
        sa.Column("fainting", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "rpe_scale IS NULL OR rpe_scale IN ('borg6_20', 'cr10')",
            name=op.f("ck_symptom_reports_rpe_scale"),
        ),
        sa.CheckConstraint(
            "pain_0_10 IS NULL OR (pain_0_10 >= 0 AND pain_0_10 <= 10)",
            name=op.f("ck_symptom_reports_pain"),
        ),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_symptom_reports_session_log_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_symptom_reports")),
    )
    with op.batch_alter_table("symptom_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_symptom_reports_session_log_id"), ["session_log_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("symptom_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_symptom_reports_session_log_id"))

    op.drop_table("symptom_reports")
    with op.batch_alter_table("session_segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_segments_session_log_id"))

    op.drop_table("session_segments")
    with op.batch_alter_table("plan_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_changes_plan_id"))

    op.drop_table("plan_changes")
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_logs_started_at"))
        batch_op.drop_index(batch_op.f("ix_session_logs_profile_id"))

    op.drop_table("session_logs")
    with op.batch_alter_table("planned_segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planned_segments_planned_session_id"))

    op.drop_table("planned_segments")
    with op.batch_alter_table("planned_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planned_sessions_plan_id"))

    op.drop_table("planned_sessions")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_profile_id"))

    op.drop_table("plans")
    with op.batch_alter_table("screening_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_results_profile_id"))

    op.drop_table("screening_results")
    with op.batch_alter_table("assessment_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_results_profile_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_results_performed_at"))

    op.drop_table("assessment_results")
    op.drop_table("settings")
    op.drop_table("profiles")
