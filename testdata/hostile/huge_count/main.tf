resource "genesyscloud_routing_wrapupcode" "many" {
  count = 100000000
  name  = "Code ${count.index}"
}

resource "genesyscloud_routing_wrapupcode" "keyed" {
  for_each = toset([for i in range(1000000) : tostring(i)])
  name     = "Keyed ${each.key}"
}

locals {
  big = range(1e9)
}

resource "genesyscloud_routing_queue" "support" {
  name         = "Support ${length(local.big)}"
  wrapup_codes = genesyscloud_routing_wrapupcode.many[*].id
}
