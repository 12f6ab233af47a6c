//! What a retired role's old addresses answer: 410 Gone, with the live pages that come
//! closest, so a bookmark or a search result still leads somewhere useful.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::layout::{Layout, render};
use super::visitor::Visitor;
use crate::domain::catalogue::{Catalogue, Role};
use crate::domain::guide::guide_path;
use crate::domain::transition::{ranked_from, ranked_into};
use crate::error::AppError;

const SUGGESTIONS: usize = 6;

pub struct Suggestion {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "retired.html")]
struct RetiredPage {
    layout: Layout,
    heading: String,
    message: String,
    suggestions_heading: String,
    suggestions: Vec<Suggestion>,
}

/// `/roles/{slug}` for a retired role: the live roles that ask for the most similar skills.
pub fn role_gone(
    req: &HttpRequest,
    visitor: &Visitor,
    catalogue: &Catalogue,
    role: &Role,
) -> Result<HttpResponse, AppError> {
    let suggestions = ranked_from(catalogue, role)
        .iter()
        .take(SUGGESTIONS)
        .map(|t| Suggestion {
            href: format!("/roles/{}", t.to.slug),
            label: t.to.title.clone(),
        })
        .collect();
    render(
        StatusCode::GONE,
        &RetiredPage {
            layout: Layout::for_visitor(req, visitor),
            heading: format!("{} is no longer listed", role.title),
            message: format!(
                "We have withdrawn {} from our catalogue, so its page and its guides are no \
                 longer published. If you saved a move or built a plan that involves it, both \
                 are still in your account.",
                role.title
            ),
            suggestions_heading: "Roles that ask for similar skills".to_owned(),
            suggestions,
        },
    )
}

/// `/careers/{from}-to-{to}` when one or both roles are retired: the live side's other
/// guides. Anything else is an ordinary 404.
pub fn guide_gone(
    req: &HttpRequest,
    visitor: &Visitor,
    catalogue: &Catalogue,
    from: &str,
    to: &str,
) -> Result<HttpResponse, AppError> {
    let (Some(from), Some(to)) = (catalogue.any_role(from), catalogue.any_role(to)) else {
        return Err(AppError::NotFound);
    };
    let from_live = catalogue.role(&from.slug).is_some();
    let to_live = catalogue.role(&to.slug).is_some();
    if from.slug == to.slug || (from_live && to_live) {
        return Err(AppError::NotFound);
    }
    let gone = if from_live { to } else { from };
    let (suggestions_heading, suggestions) = if from_live {
        (
            format!("Other career changes from {}", from.title),
            ranked_from(catalogue, from)
                .iter()
                .take(SUGGESTIONS)
                .map(|t| Suggestion {
                    href: guide_path(&t.from.slug, &t.to.slug),
                    label: t.to.title.clone(),
                })
                .collect(),
        )
    } else if to_live {
        (
            format!("Other routes into {}", to.title),
            ranked_into(catalogue, to)
                .iter()
                .take(SUGGESTIONS)
                .map(|t| Suggestion {
                    href: guide_path(&t.from.slug, &t.to.slug),
                    label: t.from.title.clone(),
                })
                .collect(),
        )
    } else {
        ("Browse the roles we cover".to_owned(), Vec::new())
    };
    render(
        StatusCode::GONE,
        &RetiredPage {
            layout: Layout::for_visitor(req, visitor),
            heading: format!(
                "This guide has been withdrawn: {} to {}",
                from.title, to.title
            ),
            message: format!(
                "We no longer publish guides to or from {}, because it has left our catalogue. \
                 If you saved this move or built a plan for it, both are still in your account.",
                gone.title
            ),
            suggestions_heading,
            suggestions,
        },
    )
}
