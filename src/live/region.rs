//! Genesys Cloud regions and the domains their API and login hosts live under (DOMAIN.md §8).

use crate::live::LiveError;

/// Every region the provider accepts in `GENESYSCLOUD_REGION`, with its domain.
pub const REGIONS: &[(&str, &str)] = &[
    ("us-east-1", "mypurecloud.com"),
    ("us-east-2", "use2.us-gov-pure.cloud"),
    ("us-west-2", "usw2.pure.cloud"),
    ("ca-central-1", "cac1.pure.cloud"),
    ("sa-east-1", "sae1.pure.cloud"),
    ("mx-central-1", "mxc1.pure.cloud"),
    ("eu-west-1", "mypurecloud.ie"),
    ("eu-west-2", "euw2.pure.cloud"),
    ("eu-central-1", "mypurecloud.de"),
    ("eu-central-2", "euc2.pure.cloud"),
    ("me-central-1", "mec1.pure.cloud"),
    ("ap-south-1", "aps1.pure.cloud"),
    ("ap-southeast-2", "mypurecloud.com.au"),
    ("ap-northeast-1", "mypurecloud.jp"),
    ("ap-northeast-2", "apne2.pure.cloud"),
    ("ap-northeast-3", "apne3.pure.cloud"),
];

/// The domain of a region (`eu-west-1` -> `mypurecloud.ie`); case and surrounding space are
/// ignored. An unknown region is an error that lists the valid ones.
pub fn domain_for(region: &str) -> Result<&'static str, LiveError> {
    let wanted = region.trim().to_ascii_lowercase();
    REGIONS
        .iter()
        .find(|(r, _)| *r == wanted)
        .map(|(_, d)| *d)
        .ok_or_else(|| LiveError::UnknownRegion {
            region: region.to_owned(),
            valid: REGIONS
                .iter()
                .map(|(r, _)| *r)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_every_documented_region() {
        assert_eq!(REGIONS.len(), 16);
        assert_eq!(domain_for("us-east-1").ok(), Some("mypurecloud.com"));
        assert_eq!(domain_for(" EU-West-1 ").ok(), Some("mypurecloud.ie"));
        assert_eq!(
            domain_for("ap-southeast-2").ok(),
            Some("mypurecloud.com.au")
        );
        assert_eq!(domain_for("us-east-2").ok(), Some("use2.us-gov-pure.cloud"));
        let names: std::collections::HashSet<_> = REGIONS.iter().map(|(r, _)| r).collect();
        assert_eq!(names.len(), REGIONS.len(), "no region twice");
    }

    #[test]
    fn unknown_region_lists_valid_ones() {
        let e = domain_for("mars-north-1").expect_err("unknown");
        let msg = e.to_string();
        assert!(msg.contains("mars-north-1"), "{msg}");
        assert!(
            msg.contains("eu-central-2") && msg.contains("mx-central-1"),
            "{msg}"
        );
    }
}
