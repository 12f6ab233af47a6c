//! Each account's skills profile.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::dialect::write_transaction;
use super::schema::{profile_skills, saved_transitions, skill_profiles};
use super::{DbConnection, DbError};
use crate::domain::profile::{Profile, ProfileSkill, SkillLevel};

/// The profile the account has saved, if any.
pub fn stored(conn: &mut DbConnection, user_id: i32) -> Result<Option<Profile>, DbError> {
    let Some(current_role) = skill_profiles::table
        .find(user_id)
        .select(skill_profiles::role_slug)
        .first::<Option<String>>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let skills = profile_skills::table
        .filter(profile_skills::user_id.eq(user_id))
        .select((profile_skills::skill_slug, profile_skills::level))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(skill, level)| {
            let level = SkillLevel::parse(&level)
                .ok_or_else(|| DbError::Corrupt(format!("skill level {level}")))?;
            Ok(ProfileSkill { skill, level })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(Some(Profile {
        current_role,
        skills,
    }))
}

/// The profile to use: the saved one, or else `None` and the source role of the account's
/// first saved move, which a profile starts from.
pub fn stored_or_first_move(
    conn: &mut DbConnection,
    user_id: i32,
) -> Result<(Option<Profile>, Option<String>), DbError> {
    if let Some(profile) = stored(conn, user_id)? {
        return Ok((Some(profile), None));
    }
    let first = saved_transitions::table
        .filter(saved_transitions::user_id.eq(user_id))
        .order(saved_transitions::id)
        .select(saved_transitions::from_slug)
        .first::<String>(conn)
        .optional()?;
    Ok((None, first))
}

/// Replaces the account's profile with `profile`, in one transaction.
pub fn save(
    conn: &mut DbConnection,
    user_id: i32,
    profile: &Profile,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        let updated = diesel::update(skill_profiles::table.find(user_id))
            .set((
                skill_profiles::role_slug.eq(&profile.current_role),
                skill_profiles::updated_at.eq(now),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(skill_profiles::table)
                .values((
                    skill_profiles::user_id.eq(user_id),
                    skill_profiles::role_slug.eq(&profile.current_role),
                    skill_profiles::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        diesel::delete(profile_skills::table.filter(profile_skills::user_id.eq(user_id)))
            .execute(conn)?;
        for s in &profile.skills {
            diesel::insert_into(profile_skills::table)
                .values((
                    profile_skills::user_id.eq(user_id),
                    profile_skills::skill_slug.eq(&s.skill),
                    profile_skills::level.eq(s.level.as_str()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Part of merging skill `from` into `into`: profiles that had `from` have `into` (at the
/// higher of the two levels when they had both).
pub(crate) fn merge_skill(conn: &mut DbConnection, from: &str, into: &str) -> Result<(), DbError> {
    let rows: Vec<(i32, String, String)> = profile_skills::table
        .filter(profile_skills::skill_slug.eq_any([from, into]))
        .select((
            profile_skills::user_id,
            profile_skills::skill_slug,
            profile_skills::level,
        ))
        .load(conn)?;
    for (user, skill, level) in rows.iter().filter(|(_, s, _)| s == from) {
        let kept = rows
            .iter()
            .find(|(u, s, _)| u == user && s == into)
            .map(|(_, _, l)| l.clone());
        let best = match kept {
            Some(other) => {
                let rank = |l: &str| SkillLevel::parse(l);
                if rank(level) > rank(&other) {
                    level.clone()
                } else {
                    other
                }
            }
            None => level.clone(),
        };
        diesel::delete(profile_skills::table.find((user, skill))).execute(conn)?;
        diesel::delete(profile_skills::table.find((user, into))).execute(conn)?;
        diesel::insert_into(profile_skills::table)
            .values((
                profile_skills::user_id.eq(user),
                profile_skills::skill_slug.eq(into),
                profile_skills::level.eq(best),
            ))
            .execute(conn)?;
    }
    Ok(())
}
