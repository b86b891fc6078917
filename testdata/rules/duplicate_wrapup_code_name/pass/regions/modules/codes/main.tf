resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}
