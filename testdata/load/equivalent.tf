# The same configuration as equivalent.tf.json; a test checks both load to the same IR.
variable "division" {
  type    = string
  default = "Home"
}

locals {
  codes = ["Resolved", "Escalated"]
}

resource "genesyscloud_routing_wrapupcode" "all" {
  for_each = "${toset(local.codes)}"
  name     = "${each.key}"
}

resource "genesyscloud_routing_queue" "Support" {
  name         = "Support"
  wrapup_codes = ["${genesyscloud_routing_wrapupcode.all["Resolved"].id}", "lit $${x}"]
  acw_timeout  = 30000
  enabled      = true
  nothing      = null
  ids          = "${[for c in genesyscloud_routing_wrapupcode.all : c.id]}"
  members      = { "a" = "x-${var.division}-y", "b" = 2 }
  depends_on   = [genesyscloud_routing_wrapupcode.all]
}

module "codes" {
  source = "./modules/codes"
  queue  = "${genesyscloud_routing_queue.Support.id}"
}

output "queue_id" {
  value = "${genesyscloud_routing_queue.Support.id}"
}

data "genesyscloud_auth_division" "home" {
  name = "Home"
}

provider "genesyscloud" {
  sdk_debug = false
}
