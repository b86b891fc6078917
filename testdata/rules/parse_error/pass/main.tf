resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}
