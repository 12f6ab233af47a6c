//! Saved transitions, the plans built from them and their milestones. Every query that
//! loads one takes the owner's id: another user's id finds nothing.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::dialect::write_transaction;
use super::schema::{milestones, plans, saved_transitions};
use super::{DbConnection, DbError};

pub const ACTIVE: &str = "active";
pub const ARCHIVED: &str = "archived";

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = saved_transitions)]
pub struct SavedTransition {
    pub id: i32,
    pub user_id: i32,
    pub from_slug: String,
    pub to_slug: String,
    pub note: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = plans)]
pub struct Plan {
    pub id: i32,
    pub user_id: i32,
    pub saved_transition_id: i32,
    pub start_date: NaiveDate,
    pub months: i32,
    pub hours_per_week: i32,
    pub status: String,
    /// A secret, like a password: never part of an export.
    #[serde(skip)]
    pub calendar_token: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// JSON list of `domain::profile::SkippedSkill`: what the profile let the plan leave out.
    pub skipped_skills: String,
}

impl Plan {
    pub fn is_active(&self) -> bool {
        self.status == ACTIVE
    }
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = milestones)]
pub struct Milestone {
    pub id: i32,
    pub plan_id: i32,
    pub position: i32,
    pub kind: String,
    pub title: String,
    pub detail: String,
    pub skill_slug: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub notes: String,
    pub edited: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A milestone to insert.
#[derive(Debug, Clone)]
pub struct NewMilestone {
    pub kind: String,
    pub title: String,
    pub detail: String,
    pub skill_slug: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub notes: String,
    pub edited: bool,
}

/// What the edit form changes.
#[derive(Debug, Clone)]
pub struct MilestoneEdit {
    pub title: String,
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub notes: String,
    pub status: String,
}

// ---- saved transitions ----

pub fn find_saved(
    conn: &mut DbConnection,
    user_id: i32,
    id: i32,
) -> Result<Option<SavedTransition>, DbError> {
    Ok(saved_transitions::table
        .filter(saved_transitions::id.eq(id))
        .filter(saved_transitions::user_id.eq(user_id))
        .select(SavedTransition::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_saved_pair(
    conn: &mut DbConnection,
    user_id: i32,
    from: &str,
    to: &str,
) -> Result<Option<SavedTransition>, DbError> {
    Ok(saved_transitions::table
        .filter(saved_transitions::user_id.eq(user_id))
        .filter(saved_transitions::from_slug.eq(from))
        .filter(saved_transitions::to_slug.eq(to))
        .select(SavedTransition::as_select())
        .first(conn)
        .optional()?)
}

pub fn list_saved(conn: &mut DbConnection, user_id: i32) -> Result<Vec<SavedTransition>, DbError> {
    Ok(saved_transitions::table
        .filter(saved_transitions::user_id.eq(user_id))
        .order((
            saved_transitions::created_at.desc(),
            saved_transitions::id.desc(),
        ))
        .select(SavedTransition::as_select())
        .load(conn)?)
}

/// Saves the move, or returns the one already saved (a new non-empty note replaces the
/// old one).
pub fn save(
    conn: &mut DbConnection,
    user_id: i32,
    from: &str,
    to: &str,
    note: &str,
    now: NaiveDateTime,
) -> Result<SavedTransition, DbError> {
    write_transaction(conn, |conn| {
        if let Some(existing) = find_saved_pair(conn, user_id, from, to)? {
            if !note.is_empty() {
                diesel::update(saved_transitions::table.find(existing.id))
                    .set(saved_transitions::note.eq(note))
                    .execute(conn)?;
            }
        } else {
            diesel::insert_into(saved_transitions::table)
                .values((
                    saved_transitions::user_id.eq(user_id),
                    saved_transitions::from_slug.eq(from),
                    saved_transitions::to_slug.eq(to),
                    saved_transitions::note.eq(note),
                    saved_transitions::created_at.eq(now),
                ))
                .execute(conn)?;
        }
        find_saved_pair(conn, user_id, from, to)?
            .ok_or_else(|| DbError::Corrupt("saved transition vanished".into()))
    })
}

pub fn set_note(
    conn: &mut DbConnection,
    user_id: i32,
    id: i32,
    note: &str,
) -> Result<bool, DbError> {
    let changed = diesel::update(
        saved_transitions::table
            .filter(saved_transitions::id.eq(id))
            .filter(saved_transitions::user_id.eq(user_id)),
    )
    .set(saved_transitions::note.eq(note))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Unsaves the move, with its plans and their milestones.
pub fn delete_saved(conn: &mut DbConnection, user_id: i32, id: i32) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        if find_saved(conn, user_id, id)?.is_none() {
            return Ok(false);
        }
        let plan_ids: Vec<i32> = plans::table
            .filter(plans::saved_transition_id.eq(id))
            .filter(plans::user_id.eq(user_id))
            .select(plans::id)
            .load(conn)?;
        diesel::delete(milestones::table.filter(milestones::plan_id.eq_any(&plan_ids)))
            .execute(conn)?;
        diesel::delete(plans::table.filter(plans::id.eq_any(&plan_ids))).execute(conn)?;
        diesel::delete(saved_transitions::table.find(id)).execute(conn)?;
        Ok(true)
    })
}

// ---- plans ----

pub fn find_plan(conn: &mut DbConnection, user_id: i32, id: i32) -> Result<Option<Plan>, DbError> {
    Ok(plans::table
        .filter(plans::id.eq(id))
        .filter(plans::user_id.eq(user_id))
        .select(Plan::as_select())
        .first(conn)
        .optional()?)
}

pub fn active_plan_for(
    conn: &mut DbConnection,
    user_id: i32,
    saved_id: i32,
) -> Result<Option<Plan>, DbError> {
    Ok(plans::table
        .filter(plans::saved_transition_id.eq(saved_id))
        .filter(plans::user_id.eq(user_id))
        .filter(plans::status.eq(ACTIVE))
        .select(Plan::as_select())
        .first(conn)
        .optional()?)
}

pub fn plans_of(conn: &mut DbConnection, user_id: i32) -> Result<Vec<Plan>, DbError> {
    Ok(plans::table
        .filter(plans::user_id.eq(user_id))
        .order((plans::created_at.desc(), plans::id.desc()))
        .select(Plan::as_select())
        .load(conn)?)
}

pub enum Created {
    New(i32),
    /// The saved transition already has an active plan: this one.
    AlreadyActive(i32),
    /// No such saved transition for this user.
    NotFound,
}

pub struct NewPlan {
    pub saved_transition_id: i32,
    pub start_date: NaiveDate,
    pub months: i32,
    pub hours_per_week: i32,
    pub skipped_skills: String,
}

/// Creates the plan and all its milestones, or nothing.
pub fn create_plan(
    conn: &mut DbConnection,
    user_id: i32,
    plan: &NewPlan,
    items: &[NewMilestone],
    now: NaiveDateTime,
) -> Result<Created, DbError> {
    write_transaction(conn, |conn| {
        if find_saved(conn, user_id, plan.saved_transition_id)?.is_none() {
            return Ok(Created::NotFound);
        }
        if let Some(existing) = active_plan_for(conn, user_id, plan.saved_transition_id)? {
            return Ok(Created::AlreadyActive(existing.id));
        }
        diesel::insert_into(plans::table)
            .values((
                plans::user_id.eq(user_id),
                plans::saved_transition_id.eq(plan.saved_transition_id),
                plans::start_date.eq(plan.start_date),
                plans::months.eq(plan.months),
                plans::hours_per_week.eq(plan.hours_per_week),
                plans::skipped_skills.eq(&plan.skipped_skills),
                plans::status.eq(ACTIVE),
                plans::created_at.eq(now),
                plans::updated_at.eq(now),
            ))
            .execute(conn)?;
        let created = active_plan_for(conn, user_id, plan.saved_transition_id)?
            .ok_or_else(|| DbError::Corrupt("new plan vanished".into()))?;
        for (i, item) in items.iter().enumerate() {
            insert_milestone(conn, created.id, position(i), item, now)?;
        }
        Ok(Created::New(created.id))
    })
}

fn position(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

fn insert_milestone(
    conn: &mut DbConnection,
    plan_id: i32,
    position: i32,
    item: &NewMilestone,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(milestones::table)
        .values((
            milestones::plan_id.eq(plan_id),
            milestones::position.eq(position),
            milestones::kind.eq(&item.kind),
            milestones::title.eq(&item.title),
            milestones::detail.eq(&item.detail),
            milestones::skill_slug.eq(&item.skill_slug),
            milestones::starts_on.eq(item.starts_on),
            milestones::due_on.eq(item.due_on),
            milestones::status.eq("not_started"),
            milestones::notes.eq(&item.notes),
            milestones::edited.eq(item.edited),
            milestones::created_at.eq(now),
            milestones::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn archive_plan(
    conn: &mut DbConnection,
    user_id: i32,
    id: i32,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let changed = diesel::update(
        plans::table
            .filter(plans::id.eq(id))
            .filter(plans::user_id.eq(user_id)),
    )
    .set((
        plans::status.eq(ARCHIVED),
        plans::calendar_token.eq(None::<String>),
        plans::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Sets (or with `None`, removes) the private feed's token; the old address stops working.
pub fn set_calendar_token(
    conn: &mut DbConnection,
    user_id: i32,
    id: i32,
    token: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let changed = diesel::update(
        plans::table
            .filter(plans::id.eq(id))
            .filter(plans::user_id.eq(user_id)),
    )
    .set((plans::calendar_token.eq(token), plans::updated_at.eq(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The plan a private feed token belongs to.
pub fn plan_by_token(conn: &mut DbConnection, token: &str) -> Result<Option<Plan>, DbError> {
    Ok(plans::table
        .filter(plans::calendar_token.eq(token))
        .select(Plan::as_select())
        .first(conn)
        .optional()?)
}

// ---- milestones ----

/// A plan's milestones in the user's order. Callers have checked the plan is theirs.
pub fn milestones_of(conn: &mut DbConnection, plan_id: i32) -> Result<Vec<Milestone>, DbError> {
    Ok(milestones::table
        .filter(milestones::plan_id.eq(plan_id))
        .order((milestones::position.asc(), milestones::id.asc()))
        .select(Milestone::as_select())
        .load(conn)?)
}

/// Milestones of several plans, for the dashboard.
pub fn milestones_of_plans(
    conn: &mut DbConnection,
    plan_ids: &[i32],
) -> Result<Vec<Milestone>, DbError> {
    Ok(milestones::table
        .filter(milestones::plan_id.eq_any(plan_ids))
        .order((
            milestones::plan_id.asc(),
            milestones::position.asc(),
            milestones::id.asc(),
        ))
        .select(Milestone::as_select())
        .load(conn)?)
}

/// The user's plan, or `None` when it is not theirs.
pub fn owned_plan_with_milestones(
    conn: &mut DbConnection,
    user_id: i32,
    plan_id: i32,
) -> Result<Option<(Plan, Vec<Milestone>)>, DbError> {
    let Some(plan) = find_plan(conn, user_id, plan_id)? else {
        return Ok(None);
    };
    let items = milestones_of(conn, plan.id)?;
    Ok(Some((plan, items)))
}

fn owned_milestone(
    conn: &mut DbConnection,
    user_id: i32,
    plan_id: i32,
    id: i32,
) -> Result<Option<Milestone>, DbError> {
    if find_plan(conn, user_id, plan_id)?.is_none() {
        return Ok(None);
    }
    Ok(milestones::table
        .filter(milestones::id.eq(id))
        .filter(milestones::plan_id.eq(plan_id))
        .select(Milestone::as_select())
        .first(conn)
        .optional()?)
}

pub fn add_milestone(
    conn: &mut DbConnection,
    user_id: i32,
    plan_id: i32,
    item: &NewMilestone,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        if find_plan(conn, user_id, plan_id)?.is_none() {
            return Ok(false);
        }
        let last: Option<i32> = milestones::table
            .filter(milestones::plan_id.eq(plan_id))
            .select(diesel::dsl::max(milestones::position))
            .first(conn)?;
        insert_milestone(conn, plan_id, last.map_or(0, |p| p + 1), item, now)?;
        Ok(true)
    })
}

pub fn update_milestone(
    conn: &mut DbConnection,
    user_id: i32,
    plan_id: i32,
    id: i32,
    edit: &MilestoneEdit,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        let Some(current) = owned_milestone(conn, user_id, plan_id, id)? else {
            return Ok(false);
        };
        let edited = current.edited
            || current.title != edit.title
            || current.starts_on != edit.starts_on
            || current.due_on != edit.due_on
            || current.notes != edit.notes;
        diesel::update(milestones::table.find(id))
            .set((
                milestones::title.eq(&edit.title),
                milestones::starts_on.eq(edit.starts_on),
                milestones::due_on.eq(edit.due_on),
                milestones::notes.eq(&edit.notes),
                milestones::status.eq(&edit.status),
                milestones::edited.eq(edited),
                milestones::updated_at.eq(now),
            ))
            .execute(conn)?;
        // A reminder waiting to go about the old date, or about work now finished, is
        // withdrawn; the scheduler makes the right one for the new date.
        let settled = matches!(edit.status.as_str(), "done" | "dropped");
        if settled || current.due_on != edit.due_on {
            super::outbox::withdraw_for_milestone(conn, id)?;
        }
        Ok(true)
    })
}

pub fn delete_milestone(
    conn: &mut DbConnection,
    user_id: i32,
    plan_id: i32,
    id: i32,
) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        if owned_milestone(conn, user_id, plan_id, id)?.is_none() {
            return Ok(false);
        }
        diesel::delete(milestones::table.find(id)).execute(conn)?;
        super::outbox::withdraw_for_milestone(conn, id)?;
        Ok(true)
    })
}

/// Swaps the milestone with its neighbour above (`up`) or below. At either end nothing
/// moves; `false` only when it is not the user's.
pub fn move_milestone(
    conn: &mut DbConnection,
    user_id: i32,
    plan_id: i32,
    id: i32,
    up: bool,
) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        if owned_milestone(conn, user_id, plan_id, id)?.is_none() {
            return Ok(false);
        }
        let items = milestones_of(conn, plan_id)?;
        let Some(at) = items.iter().position(|m| m.id == id) else {
            return Ok(false);
        };
        let other = if up { at.checked_sub(1) } else { Some(at + 1) };
        let Some(other) = other.filter(|o| *o < items.len()) else {
            return Ok(true);
        };
        let mut order: Vec<i32> = items.iter().map(|m| m.id).collect();
        order.swap(at, other);
        renumber(conn, &order)?;
        Ok(true)
    })
}

fn renumber(conn: &mut DbConnection, order: &[i32]) -> Result<(), DbError> {
    for (i, mid) in order.iter().enumerate() {
        diesel::update(milestones::table.find(*mid))
            .set(milestones::position.eq(position(i)))
            .execute(conn)?;
    }
    Ok(())
}

/// One place in a regenerated plan: a milestone that stays, or a new one.
pub enum Slot {
    Keep(i32),
    New(NewMilestone),
}

/// Replaces the plan's milestones with `slots`, in that order: kept ones stay as they are
/// (edits and status included), every other existing milestone is removed.
pub fn replace_milestones(
    conn: &mut DbConnection,
    user_id: i32,
    plan_id: i32,
    slots: &[Slot],
    skipped_skills: &str,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        if find_plan(conn, user_id, plan_id)?.is_none() {
            return Ok(false);
        }
        diesel::update(plans::table.find(plan_id))
            .set(plans::skipped_skills.eq(skipped_skills))
            .execute(conn)?;
        let keep: Vec<i32> = slots
            .iter()
            .filter_map(|s| match s {
                Slot::Keep(id) => Some(*id),
                Slot::New(_) => None,
            })
            .collect();
        diesel::delete(
            milestones::table
                .filter(milestones::plan_id.eq(plan_id))
                .filter(milestones::id.ne_all(&keep)),
        )
        .execute(conn)?;
        for (i, slot) in slots.iter().enumerate() {
            match slot {
                Slot::Keep(id) => {
                    diesel::update(
                        milestones::table
                            .filter(milestones::id.eq(*id))
                            .filter(milestones::plan_id.eq(plan_id)),
                    )
                    .set(milestones::position.eq(position(i)))
                    .execute(conn)?;
                }
                Slot::New(item) => insert_milestone(conn, plan_id, position(i), item, now)?,
            }
        }
        diesel::update(plans::table.find(plan_id))
            .set(plans::updated_at.eq(now))
            .execute(conn)?;
        Ok(true)
    })
}

/// A dated milestone still to do in an active plan, with whom to remind about it.
#[derive(Debug, Clone, Queryable)]
pub struct MilestoneToRemind {
    pub user_id: i32,
    pub email: String,
    pub time_zone: String,
    pub milestone_id: i32,
    pub plan_id: i32,
    pub title: String,
    pub due_on: NaiveDate,
}

/// Every dated milestone still to do in an active plan, with its owner, for the reminder
/// scheduler. Only confirmed, enabled accounts get reminders.
pub fn open_milestones_to_remind(
    conn: &mut DbConnection,
) -> Result<Vec<MilestoneToRemind>, DbError> {
    use super::schema::users;
    Ok(milestones::table
        .inner_join(plans::table.inner_join(users::table))
        .filter(plans::status.eq(ACTIVE))
        .filter(milestones::status.eq_any(["not_started", "in_progress"]))
        .filter(users::email_verified_at.is_not_null())
        .filter(users::disabled_at.is_null())
        .select((
            users::id,
            users::email,
            users::time_zone,
            milestones::id,
            milestones::plan_id,
            milestones::title,
            milestones::due_on.assume_not_null(),
        ))
        .filter(milestones::due_on.is_not_null())
        .order((users::id, milestones::due_on, milestones::id))
        .load(conn)?)
}

/// Whether a milestone still exists, is still to do, and its plan is still active: a
/// reminder about it is still worth sending.
pub fn milestone_still_open(conn: &mut DbConnection, milestone_id: i32) -> Result<bool, DbError> {
    let found: i64 = milestones::table
        .inner_join(plans::table)
        .filter(milestones::id.eq(milestone_id))
        .filter(plans::status.eq(ACTIVE))
        .filter(milestones::status.eq_any(["not_started", "in_progress"]))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}
