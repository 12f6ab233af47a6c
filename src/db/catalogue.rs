//! Stores and loads the role catalogue.

use std::collections::HashMap;

use super::DbConnection;
use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbError;
use super::schema::{
    app_meta, pair_notes, role_activities, role_entry_routes, role_redirects, role_skill_timing,
    role_skills, roles, sectors, skill_families, skills,
};
use crate::domain::catalogue::{
    Activity, Band, Catalogue, EntryRoute, FaqEntry, Importance, MonthRange, PairNote,
    Qualification, Role, RoleSkill, RouteKind, Salary, Sector, Skill, SkillCategory, SkillTiming,
};

/// Inserts rows one at a time: batch inserts do not compile for a multi-backend
/// connection. The bundled catalogue is small; a 1,000-role folder (`load-catalogue`, a
/// one-off) takes about 0.2 s on SQLite, in one transaction.
macro_rules! insert_each {
    ($conn:expr, $table:expr, $rows:expr) => {
        for row in &$rows {
            diesel::insert_into($table).values(row).execute($conn)?;
        }
    };
}

const SEEDED_KEY: &str = "catalogue_seeded_at";
/// Set once the entry-route facts (pay basis, skill timing, routes, skill families) are in
/// place: at first seed, or by the one-off fill of a database seeded before they existed.
const ENTRY_ROUTES_KEY: &str = "entry_routes_filled_at";

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

/// Every column but `retired_at`, which only retiring and restoring a role change.
#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = roles, treat_none_as_null = true)]
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
    pay_basis: String,
    qualification_applies_in: String,
    qualification_elsewhere: String,
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

#[derive(Queryable, Insertable)]
#[diesel(table_name = role_entry_routes)]
struct RouteRow {
    role_slug: String,
    position: i32,
    name: String,
    kind: String,
    months: i32,
    unpaid_months: i32,
    apply_min_months: i32,
    apply_max_months: i32,
    entry_requirements: String,
    cost: String,
    funding: String,
    degree_required: bool,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = role_skill_timing)]
struct TimingRow {
    role_slug: String,
    skill_slug: String,
    timing: String,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = skill_families)]
struct FamilyRow {
    skill_slug: String,
    family: String,
}

fn months(m: u32) -> i32 {
    i32::try_from(m).unwrap_or(i32::MAX)
}

fn unsigned(m: i32) -> u32 {
    u32::try_from(m).unwrap_or(0)
}

fn position(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

fn role_row(role: &Role, now: NaiveDateTime) -> RoleRow {
    let s = role.salary;
    let q = role.qualification.as_ref();
    let usual = q.map(Qualification::usual);
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
        qualification_months: usual.map(|r| months(r.months)),
        qualification_cost: usual.map(|r| r.cost.clone()),
        updated_at: now,
        pay_basis: role.pay_basis.clone(),
        qualification_applies_in: q.map(|q| q.applies_in.clone()).unwrap_or_default(),
        qualification_elsewhere: q.map(|q| q.elsewhere.clone()).unwrap_or_default(),
    }
}

fn route_rows(role: &Role) -> Vec<RouteRow> {
    let Some(q) = &role.qualification else {
        return Vec::new();
    };
    q.routes
        .iter()
        .enumerate()
        .map(|(i, r)| RouteRow {
            role_slug: role.slug.clone(),
            position: position(i),
            name: r.name.clone(),
            kind: r.kind.as_str().to_owned(),
            months: months(r.months),
            unpaid_months: months(r.unpaid_months),
            apply_min_months: months(r.apply_months.min),
            apply_max_months: months(r.apply_months.max),
            entry_requirements: r.entry_requirements.clone(),
            cost: r.cost.clone(),
            funding: r.funding.clone(),
            degree_required: r.degree_required,
        })
        .collect()
}

fn timing_rows(role: &Role) -> Vec<TimingRow> {
    role.skills
        .iter()
        .map(|s| TimingRow {
            role_slug: role.slug.clone(),
            skill_slug: s.skill.clone(),
            timing: s.timing.as_str().to_owned(),
        })
        .collect()
}

fn family_rows(catalogue: &Catalogue) -> Vec<FamilyRow> {
    catalogue
        .skills
        .iter()
        .filter_map(|s| {
            s.family.as_ref().map(|f| FamilyRow {
                skill_slug: s.slug.clone(),
                family: f.clone(),
            })
        })
        .collect()
}

/// Writes everything stored beside a role row: skills with their timing, activities and
/// qualification routes. The caller has removed any old rows.
fn insert_children(conn: &mut DbConnection, role: &Role) -> Result<(), DbError> {
    let (skill_rows, activity_rows) = role_children(role);
    insert_each!(conn, role_skills::table, skill_rows);
    insert_each!(conn, role_skill_timing::table, timing_rows(role));
    insert_each!(conn, role_activities::table, activity_rows);
    insert_each!(conn, role_entry_routes::table, route_rows(role));
    Ok(())
}

/// Records in `app_meta` that a one-off step (a seed, a backfill) has run.
pub(crate) fn mark(conn: &mut DbConnection, key: &str, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::insert_into(app_meta::table)
        .values((app_meta::key.eq(key), app_meta::value.eq(now.to_string())))
        .execute(conn)?;
    Ok(())
}

/// Whether `mark` has recorded the step.
pub(crate) fn is_marked(conn: &mut DbConnection, key: &str) -> Result<bool, DbError> {
    let value: Option<String> = app_meta::table
        .find(key)
        .select(app_meta::value)
        .first(conn)
        .optional()?;
    Ok(value.is_some())
}

/// A database seeded before entry routes existed has the new columns empty and the new
/// tables bare. Fill them once from the bundled catalogue, for the roles and skills it still
/// holds, without touching anything an admin has already set.
fn fill_entry_routes(conn: &mut DbConnection, bundled: &Catalogue) -> Result<(), DbError> {
    if is_marked(conn, ENTRY_ROUTES_KEY)? {
        return Ok(());
    }
    let stored_roles: Vec<(String, Option<String>)> = roles::table
        .select((roles::slug, roles::qualification_name))
        .load(conn)?;
    let stored_skills: Vec<(String, String)> = role_skills::table
        .select((role_skills::role_slug, role_skills::skill_slug))
        .load(conn)?;
    let timed: Vec<(String, String)> = role_skill_timing::table
        .select((role_skill_timing::role_slug, role_skill_timing::skill_slug))
        .load(conn)?;
    let routed: Vec<String> = role_entry_routes::table
        .select(role_entry_routes::role_slug)
        .distinct()
        .load(conn)?;
    for role in &bundled.roles {
        let Some((_, stored_qualification)) = stored_roles.iter().find(|(s, _)| *s == role.slug)
        else {
            continue;
        };
        diesel::update(
            roles::table
                .find(&role.slug)
                .filter(roles::pay_basis.eq("")),
        )
        .set(roles::pay_basis.eq(&role.pay_basis))
        .execute(conn)?;
        if let (Some(q), Some(_)) = (&role.qualification, stored_qualification) {
            diesel::update(
                roles::table
                    .find(&role.slug)
                    .filter(roles::qualification_applies_in.eq("")),
            )
            .set((
                roles::qualification_applies_in.eq(&q.applies_in),
                roles::qualification_elsewhere.eq(&q.elsewhere),
            ))
            .execute(conn)?;
            if !routed.contains(&role.slug) {
                insert_each!(conn, role_entry_routes::table, route_rows(role));
            }
        }
        let missing: Vec<TimingRow> = timing_rows(role)
            .into_iter()
            .filter(|t| {
                let key = (t.role_slug.clone(), t.skill_slug.clone());
                stored_skills.contains(&key) && !timed.contains(&key)
            })
            .collect();
        insert_each!(conn, role_skill_timing::table, missing);
    }
    let stored_skill_slugs: Vec<String> = skills::table.select(skills::slug).load(conn)?;
    let with_family: Vec<String> = skill_families::table
        .select(skill_families::skill_slug)
        .load(conn)?;
    let families: Vec<FamilyRow> = family_rows(bundled)
        .into_iter()
        .filter(|f| {
            stored_skill_slugs.contains(&f.skill_slug) && !with_family.contains(&f.skill_slug)
        })
        .collect();
    insert_each!(conn, skill_families::table, families);
    mark(conn, ENTRY_ROUTES_KEY, Utc::now().naive_utc())
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
        if is_marked(conn, SEEDED_KEY)? {
            fill_entry_routes(conn, bundled)?;
            return Ok(false);
        }
        insert_catalogue(conn, bundled)?;
        Ok(true)
    })
}

/// Loads `catalogue` and its question bank (which may leave roles without questions) into
/// a database that has no catalogue yet, in one transaction; later starts then keep it
/// instead of the bundled one. Returns false, changing nothing, if the database already
/// has a catalogue.
pub fn seed_fresh(
    conn: &mut DbConnection,
    catalogue: &Catalogue,
    questions: &[crate::domain::practice::RoleQuestions],
) -> Result<bool, DbError> {
    super::dialect::write_transaction(conn, |conn| {
        if is_marked(conn, SEEDED_KEY)? {
            return Ok(false);
        }
        insert_catalogue(conn, catalogue)?;
        super::practice::seed_if_new(conn, questions)?;
        Ok(true)
    })
}

/// Writes a whole catalogue into empty tables and marks the database seeded.
fn insert_catalogue(conn: &mut DbConnection, catalogue: &Catalogue) -> Result<(), DbError> {
    let now = Utc::now().naive_utc();
    let sector_rows: Vec<_> = catalogue
        .sectors
        .iter()
        .enumerate()
        .map(|(i, s)| SectorRow {
            slug: s.slug.clone(),
            name: s.name.clone(),
            position: position(i),
        })
        .collect();
    insert_each!(conn, sectors::table, sector_rows);
    let skill_rows: Vec<_> = catalogue
        .skills
        .iter()
        .enumerate()
        .map(|(i, s)| skill_row(s, i))
        .collect();
    insert_each!(conn, skills::table, skill_rows);
    insert_each!(conn, skill_families::table, family_rows(catalogue));
    for role in &catalogue.roles {
        diesel::insert_into(roles::table)
            .values(role_row(role, now))
            .execute(conn)?;
        insert_children(conn, role)?;
    }
    mark(conn, SEEDED_KEY, now)?;
    mark(conn, ENTRY_ROUTES_KEY, now)
}

/// Reads the whole catalogue: eight queries, whatever its size.
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
    let mut family_of: HashMap<String, String> = skill_families::table
        .load::<FamilyRow>(conn)?
        .into_iter()
        .map(|r| (r.skill_slug, r.family))
        .collect();
    let skill_list = skills::table
        .order(skills::position)
        .load::<SkillRow>(conn)?
        .into_iter()
        .map(|r| {
            Ok(Skill {
                family: family_of.remove(&r.slug),
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

    let mut timing_of: HashMap<(String, String), SkillTiming> = HashMap::new();
    for r in role_skill_timing::table.load::<TimingRow>(conn)? {
        let timing = SkillTiming::parse(&r.timing)
            .ok_or_else(|| DbError::Corrupt(format!("role skill timing {}", r.timing)))?;
        timing_of.insert((r.role_slug, r.skill_slug), timing);
    }
    let mut skills_by_role: HashMap<String, Vec<RoleSkill>> = HashMap::new();
    for r in role_skills::table
        .order((role_skills::role_slug, role_skills::position))
        .load::<RoleSkillRow>(conn)?
    {
        let importance = Importance::parse(&r.importance)
            .ok_or_else(|| DbError::Corrupt(format!("role skill importance {}", r.importance)))?;
        let timing = timing_of
            .remove(&(r.role_slug.clone(), r.skill_slug.clone()))
            .unwrap_or_else(|| SkillTiming::default_for(importance));
        skills_by_role
            .entry(r.role_slug)
            .or_default()
            .push(RoleSkill {
                skill: r.skill_slug,
                importance,
                usage: r.usage,
                timing,
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
    let mut routes_by_role: HashMap<String, Vec<EntryRoute>> = HashMap::new();
    for r in role_entry_routes::table
        .order((role_entry_routes::role_slug, role_entry_routes::position))
        .load::<RouteRow>(conn)?
    {
        let kind = RouteKind::parse(&r.kind)
            .ok_or_else(|| DbError::Corrupt(format!("route kind {}", r.kind)))?;
        routes_by_role
            .entry(r.role_slug)
            .or_default()
            .push(EntryRoute {
                name: r.name,
                kind,
                months: unsigned(r.months),
                unpaid_months: unsigned(r.unpaid_months),
                apply_months: MonthRange::new(
                    unsigned(r.apply_min_months),
                    unsigned(r.apply_max_months),
                ),
                entry_requirements: r.entry_requirements,
                cost: r.cost,
                funding: r.funding,
                degree_required: r.degree_required,
            });
    }
    let mut live = Vec::new();
    let mut retired = Vec::new();
    for (row, retired_at) in roles::table
        .select((RoleRow::as_select(), roles::retired_at))
        .load::<(RoleRow, Option<NaiveDateTime>)>(conn)?
    {
        let role = role_from_row(
            row,
            &mut skills_by_role,
            &mut activities_by_role,
            &mut routes_by_role,
        );
        if retired_at.is_some() {
            retired.push(role);
        } else {
            live.push(role);
        }
    }
    let redirects = role_redirects::table
        .select((role_redirects::old_slug, role_redirects::new_slug))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut notes = HashMap::new();
    for (from, to, note, faq) in pair_notes::table
        .select((
            pair_notes::from_slug,
            pair_notes::to_slug,
            pair_notes::note,
            pair_notes::faq,
        ))
        .load::<(String, String, String, String)>(conn)?
    {
        let faq: Vec<FaqEntry> = serde_json::from_str(&faq)
            .map_err(|e| DbError::Corrupt(format!("pair note {from} to {to}: {e}")))?;
        notes.insert((from, to), PairNote { note, faq });
    }
    Catalogue::new(sector_list, skill_list, live)
        .and_then(|c| c.with_history(retired, redirects, notes))
        .map_err(|e| DbError::Corrupt(e.to_string()))
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
    routes_by_role: &mut HashMap<String, Vec<EntryRoute>>,
) -> Role {
    let qualification = r.qualification_name.map(|name| {
        let mut routes = routes_by_role.remove(&r.slug).unwrap_or_default();
        if routes.is_empty() {
            routes.push(legacy_route(
                &name,
                r.qualification_months,
                r.qualification_cost.clone(),
            ));
        }
        Qualification {
            name,
            route: r.qualification_route.unwrap_or_default(),
            applies_in: non_empty(r.qualification_applies_in, "in the UK"),
            elsewhere: r.qualification_elsewhere,
            routes,
        }
    });
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
        pay_basis: non_empty(r.pay_basis, "typical advertised salaries"),
        qualification,
        slug: r.slug,
    }
}

fn non_empty(s: String, otherwise: &str) -> String {
    if s.trim().is_empty() {
        otherwise.to_owned()
    } else {
        s
    }
}

/// A qualification stored before routes existed, read as one route of full-time study: the
/// cautious reading, since it assumes no pay while training.
fn legacy_route(name: &str, months: Option<i32>, cost: Option<String>) -> EntryRoute {
    let months = months.map_or(12, unsigned).max(1);
    EntryRoute {
        name: name.to_owned(),
        kind: RouteKind::UnpaidStudy,
        months,
        unpaid_months: months,
        apply_months: MonthRange::new(4, 12),
        entry_requirements: "Check the entry requirements with the course providers.".to_owned(),
        cost: cost
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| "set by each course provider".to_owned()),
        funding: "whatever loans or bursaries the course offers".to_owned(),
        degree_required: false,
    }
}

/// Replaces one role (with its skills and their timing, activities and qualification routes)
/// in a single immediate transaction.
/// `original_slug` is the slug before the edit, so a rename carries its links along.
pub fn save_role(conn: &mut DbConnection, original_slug: &str, role: &Role) -> Result<(), DbError> {
    super::dialect::write_transaction(conn, |conn| write_role(conn, original_slug, role))
}

/// `save_role` inside the caller's transaction. A rename keeps the old addresses working:
/// the old slug redirects to the new one (and so do slugs it had before that, which follow
/// through the foreign key), and a slug taken back stops redirecting.
pub(crate) fn write_role(
    conn: &mut DbConnection,
    original_slug: &str,
    role: &Role,
) -> Result<(), DbError> {
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
    diesel::delete(role_redirects::table.find(&role.slug)).execute(conn)?;
    if updated > 0 && original_slug != role.slug {
        diesel::insert_into(role_redirects::table)
            .values((
                role_redirects::old_slug.eq(original_slug),
                role_redirects::new_slug.eq(&role.slug),
                role_redirects::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::delete(role_skills::table.filter(role_skills::role_slug.eq(&role.slug)))
        .execute(conn)?;
    diesel::delete(role_activities::table.filter(role_activities::role_slug.eq(&role.slug)))
        .execute(conn)?;
    diesel::delete(role_entry_routes::table.filter(role_entry_routes::role_slug.eq(&role.slug)))
        .execute(conn)?;
    // Timing rows go with their role skills (ON DELETE CASCADE); clear any left by a
    // database without foreign keys enforced.
    diesel::delete(role_skill_timing::table.filter(role_skill_timing::role_slug.eq(&role.slug)))
        .execute(conn)?;
    insert_children(conn, role)
}

/// Withdraws a role from the live catalogue, or brings it back.
pub(crate) fn set_retired(
    conn: &mut DbConnection,
    slug: &str,
    retired: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(roles::table.find(slug))
        .set(roles::retired_at.eq(retired.then_some(now)))
        .execute(conn)?;
    Ok(())
}

/// Adds or replaces a skill (its family included).
/// A skill as its row, at `at` in catalogue order.
fn skill_row(skill: &Skill, at: usize) -> SkillRow {
    SkillRow {
        slug: skill.slug.clone(),
        name: skill.name.clone(),
        category: skill.category.as_str().to_owned(),
        learn_weeks: i32::try_from(skill.learn_weeks).unwrap_or(i32::MAX),
        evidence: skill.evidence.clone(),
        position: position(at),
    }
}

pub(crate) fn write_skill(
    conn: &mut DbConnection,
    skill: &Skill,
    position_if_new: usize,
) -> Result<(), DbError> {
    let row = skill_row(skill, position_if_new);
    let updated = diesel::update(skills::table.find(&skill.slug))
        .set((
            skills::name.eq(&row.name),
            skills::category.eq(&row.category),
            skills::learn_weeks.eq(row.learn_weeks),
            skills::evidence.eq(&row.evidence),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(skills::table)
            .values(row)
            .execute(conn)?;
    }
    diesel::delete(skill_families::table.find(&skill.slug)).execute(conn)?;
    if let Some(family) = &skill.family {
        diesel::insert_into(skill_families::table)
            .values(FamilyRow {
                skill_slug: skill.slug.clone(),
                family: family.clone(),
            })
            .execute(conn)?;
    }
    Ok(())
}

/// The last step of merging skill `from` into `into`, once every role that listed `from`
/// has been rewritten: plan milestones follow and `from` goes.
pub(crate) fn remove_merged_skill(
    conn: &mut DbConnection,
    from: &str,
    into: &str,
) -> Result<(), DbError> {
    use super::schema::milestones;
    diesel::update(milestones::table.filter(milestones::skill_slug.eq(from)))
        .set(milestones::skill_slug.eq(into))
        .execute(conn)?;
    super::profiles::merge_skill(conn, from, into)?;
    diesel::delete(skill_families::table.find(from)).execute(conn)?;
    diesel::delete(skills::table.find(from)).execute(conn)?;
    Ok(())
}

/// Stores, replaces or (with `None` or an empty note) removes the note for one pair.
pub(crate) fn write_pair_note(
    conn: &mut DbConnection,
    from: &str,
    to: &str,
    note: Option<&PairNote>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::delete(pair_notes::table.find((from, to))).execute(conn)?;
    if let Some(note) = note.filter(|n| !n.is_empty()) {
        let faq = serde_json::to_string(&note.faq)
            .map_err(|e| DbError::Corrupt(format!("pair note: {e}")))?;
        diesel::insert_into(pair_notes::table)
            .values((
                pair_notes::from_slug.eq(from),
                pair_notes::to_slug.eq(to),
                pair_notes::note.eq(&note.note),
                pair_notes::faq.eq(faq),
                pair_notes::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh, migrated database in a temporary file (never `:memory:`), through the same
    /// pool and connection settings the app uses.
    fn database() -> (tempfile::TempDir, super::super::DbConn) {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("catalogue.db");
        let pool = super::super::pool(url.to_str().unwrap()).unwrap();
        let mut conn = pool.get().unwrap();
        super::super::migrate(&mut conn).unwrap();
        (dir, conn)
    }

    #[test]
    fn the_bundled_catalogue_survives_a_round_trip() {
        let bundled = crate::catalogue::bundled().unwrap();
        let (_dir, mut conn) = database();
        assert!(seed_if_new(&mut conn, &bundled).unwrap());
        assert!(!seed_if_new(&mut conn, &bundled).unwrap(), "seeds once");
        let stored = load(&mut conn).unwrap();
        assert_eq!(
            stored.roles, bundled.roles,
            "routes, timing and pay basis included"
        );
        assert_eq!(stored.skills, bundled.skills, "families included");
    }

    #[test]
    fn a_database_seeded_before_entry_routes_is_filled_once() {
        let bundled = crate::catalogue::bundled().unwrap();
        let (_dir, mut conn) = database();
        seed_if_new(&mut conn, &bundled).unwrap();
        // What a database seeded by the previous release looks like after the migration.
        diesel::delete(role_entry_routes::table)
            .execute(&mut conn)
            .unwrap();
        diesel::delete(role_skill_timing::table)
            .execute(&mut conn)
            .unwrap();
        diesel::delete(skill_families::table)
            .execute(&mut conn)
            .unwrap();
        diesel::update(roles::table)
            .set((
                roles::pay_basis.eq(""),
                roles::qualification_applies_in.eq(""),
                roles::qualification_elsewhere.eq(""),
            ))
            .execute(&mut conn)
            .unwrap();
        diesel::delete(app_meta::table.find(ENTRY_ROUTES_KEY))
            .execute(&mut conn)
            .unwrap();
        // An admin's own wording is kept.
        diesel::update(roles::table.find("data-analyst"))
            .set(roles::pay_basis.eq("Our own survey of adverts."))
            .execute(&mut conn)
            .unwrap();

        assert!(!seed_if_new(&mut conn, &bundled).unwrap());
        let stored = load(&mut conn).unwrap();
        let nurse = stored.role("registered-nurse").unwrap();
        assert_eq!(nurse, bundled.role("registered-nurse").unwrap());
        assert_eq!(
            stored.role("data-analyst").unwrap().pay_basis,
            "Our own survey of adverts."
        );
        assert_eq!(stored.skills, bundled.skills);
    }

    #[test]
    fn saving_a_renamed_role_keeps_its_routes_and_timing() {
        let bundled = crate::catalogue::bundled().unwrap();
        let (_dir, mut conn) = database();
        seed_if_new(&mut conn, &bundled).unwrap();
        let mut police = bundled.role("police-officer").unwrap().clone();
        police.slug = "police-constable".into();
        police.qualification.as_mut().unwrap().routes.pop();
        police.skills[0].timing = SkillTiming::BeforeApplying;
        save_role(&mut conn, "police-officer", &police).unwrap();
        let stored = load(&mut conn).unwrap();
        assert!(stored.role("police-officer").is_none());
        assert_eq!(stored.role("police-constable").unwrap(), &police);
    }
}
