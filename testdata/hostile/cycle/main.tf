locals {
  a = local.b
  b = local.a
}

resource "genesyscloud_routing_wrapupcode" "closed" {
  name = local.a
}
