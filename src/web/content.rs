//! The catalogue snapshot every request reads, and a cache of rendered page bodies that are
//! the same for every visitor (guides, role pages). Publishing an edited catalogue drops
//! exactly the pages whose inputs changed; every other page stays cached.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::domain::catalogue::Catalogue;
use crate::error::AppError;

/// More entries than this and the cache starts again; every guide is cheap to re-render.
const MAX_CACHED_PAGES: usize = 4096;

/// The part of a page that is the same for everyone. The frame around it (header, sign-in
/// state, forms with tokens) is rendered per request.
#[derive(Debug)]
pub struct CachedPage {
    pub title: String,
    pub description: String,
    pub canonical: String,
    /// Extra markup for `<head>`, e.g. JSON-LD, already escaped by its template.
    pub head_extra: String,
    pub body: String,
    /// A guide's call to build a plan, in words that fit its timeline ("Build a 6–12
    /// month plan", "Plan your first 12 months"), for the per-visitor frame; empty on
    /// other pages.
    pub plan_cta: String,
    /// A digest of everything the body was made from (see `web::page_inputs`): a page whose
    /// digest is the same under an edited catalogue would render the same, so it stays.
    pub inputs: u64,
}

/// A page body and whether it came from the cache (the `X-Cache` header says which).
pub struct Served {
    pub page: Arc<CachedPage>,
    pub from_cache: bool,
}

/// Says on the response whether its body came from the cache.
pub fn mark_cache(response: &mut actix_web::HttpResponse, served: &Served) {
    response.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-cache"),
        actix_web::http::header::HeaderValue::from_static(if served.from_cache {
            "HIT"
        } else {
            "MISS"
        }),
    );
}

struct Snapshot {
    generation: u64,
    catalogue: Arc<Catalogue>,
}

pub struct ContentStore {
    base_url: String,
    snapshot: RwLock<Snapshot>,
    pages: RwLock<HashMap<String, Arc<CachedPage>>>,
    /// Every public address, for the sitemap, with the generation it was built from.
    public_urls: RwLock<Option<(u64, Arc<Vec<String>>)>>,
}

impl ContentStore {
    pub fn new(catalogue: Catalogue, base_url: String) -> Self {
        Self {
            base_url,
            snapshot: RwLock::new(Snapshot {
                generation: 0,
                catalogue: Arc::new(catalogue),
            }),
            pages: RwLock::new(HashMap::new()),
            public_urls: RwLock::new(None),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn catalogue(&self) -> Arc<Catalogue> {
        Arc::clone(&self.read_snapshot().1)
    }

    fn read_snapshot(&self) -> (u64, Arc<Catalogue>) {
        let s = self.snapshot.read().unwrap_or_else(|p| p.into_inner());
        (s.generation, Arc::clone(&s.catalogue))
    }

    /// Swaps in an edited catalogue. A cached page stays only if `inputs` gives the same
    /// digest for its key under the new catalogue (a page that no longer exists gives
    /// `None`); returns how many pages were dropped.
    pub fn publish(
        &self,
        catalogue: Arc<Catalogue>,
        mut inputs: impl FnMut(&str) -> Option<u64>,
    ) -> usize {
        // Judge the cached pages without holding a lock, so readers are not held up...
        let cached: Vec<(String, u64)> = self
            .pages
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(key, page)| (key.clone(), page.inputs))
            .collect();
        let verdicts: HashMap<(String, u64), bool> = cached
            .into_iter()
            .map(|(key, digest)| {
                let same = inputs(&key) == Some(digest);
                ((key, digest), same)
            })
            .collect();
        // ...then swap, judging any page stored in the meantime on the spot.
        let mut s = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
        let mut pages = self.pages.write().unwrap_or_else(|p| p.into_inner());
        let before = pages.len();
        pages.retain(
            |key, page| match verdicts.get(&(key.clone(), page.inputs)) {
                Some(&same) => same,
                None => inputs(key) == Some(page.inputs),
            },
        );
        s.generation += 1;
        s.catalogue = catalogue;
        before - pages.len()
    }

    /// Returns the cached page for `key`, rendering it with `render` on a miss. `render`
    /// returns `None` when the page does not exist.
    pub fn page(
        &self,
        key: &str,
        render: impl FnOnce(&Catalogue) -> Result<Option<CachedPage>, AppError>,
    ) -> Result<Option<Served>, AppError> {
        if let Some(hit) = self
            .pages
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
        {
            return Ok(Some(Served {
                page: Arc::clone(hit),
                from_cache: true,
            }));
        }
        let (generation, catalogue) = self.read_snapshot();
        let Some(page) = render(&catalogue)? else {
            return Ok(None);
        };
        let page = Arc::new(page);
        let snapshot = self.snapshot.read().unwrap_or_else(|p| p.into_inner());
        // A page rendered from a catalogue that has since been replaced is served once but
        // never stored.
        if snapshot.generation == generation {
            let mut pages = self.pages.write().unwrap_or_else(|p| p.into_inner());
            if pages.len() >= MAX_CACHED_PAGES {
                pages.clear();
            }
            pages.insert(key.to_owned(), Arc::clone(&page));
        }
        Ok(Some(Served {
            page,
            from_cache: false,
        }))
    }

    /// The sitemap's addresses, built once per catalogue rather than per request.
    pub fn public_urls(&self, build: impl FnOnce(&Catalogue) -> Vec<String>) -> Arc<Vec<String>> {
        let (generation, catalogue) = self.read_snapshot();
        if let Some((built_from, urls)) =
            &*self.public_urls.read().unwrap_or_else(|p| p.into_inner())
            && *built_from == generation
        {
            return Arc::clone(urls);
        }
        let urls = Arc::new(build(&catalogue));
        *self.public_urls.write().unwrap_or_else(|p| p.into_inner()) =
            Some((generation, Arc::clone(&urls)));
        urls
    }

    pub fn cached_pages(&self) -> usize {
        self.pages.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_cached(&self, key: &str) -> bool {
        self.pages
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(key)
    }
}
