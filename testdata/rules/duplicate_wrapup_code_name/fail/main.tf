resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "resolved_again" {
  name = "resolved"
}
