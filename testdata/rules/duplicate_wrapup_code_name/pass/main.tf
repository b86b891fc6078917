resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "resolved_later" {
  name = "Resolved later"
}
