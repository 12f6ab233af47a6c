//! `/roles` (search and filter) and `/roles/{slug}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::AppState;
use super::content::CachedPage;
use super::layout::{Layout, render};
use super::visitor::Visitor;
use crate::domain::catalogue::{Catalogue, Importance, Role, Skill, SkillTiming, search};
use crate::domain::guide::{
    ActivityView, RouteLink, moves_from, moves_into, role_page_inputs, route_summary,
};
use crate::domain::markdown::Html;
use crate::domain::money::pounds_range;
use crate::domain::text::{count, in_sentence, sentence_case, with_article};
use crate::error::AppError;

const MAX_QUERY_CHARS: usize = 100;
const BEST_MATCHES: usize = 5;

#[derive(Deserialize)]
pub struct RoleQuery {
    q: Option<String>,
    sector: Option<String>,
}

pub struct RoleCard<'a> {
    pub role: &'a Role,
    /// The summary without its Markdown.
    pub summary: String,
    pub sector_name: &'a str,
    pub mid_salary: String,
    pub core_skills: Vec<&'a str>,
}

#[derive(Template)]
#[template(path = "roles/index.html")]
pub struct RolesPage<'a> {
    pub layout: Layout,
    pub catalogue: &'a Catalogue,
    pub query: String,
    pub sector: String,
    pub cards: Vec<RoleCard<'a>>,
    pub summary: String,
    pub error: Option<String>,
}

#[get("/roles")]
pub async fn index(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    query: web::Query<RoleQuery>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let q = query.q.clone().unwrap_or_default();
    let sector = query.sector.clone().unwrap_or_default();
    let mut error = None;
    let mut status = StatusCode::OK;
    if q.chars().count() > MAX_QUERY_CHARS {
        error = Some(format!("Search for at most {MAX_QUERY_CHARS} characters."));
        status = StatusCode::BAD_REQUEST;
    }
    let sector_filter = if sector.is_empty() {
        None
    } else if catalogue.sector(&sector).is_some() {
        Some(sector.as_str())
    } else {
        error = Some("Choose a sector from the list.".to_owned());
        status = StatusCode::BAD_REQUEST;
        None
    };
    let matches = if error.is_some() {
        Vec::new()
    } else {
        search(&catalogue, &q, sector_filter)
    };
    let cards: Vec<_> = matches
        .into_iter()
        .map(|role| RoleCard {
            summary: crate::domain::markdown::to_plain(&role.summary),
            sector_name: catalogue
                .sector(&role.sector)
                .map_or("", |s| s.name.as_str()),
            mid_salary: pounds_range(role.salary.mid.min, role.salary.mid.max),
            core_skills: role
                .core_skills()
                .map(|rs| catalogue.skill_of(rs).name.as_str())
                .collect(),
            role,
        })
        .collect();
    let summary = if q.trim().is_empty() && sector_filter.is_none() {
        format!("All {}.", count(cards.len(), "role", "roles"))
    } else {
        format!(
            "{} {}.",
            count(cards.len(), "role", "roles"),
            if cards.len() == 1 { "matches" } else { "match" }
        )
    };
    render(
        status,
        &RolesPage {
            layout: Layout::for_visitor(&req, &visitor),
            catalogue: &catalogue,
            query: q,
            sector,
            cards,
            summary,
            error,
        },
    )
}

pub struct SkillLine<'a> {
    pub skill: &'a Skill,
    pub usage: &'a str,
    /// "before applying", or how it is learned once you start.
    pub timing: &'static str,
}

/// One route to a role's qualification, as the role page lists it.
pub struct RouteLine<'a> {
    pub name: String,
    pub summary: String,
    pub entry_requirements: &'a str,
    pub cost: &'a str,
    pub funding: &'a str,
}

pub struct QualificationView<'a> {
    pub heading: String,
    pub overview: &'a str,
    pub routes_heading: String,
    pub routes: Vec<RouteLine<'a>>,
    pub elsewhere: &'a str,
}

/// A role's own prose: an admin's Markdown, rendered and sanitised.
struct RoleText {
    summary: Html,
    appeal: Html,
    challenges: Html,
    activities: Vec<ActivityView>,
}

#[derive(Template)]
#[template(path = "roles/body.html")]
struct RoleBody<'a> {
    role: &'a Role,
    text: RoleText,
    sector_name: &'a str,
    salary_rows: Vec<(&'static str, String)>,
    core: Vec<SkillLine<'a>>,
    supporting: Vec<SkillLine<'a>>,
    qualification: Option<QualificationView<'a>>,
    out_of: Vec<RouteLink>,
    into: Vec<RouteLink>,
    reviewed: String,
}

#[derive(Template)]
#[template(path = "roles/show.html")]
struct RolePage {
    layout: Layout,
    page: std::sync::Arc<CachedPage>,
}

pub fn render_role(
    catalogue: &Catalogue,
    slug: &str,
    base_url: &str,
) -> Result<Option<CachedPage>, AppError> {
    let Some(role) = catalogue.role(slug) else {
        return Ok(None);
    };
    let learned = if role.qualification.is_some() {
        "taught in training"
    } else {
        "learned on the job"
    };
    let lines = |importance: Importance| {
        role.skills
            .iter()
            .filter(|rs| rs.importance == importance)
            .map(|rs| SkillLine {
                skill: catalogue.skill_of(rs),
                usage: &rs.usage,
                timing: match rs.timing {
                    SkillTiming::BeforeApplying => "before applying",
                    SkillTiming::OnTheJob => learned,
                },
            })
            .collect::<Vec<_>>()
    };
    let qualification = role.qualification.as_ref().map(|q| QualificationView {
        heading: format!("Qualification needed: {}", q.name),
        overview: &q.route,
        routes_heading: format!("Routes {}", q.applies_in),
        routes: q
            .routes
            .iter()
            .map(|r| RouteLine {
                name: sentence_case(&r.name),
                summary: route_summary(r),
                entry_requirements: &r.entry_requirements,
                cost: &r.cost,
                funding: &r.funding,
            })
            .collect(),
        elsewhere: &q.elsewhere,
    });
    let s = role.salary;
    let out_of = moves_from(catalogue, role, None, BEST_MATCHES);
    let into = moves_into(catalogue, role, None, BEST_MATCHES);
    let inputs = role_page_inputs(catalogue, role, &out_of, &into);
    let body = RoleBody {
        role,
        text: RoleText {
            summary: Html::blocks(&role.summary),
            appeal: Html::blocks(&role.appeal),
            challenges: Html::blocks(&role.challenges),
            activities: ActivityView::all(&role.activities),
        },
        sector_name: catalogue
            .sector(&role.sector)
            .map_or("", |s| s.name.as_str()),
        salary_rows: vec![
            ("Entry", pounds_range(s.entry.min, s.entry.max)),
            ("Mid", pounds_range(s.mid.min, s.mid.max)),
            ("Senior", pounds_range(s.senior.min, s.senior.max)),
        ],
        core: lines(Importance::Core),
        supporting: lines(Importance::Supporting),
        qualification,
        out_of,
        into,
        reviewed: role.salary_reviewed.format("%B %Y").to_string(),
    }
    .render()?;
    Ok(Some(CachedPage {
        title: format!("{} – UK salary, skills and career changes", role.title),
        description: format!(
            "What {} does in the UK, pay at each level ({} at mid level), the core skills, and the best-matched career changes into and out of the role.",
            with_article(&in_sentence(&role.title)),
            pounds_range(s.mid.min, s.mid.max)
        ),
        canonical: format!("{base_url}/roles/{}", role.slug),
        head_extra: String::new(),
        body,
        plan_cta: String::new(),
        inputs,
    }))
}

/// `role_page_inputs` for the page at `/roles/{slug}` under `catalogue`.
pub fn page_inputs(
    memo: &mut crate::domain::guide::LinkMemo<'_>,
    catalogue: &Catalogue,
    slug: &str,
) -> Option<u64> {
    let role = catalogue.role(slug)?;
    let out_of = memo.moves_from(role, None, BEST_MATCHES);
    let into = memo.moves_into(role, None, BEST_MATCHES);
    Some(role_page_inputs(catalogue, role, &out_of, &into))
}

#[get("/roles/{slug}")]
pub async fn show(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let key = format!("/roles/{slug}");
    let base_url = state.content.base_url().to_owned();
    match state
        .content
        .page(&key, |cat| render_role(cat, &slug, &base_url))?
    {
        // One address per role: a percent-encoded spelling is sent to the plain one.
        Some(_) if req.path() != key => {
            Ok(super::pages::moved_permanently(&key, req.query_string()))
        }
        Some(served) => {
            let mut response = render(
                StatusCode::OK,
                &RolePage {
                    layout: Layout::for_visitor(&req, &visitor),
                    page: std::sync::Arc::clone(&served.page),
                },
            )?;
            super::content::mark_cache(&mut response, &served);
            Ok(response)
        }
        None => {
            let catalogue = state.content.catalogue();
            if let Some(canonical) = super::pages::canonical_path(&catalogue, req.path()) {
                return Ok(super::pages::moved_permanently(
                    &canonical,
                    req.query_string(),
                ));
            }
            match catalogue.retired_role(&slug) {
                Some(role) => super::retired::role_gone(&req, &visitor, &catalogue, role),
                None => Err(AppError::NotFound),
            }
        }
    }
}
