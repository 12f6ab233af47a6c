//! `/careers/{from}-to-{to}`: the guide for one ordered pair, and the picker that leads there.

use std::sync::Arc;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::chart::{SalaryChart, salary_chart};
use super::content::CachedPage;
use super::layout::{Layout, render};
use super::pages::HomePage;
use super::visitor::Visitor;
use crate::domain::catalogue::Catalogue;
use crate::domain::guide::{self, Guide, guide_path};
use crate::domain::slug::split_pair;
use crate::domain::transition::analyse;
use crate::error::AppError;

#[derive(Template)]
#[template(path = "guides/body.html")]
struct GuideBody<'a> {
    guide: &'a Guide,
    chart: SalaryChart,
    bar_height: i64,
    chart_width: i64,
}

#[derive(Template)]
#[template(path = "guides/head.html")]
struct GuideHead<'a> {
    json_ld: FaqPage<'a>,
}

/// schema.org FAQPage, serialised through askama's `json` filter.
#[derive(Serialize)]
struct FaqPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(rename = "mainEntity")]
    main_entity: Vec<FaqQuestion<'a>>,
}

#[derive(Serialize)]
struct FaqQuestion<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(rename = "acceptedAnswer")]
    accepted_answer: FaqAnswer<'a>,
}

#[derive(Serialize)]
struct FaqAnswer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
}

#[derive(Template)]
#[template(path = "guides/show.html")]
struct GuidePage {
    layout: Layout,
    page: Arc<CachedPage>,
    /// Save and plan buttons: per visitor, never cached.
    save: super::plans::SavePanel,
    /// The move worked out from the signed-in user's own skills: per visitor, never cached.
    personal: Option<super::skills::PersonalPanel>,
}

/// Renders the part of a guide that is the same for every visitor.
pub fn render_guide(
    catalogue: &Catalogue,
    from: &str,
    to: &str,
    base_url: &str,
) -> Result<Option<CachedPage>, AppError> {
    if from == to {
        return Ok(None);
    }
    let (Some(from), Some(to)) = (catalogue.role(from), catalogue.role(to)) else {
        return Ok(None);
    };
    let transition = analyse(catalogue, from, to);
    let guide = guide::write(catalogue, &transition);
    let body = GuideBody {
        chart: salary_chart(&guide.salary_rows),
        guide: &guide,
        bar_height: super::chart::BAR_HEIGHT_PX,
        chart_width: super::chart::WIDTH,
    }
    .render()?;
    let json_ld = FaqPage {
        context: "https://schema.org",
        kind: "FAQPage",
        name: &guide.title,
        main_entity: guide
            .faq
            .iter()
            .map(|f| FaqQuestion {
                kind: "Question",
                name: &f.question,
                accepted_answer: FaqAnswer {
                    kind: "Answer",
                    text: &f.answer,
                },
            })
            .collect(),
    };
    let head_extra = GuideHead { json_ld }.render()?;
    let inputs = guide::guide_inputs(catalogue, from, to, &guide.other_from, &guide.other_into);
    Ok(Some(CachedPage {
        inputs,
        title: format!("{}: a UK career change guide", guide.title),
        description: guide.meta_description.clone(),
        canonical: format!("{base_url}{}", guide_path(&from.slug, &to.slug)),
        head_extra,
        body,
        plan_cta: guide.plan_cta.clone(),
    }))
}

#[get("/careers/{pair}")]
pub async fn show(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    pair: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let pair = pair.into_inner();
    let base_url = state.content.base_url();
    // The cache is keyed by the decoded slugs, never the raw path: percent-encoded
    // spellings of one guide are one entry, and are sent to its one address.
    let mut slugs = None;
    let page = match split_pair(&pair) {
        Some((from, to)) => {
            slugs = Some((from.to_owned(), to.to_owned()));
            let canonical = guide_path(from, to);
            let page = state
                .content
                .page(&canonical, |cat| render_guide(cat, from, to, base_url))?;
            if page.is_some() && req.path() != canonical {
                return Ok(super::pages::moved_permanently(
                    &canonical,
                    req.query_string(),
                ));
            }
            page
        }
        None => None,
    };
    match (page, slugs) {
        (Some(served), Some((from, to))) => {
            let (save, effective) = super::plans::save_panel(&state, &visitor, &from, &to).await?;
            let catalogue = state.content.catalogue();
            let personal = match (effective, catalogue.role(&from), catalogue.role(&to)) {
                (Some(effective), Some(f), Some(t)) => {
                    super::skills::personal_panel(&catalogue, &effective, f, t)
                }
                _ => None,
            };
            let mut response = render(
                StatusCode::OK,
                &GuidePage {
                    personal,
                    save,
                    layout: Layout::for_visitor(&req, &visitor),
                    page: Arc::clone(&served.page),
                },
            )?;
            super::content::mark_cache(&mut response, &served);
            Ok(response)
        }
        (_, slugs) => {
            let catalogue = state.content.catalogue();
            if let Some(canonical) = super::pages::canonical_path(&catalogue, req.path()) {
                return Ok(super::pages::moved_permanently(
                    &canonical,
                    req.query_string(),
                ));
            }
            match slugs {
                Some((from, to)) => {
                    super::retired::guide_gone(&req, &visitor, &catalogue, &from, &to)
                }
                None => Err(AppError::NotFound),
            }
        }
    }
}

/// `guide_inputs` for the guide at `/careers/{pair}` under `catalogue`.
pub fn page_inputs(
    memo: &mut guide::LinkMemo<'_>,
    catalogue: &Catalogue,
    pair: &str,
) -> Option<u64> {
    let (from, to) = split_pair(pair)?;
    if from == to {
        return None;
    }
    let (from, to) = (catalogue.role(from)?, catalogue.role(to)?);
    Some(memo.guide_inputs(from, to))
}

#[derive(Deserialize)]
pub struct PickerQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The home page's "from → to" form submits here by GET, so it works without JavaScript.
#[get("/careers")]
pub async fn picker(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    query: web::Query<PickerQuery>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let from = query.from.clone().unwrap_or_default();
    let to = query.to.clone().unwrap_or_default();
    let from_error = match catalogue.role(&from) {
        None if from.is_empty() => Some("Choose the role you are in now."),
        None => Some("Choose a role from the list."),
        Some(_) => None,
    };
    let to_error = match catalogue.role(&to) {
        None if to.is_empty() => Some("Choose the role you want to move into."),
        None => Some("Choose a role from the list."),
        Some(_) if from == to => Some("Choose a different role from the one you are in now."),
        Some(_) => None,
    };
    if from_error.is_none() && to_error.is_none() {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, guide_path(&from, &to)))
            .finish());
    }
    let mut page = HomePage::new(Layout::for_visitor(&req, &visitor), &catalogue);
    page.from = from;
    page.to = to;
    page.from_error = from_error;
    page.to_error = to_error;
    render(StatusCode::BAD_REQUEST, &page)
}
