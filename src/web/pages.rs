//! Home, the legal pages, crawler files, health checks and the fallback for unknown paths.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use super::AppState;
use super::layout::{Layout, ok, render};
use super::visitor::Visitor;
use crate::domain::catalogue::{Catalogue, Role, Sector};
use crate::domain::slug::split_pair;
use crate::error::{AppError, ErrorPage};

/// Roles grouped by sector for the "from → to" picker.
pub struct SectorGroup<'a> {
    pub sector: &'a Sector,
    pub roles: Vec<&'a Role>,
}

pub fn sector_groups(catalogue: &Catalogue) -> Vec<SectorGroup<'_>> {
    catalogue
        .sectors
        .iter()
        .map(|sector| SectorGroup {
            sector,
            roles: catalogue
                .roles
                .iter()
                .filter(|r| r.sector == sector.slug)
                .collect(),
        })
        .filter(|g| !g.roles.is_empty())
        .collect()
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage<'a> {
    pub layout: Layout,
    pub groups: Vec<SectorGroup<'a>>,
    pub role_count: usize,
    pub guide_count: usize,
    pub from: String,
    pub to: String,
    pub from_error: Option<&'static str>,
    pub to_error: Option<&'static str>,
    pub popular: Vec<(String, String)>,
}

impl<'a> HomePage<'a> {
    pub fn new(layout: Layout, catalogue: &'a Catalogue) -> Self {
        let n = catalogue.roles.len();
        let popular = [
            ("cloud-engineer", "backend-developer"),
            ("secondary-school-teacher", "data-analyst"),
            ("accountant", "data-analyst"),
            ("retail-store-manager", "product-manager"),
            ("registered-nurse", "business-analyst"),
            ("it-support-technician", "cloud-engineer"),
        ]
        .iter()
        .filter_map(|(f, t)| {
            let (from, to) = (catalogue.role(f)?, catalogue.role(t)?);
            Some((
                crate::domain::guide::guide_path(f, t),
                format!("{} to {}", from.title, to.title),
            ))
        })
        .collect();
        Self {
            layout,
            groups: sector_groups(catalogue),
            role_count: n,
            guide_count: n * n.saturating_sub(1),
            from: String::new(),
            to: String::new(),
            from_error: None,
            to_error: None,
            popular,
        }
    }
}

#[get("/")]
pub async fn home(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    ok(&HomePage::new(
        Layout::for_visitor(&req, &visitor),
        &catalogue,
    ))
}

/// Rendered once per request with the signed-in frame; the text itself is static.
#[derive(Template)]
#[template(path = "pages/privacy.html")]
pub struct PrivacyPage {
    pub layout: Layout,
}

#[derive(Template)]
#[template(path = "pages/terms.html")]
pub struct TermsPage {
    pub layout: Layout,
}

#[get("/privacy")]
pub async fn privacy(req: HttpRequest, visitor: Visitor) -> Result<HttpResponse, AppError> {
    ok(&PrivacyPage {
        layout: Layout::for_visitor(&req, &visitor),
    })
}

#[get("/terms")]
pub async fn terms(req: HttpRequest, visitor: Visitor) -> Result<HttpResponse, AppError> {
    ok(&TermsPage {
        layout: Layout::for_visitor(&req, &visitor),
    })
}

#[get("/robots.txt")]
pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    let body = format!(
        "User-agent: *\nDisallow: /account\nDisallow: /dashboard\nDisallow: /plans\n\
         Disallow: /practice\nDisallow: /admin\nDisallow: /unsubscribe\nAllow: /\n\n\
         Sitemap: {}/sitemap.xml\n",
        state.settings.base_url
    );
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(body)
}

#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok\n")
}

/// Prometheus text format. The outbox depth is read at scrape time.
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    match crate::db::run(&state.pool, crate::db::outbox::depth).await {
        Ok(depth) => {
            state.metrics.outbox_depth.set(depth);
        }
        Err(e) => tracing::warn!(error = %e, "cannot read the outbox depth for /metrics"),
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(state.metrics.render())
}

#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let check = crate::db::run(&state.pool, |conn| {
        crate::db::ping(conn)?;
        crate::db::migrations_applied(conn)
    })
    .await;
    match check {
        Ok(true) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready\n"),
        Ok(false) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("database migrations pending\n"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable\n")
        }
    }
}

/// The canonical form of a near-miss public address (wrong case, trailing slash), if the
/// address names a page that exists.
pub fn canonical_path(catalogue: &Catalogue, path: &str) -> Option<String> {
    let trimmed = path.trim_end_matches('/');
    let lower = trimmed.to_lowercase();
    let candidate = if lower.is_empty() {
        "/".to_owned()
    } else {
        lower
    };
    let candidate = follow_renames(catalogue, &candidate).unwrap_or(candidate);
    let exists = match candidate.as_str() {
        "/" | "/roles" | "/privacy" | "/terms" => true,
        p => {
            if let Some(slug) = p.strip_prefix("/roles/") {
                catalogue.role(slug).is_some()
            } else if let Some(pair) = p.strip_prefix("/careers/") {
                split_pair(pair).is_some_and(|(f, t)| {
                    f != t && catalogue.role(f).is_some() && catalogue.role(t).is_some()
                })
            } else {
                false
            }
        }
    };
    (exists && candidate != path).then_some(candidate)
}

/// A role or guide address written with a role's old slug, rewritten with the current one.
fn follow_renames(catalogue: &Catalogue, path: &str) -> Option<String> {
    let current = |slug: &str| catalogue.renamed(slug).unwrap_or(slug).to_owned();
    if let Some(slug) = path.strip_prefix("/roles/") {
        let now = catalogue.renamed(slug)?;
        return Some(format!("/roles/{now}"));
    }
    let (from, to) = split_pair(path.strip_prefix("/careers/")?)?;
    if catalogue.renamed(from).is_none() && catalogue.renamed(to).is_none() {
        return None;
    }
    Some(crate::domain::guide::guide_path(
        &current(from),
        &current(to),
    ))
}

pub fn moved_permanently(location: &str, query: &str) -> HttpResponse {
    let target = if query.is_empty() {
        location.to_owned()
    } else {
        format!("{location}?{query}")
    };
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, target))
        .finish()
}

/// Every unmatched request: for GET and HEAD, a redirect for near misses of real pages
/// and a styled 404 for the rest; any other method gets the plain styled 404.
pub async fn fallback(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
) -> HttpResponse {
    let catalogue = state.content.catalogue();
    if req.method() == actix_web::http::Method::GET || req.method() == actix_web::http::Method::HEAD
    {
        if let Some(canonical) = canonical_path(&catalogue, req.path()) {
            return moved_permanently(&canonical, req.query_string());
        }
        let page = ErrorPage {
            layout: Layout::for_visitor(&req, &visitor),
            ..ErrorPage::for_status(StatusCode::NOT_FOUND, None)
        };
        return render(StatusCode::NOT_FOUND, &page)
            .unwrap_or_else(|_| ErrorPage::response(StatusCode::NOT_FOUND, None));
    }
    ErrorPage::response(StatusCode::NOT_FOUND, None)
}
