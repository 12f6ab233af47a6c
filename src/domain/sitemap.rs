//! Sitemaps as the protocol defines them: at most 50,000 URLs a file, and an index of
//! files when there are more.

use super::catalogue::Catalogue;
use super::guide::guide_path;

pub const MAX_URLS_PER_FILE: usize = 50_000;

pub enum Sitemap {
    /// Everything fits in one `<urlset>`.
    Single(String),
    /// A `<sitemapindex>` pointing at `/sitemaps/{n}.xml` parts, numbered from 1.
    Index { index: String, parts: usize },
}

/// Every address a sitemap lists, by position. A site of a thousand roles has a million
/// guides, so addresses are made as each file is written rather than held.
pub trait Addresses {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The address at `at`, for `at < len()`, appended to `out`.
    fn write(&self, at: usize, out: &mut String);
}

fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// A `<urlset>` of the addresses at `range`.
pub fn urlset<A: Addresses + ?Sized>(addresses: &A, range: std::ops::Range<usize>) -> String {
    let mut out = String::with_capacity(range.len() * 100 + 128);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut url = String::new();
    for at in range {
        url.clear();
        addresses.write(at, &mut url);
        out.push_str("<url><loc>");
        push_escaped(&mut out, &url);
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Plans the sitemap for `addresses` with at most `limit` a file.
pub fn plan<A: Addresses + ?Sized>(addresses: &A, base_url: &str, limit: usize) -> Sitemap {
    let limit = limit.max(1);
    let total = addresses.len();
    if total <= limit {
        return Sitemap::Single(urlset(addresses, 0..total));
    }
    let parts = total.div_ceil(limit);
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        index.push_str("<sitemap><loc>");
        push_escaped(&mut index, &format!("{base_url}/sitemaps/{n}.xml"));
        index.push_str("</loc></sitemap>\n");
    }
    index.push_str("</sitemapindex>\n");
    Sitemap::Index { index, parts }
}

/// Part `n` (from 1) of a sitemap split at `limit` addresses, if it exists.
pub fn part<A: Addresses + ?Sized>(addresses: &A, n: usize, limit: usize) -> Option<String> {
    let total = addresses.len();
    if n == 0 || total <= limit || limit == 0 {
        return None;
    }
    let start = (n - 1).checked_mul(limit).filter(|&s| s < total)?;
    Some(urlset(addresses, start..total.min(start + limit)))
}

/// Addresses already in a list (for the tests of the splitting).
#[cfg(test)]
impl Addresses for [String] {
    fn len(&self) -> usize {
        <[String]>::len(self)
    }

    fn write(&self, at: usize, out: &mut String) {
        out.push_str(&self[at]);
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("https://x.test/p/{i}?a=1&b=2"))
            .collect()
    }

    #[test]
    fn small_sites_get_one_file() {
        let Sitemap::Single(xml) = plan(&urls(3)[..], "https://x.test", 5) else {
            panic!("expected one file")
        };
        assert_eq!(xml.matches("<url>").count(), 3);
        assert!(xml.contains("a=1&amp;b=2"));
    }

    #[test]
    fn large_sites_get_an_index_of_parts() {
        let all = urls(12);
        let all = &all[..];
        let Sitemap::Index { index, parts } = plan(all, "https://x.test", 5) else {
            panic!("expected an index")
        };
        assert_eq!(parts, 3);
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("https://x.test/sitemaps/3.xml"));
        assert_eq!(part(all, 1, 5).unwrap().matches("<url>").count(), 5);
        assert!(part(all, 2, 5).unwrap().contains("/p/5?a=1&amp;b=2<"));
        assert_eq!(part(all, 3, 5).unwrap().matches("<url>").count(), 2);
        assert!(part(all, 4, 5).is_none());
        assert!(part(all, 0, 5).is_none());
        assert!(part(all, usize::MAX, 5).is_none());
    }
}

#[cfg(test)]
mod public_urls {
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
