resource "genesyscloud_routing_wrapupcode" "closed" {
  name = "Closed"
}

resource "genesyscloud_routing_wrapupcode" "closed" {
  name = "Closed again"
}
