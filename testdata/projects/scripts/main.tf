resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}
