resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_routing_queue" "support_2" {
  name = "Support 2"
}
