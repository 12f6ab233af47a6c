//! `/account/skills`: the signed-in user's skills profile, and the "for you" panel every
//! guide shows them, worked out from it. The panel is rendered per request, outside the
//! cached page body.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::AppState;
use super::layout::{Layout, render};
use super::visitor::{Fields, SignedIn, SignedInForm};
use crate::db;
use crate::domain::catalogue::{Catalogue, Role, Skill};
use crate::domain::profile::{PersonalMove, Profile, SkillLevel, personal_move};
use crate::domain::text::{count, in_sentence, with_article};
use crate::error::AppError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(set_role)
        .service(set_levels)
        .service(add);
}

/// How many matches a search lists.
const MAX_MATCHES: usize = 12;
/// A profile holds at most this many skills.
const MAX_SKILLS: usize = 60;

/// The profile a user's pages read: their saved one, or (until they save one) the skills of
/// the role they are moving from in their first saved move.
pub struct Effective {
    pub profile: Option<Profile>,
    pub saved: bool,
}

pub async fn effective(state: &AppState, user_id: i32) -> Result<Effective, AppError> {
    let found = db::run(&state.pool, move |conn| {
        db::profiles::stored_or_first_move(conn, user_id)
    })
    .await?;
    Ok(effective_from(&state.content.catalogue(), found))
}

/// `effective` from what `db::profiles::stored_or_first_move` read.
pub fn effective_from(
    catalogue: &Catalogue,
    (stored, first_from): (Option<Profile>, Option<String>),
) -> Effective {
    match stored {
        Some(p) => Effective {
            profile: Some(p.known_to(catalogue)),
            saved: true,
        },
        None => Effective {
            profile: first_from
                .and_then(|slug| catalogue.any_role(&slug).map(Profile::starting_from)),
            saved: false,
        },
    }
}

pub struct SkillRow<'a> {
    pub skill: &'a Skill,
    pub level: SkillLevel,
    /// Listed by the current role.
    pub from_role: bool,
}

#[derive(Template)]
#[template(path = "account/skills.html")]
struct ProfilePage<'a> {
    layout: Layout,
    catalogue: &'a Catalogue,
    saved: bool,
    current_role: String,
    rows: Vec<SkillRow<'a>>,
    levels: [SkillLevel; 3],
    find: String,
    matches: Vec<&'a Skill>,
    add_skill: String,
    add_level: String,
    error: Option<String>,
}

impl ProfilePage<'_> {
    fn selected(&self, level: &SkillLevel, row: &SkillRow<'_>) -> bool {
        *level == row.level
    }
}

fn page<'a>(
    req: &HttpRequest,
    me: &SignedIn,
    catalogue: &'a Catalogue,
    effective: &Effective,
) -> ProfilePage<'a> {
    let profile = effective.profile.clone().unwrap_or_default();
    let role = profile
        .current_role
        .as_deref()
        .and_then(|s| catalogue.any_role(s));
    let mut rows: Vec<SkillRow<'_>> = profile
        .skills
        .iter()
        .filter_map(|s| {
            Some(SkillRow {
                skill: catalogue.skill(&s.skill)?,
                level: s.level,
                from_role: role.is_some_and(|r| r.has_skill(&s.skill).is_some()),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        a.skill
            .name
            .to_lowercase()
            .cmp(&b.skill.name.to_lowercase())
    });
    ProfilePage {
        layout: Layout::for_visitor(req, &me.visitor()),
        catalogue,
        saved: effective.saved,
        current_role: profile.current_role.clone().unwrap_or_default(),
        rows,
        levels: SkillLevel::ALL,
        find: String::new(),
        matches: Vec::new(),
        add_skill: String::new(),
        add_level: SkillLevel::Working.as_str().to_owned(),
        error: None,
    }
}

/// Skills whose name or slug contains every word of `query`, best first.
fn search<'a>(catalogue: &'a Catalogue, query: &str) -> Vec<&'a Skill> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<&Skill> = catalogue
        .skills
        .iter()
        .filter(|s| {
            let hay = format!("{} {}", s.name.to_lowercase(), s.slug);
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    found.sort_by_key(|s| {
        (
            !s.name.to_lowercase().starts_with(&words[0]),
            s.name.clone(),
        )
    });
    found.truncate(MAX_MATCHES);
    found
}

/// A skill named as typed: its slug, or its name in any case.
fn resolve<'a>(catalogue: &'a Catalogue, typed: &str) -> Option<&'a Skill> {
    let typed = typed.trim();
    catalogue.skill(typed).or_else(|| {
        catalogue
            .skills
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(typed))
    })
}

#[derive(Deserialize)]
struct FindQuery {
    find: Option<String>,
}

#[get("/account/skills")]
async fn show(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let effective = effective(&state, me.user.id).await?;
    let mut page = page(&req, &me, &catalogue, &effective);
    if let Some(find) = &query.find {
        page.find = find.chars().take(100).collect();
        page.matches = search(&catalogue, &page.find);
    }
    if req.query_string().contains("saved=") {
        page.layout = page.layout.with_notice("Your skills are saved.");
    }
    render(StatusCode::OK, &page)
}

async fn store(state: &AppState, user_id: i32, profile: Profile) -> Result<(), AppError> {
    db::run(&state.pool, move |conn| {
        db::profiles::save(conn, user_id, &profile, chrono::Utc::now().naive_utc())
    })
    .await?;
    Ok(())
}

fn saved() -> HttpResponse {
    super::auth_pages::see_other("/account/skills?saved=1")
}

/// The profile page again, with a message saying why nothing was saved.
fn refused(
    req: &HttpRequest,
    me: &SignedIn,
    catalogue: &Catalogue,
    effective: &Effective,
    message: &str,
) -> Result<HttpResponse, AppError> {
    let mut page = page(req, me, catalogue, effective);
    page.error = Some(message.to_owned());
    render(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// Sets the current role; "start from its skills" replaces the list with the role's.
#[post("/account/skills/role")]
async fn set_role(
    req: HttpRequest,
    SignedInForm { who: me, form }: SignedInForm<Fields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let effective = effective(&state, me.user.id).await?;
    let mut profile = effective.profile.clone().unwrap_or_default();
    let chosen = form.get("current_role");
    if chosen.is_empty() {
        profile.current_role = None;
    } else {
        let Some(role) = catalogue.role(chosen) else {
            return refused(
                &req,
                &me,
                &catalogue,
                &effective,
                "Choose your current role from the list.",
            );
        };
        if form.checked("start_from_role") || profile.skills.is_empty() {
            profile = Profile::starting_from(role);
        } else {
            profile.current_role = Some(role.slug.clone());
        }
    }
    store(&state, me.user.id, profile).await?;
    Ok(saved())
}

/// Changes levels and removes the skills ticked for removal.
#[post("/account/skills")]
async fn set_levels(
    req: HttpRequest,
    SignedInForm { who: me, form }: SignedInForm<Fields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let effective = effective(&state, me.user.id).await?;
    let mut profile = effective.profile.clone().unwrap_or_default();
    for slug in profile
        .skills
        .iter()
        .map(|s| s.skill.clone())
        .collect::<Vec<_>>()
    {
        if form.checked(&format!("remove_{slug}")) {
            profile.remove(&slug);
            continue;
        }
        let raw = form.get(&format!("level_{slug}"));
        if raw.is_empty() {
            continue;
        }
        match SkillLevel::parse(raw) {
            Some(level) => profile.set(&slug, level),
            None => {
                return refused(
                    &req,
                    &me,
                    &catalogue,
                    &effective,
                    "Choose learning, working or strong for each skill.",
                );
            }
        }
    }
    store(&state, me.user.id, profile).await?;
    Ok(saved())
}

/// Adds a skill from the catalogue, by name or slug, at a level.
#[post("/account/skills/add")]
async fn add(
    req: HttpRequest,
    SignedInForm { who: me, form }: SignedInForm<Fields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let effective = effective(&state, me.user.id).await?;
    let typed = form.get("skill").trim().to_owned();
    let level = SkillLevel::parse(form.get("level"));
    let refuse = |message: String| {
        let mut page = page(&req, &me, &catalogue, &effective);
        page.add_skill = typed.chars().take(100).collect();
        page.add_level = form.get("level").to_owned();
        page.matches = search(&catalogue, &typed);
        page.find = page.add_skill.clone();
        page.error = Some(message);
        render(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let Some(skill) = resolve(&catalogue, &typed) else {
        return if typed.is_empty() {
            refuse("Type the skill you want to add, then choose it from the list.".to_owned())
        } else {
            refuse(format!(
                "We have no skill called “{}”. Choose one of the skills we know about; the closest are listed below.",
                typed.chars().take(100).collect::<String>()
            ))
        };
    };
    let Some(level) = level else {
        return refuse("Choose how well you know it: learning, working or strong.".to_owned());
    };
    let mut profile = effective.profile.clone().unwrap_or_default();
    if profile.level_of(&skill.slug).is_none() && profile.skills.len() >= MAX_SKILLS {
        return refuse(format!("A profile holds at most {MAX_SKILLS} skills."));
    }
    profile.set(&skill.slug, level);
    store(&state, me.user.id, profile).await?;
    Ok(saved())
}

/// The "for you" panel on a guide.
pub struct PersonalPanel {
    /// Whether the profile is the user's own or still the role's defaults.
    pub saved: bool,
    pub basis: String,
    pub overlap: u32,
    pub public_overlap: u32,
    pub timeline: String,
    pub public_timeline: String,
    pub transfers: Vec<String>,
    pub missing: Vec<String>,
    pub extra_help: Vec<String>,
    pub learning: Vec<String>,
}

/// The panel for a guide into `to`, from the person's profile: they stand in their own
/// current role (its pay and sector) when they have named one, else on the guide's `from`
/// side, with their own skills either way.
pub fn personal_panel(
    catalogue: &Catalogue,
    effective: &Effective,
    from: &Role,
    to: &Role,
) -> Option<PersonalPanel> {
    let profile = effective.profile.as_ref()?;
    let base = profile.standing_role(catalogue, from, to);
    let person = profile.as_role(base);
    let mine = personal_move(catalogue, profile, base, &person, to);
    let public = crate::domain::transition::analyse(catalogue, from, to);
    let months = |t: &crate::domain::transition::Transition<'_>| {
        format!("{}–{} months", t.timeline.total.min, t.timeline.total.max)
    };
    let PersonalMove {
        transition,
        extra_help,
        learning,
    } = &mine;
    Some(PersonalPanel {
        saved: effective.saved,
        basis: if effective.saved && base.slug != from.slug {
            format!(
                "your skills profile ({}), as {} rather than {}",
                count(profile.skills.len(), "skill", "skills"),
                with_article(&in_sentence(&base.title)),
                with_article(&in_sentence(&from.title))
            )
        } else if effective.saved {
            format!(
                "your skills profile ({})",
                count(profile.skills.len(), "skill", "skills")
            )
        } else {
            let role = profile
                .current_role
                .as_deref()
                .and_then(|s| catalogue.any_role(s))
                .map_or("your role", |r| r.title.as_str());
            format!(
                "the usual skills of {} (the role in your first saved move), until you set up your own",
                with_article(&in_sentence(role))
            )
        },
        overlap: transition.score.percent,
        public_overlap: public.score.percent,
        timeline: months(transition),
        public_timeline: months(&public),
        transfers: transition
            .transferable
            .iter()
            .map(|s| s.skill.name.clone())
            .collect(),
        missing: transition
            .to_build
            .iter()
            .map(|g| {
                if g.weeks == 0 {
                    format!("{} (learned on the job)", g.skill.name)
                } else {
                    format!(
                        "{} (about {})",
                        g.skill.name,
                        count(g.weeks as usize, "week", "weeks")
                    )
                }
            })
            .collect(),
        extra_help: extra_help.iter().map(|s| s.name.clone()).collect(),
        learning: learning.iter().map(|s| s.name.clone()).collect(),
    })
}
