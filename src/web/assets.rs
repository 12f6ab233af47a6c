//! Static files compiled into the binary, served with long cache lifetimes. The stylesheet
//! address carries a hash of its content, so a new build is never served a stale copy.

use std::sync::LazyLock;

use actix_web::{HttpResponse, get, http::header};
use sha2::{Digest, Sha256};

const STYLESHEET: &str = include_str!("../../assets/css/site.css");
const FAVICON: &str = include_str!("../../assets/images/favicon.svg");

static STYLESHEET_HREF: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(STYLESHEET.as_bytes());
    format!("/assets/site.css?v={}", &hex::encode(digest)[..12])
});

pub fn stylesheet_href() -> &'static str {
    STYLESHEET_HREF.as_str()
}

fn immutable(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(body)
}

#[get("/assets/site.css")]
pub async fn stylesheet() -> HttpResponse {
    immutable("text/css; charset=utf-8", STYLESHEET)
}

#[get("/assets/favicon.svg")]
pub async fn favicon() -> HttpResponse {
    immutable("image/svg+xml", FAVICON)
}

#[cfg(test)]
mod tests {
    /// An unclosed rule swallows every rule after it (once it did: the plan styles sat
    /// inside `.route-options li`), and nothing else would notice.
    #[test]
    fn every_stylesheet_block_is_closed() {
        let mut depth = 0i32;
        for (n, line) in super::STYLESHEET.lines().enumerate() {
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            assert!(depth >= 0, "a stray }} at line {}", n + 1);
            let top_level_rule = !line.starts_with(' ') && line.trim_end().ends_with('{');
            if top_level_rule && !line.starts_with('@') {
                assert!(
                    depth == 1,
                    "line {} opens a rule inside an unclosed one",
                    n + 1
                );
            }
        }
        assert_eq!(depth, 0, "a block is left open");
    }
}
