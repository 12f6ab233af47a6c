//! The catalogue snapshot every request reads, and a cache of rendered page bodies that are
//! the same for every visitor (guides, role pages). Publishing an edited catalogue drops
//! exactly the pages whose inputs changed; every other page stays cached.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use quick_cache::sync::Cache;

use crate::domain::catalogue::Catalogue;
use crate::error::AppError;

/// A cached page's weight: the bytes of its text and key, plus what holding it costs.
#[derive(Clone)]
struct PageBytes;

/// Allocation and bookkeeping per entry, beyond its text.
const ENTRY_OVERHEAD_BYTES: u64 = 256;
/// A typical page, for sizing the cache's table.
const TYPICAL_PAGE_BYTES: u64 = 30 * 1024;

impl quick_cache::Weighter<String, Arc<CachedPage>> for PageBytes {
    fn weight(&self, key: &String, page: &Arc<CachedPage>) -> u64 {
        (key.len() + page.text_bytes()) as u64 + ENTRY_OVERHEAD_BYTES
    }
}

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

impl CachedPage {
    fn text_bytes(&self) -> usize {
        self.title.len()
            + self.description.len()
            + self.canonical.len()
            + self.head_extra.len()
            + self.body.len()
            + self.plan_cta.len()
    }
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
    /// Keyed by canonical path, and only for pages that exist; bounded by bytes, the pages
    /// read least are the first to go.
    pages: Cache<String, Arc<CachedPage>, PageBytes>,
}

impl ContentStore {
    pub fn new(catalogue: Catalogue, base_url: String, max_bytes: u64) -> Self {
        let estimated = usize::try_from((max_bytes / TYPICAL_PAGE_BYTES).max(16)).unwrap_or(16);
        Self {
            base_url,
            snapshot: RwLock::new(Snapshot {
                generation: 0,
                catalogue: Arc::new(catalogue),
            }),
            pages: Cache::with_weighter(estimated, max_bytes, PageBytes),
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
        let verdicts: HashMap<(String, u64), bool> = self
            .pages
            .iter()
            .map(|(key, page)| {
                let same = inputs(&key) == Some(page.inputs);
                ((key, page.inputs), same)
            })
            .collect();
        // ...then swap, judging any page stored in the meantime on the spot. Pages are only
        // stored under the snapshot's read lock, so none can slip in while this holds it.
        let mut s = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
        let mut dropped = 0;
        for (key, page) in self.pages.iter() {
            let same = match verdicts.get(&(key.clone(), page.inputs)) {
                Some(&same) => same,
                None => inputs(&key) == Some(page.inputs),
            };
            if !same {
                self.pages.remove(&key);
                dropped += 1;
            }
        }
        s.generation += 1;
        s.catalogue = catalogue;
        dropped
    }

    /// Returns the cached page for `key`, rendering it with `render` on a miss. `render`
    /// returns `None` when the page does not exist.
    pub fn page(
        &self,
        key: &str,
        render: impl FnOnce(&Catalogue) -> Result<Option<CachedPage>, AppError>,
    ) -> Result<Option<Served>, AppError> {
        if let Some(hit) = self.pages.get(key) {
            return Ok(Some(Served {
                page: hit,
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
            self.pages.insert(key.to_owned(), Arc::clone(&page));
        }
        Ok(Some(Served {
            page,
            from_cache: false,
        }))
    }

    pub fn cached_pages(&self) -> usize {
        self.pages.len()
    }

    /// Bytes the cached pages weigh, as the cache counts them.
    pub fn cached_bytes(&self) -> u64 {
        self.pages.weight()
    }

    pub fn is_cached(&self, key: &str) -> bool {
        self.pages.contains_key(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body_bytes: usize) -> CachedPage {
        CachedPage {
            title: "t".into(),
            description: String::new(),
            canonical: String::new(),
            head_extra: String::new(),
            body: "x".repeat(body_bytes),
            plan_cta: String::new(),
            inputs: 1,
        }
    }

    #[test]
    fn the_cache_never_holds_more_bytes_than_its_bound() {
        let bound = 1024 * 1024;
        let store = ContentStore::new(Catalogue::default(), String::new(), bound);
        for i in 0..500 {
            let served = store
                .page(&format!("/careers/p{i}"), |_| Ok(Some(page(20 * 1024))))
                .unwrap()
                .unwrap();
            assert!(!served.from_cache);
            assert!(
                store.cached_bytes() <= bound,
                "{} > {bound}",
                store.cached_bytes()
            );
        }
        // About bound ÷ page size pages stay, and they are served from the cache.
        assert!(store.cached_pages() >= 30, "{}", store.cached_pages());
        assert!(store.cached_pages() <= 51, "{}", store.cached_pages());
        let last = store
            .page("/careers/p499", |_| panic!("cached"))
            .unwrap()
            .unwrap();
        assert!(last.from_cache);
    }

    #[test]
    fn publish_drops_exactly_the_pages_whose_inputs_changed() {
        let store = ContentStore::new(Catalogue::default(), String::new(), 1024 * 1024);
        for key in ["/careers/a-to-b", "/careers/c-to-d", "/roles/a"] {
            store.page(key, |_| Ok(Some(page(10)))).unwrap();
        }
        let dropped = store.publish(Arc::new(Catalogue::default()), |key| {
            (!key.contains("/a")).then_some(1)
        });
        assert_eq!(dropped, 2);
        assert!(store.is_cached("/careers/c-to-d"));
        assert!(!store.is_cached("/roles/a"));
    }
}
