//! `/sitemap.xml`: every public page, split into an index past 50,000 addresses.

use actix_web::{HttpResponse, get, web};

use super::AppState;
use crate::domain::catalogue::Catalogue;
use crate::domain::guide::guide_path;
use crate::domain::sitemap::{Addresses, MAX_URLS_PER_FILE, Sitemap, part as sitemap_part, plan};
use crate::error::AppError;

/// Pages that are not made from the catalogue.
const STATIC_PAGES: [&str; 4] = ["/", "/roles", "/privacy", "/terms"];

/// Every public page: the static ones, each role, then each guide, from-role by from-role
/// in catalogue order. Worked out by position, so no list of a million guides is held.
pub struct PublicUrls<'a> {
    pub catalogue: &'a Catalogue,
    pub base_url: &'a str,
}

impl Addresses for PublicUrls<'_> {
    fn len(&self) -> usize {
        let roles = self.catalogue.roles.len();
        STATIC_PAGES.len() + roles + roles * roles.saturating_sub(1)
    }

    fn write(&self, at: usize, out: &mut String) {
        let roles = &self.catalogue.roles;
        out.push_str(self.base_url);
        if let Some(path) = STATIC_PAGES.get(at) {
            out.push_str(path);
            return;
        }
        let at = at - STATIC_PAGES.len();
        if let Some(role) = roles.get(at) {
            out.push_str("/roles/");
            out.push_str(&role.slug);
            return;
        }
        // Each role leads to every role but itself: the guide at `to` skips `from`.
        let at = at - roles.len();
        let others = roles.len() - 1;
        let (from, to) = (at / others, at % others);
        let to = if to >= from { to + 1 } else { to };
        out.push_str(&guide_path(&roles[from].slug, &roles[to].slug));
    }
}

fn xml(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .body(body)
}

#[get("/sitemap.xml")]
pub async fn index(state: web::Data<AppState>) -> HttpResponse {
    let catalogue = state.content.catalogue();
    let urls = PublicUrls {
        catalogue: &catalogue,
        base_url: &state.settings.base_url,
    };
    match plan(&urls, &state.settings.base_url, MAX_URLS_PER_FILE) {
        Sitemap::Single(body) => xml(body),
        Sitemap::Index { index, .. } => xml(index),
    }
}

#[get("/sitemaps/{n}.xml")]
pub async fn part(
    state: web::Data<AppState>,
    n: web::Path<usize>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let urls = PublicUrls {
        catalogue: &catalogue,
        base_url: &state.settings.base_url,
    };
    sitemap_part(&urls, n.into_inner(), MAX_URLS_PER_FILE)
        .map(xml)
        .ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::fixtures::sample;

    #[test]
    fn every_public_page_once_in_order() {
        let cat = sample();
        let urls = PublicUrls {
            catalogue: &cat,
            base_url: "https://x.test",
        };
        let all: Vec<String> = (0..urls.len())
            .map(|at| {
                let mut out = String::new();
                urls.write(at, &mut out);
                out
            })
            .collect();
        let mut expected: Vec<String> = STATIC_PAGES
            .iter()
            .map(|p| format!("https://x.test{p}"))
            .collect();
        expected.extend(
            cat.roles
                .iter()
                .map(|r| format!("https://x.test/roles/{}", r.slug)),
        );
        for from in &cat.roles {
            for to in &cat.roles {
                if from.slug != to.slug {
                    expected.push(format!(
                        "https://x.test{}",
                        guide_path(&from.slug, &to.slug)
                    ));
                }
            }
        }
        assert_eq!(all, expected);
        let one = Catalogue::default();
        let none = PublicUrls {
            catalogue: &one,
            base_url: "",
        };
        assert_eq!(none.len(), STATIC_PAGES.len());
    }
}
