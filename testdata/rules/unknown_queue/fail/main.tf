resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_outbound_campaign" "renewals" {
  name     = "Renewals"
  queue_id = genesyscloud_routing_wrapupcode.resolved.id
}
