//! What admins change, written together with its revision and audit entry in one
//! transaction: an edit is never stored without its history, nor history without its edit.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::dialect::write_transaction;
use super::schema::{app_meta, audit_log, revisions, users};
use super::users::User;
use super::{DbConnection, DbError};
use crate::domain::catalogue::{PairNote, Role, Skill};
use crate::domain::practice::feedback::{QuestionKind, TalkingPoint};

/// Who did it: kept by value too, so the log still reads after the account is deleted.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i32,
    pub email: String,
}

impl From<&User> for Actor {
    fn from(user: &User) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Role,
    Skill,
    Question,
    PairNote,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Role => "role",
            Self::Skill => "skill",
            Self::Question => "question",
            Self::PairNote => "pair-note",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Role, Self::Skill, Self::Question, Self::PairNote]
            .into_iter()
            .find(|e| e.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Role => "Role",
            Self::Skill => "Skill",
            Self::Question => "Interview question",
            Self::PairNote => "Transition note",
        }
    }
}

/// One stored change that a publish makes.
pub enum Write<'a> {
    Role {
        original: Option<&'a str>,
        role: &'a Role,
    },
    Retired {
        slug: &'a str,
        retired: bool,
    },
    Skill {
        skill: &'a Skill,
        position: usize,
    },
    /// The last step of a merge, after the rewritten roles.
    RemoveMergedSkill {
        from: &'a str,
        into: &'a str,
    },
    PairNote {
        from: &'a str,
        to: &'a str,
        note: &'a PairNote,
    },
    /// A new question; its id becomes the key of a revision whose key is empty.
    NewQuestion {
        role: &'a str,
        kind: QuestionKind,
        text: &'a str,
        points: &'a [TalkingPoint],
    },
    Question {
        id: i32,
        kind: QuestionKind,
        text: &'a str,
        points: &'a [TalkingPoint],
    },
    DeleteQuestion {
        id: i32,
    },
}

pub struct NewRevision {
    pub entity: Entity,
    /// Empty for a question that does not exist yet (see `Write::NewQuestion`).
    pub key: String,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub struct Published {
    pub revision_ids: Vec<i32>,
    pub new_question: Option<i32>,
}

/// Bumped by every catalogue publish, so other instances know to reload.
pub const CATALOGUE_VERSION_KEY: &str = "catalogue_version";

/// Stores `writes`, their revisions and one audit entry, all or nothing.
pub fn publish(
    conn: &mut DbConnection,
    actor: &Actor,
    writes: &[Write<'_>],
    revisions: Vec<NewRevision>,
    action: &str,
    target: &str,
    now: NaiveDateTime,
) -> Result<Published, DbError> {
    write_transaction(conn, |conn| {
        let mut new_question = None;
        let mut catalogue_changed = false;
        for write in writes {
            catalogue_changed |= !matches!(
                write,
                Write::NewQuestion { .. } | Write::Question { .. } | Write::DeleteQuestion { .. }
            );
            apply(conn, write, now, &mut new_question)?;
        }
        let detail = revisions
            .iter()
            .map(|r| r.summary.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let mut revision_ids = Vec::new();
        for mut r in revisions {
            if r.key.is_empty() {
                r.key = new_question.map(|id| id.to_string()).unwrap_or_default();
            }
            revision_ids.push(insert_revision(conn, actor, &r, now)?);
        }
        log(
            conn,
            actor,
            action,
            target,
            &detail,
            revision_ids.first().copied(),
            now,
        )?;
        if catalogue_changed {
            bump_catalogue_version(conn)?;
        }
        Ok(Published {
            revision_ids,
            new_question,
        })
    })
}

fn apply(
    conn: &mut DbConnection,
    write: &Write<'_>,
    now: NaiveDateTime,
    new_question: &mut Option<i32>,
) -> Result<(), DbError> {
    use super::catalogue as cat;
    use super::practice;
    match write {
        Write::Role { original, role } => {
            let original = original.unwrap_or(&role.slug);
            cat::write_role(conn, original, role)?;
            if original != role.slug {
                // Its history follows it.
                diesel::update(
                    revisions::table
                        .filter(revisions::entity.eq(Entity::Role.as_str()))
                        .filter(revisions::entity_key.eq(original)),
                )
                .set(revisions::entity_key.eq(&role.slug))
                .execute(conn)?;
            }
        }
        Write::Retired { slug, retired } => cat::set_retired(conn, slug, *retired, now)?,
        Write::Skill { skill, position } => cat::write_skill(conn, skill, *position)?,
        Write::RemoveMergedSkill { from, into } => cat::remove_merged_skill(conn, from, into)?,
        Write::PairNote { from, to, note } => {
            cat::write_pair_note(conn, from, to, Some(note), now)?
        }
        Write::NewQuestion {
            role,
            kind,
            text,
            points,
        } => {
            let position = practice::next_position(conn, role)?;
            *new_question = Some(practice::insert_question(
                conn, role, position, *kind, text, points, now,
            )?);
        }
        Write::Question {
            id,
            kind,
            text,
            points,
        } => practice::replace_question(conn, *id, *kind, text, points, now)?,
        Write::DeleteQuestion { id } => practice::delete_question(conn, *id)?,
    }
    Ok(())
}

fn bump_catalogue_version(conn: &mut DbConnection) -> Result<(), DbError> {
    let current = catalogue_version(conn)?;
    let next = (current + 1).to_string();
    let updated = diesel::update(app_meta::table.find(CATALOGUE_VERSION_KEY))
        .set(app_meta::value.eq(&next))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(app_meta::table)
            .values((
                app_meta::key.eq(CATALOGUE_VERSION_KEY),
                app_meta::value.eq(&next),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How many catalogue edits this database has seen.
pub fn catalogue_version(conn: &mut DbConnection) -> Result<i64, DbError> {
    let value: Option<String> = app_meta::table
        .find(CATALOGUE_VERSION_KEY)
        .select(app_meta::value)
        .first(conn)
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn insert_revision(
    conn: &mut DbConnection,
    actor: &Actor,
    r: &NewRevision,
    now: NaiveDateTime,
) -> Result<i32, DbError> {
    Ok(diesel::insert_into(revisions::table)
        .values((
            revisions::entity.eq(r.entity.as_str()),
            revisions::entity_key.eq(&r.key),
            revisions::summary.eq(&r.summary),
            revisions::before_json.eq(&r.before),
            revisions::after_json.eq(&r.after),
            revisions::admin_id.eq(actor.id),
            revisions::admin_email.eq(&actor.email),
            revisions::created_at.eq(now),
        ))
        .returning(revisions::id)
        .get_result(conn)?)
}

/// Adds an entry to the audit log.
pub fn log(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
    revision_id: Option<i32>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::admin_id.eq(actor.id),
            audit_log::admin_email.eq(&actor.email),
            audit_log::action.eq(action),
            audit_log::target.eq(target),
            audit_log::detail.eq(detail),
            audit_log::revision_id.eq(revision_id),
            audit_log::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = revisions)]
pub struct Revision {
    pub id: i32,
    pub entity: String,
    pub entity_key: String,
    pub summary: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub admin_id: Option<i32>,
    pub admin_email: String,
    pub created_at: NaiveDateTime,
}

impl Revision {
    pub fn entity(&self) -> Option<Entity> {
        Entity::parse(&self.entity)
    }
}

/// The newest revisions, of one thing if `of` names it.
pub fn revisions(
    conn: &mut DbConnection,
    of: Option<(Entity, &str)>,
    limit: i64,
) -> Result<Vec<Revision>, DbError> {
    let mut query = revisions::table
        .select(Revision::as_select())
        .order(revisions::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some((entity, key)) = of {
        query = query
            .filter(revisions::entity.eq(entity.as_str()))
            .filter(revisions::entity_key.eq(key.to_owned()));
    }
    Ok(query.load(conn)?)
}

pub fn revision(conn: &mut DbConnection, id: i32) -> Result<Option<Revision>, DbError> {
    Ok(revisions::table
        .find(id)
        .select(Revision::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i32,
    pub admin_id: Option<i32>,
    pub admin_email: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub revision_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

pub fn audit_log(conn: &mut DbConnection, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
    Ok(audit_log::table
        .select(AuditEntry::as_select())
        .order(audit_log::id.desc())
        .limit(limit)
        .load(conn)?)
}

// ---- accounts ----

/// Accounts whose address contains `query` (all of them, newest first, when it is empty).
pub fn search_users(
    conn: &mut DbConnection,
    query: &str,
    limit: i64,
) -> Result<Vec<User>, DbError> {
    let pattern = format!(
        "%{}%",
        query
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    Ok(users::table
        .filter(users::email.like(pattern).escape('\\'))
        .order(users::id.desc())
        .limit(limit)
        .select(User::as_select())
        .load(conn)?)
}

/// Disables an account, ending all of its sessions at once, and logs it.
pub fn disable_user(
    conn: &mut DbConnection,
    actor: &Actor,
    user: &User,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        diesel::update(users::table.find(user.id))
            .set((
                users::disabled_at.eq(Some(now)),
                users::disabled_reason.eq(reason),
            ))
            .execute(conn)?;
        super::sessions::delete_for_user(conn, user.id, None)?;
        log(
            conn,
            actor,
            "disabled account",
            &user.email,
            reason,
            None,
            now,
        )
    })
}

pub fn enable_user(
    conn: &mut DbConnection,
    actor: &Actor,
    user: &User,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        diesel::update(users::table.find(user.id))
            .set((
                users::disabled_at.eq(None::<NaiveDateTime>),
                users::disabled_reason.eq(""),
            ))
            .execute(conn)?;
        log(
            conn,
            actor,
            "re-enabled account",
            &user.email,
            "",
            None,
            now,
        )
    })
}

pub fn set_premium(
    conn: &mut DbConnection,
    actor: &Actor,
    user: &User,
    premium: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        super::practice::set_premium(conn, user.id, premium, now)?;
        let action = if premium {
            "granted premium"
        } else {
            "removed premium"
        };
        log(conn, actor, action, &user.email, "", None, now)
    })
}
