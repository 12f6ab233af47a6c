//! The catalogue snapshot every request reads, and a cache of rendered page bodies that are
//! the same for every visitor (guides, role pages). Replacing the catalogue, as an admin
//! edit does, empties the cache at once.

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

    /// Swaps in an edited catalogue and forgets every rendered page.
    pub fn replace_catalogue(&self, catalogue: Catalogue) {
        let mut s = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
        s.generation += 1;
        s.catalogue = Arc::new(catalogue);
        self.pages
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Returns the cached page for `key`, rendering it with `render` on a miss. `render`
    /// returns `None` when the page does not exist.
    pub fn page(
        &self,
        key: &str,
        render: impl FnOnce(&Catalogue) -> Result<Option<CachedPage>, AppError>,
    ) -> Result<Option<Arc<CachedPage>>, AppError> {
        if let Some(hit) = self
            .pages
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
        {
            return Ok(Some(Arc::clone(hit)));
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
        Ok(Some(page))
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
}
