//! Stores and loads the role catalogue.

use std::collections::HashMap;

use super::DbConnection;
use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbError;
use super::schema::{app_meta, role_activities, role_skills, roles, sectors, skills};
use crate::domain::catalogue::{
    Activity, Band, Catalogue, Importance, Qualification, Role, RoleSkill, Salary, Sector, Skill,
    SkillCategory,
};

const SEEDED_KEY: &str = "catalogue_seeded_at";

#[derive(Queryable, Insertable)]
#[diesel(table_name = sectors)]
struct SectorRow {
    slug: String,
    name: String,
    position: i32,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = skills)]
struct SkillRow {
    slug: String,
    name: String,
    category: String,
    learn_weeks: i32,
    evidence: String,
    position: i32,
}

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = roles)]
struct RoleRow {
    slug: String,
    title: String,
    sector: String,
    summary: String,
    appeal: String,
    challenges: String,
    interviewers_look_for: String,
    routes_in: String,
    salary_reviewed: NaiveDate,
    entry_min: i64,
    entry_max: i64,
    mid_min: i64,
    mid_max: i64,
    senior_min: i64,
    senior_max: i64,
    qualification_name: Option<String>,
    qualification_route: Option<String>,
    qualification_months: Option<i32>,
    qualification_cost: Option<String>,
    updated_at: NaiveDateTime,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = role_skills)]
struct RoleSkillRow {
    role_slug: String,
    skill_slug: String,
    importance: String,
    usage: String,
    position: i32,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = role_activities)]
struct ActivityRow {
    role_slug: String,
    position: i32,
    title: String,
    description: String,
}

fn position(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

fn role_row(role: &Role, now: NaiveDateTime) -> RoleRow {
    let s = role.salary;
    let q = role.qualification.as_ref();
    RoleRow {
        slug: role.slug.clone(),
        title: role.title.clone(),
        sector: role.sector.clone(),
        summary: role.summary.clone(),
        appeal: role.appeal.clone(),
        challenges: role.challenges.clone(),
        interviewers_look_for: role.interviewers_look_for.join("\n"),
        routes_in: role.routes_in.join("\n"),
        salary_reviewed: role.salary_reviewed,
        entry_min: s.entry.min,
        entry_max: s.entry.max,
        mid_min: s.mid.min,
        mid_max: s.mid.max,
        senior_min: s.senior.min,
        senior_max: s.senior.max,
        qualification_name: q.map(|q| q.name.clone()),
        qualification_route: q.map(|q| q.route.clone()),
        qualification_months: q.map(|q| i32::try_from(q.months).unwrap_or(i32::MAX)),
        qualification_cost: q.map(|q| q.cost.clone()),
        updated_at: now,
    }
}

fn role_children(role: &Role) -> (Vec<RoleSkillRow>, Vec<ActivityRow>) {
    let skills = role
        .skills
        .iter()
        .enumerate()
        .map(|(i, s)| RoleSkillRow {
            role_slug: role.slug.clone(),
            skill_slug: s.skill.clone(),
            importance: s.importance.as_str().to_owned(),
            usage: s.usage.clone(),
            position: position(i),
        })
        .collect();
    let activities = role
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| ActivityRow {
            role_slug: role.slug.clone(),
            position: position(i),
            title: a.title.clone(),
            description: a.description.clone(),
        })
        .collect();
    (skills, activities)
}

/// Loads the bundled catalogue the first time a database is used. Later starts leave the
/// stored catalogue alone, so admin edits survive upgrades and restarts. Returns whether
/// it loaded anything.
pub fn seed_if_new(conn: &mut DbConnection, bundled: &Catalogue) -> Result<bool, DbError> {
    super::dialect::write_transaction(conn, |conn| {
        let seeded: Option<String> = app_meta::table
            .find(SEEDED_KEY)
            .select(app_meta::value)
            .first(conn)
            .optional()?;
        if seeded.is_some() {
            return Ok(false);
        }
        let now = Utc::now().naive_utc();
        let sector_rows: Vec<_> = bundled
            .sectors
            .iter()
            .enumerate()
            .map(|(i, s)| SectorRow {
                slug: s.slug.clone(),
                name: s.name.clone(),
                position: position(i),
            })
            .collect();
        // One row at a time: batch inserts do not compile for a multi-backend
        // connection.
        for row in &sector_rows {
            diesel::insert_into(sectors::table)
                .values(row)
                .execute(conn)?;
        }
        let skill_rows: Vec<_> = bundled
            .skills
            .iter()
            .enumerate()
            .map(|(i, s)| SkillRow {
                slug: s.slug.clone(),
                name: s.name.clone(),
                category: s.category.as_str().to_owned(),
                learn_weeks: i32::try_from(s.learn_weeks).unwrap_or(i32::MAX),
                evidence: s.evidence.clone(),
                position: position(i),
            })
            .collect();
        // One row at a time: batch inserts do not compile for a multi-backend
        // connection.
        for row in &skill_rows {
            diesel::insert_into(skills::table)
                .values(row)
                .execute(conn)?;
        }
        for role in &bundled.roles {
            diesel::insert_into(roles::table)
                .values(role_row(role, now))
                .execute(conn)?;
            let (skill_rows, activity_rows) = role_children(role);
            // One row at a time: batch inserts do not compile for a multi-backend
            // connection.
            for row in &skill_rows {
                diesel::insert_into(role_skills::table)
                    .values(row)
                    .execute(conn)?;
            }
            // One row at a time: batch inserts do not compile for a multi-backend
            // connection.
            for row in &activity_rows {
                diesel::insert_into(role_activities::table)
                    .values(row)
                    .execute(conn)?;
            }
        }
        diesel::insert_into(app_meta::table)
            .values((
                app_meta::key.eq(SEEDED_KEY),
                app_meta::value.eq(now.to_string()),
            ))
            .execute(conn)?;
        Ok(true)
    })
}

/// Reads the whole catalogue: five queries, whatever its size.
pub fn load(conn: &mut DbConnection) -> Result<Catalogue, DbError> {
    let sector_list: Vec<Sector> = sectors::table
        .order(sectors::position)
        .load::<SectorRow>(conn)?
        .into_iter()
        .map(|r| Sector {
            slug: r.slug,
            name: r.name,
        })
        .collect();
    let skill_list = skills::table
        .order(skills::position)
        .load::<SkillRow>(conn)?
        .into_iter()
        .map(|r| {
            Ok(Skill {
                category: SkillCategory::parse(&r.category).ok_or_else(|| {
                    DbError::Corrupt(format!("skill {} category {}", r.slug, r.category))
                })?,
                learn_weeks: u32::try_from(r.learn_weeks).unwrap_or(1),
                slug: r.slug,
                name: r.name,
                evidence: r.evidence,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;

    let mut skills_by_role: HashMap<String, Vec<RoleSkill>> = HashMap::new();
    for r in role_skills::table
        .order((role_skills::role_slug, role_skills::position))
        .load::<RoleSkillRow>(conn)?
    {
        let importance = Importance::parse(&r.importance)
            .ok_or_else(|| DbError::Corrupt(format!("role skill importance {}", r.importance)))?;
        skills_by_role
            .entry(r.role_slug)
            .or_default()
            .push(RoleSkill {
                skill: r.skill_slug,
                importance,
                usage: r.usage,
            });
    }
    let mut activities_by_role: HashMap<String, Vec<Activity>> = HashMap::new();
    for r in role_activities::table
        .order((role_activities::role_slug, role_activities::position))
        .load::<ActivityRow>(conn)?
    {
        activities_by_role
            .entry(r.role_slug)
            .or_default()
            .push(Activity {
                title: r.title,
                description: r.description,
            });
    }
    let role_list = roles::table
        .load::<RoleRow>(conn)?
        .into_iter()
        .map(|r| role_from_row(r, &mut skills_by_role, &mut activities_by_role))
        .collect();
    Catalogue::new(sector_list, skill_list, role_list).map_err(|e| DbError::Corrupt(e.to_string()))
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn role_from_row(
    r: RoleRow,
    skills_by_role: &mut HashMap<String, Vec<RoleSkill>>,
    activities_by_role: &mut HashMap<String, Vec<Activity>>,
) -> Role {
    let qualification = match (r.qualification_name, r.qualification_months) {
        (Some(name), Some(months)) => Some(Qualification {
            name,
            route: r.qualification_route.unwrap_or_default(),
            months: u32::try_from(months).unwrap_or(0),
            cost: r.qualification_cost.unwrap_or_default(),
        }),
        _ => None,
    };
    Role {
        skills: skills_by_role.remove(&r.slug).unwrap_or_default(),
        activities: activities_by_role.remove(&r.slug).unwrap_or_default(),
        title: r.title,
        sector: r.sector,
        summary: r.summary,
        appeal: r.appeal,
        challenges: r.challenges,
        interviewers_look_for: lines(&r.interviewers_look_for),
        routes_in: lines(&r.routes_in),
        salary_reviewed: r.salary_reviewed,
        salary: Salary {
            entry: Band {
                min: r.entry_min,
                max: r.entry_max,
            },
            mid: Band {
                min: r.mid_min,
                max: r.mid_max,
            },
            senior: Band {
                min: r.senior_min,
                max: r.senior_max,
            },
        },
        qualification,
        slug: r.slug,
    }
}

/// Replaces one role (and its skills and activities) in a single immediate transaction.
/// `original_slug` is the slug before the edit, so a rename carries its links along.
pub fn save_role(conn: &mut DbConnection, original_slug: &str, role: &Role) -> Result<(), DbError> {
    super::dialect::write_transaction(conn, |conn| {
        let now = Utc::now().naive_utc();
        let row = role_row(role, now);
        let updated = diesel::update(roles::table.find(original_slug))
            .set(&row)
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(roles::table)
                .values(&row)
                .execute(conn)?;
        }
        diesel::delete(role_skills::table.filter(role_skills::role_slug.eq(&role.slug)))
            .execute(conn)?;
        diesel::delete(role_activities::table.filter(role_activities::role_slug.eq(&role.slug)))
            .execute(conn)?;
        let (skill_rows, activity_rows) = role_children(role);
        // One row at a time: batch inserts do not compile for a multi-backend
        // connection.
        for row in &skill_rows {
            diesel::insert_into(role_skills::table)
                .values(row)
                .execute(conn)?;
        }
        // One row at a time: batch inserts do not compile for a multi-backend
        // connection.
        for row in &activity_rows {
            diesel::insert_into(role_activities::table)
                .values(row)
                .execute(conn)?;
        }
        Ok(())
    })
}
