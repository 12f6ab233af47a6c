//! Sitemaps as the protocol defines them: at most 50,000 URLs a file, and an index of
//! files when there are more.

pub const MAX_URLS_PER_FILE: usize = 50_000;

pub enum Sitemap {
    /// Everything fits in one `<urlset>`.
    Single(String),
    /// A `<sitemapindex>` pointing at `/sitemaps/{n}.xml` parts, numbered from 1.
    Index { index: String, parts: usize },
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub fn urlset(urls: &[String]) -> String {
    let mut out = String::with_capacity(urls.len() * 80 + 128);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        out.push_str("<url><loc>");
        out.push_str(&escape(url));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Plans the sitemap for `urls` with at most `limit` a file.
pub fn plan(urls: &[String], base_url: &str, limit: usize) -> Sitemap {
    if urls.len() <= limit {
        return Sitemap::Single(urlset(urls));
    }
    let parts = urls.len().div_ceil(limit);
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            escape(&format!("{base_url}/sitemaps/{n}.xml"))
        ));
    }
    index.push_str("</sitemapindex>\n");
    Sitemap::Index { index, parts }
}

/// Part `n` (from 1) of a sitemap split at `limit` URLs, if it exists.
pub fn part(urls: &[String], n: usize, limit: usize) -> Option<String> {
    if n == 0 || urls.len() <= limit {
        return None;
    }
    let chunk = urls.chunks(limit).nth(n - 1)?;
    Some(urlset(chunk))
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
        let Sitemap::Single(xml) = plan(&urls(3), "https://x.test", 5) else {
            panic!("expected one file")
        };
        assert_eq!(xml.matches("<url>").count(), 3);
        assert!(xml.contains("a=1&amp;b=2"));
    }

    #[test]
    fn large_sites_get_an_index_of_parts() {
        let all = urls(12);
        let Sitemap::Index { index, parts } = plan(&all, "https://x.test", 5) else {
            panic!("expected an index")
        };
        assert_eq!(parts, 3);
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("https://x.test/sitemaps/3.xml"));
        assert_eq!(part(&all, 1, 5).unwrap().matches("<url>").count(), 5);
        assert_eq!(part(&all, 3, 5).unwrap().matches("<url>").count(), 2);
        assert!(part(&all, 4, 5).is_none());
        assert!(part(&all, 0, 5).is_none());
    }
}
