//! What `cxlint snapshot` fetches, and how the listings become one [`Snapshot`].
//!
//! Phase one lists every object type concurrently (bounded by the client's semaphore); phase two
//! fetches what hangs off single objects: each queue's assigned wrap-up codes and each
//! integration's current configuration. A `403`/`404` on any of these is recorded in `missing`
//! with the permission that would fix it; every other failure aborts the fetch.

use std::sync::Arc;

use serde_json::Value;
use tokio::task::JoinSet;

use crate::live::LiveError;
use crate::live::client::{Http, Listing, Paging};
use crate::live::convert;
use crate::snapshot::{MissingListing, Snapshot, SnapshotResource};

/// One top-level listing.
pub(crate) struct Spec {
    pub rtype: &'static str,
    pub path: &'static str,
    /// The permission the catalog lists for the GET (`None`: the catalog lists none).
    pub permission: Option<&'static str>,
    pub paging: Paging,
    pub convert: fn(&Value) -> Option<SnapshotResource>,
}

/// Every top-level listing. Permissions are those of `data/genesys-api-operations.json`.
pub(crate) const LISTINGS: &[Spec] = &[
    Spec {
        rtype: "genesyscloud_routing_wrapupcode",
        path: "/api/v2/routing/wrapupcodes",
        permission: Some("routing:wrapupCode:view"),
        paging: Paging::Numbered,
        convert: convert::wrapup_code,
    },
    Spec {
        rtype: "genesyscloud_routing_queue",
        path: "/api/v2/routing/queues",
        permission: Some("routing:queue:view"),
        paging: Paging::Numbered,
        convert: convert::queue,
    },
    Spec {
        rtype: "genesyscloud_oauth_client",
        path: "/api/v2/oauth/clients",
        permission: Some("oauth:client:view"),
        paging: Paging::Numbered,
        convert: convert::oauth_client,
    },
    Spec {
        rtype: "genesyscloud_auth_role",
        path: "/api/v2/authorization/roles",
        permission: Some("authorization:role:view"),
        paging: Paging::Numbered,
        convert: convert::role,
    },
    Spec {
        rtype: "genesyscloud_auth_division",
        path: "/api/v2/authorization/divisions",
        // The catalog lists no permission for this GET; a 403 here is a missing scope or role.
        permission: None,
        paging: Paging::Numbered,
        convert: convert::division,
    },
    Spec {
        rtype: "genesyscloud_integration",
        path: "/api/v2/integrations",
        permission: Some("integrations:integration:view"),
        paging: Paging::Numbered,
        convert: convert::integration,
    },
    Spec {
        rtype: "genesyscloud_integration_credential",
        path: "/api/v2/integrations/credentials",
        permission: Some("integrations:integration:view"),
        paging: Paging::Numbered,
        convert: convert::integration_credential,
    },
    Spec {
        rtype: "genesyscloud_integration_action",
        path: "/api/v2/integrations/actions",
        permission: Some("integrations:action:view"),
        paging: Paging::Numbered,
        convert: convert::integration_action,
    },
    Spec {
        rtype: "genesyscloud_processautomation_trigger",
        path: "/api/v2/processautomation/triggers",
        permission: Some("processautomation:trigger:view"),
        paging: Paging::Cursor,
        convert: convert::trigger,
    },
    Spec {
        rtype: "genesyscloud_outbound_ruleset",
        path: "/api/v2/outbound/rulesets",
        permission: Some("outbound:ruleSet:view"),
        paging: Paging::Numbered,
        convert: convert::ruleset,
    },
    Spec {
        rtype: "genesyscloud_outbound_campaign",
        path: "/api/v2/outbound/campaigns",
        permission: Some("outbound:campaign:view"),
        paging: Paging::Numbered,
        convert: convert::campaign,
    },
    Spec {
        rtype: "genesyscloud_flow",
        path: "/api/v2/flows",
        permission: Some("architect:flow:view"),
        paging: Paging::Numbered,
        convert: convert::flow,
    },
];

const QUEUE_CODES: &str = "/api/v2/routing/queues/{queueId}/wrapupcodes";
const INTEGRATION_CONFIG: &str = "/api/v2/integrations/{integrationId}/config/current";

/// What a phase-two request is for: the index of the object in `snapshot.resources`.
enum Detail {
    QueueCodes(usize),
    IntegrationConfig(usize),
}

/// Fetch everything into a snapshot.
pub(crate) async fn fetch(
    http: Arc<Http>,
    region: Option<String>,
    api_base: String,
) -> Result<Snapshot, LiveError> {
    let mut snapshot = Snapshot::new(region, api_base);
    http.progress.add_work(LISTINGS.len() as u64);

    let mut tasks = JoinSet::new();
    for (i, spec) in LISTINGS.iter().enumerate() {
        let http = Arc::clone(&http);
        tasks.spawn(async move { (i, http.list_all(spec.path, spec.paging).await) });
    }
    let mut listings: Vec<Option<Listing>> = (0..LISTINGS.len()).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (i, result) =
            joined.map_err(|e| LiveError::Setup(format!("a fetch task stopped: {e}")))?;
        // Returning drops `tasks`, which aborts the other requests.
        listings[i] = Some(result?);
        http.progress.done(LISTINGS[i].path);
    }

    let mut details = Vec::new();
    for (spec, listing) in LISTINGS.iter().zip(listings) {
        match listing {
            Some(Listing::Items(items)) => {
                for item in &items {
                    let Some(object) = (spec.convert)(item) else {
                        continue;
                    };
                    let index = snapshot.resources.len();
                    match spec.rtype {
                        "genesyscloud_routing_queue" => {
                            details.push((Detail::QueueCodes(index), object.id.clone()))
                        }
                        "genesyscloud_integration" => {
                            details.push((Detail::IntegrationConfig(index), object.id.clone()));
                        }
                        _ => {}
                    }
                    snapshot.resources.push(object);
                }
            }
            Some(Listing::Denied(status)) => snapshot.missing.push(MissingListing {
                rtype: spec.rtype.to_owned(),
                endpoint: spec.path.to_owned(),
                status,
                permission: spec.permission.map(str::to_owned),
            }),
            None => {}
        }
    }

    http.progress.add_work(details.len() as u64);
    let mut tasks = JoinSet::new();
    for (detail, id) in details {
        if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            let listing = match detail {
                Detail::QueueCodes(_) => "/api/v2/routing/queues",
                Detail::IntegrationConfig(_) => "/api/v2/integrations",
            };
            return Err(LiveError::Malformed {
                endpoint: listing.to_owned(),
                reason: format!("object id `{}` is not a valid id", id.escape_debug()),
            });
        }
        let http = Arc::clone(&http);
        tasks.spawn(async move {
            let result = match detail {
                Detail::QueueCodes(_) => {
                    http.list_all(
                        &format!("/api/v2/routing/queues/{id}/wrapupcodes"),
                        Paging::Numbered,
                    )
                    .await
                }
                Detail::IntegrationConfig(_) => {
                    http.list_all(
                        &format!("/api/v2/integrations/{id}/config/current"),
                        Paging::Single,
                    )
                    .await
                }
            };
            (detail, result)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (detail, result) =
            joined.map_err(|e| LiveError::Setup(format!("a fetch task stopped: {e}")))?;
        let listing = result?;
        match (detail, listing) {
            (Detail::QueueCodes(i), Listing::Items(codes)) => {
                snapshot.resources[i].attributes.insert(
                    "wrapup_codes".to_owned(),
                    convert::queue_wrapup_codes(&codes),
                );
                http.progress.done("queue wrap-up codes");
            }
            (Detail::IntegrationConfig(i), Listing::Items(docs)) => {
                if let Some(doc) = docs.first() {
                    snapshot.resources[i]
                        .attributes
                        .insert("config".to_owned(), convert::integration_config(doc));
                }
                http.progress.done("integration configuration");
            }
            // Without the codes, the queue's `wrapup_codes` stays absent (unknown), never `[]`.
            (Detail::QueueCodes(_), Listing::Denied(status)) => {
                snapshot.missing.push(MissingListing {
                    rtype: "genesyscloud_routing_queue".to_owned(),
                    endpoint: QUEUE_CODES.to_owned(),
                    status,
                    permission: Some("routing:queue:view".to_owned()),
                })
            }
            (Detail::IntegrationConfig(_), Listing::Denied(status)) => {
                snapshot.missing.push(MissingListing {
                    rtype: "genesyscloud_integration".to_owned(),
                    endpoint: INTEGRATION_CONFIG.to_owned(),
                    status,
                    permission: Some("integrations:integration:view".to_owned()),
                })
            }
        }
    }
    snapshot.sort();
    Ok(snapshot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listing_type_is_a_snapshot_type() {
        for spec in LISTINGS {
            assert!(
                crate::snapshot::RESOURCE_TYPES.contains(&spec.rtype),
                "{}",
                spec.rtype
            );
            assert!(spec.path.starts_with("/api/v2/"));
        }
        assert_eq!(LISTINGS.len(), crate::snapshot::RESOURCE_TYPES.len());
    }
}
