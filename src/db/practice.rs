//! The interview question bank, practice attempts and each account's tier. The daily
//! free allowance is checked and spent in one write transaction, so concurrent
//! submissions cannot get more feedback than the tier allows, on either database.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::dialect::{lock_user, write_transaction};
use super::schema::{
    practice_attempts, practice_points, practice_questions, practice_terms, subscriptions,
};
use super::{DbConnection, DbError};
use crate::domain::practice::RoleQuestions;
use crate::domain::practice::feedback::{QuestionKind, TalkingPoint};
use crate::domain::practice::tier::{self, Allowance, Subscription, Tier};

const SEEDED_KEY: &str = "practice_questions_seeded";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = practice_questions)]
pub struct QuestionRow {
    pub id: i32,
    pub role_slug: String,
    pub position: i32,
    pub kind: String,
    pub text: String,
    pub updated_at: NaiveDateTime,
}

impl QuestionRow {
    pub fn kind(&self) -> QuestionKind {
        QuestionKind::parse(&self.kind).unwrap_or(QuestionKind::Behavioural)
    }
}

/// A question with its talking points, ready to score against.
#[derive(Debug, Clone)]
pub struct Question {
    pub row: QuestionRow,
    pub points: Vec<TalkingPoint>,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = practice_attempts)]
pub struct Attempt {
    pub id: i32,
    pub user_id: i32,
    pub question_id: Option<i32>,
    pub role_slug: String,
    pub question_text: String,
    pub answer: String,
    pub feedback: String,
    pub points_covered: i32,
    pub points_total: i32,
    pub local_day: NaiveDate,
    pub counted: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = subscriptions)]
struct SubscriptionRow {
    premium: bool,
    trial_started_at: Option<NaiveDateTime>,
    trial_ends_at: Option<NaiveDateTime>,
}

/// Loads the bundled question bank the first time a database is used; later starts leave
/// the stored questions alone, because admins edit them there.
pub fn seed_if_new(conn: &mut DbConnection, bank: &[RoleQuestions]) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        if super::catalogue::is_marked(conn, SEEDED_KEY)? {
            return Ok(false);
        }
        let now = Utc::now().naive_utc();
        for role in bank {
            for term in &role.terms {
                diesel::insert_into(practice_terms::table)
                    .values((
                        practice_terms::role_slug.eq(&role.role),
                        practice_terms::term.eq(term),
                    ))
                    .execute(conn)?;
            }
            for (i, q) in role.questions.iter().enumerate() {
                let points: Vec<TalkingPoint> = q.points.iter().map(TalkingPoint::from).collect();
                insert_question(conn, &role.role, position(i), q.kind, &q.text, &points, now)?;
            }
        }
        super::catalogue::mark(conn, SEEDED_KEY, now)?;
        Ok(true)
    })
}

fn position(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

/// Adds one question with its points; returns its id.
pub fn insert_question(
    conn: &mut DbConnection,
    role_slug: &str,
    position: i32,
    kind: QuestionKind,
    text: &str,
    points: &[TalkingPoint],
    now: NaiveDateTime,
) -> Result<i32, DbError> {
    write_transaction(conn, |conn| {
        let id: i32 = diesel::insert_into(practice_questions::table)
            .values((
                practice_questions::role_slug.eq(role_slug),
                practice_questions::position.eq(position),
                practice_questions::kind.eq(kind.as_str()),
                practice_questions::text.eq(text),
                practice_questions::updated_at.eq(now),
            ))
            .returning(practice_questions::id)
            .get_result(conn)?;
        insert_points(conn, id, points)?;
        Ok(id)
    })
}

/// Where a question added to `role_slug` goes: after its last one.
pub fn next_position(conn: &mut DbConnection, role_slug: &str) -> Result<i32, DbError> {
    let last: Option<i32> = practice_questions::table
        .filter(practice_questions::role_slug.eq(role_slug))
        .select(diesel::dsl::max(practice_questions::position))
        .first(conn)?;
    Ok(last.map_or(0, |p| p + 1))
}

fn insert_points(
    conn: &mut DbConnection,
    question_id: i32,
    points: &[TalkingPoint],
) -> Result<(), DbError> {
    for (i, p) in points.iter().enumerate() {
        diesel::insert_into(practice_points::table)
            .values((
                practice_points::question_id.eq(question_id),
                practice_points::position.eq(self::position(i)),
                practice_points::point.eq(&p.point),
                practice_points::signals.eq(p.signals.join("\n")),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Rewrites a question and its talking points. Attempts already made keep their own copy
/// of the text and the feedback they were given.
pub fn replace_question(
    conn: &mut DbConnection,
    id: i32,
    kind: QuestionKind,
    text: &str,
    points: &[TalkingPoint],
    now: NaiveDateTime,
) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        let updated = diesel::update(practice_questions::table.find(id))
            .set((
                practice_questions::kind.eq(kind.as_str()),
                practice_questions::text.eq(text),
                practice_questions::updated_at.eq(now),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Err(DbError::Query(diesel::result::Error::NotFound));
        }
        diesel::delete(practice_points::table.filter(practice_points::question_id.eq(id)))
            .execute(conn)?;
        insert_points(conn, id, points)
    })
}

/// Removes a question; attempts at it keep their copy of the question.
pub fn delete_question(conn: &mut DbConnection, id: i32) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        diesel::delete(practice_points::table.filter(practice_points::question_id.eq(id)))
            .execute(conn)?;
        diesel::delete(practice_questions::table.find(id)).execute(conn)?;
        Ok(())
    })
}

/// A question by id alone (the admin area), with its talking points.
pub fn question_by_id(conn: &mut DbConnection, id: i32) -> Result<Option<Question>, DbError> {
    let role: Option<String> = practice_questions::table
        .find(id)
        .select(practice_questions::role_slug)
        .first(conn)
        .optional()?;
    match role {
        Some(role) => question(conn, &role, id),
        None => Ok(None),
    }
}

pub fn questions_for(
    conn: &mut DbConnection,
    role_slug: &str,
) -> Result<Vec<QuestionRow>, DbError> {
    Ok(practice_questions::table
        .filter(practice_questions::role_slug.eq(role_slug))
        .order((practice_questions::position, practice_questions::id))
        .select(QuestionRow::as_select())
        .load(conn)?)
}

/// How many questions each role has, for the practice index.
pub fn question_counts(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, DbError> {
    Ok(practice_questions::table
        .group_by(practice_questions::role_slug)
        .select((practice_questions::role_slug, diesel::dsl::count_star()))
        .load(conn)?)
}

/// One question of one role with its talking points; a question of another role is None.
pub fn question(
    conn: &mut DbConnection,
    role_slug: &str,
    id: i32,
) -> Result<Option<Question>, DbError> {
    let Some(row) = practice_questions::table
        .filter(practice_questions::id.eq(id))
        .filter(practice_questions::role_slug.eq(role_slug))
        .select(QuestionRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let points = practice_points::table
        .filter(practice_points::question_id.eq(id))
        .order((practice_points::position, practice_points::id))
        .select((practice_points::point, practice_points::signals))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(point, signals)| TalkingPoint {
            point,
            signals: signals
                .lines()
                .map(str::to_owned)
                .filter(|s| !s.is_empty())
                .collect(),
        })
        .collect();
    Ok(Some(Question { row, points }))
}

pub fn terms_for(conn: &mut DbConnection, role_slug: &str) -> Result<Vec<String>, DbError> {
    Ok(practice_terms::table
        .filter(practice_terms::role_slug.eq(role_slug))
        .order(practice_terms::term)
        .select(practice_terms::term)
        .load(conn)?)
}

// ---- tiers ----

pub fn subscription(conn: &mut DbConnection, user_id: i32) -> Result<Subscription, DbError> {
    let row = subscriptions::table
        .find(user_id)
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map_or_else(Subscription::default, |r| Subscription {
        premium: r.premium,
        trial_started_at: r.trial_started_at,
        trial_ends_at: r.trial_ends_at,
    }))
}

fn upsert_subscription(
    conn: &mut DbConnection,
    user_id: i32,
    sub: &Subscription,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let updated = diesel::update(subscriptions::table.find(user_id))
        .set((
            subscriptions::premium.eq(sub.premium),
            subscriptions::trial_started_at.eq(sub.trial_started_at),
            subscriptions::trial_ends_at.eq(sub.trial_ends_at),
            subscriptions::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(subscriptions::table)
            .values((
                subscriptions::user_id.eq(user_id),
                subscriptions::premium.eq(sub.premium),
                subscriptions::trial_started_at.eq(sub.trial_started_at),
                subscriptions::trial_ends_at.eq(sub.trial_ends_at),
                subscriptions::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialStart {
    Started { ends_at: NaiveDateTime },
    AlreadyUsed,
    AlreadyPremium,
}

/// Starts the account's one free trial.
pub fn start_trial(
    conn: &mut DbConnection,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<TrialStart, DbError> {
    write_transaction(conn, |conn| {
        lock_user(conn, user_id)?;
        let mut sub = subscription(conn, user_id)?;
        if sub.premium {
            return Ok(TrialStart::AlreadyPremium);
        }
        if !sub.can_start_trial() {
            return Ok(TrialStart::AlreadyUsed);
        }
        let ends_at = tier::trial_end(now);
        sub.trial_started_at = Some(now);
        sub.trial_ends_at = Some(ends_at);
        upsert_subscription(conn, user_id, &sub, now)?;
        Ok(TrialStart::Started { ends_at })
    })
}

/// The one place premium is granted or taken away (an admin today; a payment provider's
/// webhook later).
pub fn set_premium(
    conn: &mut DbConnection,
    user_id: i32,
    premium: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        lock_user(conn, user_id)?;
        let mut sub = subscription(conn, user_id)?;
        sub.premium = premium;
        upsert_subscription(conn, user_id, &sub, now)
    })
}

/// Free answers used on a local day.
pub fn used_on(conn: &mut DbConnection, user_id: i32, day: NaiveDate) -> Result<u32, DbError> {
    let n: i64 = practice_attempts::table
        .filter(practice_attempts::user_id.eq(user_id))
        .filter(practice_attempts::local_day.eq(day))
        .filter(practice_attempts::counted.eq(true))
        .count()
        .get_result(conn)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Where an account stands today.
#[derive(Debug, Clone, Copy)]
pub struct Standing {
    pub subscription_can_trial: bool,
    pub tier: Tier,
    pub allowance: Allowance,
}

pub fn standing(
    conn: &mut DbConnection,
    user_id: i32,
    day: NaiveDate,
    now: NaiveDateTime,
) -> Result<Standing, DbError> {
    let sub = subscription(conn, user_id)?;
    let tier = sub.tier_at(now);
    let used = used_on(conn, user_id, day)?;
    Ok(Standing {
        subscription_can_trial: sub.can_start_trial(),
        tier,
        allowance: Allowance::for_tier(tier, used),
    })
}

pub struct NewAttempt<'a> {
    pub question_id: i32,
    pub role_slug: &'a str,
    pub question_text: &'a str,
    pub answer: &'a str,
    pub feedback_json: &'a str,
    pub points_covered: i32,
    pub points_total: i32,
}

#[derive(Debug)]
pub enum Recorded {
    /// Feedback given; the allowance after spending this answer.
    Given { attempt_id: i32, after: Standing },
    /// The free allowance for the day is used up: nothing stored.
    LimitReached(Standing),
}

/// Checks the allowance and, if there is one, stores the attempt, in one write
/// transaction with the account's row locked: 20 parallel submissions from one free
/// account store exactly as many as the allowance has left.
pub fn record_attempt(
    conn: &mut DbConnection,
    user_id: i32,
    day: NaiveDate,
    now: NaiveDateTime,
    attempt: &NewAttempt<'_>,
) -> Result<Recorded, DbError> {
    write_transaction(conn, |conn| {
        lock_user(conn, user_id)?;
        let before = standing(conn, user_id, day, now)?;
        if !before.allowance.allows_one_more() {
            return Ok(Recorded::LimitReached(before));
        }
        diesel::insert_into(practice_attempts::table)
            .values((
                practice_attempts::user_id.eq(user_id),
                practice_attempts::question_id.eq(Some(attempt.question_id)),
                practice_attempts::role_slug.eq(attempt.role_slug),
                practice_attempts::question_text.eq(attempt.question_text),
                practice_attempts::answer.eq(attempt.answer),
                practice_attempts::feedback.eq(attempt.feedback_json),
                practice_attempts::points_covered.eq(attempt.points_covered),
                practice_attempts::points_total.eq(attempt.points_total),
                practice_attempts::local_day.eq(day),
                practice_attempts::counted.eq(!before.tier.is_unlimited()),
                practice_attempts::created_at.eq(now),
            ))
            .execute(conn)?;
        let attempt_id: i32 = practice_attempts::table
            .filter(practice_attempts::user_id.eq(user_id))
            .select(diesel::dsl::max(practice_attempts::id))
            .first::<Option<i32>>(conn)?
            .ok_or_else(|| DbError::Corrupt("new attempt vanished".into()))?;
        let after = Standing {
            allowance: before.allowance.after_one(),
            ..before
        };
        Ok(Recorded::Given { attempt_id, after })
    })
}

/// Every attempt of one account, newest first.
pub fn attempts_of(conn: &mut DbConnection, user_id: i32) -> Result<Vec<Attempt>, DbError> {
    Ok(practice_attempts::table
        .filter(practice_attempts::user_id.eq(user_id))
        .order((
            practice_attempts::created_at.desc(),
            practice_attempts::id.desc(),
        ))
        .select(Attempt::as_select())
        .load(conn)?)
}

/// One attempt, only for its owner.
pub fn attempt(conn: &mut DbConnection, user_id: i32, id: i32) -> Result<Option<Attempt>, DbError> {
    Ok(practice_attempts::table
        .filter(practice_attempts::id.eq(id))
        .filter(practice_attempts::user_id.eq(user_id))
        .select(Attempt::as_select())
        .first(conn)
        .optional()?)
}
